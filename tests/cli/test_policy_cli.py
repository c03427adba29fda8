"""`qed policy init`, `qed train-policy`, and `qed search/eval --policy hf` with the trained LM."""

import json

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from tests.encoder_bridge.test_policy import TINY_TOML, UNICODE, heuristic_search


@pytest.fixture(scope="module")
def trajectories(tmp_path_factory):
    return heuristic_search(tmp_path_factory.mktemp("traj") / "r0.parquet")


def test_policy_init_saves_a_model_any_hf_tool_loads(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    cfg = tmp_path / "p.toml"
    cfg.write_text(TINY_TOML)
    out = tmp_path / "lm0"
    res = CliRunner().invoke(qed, ["policy", "init", "--output", str(out), "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    assert (out / "model.safetensors").is_file() and (out / "qedjax_policy.json").is_file()
    model = AutoModelForCausalLM.from_pretrained(out)
    tok = AutoTokenizer.from_pretrained(out)
    assert model.config.model_type == "llama" and len(tok) == model.config.vocab_size
    assert tok.decode(tok(UNICODE, add_special_tokens=False)["input_ids"]) == UNICODE
    assert json.loads((out / "qedjax_policy.json").read_text())["format"]["template"] == "state-tactic"
    before = sorted(p.name for p in out.iterdir())
    res = CliRunner().invoke(qed, ["policy", "init", "--output", str(out), "--config", str(cfg)])
    assert res.exit_code == 2 and res.output.count("error:") == 1 and "--overwrite" in res.output
    assert sorted(p.name for p in out.iterdir()) == before
    cfg.write_text(TINY_TOML.replace("[model]", "[model]\narch = \"gpt2\""))
    res = CliRunner().invoke(qed, ["policy", "init", "--output", str(out), "--config", str(cfg), "--overwrite"])
    assert res.exit_code == 0, res.output
    assert AutoModelForCausalLM.from_pretrained(out).config.model_type == "gpt2"


@pytest.mark.slow
def test_train_policy_cli_then_search_and_eval_with_the_lm(trajectories, tmp_path):
    cfg = tmp_path / "p.toml"
    cfg.write_text(TINY_TOML)
    out = tmp_path / "lm"
    run = lambda *a: CliRunner().invoke(qed, [str(x) for x in a])
    res = run("train-policy", "--trajectories", trajectories, "--output", out, "--config", cfg, "--quiet")
    assert res.exit_code == 0, res.output
    assert "validation loss" in res.output and "top-1 tactic accuracy" in res.output
    res = run("train-policy", "--trajectories", trajectories, "--output", out, "--config", cfg, "--quiet")
    assert res.exit_code == 2 and "--overwrite" in res.output  # nothing replaced
    res = run("train-policy", "--trajectories", tmp_path / "missing.parquet", "--output", tmp_path / "x")
    assert res.exit_code == 2 and res.output.count("error:") == 1 and not (tmp_path / "x").exists()
    traj = tmp_path / "s.parquet"
    res = run("search", "--policy", "hf", "--hf-model", out, "--split", "test", "--max-theorems", "6",
              "--max-nodes", "5", "--num-candidates", "4", "--output", traj, "--quiet")
    assert res.exit_code == 0, res.output
    assert " 0 failed" in res.output.split("policy: ")[1].splitlines()[0]
    ev = tmp_path / "e.json"
    res = run("eval", "--policy", "hf", "--hf-model", out, "--split", "test", "--max-theorems", "6",
              "--budgets", "2,5", "--num-candidates", "4", "--output", ev, "--quiet")
    assert res.exit_code == 0, res.output
    assert json.loads(ev.read_text())["llm_path"] == str(out)
