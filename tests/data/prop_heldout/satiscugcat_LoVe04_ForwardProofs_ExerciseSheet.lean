-- Propositional declarations of satiscugcat/logical_verification_2025 @ 9f6c0f2d853b9d0c79381d3f21424cf94dfb11f0 : lean/LoVe/LoVe04_ForwardProofs_ExerciseSheet.lean, verbatim.

import LoVe.LoVelib


/- # LoVe Exercise 4: Forward Proofs -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe


/- ## Question 1: Connectives and Quantifiers

1.1. Supply structured proofs of the following theorems. -/

theorem some_nonsense (a b c : Prop) :
    (a → b → c) → a → (a → c) → b → c :=
  assume habc : a → b → c
  assume ha : a
  assume hac : a → c
  assume hb : b
  show c from 
    (hac ha)

/- 1.2. Supply a structured proof of the contraposition rule. -/

theorem contrapositive (a b : Prop) :
    (a → b) → ¬ b → ¬ a :=
  assume hab : a → b
  assume hnb : ¬b 
  assume ha : a
  show False from
    hnb (hab ha)
  

/- 1.3. Supply a structured proof of the distributivity of `∀` over `∧`. -/

theorem All.proof_of_False :
    False :=
  have wrong : _ := Iff.mpr (All.one_point_wrong 0 (fun x => x = 0))
  have contradiction : 1 = 0 :=
    And.left (wrong (by rfl) 1)
  show _ from
    by contradiction

/- 3.2 (**optional**). Prove that the following wrong formulation of the
one-point rule for `∃` is inconsistent, using a structured proof. -/

theorem Exists.proof_of_False :
    False :=
  have wrong : _ := Iff.mp (Exists.one_point_wrong 0 (fun x => x = 2))
  have hyp: (∃x, x = 0 → x = 2) :=
    Exists.intro 1 (by intros; contradiction)
  have contra: 0 = 2 :=
    wrong hyp
  show _ from
    by contradiction

end LoVe
