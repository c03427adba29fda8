-- Propositional declarations of leanprover-community/tutorials4 @ 1e7a75a921554daadde78dcff08f6c75e6660666 : Tutorials/Solutions/07FirstNegations.lean, verbatim.

import Tutorials.TutoLib

/-
Negations, proof by contradiction and contraposition.

This file introduces the logical rules and tactics related to negation:
exfalso, by_contra, contrapose, by_cases and push_neg.

There is a special statement denoted by `False` which, by definition,
has no proof.

So `False` implies everything. Indeed `False → P` means any proof of
`False` could be turned into a proof of P.
This fact is known by its latin name
"ex falso quod libet" (from False follows whatever you want).
Hence Lean's tactic to invoke this is called `exfalso`.
-/

open Int

-- 0045

example (P Q : Prop) (h₁ : P ∨ Q) (h₂ : ¬(P ∧ Q)) : ¬P ↔ Q := by
  -- sorry
  constructor
  · intro hnP
    rcases h₁ with hP | hQ
    · exfalso
      exact hnP hP
    · exact hQ
  · intro hQ hP
    exact h₂ ⟨hP, hQ⟩
  -- sorry

/-
The definition of negation easily implies that, for every statement P,
`P → ¬ ¬ P`.

The excluded middle axiom, which asserts `P ∨ ¬ P` allows us to
prove the converse implication.

Together those two implications form the principle of double negation elimination.
  `not_not {P : Prop} : (¬ ¬ P) ↔ P`

The implication `¬ ¬ P → P` is the basis for proofs by contradiction:
in order to prove `P`, it suffices to prove `¬ ¬ P`, ie `¬ P → False`.

Of course there is no need to keep explaining all this. The tactic
`by_contra Hyp` will transform any goal `P` into `False` and
add `Hyp : ¬ P` to the local context.

Let's return to a proof from the 5th file: uniqueness of limits for a sequence.
This cannot be proved without using some version of the excluded middle
axiom. We used it secretely in

`eq_of_abs_sub_le_all (x y : ℝ) : (∀ ε > 0, |x - y| ≤ ε) → x = y`

(we'll prove a variation on this lemma below).

In the proof below, we also take the opportunity to introduce the `let` tactic
which creates a local definition. If needed, it can be unfolded using `unfold_let`.
For instance after using `let N₀ := max N N'`, you could write
`unfold_let N₀ at h` to replace `N₀` by its definition in some local assumption `h`.
-/

example (P Q : Prop) (h : ¬Q → ¬P) : P → Q := by
  -- sorry
  intro hP
  by_contra hnQ
  exact h hnQ hP
  -- sorry

/-
Again Lean doesn't need this principle explained to it. We can use the
`contrapose` tactic.
-/

variable (P Q : Prop)

example : ¬(P ∧ Q) ↔ ¬P ∨ ¬Q := by
  -- sorry
  constructor
  · intro h
    by_cases hP : P
    · right
      intro hQ
      exact h ⟨hP, hQ⟩
    · left
      exact hP
  · rintro h ⟨hP, hQ⟩
    rcases h with hnP | hnQ
    · exact hnP hP
    · exact hnQ hQ
  -- sorry

/-
It is crucial to understand negation of quantifiers.
Let's do it by hand for a little while.
In the first exercise, only the definition of negation is needed.
-/
-- 0050
