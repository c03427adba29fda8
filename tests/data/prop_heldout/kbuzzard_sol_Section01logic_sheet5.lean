-- Propositional declarations of kbuzzard/formalising-mathematics-notes @ 4943e3a377fd7fd68c32ddf5fcc02e6e141608cc : FormalisingMathematics2025/Solutions/Section01logic/Sheet5.lean, verbatim.

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

example : (P ∧ Q) ∧ R ↔ P ∧ Q ∧ R := by
  constructor
  · intro h
    cases h with
    | intro hPaQ hR =>
        cases hPaQ with
        | intro hP hQ =>
            constructor
            · exact hP
            constructor
            · exact hQ
            · exact hR
  · rintro ⟨hP, hQ, hR⟩
    exact ⟨⟨hP, hQ⟩, hR⟩

example : P ↔ P ∧ True := by
  constructor
  · intro hP
    constructor
    · exact hP
    · trivial
  · rintro ⟨hP, -⟩
    exact hP

example : ¬(P ↔ ¬P) := by
  intro h
  have hnP : ¬P := by
    cases h with
    | intro h1 h2 =>
        intro hP
        apply h1 <;> assumption
  apply hnP
  rw [h]
  exact hnP
