"""``--env lean-repl`` against the stand-in REPL process, with lean-interact's own client unchanged.

The stand-in (``tests/envs/lean_standin/``) replays real Lean v4.33 transcripts of the Lean REPL's
test suite (Apache-2.0; the slice in ``tests/data/repl_transcripts`` runs in a clean clone, the full
set from the shared data folder when present). Its ids are per process, as in Lean.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

pytest.importorskip("lean_interact")
pytestmark = pytest.mark.lean  # drives a Lean stand-in

from lean_interact import Command, LeanREPLConfig, LeanServer, ProofStep  # noqa: E402
from lean_interact.interface import LeanError  # noqa: E402

from qedjax.envs.lean_common import LeanStartError  # noqa: E402
from qedjax.envs.lean_repl import LeanREPLEnvironment, LeanREPLSession  # noqa: E402
from qedjax.envs.lean_text import ReplInput  # noqa: E402
from qedjax.interfaces import (  # noqa: E402
    Candidate,
    Failed,
    ProofComplete,
    SessionAborted,
    Success,
    Theorem,
    Timeout,
)
from qedjax.search.config import SearchConfig  # noqa: E402
from qedjax.search.runner import run_search  # noqa: E402
from tests.conftest import shared_lean4  # noqa: E402
from tests.envs.lean_standin import (  # noqa: E402
    VENDORED_TRANSCRIPTS,
    make_standin,
    read_transcript,
)

T = VENDORED_TRANSCRIPTS


@pytest.fixture
def standin(tmp_path):
    s = make_standin(tmp_path)
    yield s
    assert s.live() == [], "a stand-in REPL process outlived its test"


def env_of(standin, **kw) -> LeanREPLEnvironment:
    return LeanREPLEnvironment(standin.settings(**kw))


def session(env, command: str, header: str = "") -> LeanREPLSession:
    """A session on any recorded command (``def f : Nat := by sorry`` too, which ``start`` refuses)."""
    return LeanREPLSession(Theorem("t", command), ReplInput(header, command), env)


def replay_exactly(standin, transcripts: Path) -> tuple[int, list[str]]:
    """Feed every transcript's requests to a fresh stand-in process through lean-interact's
    ``LeanServer``; (transcripts replayed, names whose replies differ from the recording)."""
    cfg = LeanREPLConfig(local_repl_path=standin.repl_dir, build_repl=False, lake_path=standin.lake)
    done, differ = 0, []
    for inp in sorted(transcripts.rglob("*.in")):
        stem = Path(str(inp)[: -len(".in")])
        if not Path(f"{stem}.expected.out").is_file():
            continue
        try:
            pairs = read_transcript(stem)
        except (AssertionError, ValueError):
            continue
        if not all("cmd" in q or "tactic" in q for q, _ in pairs):
            continue  # pickling and file commands are not replayed
        server = LeanServer(cfg)
        try:
            if any(server.run_dict(q, timeout=20) != r for q, r in pairs):
                differ.append(stem.name)
        finally:
            server.kill()
        done += 1
    return done, differ


@pytest.mark.slow
def test_standin_replays_the_vendored_transcripts_exactly_ids_included(standin):
    done, differ = replay_exactly(standin, T)
    assert done >= 16 and differ == []  # every vendored pair (the prop tests vendored a few more)


@pytest.mark.slow  # ~75 s over every shared transcript: the full suite runs it, the quick loop does not
def test_standin_replays_every_shared_transcript_exactly(tmp_path):
    full = shared_lean4() / "repl_transcripts" / "test"
    standin = make_standin(tmp_path, transcripts=[full])
    done, differ = replay_exactly(standin, full)
    assert done >= 50 and differ == []
    assert standin.live() == []


@pytest.mark.slow
def test_ids_are_per_process_like_lean(standin):
    cfg = LeanREPLConfig(local_repl_path=standin.repl_dir, build_repl=False, lake_path=standin.lake)
    first = LeanServer(cfg)
    r = first.run(Command(cmd="def f : Nat := by sorry"))
    assert r.sorries[0].proof_state == 0
    assert first.run(ProofStep(proof_state=0, tactic="apply Int.natAbs")).proof_state == 1
    assert first.run(ProofStep(proof_state=0, tactic="have t : Nat := 42")).proof_state == 2
    first.kill()
    second = LeanServer(cfg)
    try:
        second.run(Command(cmd="def f : Nat := by sorry"))
        stale = second.run(ProofStep(proof_state=2, tactic="exact t"))  # id 2 died with `first`
        assert isinstance(stale, LeanError) and stale.message == "Unknown proof state."
        assert second.run(ProofStep(proof_state=0, tactic="have t : Nat := 42")).proof_state == 1
        assert isinstance(second.run(Command(cmd="def f : Nat := by sorry", env=7)), LeanError)
    finally:
        second.kill()


def test_header_then_statement_and_a_multi_goal_reply(standin):
    env = env_of(standin)
    s = env.start(Theorem("foo", "theorem foo (x : Nat) : x = x", extra={"header": "import Mathlib"}))
    try:
        assert s.initial_state.pp == "x : ℕ\n⊢ x = x"
        r = s.apply(s.initial_state, "induction x")
        assert isinstance(r, Success) and r.state.num_goals == 2
        goals = read_transcript(T / "Mathlib" / "induction")[2][1]["goals"]
        assert r.state.pp == "\n\n".join(goals) and r.state.pp.count("⊢") == 2
        one = s.apply(r.state, "next => rfl")
        assert isinstance(one, Success) and one.state.num_goals == 1 and one.state.pp == goals[1]
    finally:
        s.close()


@pytest.mark.slow
def test_errors_carry_leans_text_and_position(standin):
    env = env_of(standin)
    s = env.start(Theorem("my", "theorem my_theorem (x : Nat) : x = x := by\n  rfl"))  # proof replaced
    try:
        r = s.apply(s.initial_state, "exact my_fake_premise")
        assert r == Failed("0:0: error: Unknown identifier `my_fake_premise`")
    finally:
        s.close()
    s = session(env, "def f : Nat := by sorry")
    try:
        r = s.apply(s.initial_state, "exat 42")  # a parse error: the REPL's own message
        assert r == Failed("Lean error:\n<input>:1:1: unknown tactic")
    finally:
        s.close()
    s = env.start(Theorem("test", "theorem test : 3 = 7", extra={"header": "import Mathlib"}))
    try:
        r = s.apply(s.initial_state, "exact?")
        assert isinstance(r, Failed) and "could not close the goal" in r.error
    finally:
        s.close()


def test_a_statement_that_does_not_elaborate_fails_the_start_and_leaks_nothing(standin):
    env = env_of(standin)
    with pytest.raises(LeanStartError, match=r"1:15: error: unsolved goals"):
        session(env, "def f : Nat := by apply Nat.succ")
    with pytest.raises(LeanStartError, match="goal state"):  # refused before any process starts
        env.start(Theorem("g", "x : ℕ\n⊢ x = x"))
    assert len(standin.started()) == 1 and standin.live() == []


def test_branching_two_tactics_from_one_state(standin):
    s = session(env_of(standin), "def f : Nat := by sorry")
    try:
        a = s.apply(s.initial_state, "apply Int.natAbs")
        b = s.apply(s.initial_state, "have t : Nat := 42")
        assert isinstance(a, Success) and a.state.pp == "⊢ Int"
        assert isinstance(b, Success) and b.state.pp == "t : Nat\n⊢ Nat"
        assert a.state.handle.raw != b.state.handle.raw
        assert isinstance(s.apply(b.state, "exact t"), ProofComplete)
        assert isinstance(s.apply(a.state, "exact t"), Failed)  # no `t` on that branch
    finally:
        s.close()


@pytest.mark.parametrize("header,command,tactic", [
    ("", "def f : Nat := by sorry", "sorry"),  # goals [] but "Incomplete: contains sorry"
    ("", "theorem foo (x : Int) : x = x := by sorry", "have h : x = 1 := sorry"),
    ("", "theorem foo (x : Int) : x = x := by sorry", "have h : x = 1 := by sorry"),
    ("import Mathlib", "theorem foo (x : Nat) : x = x := by sorry",
     "induction x with\n| zero => sorry\n| succ x => sorry"),
    ("import Mathlib\nopen Real", "example {x : ℝ} (h0: |x| > 1) : (x < 0) ∨ (2 * x > 2) := by sorry",
     "on_goal 1 =>\n  have h1 : x = x := by sorry\n  have h2 : x = x := by sorry\n  by_cases h3 : x < 0"),
])
@pytest.mark.slow
def test_sorry_never_counts(standin, header, command, tactic):
    s = session(env_of(standin), command, header)
    try:
        r = s.apply(s.initial_state, tactic)
        assert isinstance(r, Failed) and "sorry" in r.error, r
    finally:
        s.close()


def test_sorry_and_an_error_report_the_error(standin):
    s = session(env_of(standin), "example : False := by sorry")
    try:
        r = s.apply(s.initial_state, "simpa using show False by done")
        assert r == Failed("0:0: error: unsolved goals\n⊢ False")
    finally:
        s.close()


@pytest.mark.slow
def test_the_lean_sleep_tactic_times_out_and_the_session_goes_on(standin):
    s = env_of(standin, tactic_timeout=1.0).start(
        Theorem("c", "theorem complex_and (p q r : Prop) (h1 : p ∧ q) (h2 : q → r) : p ∧ r"))
    try:
        r = s.apply(s.initial_state, "sleep 100000")
        assert isinstance(r, Timeout) and s.restarts == 1 and len(standin.live()) == 1
        assert isinstance(s.apply(s.initial_state, "apply And.intro"), Success)
    finally:
        s.close()


@pytest.mark.slow
def test_garbled_reply_is_a_crash_restart_and_replay(standin):
    standin.set_faults([{"when": "tactic", "match": "exact h1.left", "action": "garbage", "process": 1}])
    s = env_of(standin).start(Theorem("c", "theorem complex_and (p q r : Prop) (h1 : p ∧ q) (h2 : q → r) : p ∧ r"))
    try:
        one = s.apply(s.initial_state, "apply And.intro")
        r = s.apply(one.state, "exact h1.left")
        assert isinstance(r, Failed) and r.error.startswith("Lean crashed")
        assert len(standin.started()) == 2 and len(standin.live()) == 1
        assert isinstance(s.apply(one.state, "exact h1.left"), Success)
    finally:
        s.close()


@pytest.mark.slow
def test_hang_while_opening_the_theorem_restarts(standin):
    cmd = "theorem complex_and (p q r : Prop) (h1 : p ∧ q) (h2 : q → r) : p ∧ r := by sorry"
    standin.set_faults([{"when": "cmd", "match": cmd, "action": "hang", "process": 1}])
    s = env_of(standin, command_timeout=1.5).start(Theorem("c", cmd))
    try:
        assert s.restarts == 1 and len(standin.started()) == 2
        assert isinstance(s.apply(s.initial_state, "apply And.intro"), Success)
    finally:
        s.close()


@pytest.mark.slow
def test_lean_dying_whenever_it_opens_the_theorem_fails_it_with_a_reason(standin):
    standin.set_faults([{"when": "cmd", "match": "import Mathlib", "action": "die"}])
    env = env_of(standin, max_restarts=1)
    with pytest.raises(SessionAborted, match="crashed while opening.*restarted 1 times"):
        env.start(Theorem("foo", "theorem foo (x : Nat) : x = x", extra={"header": "import Mathlib"}))
    assert len(standin.started()) == 2 and standin.live() == []


def test_close_is_idempotent(standin):
    s = session(env_of(standin), "def f : Nat := by sorry")
    s.close()
    s.close()
    assert standin.live() == []


class _Trace:
    def propose(self, states, n):
        steps = {"p q r : Prop\nh1 : p ∧ q\nh2 : q → r\n⊢ p ∧ r": "apply And.intro"}
        return [[Candidate("sorry", -0.1)] + ([Candidate(steps[s.pp], -1.0)] if s.pp in steps else [])
                for s in states]


def _parts(settings):
    return LeanREPLEnvironment(settings), _Trace(), None, None


def test_runner_records_a_theorem_lean_refuses_and_goes_on(standin, tmp_path):
    ths = [Theorem("bad", "x : ℕ\n⊢ x = x"),
           Theorem("complex_and", "theorem complex_and (p q r : Prop) (h1 : p ∧ q) (h2 : q → r) : p ∧ r")]
    summary = run_search(ths, functools.partial(_parts, standin.settings()),
                         SearchConfig(probe_tactics="none", max_nodes=3), tmp_path / "t.parquet")
    rows = {r["theorem"]: r for r in summary.rows}
    assert rows["bad"]["failure_reason"].startswith("error: LeanStartError: cannot send bad to Lean")
    assert rows["complex_and"]["nodes_expanded"] >= 2 and not rows["complex_and"]["proved"]


def test_environment_from_config_file(tmp_path):
    cfg = tmp_path / "lean.toml"
    cfg.write_text('[lean_repl]\nproject_dir = "proj"\ntactic_timeout = 5.0\n')
    env = LeanREPLEnvironment.from_config(cfg, max_restarts=7)
    assert env.settings.project_dir == str(tmp_path / "proj") and env.settings.tactic_timeout == 5.0
    assert env.settings.max_restarts == 7
    from qedjax.errors import ConfigError

    cfg.write_text('[lean_repl]\ntactic_timout = 5.0\n')
    with pytest.raises(ConfigError, match="unknown key 'tactic_timout'"):
        LeanREPLEnvironment.from_config(cfg)
    with pytest.raises(ConfigError, match="timeouts must be > 0"):
        LeanREPLEnvironment.from_config(None, tactic_timeout=0.0)
