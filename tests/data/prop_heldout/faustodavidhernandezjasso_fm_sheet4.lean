-- Propositional declarations of faustodavidhernandezjasso/formalising-mathematics-2024 @ cb6950532079d6b538e93d6ee0916a44419ff341 : FormalisingMathematics2024/Section01logic/Sheet4.lean, verbatim.

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

example : P ∧ Q → P := by
  intro h1
  cases' h1 with hP hQ
  exact hP
  done

example : P ∧ Q → Q := by
  intro h1
  cases' h1 with hP hQ
  exact hQ
  done

example : (P → Q → R) → P ∧ Q → R := by
  intro h1
  intro h2
  cases' h2 with hP hQ
  apply h1 at hP
  apply hP at hQ
  exact hQ
  done

example : P ∧ Q → Q ∧ P := by
  intro h1
  cases' h1 with hP hQ
  constructor
  exact hQ
  exact hP
  done

example : False → P ∧ False := by
  intro hF
  constructor
  exfalso
  exact hF
  exact hF
  done

/-- `∧` is transitive -/

example : P ∧ Q → Q ∧ R → P ∧ R := by
  intro h1
  intro h2
  constructor
  cases' h1 with hP hQ
  exact hP
  cases' h2 with hQ hR
  exact hR
  done

example : (P ∧ Q → R) → P → Q → R := by
  intro h1
  intro hP
  intro hQ
  apply h1
  constructor
  exact hP
  exact hQ
  done
