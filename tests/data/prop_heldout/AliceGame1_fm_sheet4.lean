-- Propositional declarations of AliceGame1/formalising-mathematics-2024 @ 63b2986787536b499f80516c0539f89f32a3c89d : FormalisingMathematics2024/Section01logic/Sheet4.lean, verbatim.

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
  intro hPaQ
  cases' hPaQ with hP hQ
  exact hP
  done

example : P ∧ Q → Q := by
  intro hPaQ
  cases' hPaQ with hP hQ
  exact hQ
  done

example : (P → Q → R) → P ∧ Q → R := by
  intro hPQR
  intro hPaQ
  cases' hPaQ with hP hQ
  apply hPQR at hP
  apply hP at hQ
  exact hQ
  done

example : P → Q → P ∧ Q := by
  intro hP
  intro hQ
  constructor
  · exact hP
  · exact hQ
  done

/-- `∧` is symmetric -/

example : P ∧ Q → Q ∧ P := by
  intro hPaQ
  cases' hPaQ with hP hQ
  constructor
  · exact hQ
  · exact hP
  done

example : False → P ∧ False := by
  intro hF
  constructor
  by_contra hnP
  exact hF
  exact hF
  done

/-- `∧` is transitive -/
