"""`qed prop check` on .lean files, JSONL records and proof texts; deep input; transcripts of Lean."""

import json

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from qedjax.envs.prop import PropEnvironment
from qedjax.envs.prop.check import check_lean_text, check_records
from qedjax.interfaces import Failed, Success, Theorem

LEAN_FILE = """\
/- A file with several declarations, variables, sections and a namespace. -/
variable (p q : Prop)

theorem and_swap : p ∧ q → q ∧ p := by
  intro ⟨hp, hq⟩
  exact ⟨hq, hp⟩

section
variable (r : Prop)

example (h : p ∨ r) : r ∨ p := by
  cases h with
  | inl hp => exact Or.inr hp
  | inr hr => exact Or.inl hr
end

namespace Demo
theorem use_earlier (h : p ∧ q) : q ∧ p := and_swap p q h
end Demo

example (hp : p) : q := by
  exact hp
"""


def run_cli(*args):
    return CliRunner().invoke(qed, ["prop", "check", *map(str, args)])


def test_lean_file_results_per_declaration_with_lean_positions(tmp_path):
    results, diags = check_lean_text(LEAN_FILE)
    assert not diags
    assert [r.status for r in results] == ["proved", "proved", "proved", "failed"]
    assert [r.name for r in results][:3] == ["and_swap", "example@11:0", "use_earlier"]
    (err,) = results[3].diagnostics
    assert (err.line, err.column) == (22, 8) and err.message.startswith("Type mismatch\n  hp")
    f = tmp_path / "Demo.lean"
    f.write_text(LEAN_FILE, encoding="utf-8")
    res = run_cli(f)
    assert res.exit_code == 1
    assert f"{f}:22:8: error: Type mismatch" in res.output
    assert "3/4 proved" in res.output


def test_lean_file_all_proved_exits_zero_and_json(tmp_path):
    f = tmp_path / "ok.lean"
    f.write_text(LEAN_FILE.rsplit("example (hp", 1)[0], encoding="utf-8")
    res = run_cli(f, "--json")
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert [r["status"] for r in rows] == ["proved"] * 3


def test_theorem_includes_only_mentioned_variables_example_also_body():
    results, _ = check_lean_text("""
variable (p q : Prop) (hq : q)
theorem uses_hq : q := hq
example : q := hq
""")
    # a theorem includes the variables its header mentions, so `hq` is unknown in its proof
    assert results[0].status == "failed" and "Unknown identifier `hq`" in results[0].diagnostics[0].message
    assert results[1].proved


def test_sorry_is_a_warning_and_not_a_proof():
    results, _ = check_lean_text("example (p : Prop) : p := by\n  sorry\n")
    assert results[0].status == "incomplete"
    assert results[0].diagnostics[0].severity == "warning"


def test_records_tactics_elements_may_span_lines_and_proof_text(tmp_path):
    stmt = "theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q"
    recs = [
        {"name": "steps", "statement": stmt, "tactics": ["constructor", "· exact hp", "· exact hq"]},
        {"name": "block", "statement": stmt, "tactics": ["constructor\n· exact hp\n· exact hq"]},
        {"name": "proof", "statement": stmt, "proof": "by\n  constructor\n  · exact hp\n  · exact hq"},
        {"name": "term", "statement": stmt, "proof": "⟨hp, hq⟩"},
        {"name": "bad", "statement": stmt, "proof": "by\n  constructor\n  · exact hq\n  · exact hq"},
        {"name": "badstep", "statement": stmt, "tactics": ["constructor", "· exact hp", "· exact hp"]},
    ]
    results = check_records(recs)
    assert [r.status for r in results] == ["proved"] * 4 + ["failed", "failed"]
    bad = results[4].diagnostics[0]
    assert (bad.line, bad.column) == (3, 10)
    assert results[5].step == 3 and results[5].tactic == "· exact hp"
    f = tmp_path / "r.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    res = run_cli(f, "--json")
    assert res.exit_code == 1
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert rows[4]["error_line"] == 3 and rows[4]["error_column"] == 10


@pytest.mark.parametrize("content", ["not json\n", '{"tactics": []}\n', '{"statement": "p", "proof": 3}\n',
                                     '{"statement": "theorem t (p : Prop) : p → p", "tactics": "intro h"}\n',
                                     '{"statement": "theorem t (p : Prop) : p → p", "tactics": null, "proof": "id"}\n'])
def test_malformed_records_are_one_line_errors(tmp_path, content):
    f = tmp_path / "r.jsonl"
    f.write_text(content)
    res = run_cli(f)
    assert res.exit_code == 2 and res.output.startswith("error:") and res.output.count("\n") == 1
    if "intro h" in content:  # a string of steps is refused, not read as a term that names `intro`
        assert "'tactics' must be a list of strings" in res.output


def test_missing_file_is_a_user_error(tmp_path):
    res = run_cli(tmp_path / "nope.lean")
    assert res.exit_code == 2 and res.output.startswith("error: file not found")


# ---------------------------------------------------------------------------------- deep input

DEEP = "(" * 1200 + "p" + ")" * 1200


def test_deep_statement_in_check_is_a_clean_error(tmp_path):
    f = tmp_path / "deep.jsonl"
    f.write_text(json.dumps({"statement": f"theorem t (p : Prop) : {DEEP} → p", "tactics": ["intro h"]}) + "\n")
    res = run_cli(f)
    assert res.exit_code == 1
    assert "maximum nesting depth" in res.output and "Traceback" not in res.output
    g = tmp_path / "deep.lean"
    g.write_text(f"example (p : Prop) : {'¬' * 1500}p → p := by\n  intro h\n  exact h\n")
    res = run_cli(g)
    assert res.exit_code == 1 and "maximum nesting depth" in res.output


def test_deep_term_and_tactic_in_a_search_session_fail_cleanly():
    env = PropEnvironment()
    s = env.start(Theorem("t", "theorem t (p : Prop) (hp : p) : p"))
    r = s.apply(s.initial_state, "exact " + "(" * 1500 + "hp" + ")" * 1500)
    assert isinstance(r, Failed) and "maximum nesting depth" in r.error
    r = s.apply(s.initial_state, "(" * 800 + "exact hp" + ")" * 800)
    assert isinstance(r, Failed) and "maximum nesting depth" in r.error
    with pytest.raises(Exception, match="maximum nesting depth"):
        env.start(Theorem("t", f"theorem t (p : Prop) : {DEEP}"))


def test_session_state_of_allowed_depth_round_trips():
    env = PropEnvironment()
    deep = "(" * 40 + "p" + ")" * 40
    s = env.start(Theorem("t", f"theorem t (p : Prop) : {' → '.join([deep] * 40)}"))
    r = s.apply(s.initial_state, "intro h")
    assert isinstance(r, Success) and r.state.pp.startswith("p : Prop\nh : p\n⊢ p → p")
