-- Wrong variants of proofs from the corpus: every declaration below is rejected by Lean.
-- Each comment names the proof it comes from and what was changed.

variable (P Q R : Prop)

-- fm2024 sheet 6, `P → P ∨ Q`: `left` swapped for `right`
example : P → P ∨ Q := by
  intro hP
  right
  exact hP

-- fm2024 sheet 6, symmetry of `or`: `left`/`right` swapped in both branches
example : P ∨ Q → Q ∨ P := by
  intro hPoQ
  cases' hPoQ with hP hQ
  · left; assumption
  · right; assumption

-- fm2024 sheet 4, `P ∧ Q → P`: wrong hypothesis
example : P ∧ Q → P := by
  intro hPaQ
  cases' hPaQ with hP hQ
  exact hQ

-- fm2024 sheet 4, `P → Q → P ∧ Q`: last bullet dropped
example : P → Q → P ∧ Q := by
  intro hP
  intro hQ
  constructor
  · exact hP

-- fm2024 sheet 1: second bullet dropped
example : (P → Q → R) → (P → Q) → P → R := by
  intro hPQR hPQ hP
  apply hPQR
  · exact hP

-- fm2024 sheet 3, `P → ¬¬P`: wrong hypothesis
example : P → ¬¬P := by
  intro hP
  intro hnP
  apply hnP
  exact hnP

-- fm2024 sheet 3, `¬¬P → P`: wrong hypothesis
example : ¬¬P → P := by
  intro h
  by_contra h2
  apply h
  exact h

-- fm2024 sheet 5: `rw [h]` replaced by `exact h`
example : (P ↔ Q) → (Q ↔ P) := by
  intro h
  exact h

-- fm2024 sheet 5: components in the wrong order
example : P ∧ Q ↔ Q ∧ P := by
  constructor <;>
    · rintro ⟨h1, h2⟩
      exact ⟨h1, h2⟩

-- fm2024 sheet 6, de Morgan: `left`/`right` swapped in the first direction
example : ¬(P ∨ Q) ↔ ¬P ∧ ¬Q := by
  constructor
  · intro h
    constructor
    · intro hP
      apply h
      right
      exact hP
    · intro hQ
      apply h
      left
      exact hQ
  · rintro ⟨hnP, hnQ⟩ (hP | hQ)
    · apply hnP; exact hP
    · exact hnQ hQ

-- tpil tactics: structured cases with `Or.inl`/`Or.inr` swapped
example (p q : Prop) : p ∨ q → q ∨ p := by
  intro h
  cases h with
  | inl hp => apply Or.inl; exact hp
  | inr hq => apply Or.inr; exact hq

-- tpil tactics: `case left` uses the wrong hypothesis
example (p q : Prop) (hp : p) (hq : q) : p ∧ q ∧ p := by
  apply And.intro
  case left => exact hp
  case right =>
    apply And.intro
    case left => exact hp
    case right => exact hp

-- tpil tactics: the disjunct that cannot be proved
example (p q : Prop) (hp : p) : p ∨ q := by
  apply Or.inr; assumption

-- tpil tactics, distributivity: one `exact` dropped
example (p q r : Prop) : p ∧ (q ∨ r) ↔ (p ∧ q) ∨ (p ∧ r) := by
  apply Iff.intro
  . intro h
    apply Or.elim (And.right h)
    . intro hq
      apply Or.inl
      apply And.intro
      . exact And.left h
    . intro hr
      apply Or.inr
      apply And.intro
      . exact And.left h
      . exact hr
  . intro h
    apply Or.elim h
    . intro hpq
      apply And.intro
      . exact And.left hpq
      . apply Or.inl
        exact And.right hpq
    . intro hpr
      apply And.intro
      . exact And.left hpr
      . apply Or.inr
        exact And.right hpr

-- logic and proof: conjunction rebuilt in the wrong order
example (A B : Prop) : A ∧ ¬ B → ¬ B ∧ A :=
fun h : A ∧ ¬ B ↦
And.intro (And.left h) (And.right h)

-- mathematics in lean: application in the wrong direction
example (Q : Prop) (h : ¬¬Q) : Q := by
  by_contra h'
  exact h' h

-- lean4 tests: `Or.inl`/`Or.inr` swapped
theorem tst1 {p q : Prop } (h : p ∨ q) : q ∨ p := by
induction h with
| inr h2 => exact Or.inr h2
| inl h1 => exact Or.inl h1

-- lean4 tests: the two fields of `Iff.intro` swapped
theorem tst10 {p q : Prop } (h₁ : p ↔ q) (h₂ : p) : q := by
  induction h₁ with
  | intro _ h => exact h h₂

-- simp cannot use `hp` to prove `q`
example (p q : Prop) (hp : p) : p ∧ q := by
  simp [hp]

-- `← h` rewrites `q`, which `hp` does not contain
example (p q : Prop) (h : p ↔ q) (hp : p) : q := by
  rw [← h] at hp
  exact hp

-- wrong projection
example (p q : Prop) (h : p ∧ q) : p := h.2

-- `id` cannot turn `q` into `p`
example (p q : Prop) (h : p ∨ q) : p := h.elim id id

-- `absurd` with a hypothesis of the wrong proposition
example (p q : Prop) (hnp : ¬p) (hq : q) : p := absurd hq hnp

-- modus ponens backwards
example (p q : Prop) (h : p → q) (hq : q) : p := h hq

-- both `exact`s in the first bullet
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  constructor
  · exact hp
    exact hq

-- `case inl` left unsolved
example (p q : Prop) (h : p ∨ q) : q ∨ p := by
  cases h
  case inr hq => exact Or.inl hq

-- anonymous constructor in the wrong order
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := ⟨hq, hp⟩

-- `apply And.intro` with the wrong first argument
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  apply And.intro hq
  exact hp

-- `exfalso` without a contradiction
example (p : Prop) (hp : p) : p := by
  exfalso
  exact hp

-- `have` with a proof of the wrong proposition
example (p q : Prop) (hp : p) : q := by
  have h : q := hp
  exact h

-- `show` a different goal
example (p q : Prop) (hp : p) : p := by
  show q
  exact hp

-- `intro` does not prove the conclusion
example (p q : Prop) : p → q := by
  intro h
  exact h

-- `constructor` on `∨` chooses the left disjunct
example (p q : Prop) (hq : q) : p ∨ q := by
  constructor
  exact hq

-- `rfl` needs the same proposition on both sides
example (p q : Prop) : p ↔ q := by
  rfl

-- no `Decidable` instance for a proposition variable
example (p : Prop) : p ∨ ¬p := by
  decide

-- nothing contradictory in the context
example (p q : Prop) (hp : p) : q := by
  contradiction

-- `trivial` has nothing to work with
example (p : Prop) : p := by
  trivial

-- `simp_all` cannot split a disjunction
example (p q : Prop) (h : p ∨ q) : p := by
  simp_all

-- `sorry` is not a proof
example (p : Prop) : p := by
  sorry
