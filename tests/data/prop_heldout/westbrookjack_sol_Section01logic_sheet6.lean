-- Propositional declarations of westbrookjack/formalising-mathematics-notes @ b12608423185f57d9b432bf1a7366cdef1f1b6cf : FormalisingMathematics2026/Solutions/Section01logic/Sheet6.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics


/-!

# Logic in Lean, example sheet 6 : "or" (∨`)

We learn about how to manipulate `P ∨ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following tactics

* `left` and `right`
* `cases` (new functionality)

-/


-- Throughout this sheet, `P`, `Q`, `R` and `S` will denote propositions.

variable (P Q R S : Prop)

example : Q → P ∨ Q := by
  intro hQ
  right
  exact hQ

-- Here are a few ways to break down a disjunction

example : P ∨ Q → (P → R) → (Q → R) → R := by
  intro hPoQ hPQ hQR
  cases hPoQ with
  | inl h =>
    apply hPQ
    exact h
  | inr h =>
    apply hQR
    apply h

example : P ∨ Q → (P → R) → (Q → R) → R := by
  intro hPoQ hPQ hQR
  obtain h | h := hPoQ
  · apply hPQ
    exact h
  · apply hQR
    apply h

-- note the way the intro / obtain get combined
-- (don't forget obtain and rcases do basically the same)

example : P ∨ Q → (P → R) → (Q → R) → R := by
  rintro (h | h) hPQ hQR
  · apply hPQ
    exact h
  · apply hQR
    apply h

-- symmetry of `or`

example : P ∨ Q → Q ∨ P := by
  rintro (hP | hQ)
  · right
    assumption
  · left
    assumption

-- associativity of `or`
