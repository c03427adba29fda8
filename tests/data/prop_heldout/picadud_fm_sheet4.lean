-- Propositional declarations of picadud/formalising-mathematics-2024 @ 02bce43daeaa7150d09ca8509e298845fe9748db : FormalisingMathematics2024/Section01logic/Sheet4.lean, verbatim.

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

example : P → Q → P ∧ Q := by
  intro h1
  intro h2
  constructor
  exact h1
  exact h2
  done

/-- `∧` is symmetric -/

example : P → P ∧ True := by
  intro h1
  constructor
  exact h1
  triv
  done

example : False → P ∧ False := by
  intro h1
  exfalso
  exact h1
  done

/-- `∧` is transitive -/

example : P ∧ Q → Q ∧ R → P ∧ R := by
  intro h1
  intro h2
  cases' h1 with hP hQ
  cases' h2 with hQ1 hR
  constructor
  exact hP
  exact hR
  done

example : (P ∧ Q → R) → P → Q → R := by
  intro h1
  intro h2
  intro h3
  apply h1
  constructor
  exact h2
  exact h3
  done
