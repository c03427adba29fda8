"""The tactic LM: tokenizer, creation, sampling with a shared prefill, fine-tuning, exact resume, the
prompt-format contract, and search with the LM through the same parts as every other policy."""

import dataclasses
import json
import math

import pytest
import torch

from encoder_bridge.policy.config import (
    ModelConfig,
    PolicyConfig,
    SampleConfig,
    TokenizerConfig,
    TrainConfig,
)
from encoder_bridge.policy.data import prepare
from encoder_bridge.policy.prompt import PromptFormat, prompt_ids, tactic_ids
from qedjax.errors import ConfigError, DataError

TINY = PolicyConfig(model=ModelConfig(hidden_size=32, num_layers=2, num_heads=2, intermediate_size=64,
                                      max_positions=256),
                    tokenizer=TokenizerConfig(vocab_size=320),
                    train=TrainConfig(epochs=2.0, batch_size=16, lr=3e-3, warmup_steps=2, checkpoint_every=3,
                                      max_valid_pairs=64, device="cpu"))
TINY_TOML = """
[model]
hidden_size = 32
num_layers = 2
num_heads = 2
intermediate_size = 64
max_positions = 256
[tokenizer]
vocab_size = 320
[train]
epochs = 2.0
batch_size = 16
lr = 3e-3
warmup_steps = 2
checkpoint_every = 3
device = "cpu"
"""
UNICODE = "h₁ : p ∧ q ∨ ¬r\nh₂ : (p → q) ↔ r\n⊢ ∀ x, ∃ y, x ≤ y ⟨⟩ 𝓝 ✝"


def heuristic_search(out, theorems: int = 60):
    """A real heuristic search of prop train theorems (the round-0 data, small) into ``out``."""
    from qedjax.app.parts import PartsSpec, parts_factory
    from qedjax.envs.prop.bench import shipped_benchmark_path
    from qedjax.search.config import SearchConfig
    from qedjax.search.runner import run_search
    from qedjax.search.theorems import load_theorems

    thms = load_theorems(shipped_benchmark_path(), "train", theorems)
    run_search(thms, parts_factory(PartsSpec()), SearchConfig(max_nodes=12, num_candidates=8, probe_tactics="none"),
               out)
    return out


@pytest.fixture(scope="module")
def trajectories(tmp_path_factory):
    return heuristic_search(tmp_path_factory.mktemp("traj") / "r0.parquet")


@pytest.fixture(scope="module")
def data(trajectories):
    from encoder_bridge.policy.data import read_steps

    return prepare(read_steps([trajectories]), 0.2, 0)


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory):
    from encoder_bridge.policy.train import train_policy

    out = tmp_path_factory.mktemp("lm") / "lm"
    cfg = dataclasses.replace(TINY, train=dataclasses.replace(TINY.train, epochs=12.0))
    rec = train_policy(data, out, cfg, progress=False, log=lambda _: None)
    return out, rec


@pytest.fixture(scope="module")
def trained_gpt2(data, tmp_path_factory):
    from encoder_bridge.policy.train import train_policy

    out = tmp_path_factory.mktemp("lm") / "gpt2"
    cfg = dataclasses.replace(TINY, model=dataclasses.replace(TINY.model, arch="gpt2"),
                              train=dataclasses.replace(TINY.train, epochs=12.0))
    train_policy(data, out, cfg, progress=False, log=lambda _: None)
    return out


