-- Propositional declarations of westbrookjack/formalising-mathematics-notes @ b12608423185f57d9b432bf1a7366cdef1f1b6cf : FormalisingMathematics2026/Section01logic/Sheet2.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics

/-!

# Logic in Lean, example sheet 2 : `True` and `False`

We learn about the `True` and `False` propositions.

## Tactics you will need

To solve the levels on this sheet you will need to know all previous
tactics, plus the following two new ones. Check out their explanations
in the course book. Or just try them out and hover over them to see
if you can understand what's going on.

* `trivial`
* `exfalso`

-/


-- Throughout this sheet, `P`, `Q` and `R` will denote propositions.

variable (P Q R : Prop)

example : True → True := by
  intro h
  trivial

example : False → True := by
  intro h
  cases h

example : (True → False) → False := by
  intro h1
  apply h1
  trivial

example : True → False → True → False → True → False := by
  intro h1 h2 h3 h4 h5
  exfalso
  exact h2

example : P → (P → False) → False := by
  intro hP h
  apply h
  exact hP

example : (P → False) → P → Q := by
  intro h hP
  apply h at hP
  exfalso
  exact hP

example : (True → False) → P := by
  intro h1
  have h3 : False := by
    apply h1
    trivial
  exfalso
  exact h3
