"""The contract both Lean backends honour, one module parameterised over ``lean-repl`` and ``leandojo``:

* ids are per process: a restart never lets a state from the dead process reach the new one;
* a timeout or a crash restarts Lean, and a state from before is replayed (same goals as before);
* repeated timeouts fail the theorem with a reason after ``max_restarts``;
* ``sorry`` never counts;
* no Lean process outlives its session.

``lean-repl`` runs lean-interact's real client against the stand-in REPL process; ``leandojo`` runs
the backend against lean-dojo's real classes with the scripted Dojo. Both replay the same real Lean
v4.33 states (the REPL test suite's ``proof_branching`` and ``sorry_hypotheses`` transcripts).

The contract checks are plain functions so that the mutation tests at the bottom can run them against
deliberately broken restart / replay / id handling and see them fail.
"""

from __future__ import annotations

import dataclasses

import pytest

from qedjax.envs.lean_common import Handle, RestartingSession
from qedjax.interfaces import (
    Candidate,
    Failed,
    ProofComplete,
    SessionAborted,
    Success,
    Theorem,
    Timeout,
)
from qedjax.search.config import SearchConfig
from qedjax.search.engine import search_theorem
from tests.envs.lean_standin import VENDORED_TRANSCRIPTS, make_standin, transcript_traces

pytestmark = pytest.mark.lean  # drives the Lean stand-ins
THEOREM = Theorem("complex_and", "theorem complex_and (p q r : Prop) (h1 : p ∧ q) (h2 : q → r) : p ∧ r")
PATH = ("apply And.intro", "exact h1.left", "apply h2", "exact h1.right")
TRACE = transcript_traces(VENDORED_TRANSCRIPTS / "proof_branching")
ROOT_PP = TRACE[0]["state_before"]
PP = [t["state_after"] for t in TRACE]  # after each tactic of PATH; the last is "no goals"
SORRY_THEOREM = Theorem("foo", "theorem foo (x : Int) : x = x")
SORRY_TACTIC = "have h : x = 1 := sorry"  # Lean answers with goals *and* a sorry


@dataclasses.dataclass(frozen=True)
class Fault:
    tactic: str
    action: str  # "hang" | "die"
    process: int | None = None  # only the K-th Lean process started in the test; None = all


class ReplBackend:
    name = "lean-repl"
    tactic_timeout = 2.0  # the stand-in answers in milliseconds; a hang costs this much

    def __init__(self, tmp_path):
        pytest.importorskip("lean_interact")
        self.standin = make_standin(tmp_path)

    def env(self, max_restarts: int = 3, faults: tuple[Fault, ...] = ()):
        from qedjax.envs.lean_repl import LeanREPLEnvironment

        self.standin.set_faults([{"when": "tactic", "match": f.tactic, "action": f.action,
                                  "process": f.process} for f in faults])
        return LeanREPLEnvironment(self.standin.settings(max_restarts=max_restarts,
                                                         tactic_timeout=self.tactic_timeout))

    def started(self) -> int:
        return len(self.standin.started())

    def live(self) -> int:
        return len(self.standin.live())


class DojoBackend:
    name = "leandojo"

    def __init__(self, tmp_path):
        pytest.importorskip("lean_dojo")
        from tests.envs.lean_standin.dojo import DojoWorld

        self.world = DojoWorld()
        self.traces = {THEOREM.name: TRACE,
                       SORRY_THEOREM.name: transcript_traces(VENDORED_TRANSCRIPTS / "sorry_hypotheses")}

    def env(self, max_restarts: int = 3, faults: tuple[Fault, ...] = ()):
        from qedjax.envs.leandojo import LeanDojoEnvironment
        from tests.envs.lean_standin.dojo import ScriptedDojo

        self.world.faults = [(f.tactic, f.action, f.process) for f in faults]
        return LeanDojoEnvironment(timeout=5, max_restarts=max_restarts,
                                   dojo_factory=lambda th: ScriptedDojo(self.traces[th.name], self.world))

    def started(self) -> int:
        return self.world.started

    def live(self) -> int:
        return self.world.live


