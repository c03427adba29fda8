-- Propositional declarations of kbuzzard/formalising-mathematics-notes @ 4943e3a377fd7fd68c32ddf5fcc02e6e141608cc : FormalisingMathematics2025/Solutions/Section01logic/Sheet6.lean, verbatim.

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

example : P ∨ Q → (P → R) → (Q → R) → R := by
  intro hPoQ hPR hQR
  cases hPoQ with
  | inl hP =>
      apply hPR
      exact hP
  | inr hQ =>
      exact hQR hQ

-- symmetry of `or`

example : P ∨ Q → Q ∨ P := by
  intro hPoQ
  cases hPoQ with
  | inl hP =>
      right
      assumption
  | inr hQ =>
      left
      assumption

-- associativity of `or`

example : (P → Q) → P ∨ R → Q ∨ R := by
  intro hPQ h
  cases h with
  | inl hP => left; apply hPQ; exact hP
  | inr hR => right; exact hR
