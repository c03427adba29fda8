-- Propositional declarations of tdardinier/logical_verification_2025 @ 9732bb6351adfd813a044b19ddc7d6621fba08b4 : lean/LoVe/LoVe04_ForwardProofs_ExerciseSheet.lean, verbatim.

import LoVe.LoVelib


/- # LoVe Exercise 4: Forward Proofs -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe


/- ## Question 1: Connectives and Quantifiers

1.1. Supply structured proofs of the following theorems. -/

theorem I (a : Prop) :
    a → a :=
    fix aa: a
    show a from aa

theorem K (a b : Prop) :
    a → b → b :=
    fix aa: a
    fix bb: b
    show b from bb

theorem C (a b c : Prop) :
    (a → b → c) → b → a → c :=
    fix abc: a → b → c
    fix bb: b
    fix aa: a
    show c from abc aa bb

theorem proj_fst (a : Prop) :
    a → a → a :=
    fix a1: a
    fix a2: a
    show a from a1

/- Please give a different answer than for `proj_fst`. -/

theorem proj_snd (a : Prop) :
    a → a → a :=
    fix a1: a
    fix a2: a
    show a from a2

theorem some_nonsense (a b c : Prop) :
    (a → b → c) → a → (a → c) → b → c :=
    fix abc: a → b → c
    fix aa: a
    fix ac: a → c
    fix bb: b
    show c from ac aa

/- 1.2. Supply a structured proof of the contraposition rule. -/

theorem contrapositive (a b : Prop) :
    (a → b) → ¬ b → ¬ a :=
    fix ab: a → b
    fix nb: ¬ b
    fix aa: a
    show False from nb (ab aa)

/- 1.3. Supply a structured proof of the distributivity of `∀` over `∧`. -/

theorem All.proof_of_False :
    False :=
    have spec: (∀x : Nat, x = 0 ∧ True) ↔ True :=
      All.one_point_wrong 0 _
    have h: 1 = 0 ∧ True :=
      Iff.mpr spec True.intro 1
    show False by cases h.left

/- 3.2 (**optional**). Prove that the following wrong formulation of the
one-point rule for `∃` is inconsistent, using a structured proof. -/

theorem Exists.proof_of_False :
    False :=
    have h: (∃x : Nat, x = 1 → (fun x => False) x) :=
      Exists.intro 0
        (
          by
          intro hfalse
          cases hfalse
        )
    show False from
      Iff.mp (Exists.one_point_wrong 1 _) h

end LoVe