def test_tokenizer_round_trips_unicode_and_compresses(data, tmp_path):
    from transformers import AutoTokenizer

    from encoder_bridge.policy.tokenizer import fit_tokenizer

    texts = [t for p in data.train for t in (p.state, p.tactic)]
    for kind in ("bpe", "byte"):
        tok = fit_tokenizer(texts, TokenizerConfig(kind=kind, vocab_size=400))
        tok.save_pretrained(tmp_path / kind)
        back = AutoTokenizer.from_pretrained(tmp_path / kind)
        for text in (UNICODE, *texts[:50]):
            ids = back(text, add_special_tokens=False)["input_ids"]
            assert back.decode(ids) == text
        n_tokens = sum(len(back(p.state, add_special_tokens=False)["input_ids"]) for p in data.train)
        n_chars = sum(len(p.state) for p in data.train)
        if kind == "bpe":
            assert n_tokens < 0.5 * n_chars  # merges pay off on Lean states
        else:
            assert n_tokens > n_chars  # bytes: ∧ ⊢ … take three each


def test_pairs_are_filtered_deduplicated_and_split_by_theorem():
    steps = [{"state": f"⊢ p{i % 9}", "tactic": t, "theorem": f"t{i % 9}"} for i, t in
             enumerate(["exact h", "exact h", "", "  ", "sorry", "exact (sorry)", "admit", "intro h", "left"] * 9)]
    d = prepare(steps, 0.3, 0)
    assert d.stats["dropped"]["empty"] == 18 and d.stats["dropped"]["sorry"] == 27
    pairs = d.train + d.valid
    assert len(pairs) == len({(p.state, p.tactic) for p in pairs})
    assert not {p.theorem for p in d.train} & {p.theorem for p in d.valid}
    assert d.valid and d.train
    with pytest.raises(DataError):
        prepare([{"state": "⊢ p", "tactic": "sorry", "theorem": "t"}], 0.1, 0)


def _sampler(directory, seed=0, share_prefill=True, **kw):
    from encoder_bridge.policy.model import load_policy
    from encoder_bridge.policy.sample import Sampler

    lp = load_policy(str(directory))
    kw = {"decode": "sample", **kw}
    return Sampler(lp.model, lp.tokenizer, lp.format, SampleConfig(memo_size=0, **kw), seed=seed,
                   share_prefill=share_prefill), lp


def test_pooled_states_are_split_into_calls_by_prompt_length():
    """Calls cover the states in order, never exceed the row limit, and trade padding for calls: equal
    lengths share one call, a few long prompts get their own call rather than pad every short one."""
    from encoder_bridge.policy.sample import length_calls

    def check(lengths, rows, limit):
        calls = length_calls(lengths, rows, limit)
        assert [i for a, b in calls for i in range(a, b)] == list(range(len(lengths)))
        assert all(0 < (b - a) * rows <= max(limit, rows) for a, b in calls)
        return calls

    assert check([12] * 100, 8, 2048) == [(0, 100)]
    assert check([12] * 100, 8, 400) == [(0, 50), (50, 100)]
    assert check([10] * 120 + [60] * 8, 8, 2048) == [(0, 120), (120, 128)]
    assert check([10] * 4 + [11] * 4, 8, 2048) == [(0, 8)]  # one more position is cheaper than a call
    assert check([3], 8, 4) == [(0, 1)] and check([], 8, 2048) == []


def _reference_log_prob(lp, prompt, continuation):
    """The log-prob of ``continuation`` after ``prompt`` by one full forward, no cache."""
    with torch.no_grad():
        logits = lp.model(input_ids=torch.tensor([list(prompt) + list(continuation)])).logits[0].float()
    logp = torch.log_softmax(logits, -1)
    return sum(float(logp[len(prompt) - 1 + i, tok]) for i, tok in enumerate(continuation))


