-- Mathematics in Lean, chapter 3 "Logic" (leanprover-community/mathematics_in_lean,
-- MIL/C03_Logic), Apache-2.0. Tactics verbatim; the section's `variable` binders are written into
-- the headers because the section also declares non-propositional variables. The import lines are
-- those of Solutions_S03_Negation.lean (every MIL file imports MIL.Common, which imports Mathlib).

import MIL.Common
import Mathlib.Data.Real.Basic

-- MIL/C03_Logic/solutions/Solutions_S03_Negation.lean
example (Q : Prop) (h : ¬¬Q) : Q := by
  by_contra h'
  exact h h'

example (Q : Prop) (h : Q) : ¬¬Q := by
  intro h'
  exact h' h

-- MIL/C03_Logic/S05_Disjunction.lean
example (P : Prop) : ¬¬P → P := by
  intro h
  cases em P
  · assumption
  · contradiction

example (P : Prop) : ¬¬P → P := by
  intro h
  by_cases h' : P
  · assumption
  contradiction

-- MIL/C03_Logic/solutions/Solutions_S05_Disjunction.lean
example (P Q : Prop) : P → Q ↔ ¬P ∨ Q := by
  constructor
  · intro h
    by_cases h' : P
    · right
      exact h h'
    · left
      exact h'
  rintro (h | h)
  · intro h'
    exact absurd h' h
  · intro
    exact h
