"""prop's Lean, third pass (issue 28): tactics of Lean 4 core and Mathlib that proofs from public texts
use. Each behaviour is Lean 4's, and each test names where it is documented or pinned (Lean 4's
sources `src/...`, Mathlib's sources). The statements are this file's own."""

from qedjax.envs.prop.check import check_lean_text


def check(source: str):
    """The one declaration's result of a `.lean` source."""
    results, _ = check_lean_text(source)
    assert len(results) == 1, results
    return results[0]


def accepted(source: str) -> bool:
    return check(source).proved


def message(source: str) -> str:
    r = check(source)
    assert not r.proved
    return r.diagnostics[0].message


# ------------------------------------------------------------------------- guard_target, guard_hyp

def test_guard_target_matching_kinds():
    # src/Init/Guard.lean: `guard_target = e` is defeq at reducible transparency, `=~` at default,
    # `=ₛ` syntactic, `=ₐ` alpha-equivalence; src/Lean/Elab/Tactic/Guard.lean (`MatchKind.isEq`):
    # syntactic is `Expr ==` (binder names do not count). `Not` is a plain `def` (src/Init/Prelude.lean),
    # not reducible: only `=~` sees `¬P` as `P → False`.
    assert accepted("""
example (P Q : Prop) (hP : P) (hQ : Q) : P ∧ Q := by
  guard_target =ₛ P ∧ Q
  guard_target = P ∧ Q
  guard_target =ₐ P ∧ Q
  exact ⟨hP, hQ⟩
""")
    assert accepted("""
example : ∀ (p : Prop), p → p := by
  guard_target =ₛ ∀ (q : Prop), q → q
  intro p h
  exact h
""")
    assert accepted("""
example (P : Prop) (h : ¬P) : ¬P := by
  guard_target =~ P → False
  exact h
""")
    for spec in ("=", "=ₛ", "=ₐ"):
        assert message(f"""
example (P : Prop) (h : ¬P) : ¬P := by
  guard_target {spec} P → False
  exact h
""") == "The main goal is\n  ¬P\nbut was expected to be\n  P → False"
    assert not accepted("""
example (P Q : Prop) (h : P) : P := by
  guard_target =ₛ Q
  exact h
""")


def test_guard_hyp_checks_the_type_and_let_bindings():
    # src/Init/Guard.lean: `guard_hyp h : t` (reducible defeq), `:~` (default), `:ₛ`, `:ₐ`;
    # src/Lean/Elab/Tactic/Guard.lean (`evalGuardHyp`): an unknown name fails, and a `let` variable
    # without `:= v` fails with "`h` is a let binding".
    assert accepted("""
example (P Q : Prop) (hP : P) (hPQ : P → Q) : Q := by
  guard_hyp hP : P
  guard_hyp hPQ :ₛ P → Q
  guard_hyp P : Prop
  exact hPQ hP
""")
    assert accepted("""
example (P : Prop) (h : ¬P) : P → False := by
  guard_hyp h :~ P → False
  exact h
""")
    assert message("""
example (P : Prop) (h : ¬P) : P → False := by
  guard_hyp h : P → False
  exact h
""") == "Hypothesis `h` has type\n  ¬P\nbut was expected to have type\n  P → False"
    assert not accepted("""
example (P Q : Prop) (h : P) : P := by
  guard_hyp h : Q
  exact h
""")
    assert not accepted("""
example (P : Prop) (h : P) : P := by
  guard_hyp g : P
  exact h
""")
    assert "is a let binding" in message("""
example (P : Prop) (h : P) : P := by
  let x : Prop := P
  guard_hyp x : Prop
  exact h
""")


# ------------------------------------------------------------------------------- by?, show_term

def test_by_question_and_show_term_run_their_tactics():
    # src/Init/Tactics.lean: `show_term tac` runs `tac` and prints the term it built; `by? tac` is
    # `show_term by tac`. Both prove exactly what `tac` proves.
    assert accepted("""
example (P Q R : Prop) (hPQ : P → Q) (hQR : Q → R) : P → R := by?
  intro hP
  exact hQR (hPQ hP)
""")
    assert accepted("""
example (P : Prop) (h : P) : P := by
  show_term exact h
""")
    assert not accepted("""
example (P Q : Prop) (h : P) : Q := by?
  exact h
""")
    assert not accepted("""
example (P Q : Prop) (h : P) : Q := by
  show_term exact h
""")


# ----------------------------------------------------------------------------------- simp?, simpa