@pytest.mark.slow
@pytest.mark.parametrize("arch,decode", [("llama", "sample"), ("llama", "beam"), ("gpt2", "sample")])
def test_sampling_with_a_shared_prefill_scores_samples_exactly(request, data, arch, decode):
    """Every sample's log-prob (one prefill per state, its cache shared by 8 samples or beams, rows
    split, dropped or reordered along the way) equals a full forward over prompt + sample, end token
    included, for either architecture. Beam search returns 8 distinct sequences, best first."""
    directory = request.getfixturevalue("trained")[0] if arch == "llama" else request.getfixturevalue("trained_gpt2")
    sampler, lp = _sampler(directory, temperature=1.3, decode=decode)
    states = list(dict.fromkeys(p.state for p in data.valid + data.train))[:10]
    rows = sampler.samples(states, 8)
    lengths = set()
    for state, samples in zip(states, rows):
        assert samples
        if decode == "beam":
            assert len(samples) == 8 and len({ids for ids, _ in samples}) == 8
            assert [x for _, x in samples] == sorted((x for _, x in samples), reverse=True)
        for ids, logp in samples:
            assert ids[-1] == lp.tokenizer.eos_token_id and lp.tokenizer.eos_token_id not in ids[:-1]
            lengths.add(len(ids))
            ref = _reference_log_prob(lp, prompt_ids(lp.tokenizer, lp.format, state), ids)
            assert math.isclose(logp, ref, abs_tol=1e-4)
    assert len(lengths) > 1  # rows of one call ended at different steps


@pytest.mark.slow
def test_candidates_are_deduplicated_sorted_tactics(trained, data):
    sampler, lp = _sampler(trained[0])
    states = list(dict.fromkeys(p.state for p in data.valid + data.train))[:12]
    got = sampler.sample(states, 8)
    assert any(len(c) > 1 for c in got)
    rows = sampler.samples(states, 8)
    for cands, samples in zip(got, rows):
        assert [x for _, x in cands] == sorted((x for _, x in cands), reverse=True)
        assert len({t for t, _ in cands}) == len(cands) <= 8
        best = {}
        for ids, logp in samples:
            text = lp.tokenizer.decode(list(ids[:-1]), skip_special_tokens=True).strip()
            if text and "\ufffd" not in text:
                best[text] = max(best.get(text, -math.inf), logp)
        assert dict(cands) == pytest.approx(best)  # duplicates keep their best log-prob


@pytest.mark.slow
def test_candidates_depend_on_seed_and_state_only(trained, data):
    states = list(dict.fromkeys(p.state for p in data.train))[:8]
    pooled, _ = _sampler(trained[0], temperature=1.5, max_new_tokens=10)
    alone, _ = _sampler(trained[0], temperature=1.5, max_new_tokens=10)
    other, _ = _sampler(trained[0], seed=1, temperature=1.5, max_new_tokens=10)
    together = pooled.sample(states, 8)
    one_by_one = [alone.sample([s], 8)[0] for s in reversed(states)][::-1]
    for a, b in zip(together, one_by_one):
        assert [t for t, _ in a] == [t for t, _ in b]
        assert all(math.isclose(x, y, abs_tol=1e-4) for (_, x), (_, y) in zip(a, b))
    assert together == pooled.sample(states, 8)  # same seed, same candidates
    assert other.sample(states, 8) != together


@pytest.mark.slow
def test_samples_share_rows_until_they_differ_and_each_decodes_until_its_own_end(trained, data):
    """A sample is decoded for exactly as many steps as its tactic has tokens (end included), then leaves.
    Samples of a state that drew the same tokens so far share one row: at a low temperature a state's 8
    samples agree, and about one row per state is decoded. Without the shared prefill every sample has
    its own row, and a finished one stays (ignored) only until half the rows have finished."""
    states = list(dict.fromkeys(p.state for p in data.train))[:20]
    stats = {}
    for share, temperature in ((True, 1.3), (False, 1.3), (True, 0.05)):
        sampler, _ = _sampler(trained[0], share_prefill=share, max_new_tokens=24, temperature=temperature)
        rows = sampler.samples(states, 8)
        st = stats[share, temperature] = sampler.stats
        ended = sum(len(r) for r in rows)
        assert st["samples"] == 160 and st["decode_steps"] >= 2
        assert st["live_samples"] == sum(len(ids) for r in rows for ids, _ in r) + 24 * (160 - ended)
        assert st["decode_rows"] <= 2 * st["live_samples"]
    assert stats[True, 1.3]["live_samples"] == stats[False, 1.3]["live_samples"]
    assert stats[False, 1.3]["decode_rows"] >= stats[False, 1.3]["live_samples"]
    assert stats[True, 0.05]["decode_rows"] < 0.25 * stats[True, 0.05]["live_samples"], stats
    assert stats[True, 1.3]["prefill_tokens"] * 8 == stats[False, 1.3]["prefill_tokens"]