@pytest.fixture(params=["lean-repl", "leandojo"])
def backend(request, tmp_path):
    return {"lean-repl": ReplBackend, "leandojo": DojoBackend}[request.param](tmp_path)


def state_id(state) -> int:
    """The backend's id of a state (a REPL proof-state number, a LeanDojo TacticState's id)."""
    raw = state.handle.raw
    return getattr(raw, "id", raw)


def walk(session, state, tactics):
    """Apply ``tactics`` in order, asserting each leaves goals; the last state."""
    for tac in tactics:
        r = session.apply(state, tac)
        assert isinstance(r, Success), (tac, r)
        state = r.state
    return state


# -- contract checks (plain functions: the mutation tests run them against broken code) ------------

def check_proof_and_branching(b) -> None:
    s = b.env().start(THEOREM)
    try:
        assert s.initial_state.pp == ROOT_PP and s.initial_state.num_goals == 1
        a1 = s.apply(s.initial_state, PATH[0])
        a2 = s.apply(s.initial_state, PATH[0])  # the same tactic twice from one state: two states
        assert isinstance(a1, Success) and isinstance(a2, Success)
        assert a1.state.pp == a2.state.pp == PP[0] and a1.state.num_goals == 2
        assert state_id(a1.state) != state_id(a2.state)
        last = walk(s, a1.state, PATH[1:3])
        assert last.pp == PP[2]
        assert isinstance(s.apply(last, PATH[3]), ProofComplete)
        assert walk(s, a2.state, PATH[1:2]).pp == PP[1]  # the other branch still works
        assert isinstance(s.apply(a2.state, "exact nonsense_lemma"), Failed)
        assert b.started() == 1
    finally:
        s.close()
    assert b.live() == 0


def check_restart_and_replay_after_timeout(b) -> None:
    s = b.env(faults=(Fault(PATH[2], "hang", process=1),)).start(THEOREM)
    try:
        s2 = walk(s, s.initial_state, PATH[:2])
        assert isinstance(s.apply(s2, PATH[2]), Timeout)
        assert b.started() == 2 and b.live() == 1  # the hung process was replaced
        # use up the new process's first ids with other states, so that a stale id from the dead
        # process would name a *different* state here
        walk(s, s.initial_state, PATH[:1])
        walk(s, s.initial_state, PATH[:1])
        s3 = s.apply(s2, PATH[2])  # s2 was made by the dead process: replayed in the new one
        assert isinstance(s3, Success) and s3.state.pp == PP[2], s3
        assert isinstance(s.apply(s3.state, PATH[3]), ProofComplete)
        assert walk(s, s.initial_state, PATH[:1]).pp == PP[0]
    finally:
        s.close()
    assert b.live() == 0


def check_crash_mid_theorem(b) -> None:
    s = b.env(faults=(Fault(PATH[1], "die", process=1),)).start(THEOREM)
    try:
        s1 = walk(s, s.initial_state, PATH[:1])
        r = s.apply(s1, PATH[1])
        assert isinstance(r, Failed) and "crash" in r.error.lower()
        assert b.started() == 2 and b.live() == 1
        s3 = walk(s, s1, PATH[1:3])  # s1 comes from the dead process
        assert s3.pp == PP[2]
        assert isinstance(s.apply(s3, PATH[3]), ProofComplete)
    finally:
        s.close()
    assert b.live() == 0


def check_repeated_timeouts_fail_with_reason(b) -> None:
    s = b.env(max_restarts=2, faults=(Fault(PATH[2], "hang"),)).start(THEOREM)
    try:
        s2 = walk(s, s.initial_state, PATH[:2])
        assert isinstance(s.apply(s2, PATH[2]), Timeout)
        assert isinstance(s.apply(s2, PATH[2]), Timeout)  # replayed, then hangs again
        with pytest.raises(SessionAborted, match="restarted 2 times"):
            s.apply(s2, PATH[2])
        assert b.live() == 0  # the abort itself ended the process
    finally:
        s.close()
    assert b.started() == 3 and b.live() == 0


