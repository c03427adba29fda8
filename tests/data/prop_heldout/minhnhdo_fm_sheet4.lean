-- Propositional declarations of minhnhdo/formalising-mathematics-2024 @ ddae8c3dbfce79b4a1133ccd3884121f5387ea93 : FormalisingMathematics2024/Section01logic/Sheet4.lean, verbatim.

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
  intro hpq
  cases' hpq with h
  exact h
  done

example : P ∧ Q → Q := by
  intro hpq
  cases' hpq with _ h
  exact h
  done

example : P → P ∧ True := by
  intro h
  constructor
  exact h
  trivial
  done

example : False → P ∧ False := by
  intro h
  exfalso
  exact h
  done

/-- `∧` is transitive -/

example : P ∧ Q → Q ∧ R → P ∧ R := by
  intro hpq hqr
  cases' hpq with hp
  cases' hqr with _ hr
  constructor
  exact hp
  exact hr
  done

example : (P ∧ Q → R) → P → Q → R := by
  intro hpqr
  intro hp hq
  apply hpqr
  constructor
  exact hp
  exact hq
  done
