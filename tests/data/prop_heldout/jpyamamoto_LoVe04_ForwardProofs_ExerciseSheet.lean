-- Propositional declarations of jpyamamoto/logical_verification_2024 @ b2b1d1cdd76e8493dbebf3e1c9d8727ec7d69c9d : lean/LoVe/LoVe04_ForwardProofs_ExerciseSheet.lean, verbatim.

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
  show c from hac ha

/- 1.2. Supply a structured proof of the contraposition rule. -/

theorem contrapositive (a b : Prop) :
  (a → b) → ¬ b → ¬ a :=
  assume hab : a → b
  assume hnb : ¬ b
  assume ha : a
  show False from
    hnb (hab ha)

/- 1.3. Supply a structured proof of the distributivity of `∀` over `∧`. -/

theorem All.proof_of_False :
  False :=
  have h : (∀x : Prop, x = False ∧ True) ↔ True := 
    (All.one_point_wrong False (fun _ ↦ True))
  have h'' : ∀x : Prop, x = False ∧ True := Iff.mpr h True.intro
  have h''' : True = False := (h'' True).left
  show False from Eq.mp h''' True.intro


/- 3.2 (**optional**). Prove that the following wrong formulation of the
one-point rule for `∃` is inconsistent, using a structured proof. -/

end LoVe
