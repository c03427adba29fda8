"""Theorem sources for the Lean backends (miniF2F JSONL, LeanDojo records, ``.lean`` files) and the
Lean-free dry run that turns each into the exact text sent to Lean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qedjax.app.dryrun import dry_run
from qedjax.envs.lean_config import LeanREPLSettings
from qedjax.envs.lean_text import repl_input, statement_to_command
from qedjax.errors import DataError, ParseError
from qedjax.interfaces import Theorem
from qedjax.lean_syntax import split_commands
from qedjax.search.theorems import load_theorems
from tests.conftest import shared_lean4

VENDORED = Path(__file__).resolve().parents[1] / "data" / "minif2f"
MINIF2F_FILES = ("deepseek_prover_v15_minif2f.jsonl", "yangky11_minif2f_lean4.jsonl")


@pytest.mark.parametrize("name", MINIF2F_FILES)
def test_all_488_minif2f_problems_go_through_the_dry_run(name):
    ths = load_theorems(shared_lean4() / "minif2f_statements" / name)
    assert len(ths) == 488
    d = dry_run(ths, "lean-repl")
    assert d.handled == 488 and d.unhandled == 0, d.summary()
    assert {t.extra["split"] for t in ths} == {"valid", "test"}
    assert len(load_theorems(shared_lean4() / "minif2f_statements" / name, split="test")) == 244
    for t, row in zip(ths, d.rows):
        header, cmd = row.requests[0]["cmd"], row.requests[1]["cmd"]
        assert header == t.extra["header"].strip() and header.startswith("import Mathlib")
        assert cmd.endswith(" := by sorry") and cmd.count("sorry") == 1
        assert cmd[: -len(" := by sorry")] == t.extra["formal_statement"].rstrip()[: -len(":= by")].rstrip()


def test_minif2f_slice_in_a_clean_clone():
    ths = load_theorems(VENDORED / "deepseek_prover_v15_minif2f.head6.jsonl")
    first = json.loads((VENDORED / "deepseek_prover_v15_minif2f.head6.jsonl").read_text().splitlines()[0])
    text = repl_input(ths[0])
    assert text.header == first["header"].strip()
    assert text.command == first["formal_statement"].rstrip().removesuffix(":= by").rstrip() + " := by sorry"
    assert text.command.startswith("theorem amc12a_2019_p21 (z : ℂ)") and "\n" in text.command
    d = dry_run(load_theorems(VENDORED / "yangky11_minif2f_lean4.head6.jsonl"), "lean-repl")
    assert d.handled == 6
    assert [json.loads(x)["name"] for x in d.jsonl().splitlines()] == [r.name for r in d.rows]


def test_lean_file_of_statements(tmp_path):
    rows = [json.loads(x) for x in (VENDORED / "yangky11_minif2f_lean4.head6.jsonl").read_text().splitlines()]
    body = "".join(r["formal_statement"] + "  sorry\n\n" for r in rows[:3])
    src = tmp_path / "problems.lean"
    src.write_text(rows[0]["header"] + body + """
/-- A docstring, an attribute and a full proof. -/
@[simp]
theorem with_proof (x : ℝ) :
    |x| ≥ 0 := by
  positivity

namespace Foo

def twice (n : ℕ) : ℕ := 2 * n

lemma twice_two : twice 2 = 4 := rfl

example : True := trivial

theorem by_equations : ∀ n : ℕ, n + 0 = n
  | 0 => rfl
  | n + 1 => rfl

