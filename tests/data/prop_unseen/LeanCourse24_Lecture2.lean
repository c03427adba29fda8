-- Propositional declarations of fpvandoorn/LeanCourse24 @ db3b3f07a416cdea6730578dacda24921739d215 : LeanCourse/Lectures/Lecture2.lean, verbatim.

import LeanCourse.Common

open Real
noncomputable

section







/-
# Practical remarks
* To get the latest version of this repository, run `git pull` on the command line.
  See `README` for precise instructions.
* The first assignment due 22.10.2023. Upload it to eCampus.

**Two optional activities**
* There is a weekly Lean hacking session Wednesdays 18 - 20 c.t. in seminar room 0.011.
* There is a Lean seminar Fri 14 - 16 c.t. in N0.003.
  In the next few weeks (starting this Friday) we will explain
  monadic programming and metaprogramming in Lean.
  (Some general programming experience is expected.)
-/

/- # Last Week -/

/- You type code on the left-hand side of the screen,
and Lean automatically compiles the file and
shows output in the *Lean Infoview* on the right.

If you ever close the Infoview, you can toggle it
under the `∀`-button at the top-right of your window. -/

/- Every expression in Lean has a type,
and when applying a function to an argument,
the argument must lie in the domain of the function.  -/

example (p q r : Prop) (hq : p → q)
    (hr : p → (q → r)) : p → r := by {
  -- intro hp
  intro (hp : p)
  have h : q := hq hp
  have h2 := hr hp h
  exact h2
  }

/- We can also use `specialize` to apply a hypothesis to arguments. -/

example (p q r : Prop) (hq : p → q) (hr : p → q → r) : p → r := by {
  intro hp
  specialize hq hp
  specialize hr hp hq
  assumption
  }

/-
**Backwards reasoning** is where we chain implications backwards,
deducing what we want to prove from a combination of other statements
(potentially even stronger ones).
We do this with the `apply` tactic.
-/

example (p q r s : Prop) (hq : p → s → q) (hr : q → r) : s → p → r := by {
  -- show_term
  intro hs hp
  exact hr (hq hp hs)
  -- apply hq
  -- · assumption
  -- · assumption
  }

/- We can also use `exact` or `refine` with more complicated proof terms. -/

open Real

section Real

example {p q : Prop} (h1 : p → q) (h2 : q → p) : p ↔ q := by {
  constructor
  · exact h1
  · exact h2
  }

/- ## Universal quantification
The tactics for universal quantification and implication are the same.
* We can use `intro` to prove an universal quantification (or implication).
* We can use `apply` or `specialize` to use a hypothesis
  that is a universal quantification (or implication). -/

example (p q r s : Prop) (h : p → r) (h' : q → s) : p ∧ q → r ∧ s := by {
  intro (hpq : p ∧ q)
  obtain ⟨hp, hq⟩ := hpq
  constructor
  · exact h hp
  · exact h' hq
  }

end Real
