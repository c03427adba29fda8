-- Propositional declarations of westbrookjack/formalising-mathematics-notes @ b12608423185f57d9b432bf1a7366cdef1f1b6cf : FormalisingMathematics2026/Solutions/Section01logic/Sheet5.lean, verbatim.

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

example : (P ↔ Q) → (Q ↔ R) → (P ↔ R) := by
  intro h1 h2
  -- rwa is rw + assumption
  rwa [h1]

-- Here's a more subtle use of `all_goals`: note the indentation is useful for readability

example : P ∧ Q ↔ Q ∧ P := by
  constructor
  all_goals
    rintro ⟨h1, h2⟩
    exact ⟨h2, h1⟩

-- Take a close look at the `rintro` pattern here, it's more than what we've seen before

example : (P ∧ Q) ∧ R ↔ P ∧ Q ∧ R := by
  constructor
  · rintro ⟨⟨hP, hQ⟩, hR⟩
    exact ⟨hP, ⟨hQ, hR⟩⟩
  · rintro ⟨hP, ⟨hQ, hR⟩⟩
    exact ⟨⟨hP, hQ⟩, hR⟩

example : ¬(P ↔ ¬P) := by
  intro h
  have hnP : ¬P := by
    intro hP
    rw [h] at hP
    apply hP
    rwa [h]
  apply hnP
  rw [h]
  exact hnP
