-- Propositional declarations of leanprover-community/tutorials4 @ 1e7a75a921554daadde78dcff08f6c75e6660666 : Tutorials/Exercises/07FirstNegations.lean, verbatim.

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

example (P Q : Prop) (h : ¬Q → ¬P) : P → Q := by
  contrapose
  exact h

/-
In the next exercise, we'll use
 Odd n : ∃ k, n = 2*k + 1
 Int.odd_iff_not_even {n : ℤ} : odd n ↔ ¬ even n
-/
-- 0048

variable (P Q : Prop)

example : P → Q ↔ ¬P ∨ Q := by
  constructor
  · intro h
    by_cases hP : P
    · right
      exact h hP
    · left
      exact hP
  · intro h hP
    rcases h with hnP | hQ
    · exfalso
      exact hnP hP
    · exact hQ

-- 0049
