-- Propositional declarations of tdardinier/logical_verification_2025 @ 9732bb6351adfd813a044b19ddc7d6621fba08b4 : lean/LoVe/LoVe03_BackwardProofs_ExerciseSheet.lean, verbatim.

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
    intro aa
    exact aa

theorem K (a b : Prop) :
    a → b → b :=
    by
      intro _ bb
      exact bb

theorem C (a b c : Prop) :
    (a → b → c) → b → a → c :=
    by
      intro f bb aa
      apply f aa bb

theorem proj_fst (a : Prop) :
    a → a → a :=
    by
      intro a1 a2
      exact a1

/- Please give a different answer than for `proj_fst`: -/

theorem proj_snd (a : Prop) :
    a → a → a :=
    by
      intro a1 a2
      exact a2

theorem some_nonsense (a b c : Prop) :
    (a → b → c) → a → (a → c) → b → c :=
    by
      intro fabc aa fac bb
      exact fac aa

/- 1.2. Prove the contraposition rule using basic tactics. -/

theorem contrapositive (a b : Prop) :
    (a → b) → ¬ b → ¬ a := by
    intro fab notb aa
    apply notb
    exact fab aa

/- 1.3. Prove the distributivity of `∀` over `∧` using basic tactics.

Hint: This exercise is tricky, especially the right-to-left direction. Some
forward reasoning, like in the proof of `and_swap_braces` in the lecture, might
be necessary. -/

namespace SorryTheorems

end SorryTheorems

end BackwardProofs

end LoVe
