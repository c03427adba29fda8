"""A file has the tactics and lemmas of the libraries it imports, and no others (issue 28's soundness
rule: prop never accepts what Lean rejects). Where each word is declared, with the sources read:

- Lean core, leanprover/lean4: ``src/Init/Tactics.lean`` (``exfalso`` is
  ``macro "exfalso" : tactic => `(tactic| refine False.elim ?_)``, ``contradiction``, ``symm``,
  ``apply_assumption``, ``simpa``, ``rwa``, ``replace``, ``omega``), ``src/Init/RCases.lean`` @
  791e139397de95ad4a3177e44d814250a2b7d5ca (``syntax (name := rcases) "rcases" …``, ``obtain``,
  ``rintro``), ``src/Init/TacticsExtra.lean`` (``iterate``), ``src/Init/Core.lean``
  (``theorem Eq.to_iff``), ``src/Init/Classical.lean`` (``Classical.not_not``, ``Classical.em``,
  ``Classical.byContradiction``).
- Batteries, leanprover-community/batteries @ 45f65c8b8292f98a70a0eccb706f89bb3e69feab:
  ``Batteries/Tactic/Init.lean`` (``syntax (name := byContra) "by_contra" …``, ``elab (name :=
  exacts) "exacts " …``, ``macro "absurd " h:term : tactic``), ``Batteries/Tactic/PermuteGoals.lean``
  (``swap``, ``pick_goal``), ``Batteries/Tactic/Lemma.lean`` (the command ``lemma``).
- Mathlib, leanprover-community/mathlib4: ``Mathlib/Tactic/Tauto.lean``, ``Mathlib/Tactic/Cases.lean``
  (``cases'``), ``Mathlib/Tactic/PushNeg.lean``, ``Mathlib/Tactic/NthRewrite.lean`` (``import
  Mathlib.Init``; ``macro "nth_rewrite" …``), ``Mathlib/Tactic/ApplyAt.lean``, ``Mathlib/Logic/Basic.lean``
  (``export Classical (not_not)``, ``alias Classical.em ← em``, ``theorem not_imp``, ``theorem
  not_and_or``; in ``namespace Classical``: ``alias by_contradiction := byContradiction``).
"""

import pytest

from qedjax.envs.prop.check import check_lean_text
from qedjax.envs.prop.libraries import BATTERIES, CORE, MATHLIB, hidden_constants, library_of_imports
from qedjax.envs.prop.parser import parse_tactic


def proved(source: str, **kw) -> bool:
    results, _ = check_lean_text(source, allow_tauto=True, **kw)
    assert len(results) == 1, results
    return results[0].proved


def first_message(source: str) -> str:
    results, _ = check_lean_text(source, allow_tauto=True)
    return results[0].diagnostics[0].message


def test_library_of_imports():
    assert library_of_imports([]) == CORE  # Lean imports Init by default
    assert library_of_imports(["Init.Core", "Lean.Elab.Tactic"]) == CORE
    assert library_of_imports(["Batteries.Tactic.Init"]) == BATTERIES
    assert library_of_imports(["Std"]) == BATTERIES  # Batteries' name before 2024
    assert library_of_imports(["Mathlib.Tactic"]) == MATHLIB
    assert library_of_imports(["Batteries", "Mathlib.Logic.Basic"]) == MATHLIB
    # a project's own module may import Mathlib: not known, everything stays available
    assert library_of_imports(["LoVe.LoVelib"]) is None
    assert library_of_imports(["MIL.Common", "Mathlib.Data.Real.Basic"]) is None


# (tactic proof, the library that declares a word it uses)
BY_LIBRARY = {
    "by_contra": ("example (p : Prop) (h : ¬¬p) : p := by\n  by_contra h'\n  exact h h'", BATTERIES),
    "exacts": ("example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by\n  constructor\n  exacts [hp, hq]",
               BATTERIES),
    "absurd": ("example (p q : Prop) (hp : p) (hnp : ¬p) : q := by\n  absurd hp\n  exact hnp", BATTERIES),
    "swap": ("example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by\n  constructor\n  swap\n  exact hq\n"
             "  exact hp", BATTERIES),
    "tauto": ("example (p q : Prop) : p ∧ q → q ∧ p := by\n  tauto", MATHLIB),
    "cases'": ("example (p q : Prop) (h : p ∧ q) : q := by\n  cases' h with hp hq\n  exact hq", MATHLIB),
    "push_neg": ("example (p q : Prop) (h : ¬(p ∨ q)) : ¬p := by\n  push_neg at h\n  exact h.1", MATHLIB),
    "nth_rewrite": ("example (p q : Prop) (h : p ↔ q) (hq : q) : p := by\n  nth_rewrite 1 [h]\n  exact hq",
                    MATHLIB),
    "apply at": ("example (p q : Prop) (h : p → q) (hp : p) : q := by\n  apply h at hp\n  exact hp", MATHLIB),
}
IMPORTS = {CORE: "", BATTERIES: "import Batteries\n", MATHLIB: "import Mathlib.Tactic\n"}


