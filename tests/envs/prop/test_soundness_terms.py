"""Soundness of lemmas, terms and rewriting: texts that Lean 4 rejects stay rejected, next to the
variants that Lean accepts. Each test names the rule of Lean's sources that rejects the wrong variant."""

from tests.envs.prop.lean_text import proved_each as proved

# ------------------------------------------------ `rw` matches its pattern at reducible transparency

def test_rw_does_not_see_a_negation_in_an_implication_to_false():
    # `Lean.MVarId.rewrite` abstracts the pattern with `kabstract` under `Rewrite.Config.transparency :=
    # .reducible`; `Not` (Init/Prelude.lean) is a plain `def`, so `¬?a` does not unify with `p → False`
    # there and Lean reports "did not find an occurrence of the pattern". prop unfolded `¬` while matching
    assert proved("example (p : Prop) (h : p ∧ (p → False)) : False := by\n"
                  "  rw [and_not_self_iff] at h\n  exact h") == [False]
    assert proved("example (p : Prop) (h : p ∧ ¬p) : False := by\n"
                  "  rw [and_not_self_iff] at h\n  exact h") == [True]
    assert proved("import Mathlib\nexample (p : Prop) (hp : p) : ¬(p → False) := by\n"
                  "  rw [not_not]\n  exact hp") == [False]
    assert proved("import Mathlib\nexample (p : Prop) (hp : p) : ¬¬p := by\n"
                  "  rw [not_not]\n  exact hp") == [True]
    # `exact` elaborates at default transparency, where `¬p` and `p → False` are the same
    assert proved("example (p : Prop) (h : p ∧ (p → False)) : False := by\n"
                  "  exact (and_not_self_iff p).mp h") == [True]


# ------------------------------------------------ simp rewrites a negation before its parent

def test_simp_rewrites_a_compound_negation_before_and_not_self_sees_it():
    # Lean's simp visits children before their parent and applies `@[simp]` lemmas as post steps
    # (Lean/Meta/Tactic/Simp/Main.lean): in `(p ∧ q) ∧ ¬(p ∧ q)` the child `¬(p ∧ q)` is rewritten by
    # `not_and` (Init/SimpLemmas.lean) to `p → ¬q` first, so `and_not_self` no longer matches and `h`
    # does not become `False`; `¬(p ∨ q)` (`not_or`) and `¬(p → q)` (`Classical.not_imp`) likewise.
    # prop applied `and_not_self`/`not_and_self`/`iff_not_self` to any `a`
    for h, closer in (("(p ∧ q) ∧ ¬(p ∧ q)", "simp at h"), ("(p ∧ q) ↔ ¬(p ∧ q)", "simp at h"),
                      ("¬(p ∨ q) ∧ (p ∨ q)", "simp at h"), ("(p → q) ∧ ¬(p → q)", "simp at h"),
                      ("(p ∧ q) ∧ ¬(p ∧ q)", "simp_all"), ("(p ∧ q) ∧ ¬(p ∧ q)", "simpa using h")):
        assert proved(f"example (p q : Prop) (h : {h}) : False := by {closer}") == [False], (h, closer)
    assert proved("example (p q : Prop) : ¬((p ∧ q) ∧ ¬(p ∧ q)) := by simp") == [False]
    # a proposition variable has no such lemma; `simp only [and_not_self]` has no `not_and`
    assert proved("example (p : Prop) (h : p ∧ ¬p) : False := by simp at h") == [True]
    assert proved("example (p : Prop) (h : p ↔ ¬p) : False := by simp at h") == [True]
    assert proved("example (p q : Prop) (h : (p ∧ q) ∧ ¬(p ∧ q)) : False := by\n"
                  "  simp only [and_not_self] at h") == [True]


