-- Propositional declarations of zerrymore11/logical_verification_2023 @ 08a3557524fc5cc2d94444a6fe26d699bcb9d450 : lean/LoVe/LoVe03_BackwardProofs_ExerciseSheet.lean, verbatim.

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

theorem I (a : Prop) :
  a → a :=
by
  intro h
  exact h

theorem K (a b : Prop) :
  a → b → b :=
by
  intro _ hb
  exact hb

theorem some_nonsense (a b c : Prop) :
  (a → b → c) → a → (a → c) → b → c :=
by
  intro _ ha hac _
  apply hac ha

/- 1.2. Prove the contraposition rule using basic tactics. -/

theorem contrapositive (a b : Prop) :
  (a → b) → ¬ b → ¬ a :=
by
  intro h1 h2
  intro h3
  apply h2
  exact h1 h3
  -- forward proof using contradiction is more intuitive
  -- have hb : b := hab ha
  -- contradiction

/- 1.3. Prove the distributivity of `∀` over `∧` using basic tactics.

Hint: This exercise is tricky, especially the right-to-left direction. Some
forward reasoning, like in the proof of `and_swap_braces` in the lecture, might
be necessary. -/

namespace SorryTheorems


/--
- I failed this case...
-/

end SorryTheorems

end BackwardProofs

end LoVe
