"""The lemma library: the propositional lemmas of Lean 4 core and Mathlib, derived from their sources
by scripts/prop_lemmas.py and vendored with attribution (qedjax/envs/prop/data/lean_lemmas.json)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qedjax.envs.prop.decls import (
    DERIVED_LEMMAS,
    LIBRARY,
    derived_signatures,
    kernel_signatures,
    parse_signature,
)
from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.oracle import is_tautology
from qedjax.envs.prop.syntax import Forall, Imp
from qedjax.envs.prop.tactics import TacticError, run_tactic

ROOT = Path(__file__).resolve().parents[3]
VENDORED = json.loads(DERIVED_LEMMAS.read_text(encoding="utf-8"))


def as_formula(scheme):
    """``∀ params, hyps → conclusion`` of a library scheme."""
    f = scheme.concl
    for p in reversed(scheme.params):
        f = Forall(p.name, f) if p.is_prop else Imp(p.dom, f)
    return f


@pytest.mark.parametrize("line", derived_signatures() + kernel_signatures())
def test_every_library_entry_parses_and_is_a_tautology(line):
    assert is_tautology(as_formula(parse_signature(line))), line


def test_vendored_list_names_its_sources_and_licence():
    assert VENDORED["licence"] == "Apache-2.0" and "Apache License" in VENDORED["licence_text"]
    repos = {(s["repository"], s["path"]) for s in VENDORED["sources"]}
    assert repos == {("leanprover/lean4", "src/Init/PropLemmas.lean"),
                     ("leanprover/lean4", "src/Init/Core.lean"),
                     ("leanprover/lean4", "src/Init/SimpLemmas.lean"),
                     ("leanprover/lean4", "src/Init/Classical.lean"),
                     ("leanprover-community/mathlib4", "Mathlib/Logic/Basic.lean")}
    # the newer Init/Classical.lean was read from a fork that carries it: the fork is named beside core
    assert {s.get("read_from") for s in VENDORED["sources"]} == {None, "Rob23oba/lean4"}
    assert all(len(s["commit"]) == 40 and s["copyright"].startswith("Copyright") for s in VENDORED["sources"])
    rows = VENDORED["lemmas"]
    assert len({r["name"] for r in rows}) == len(rows) and all(r["source"] and r["statement"] for r in rows)


@pytest.mark.parametrize("name, signature", [
    # src/Init/PropLemmas.lean (auto-bound implicits, in order of first occurrence)
    ("and_left_comm", "and_left_comm {a b c : Prop} : a ∧ b ∧ c ↔ b ∧ a ∧ c"),
    ("and_right_comm", "and_right_comm {a b c : Prop} : (a ∧ b) ∧ c ↔ (a ∧ c) ∧ b"),
    ("and_or_left", "and_or_left {a b c : Prop} : a ∧ (b ∨ c) ↔ a ∧ b ∨ a ∧ c"),
    ("or_and_left", "or_and_left {a b c : Prop} : a ∨ b ∧ c ↔ (a ∨ b) ∧ (a ∨ c)"),
    ("or_left_comm", "or_left_comm {a b c : Prop} : a ∨ b ∨ c ↔ b ∨ a ∨ c"),
    ("and_and_and_comm",
     "and_and_and_comm {a b c d : Prop} : (a ∧ b) ∧ c ∧ d ↔ (a ∧ c) ∧ b ∧ d"),
    ("And.imp", "And.imp {a c b d : Prop} (f : a → c) (g : b → d) (h : a ∧ b) : c ∧ d"),
    ("not_and_of_not_right", "not_and_of_not_right (a : Prop) {b : Prop} : ¬b → ¬(a ∧ b)"),
    # src/Init/Core.lean (`variable {a b c d : Prop}` of the enclosing section)
    ("Iff.comm", "Iff.comm {a b : Prop} : (a ↔ b) ↔ (b ↔ a)"),
    # src/Init/Classical.lean (namespace Classical, auto-bound implicits), its deprecated
    # `abbrev not_and_iff_or_not_not := @not_and_iff_not_or_not` and its `export Classical (… not_imp)`
    ("Classical.not_imp", "Classical.not_imp {a b : Prop} : ¬(a → b) ↔ a ∧ ¬b"),
    ("Classical.not_imp_iff_and_not", "Classical.not_imp_iff_and_not {a b : Prop} : ¬(a → b) ↔ a ∧ ¬b"),
    ("Classical.or_iff_not_imp_left", "Classical.or_iff_not_imp_left {a b : Prop} : a ∨ b ↔ ¬a → b"),
    ("Classical.not_and_iff_or_not_not",
     "Classical.not_and_iff_or_not_not {a b : Prop} : ¬(a ∧ b) ↔ ¬a ∨ ¬b"),
    ("imp_and_neg_imp_iff", "imp_and_neg_imp_iff (p : Prop) {q : Prop} : (p → q) ∧ (¬p → q) ↔ q"),
    # Mathlib/Logic/Basic.lean, including an `alias … ↔` direction
    ("not_and_or", "not_and_or {a b : Prop} : ¬(a ∧ b) ↔ ¬a ∨ ¬b"),
    ("And.rotate", "And.rotate {a b c : Prop} : a ∧ b ∧ c → b ∧ c ∧ a"),
])
def test_derived_entries_keep_name_statement_and_binders(name, signature):
    row = next(r for r in VENDORED["lemmas"] if r["name"] == name)
    assert row["signature"] == signature
    assert LIBRARY.get(name) == parse_signature(signature)


def test_derived_lemmas_are_usable_as_lean_uses_them():
    goal = parse_statement("theorem t (p q r : Prop) (h : p ∧ q ∧ r) : q ∧ p ∧ r").goal
    assert run_tactic((goal,), "exact and_left_comm.mp h") == ()
    assert run_tactic((goal,), "rw [and_left_comm]\nexact h") == ()
    goal = parse_statement("theorem t (p q : Prop) (h : ¬q) : ¬(p ∧ q)").goal
    assert run_tactic((goal,), "exact not_and_of_not_right p h") == ()      # `(a : Prop)` is explicit
    with pytest.raises(TacticError):
        run_tactic((goal,), "exact not_and_of_not_right h")
    with pytest.raises(TacticError, match="Unknown identifier"):             # instance binders: not kept
        run_tactic((goal,), "exact Decidable.not_and_iff_or_not_not")
    # Init/Classical.lean's names, as a file that builds against it cites them
    goal = parse_statement("theorem t (p q : Prop) (h : ¬(p → q)) : p ∧ ¬q").goal
    assert run_tactic((goal,), "exact Classical.not_imp.mp h") == ()
    assert run_tactic((goal,), "rw [Classical.not_imp] at h\nexact h") == ()
    with pytest.raises(TacticError):                                         # the wrong direction
        run_tactic((goal,), "exact Classical.not_imp.mpr h")
    goal = parse_statement("theorem t (p q : Prop) (h : ¬(p → q)) : q ∧ ¬p").goal
    with pytest.raises(TacticError):                                         # a false variant
        run_tactic((goal,), "exact Classical.not_imp.mp h")


def test_generator_derives_from_source_text(tmp_path):
    """scripts/prop_lemmas.py on sources written here: auto-bound order, section variables,
    namespaces, `protected`, both alias syntaxes, `Sort` binders; instance and `Type` binders and
    non-propositional statements are left out."""
    lean4, mathlib = tmp_path / "lean4", tmp_path / "mathlib4"
    (lean4 / "src" / "Init").mkdir(parents=True)
    (mathlib / "Mathlib" / "Logic").mkdir(parents=True)
    (lean4 / "src" / "Init" / "PropLemmas.lean").write_text(
        "/-\nCopyright (c) 2024 Someone.\n-/\n"
        "theorem mine (h : q → p) : q ∧ r → p := fun x => h x.1\n"
        "theorem dec [Decidable p] : p ∨ ¬p := sorry\n"
        "theorem typed {α : Type u} (x : α) : x = x := rfl\n"
        "theorem sorted {α : Sort u} (h : α) : α := h\n", encoding="utf-8")
    (lean4 / "src" / "Init" / "Core.lean").write_text(
        "/- Copyright (c) 2014 Someone. -/\nsection\nvariable {a b : Prop}\n"
        "theorem usesVar (h : a) : a ∨ b := Or.inl h\nend\n"
        "namespace Foo\nprotected theorem Bar.baz {p : Prop} (hp : p) : p := hp\n"
        "theorem qux (p : Prop) : p → p := id\nend Foo\n", encoding="utf-8")
    (mathlib / "Mathlib" / "Logic" / "Basic.lean").write_text(
        "/- Copyright (c) 2016 Someone. -/\ntheorem iffy : a ∧ b ↔ b ∧ a := sorry\n"
        "alias iffy ↔ iffy.mp' _\nalias ⟨_, iffy.mpr'⟩ := iffy\nalias same := mine\n", encoding="utf-8")
    (lean4 / "src" / "Init" / "SimpLemmas.lean").write_text(
        "/- Copyright (c) 2021 Someone. -/\n@[simp] theorem st (p : Prop) : (p ∧ True) = p := sorry\n"
        "@[simp]\ntheorem sf (p : Prop) : (p ∧ False) = False := sorry\n"
        "@[-simp] theorem ns (p : Prop) : (p ∨ p) = p := sorry\n"
        "theorem late (p : Prop) : (p ∨ False) = p := sorry\nattribute [simp] late\n", encoding="utf-8")
    (lean4 / "src" / "Init" / "Classical.lean").write_text(
        "/- Copyright (c) 2020 Someone. -/\nnamespace Classical\n"
        "theorem cl : ¬(a → b) ↔ a ∧ ¬b := sorry\n"
        "@[deprecated cl (since := \"2025-03-18\")]\nabbrev cl' := @cl\n"
        "abbrev notLemma (n : Nat) := n\nend Classical\nexport Classical (cl)\n", encoding="utf-8")
    out = tmp_path / "lemmas.json"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "prop_lemmas.py"), "--lean4", str(lean4),
                          "--mathlib4", str(mathlib), "--lean4-commit", "a" * 40,
                          "--mathlib4-commit", "b" * 40, "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))["lemmas"]
    sigs = {r["name"]: r["signature"] for r in rows}
    # `@[simp]` on the line, on the line before, or by a later `attribute [simp]`; not `-simp`
    assert {r["name"] for r in rows if r["simp"]} == {"st", "sf", "late"}
    for name in ("st", "sf", "ns", "late"):
        del sigs[name]
    assert sigs == {
        "mine": "mine {q p r : Prop} (h : q → p) : q ∧ r → p",
        "sorted": "sorted {α : Prop} (h : α) : α",
        "usesVar": "usesVar {a b : Prop} (h : a) : a ∨ b",
        "Foo.Bar.baz": "Foo.Bar.baz {p : Prop} (hp : p) : p",
        "Foo.qux": "Foo.qux (p : Prop) : p → p",
        "iffy": "iffy {a b : Prop} : a ∧ b ↔ b ∧ a",
        "iffy.mp'": "iffy.mp' {a b : Prop} : a ∧ b → b ∧ a",
        "iffy.mpr'": "iffy.mpr' {a b : Prop} : b ∧ a → a ∧ b",
        "same": "same {q p r : Prop} (h : q → p) : q ∧ r → p",
        # `abbrev new := @old` in a namespace, and `export NS (…)`: other names of the same lemma
        "Classical.cl": "Classical.cl {a b : Prop} : ¬(a → b) ↔ a ∧ ¬b",
        "Classical.cl'": "Classical.cl' {a b : Prop} : ¬(a → b) ↔ a ∧ ¬b",
        "cl": "cl {a b : Prop} : ¬(a → b) ↔ a ∧ ¬b",
    }


SIMP_ROWS = [r for r in VENDORED["lemmas"] if r["simp"]]


def test_the_default_simp_set_holds_the_simp_lemmas_of_its_sources():
    # Init/SimpLemmas.lean's propositional `@[simp]` lemmas, and `not_or` (Init/PropLemmas.lean, `@[simp]`)
    names = {r["name"] for r in SIMP_ROWS}
    assert {"and_true", "true_and", "or_false", "iff_self", "false_implies", "true_implies", "not_or"} <= names
    assert not {"and_comm", "or_comm", "not_not_intro"} & names  # not simp lemmas in their sources


@pytest.mark.parametrize("row", SIMP_ROWS, ids=lambda r: r["name"])
def test_simp_does_not_claim_no_progress_on_a_simp_lemmas_left_side(row):
    """On the left side of a simp lemma of Lean's default set, Lean's `simp` rewrites: prop's `simp` may
    close the goal or refuse it, but never answer "no progress" (Lean's failure when no lemma applies)."""
    from qedjax.envs.prop.state import Goal, Hyp
    from qedjax.envs.prop.syntax import Eq, Iff
    scheme = parse_signature(row["signature"])
    if not isinstance(scheme.concl, (Iff, Eq)) or any(not p.is_prop for p in scheme.params):
        pytest.skip("a conditional or non-rewriting lemma")
    goal = Goal(tuple(Hyp(p.name, None) for p in scheme.params), scheme.concl.left)
    try:
        run_tactic((goal,), "simp")
    except TacticError as e:
        assert "made no progress" not in e.message, row
