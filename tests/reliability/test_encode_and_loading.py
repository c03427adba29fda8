"""``qed encode`` never replaces the user's data, and models load from safetensors unless pickled
weights are explicitly allowed (issue 14, items 5 and 9)."""

import json
import shutil

import pytest

from tests.conftest import make_tiny_bert, make_tiny_llama

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """A tiny BERT and Llama saved as safetensors, and the same saved as pickled ``pytorch_model.bin``."""
    import torch
    from transformers import AutoModel, AutoModelForCausalLM

    d = tmp_path_factory.mktemp("tiny_models")
    bert, llama = make_tiny_bert(d / "bert"), make_tiny_llama(d / "llama")
    out = {"bert": bert, "llama": llama}
    for name, src, cls in (("bert", bert, AutoModel), ("llama", llama, AutoModelForCausalLM)):
        pickled = d / f"{name}_pickled"
        shutil.copytree(src, pickled)
        for f in pickled.glob("*.safetensors*"):
            f.unlink()
        torch.save(cls.from_pretrained(src).state_dict(), pickled / "pytorch_model.bin")
        out[f"{name}_pickled"] = pickled
    return out


@pytest.fixture()
def states_file(tmp_path):
    p = tmp_path / "states.jsonl"
    p.write_text("".join(json.dumps({"state_pp": f"p q : Prop\nh{i} : p\n⊢ p ∨ q"}) + "\n" for i in range(5)))
    return p


def test_encode_refuses_its_input_as_output(tmp_path, synthetic, tiny_models):
    traj = tmp_path / "traj.parquet"
    shutil.copy(synthetic["traj"], traj)
    before = snapshot(tmp_path)
    for extra in ([], ["--overwrite"]):
        assert_refused(qed_run("encode", "--input", traj, "--output", traj, "--model", tiny_models["bert"],
                               "--quiet", *extra), "is also an input (--input")
        assert_refused(qed_run("encode", "--input", traj, "--output", tmp_path / "." / "traj.parquet",
                               "--model", tiny_models["bert"], "--quiet", *extra), "is also an input (--input")
    assert_unchanged(tmp_path, before)


def test_encode_never_replaces_a_file_that_is_not_a_cache(tmp_path, synthetic, states_file, tiny_models):
    traj = tmp_path / "traj.parquet"
    shutil.copy(synthetic["traj"], traj)
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all" * 10)
    before = snapshot(tmp_path)
    for target, why in ((traj, "no 'embedding' column"), (junk, "not a Parquet file")):
        for extra in ([], ["--overwrite"]):
            assert_refused(qed_run("encode", "--input", states_file, "--output", target, "--model",
                                   tiny_models["bert"], "--quiet", *extra), "not an embedding cache", why)
    assert_unchanged(tmp_path, before)


def test_encode_cache_of_another_encoder_still_needs_overwrite(tmp_path, states_file, tiny_models):
    out = tmp_path / "e.parquet"
    assert qed_run("encode", "--input", states_file, "--output", out, "--model", tiny_models["bert"],
                   "--quiet").code == 0
    before = snapshot(tmp_path)
    assert_refused(qed_run("encode", "--input", states_file, "--output", out, "--model", tiny_models["bert"],
                           "--template", "reprover", "--quiet"), "another encoder", "--overwrite")
    assert_unchanged(tmp_path, before)
    assert qed_run("encode", "--input", states_file, "--output", out, "--model", tiny_models["bert"],
                   "--template", "reprover", "--quiet", "--overwrite").code == 0


def test_pickled_encoder_weights_are_refused_unless_allowed(tmp_path, states_file, tiny_models):
    out = tmp_path / "e.parquet"
    before = snapshot(tmp_path)
    assert_refused(qed_run("encode", "--input", states_file, "--output", out, "--model",
                           tiny_models["bert_pickled"], "--quiet"), "pickled", "pytorch_model.bin", "safetensors")
    assert_unchanged(tmp_path, before)
    run = qed_run("encode", "--input", states_file, "--output", out, "--model", tiny_models["bert_pickled"],
                  "--quiet", "--allow-pickle")
    assert run.code == 0, run.text
    assert "5 encoded" in run.out


def test_pickled_policy_weights_are_refused_unless_allowed(tiny_models, monkeypatch):
    from encoder_bridge.policy.config import SampleConfig
    from encoder_bridge.policy.sample import LMPolicy
    from qedjax.errors import ConfigError

    monkeypatch.delenv("QEDJAX_ALLOW_PICKLE", raising=False)
    cfg = SampleConfig(max_new_tokens=4)
    with pytest.raises(ConfigError, match="pickled"):
        LMPolicy(str(tiny_models["llama_pickled"]), config=cfg)
    LMPolicy(str(tiny_models["llama"]), config=cfg)
    assert len(LMPolicy(str(tiny_models["llama_pickled"]), config=cfg, allow_pickle=True).propose(["⊢ p → p"], 2)) == 1
    monkeypatch.setenv("QEDJAX_ALLOW_PICKLE", "1")
    assert len(LMPolicy(str(tiny_models["llama_pickled"]), config=cfg).propose(["⊢ p → p"], 2)) == 1


def test_search_with_a_pickled_hf_policy_is_one_line(tmp_path, tiny_models, monkeypatch):
    monkeypatch.delenv("QEDJAX_ALLOW_PICKLE", raising=False)
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--split", "test", "--max-theorems", "2", "--max-nodes", "2", "--quiet",
                           "--policy", "hf", "--hf-model", tiny_models["llama_pickled"],
                           "--output", tmp_path / "t.parquet"), "pickled", "QEDJAX_ALLOW_PICKLE")
    assert_unchanged(tmp_path, before)


def test_encoder_max_length_past_the_models_positions(tmp_path, states_file, tiny_models):
    """A max_length the model has no positions for is refused when the model is loaded, before any state
    is encoded (it failed inside the forward pass, on the first long state)."""
    assert_refused(qed_run("encode", "--input", states_file, "--output", tmp_path / "e.parquet", "--model",
                           tiny_models["bert"], "--max-length", "100000", "--quiet"), "max_length 100000",
                   "512 positions")
    assert not (tmp_path / "e.parquet").exists()
