"""Behaviours of Lean 4 that a seventh set of texts not used while developing prop showed it lacked
(issue 28). Each test names where Lean documents or pins the behaviour; the statements are this file's
own, and each family keeps a wrong variant that Lean rejects."""

from qedjax.envs.prop.check import check_lean_text


def check(source: str, **kw):
    results, file_diags = check_lean_text(source, **kw)
    assert len(results) == 1, results
    assert not [d for d in file_diags if d.severity == "error"], file_diags
    return results[0]


def messages(r) -> list[str]:
    return [d.message for d in r.diagnostics]


# ------------------------------------------------------- the value of `have`/`let` starting a line

def test_let_value_may_start_a_line_at_the_let_column():
    # src/Lean/Parser/Term.lean: `let` is `withPosition("let " letDecl) optSemicolon term` and
    # `letIdDecl`/`haveIdDecl` end in `" := " term`, with no `checkColGt` before that term (only an
    # application's arguments are checked against the saved position, `many (checkColGt argArg)`):
    # the value may start a line at the column of `let`, and the next line at that column is the body.
    r = check("""
example (a b : Prop) (hna : ¬a) (h : a ∨ b) : b :=
  match h with
  | Or.inl ha =>
    let hb : b :=
    False.elim (hna ha)
    hb
  | Or.inr hb => hb
""")
    assert r.proved, messages(r)
    r = check("""
example (a b : Prop) (ha : a) (hb : b) : a ∧ b :=
  have h : a :=
  ha
  ⟨h, hb⟩
""")
    assert r.proved, messages(r)


def test_tactic_have_value_may_start_a_line():
    # the tactic `have` is `"have" haveDecl` (src/Init/Tactics.lean) with the same `haveIdDecl`
    r = check("""
example (a b : Prop) (ha : a) (hb : b) : a ∧ b := by
  have h : a :=
  ha
  exact ⟨h, hb⟩
""")
    assert r.proved, messages(r)


def test_let_value_arguments_stay_bounded_by_the_position():
    # the value's arguments must sit right of `let`'s column: here `ha` at that column is the body,
    # not an argument, so the value `f` has the wrong type, as in Lean
    r = check("""
example (a b : Prop) (f : a → b) (ha : a) : b :=
  have h : b :=
  f
  ha
  h
""")
    assert not r.proved
    assert messages(r)[0].startswith("Type mismatch\n  f\nhas type\n  a → b")


# ------------------------------------------------------------------------- proofs given by `def`

def check_all(source: str, **kw):
    results, file_diags = check_lean_text(source, **kw)
    return results, file_diags


def test_def_of_a_proposition_is_a_proof_later_terms_cite():
    # A definition whose type is a proposition is accepted by Lean (the kernel checks its value like a
    # theorem's; only a linter outside core, Batteries' `defLemma`, asks for `theorem`), and later terms
    # cite it by name. A definition takes the section variables its header or its body uses (the
    # reference manual's section scopes; since v4.10 a theorem takes only those of its statement), so
    # `pq` below has the signature `pq (a b : Prop) (ha : a) (hb : b) : a ∧ b`.
    results, diags = check_all("""
variable (a b : Prop)
variable (ha : a) (hb : b)

def pq : a ∧ b := And.intro ha hb

def inl' {x y : Prop} (hx : x) : x ∨ y := Or.inl hx

example : a ∧ b := pq a b ha hb

theorem t (c d : Prop) (hc : c) : c ∨ d := inl' hc
""")
    assert [r.proved for r in results] == [True, True, True, True], [r.diagnostics for r in results]
    assert not [d for d in diags if d.severity == "error"], diags


def test_def_proofs_stay_checked_and_other_defs_stay_refused():
    # the wrong variants: a definition's value is checked against its type, a citation against the
    # definition's signature (the body's variables are explicit arguments), and a definition of data
    # is no proof (refused by name, as before)
    results, diags = check_all("""
variable (a b : Prop)
variable (ha : a) (hb : b)

def pq : a ∧ b := And.intro ha ha

def pq' : a ∧ b := And.intro ha hb

example : a ∧ b := pq' a b

def f (n : Nat) : Nat := n
""")
    assert [r.proved for r in results] == [False, True, False]
    assert results[0].diagnostics[0].message.startswith("Type mismatch\n  ha\nhas type\n  a")
    assert any("does not support the command `def`" in d.message for d in diags)