# -- the contract, for both backends --------------------------------------------------------------

def test_proof_ids_and_branching(backend):
    check_proof_and_branching(backend)


@pytest.mark.slow
def test_timeout_restarts_and_replays_with_fresh_ids(backend):
    check_restart_and_replay_after_timeout(backend)


@pytest.mark.slow
def test_process_dying_mid_theorem_is_replaced_and_replayed(backend):
    check_crash_mid_theorem(backend)


@pytest.mark.slow
def test_repeated_timeouts_fail_the_theorem_with_a_reason(backend):
    check_repeated_timeouts_fail_with_reason(backend)


@pytest.mark.slow
def test_sorry_never_counts(backend):
    s = backend.env().start(SORRY_THEOREM)
    try:
        r = s.apply(s.initial_state, SORRY_TACTIC)
        assert isinstance(r, Failed) and "sorry" in r.error
    finally:
        s.close()
    assert backend.live() == 0


class _Policy:
    """Junk, `sorry`, a hang and a crash first; then the real tactic of the state."""

    def __init__(self, first):
        self.first = first
        self.by_pp = {t["state_before"]: t["tactic"] for t in TRACE}

    def propose(self, states, n):
        return [[Candidate(t, -0.1) for t in self.first]
                + ([Candidate(self.by_pp[s.pp], -1.0)] if s.pp in self.by_pp else []) for s in states]


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ["best-first", "puct"])
def test_search_through_faults_finds_the_real_proof_and_leaks_nothing(backend, algorithm):
    env = backend.env(faults=(Fault("norm_num", "hang", process=1), Fault("omega", "die", process=2)))
    res = search_theorem(THEOREM, env, _Policy(("sorry", "norm_num", "omega", "exact nonsense")), None,
                         SearchConfig(probe_tactics="none", algorithm=algorithm))
    assert res.proved, res.failure_reason
    assert res.proof == list(PATH)
    assert res.stats.tactic_timeouts == 1 and backend.started() == 3
    assert backend.live() == 0


def test_environment_exposes_lean_probe_tactics(backend):
    from qedjax.envs.lean_common import LEAN_PROBE_TACTICS

    assert backend.env().probe_tactics == LEAN_PROBE_TACTICS and "omega" in LEAN_PROBE_TACTICS


# -- mutations: broken restart / replay / id handling must make the contract checks fail -----------

def _stale_ids(self, handle: Handle):
    return handle.raw  # "reuse the stale state from the dead process"


def _replay_from_root(self, handle: Handle):
    return handle.raw if handle.generation == self.generation else self._known[()]


def _no_restart(self, why: str) -> None:
    return None  # keep the hung / dead process


_orig_boot = RestartingSession._boot


def _generation_frozen(self):
    before = self.generation
    root = _orig_boot(self)
    self.generation = max(before, 1)  # restarts no longer mark old states stale
    return root


MUTATIONS = {
    "stale ids": ("_resolve", _stale_ids),
    "replay ignores the path": ("_resolve", _replay_from_root),
    "no restart": ("_restart", _no_restart),
    "generation not bumped": ("_boot", _generation_frozen),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("check", [check_restart_and_replay_after_timeout, check_crash_mid_theorem],
                         ids=["timeout", "crash"])
@pytest.mark.slow
def test_broken_restart_replay_or_ids_fail_the_contract(backend, monkeypatch, mutation, check):
    attr, broken = MUTATIONS[mutation]
    monkeypatch.setattr(RestartingSession, attr, broken)
    with pytest.raises((AssertionError, SessionAborted)):
        check(backend)  # the same checks pass unbroken: the contract tests above
