-- Propositional declarations of fpvandoorn/LeanCourse24 @ db3b3f07a416cdea6730578dacda24921739d215 : LeanCourse/Lectures/Lecture3.lean, verbatim.

import LeanCourse.Common

open Real Function
noncomputable

section





/-
# Practical remarks
* Assignment 3 due on 29.10.2023. Upload it to eCampus.
-/

/- # Last Week -/

/-
Tactics we saw last time:
* to search for a lemma, use `exact?`, `apply?`, `rw?`,
  `#loogle`, `#leansearch` or autocomplete
* `linarith`, `gcongr` and `calc` for reasoning with inequalities
* How to work with `→` and `∀`.
  - `intro` for introducing a hypothesis
  - `have` or `specialize` for forwards reasoning
  - `apply` for backwards reasoning
* How to work with `∧` and `↔`
  - `constructor` to prove them
  - `obtain` to split them
  - use the projections `.1` and `.2` to take the components
  - `rw [h]` works with `↔`
-/

example (p q : Prop) (h : p ∧ q) : p := by
  -- have h2 := h.1
  exact h.1


/- # Today: Logic (continued) and Sets -/

/- ## Extential quantifiers -/



/-
In order to prove `∃ x, P x`, we give some `x₀` using tactic `use x₀` and
then prove `P x₀`. This `x₀` can be any expression.

In order to use `h : ∃ x, P x`, we use can use
`obtain ⟨x₀, hx₀⟩ := h`
to fix one `x₀` that works.
-/

example {p : Prop} (h : p) : ¬ ¬ p := by
  intro h2
  exact h2 h

example (p q : Prop) (h : ¬q → ¬p) : p → q := by
  intro hp
  by_contra hq
  exact h hq hp

example (p q r : Prop) (h1 : p → r) (h2 : ¬ p → r) : r := by
  by_cases hp : p
  · exact h1 hp
  · exact h2 hp

open Set

open Pointwise
