-- Propositional declarations of skt-wissen/formalising-mathematics-2024 @ ea646a119ebb8a31deed5d2595db39533aedcae5 : FormalisingMathematics2024/Section01logic/Sheet4.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics


/-!

# Logic in Lean, example sheet 4 : "and" (`∧`)

We learn about how to manipulate `P ∧ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following tactics:

* `cases'`
* `constructor`

-/

-- Throughout this sheet, `P`, `Q` and `R` will denote propositions.

variable (P Q R : Prop)

example : (P → Q → R) → P ∧ Q → R := by
  intro h1
  intro h2
  apply h1
  cases' h2 with hP hQ
  exact hP
  cases' h2 with hP hQ
  exact hQ
  done

example : P → P ∧ True := by
  intro h
  constructor
  exact h
  triv
  done

example : False → P ∧ False := by
  intro h
  constructor
  exfalso
  exact h
  exact h
  done

/-- `∧` is transitive -/
