-- Propositional declarations of benjaminfjones/logical_verification_2025 @ 338bce5340da2c8d6147b2e94df7b7891e75c9e4 : lean/LoVe/LoVe03_BackwardProofs_ExerciseSheet.lean, verbatim.

import LoVe.LoVe03_BackwardProofs_Demo


/- # LoVe Exercise 3: Backward Proofs

Replace the placeholders (e.g., `:= sorry`) with your solutions. -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe

namespace BackwardProofs


/- ## Question 1: Connectives and Quantifiers

1.1. Carry out the following proofs using basic tactics such as `intro`,
`apply`, and `exact`.

Hint: Some strategies for carrying out such proofs are described at the end of
Section 3.3 in the Hitchhiker's Guide. -/

theorem I (a : Prop) :
    a → a :=
  by
    intro h; exact h

theorem K (a b : Prop) :
    a → b → b :=
  by
    intro _ h; exact h

theorem C (a b c : Prop) :
    (a → b → c) → b → a → c :=
  by
    intro f hb ha
    exact f ha hb

theorem proj_fst (a : Prop) :
    a → a → a :=
  by
    intro ha _
    exact ha

/- Please give a different answer than for `proj_fst`: -/

theorem proj_snd (a : Prop) :
    a → a → a :=
  by
    intro _ hb
    exact hb

theorem some_nonsense (a b c : Prop) :
    (a → b → c) → a → (a → c) → b → c :=
  by
    intro _ ha g _
    exact (g ha)

/- 1.2. Prove the contraposition rule using basic tactics. -/

theorem contrapositive (a b : Prop) :
    (a → b) → ¬ b → ¬ a :=
  by
    intro f hnb ha
    exact hnb (f ha)

/- 1.3. Prove the distributivity of `∀` over `∧` using basic tactics.

Hint: This exercise is tricky, especially the right-to-left direction. Some
forward reasoning, like in the proof of `and_swap_braces` in the lecture, might
be necessary. -/

namespace SorryTheorems

end SorryTheorems

end BackwardProofs

end LoVe
