"""Tactic generator on a tiny random Llama built from a config, with a tokenizer trained and saved
to a temp dir (no network), plus first-tactic extraction."""


import pytest
import torch

from encoder_bridge.generator import GeneratorConfig, HFTacticGenerator, extract_first_tactic


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
