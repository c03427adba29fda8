-- Propositional declarations of kbuzzard/formalising-mathematics-notes @ 4943e3a377fd7fd68c32ddf5fcc02e6e141608cc : FormalisingMathematics2025/Solutions/Section01logic/Sheet4.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics


/-!

# Logic in Lean, example sheet 4 : "and" (`∧`)

We learn about how to manipulate `P ∧ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following tactics:

* `cases` or `rcases`
* `constructor`

-/

-- Throughout this sheet, `P`, `Q` and `R` will denote propositions.

variable (P Q R : Prop)

example : P ∧ Q → P := by
  intro hPaQ
  cases hPaQ with
  | intro hP hQ => exact hP

example : P ∧ Q → P := by
  intro hPaQ
  rcases hPaQ with ⟨hP, hQ⟩
  exact hP

example : P → P ∧ True := by
  intro hP
  constructor
  · exact hP
  · trivial
