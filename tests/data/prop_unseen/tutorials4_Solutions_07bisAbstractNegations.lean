-- Propositional declarations of leanprover-community/tutorials4 @ 1e7a75a921554daadde78dcff08f6c75e6660666 : Tutorials/Solutions/07bisAbstractNegations.lean, verbatim.

import Mathlib.Data.Real.Basic

open Classical

/-
Theoretical negations.

This file is for people interested in logic who want to fully understand
negations. It comes after the file `07FirstNegations`.

Here we don't use `contrapose` or `push_neg`. The goal is to prove lemmas
that are used by those tactics. Of course we can use
`exfalso`, `by_contra` and `by_cases`.

If this doesn't sound like fun then skip ahead to the next file.
-/

section NegationProp

variable (P Q : Prop)

-- 0055

example : P → Q ↔ ¬Q → ¬P := by
  -- sorry
  constructor
  · intro h hnQ hP
    exact hnQ (h hP)
  · intro h hP
    by_contra hnQ
    exact h hnQ hP
  -- sorry

-- 0056

theorem non_imp (P Q : Prop) : ¬(P → Q) ↔ P ∧ ¬Q := by
  -- sorry
  constructor
  · intro h
    by_contra H
    apply h
    intro hP
    by_contra H'
    apply H
    exact ⟨hP, H'⟩
  · intro h h'
    rcases h with ⟨hP, hnQ⟩
    exact hnQ (h' hP)
  -- sorry

-- In the next one, let's use the axiom
-- `propext {P Q : Prop} : (P ↔ Q) → P = Q`
-- 0057

example (P : Prop) : ¬P ↔ P = False := by
  -- sorry
  constructor
  · intro h
    apply propext
    constructor
    · intro h'
      exact h h'
    · intro h
      exfalso
      exact h
  · intro h
    rw [h]
    exact id
  -- sorry

end NegationProp

section NegationQuantifiers

end NegationQuantifiers