def test_simp_question_is_simp():
    # src/Init/Tactics.lean: "`simp?` takes the same arguments as `simp`, but reports an equivalent
    # call to `simp only`"; it closes and fails where `simp` does.
    assert accepted("""
example (P : Prop) : (True → P) ∨ (P → P) := by
  simp?
""")
    assert not accepted("""
example (P Q : Prop) : P ∨ Q := by
  simp?
""")


def test_simpa_without_using_closes_with_assumption():
    # src/Init/Tactics.lean (`simpa`): "`simpa [rules, ⋯]` will simplify the goal and the type of a
    # hypothesis `this` if present in the context, then try to close the goal using the `assumption`
    # tactic". `True → p` simplifies to `p` (`true_implies`, Init/SimpLemmas.lean).
    assert accepted("""
example (P : Prop) (h : P) : True → P := by
  simpa
""")
    assert not accepted("""
example (P Q : Prop) (h : P) : True → Q := by
  simpa
""")


# --------------------------------------------------------------------------------- clear * -, symm

def test_clear_except():
    # Mathlib/Tactic/ClearExcept.lean: `clear * - h₁ h₂` "clears all hypotheses it can, except those
    # provided" (`tryClearMany`): a variable the target or a kept hypothesis uses stays.
    assert accepted("""
import Mathlib.Tactic
example (P Q R : Prop) (hP : P) (hQ : Q) (hR : R) : P := by
  clear * - hP
  exact hP
""")
    assert message("""
import Mathlib.Tactic
example (P Q R : Prop) (hP : P) (hQ : Q) (hR : R) : P := by
  clear * - hQ
  exact hP
""") == "Unknown identifier `hP`"
    assert not accepted("""
import Mathlib.Tactic
example (P Q R : Prop) (hP : P) (hQ : Q) (hR : R) : P := by
  clear * - hP
  have h : Q := hQ
  exact hP
""")


def test_symm_at_hypothesis():
    # src/Init/Tactics.lean: "`symm at h` will rewrite a hypothesis `h : t ~ u` to `h : u ~ t`"
    # (`Iff.symm` and `Eq.symm` are `@[symm]`).
    assert accepted("""
example (P Q : Prop) (h : P ↔ Q) : Q ↔ P := by
  symm at h
  exact h
""")
    assert not accepted("""
example (P Q : Prop) (h : P ↔ Q) : P ↔ Q := by
  symm at h
  exact h
""")
    assert not accepted("""
example (P Q : Prop) (h : P ∧ Q) : P ∧ Q := by
  symm at h
  exact h
""")


# --------------------------------------------------------------- cases alternatives without `=>`

def test_cases_alternative_without_rhs_leaves_the_goal():
    # src/Init/Tactics.lean: `inductionAlt := inductionAltLHS+ (" => " (hole <|> syntheticHole <|>
    # tacticSeq))?`; an alternative without `=>`, or with `=> ?_`, leaves its case as a goal (with
    # the names it binds); several left-hand sides share one right-hand side.
    assert accepted("""
example (P Q R : Prop) : P ∨ Q → (P → R) → (Q → R) → R := by
  intro h hPR hQR
  cases h with | inl hP | inr hQ
  · exact hPR hP
  · exact hQR hQ
""")
    assert accepted("""
example (P Q R : Prop) : P ∨ Q → (P → R) → (Q → R) → R := by
  intro h hPR hQR
  cases h with
  | inl hP => ?_
  | inr hQ => ?_
  case inr => exact hQR hQ
  case inl => exact hPR hP
""")
    assert not accepted("""
example (P Q R : Prop) : P ∨ Q → (P → R) → (Q → R) → R := by
  intro h hPR hQR
  cases h with | inl hP | inr hQ
  · exact hQR hQ
  · exact hPR hP
""")
    assert not accepted("""
example (P Q R : Prop) : P ∨ Q → (P → R) → (Q → R) → R := by
  intro h hPR hQR
  cases h with
  | inl hP
  | inr hQ => exact hQR hQ
  exact hPR hP
""")


# -------------------------------------------------------------------------------- apply_assumption

