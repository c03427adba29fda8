-- Propositional declarations of minhnhdo/formalising-mathematics-2024 @ ddae8c3dbfce79b4a1133ccd3884121f5387ea93 : FormalisingMathematics2024/Section01logic/Sheet2.lean, verbatim.

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

example : False → True := by
  intro h
  exfalso
  exact h
  done

example : P → (P → False) → False := by
  intro h hp_false
  apply hp_false at h
  exact h
  done

example : (P → False) → P → Q := by
  intro hp_false h
  apply hp_false at h
  exfalso
  exact h
  done

example : (True → False) → P := by
  intro htp
  exfalso
  apply htp
  triv
  done
