-- Propositional declarations of sun123zxy/formalising-mathematics-2024 @ 9f727b0eb08451e03250be1cfa7cd7532b790630 : FormalisingMathematics2024/Section01logic/Sheet5.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics

/-!

# Logic in Lean, example sheet 5 : "iff" (`↔`)

We learn about how to manipulate `P ↔ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following two new tactics:

* `rfl`
* `rw`

-/

variable (P Q R S : Prop)

example : (P ↔ Q) → (Q ↔ P) := by
  rw [Iff.comm]
  intro h
  exact h
  done

example : (P ↔ Q) ↔ (Q ↔ P) := by
  rw [@Iff.comm P Q]
  done

example : (P ↔ Q) → (Q ↔ R) → (P ↔ R) := by
  intro hPQ hQR
  rw [hPQ]
  exact hQR
  done