def test_apply_assumption_applies_the_hypothesis_that_fits():
    # Mathlib/Tactic/SolveByElim.lean: "`apply_assumption` looks for an assumption of the form
    # `... → ∀ _, ... → head` where `head` matches the current goal" (`solve_by_elim` with depth 1,
    # no backtracking); inaccessible hypotheses count (`getLocalHyps`). "If this also fails, it will
    # call `exfalso` and try again": not modelled, so the environment refuses instead of failing.
    assert accepted("""
example (P Q : Prop) (hPQ : P → Q) : ¬Q → ¬P := by
  intro hQn hP
  apply_assumption
  apply_assumption
  apply_assumption
""")
    assert accepted("""
example (P Q R S T : Prop) : (P → Q) → (Q → R) → (R → S) → (S → T) → P → T := by
  repeat intro
  repeat apply_assumption
""")
    assert not accepted("""
example (P Q : Prop) (hP : P) : Q := by
  apply_assumption
""")
    # two hypotheses fit with different results: which one Lean takes is not modelled
    assert "several hypotheses" in message("""
example (P Q R : Prop) (h1 : P → R) (h2 : Q → R) (hP : P) : R := by
  apply_assumption
  exact hP
""")
    # no hypothesis fits `Q`, but Lean's `exfalso` retry would apply `hn : ¬P`
    assert "exfalso" in message("""
example (P Q : Prop) (hn : ¬P) (hP : P) : Q := by
  try apply_assumption
  exact absurd hP hn
""")


# ------------------------------------------------- what prop cannot reproduce is not a Lean failure

def test_try_and_first_do_not_swallow_what_prop_cannot_reproduce():
    # src/Init/Tactics.lean: `try tac` is `first | tac | skip`, and `first` takes the first alternative
    # that *succeeds*. Where Lean's tactic succeeds but prop cannot reproduce its result (a `simp` that
    # leaves a goal, a tactic prop does not model), prop must not run the fallback instead: after
    # `try simp` Lean's goal is `P`, so `exact h` (h : True ∧ P) fails; `aesop` closes `P`, so the
    # next `exact h` finds no goals.
    assert not accepted("""
example (P : Prop) (h : True ∧ P) : True ∧ P := by
  try simp
  exact h
""")
    assert not accepted("""
example (P : Prop) (h : P) : P := by
  try aesop
  exact h
""")
    assert not accepted("""
example (P : Prop) (h : P) : P := by
  first | aesop | exact h
""")
    # a failure that prop reproduces exactly is still caught
    assert accepted("""
example (P Q : Prop) (h : P) : P := by
  try exact (h : Q)
  first | exact (h : Q) | exact h
""")


def test_fail_if_success():
    # src/Init/Tactics.lean: "`fail_if_success t` fails if the tactic `t` succeeds"
    # (src/Lean/Elab/Tactic/BuiltinTactic.lean, `evalFailIfSuccess`: "tactic succeeded"); when `t`
    # fails the state is restored. A tactic prop cannot reproduce is not taken as failing.
    assert accepted("""
example (P Q : Prop) (hP : P) (hQ : Q) : P := by
  fail_if_success exact hQ
  exact hP
""")
    assert message("""
example (P : Prop) (hP : P) : P := by
  fail_if_success exact hP
  exact hP
""") == "tactic succeeded"
    assert not accepted("""
example (P : Prop) (hP : P) : P := by
  fail_if_success aesop
  exact hP
""")


def test_simp_no_progress_only_where_no_simp_lemma_can_apply():
    # src/Init/PropLemmas.lean: `@[simp] theorem not_or : ¬(p ∨ q) ↔ ¬p ∧ ¬q`. Lean's `simp` rewrites
    # `¬(P ∨ Q)` to `¬P ∧ ¬Q`, so after `try simp` the goal no longer matches `h`; prop does not model
    # that lemma and must not read the call as "no progress" (a failure `try` would skip).
    assert not accepted("""
example (P Q : Prop) (h : ¬(P ∨ Q)) : ¬(P ∨ Q) := by
  try simp
  exact h
""")
    # over distinct variables no simp lemma applies: "`simp` made no progress", caught by `try`
    assert accepted("""
example (P Q : Prop) (h : P ∧ Q) : P ∧ Q := by
  try simp
  exact h
""")
    assert message("""
example (P Q : Prop) (h : P ∧ Q) : P ∧ Q := by
  simp
""") == "`simp` made no progress"


def test_rw_with_an_occurrence_config():
    # src/Lean/Meta/KAbstract.lean: `kabstract e p occs` numbers the matches of `p` in pre-order from 1
    # and abstracts only those in `occs`; `rw (config := {occs := .pos [n]}) [h]` passes it (the same
    # `occs` as Mathlib's `nth_rw n`). Other configurations are refused.
    assert accepted("""
example {P Q : Prop} (h : P ↔ Q) (hp : P) (hq : Q) : P ∧ P ∧ P := by
  rw (config := {occs := .pos [2]}) [h]
  guard_target =ₛ P ∧ Q ∧ P
  exact ⟨hp, hq, hp⟩
""")
    assert not accepted("""
example {P Q : Prop} (h : P ↔ Q) (hp : P) (hq : Q) : P ∧ P ∧ P := by
  rw (config := {occs := .pos [2]}) [h]
  exact ⟨hq, hp, hp⟩
""")
    assert not accepted("""
example {P Q : Prop} (h : P ↔ Q) (hq : Q) : P ∧ P := by
  rw (config := {occs := .all}) [h]
  exact ⟨hq, hq⟩
""")


