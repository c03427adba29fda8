-- Propositional declarations of lele-littlebao/formalising-mathematics-2024 @ f5ec6b14c8f48a618a2625830935084a714d42a1 : FormalisingMathematics2024/Section01logic/Sheet4.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics


/-!

# Logic in Lean, example sheet 4 : "and" (`∧`)

We learn about how to manipulate `P ∧ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following tactics:

* `rcases'`
* `constructor`
* `rintro`

-/

-- Throughout this sheet, `P`, `Q` and `R` will denote propositions.

variable (P Q R : Prop)

example : P ∧ Q → P := by
  rintro ⟨p, q⟩
  exact p
  done

example : P ∧ Q → Q := by
  rintro ⟨p, q⟩
  exact q
  done

example : (P → Q → R) → P ∧ Q → R := by
  rintro pqr ⟨p, q⟩
  apply pqr
  exact p
  exact q
  done

example : P → Q → P ∧ Q := by
  intro p q
  constructor
  exact p
  exact q
  done

/-- `∧` is symmetric -/

example : P ∧ Q → Q ∧ P := by
  rintro ⟨p, q⟩
  constructor
  exact q
  exact p
  done

example : False → P ∧ False := by
  intro f
  constructor
  · exfalso
    exact f
  · exact f
  done

/-- `∧` is transitive -/

example : P ∧ Q → Q ∧ R → P ∧ R := by
  rintro ⟨p, q⟩ ⟨q, r⟩
  constructor
  exact p
  exact r
  done

example : (P ∧ Q → R) → P → Q → R := by
  intro pqr p q
  apply pqr
  constructor
  exact p
  exact q
  done
