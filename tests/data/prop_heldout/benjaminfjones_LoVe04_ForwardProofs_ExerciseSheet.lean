-- Propositional declarations of benjaminfjones/logical_verification_2025 @ 338bce5340da2c8d6147b2e94df7b7891e75c9e4 : lean/LoVe/LoVe04_ForwardProofs_ExerciseSheet.lean, verbatim.

import LoVe.LoVelib


/- # LoVe Exercise 4: Forward Proofs -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe


/- ## Question 1: Connectives and Quantifiers

1.1. Supply structured proofs of the following theorems. -/

theorem K (a b : Prop) :
    a → b → b := fun _ha hb => hb

theorem C (a b c : Prop) :
    (a → b → c) → b → a → c :=
  assume hf : a → b → c
  assume hb : b
  assume ha : a
  show c from
    hf ha hb

theorem proj_fst (a : Prop) :
    a → a → a := fun ha _ => ha

/- Please give a different answer than for `proj_fst`. -/

theorem proj_snd (a : Prop) :
    a → a → a := fun ha _ => ha

theorem some_nonsense (a b c : Prop) :
    (a → b → c) → a → (a → c) → b → c :=
  fun _ ha hg _ => hg ha

/- 1.2. Supply a structured proof of the contraposition rule. -/

theorem contrapositive (a b : Prop) :
    (a → b) → ¬ b → ¬ a :=
  assume hf : a → b
  assume hnb : b → False
  show a → False from
    fun ha => hnb (hf ha)

/- 1.3. Supply a structured proof of the distributivity of `∀` over `∧`. -/

theorem All.proof_of_False :
    False :=
  let α : Type := Bool
  let P : α → Prop := fun x => x = false
  have hp : P false := rfl
  have : P false → ∀x : α, x=false ∧ P x := (@All.one_point_wrong Bool false P).mpr
  have : ∀x : α, x=false ∧ P x := this hp
  have htf : true=false ∧ P true := this true
  have : ¬ (true = false) := by decide  -- how to avoid decide or simp?
  show False from
    this htf.1

/- 3.2 (**optional**). Prove that the following wrong formulation of the
one-point rule for `∃` is inconsistent, using a structured proof. -/

theorem Exists.proof_of_False :
    False :=
  let α : Type := Bool
  let P : α → Prop := fun _ => False
  have h : (∃x: Bool, ¬ (x=true)) -> False := (Exists.one_point_wrong true P).mp
  have hf : ∃x: Bool, ¬ (x=true) := Exists.intro false (by decide)
  show False from
    h hf

end LoVe
