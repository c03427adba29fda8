-- Propositional declarations of westbrookjack/formalising-mathematics-notes @ b12608423185f57d9b432bf1a7366cdef1f1b6cf : FormalisingMathematics2026/Solutions/Section01logic/Sheet3.lean, verbatim.

import Mathlib.Tactic -- import all the tactics

/-!

# Logic in Lean, example sheet 3 : "not" (`¬`)

We learn about how to manipulate `¬ P` in Lean.

# The definition of `¬ P`

In Lean, `¬ P` is *defined* to mean `P → false`. So `¬ P` and `P → false`
are *definitionally equal*. Check out the explanation of definitional
equality in the "equality" section of Part 1 of the course notes:
https://b-mehta.github.io/formalising-mathematics-notes/

## Tactics

You'll need to know about the tactics from the previous sheets,
and the following tactics may also be useful:

* `change`
* `by_contra`
* `by_cases`

-/

-- Throughout this sheet, `P`, `Q` and `R` will denote propositions.

variable (P Q R : Prop)

example : False → ¬True := by
  intro h instHModUInt32Nat
  exact h

example : True → ¬False := by
  intro h h2
  exact h2

example : False → ¬P := by
  intro h hasProd_bot
  exact h

example : P → ¬P → False := by
  intro hP hnP
  apply hnP
  exact hP

example : P → ¬¬P := by
  intro hP hnP
  apply hnP
  exact hP
-- Notice that this proof is exactly the same as the previous: why?
