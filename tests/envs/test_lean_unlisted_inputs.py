"""Lean inputs nobody listed: odd LeanDojo records, statements with ``open … in``, char literals and
``let``, configs at their limits, and REPL replies a real REPL can send but the recordings lack.

Nothing here runs a live Lean. The dry-run cases check the exact text that would be sent to Lean;
the REPL cases drive lean-interact's real client against the stand-in REPL process
(``tests/envs/lean_standin/``), which replays recorded Lean transcripts and, for these tests,
injects replies a real REPL could produce. What a live Lean would answer to the texts built here
is reasoned from Lean's grammar, not observed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qedjax.app.dryrun import dry_run
from qedjax.envs.lean_config import LeanREPLSettings
from qedjax.interfaces import Theorem
from qedjax.search.theorems import load_theorems
from tests.reliability.conftest import assert_no_traceback, qed_run

B4 = {"url": "https://github.com/leanprover-community/mathlib4", "commit": "abc", "end": [3, 3],
      "traced_tactics": []}


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    (project / "Mathlib").mkdir(parents=True)
    (project / "lean-toolchain").write_text("leanprover/lean4:v4.24.0\n")
    (project / "lakefile.toml").write_text('name = "p"\n')
    (project / "Mathlib" / "A.lean").write_text("import Mathlib.Tactic\n\ntheorem a (n : Nat) : n + 0 = n := by\n"
                                                "  simp\n")
    (project / "Mathlib" / "Latin1.lean").write_bytes(b"theorem l : True := trivial -- caf\xe9\n")
    (tmp_path / "outside.lean").write_text("theorem secret : True := trivial\n")
    return project


@pytest.mark.parametrize("fields,reason", [
    ({"file_path": "Mathlib/A.lean", "start": [3]}, "'start' must be [line, column]"),
    ({"file_path": "Mathlib/A.lean", "start": "3,1"}, "'start' must be [line, column]"),
    ({"file_path": "Mathlib/A.lean", "start": None}, "'start' must be [line, column]"),
    ({"file_path": "Mathlib/A.lean", "start": [3.5, 1]}, "'start' must be [line, column]"),
    ({"file_path": None, "start": [1, 1]}, "'file_path' must be a non-empty path"),
    ({"file_path": 7, "start": [1, 1]}, "'file_path' must be a non-empty path"),
    ({"file_path": "../outside.lean", "start": [1, 1]}, "is not inside the Lean project"),
    ({"file_path": "Mathlib/../../outside.lean", "start": [1, 1]}, "is not inside the Lean project"),
    ({"file_path": "Mathlib/Latin1.lean", "start": [1, 1]}, "not UTF-8"),
])
def test_odd_leandojo_records_are_counted_with_a_reason_not_a_traceback(tmp_path, fields, reason):
    """A LeanDojo Benchmark 4 record whose ``start`` is malformed, whose ``file_path`` is not a string,
    points outside the Lean project, or names a non-UTF-8 file: the dry run (and a search) counts it
    as not sendable with the reason, and never reads a file outside the project."""
    project = _project(tmp_path)
    ok = dict(B4, file_path="Mathlib/A.lean", full_name="a", start=[3, 1])
    odd = dict(B4, full_name="odd", **fields)
    (tmp_path / "b4.json").write_text(json.dumps([ok, odd]))
    d = dry_run(load_theorems(tmp_path / "b4.json"), "lean-repl", LeanREPLSettings(project_dir=str(project)))
    assert d.rows[0].requests == [{"cmd": "import Mathlib.Tactic"},
                                  {"cmd": "theorem a (n : Nat) : n + 0 = n := by sorry", "env": "<header>"}]
    assert d.rows[1].requests is None and reason in d.rows[1].reason, d.rows[1]


def test_absolute_file_path_is_refused_even_when_the_file_exists(tmp_path):
    """``file_path`` is relative to the project in LeanDojo Benchmark 4; an absolute one would make
    the REPL open a file outside the project (here one that really holds a theorem)."""
    project = _project(tmp_path)
    rec = dict(B4, file_path=str(tmp_path / "outside.lean"), full_name="secret", start=[1, 1])
    (tmp_path / "b4.json").write_text(json.dumps([rec]))
    row = dry_run(load_theorems(tmp_path / "b4.json"), "lean-repl",
                  LeanREPLSettings(project_dir=str(project))).rows[0]
    assert row.requests is None and "is not inside the Lean project" in row.reason


def test_cli_dry_run_over_odd_leandojo_records_ends_normally(tmp_path):
    """The dry run counts the odd record (exit 1: some cannot be sent) instead of a traceback."""
    project = _project(tmp_path)
    recs = [dict(B4, file_path="Mathlib/A.lean", full_name="a", start=[3, 1]),
            dict(B4, file_path="Mathlib/A.lean", full_name="b", start=[3])]
    (tmp_path / "b4.json").write_text(json.dumps(recs))
    (tmp_path / "lean.toml").write_text(f'[lean_repl]\nproject_dir = "{project.name}"\n')
    r = qed_run("search", "--env", "lean-repl", "--lean-config", tmp_path / "lean.toml",
                "--theorems", tmp_path / "b4.json", "--dry-run")
    assert_no_traceback(r)
    assert r.code == 1 and "1/2 theorems can be sent" in r.out and "'start' must be" in r.out, r.text


LEAN_FILE_WITH_IN = """import Mathlib
namespace A