# ------------------------------------------------- a file's own `triv` where only Lean core is imported

TRIV = """
syntax "triv" : tactic

macro_rules
  | `(tactic| triv) => `(tactic| assumption)

macro_rules | `(tactic| triv) => `(tactic| apply And.intro <;> triv)

example (a b : Prop) (ha : a) (hb : b) : a ∧ b := by
  triv
"""


def test_a_core_only_file_declares_triv_afresh():
    # Lean core declares no `triv` (src/Init/Tactics.lean; Mathlib and Batteries do), so a file that
    # imports nothing beyond core declares it with `syntax "triv" : tactic` and extends it with
    # `macro_rules`, most recent first (Theorem Proving in Lean 4, chapter "Tactics", Extensible Tactics)
    r = check(TRIV)
    assert r.proved, messages(r)


def test_a_core_only_triv_runs_only_the_files_expansions():
    # wrong variants: with only the file's rules, `triv` is no `trivial` (`True` is not closed by
    # `assumption` or `And.intro`), and a conjunct without a hypothesis stays unproved
    r = check(TRIV.replace("(ha : a) (hb : b) : a ∧ b", "(ha : a) : a ∧ b"))
    assert not r.proved
    r = check(TRIV.replace("(a b : Prop) (ha : a) (hb : b) : a ∧ b", ": True"))
    assert not r.proved
    assert messages(r)[0].startswith("Tactic `assumption` failed")


def test_triv_stays_refused_where_mathlib_declares_it():
    # with Mathlib imported the file's syntax overloads Mathlib's `triv`, which prop does not model
    results, _ = check_lean_text("import Mathlib.Tactic\n" + TRIV)
    assert not results[0].proved
    assert "triv" in results[0].diagnostics[0].message


# --------------------------------------------------- simp attributes on Lean core's Nat arithmetic

NAT_SIMP = """
section
attribute [local simp] Nat.mul_comm Nat.mul_assoc Nat.mul_left_comm
attribute [local simp] Nat.add_assoc Nat.add_comm Nat.add_left_comm

example (a b : Prop) (ha : a) (hb : b) : a ∧ (b ∨ a) := by
  simp [*]
end
"""


def test_nat_arithmetic_simp_lemmas_leave_simp_on_propositions_unchanged():
    # TPIL, chapter "Tactics" (Using the Simplifier), adds `attribute [local simp] Nat.mul_comm
    # Nat.mul_assoc Nat.mul_left_comm`; these are equations between Nat terms (Init/Data/Nat/Basic.lean)
    # and simp rewrites only subterms their left-hand sides match (src/Lean/Meta/Tactic/Simp/Rewrite.lean,
    # `rewrite?` through the discrimination tree), which no subterm of type `Prop` does
    r = check(NAT_SIMP)
    assert r.proved, messages(r)


def test_nat_arithmetic_simp_lemmas_change_no_outcome():
    # wrong variant: the lemmas add nothing, so a goal Lean's own simp set leaves open stays open
    r = check(NAT_SIMP.replace("(ha : a) (hb : b) : a ∧ (b ∨ a)", "(ha : a) : a ∧ b"))
    assert not r.proved
    assert messages(r)[0].startswith("unsolved goals")


def test_a_file_that_declares_such_a_name_keeps_simp_refused():
    # the attribute may name the file's own lemma (a `Nat.mul_comm` of the file's namespace, about its
    # own type or a proposition): prop cannot tell, and keeps refusing simp with the default set
    results, _ = check_lean_text("theorem Nat.mul_left_comm (a b : Prop) : a ∧ b ↔ b ∧ a := And.comm\n" + NAT_SIMP)
    r = results[1]
    assert not r.proved
    assert "default simp set" in messages(r)[0]
