-- Propositional declarations of faustodavidhernandezjasso/formalising-mathematics-2024 @ cb6950532079d6b538e93d6ee0916a44419ff341 : FormalisingMathematics2024/Section01logic/Sheet2.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics

/-!

# Logic in Lean, example sheet 2 : `True` and `False`

We learn about the `True` and `False` propositions.

## Tactics you will need

To solve the levels on this sheet you will need to know all previous
tactics, plus the following two new ones. Check out their explanations
in the course book. Or just try them out and hover over them to see
if you can understand what's going on.

* `triv`
* `exfalso`

-/


-- Throughout this sheet, `P`, `Q` and `R` will denote propositions.

variable (P Q R : Prop)

example : True → True := by
  intro hT
  triv
  done

example : False → P := by
  intro hF
  exfalso
  exact hF
  done

example : True → False → True → False → True → False := by
  intro hT0
  intro hF0
  intro hT1
  intro hF1
  intro hT2
  exact hF0
  done

example : P → (P → False) → False := by
  intro hP
  intro h1
  apply h1 at hP
  exact hP
  done

example : (P → False) → P → Q := by
  intro h1
  intro hP
  apply h1 at hP
  exfalso
  exact hP
  done

example : (True → False) → P := by
  intro h1
  exfalso
  apply h1
  triv
  done