# --------------------------------------------------------------- implicit binders in hypotheses

def test_hypothesis_with_an_implicit_binder():
    # Lean 4 reference manual, "Functions" (implicit parameters): an implicit `∀ {p : Prop}, …` is
    # instantiated by unification wherever the name is used without `@`; `@h` takes it explicitly.
    # `have h2 := h` leaves it undetermined: "don't know how to synthesize implicit argument".
    assert accepted("""
example (Q : Prop) (h : ∀ {p : Prop}, p → p) (hq : Q) : Q := by
  exact h hq
""")
    assert accepted("""
example (Q : Prop) (h : ∀ {p : Prop}, p → p) (hq : Q) : Q := @h Q hq
""")
    assert accepted("""
example (Q : Prop) (h : ∀ {p : Prop}, p → p) (hq : Q) : Q := by
  apply h
  exact hq
""")
    assert not accepted("""
example (Q : Prop) (h : ∀ {p : Prop}, p → p) (hq : Q) : Q := by
  exact h Q hq
""")
    assert not accepted("""
example (Q : Prop) (h : ∀ {p : Prop}, p → p) (hq : Q) : Q := by
  have h2 := h
  exact h2 hq
""")
    assert not accepted("""
example (Q R : Prop) (h : ∀ {p : Prop}, p → p) (hq : Q) : R := h hq
""")
    # the binder annotation is kept when the hypothesis is shown (Lean groups binders as written)
    from qedjax.envs.prop.syntax import parse_formula, pp
    assert pp(parse_formula("∀ {p : Prop} (q : Prop), p → q → p")) == "∀ {p : Prop} (q : Prop), p → q → p"


def test_simp_with_a_permutation_lemma_and_the_default_set():
    # src/Lean/Meta/Tactic/Simp/Rewrite.lean: a permutation lemma (`Or.comm`) rewrites only to a term
    # smaller in `acLt`, so both sides of `p ∨ q ↔ q ∨ p` reach one order; simp rewrites the subterms
    # before the term, and `iff_self` (Init/SimpLemmas.lean, @[simp]) closes the goal. Modelled
    # without `only` where each side is one connective over distinct variables; refused otherwise.
    assert accepted("""
example (p q : Prop) : p ∨ q ↔ q ∨ p := by
  simp [Or.comm]
""")
    assert accepted("""
example (p q r : Prop) : p ∧ q ∧ r ↔ r ∧ (q ∧ p) := by
  simp [and_comm, and_left_comm]
""")
    assert not accepted("""
example (p q : Prop) : p ∨ q ↔ q ∨ q := by
  simp [or_comm]
""")
    assert not accepted("""
example (p q : Prop) : p ∨ q ∨ p ↔ q ∨ p := by
  simp [or_comm, or_left_comm]
""")


# ----------------------------------------------------------------------------------------- itauto

def test_itauto_decides_intuitionistic_logic():
    # Mathlib/Tactic/ITauto.lean: "A decision procedure for intuitionistic propositional logic";
    # `itauto!` is the classical variant; a `∀` over `Prop` is an atom (it fails on the quantified
    # `∀ P, ¬¬(P ∨ ¬P)` and proves it once `P` is introduced). Disabled unless tauto is allowed.
    import random

    from qedjax.envs.prop.itauto import classical_provable, ipc_provable

    def check_t(src):
        results, _ = check_lean_text("import Mathlib.Tactic.ITauto\n" + src, allow_tauto=True)
        assert len(results) == 1
        return results[0]

    assert check_t("theorem t (p : Prop) : ¬(p ↔ ¬p) := by itauto").proved
    assert check_t("example (P : Prop) : ¬¬(P ∨ ¬P) := by itauto").proved
    assert check_t("""
example : ∀ (P : Prop), ¬¬(P ∨ ¬P) := by
  fail_if_success itauto
  intro P hP
  itauto
""").proved
    assert not check_t("example (P : Prop) : P ∨ ¬P := by itauto").proved
    assert not check_t("example (P : Prop) : ¬¬P → P := by itauto").proved
    assert check_t("example (P : Prop) : ¬¬P → P := by itauto!").proved
    assert not check_t("example (P Q : Prop) : P → Q := by itauto!").proved
    assert not accepted("example (P : Prop) : ¬¬(P ∨ ¬P) := by itauto")  # disabled by default
    # Glivenko's theorem pins the decision procedure: ¬¬A is intuitionistically provable exactly
    # when A is a classical tautology
    rng = random.Random(0)
    leaves = [("atom", "p"), ("atom", "q"), ("atom", "r"), ("bot",), ("top",)]

    def rnd(d):
        if d == 0 or rng.random() < 0.25:
            return rng.choice(leaves)
        return (rng.choice(["and", "or", "imp", "imp"]), rnd(d - 1), rnd(d - 1))
    for _ in range(400):
        f = rnd(5)
        assert ipc_provable((), ("imp", ("imp", f, ("bot",)), ("bot",))) == classical_provable((), f), f
    assert not ipc_provable((), ("or", ("atom", "p"), ("imp", ("atom", "p"), ("bot",))))
    assert not ipc_provable((), ("imp", ("imp", ("imp", ("atom", "p"), ("atom", "q")), ("atom", "p")),
                                 ("atom", "p")))  # Peirce


