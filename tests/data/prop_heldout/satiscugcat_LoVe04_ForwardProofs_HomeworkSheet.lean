-- Propositional declarations of satiscugcat/logical_verification_2025 @ 9f6c0f2d853b9d0c79381d3f21424cf94dfb11f0 : lean/LoVe/LoVe04_ForwardProofs_HomeworkSheet.lean, verbatim.

import LoVe.LoVe03_BackwardProofs_ExerciseSheet


/- # LoVe Homework 4 (10 points): Forward Proofs

Replace the placeholders (e.g., `:= sorry`) with your solutions. -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe


/- ## Question 1 (4 points): Logic Puzzles

Consider the following tactical proof: -/

theorem about_Impl_term :
    ∀a b : Prop, ¬ a ∨ b → a → b :=
  fun a b hor ha => Or.elim hor (fun hna => False.elim (hna ha)) fun hb => hb

/- 1.2 (2 points). Prove the same theorem again, this time by providing a
structured proof, with `fix`, `assume`, and `show`. -/

theorem about_Impl_struct :
    ∀a b : Prop, ¬ a ∨ b → a → b :=
  fix a: Prop
  fix b: Prop
  assume hnab : ¬ a ∨ b
  assume ha : a
  show b from
    Or.elim hnab (fun hna => False.elim (hna ha)) (fun hb => hb)


/- ## Question 2 (6 points): Connectives and Quantifiers

2.1 (3 points). Supply a structured proof of the commutativity of `∨` under a
`∀` quantifier, using no other theorems than the introduction and elimination
rules for `∀`, `∨`, and `↔`. -/

namespace BackwardProofs

end BackwardProofs

end LoVe
