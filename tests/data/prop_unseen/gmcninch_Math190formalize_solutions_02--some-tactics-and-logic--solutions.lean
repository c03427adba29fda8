-- Propositional declarations of gmcninch-tufts/math190formalize @ c60dd571215bbd0d6306dea95590d60315840d1a : Math190formalize/solutions/02--some-tactics-and-logic--solutions.lean, verbatim.

import Mathlib.Tactic
--------------------------------------------------------------------------------

/- examples for you to try - group 1 -/

-- problem 1.1

example : True → True := by
  intro tt
  exact tt
  done

-- **or**

-- problem 2.1

example : True → True := by
  intro _
  trivial
  done

-- **or*
-- problem 2.1

example : True → True := λ x => x


-- problem 2.2

example : False → True := by
  intro f
  exfalso
  exact f
  done

-- **or**

-- problem 2.2

example : False → True := λ f => False.elim f


-- problem 2.3

example : False → False := by
  intro f
  exact f
  done

-- **or**

-- problem 2.3

example : False → False := λ x => x


-- problem 2.4

example : True → False → True → False → True → False := by
  intro _ f _ _ _ 
  apply f
  done

-- problem 2.6

example : False → ¬True := by
  intro f
  exfalso
  exact f
  done

-- problem 3.2

example : ¬False → True := by
  intro _
  trivial
  done

-- problem 3.3

example : True → ¬False := by
  intro _
  intro f
  exact f
  done

-- **or**

-- problem 3.3

example : True → ¬False := by
  intro _ 
  exact (λ f => f) -- since `λ f => f : False → False` i.e. `λ f => f : ¬ False`
  done

-- (somehow it makes me unhappy that I can't replace `exact (λ f => f)` by
-- `apply (λ f => f)` in the preceding proof...)


-- problem 3.4

example : ¬¬False → False := by
  intro nnf
  apply nnf
  intro f
  exact f
  done

-- problem 3.9
