-- Propositional declarations of westbrookjack/formalising-mathematics-notes @ b12608423185f57d9b432bf1a7366cdef1f1b6cf : FormalisingMathematics2026/Section01logic/Sheet4.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics


/-!

# Logic in Lean, example sheet 4 : "and" (`∧`)

We learn about how to manipulate `P ∧ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following tactics:

* `cases`
* `constructor`

-/

-- Throughout this sheet, `P`, `Q` and `R` will denote propositions.

variable (P Q R : Prop)

-- Here are a few ways to break down a conjunction:

-- You can use `obtain`

example : P ∧ Q → P := by
  intro h
  obtain ⟨left, right⟩ := h
  exact left

-- or `rcases` (which is just `obtain` but with a slightly different syntax)

example : P ∧ Q → P := by
  intro h
  rcases h with ⟨left, right⟩
  exact left

/--
The pattern `intro h` then `rcases h with ...` is so common that it has an abbreviation as
`rintro ...`, so you could also do
-/

example : P ∧ Q → P := by
  rintro ⟨left, right⟩
  exact left

-- or you can get the relevant part out directly using `.left`

example : P ∧ Q → P := by
  intro h
  exact h.left

-- or by using `.1` (the first part)

example : P ∧ Q → P := by
  intro h
  exact h.1

example : P ∧ Q → Q := by
  intro h
  exact h.right

example : (P → Q → R) → P ∧ Q → R := by
  intro h1 h2
  have h3 : Q → R := by
    apply h1
    exact h2.left
  apply h3
  exact h2.right

example : P → Q → P ∧ Q := by
  intro hP hQ
  constructor
  -- After the `constructor` tactic, we have *2 goals* for the first time!
  -- We use centre-dots, typed as `\.` to help Lean (and the reader) figure out when we're done
  · assumption
  · assumption

-- If the exact same tactic works to finish both goals, these can be combined:

example : P → Q → P ∧ Q := by
  intro hP hQ
  constructor
  all_goals assumption

-- or alternatively

example : P → Q → P ∧ Q := by
  intro hP hQ
  constructor <;> assumption

/-- `∧` is symmetric -/

example : P ∧ Q → Q ∧ P := by
  intro h
  constructor

  exact h.right

  exact h.left

example : P → P ∧ True := by
  intro h
  constructor
  exact h
  trivial

example : False → P ∧ False := by
  intro h
  constructor
  exfalso
  exact h

  exact h

/-- `∧` is transitive -/

example : P ∧ Q → Q ∧ R → P ∧ R := by
  intro h1 h2
  constructor
  exact h1.left
  exact h2.right

example : (P ∧ Q → R) → P → Q → R := by
  intro h hP hQ
  apply h
  constructor
  exact hP
  exact hQ
