-- Propositional declarations of tdardinier/logical_verification_2025 @ 9732bb6351adfd813a044b19ddc7d6621fba08b4 : lean/LoVe/LoVe04_ForwardProofs_HomeworkSheet.lean, verbatim.

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
    fun a: Prop ↦ fun b: Prop ↦ fun h: ¬ a ∨ b ↦ fun ha: a ↦
    Or.elim h
    (fun hna: ¬ a ↦ False.elim (hna ha))
    (fun hb: b ↦ hb)

/- 1.2 (2 points). Prove the same theorem again, this time by providing a
structured proof, with `fix`, `assume`, and `show`. -/

theorem about_Impl_struct :
    ∀a b : Prop, ¬ a ∨ b → a → b :=
    fix a b: Prop
    assume hor: ¬ a ∨ b
    assume aa: a
    show b from
      Or.elim hor
      (
        fix ha: ¬ a
        show b from
          False.elim (ha aa)
      )
      (
        fix hb: b
        show b from hb
      )


/- ## Question 2 (6 points): Connectives and Quantifiers

2.1 (3 points). Supply a structured proof of the commutativity of `∨` under a
`∀` quantifier, using no other theorems than the introduction and elimination
rules for `∀`, `∨`, and `↔`. -/

namespace BackwardProofs

end BackwardProofs

end LoVe
