-- Propositional declarations of AliceGame1/formalising-mathematics-2024 @ 63b2986787536b499f80516c0539f89f32a3c89d : FormalisingMathematics2024/Section01logic/Sheet2.lean, verbatim.

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

example : False → True := by
  intro hF
  triv
  done

example : (True → False) → False := by
  intro hTF
  apply hTF
  triv
  done

example : False → P := by
  intro hFP
  exfalso
  exact hFP
  done

example : (P → False) → P → Q := by
  intro hPF
  intro hP
  exfalso
  apply hPF at hP
  exact hP
  done