@pytest.mark.parametrize("name", list(BY_LIBRARY))
def test_a_tactic_exists_only_under_the_imports_that_declare_it(name):
    proof, library = BY_LIBRARY[name]
    for level, header in IMPORTS.items():
        assert proved(header + proof) == (level >= library), (name, level)
    assert proved("import MyProject.Basic\n" + proof)  # imports not known: as without a file
    if library > CORE:
        assert first_message(proof).startswith("unexpected token 'at'" if name == "apply at" else "unknown tactic")


def test_sessions_and_statements_without_a_file_keep_every_tactic():
    # a session (search, JSONL records, the benchmark) has no imports: nothing is refused for them
    for name in ("by_contra", "cases'", "exacts", "push_neg", "nth_rewrite"):
        parse_tactic(BY_LIBRARY[name][0].split(":= by\n", 1)[1])


CORE_TACTICS = """
example (p q r : Prop) (h : p ∧ (q ∨ r)) (hn : ¬q) : r := by
  obtain ⟨hp, hqr⟩ := h
  rcases hqr with hq | hr
  · exfalso
    contradiction
  · iterate 1 assumption

example (p q : Prop) : p ∧ q → q := by
  rintro ⟨_, hq⟩
  by_cases hp : p <;> exact hq
"""


def test_core_tactics_need_no_import():
    results, diags = check_lean_text(CORE_TACTICS)
    assert [r.proved for r in results] == [True, True], results
    assert not diags


@pytest.mark.parametrize("term", ["not_not.mp h", "(em p).elim id (fun hn => absurd hn h)",
                                  "Classical.by_contradiction h", "of_not_not h"])
def test_mathlib_lemma_names_are_unknown_without_mathlib(term):
    proof = f"example (p : Prop) (h : ¬¬p) : p := {term}"
    assert proved("import Mathlib.Logic.Basic\n" + proof)
    assert not proved(proof)
    assert not proved("import Batteries\n" + proof)
    assert first_message(proof).startswith("Unknown identifier")


def test_core_lemma_names_need_no_import():
    assert proved("example (p : Prop) (h : ¬¬p) : p := Classical.not_not.mp h")
    assert proved("example (p : Prop) (h : ¬¬p) : p := Classical.byContradiction h")
    assert proved("example (p : Prop) (h : ¬¬p) : p := (Classical.em p).elim id (fun hn => absurd hn h)")
    assert proved("example (p q : Prop) (h : p = q) (hp : p) : q := (Eq.to_iff h).mp hp")


def test_hidden_constants_follow_the_vendored_sources():
    assert {"not_not", "em", "not_imp", "not_and_or", "Classical.by_contradiction"} <= hidden_constants(CORE)
    assert hidden_constants(BATTERIES) == hidden_constants(CORE)
    assert hidden_constants(MATHLIB) == hidden_constants(None) == frozenset()
    assert not {"Classical.not_not", "Classical.em", "and_comm", "Or.elim", "absurd"} & hidden_constants(CORE)


def test_lemma_is_a_batteries_command():
    source = "lemma t (p q : Prop) (hp : p) : p ∨ q := Or.inl hp"
    assert proved("import Batteries.Tactic.Lemma\n" + source)
    assert proved("import Mathlib.Tactic\n" + source)
    assert not proved(source)
    assert first_message(source).startswith("unexpected identifier; expected command")
    assert proved(source.replace("lemma", "theorem"))


def test_wrong_proofs_stay_refused_with_every_library():
    # the library only decides which words exist; a wrong proof with them is still refused
    header = IMPORTS[MATHLIB]
    assert not proved(header + "example (p q : Prop) (h : p ∨ q) : p := by\n  cases' h with hp hq\n  exact hp\n"
                      "  exact hp")
    assert not proved(header + "example (p : Prop) (h : ¬¬p) : ¬p := by\n  by_contra h'\n  exact h h'")
