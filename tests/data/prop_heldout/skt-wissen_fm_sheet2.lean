-- Propositional declarations of skt-wissen/formalising-mathematics-2024 @ ea646a119ebb8a31deed5d2595db39533aedcae5 : FormalisingMathematics2024/Section01logic/Sheet2.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics

/-!

# Logic in Lean, example sheet 2 : `true` and `false`

We learn about the `true` and `false` propositions.

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
  intro h
  triv
  done

example : False → True := by
  intro h
  triv
  done

example : True → False → True → False → True → False := by
  intro h1
  intro h2
  intro h3
  intro h4
  intro h5
  exact h4
  done
