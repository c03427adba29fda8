-- Propositional declarations of gokulsan29/logical_verification_2024 @ 8fa080d4b971b9e39a66eef67530285281311800 : lean/LoVe/LoVe04_ForwardProofs_ExerciseSheet.lean, verbatim.

import LoVe.LoVelib


/- # LoVe Exercise 4: Forward Proofs -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe


/- ## Question 1: Connectives and Quantifiers

1.1. Supply structured proofs of the following theorems. -/

theorem C (a b c : Prop) :
  (a → b → c) → b → a → c :=
  assume habc : (a → b → c)
  assume hb : b
  assume ha : a
  show c from
    habc ha hb

theorem proj_fst (a : Prop) :
  a → a → a :=
  assume ha₁ : a
  assume ha₂ : a
  show a from
    ha₁

/- Please give a different answer than for `proj_fst`. -/

theorem proj_snd (a : Prop) :
  a → a → a :=
  assume ha₁ : a
  assume ha₂ : a
  show a from
    ha₂

theorem some_nonsense (a b c : Prop) :
  (a → b → c) → a → (a → c) → b → c :=
  assume habc : (a → b → c)
  assume ha : a
  assume hac : (a → c)
  assume hb : b
  show c from
    hac ha

/- 1.2. Supply a structured proof of the contraposition rule. -/

theorem contrapositive (a b : Prop) :
  (a → b) → ¬ b → ¬ a :=
  assume hab : (a → b)
  assume hnb : ¬b
  assume ha : a
  show False from
    hnb (hab ha)

/- 1.3. Supply a structured proof of the distributivity of `∀` over `∧`. -/

theorem All.proof_of_False :
  False :=
  have h : (∀x : Prop, x = False ∧ True) ↔ True :=
    (All.one_point_wrong False (fun _ ↦  True))
  have h' : ∀x : Prop, x = False ∧ True := Iff.mpr h True.intro
  have h'' : True = False := And.left (h' True)
  show False from by simp at h''

/- 3.2 (**optional**). Prove that the following wrong formulation of the
one-point rule for `∃` is inconsistent, using a structured proof. -/

theorem Exists.proof_of_False :
  False :=
  have h : (∃x : Prop, x = True → False) ↔ False :=
    (Exists.one_point_wrong True (fun _ ↦ False))
  show False from Iff.mp h (Exists.intro (¬ True) (
    assume h'' : (¬ True) = True
    show False from
      by
        simp at h''
  ))

end LoVe
