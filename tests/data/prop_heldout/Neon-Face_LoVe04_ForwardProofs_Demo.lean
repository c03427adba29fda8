-- Propositional declarations of Neon-Face/logical_verification_2025 @ 5f8b28c3c181c94ee731338a6ccd91d6e8ded342 : LoVe/LoVe04_ForwardProofs_Demo.lean, verbatim.

import LoVe.LoVe02_ProgramsAndTheorems_Demo


/- # LoVe Demo 4: Forward Proofs

When developing a proof, often it makes sense to work __forward__: to start with
what we already know and proceed step by step towards our goal. Lean's
structured proofs and raw proof terms are two styles that support forward
reasoning. -/

set_option autoImplicit false

set_option tactic.hygienic false

namespace LoVe

namespace ForwardProofs


/- ## Structured Constructs

Structured proofs are syntactic sugar sprinkled on top of Lean's
__proof terms__.

The simplest kind of structured proof is the name of a theorem, possibly with
arguments. -/

theorem Or_swap (a b : Prop) :
    a ∨ b → b ∨ a :=
  assume hab : a ∨ b
  show b ∨ a from
    Or.elim hab
      (assume ha : a
       show b ∨ a from
         Or.inr ha)
      (assume hb : b
       show b ∨ a from
         Or.inl hb)

end ForwardProofs


/- ## Induction by Pattern Matching and Recursion

By the PAT principle, a proof by induction is the same as a recursively
specified proof term. Thus, as alternative to the `induction` tactic, induction
can also be done by pattern matching and recursion:

* the induction hypothesis is then available under the name of the theorem we
  are proving;

* well-foundedness of the argument is often proved automatically. -/

end LoVe
