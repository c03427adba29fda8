-- Propositional declarations of jpyamamoto/logical_verification_2024 @ b2b1d1cdd76e8493dbebf3e1c9d8727ec7d69c9d : lean/LoVe/LoVe04_ForwardProofs_HomeworkSheet.lean, verbatim.

import LoVe.LoVe03_BackwardProofs_ExerciseSheet


/- # LoVe Homework 4 (10 points): Forward Proofs

Homework must be done individually.

Replace the placeholders (e.g., `:= sorry`) with your solutions. -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe


/- ## Question 1 (4 points): Logic Puzzles

Consider the following tactical proof: -/

theorem about_Impl_term :
  ∀a b : Prop, ¬ a ∨ b → a → b :=
  fun _ _ h ha ↦ Or.elim h (fun hna ↦ False.elim (hna ha)) (·)

/- 1.2 (2 points). Prove the same theorem again, this time by providing a
structured proof, with `fix`, `assume`, and `show`. -/

theorem about_Impl_struct :
  ∀a b : Prop, ¬ a ∨ b → a → b :=
  fix a b : Prop
  assume h : ¬ a ∨ b
  assume ha : a
  show b from 
    Or.elim 
    h 
    (
      assume hna : ¬ a
      show b from False.elim (hna ha)
    )
    (
      assume hb : b
      show b from hb
    )


/- ## Question 2 (6 points): Connectives and Quantifiers

2.1 (3 points). Supply a structured proof of the commutativity of `∨` under a
`∀` quantifier, using no other theorems than the introduction and elimination
rules for `∀`, `∨`, and `↔`. -/

namespace BackwardProofs

end BackwardProofs

end LoVe
