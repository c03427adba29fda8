-- Propositional declarations of jpyamamoto/logical_verification_2024 @ b2b1d1cdd76e8493dbebf3e1c9d8727ec7d69c9d : lean/LoVe/LoVe03_BackwardProofs_ExerciseSheet.lean, verbatim.

import LoVe.LoVe03_BackwardProofs_Demo


/- # LoVe Exercise 3: Backward Proofs

Replace the placeholders (e.g., `:= sorry`) with your solutions. -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe

namespace BackwardProofs


/- ## Question 1: Connectives and Quantifiers

1.1. Carry out the following proofs using basic tactics.

Hint: Some strategies for carrying out such proofs are described at the end of
Section 3.3 in the Hitchhiker's Guide. -/

theorem K (a b : Prop) :
  a → b → b := by
  intro ha hb
  apply hb

theorem C (a b c : Prop) :
  (a → b → c) → b → a → c := by
  intro f b a
  apply f a b

theorem proj_fst (a : Prop) :
  a → a → a := by
  intro ha ha'
  apply ha

/- Please give a different answer than for `proj_fst`: -/

theorem proj_snd (a : Prop) :
  a → a → a := by
  intro ha ha'
  apply ha'

theorem some_nonsense (a b c : Prop) :
  (a → b → c) → a → (a → c) → b → c := by
  intro f a g b
  apply g a

/- 1.2. Prove the contraposition rule using basic tactics. -/

theorem contrapositive (a b : Prop) :
  (a → b) → ¬ b → ¬ a := by
  intro f hnb ha
  apply hnb
  apply f ha

/- 1.3. Prove the distributivity of `∀` over `∧` using basic tactics.

Hint: This exercise is tricky, especially the right-to-left direction. Some
forward reasoning, like in the proof of `and_swap_braces` in the lecture, might
be necessary. -/

namespace SorryTheorems

end SorryTheorems

end BackwardProofs

end LoVe
