"""Both Lean stand-ins searched by a tactic LM: a tiny model fine-tuned here on the real proof's
(state, tactic) steps proves the theorem through lean-repl's client and LeanDojo's classes, with the
same engine, sampler and prompt format as on prop, and no Lean process outlives the search."""

from __future__ import annotations

import dataclasses

import pytest

from encoder_bridge.policy.config import ModelConfig, PolicyConfig, SampleConfig, TokenizerConfig, TrainConfig
from encoder_bridge.policy.data import prepare
from qedjax.search.config import SearchConfig
from qedjax.search.engine import search_theorem
from tests.envs.test_lean_contract import PATH, THEOREM, TRACE, backend  # noqa: F401 (fixture)

pytestmark = pytest.mark.lean


@pytest.fixture(scope="module")
def lean_lm(tmp_path_factory):
    from encoder_bridge.policy.train import train_policy

    steps = [{"state": t["state_before"], "tactic": t["tactic"], "theorem": f"step{i}"}
             for i, t in enumerate(TRACE)] * 3
    data = prepare(steps, 0.0, 0)
    cfg = PolicyConfig(model=ModelConfig(hidden_size=32, num_layers=2, num_heads=2, intermediate_size=64),
                       tokenizer=TokenizerConfig(vocab_size=320),
                       train=TrainConfig(steps=120, batch_size=4, lr=1e-2, warmup_steps=5, device="cpu"))
    out = tmp_path_factory.mktemp("lean_lm") / "lm"
    train_policy(data, out, cfg, progress=False, log=lambda _: None)
    return out


@pytest.mark.slow
def test_an_lm_policy_proves_through_both_lean_backends(backend, lean_lm):  # noqa: F811
    from encoder_bridge.policy.sample import LMPolicy

    policy = LMPolicy(str(lean_lm), config=dataclasses.replace(SampleConfig(), temperature=0.7))
    res = search_theorem(THEOREM, backend.env(), policy, None,
                         SearchConfig(probe_tactics="none", num_candidates=4, max_nodes=20))
    assert res.proved, res.failure_reason
    assert res.proof == list(PATH)
    assert res.stats.policy_failures == 0
    assert backend.live() == 0
