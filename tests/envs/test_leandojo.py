"""LeanDojo backend against lean-dojo's *real* result and exception classes, with a scripted
stand-in for the Lean process (Lean cannot run here; ``tests/envs/lean_standin/dojo.py``: state ids
per process, as in LeanDojo). It replays real Lean 4 states from the LeanDojo Benchmark 4 sample
(CC BY 2.0, Yang et al. 2023; see shared/data/lean4/SOURCE.md). The restart/replay/id contract both
Lean backends share is tested in ``test_lean_contract.py``."""

import json
from functools import partial
from pathlib import Path

import pytest

ld = pytest.importorskip("lean_dojo")
pytestmark = pytest.mark.lean  # drives a Lean stand-in

from qedjax.envs.leandojo import LeanDojoEnvironment  # noqa: E402
from qedjax.interfaces import Candidate, Failed, ProofComplete, Success, Timeout  # noqa: E402
from qedjax.search.config import SearchConfig  # noqa: E402
from qedjax.search.engine import search_theorem  # noqa: E402
from qedjax.search.runner import run_search  # noqa: E402
from qedjax.search.theorems import load_theorems  # noqa: E402
from tests.conftest import shared_lean4  # noqa: E402
from tests.envs.lean_standin.dojo import DojoWorld, ScriptedDojo  # noqa: E402


def sample_path() -> Path:
    return shared_lean4() / "leandojo_b4_sample" / "random_test_sample100.json"


def chained_records():
    out = []
    for r in json.loads(sample_path().read_text()):
        tt = r["traced_tactics"]
        if len(tt) >= 3 and tt[-1]["state_after"] == "no goals" and all(
                tt[i]["state_after"] == tt[i + 1]["state_before"] for i in range(len(tt) - 1)):
            out.append(r)
    return out


class TracePolicy:
    """Proposes junk, a timeout, `sorry`, then the traced tactic of the current state."""

    def __init__(self, record, extra=("sorry", "simp_all_wrong")):
        self.by_state = {t["state_before"]: t["tactic"] for t in record["traced_tactics"]}
        self.extra = extra

    def propose(self, states, n):
        return [[Candidate(t, -0.5) for t in self.extra] +
                ([Candidate(self.by_state[s.pp], -1.0)] if s.pp in self.by_state else []) for s in states]


def make_env(records_by_name, world, **kw):
    fail = kw.pop("fail_init", set())
    return LeanDojoEnvironment(timeout=5, dojo_factory=lambda th: ScriptedDojo(
        records_by_name[th.name]["traced_tactics"], world, fail_init=th.name in fail), **kw)


def test_loads_leandojo_benchmark_records():
    ths = load_theorems(sample_path())
    assert len(ths) == 100 and ths[0].extra["file_path"] and "⊢" in ths[0].statement


def test_search_proves_with_real_result_classes_and_rejects_sorry():
    recs = chained_records()[:5]
    by = {r["full_name"]: r for r in recs}
    world = DojoWorld()
    env = make_env(by, world)
    for r in recs:
        th = [t for t in load_theorems(sample_path()) if t.name == r["full_name"]][0]
        res = search_theorem(th, env, TracePolicy(r), None, SearchConfig(probe_tactics="none"))
        assert res.proved, res.failure_reason
        assert res.proof == [t["tactic"] for t in r["traced_tactics"]]  # `sorry` never counted
    assert world.started == 5 and world.live == 0  # one process per theorem, every one exited


def test_result_mapping_timeout_restart_and_replay():
    r = chained_records()[0]
    world = DojoWorld()
    env = make_env({r["full_name"]: r}, world)
    th = [t for t in load_theorems(sample_path()) if t.name == r["full_name"]][0]
    s = env.start(th)
    root = s.initial_state
    assert isinstance(s.apply(root, "sorry"), Failed)
    assert isinstance(s.apply(root, "nonsense"), Failed)
    step1 = s.apply(root, r["traced_tactics"][0]["tactic"])
    assert isinstance(step1, Success) and step1.state.pp == r["traced_tactics"][0]["state_after"]
    started = world.started
    assert isinstance(s.apply(step1.state, "sleep 100000"), Timeout)
    assert world.started == started + 1 and world.live == 1  # poisoned process replaced
    # a state from the old process still works: the path is replayed in the new one
    step2 = s.apply(step1.state, r["traced_tactics"][1]["tactic"])
    assert isinstance(step2, Success) and step2.state.pp == r["traced_tactics"][1]["state_after"]
    assert isinstance(s.apply(step2.state, "crash!"), Failed)
    last = s.apply(step2.state, r["traced_tactics"][2]["tactic"])
    assert isinstance(last, (ProofComplete, Success))
    s.close()
    assert world.live == 0


def test_repeated_timeouts_fail_the_theorem_with_a_reason():
    r = chained_records()[1]
    world = DojoWorld()
    env = make_env({r["full_name"]: r}, world, max_restarts=2)
    th = [t for t in load_theorems(sample_path()) if t.name == r["full_name"]][0]
    res = search_theorem(th, env, TracePolicy(r, extra=("sleep 100000",)), None,
                         SearchConfig(probe_tactics="none"))
    assert not res.proved and "restarted 2 times" in res.failure_reason
    assert world.started == 3 and world.live == 0


def test_init_error_is_recorded_and_the_run_goes_on(tmp_path):
    recs = chained_records()[:3]
    by = {r["full_name"]: r for r in recs}
    ths = [t for t in load_theorems(sample_path()) if t.name in by]
    bad = ths[0].name
    policies = {r["full_name"]: TracePolicy(r) for r in recs}

    class Dispatch:
        def propose(self, states, n):
            out = []
            for s in states:
                for p in policies.values():
                    if s.pp in p.by_state:
                        out.append(p.propose([s], n)[0])
                        break
                else:
                    out.append([])
            return out

    world = DojoWorld()
    factory = partial(_parts, by, bad, Dispatch(), world)
    summary = run_search(ths, factory, SearchConfig(probe_tactics="none"), tmp_path / "t.parquet")
    rows = {r["theorem"]: r for r in summary.rows}
    assert rows[bad]["failure_reason"].startswith("error: DojoInitError")
    assert all(rows[t.name]["proved"] for t in ths if t.name != bad)
    assert world.live == 0


def _parts(by, bad, policy, world):
    return make_env(by, world, fail_init={bad}), policy, None, None
