-- Propositional declarations of sun123zxy/formalising-mathematics-2024 @ 9f727b0eb08451e03250be1cfa7cd7532b790630 : FormalisingMathematics2024/Section01logic/Sheet2.lean, verbatim.

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
  exact hT
  done

example : True → False → True → False → True → False := by
  intro hT
  exfalso
  done

example : P → (P → False) → False := by
  intro hP hPF
  apply hPF
  exact hP
  done

example : (P → False) → P → Q := by
  intro hPF hP
  exfalso
  apply hPF
  exact hP
  done
