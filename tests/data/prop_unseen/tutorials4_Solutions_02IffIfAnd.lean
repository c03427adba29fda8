-- Propositional declarations of leanprover-community/tutorials4 @ 1e7a75a921554daadde78dcff08f6c75e6660666 : Tutorials/Solutions/02IffIfAnd.lean, verbatim.

import Mathlib.Data.Real.Basic

/-
In the previous file, we saw how to rewrite using equalities.
The analogue operation with mathematical statements is rewriting using
equivalences. This is also done using the `rw` tactic.
Lean uses `↔` to denote equivalence instead of `⇔` (increase font size if you don't see a difference).

In the following exercises we will use the lemma:

  `sub_nonneg {x y : ℝ} : 0 ≤ y - x ↔ x ≤ y`

The curly braces around x and y instead of parentheses mean Lean will always try to figure out what
x and y are from context, unless we really insist on telling it (we'll see how to insist much later).
Let's not worry about that for now.

In order to announce an intermediate statement we use:

  `have my_name : my statement := by`

This triggers the apparition of a new goal: proving the statement. After this is done,
the statement becomes available under the name `my_name`.
-/

example (P Q : Prop) : P ∧ Q → Q ∧ P := by
  -- sorry
  intro hyp
  rcases hyp with ⟨hP, hQ⟩
  constructor
  · exact hQ
  · exact hP
  -- sorry

/-
Of course using `constructor` only to be able to use `exact` twice in a row feels silly. One can
also use the anonymous constructor syntax: ⟨ ⟩
Beware those are not parentheses but angle brackets. This is a generic way of providing
compound objects to Lean when Lean already has a very clear idea of what it is waiting for.

So we could have replaced the last three lines by:
  exact ⟨hQ, hP⟩

We can also combine the `intros` steps. We can now compress our earlier proof to:
-/

example (P Q : Prop) : P ∧ Q → Q ∧ P := by
  -- sorry
  intro ⟨hP, hQ⟩
  exact ⟨hQ, hP⟩
  -- sorry

/-
We are ready to come back to the equivalence between the different formulations of
lemmas having two assumptions. Remember the `constructor` tactic can be used to split
an equivalence into two implications.
-/
-- 0019

example (P Q R : Prop) : P ∧ Q → R ↔ P → Q → R := by
  -- sorry
  constructor
  · intro hyp hP hQ
    exact hyp ⟨hP, hQ⟩
  · rintro hyp ⟨hP, hQ⟩
    exact hyp hP hQ
  -- sorry

/-
If you used more than five lines in the above exercise then try to compress things
(without simply removing line ends).

One last compression technique: given a proof `h` of a conjunction `P ∧ Q`, one can get
a proof of `P` using `h.left` and a proof of `Q` using `h.right`, without using `rcases`.
One can also use the more generic (but less legible) names `h.1` and `h.2`.

Similarly, given a proof `h` of `P ↔ Q`, one can get a proof of `P → Q` using `h.mp`
and a proof of `Q → P` using `h.mpr` (or the generic `h.1` and `h.2` that are even less legible
in this case).

Before the final exercise in this file, let's make sure we'll be able to leave
without learning 10 lemma names. The `linarith` tactic will prove any equality or
inequality or contradiction that follows by linear combinations of assumptions from the
context (with constant coefficients).
-/

open Nat

-- 0022
