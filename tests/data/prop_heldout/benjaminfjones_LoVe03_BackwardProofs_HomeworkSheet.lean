-- Propositional declarations of benjaminfjones/logical_verification_2025 @ 338bce5340da2c8d6147b2e94df7b7891e75c9e4 : lean/LoVe/LoVe03_BackwardProofs_HomeworkSheet.lean, verbatim.

import LoVe.LoVe03_BackwardProofs_ExerciseSheet


/- # LoVe Homework 3 (10 points): Backward Proofs

Replace the placeholders (e.g., `:= sorry`) with your solutions. -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe

namespace BackwardProofs


/- ## Question 1 (5 points): Connectives and Quantifiers

1.1 (4 points). Complete the following proofs using basic tactics such as
`intro`, `apply`, and `exact`.

Hint: Some strategies for carrying out such proofs are described at the end of
Section 3.3 in the Hitchhiker's Guide. -/

theorem B (a b c : Prop) :
    (a → b) → (c → a) → c → b := by
  intro f g hc
  exact f (g hc)

theorem S (a b c : Prop) :
    (a → b → c) → (a → b) → a → c := by
  intro f g ha
  exact f ha (g ha)

theorem more_nonsense (a b c d : Prop) :
    ((a → b) → c → d) → c → b → d := by
  intro f hc hb
  exact f (fun _ => hb) hc

theorem even_more_nonsense (a b c : Prop) :
    (a → b) → (a → c) → a → b → c := by
  intro _f g ha _hb
  exact g ha

/- 1.2 (1 point). Prove the following theorem using basic tactics. -/

theorem weak_peirce (a b : Prop) :
    ((((a → b) → a) → a) → b) → b := by
  intro f
  suffices i : ((a → b) → a) → a by
    exact f i
  intro haba
  suffices hab : a → b by
    exact haba hab
  intro ha
  exact f (fun _ => ha)

-- Proof automated version

theorem weak_peirce' (a b : Prop) :
    ((((a → b) → a) → a) → b) → b := by
  grind

/- ## Question 2 (5 points): Logical Connectives

2.1 (1 point). Prove the following property about double negation using basic
tactics.

Hints:

* Keep in mind that `¬ a` is defined as `a → False`. You can start by invoking
  `simp [Not]` if this helps you.

* You will need to apply the elimination rule for `False` at a key point in the
  proof. -/

theorem herman (a : Prop) :
    ¬¬ (¬¬ a → a) := by
  intro h1
  apply h1
  intro hnna
  apply Classical.by_contradiction  -- didn't say not to :)
  intro hna
  exact hnna hna

/- 2.2 (2 points). Prove the missing link in our chain of classical axiom
implications.

Hints:

* One way to find the definitions of `DoubleNegation` and `ExcludedMiddle`
  quickly is to

  1. hold the Control (on Linux and Windows) or Command (on macOS) key pressed;
  2. move the cursor to the identifier `DoubleNegation` or `ExcludedMiddle`;
  3. click the identifier.

* You can use `rw DoubleNegation` to unfold the definition of
  `DoubleNegation`, and similarly for the other definitions.

* You will need to apply the double negation hypothesis for `a ∨ ¬ a`. You will
  also need the left and right introduction rules for `∨` at some point. -/

end BackwardProofs

end LoVe
