-- Propositional declarations of picadud/formalising-mathematics-2024 @ 02bce43daeaa7150d09ca8509e298845fe9748db : FormalisingMathematics2024/Section01logic/Sheet2.lean, verbatim.

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
  intro h1
  exact h1
  done

example : False → True := by
  exfalso
  done

example : True → False → True → False → True → False := by
  intro h1
  intro h2
  intro h3
  intro h4
  intro h5
  exact h2
  done

example : (P → False) → P → Q := by
  intro h1
  intro h2
  exfalso
  apply h1
  exact h2
  done