def test_simp_with_a_hypothesis_that_rewrites_a_negation():
    # a hypothesis `h : ¬p ↔ r` is the simp lemma `(¬p) = r` (Lean/Meta/Tactic/Simp/SimpTheorems.lean,
    # `preprocess`): `p ∧ ¬p` becomes `p ∧ r` before `and_not_self` is tried, so `simp [h] at h2` leaves
    # `h2 : p ∧ r`. prop used only the hypotheses that fix a proposition variable and dropped this one
    assert proved("example (p r : Prop) (h : ¬p ↔ r) (h2 : p ∧ ¬p) : False := by simp [h] at h2") == [False]
    assert proved("example (p : Prop) (h : ¬p ↔ True) (h2 : p ∧ ¬p) : False := by simp [h] at h2") == [False]
    assert proved("example (p r : Prop) (h : ¬p ↔ r) : ¬(p ∧ ¬p) := by simp [h]") == [False]
    # where a rule of the set fits the hypothesis's own left side, which one simp takes is not modelled
    assert proved("example (p r : Prop) (h : (p ∧ ¬p) ↔ r) (h2 : p ∧ ¬p) : False := by\n"
                  "  simp only [h, and_not_self] at h2") == [False]
    # hypotheses over other propositions leave `and_not_self` as it is
    assert proved("example (p q : Prop) (h : ¬(p ∧ q)) (h2 : p ∧ ¬p) : False := by simp [h] at h2") == [True]
    assert proved("example (p q : Prop) (h : p ∨ q) (h2 : p ∧ ¬p) : False := by simp [h] at h2") == [True]


# ------------------------------------------------ decide needs a Decidable instance

def test_decide_has_no_instance_for_a_quantifier_over_propositions():
    # `decide` first synthesizes `Decidable p` (Lean/Elab/Tactic/ElabTerm.lean, `evalDecide`); core has
    # instances for `¬ ∧ ∨ → ↔` over decidable propositions but none for `∀ p : Prop, …` ("failed to
    # synthesize Decidable"). prop evaluated the closed formula, quantifier included, and accepted it
    for stmt in ("∀ p : Prop, p ∨ ¬p", "∀ p : Prop, True", "(∀ p : Prop, p ∨ ¬p) ∧ True"):
        assert proved(f"example : {stmt} := by decide") == [False], stmt
    assert proved("example : ∀ p : Prop, p ∨ ¬p := by trivial") == [False]
    # a closed formula over True and False is decided
    assert proved("example : (True → False) → ¬(True ∧ False) := by decide") == [True]
    assert proved("example : (True ∨ False) ∧ True := by trivial") == [True]


# ------------------------------------------------ recursors: the motive is a function of the major premise

def test_a_recursors_motive_is_not_a_proposition():
    # Init/Prelude.lean: `Or.rec {a b : Prop} {motive : a ∨ b → Prop} (inl : ∀ h : a, motive (.inl h))
    # (inr : …) (t : a ∨ b) : motive t`. `@Or.rec p q r` and `(motive := r)` pass a proposition where a
    # function is expected (application type mismatch); `elab_as_elim` (Lean/Elab/App.lean) needs the
    # expected type ("failed to elaborate eliminator, expected type is not available"), which `have :=`
    # and `apply` (it elaborates its term without one) do not give. prop's library had `motive : Prop`
    hyps = "(p q r : Prop) (h : p ∨ q) (f : p → r) (g : q → r)"
    for body in ("@Or.rec p q r f g h", "Or.rec (motive := r) f g h", "@Or.casesOn p q r h f g",
                 "by have := Or.rec f g h; exact this", "by apply Or.rec f g h"):
        assert proved(f"example {hyps} : r := {body}") == [False], body
    assert proved("example (p q r : Prop) (h : p ∧ q) (f : p → q → r) : r := @And.rec p q r f h") == [False]
    assert proved("example (p q r : Prop) (h : p ↔ q) (f : (p → q) → (q → p) → r) : r := "
                  "@Iff.rec p q r f h") == [False]
    # against a known type, fully applied, the motive is `fun _ => r`
    for body in ("Or.rec f g h", "Or.casesOn h f g", "by exact Or.rec f g h", "by refine Or.rec ?_ ?_ h; exact f; exact g"):
        assert proved(f"example {hyps} : r := {body}") == [True], body