@pytest.mark.slow
def test_training_lowers_the_loss_and_learns_tactics(trained):
    out, rec = trained
    hist = rec["train"]["history"]
    assert hist[-1]["loss"] < 0.6 * hist[0]["loss"]
    assert hist[-1]["top1"] > 0.2
    assert rec["train"]["data"]["valid_pairs"] > 0 and rec["format"]["template"] == "state-tactic"


def test_loss_is_on_the_tactic_tokens_only(data):
    from encoder_bridge.policy.tokenizer import fit_tokenizer
    from encoder_bridge.policy.train import build_examples

    tok = fit_tokenizer([t for p in data.train for t in (p.state, p.tactic)], TokenizerConfig(vocab_size=320))
    fmt = PromptFormat()
    ex = build_examples(data.train[:5], tok, fmt, 200)
    for e, p in zip(ex, data.train[:5]):
        target = [x for x in e.labels if x != -100]
        assert target == tactic_ids(tok, fmt, p.tactic) and target[-1] == tok.eos_token_id
        assert e.ids[len(e.ids) - len(target):] == target


@pytest.mark.slow
def test_resume_is_exact_and_refuses_other_settings(data, tmp_path):
    from safetensors.torch import load_file

    from encoder_bridge.policy.train import train_policy

    quiet = dict(progress=False, log=lambda _: None)
    train_policy(data, tmp_path / "straight", TINY, **quiet)
    assert train_policy(data, tmp_path / "split", TINY, stop_after=3, **quiet) == {"stopped_at": 3}
    with pytest.raises(ConfigError, match="another config"):
        train_policy(data, tmp_path / "split", dataclasses.replace(TINY, seed=5), resume=True, **quiet)
    rec = train_policy(data, tmp_path / "split", TINY, resume=True, **quiet)
    a = load_file(tmp_path / "straight" / "model.safetensors")
    b = load_file(tmp_path / "split" / "model.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert rec["train"]["steps"] == json.loads((tmp_path / "straight" / "qedjax_policy.json").read_text())["train"]["steps"]


@pytest.mark.slow
def test_a_prompt_format_mismatch_is_refused(trained):
    from encoder_bridge.policy.sample import LMPolicy

    with pytest.raises(ConfigError, match="state-tactic"):
        LMPolicy(str(trained[0]), template="reprover")
    LMPolicy(str(trained[0]), template="state-tactic")
    rec_path = trained[0] / "qedjax_policy.json"
    rec = json.loads(rec_path.read_text())
    edited = dict(rec, format=dict(rec["format"], text="{state}\n"))
    copy = trained[0].parent / "edited"
    import shutil

    shutil.copytree(trained[0], copy)
    (copy / "qedjax_policy.json").write_text(json.dumps(edited))
    with pytest.raises(DataError, match="another text"):
        LMPolicy(str(copy))


def test_shipped_policy_configs_load_and_document_the_defaults(tmp_path):
    from pathlib import Path

    from encoder_bridge.policy.config import load_policy_config

    root = Path(__file__).resolve().parents[2] / "configs"
    assert load_policy_config(root / "policy.toml") == PolicyConfig()
    lora = load_policy_config(root / "policy_lora.toml")
    assert lora.train.method == "lora" and lora.prompt.template == "reprover"
    bad = tmp_path / "bad_policy.toml"
    bad.write_text("[sample]\ntop_k = 3\n")
    with pytest.raises(ConfigError, match="top_k"):
        load_policy_config(bad)
