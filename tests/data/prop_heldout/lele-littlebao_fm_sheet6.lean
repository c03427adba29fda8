-- Propositional declarations of lele-littlebao/formalising-mathematics-2024 @ f5ec6b14c8f48a618a2625830935084a714d42a1 : FormalisingMathematics2024/Section01logic/Sheet6.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics


/-!

# Logic in Lean, example sheet 6 : "or" (∨`)

We learn about how to manipulate `P ∨ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following tactics

* `left` and `right`
* `rcases'` (new functionality)

-/


-- Throughout this sheet, `P`, `Q`, `R` and `S` will denote propositions.

variable (P Q R S : Prop)

example : P ∨ Q → (P → R) → (Q → R) → R := by
  intro pq pr qr
  rcases pq with (p | q)
  · apply pr
    exact p
  · apply qr
    exact q
  done

-- symmetry of `or`

example : P ∨ Q → Q ∨ P := by
  rintro (p | q)
  · right
    exact p
  · left
    exact q
  done

-- associativity of `or`