def test_push_not_is_push_neg():
    # Mathlib/Tactic/Push.lean: `macro "push_neg" cfg:optConfig loc:(location)? : tactic =>
    # `(tactic| push $cfg Not $[$loc]?)`, and `+distrib` is the option `push_neg.use_distrib`
    # (`¬(p ∧ q)` becomes `¬p ∨ ¬q` instead of `p → ¬q`). Other heads are not modelled.
    assert accepted("""
import Mathlib.Tactic
example (P Q : Prop) (h : P → Q) : ¬(P ∧ ¬Q) := by
  push Not
  show P → Q
  exact h
""")
    assert accepted("""
import Mathlib.Tactic
example (P Q : Prop) (h : P → Q) : ¬(P ∧ ¬Q) := by
  push +distrib Not
  show ¬P ∨ Q
  by_cases hP : P
  · right
    exact h hP
  · left
    assumption
""")
    assert not accepted("""
import Mathlib.Tactic
example (P Q : Prop) (h : P → Q) : ¬(P ∧ ¬Q) := by
  push Not
  show ¬P ∨ Q
  sorry
""")
    assert accepted("""
import Mathlib.Tactic
example (P Q : Prop) (h : ¬(P ∧ ¬Q)) : P → Q := by
  push Not at h
  exact h
""")
    assert "only with `Not`" in message("""
import Mathlib.Tactic
example (P Q : Prop) (h : P ∧ Q) : P ∧ Q := by
  push And
  exact h
""")


def test_says_runs_the_recorded_tactics():
    # Mathlib/Tactic/Says.lean: `tac says seq` runs only `seq` unless `says.verify` (default false);
    # with verification, or with nothing after `says`, Lean runs `tac` and reads its "Try this"
    # suggestion, which prop cannot reproduce.
    assert accepted("""
import Mathlib.Tactic
example (P Q R : Prop) (hPQ : P → Q) (hQR : Q → R) (hP : P) : R := by
  exact? says
    exact hQR (hPQ hP)
""")
    assert not accepted("""
import Mathlib.Tactic
example (P Q : Prop) (h : P → Q) (p : P) : Q := by
  exact? says exact h
""")
    assert not accepted("""
set_option says.verify true
example (P Q : Prop) (h : P → Q) (p : P) : Q := by
  exact? says exact h p
""")
    assert not accepted("""
import Mathlib.Tactic
example (P : Prop) (p : P) : P := by
  assumption says
""")


def test_named_holes_are_shared():
    # src/Lean/Elab/BuiltinNotation.lean (`elabSyntheticHole`): `?a` names one metavariable: a second
    # `?a` in the term is the same goal, and a later term may use `?a` (here once its goal is solved;
    # never inside its own proof, which Lean's occurs check rejects).
    assert accepted("""
example {P Q : Prop} (h1 : P → Q) (h2 : P → Q → False) (hP : P) : False := by
  refine h2 ?a ?_
  · exact hP
  · exact h1 ?a
""")
    assert accepted("""
example {P : Prop} (h : P → P → False) (hP : P) : False := by
  refine h ?a ?a
  · exact hP
""")
    assert accepted("""
example {P Q : Prop} (h1 : P → Q) (h2 : P → Q → False) (hP : P) : False := by
  refine h2 ?a ?_
  case a => exact hP
  exact h1 ?a
""")
    assert not accepted("""
example {P : Prop} (h : P → P → False) (hP : P) : False := by
  refine h ?a ?_
  · exact ?a
  · exact hP
""")
    assert not accepted("""
example {P Q : Prop} (h1 : P → Q) (h2 : P → Q → False) (hP : P) : False := by
  refine h2 ?a ?_
  · exact hP
  · exact h1 ?b
""")
