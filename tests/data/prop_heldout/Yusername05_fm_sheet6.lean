-- Propositional declarations of Yusername05/formalising-mathematics-2024 @ de407005b071230c24e93f2711d2e1e8fd43f539 : FormalisingMathematics2024/Section01logic/Sheet6.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics


/-!

# Logic in Lean, example sheet 6 : "or" (∨`)

We learn about how to manipulate `P ∨ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following tactics

* `left` and `right`
* `cases'` (new functionality)

-/


-- Throughout this sheet, `P`, `Q`, `R` and `S` will denote propositions.

variable (P Q R S : Prop)

example : (P ∨ Q) ∨ R ↔ P ∨ Q ∨ R := by
  constructor
  · rintro ((hP | hQ) | hR)
    · left; exact hP
    · right; left; exact hQ
    · right; right; exact hR
  · rintro (hP | (hQ | hR))
    · left; left; exact hP
    · left; right; exact hQ
    · right; exact hR
  done

example : (P ∨ Q) ∨ R ↔ P ∨ Q ∨ R := by exact or_assoc
