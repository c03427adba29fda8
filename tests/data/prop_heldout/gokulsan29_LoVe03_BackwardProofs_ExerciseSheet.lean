-- Propositional declarations of gokulsan29/logical_verification_2024 @ 8fa080d4b971b9e39a66eef67530285281311800 : lean/LoVe/LoVe03_BackwardProofs_ExerciseSheet.lean, verbatim.

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
  a → b → b :=
  by
    intro ha hb
    clear ha
    exact hb

theorem C (a b c : Prop) :
  (a → b → c) → b → a → c :=
  by
    intro habc hb ha
    apply habc
    {exact ha}
    {exact hb}

theorem proj_fst (a : Prop) :
  a → a → a :=
  by
    intro ha₁ ha₂
    clear ha₂
    exact ha₁

/- Please give a different answer than for `proj_fst`: -/

theorem proj_snd (a : Prop) :
  a → a → a :=
  by
    intro ha₁ ha₂
    clear ha₁
    exact ha₂

theorem some_nonsense (a b c : Prop) :
  (a → b → c) → a → (a → c) → b → c :=
  by
    intro habc ha hac hb
    clear habc hb
    apply hac
    exact ha

/- 1.2. Prove the contraposition rule using basic tactics. -/

theorem contrapositive (a b : Prop) :
  (a → b) → ¬ b → ¬ a :=
  by
    intro hab hnb ha
    apply hnb
    apply hab
    exact ha

/- 1.3. Prove the distributivity of `∀` over `∧` using basic tactics.

Hint: This exercise is tricky, especially the right-to-left direction. Some
forward reasoning, like in the proof of `and_swap_braces` in the lecture, might
be necessary. -/

namespace SorryTheorems

end SorryTheorems

end BackwardProofs

end LoVe
