-- Propositional declarations of zerrymore11/logical_verification_2023 @ 08a3557524fc5cc2d94444a6fe26d699bcb9d450 : lean/LoVe/LoVe04_ForwardProofs_ExerciseSheet.lean, verbatim.

import LoVe.LoVelib


/- # LoVe Exercise 4: Forward Proofs -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe


/- ## Question 1: Connectives and Quantifiers

1.1. Supply structured proofs of the following theorems. -/

theorem proj_fst (a : Prop) :
  a → a → a :=
  assume ha : a
  assume ha' : a
  show a from ha


/- Please give a different answer than for `proj_fst`. -/

theorem contrapositive (a b : Prop) :
  (a → b) → ¬ b → ¬ a :=
  assume hab : a → b
  assume hnb : ¬ b
  assume ha : a
  have hb := hab ha
  hnb hb
  -- hnb hb
  -- pure term mode
  /-
    h : ¬ P <--> h : P → False
    (a → b) → ¬ b → ¬ a <-->
    (a → b) → (b → False) → a → False
  -/
  -- fun hab hnb ha =>
  --   hnb (hab ha)



/- 1.3. Supply a structured proof of the distributivity of `∀` over `∧`. -/

theorem All.proof_of_False :
  False :=
  /- Instantiate axiom with concret terms -/
  have h := All.one_point_wrong true (fun _ => True)
  have h1 : ¬ (∀ x : Bool, x = true) := by
    intro h
    have ht := h false
    contradiction
  have h2 : (∀ x : Bool, x = true) ↔ True := by
    /- Any prop P can be infered from False -/
    apply Iff.intro
    <;>
    contradiction
  have h3 : ∀ x : Bool, x = true := by
    rw [h2]
    trivial
  h1 h3


/- 3.2 (**optional**). Prove that the following wrong formulation of the
one-point rule for `∃` is inconsistent, using a structured proof. -/

theorem Exists.proof_of_False :
  False :=
  have h := Exists.one_point_wrong 2 (fun n => n > 3)
  have h1 : ¬ (∃ x, x = 2 → x > 3) := by
    intro hx
    have hy := Iff.mp h hx
    contradiction
  have neq : ∃ x, x = 2 → x > 3 := by
    use 0
    intro h
    contradiction
  show False from h1 neq

end LoVe
