variable (A B C D : Prop)

namespace Ex1
section
open Classical

example : A ∨ ¬ A := by
  apply byContradiction
  intro (h1 : ¬ (A ∨ ¬ A))
  have h2 : ¬ A := by
    intro (h3 : A)
    have h4 : A ∨ ¬ A := Or.inl h3
    show False
    exact h1 h4
  have h5 : A ∨ ¬ A := Or.inr h2
  show False
  exact h1 h5

end
end Ex1

namespace Ex2
section
open Classical

example (A : Prop) : A ∨ ¬ A :=
Or.elim (em A)
  (fun _ : A ↦ Or.inl ‹A›)
  (fun _ : ¬ A ↦ Or.inr ‹¬A›)
end
end Ex2

namespace Ex3
section
open Classical

example (A : Prop) : A ∨ ¬ A :=
em A

end
end Ex3

namespace Ex4
section
open Classical

example (A : Prop) : ¬ ¬ A ↔ A :=
Iff.intro
  (fun h1 : ¬ ¬ A ↦
    show A from byContradiction
      (fun h2 : ¬ A ↦
        show False from h1 h2))
  (fun h1 : A ↦
    show ¬ ¬ A from fun h2 : ¬ A ↦ h2 h1)

end
end Ex4

namespace Ex5
section
open Classical
variable (A B : Prop)

example (h : ¬ B → ¬ A) : A → B := by
  intro (h1 : A)
  show B
  apply byContradiction
  intro (h2 : ¬ B)
  have h3 : ¬ A := h h2
  show False
  exact h3 h1

example (h : ¬ (A ∧ ¬ B)) : A → B := by
  intro (h1 : A)
  show B
  apply byContradiction
  intro
  have : A ∧ ¬ B := And.intro ‹A› ‹¬ B›
  show False
  exact h this

end
end Ex5

namespace Ex6
section
open Classical

variable (A B : Prop)

example : (A → B) ∨ (B → A) :=
Or.elim (em B)
  (fun h : B ↦
    have : A → B :=
      fun _ : A ↦ show B from h
    show (A → B) ∨ (B → A) from Or.inl this)
  (fun h : ¬ B ↦
    have : B → A :=
      fun _ : B ↦ have : False := h ‹B›
      show A from False.elim this
    show (A → B) ∨ (B → A) from Or.inr this)

end
end Ex6

namespace Ex7
section
open Classical

example : A ∨ ¬ A := by
  apply byContradiction
  intro (h1 : ¬ (A ∨ ¬ A))
  have h2 : ¬ A := by
    intro (h3 : A)
    have h4 : A ∨ ¬ A := Or.inl h3
    show False
    exact h1 h4
  have h5 : A ∨ ¬ A := Or.inr h2
  show False
  exact h1 h5

example : A ∨ ¬ A := by
  apply byContradiction
  intro (h1 : ¬ (A ∨ ¬ A))
  have h2 : ¬ A := by
    intro (h3 : A)
    have h4 : A ∨ ¬ A := Or.inl h3
    contradiction
  have h5 : A ∨ ¬ A := Or.inr h2
  contradiction

end
end Ex7

namespace Ex8
section
open Classical

example : A ∨ ¬ A := by
  apply byContradiction
  intro
  have : ¬ A := by
    intro
    have : A ∨ ¬ A := Or.inl ‹A›
    contradiction
  have : A ∨ ¬ A := Or.inr this
  contradiction

end
end Ex8