set_option maxHeartbeats 400000 in
theorem t1 (n : Nat) : 0 + n = n := by
  simp

open Nat in
lemma t2 : succ 0 = 1 := rfl

theorem t3 : 2 = 2 := rfl

end A
"""


def test_open_in_and_set_option_in_stay_with_their_declaration_in_a_lean_file(tmp_path):
    """``set_option … in`` / ``open … in`` scope one declaration (Lean's ``in`` combinator). They were
    left at the end of the header of every later theorem, so the header ended in a dangling ``in``
    (which Lean cannot parse) and the statement lost its option or namespace."""
    (tmp_path / "s.lean").write_text(LEAN_FILE_WITH_IN)
    d = dry_run(load_theorems(tmp_path / "s.lean"), "lean-repl")
    assert [r.name for r in d.rows] == ["A.t1", "A.t2", "A.t3"]
    header = {"cmd": "import Mathlib\nnamespace A"}
    assert d.rows[0].requests == [header, {"cmd": "set_option maxHeartbeats 400000 in\ntheorem t1 (n : Nat) : "
                                                  "0 + n = n := by sorry", "env": "<header>"}]
    assert d.rows[1].requests == [header, {"cmd": "open Nat in\nlemma t2 : succ 0 = 1 := by sorry",
                                           "env": "<header>"}]
    assert d.rows[2].requests[0] == header  # nothing of t1's or t2's scoped prefixes leaks here
    assert d.rows[2].requests[1]["cmd"] == "theorem t3 : 2 = 2 := by sorry"


@pytest.mark.parametrize("first", ["variable (x : Nat) -- nonzero in",
                                   "variable (x : Nat) /- nonzero in -/",
                                   'set_option trace.Meta.debug "a in -- b"'])
def test_an_in_inside_a_comment_or_string_is_not_an_in_prefix(tmp_path, first):
    """Only an ``in`` that is code makes ``variable … in`` a prefix of the next declaration. A line
    comment ending in the word "in" (or a string holding " in -- ...") was taken for one: the
    ``variable`` line was glued to the first theorem and every theorem's header was empty, so later
    theorems were sent without their variables."""
    (tmp_path / "v.lean").write_text(f"{first}\ntheorem a : x = x := rfl\ntheorem b : x = x := rfl\n")
    d = dry_run(load_theorems(tmp_path / "v.lean"), "lean-repl")
    for row, name in zip(d.rows, ["a", "b"], strict=True):
        assert row.requests == [{"cmd": first},
                                {"cmd": f"theorem {name} : x = x := by sorry", "env": "<header>"}]


@pytest.mark.parametrize("line", ['set_option trace.Meta.debug "a in b" in', "open Nat /- in -/ in -- in"])
def test_a_code_in_after_an_in_in_a_string_or_comment_is_still_a_prefix(tmp_path, line):
    """The ``in`` that makes the prefix is the first one that is code, not the first on the line."""
    (tmp_path / "s.lean").write_text(f"import Mathlib\n{line}\ntheorem a : 1 = 1 := rfl\n")
    d = dry_run(load_theorems(tmp_path / "s.lean"), "lean-repl")
    assert d.rows[0].requests == [{"cmd": "import Mathlib"},
                                  {"cmd": f"{line}\ntheorem a : 1 = 1 := by sorry", "env": "<header>"}]


def test_set_option_in_before_a_leandojo_declaration(tmp_path):
    """LeanDojo's ``start`` points at the ``theorem`` keyword; a ``set_option … in`` line above it
    belongs to the declaration, not to the header."""
    project = _project(tmp_path)
    (project / "Mathlib" / "S.lean").write_text(LEAN_FILE_WITH_IN)
    recs = [dict(B4, file_path="Mathlib/S.lean", full_name="A.t1", start=[5, 1]),
            dict(B4, file_path="Mathlib/S.lean", full_name="A.t2", start=[9, 1])]
    (tmp_path / "b4.json").write_text(json.dumps(recs))
    d = dry_run(load_theorems(tmp_path / "b4.json"), "lean-repl", LeanREPLSettings(project_dir=str(project)))
    assert d.rows[0].requests == [{"cmd": "import Mathlib\nnamespace A"},
                                  {"cmd": "set_option maxHeartbeats 400000 in\ntheorem t1 (n : Nat) : 0 + n = n"
                                          " := by sorry", "env": "<header>"}]
    h, c = d.rows[1].requests
    assert not h["cmd"].rstrip().endswith(" in") and c["cmd"].startswith("open Nat in\nlemma t2")


@pytest.mark.parametrize("stmt", ["open Real in\ntheorem a : Real.pi > 0 := by positivity",
                                  "open Real in theorem a : π > 0 := by positivity",
                                  "set_option maxRecDepth 10000 in\ntheorem a : 1 = 1 := by rfl"])
def test_minif2f_statement_with_an_in_prefix_is_sent_whole(stmt):
    t = Theorem("a", stmt, extra={"name": "a", "formal_statement": stmt, "header": "import Mathlib"})
    row = dry_run([t], "lean-repl").rows[0]
    assert row.requests is not None, row.reason
    assert row.requests[1]["cmd"] == stmt.rsplit(" := ", 1)[0] + " := by sorry"


@pytest.mark.parametrize("stmt,sent", [
    ("theorem a : ('\"'.toNat = 34) ∧ (\"x\".length = 1) := by decide",
     "theorem a : ('\"'.toNat = 34) ∧ (\"x\".length = 1) := by sorry"),
    ("theorem a : '(' ≠ '[' := by decide", "theorem a : '(' ≠ '[' := by sorry"),
    ("theorem a (h' : 'a' = 'a') (h'' : True) : '\\'' = '\\'' := rfl",
     "theorem a (h' : 'a' = 'a') (h'' : True) : '\\'' = '\\'' := by sorry"),
])
def test_char_literals_are_not_strings_or_brackets(stmt, sent):
    """A char literal ``'\"'`` opened a string (the proof's ``:=`` was then missed and the text sent
    was ``… := by decide := by sorry``); ``'('`` counted as an open bracket."""
    t = Theorem("a", stmt, extra={"name": "a", "formal_statement": stmt, "header": ""})
    assert dry_run([t], "lean-repl").rows[0].requests == [{"cmd": sent}]


@pytest.mark.parametrize("stmt,sent", [
    ("theorem a : let x := 1; x = 1 := by intro x; rfl", "theorem a : let x := 1; x = 1 := by sorry"),
    ("theorem a : have h : 1 = 1 := rfl; True := trivial",
     "theorem a : have h : 1 = 1 := rfl; True := by sorry"),
    ("theorem a (x : Nat) : x = x := by\n  let y := 2\n  rfl", "theorem a (x : Nat) : x = x := by sorry"),
    ("theorem let_x (hlet : True) : True := trivial", "theorem let_x (hlet : True) : True := by sorry"),
])
def test_a_let_or_have_in_the_statement_owns_its_own_assign(stmt, sent):
    """``let x := v; body`` in a statement's type: its ``:=`` is not the proof's (the text sent was
    ``theorem a : let x := by sorry``)."""
    t = Theorem("a", stmt, extra={"name": "a", "formal_statement": stmt, "header": ""})
    assert dry_run([t], "lean-repl").rows[0].requests == [{"cmd": sent}]


@pytest.mark.parametrize("table,key", [("lean_repl", "command_timeout = 1e12"),
                                       ("lean_repl", "tactic_timeout = 5e10"),
                                       ("leandojo", "timeout = 100000000000")])
def test_a_timeout_too_large_to_wait_for_is_refused_up_front(tmp_path, table, key):
    """Past ~9.2e9 s lean-interact's wait (a thread join) overflows: OverflowError at the first
    request, for every theorem. The config is now refused when loaded, with the search config's bound
    (1e9 s), for both backends."""
    from tests.reliability.conftest import assert_refused

    cfg = tmp_path / "lean.toml"
    cfg.write_text(f"[{table}]\n{key}\n")
    assert_refused(qed_run("lean", "doctor", "--config", cfg), "at most 1e+09 seconds")


@pytest.mark.parametrize("toolchain", ["leanprover/lean4:stable", "leanprover/lean4-nightly:nightly-2025-01-01",
                                       "", "\ufeffleanprover/lean4:v4.24.0",
                                       "leanprover/lean4:v4.24.0\udcff"])  # a byte that is not UTF-8
def test_doctor_flags_a_project_toolchain_that_is_not_a_release(tmp_path, toolchain):
    """lean-interact's REPL is tagged per Lean release (``<rev>_lean-toolchain-vX.Y.Z``); an unpinned,
    nightly, empty or BOM-prefixed ``lean-toolchain`` passed the project check, and one that is not
    UTF-8 stopped the doctor with an error that named no file (no live elan here)."""
    from qedjax.envs.lean_doctor import diagnose

    project = _project(tmp_path)
    (project / "lean-toolchain").write_bytes(toolchain.encode("utf-8", errors="surrogateescape") + b"\n")
    checks = {c.name: c for c in diagnose(LeanREPLSettings(project_dir=str(project)), which=lambda n: None)}
    assert not checks["Lean project"].ok and "not a Lean release" in checks["Lean project"].detail
    (project / "lean-toolchain").write_text("leanprover/lean4:v4.24.0-rc1\n")
    assert {c.name: c for c in diagnose(LeanREPLSettings(project_dir=str(project)),
                                        which=lambda n: None)}["Lean project"].ok


def test_doctor_names_a_project_dir_that_is_a_file_and_a_repl_path_that_is_missing(tmp_path):
    from qedjax.envs.lean_doctor import diagnose

    (tmp_path / "afile").write_text("")
    checks = {c.name: c for c in diagnose(LeanREPLSettings(project_dir=str(tmp_path / "afile")),
                                          which=lambda n: None)}
    assert "is a file, not a Lake project folder" in checks["Lean project"].detail
    project = _project(tmp_path)
    s = LeanREPLSettings(project_dir=str(project), repl_path=str(tmp_path / "no_repl"))
    repl = {c.name: c for c in diagnose(s, which=lambda n: None)}["REPL build"]
    assert not repl.ok and "is not a folder" in repl.detail and repl.fix.startswith("git clone")


# -- replies a real REPL can send that no recording holds (stand-in REPL, not a live Lean) ----------

@pytest.fixture
def standin(tmp_path):
    pytest.importorskip("lean_interact")
    from tests.envs.lean_standin import make_standin

    s = make_standin(tmp_path)
    yield s
    assert s.live() == [], "a stand-in REPL process outlived its test"


def _open(standin, **kw):
    """``def f : Nat := by sorry`` in the stand-in (recorded: ``have t : Nat := 42`` then ``exact t``
    completes the proof)."""
    from qedjax.envs.lean_repl import LeanREPLEnvironment, LeanREPLSession
    from qedjax.envs.lean_text import ReplInput

    env = LeanREPLEnvironment(standin.settings(**kw))
    s = LeanREPLSession(Theorem("f", "def f : Nat := by sorry"), ReplInput("", "def f : Nat := by sorry"), env)
    have = s.apply(s.initial_state, "have t : Nat := 42")
    return s, have.state


def _msg(severity, data, line=1):
    return {"severity": severity, "pos": {"line": line, "column": 0}, "endPos": None, "data": data}


@pytest.mark.lean
@pytest.mark.parametrize("reply", [
    {"proofStatus": "Completed", "proofState": 9, "goals": [],
     "messages": [_msg("warning", "declaration uses `sorry`")]},
    {"proofStatus": "Completed", "proofState": 9, "goals": [],
     "messages": [_msg("warning", "declaration uses 'sorry'")]},
])
def test_a_completed_reply_that_warns_of_a_sorry_is_not_a_proof(standin, reply):
    """The REPL reports "Completed" but Lean's own warning says the proof uses ``sorry`` (wording of
    Lean before and after v4.20); it was counted as a proof."""
    from qedjax.interfaces import Failed

    standin.set_faults([{"when": "tactic", "match": "exact t", "action": "reply", "reply": reply}])
    s, st = _open(standin)
    try:
        r = s.apply(st, "exact t")
        assert isinstance(r, Failed) and "sorry" in r.error, r
    finally:
        s.close()


@pytest.mark.lean
def test_a_completed_reply_with_an_error_on_a_later_line_is_not_a_proof(standin):
    from qedjax.interfaces import Failed

    reply = {"proofStatus": "Completed", "proofState": 9, "goals": [],
             "messages": [_msg("info", "Try this: exact t"), _msg("error", "unknown constant 'x'", line=7)]}
    standin.set_faults([{"when": "tactic", "match": "exact t", "action": "reply", "reply": reply}])
    s, st = _open(standin)
    try:
        assert s.apply(st, "exact t") == Failed("7:0: error: unknown constant 'x'")
    finally:
        s.close()


@pytest.mark.lean
@pytest.mark.parametrize("reply", [
    {"proofStatus": "Completed", "proofState": 9, "goals": [], "messages": [_msg("fatal", "?")]},
    {"proofStatus": "Incomplete: open goals remain", "goals": ["⊢ Nat"]},  # no proofState
    {"env": 4, "messages": []},  # a command's reply to a tactic
])
def test_a_reply_of_the_wrong_shape_is_a_crash_the_session_restarts_and_goes_on(standin, reply):
    """A severity Lean does not have, a tactic reply without its ``proofState``, a command's reply to a
    tactic: never a proof; the process is replaced (its ids and its pipe are no longer trusted) and
    the same state is usable again through replay."""
    from qedjax.interfaces import Failed, ProofComplete

    standin.set_faults([{"when": "tactic", "match": "exact t", "action": "reply", "reply": reply,
                         "process": 1}])
    s, st = _open(standin)
    try:
        r = s.apply(st, "exact t")
        assert isinstance(r, Failed) and r.error.startswith("Lean crashed"), r
        assert s.restarts == 1 and len(standin.started()) == 2
        assert isinstance(s.apply(st, "exact t"), ProofComplete)  # replayed in process 2
    finally:
        s.close()


@pytest.mark.lean
def test_stdout_noise_before_a_reply_is_a_crash_not_a_misread_reply(standin):
    from qedjax.interfaces import Failed, ProofComplete

    standin.set_faults([{"when": "tactic", "match": "exact t", "action": "prefix", "process": 1,
                         "text": "warning: stale lake manifest\n\n"}])
    s, st = _open(standin)
    try:
        r = s.apply(st, "exact t")
        assert isinstance(r, Failed) and "Lean crashed" in r.error and s.restarts == 1
        assert isinstance(s.apply(st, "exact t"), ProofComplete)
    finally:
        s.close()


@pytest.mark.parametrize("message", ["declaration uses 'sorry'", "declaration uses `sorry`"])
def test_leandojo_proof_finished_with_a_sorry_warning_is_not_a_proof(message):
    """LeanDojo reports ``ProofFinished`` with Lean's messages; one that says the declaration uses
    ``sorry`` was counted as a proof (a scripted Dojo with lean-dojo's real classes, not a live one)."""
    ld = pytest.importorskip("lean_dojo")
    from qedjax.envs.leandojo import LeanDojoSession
    from qedjax.interfaces import Failed, ProofComplete

    class _Dojo:
        def __enter__(self):
            return self, ld.TacticState("⊢ True", 0)

        def __exit__(self, *exc):
            pass

        def run_tac(self, state, tactic):
            return ld.ProofFinished(1, message if tactic == "exact sorryAx True" else None)

    s = LeanDojoSession(Theorem("t", "⊢ True"), 5, 1, dojo_factory=_Dojo)
    try:
        r = s.apply(s.initial_state, "exact sorryAx True")
        assert isinstance(r, Failed) and "sorry" in r.error
        assert isinstance(s.apply(s.initial_state, "trivial"), ProofComplete)
    finally:
        s.close()


class _OneTactic:
    def propose(self, states, n):
        from qedjax.interfaces import Candidate

        return [[Candidate("apply And.intro", -1.0)] for _ in states]


COMPLEX_AND = "theorem complex_and (p q r : Prop) (h1 : p ∧ q) (h2 : q → r) : p ∧ r"


@pytest.mark.lean
@pytest.mark.parametrize("broken", ["repl_path", "project_dir"])
def test_a_repl_that_cannot_be_set_up_stops_the_run_instead_of_failing_every_theorem(standin, tmp_path,
                                                                                     broken):
    """A REPL build or Lean project that is not there fails every theorem the same way: the run now
    stops with that one error (a ConfigError: one ``error:`` line and exit 2 on the command line)
    instead of recording each theorem as finished with it, which ``--resume`` would then skip after
    the setup is fixed. What a rerun needs is intact: the first run finished nothing, so nothing
    blocks it, and the fixed run proves what it can."""
    import functools

    from qedjax.envs.lean_repl import LeanREPLEnvironment
    from qedjax.errors import ConfigError
    from qedjax.search.config import SearchConfig
    from qedjax.search.runner import run_search

    def parts(settings):
        return LeanREPLEnvironment(settings), _OneTactic(), None, None

    ths = [Theorem("a", COMPLEX_AND)]
    bad = standin.settings(**{broken: str(tmp_path / "missing")})
    out = tmp_path / "run.parquet"
    cfg = SearchConfig(probe_tactics="none", max_nodes=2)
    with pytest.raises(ConfigError, match="missing"):
        run_search(ths, functools.partial(parts, bad), cfg, out)
    assert standin.started() == []
    summary = run_search(ths, functools.partial(parts, standin.settings()), cfg, out)
    assert summary.rows[0]["nodes_expanded"] >= 1 and not summary.rows[0]["failure_reason"].startswith("error")


@pytest.mark.lean
def test_noise_on_every_start_fails_that_theorem_with_the_reason_and_the_run_goes_on(standin, tmp_path):
    """A REPL (or the ``lake env`` that launches it) that prints noise before its reply to one theorem's
    statement, in every process: that theorem is recorded as failed with the reason after
    ``max_restarts``, the next one is searched, nothing counts as proved, and ``--resume`` skips both."""
    import functools

    from qedjax.envs.lean_repl import LeanREPLEnvironment
    from qedjax.search.config import SearchConfig
    from qedjax.search.runner import run_search

    def parts(settings):
        return LeanREPLEnvironment(settings), _OneTactic(), None, None

    standin.set_faults([{"when": "cmd", "match": COMPLEX_AND + " := by sorry", "action": "prefix",
                         "text": "info: building repl\n\n"}])
    ths = [Theorem("noisy", COMPLEX_AND), Theorem("foo", "theorem foo (x : Int) : x = x")]
    out = tmp_path / "run.parquet"
    cfg = SearchConfig(probe_tactics="none", max_nodes=2)
    factory = functools.partial(parts, standin.settings(max_restarts=1))
    rows = {r["theorem"]: r for r in run_search(ths, factory, cfg, out).rows}
    assert rows["noisy"]["failure_reason"].startswith("error: SessionAborted: Lean crashed while opening")
    assert "restarted 1 times" in rows["noisy"]["failure_reason"] and not rows["noisy"]["proved"]
    assert rows["foo"]["nodes_expanded"] >= 1 and not rows["foo"]["proved"]
    assert len(standin.started()) == 3  # two tries for "noisy", one for "foo"
    again = run_search(ths, factory, cfg, out, resume=True)
    assert again.skipped == 2 and len(standin.started()) == 3


def test_a_null_header_is_no_header_and_takes_the_default():
    """``"header": null`` in a miniF2F or plain row refused the theorem ("statement and header must be
    strings"); it now means no header, so ``default_header`` applies as for a row without one."""
    rows = [Theorem("m", "theorem m : 1 = 1", extra={"formal_statement": "theorem m : 1 = 1 := by\n", "header": None}),
            Theorem("p", "theorem p : 2 = 2", extra={"header": None})]
    d = dry_run(rows, "lean-repl", LeanREPLSettings(default_header="import Mathlib"))
    assert [r.requests for r in d.rows] == [
        [{"cmd": "import Mathlib"}, {"cmd": "theorem m : 1 = 1 := by sorry", "env": "<header>"}],
        [{"cmd": "import Mathlib"}, {"cmd": "theorem p : 2 = 2 := by sorry", "env": "<header>"}]]
    bad = dry_run([Theorem("x", "theorem x : True", extra={"header": 3})], "lean-repl").rows[0]
    assert bad.requests is None and "must be strings" in bad.reason


@pytest.mark.parametrize("lake", ["bin/lake", "~/bin/lake"])
def test_a_lake_path_in_the_config_is_relative_to_the_config_or_home_from_any_folder(tmp_path, monkeypatch,
                                                                                  lake):
    """``lake_path = "~/.elan/bin/lake"`` (or a path relative to the config, as ``project_dir`` is) was
    used as written: ``~`` is not expanded by a process launch and a relative path was resolved from
    the Lean project's folder, so the doctor said lake is missing and the REPL could not start. The
    stand-in ``lake`` answers ``--version`` as Lake does; no real Lake runs."""
    from qedjax.envs.lean_config import load_lean_config
    from qedjax.envs.lean_doctor import diagnose
    from tests.envs.lean_standin import make_standin

    standin = make_standin(tmp_path)
    monkeypatch.setenv("HOME", str(standin.root))
    cfg = standin.root / "lean.toml"
    cfg.write_text(f'[lean_repl]\nproject_dir = "project"\nrepl_path = "repl"\nlake_path = "{lake}"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_lean_config("../standin_lean/lean.toml").lean_repl
    assert settings.lake_path == str(standin.lake)
    checks = {c.name: c for c in diagnose(settings, which=lambda n: None)}
    assert checks["lake"].ok and "standin" in checks["lake"].detail, checks["lake"]
    assert load_lean_config(None).lean_repl.lake_path == "lake"  # a bare name stays a PATH lookup


class GitCommandError(Exception):
    """Stands for GitPython's error of the same name (not an OSError), raised when lean-interact
    cannot clone the REPL, e.g. on a machine without network."""


@pytest.mark.lean
def test_a_repl_fetch_that_fails_with_any_exception_is_a_setup_error(standin, tmp_path, monkeypatch):
    """lean-interact fetches the REPL with git when no ``repl_path`` is given; without network that
    raises git's own error class, which escaped as a per-theorem error (every theorem recorded, and
    each retried the clone). It is now the setup's ConfigError, which stops the run (no real git or
    network is used: lean-interact's config class is replaced for the test)."""
    import functools

    import lean_interact

    from qedjax.envs.lean_repl import LeanREPLEnvironment
    from qedjax.errors import ConfigError
    from qedjax.search.config import SearchConfig
    from qedjax.search.runner import run_search

    def no_network(**kwargs):
        raise GitCommandError("Cmd('git') failed due to: exit code(128)\n  stderr: could not resolve host")

    monkeypatch.setattr(lean_interact, "LeanREPLConfig", no_network)
    env = LeanREPLEnvironment(standin.settings(repl_path=""))
    with pytest.raises(ConfigError, match=r"could not set up the REPL \(GitCommandError: Cmd\('git'\) failed"):
        env.repl_config()
    factory = functools.partial(lambda s: (LeanREPLEnvironment(s), _OneTactic(), None, None),
                                standin.settings(repl_path=""))
    with pytest.raises(ConfigError, match="GitCommandError"):
        run_search([Theorem("a", COMPLEX_AND)], factory, SearchConfig(probe_tactics="none", max_nodes=2),
                   tmp_path / "run.parquet")
    assert not (tmp_path / "run.parquet").exists() and standin.started() == []


@pytest.mark.lean
def test_a_repl_that_writes_much_to_stderr_does_not_hang(standin):
    """Lean prints PANIC messages (and ``dbg_trace``) to stderr; lean-interact reads the REPL's stderr
    only after it died, so once the pipe's buffer (64 KiB) was full the REPL blocked and every later
    tactic timed out and restarted. The session now drains stderr as it comes (as bytes: the stand-in
    writes a byte that is not UTF-8 first, which would stop a text reader), and a crash reason ends
    with the last line Lean wrote there."""
    from qedjax.interfaces import Failed, ProofComplete

    standin.set_faults([{"when": "tactic", "match": "exact t", "action": "stderr", "bytes": 300_000},
                        {"when": "tactic", "match": "apply Int.natAbs", "action": "die"}])
    s, st = _open(standin, tactic_timeout=5.0)
    try:
        assert isinstance(s.apply(st, "exact t"), ProofComplete) and s.restarts == 0
        r = s.apply(s.initial_state, "apply Int.natAbs")
        assert isinstance(r, Failed) and "Stack overflow detected" in r.error, r
    finally:
        s.close()


@pytest.mark.lean
@pytest.mark.parametrize("reply,why", [
    ({"sorries": [{"proofState": 0, "goal": "⊢ Nat", "pos": {"line": 1, "column": 18}}], "messages": []},
     "crashed while opening"),  # no env: not a command's reply
    ({"sorries": [{"proofState": 0, "goal": "⊢ Nat"}, {"proofState": 1, "goal": "⊢ Nat"}], "messages": [],
      "env": 0}, "expected one `sorry` to start from, Lean returned 2"),
    ({"sorries": [{"proofState": 0, "goal": "⊢ Nat"}], "env": 0,
      "messages": [_msg("error", "unknown identifier 'x'", line=3)]}, "3:0: error: unknown identifier 'x'"),
])
def test_an_odd_reply_to_the_statement_fails_the_theorem_with_the_reason(standin, reply, why):
    """The statement's reply without ``env``, with two sorries, or with an error on a later line: the
    theorem cannot start, with the reason, and no process is left (stand-in REPL)."""
    from qedjax.envs.lean_repl import LeanREPLEnvironment, LeanREPLSession
    from qedjax.envs.lean_text import ReplInput
    from qedjax.interfaces import SessionAborted

    cmd = "def f : Nat := by sorry"
    standin.set_faults([{"when": "cmd", "match": cmd, "action": "reply", "reply": reply}])
    env = LeanREPLEnvironment(standin.settings(max_restarts=1))
    with pytest.raises(SessionAborted, match=re.escape(why)):
        LeanREPLSession(Theorem("f", cmd), ReplInput("", cmd), env)
    assert standin.live() == []


@pytest.mark.parametrize("env,toml,search_timeout,expected", [
    ("lean-repl", "[lean_repl]\ntactic_timeout = 5.0\n", 30.0, 5.0),
    ("lean-repl", "[lean_repl]\nmax_restarts = 1\n", 12.0, 12.0),
    ("leandojo", "[leandojo]\ntimeout = 120\n", 30.0, 120),
    ("leandojo", "[leandojo]\nmax_restarts = 1\n", 0.5, 1),
    ("leandojo", "[leandojo]\nmax_restarts = 1\n", 7.2, 8),
    ("lean-repl", "[lean_repl]\ntactic_timeout = 30.0\n", 12.0, 30.0),  # set at the default: still set
    ("leandojo", "[leandojo]\ntimeout = 30\n", 7.2, 30),
    ("lean-repl", 'base = "base.toml"\n[lean_repl]\nmax_restarts = 1\n', 12.0, 30.0),  # set in its base
])
def test_the_lean_configs_tactic_timeout_is_used(tmp_path, env, toml, search_timeout, expected):
    """``[lean_repl] tactic_timeout`` / ``[leandojo] timeout`` were always replaced by the search
    config's tactic_timeout (30 s unless set), so a Lean config's own timeout was silently ignored;
    and LeanDojo got int(0.5) = 0 s. The Lean config's value now wins when its file (or a base file)
    sets the key, even to the default 30 (which used to count as unset)."""
    from qedjax.app.parts import PartsSpec, build_env

    cfg = tmp_path / "lean.toml"
    cfg.write_text(toml)
    (tmp_path / "base.toml").write_text("[lean_repl]\ntactic_timeout = 30.0\n")
    built = build_env(PartsSpec(env=env, lean_config=str(cfg), tactic_timeout=search_timeout))
    got = built.settings.tactic_timeout if env == "lean-repl" else built.timeout
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("env,expected", [("lean-repl", 12.0), ("leandojo", 12)])
def test_the_shipped_lean_config_leaves_the_tactic_timeout_to_the_search_config(env, expected):
    """configs/lean.toml, as the README passes it to `qed search`, sets no per-tactic timeout: were it
    to set one (even 30), the search config's tactic_timeout would be ignored."""
    from qedjax.app.parts import PartsSpec, build_env

    cfg = Path(__file__).resolve().parents[2] / "configs" / "lean.toml"
    built = build_env(PartsSpec(env=env, lean_config=str(cfg), tactic_timeout=12.0))
    got = built.settings.tactic_timeout if env == "lean-repl" else built.timeout
    assert got == expected and type(got) is type(expected)