end Foo
""")
    ths = load_theorems(src)
    names = [t.name for t in ths]
    assert names == [r["name"] for r in rows[:3]] + ["with_proof", "Foo.twice_two",
                                                      f"example_{_line(src, 'example : True')}",
                                                      "Foo.by_equations"]
    d = dry_run(ths, "lean-repl")
    assert d.handled == 6 and d.unhandled == 1
    assert "equations" in d.rows[-1].reason
    for i in range(3):  # the miniF2F problems: same text as from the JSONL rows
        assert d.rows[i].requests[1]["cmd"] == statement_to_command(rows[i]["formal_statement"])
        assert d.rows[i].requests[0]["cmd"] == rows[0]["header"].strip()
    with_proof = d.rows[3].requests
    assert with_proof[1]["cmd"] == ("/-- A docstring, an attribute and a full proof. -/\n@[simp]\n"
                                    "theorem with_proof (x : ℝ) :\n    |x| ≥ 0 := by sorry")
    lemma_header = d.rows[4].requests[0]["cmd"]
    assert lemma_header.endswith("namespace Foo\n\ndef twice (n : ℕ) : ℕ := 2 * n")
    assert "with_proof" not in lemma_header and "positivity" not in lemma_header  # no earlier theorem


def _line(path: Path, text: str) -> int:
    return next(i + 1 for i, x in enumerate(path.read_text().splitlines()) if x.startswith(text))


def test_leandojo_record_reads_its_source_from_the_project(tmp_path):
    project = tmp_path / "proj"
    (project / "Mathlib" / "Algebra").mkdir(parents=True)
    (project / "Mathlib" / "Algebra" / "Foo.lean").write_text(
        "import Mathlib.Algebra.Group.Basic\n\nnamespace Foo\n\nvariable {G : Type*} [Group G]\n\n"
        "/-- doc -/\n@[simp]\ntheorem mul_one' (a : G) : a * 1 = a := by\n  simp\n\nend Foo\n")
    rec = {"url": "https://example.org/mathlib4", "commit": "abc", "file_path": "Mathlib/Algebra/Foo.lean",
           "full_name": "Foo.mul_one'", "start": [9, 1], "end": [10, 6],
           "traced_tactics": [{"tactic": "simp", "state_before": "G : Type u_1\n⊢ a * 1 = a",
                               "state_after": "no goals"}]}
    (tmp_path / "b4.json").write_text(json.dumps([rec]))
    ths = load_theorems(tmp_path / "b4.json")
    settings = LeanREPLSettings(project_dir=str(project))
    row = dry_run(ths, "lean-repl", settings).rows[0]
    assert row.requests == [
        {"cmd": "import Mathlib.Algebra.Group.Basic\n\nnamespace Foo\n\nvariable {G : Type*} [Group G]"},
        {"cmd": "/-- doc -/\n@[simp]\ntheorem mul_one' (a : G) : a * 1 = a := by sorry", "env": "<header>"}]
    assert dry_run(ths, "leandojo").rows[0].requests == [{"dojo": {k: rec[k] for k in
                                                                  ("url", "commit", "file_path", "full_name")}}]
    no_project = dry_run(ths, "lean-repl").rows[0]
    assert no_project.requests is None and "project_dir" in no_project.reason
    moved = dict(rec, start=[3, 1])
    with pytest.raises(ParseError, match="no theorem declaration at the recorded start"):
        repl_input(Theorem("x", "s", extra=moved), project)


def test_leandojo_benchmark_sample_needs_the_project_for_the_repl():
    ths = load_theorems(shared_lean4() / "leandojo_b4_sample" / "random_test_sample100.json")
    assert dry_run(ths, "leandojo").handled == 100
    d = dry_run(ths, "lean-repl")
    assert d.handled == 0 and list(d.reasons().values()) == [100]


def test_statements_that_cannot_be_sent_are_counted_with_reasons():
    ths = [Theorem("goal", "x : ℕ\n⊢ x + 0 = x"), Theorem("def", "def f : ℕ := 3"),
           Theorem("sorry_in_type", "theorem s (h : sorry) : True"),
           Theorem("ok", "theorem ok (p : Prop) (hp : p) : p")]
    d = dry_run(ths, "lean-repl", LeanREPLSettings(default_header="import Mathlib"))
    assert d.handled == 1 and d.unhandled == 3
    reasons = [r.reason for r in d.rows]
    assert "goal state" in reasons[0] and "not a `theorem`" in reasons[1] and "contains `sorry`" in reasons[2]
    assert d.rows[3].requests == [{"cmd": "import Mathlib"},
                                  {"cmd": "theorem ok (p : Prop) (hp : p) : p := by sorry", "env": "<header>"}]
    assert "3 cannot" in d.summary()
    with pytest.raises(DataError, match="unknown environment"):
        dry_run(ths, "coq")


def test_prop_benchmark_dry_run_for_prop_and_lean_repl():
    from qedjax.envs.prop.bench import shipped_benchmark_path

    ths = load_theorems(shipped_benchmark_path(), max_theorems=50)
    assert dry_run(ths, "prop").handled == 50
    d = dry_run(ths, "lean-repl")  # prop statements are Lean 4 core declarations
    assert d.handled == 50 and all(len(r.requests) == 1 for r in d.rows)


@pytest.mark.parametrize("decl,stmt", [
    ("theorem a (x : ℕ) (h : x = 1 := by simp) : x = 1 := by\n  exact h", "theorem a (x : ℕ) (h : x = 1 := by simp) : x = 1"),
    ("theorem b : \"a:=b\".length = 4 := rfl", "theorem b : \"a:=b\".length = 4"),
    ("theorem c : True := -- comment with := inside\n  trivial", "theorem c : True"),
    ("theorem d /- := -/ : True := trivial", "theorem d /- := -/ : True"),
    ("private theorem e : ⟨1, 2⟩ = (⟨1, 2⟩ : ℕ × ℕ) := rfl", "private theorem e : ⟨1, 2⟩ = (⟨1, 2⟩ : ℕ × ℕ)"),
])
def test_the_proof_separator_ignores_brackets_strings_and_comments(decl, stmt):
    assert statement_to_command(decl) == stmt + " := by sorry"


def test_split_commands_keeps_docstrings_and_continuations_with_their_declaration():
    text = ("import Mathlib\n/-- doc\n:= not code -/\ntheorem t : True := by\n  trivial\n"
            "def f : ℕ → ℕ\n| 0 => 0\n| n + 1 => n\ntermination_by n => n\n")
    chunks = [c for _, c in split_commands(text)]
    assert [c.split()[0] for c in chunks] == ["import", "/--", "def"]
    assert chunks[1].startswith("/-- doc") and "theorem t" in chunks[1]
    assert chunks[2].rstrip().endswith("termination_by n => n")


def test_malformed_sources_are_one_line_data_errors(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"name": "a"}\n')
    with pytest.raises(DataError, match="neither name/statement"):
        load_theorems(tmp_path / "x.jsonl")
    (tmp_path / "dup.lean").write_text("theorem a : True := trivial\ntheorem a : True := trivial\n")
    with pytest.raises(DataError, match="dup.lean:2: 'a' is declared twice"):
        load_theorems(tmp_path / "dup.lean")
    (tmp_path / "empty.lean").write_text("import Mathlib\n")
    with pytest.raises(DataError, match="no theorems selected"):
        load_theorems(tmp_path / "empty.lean")
