"""Lean 4's tactic-block grammar, terms and tactics as written in real proofs (issue 10)."""

import pytest

from qedjax.envs.prop.check import check_lean_text
from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.state import pp_state
from qedjax.envs.prop.tactics import TacticError, run_tactic


def outcome(source: str):
    results, file_diags = check_lean_text(source)
    assert not file_diags, file_diags
    assert len(results) == 1
    return results[0]


def proves(source: str) -> bool:
    r = outcome(source)
    return r.proved


# Each proof below is accepted by Lean 4; the grammar feature it exercises is named first.
ACCEPTED = {
    "bullets ·": """
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  constructor
  · exact hp
  · exact hq
""",
    "bullets . and nesting": """
example (p q : Prop) (hp : p) (hq : q) : p ∧ q ∧ p := by
  apply And.intro
  . exact hp
  . apply And.intro
    . exact hq
    . exact hp
""",
    "structured cases": """
example (p q : Prop) : p ∨ q → q ∨ p := by
  intro h
  cases h with
  | inl hp => apply Or.inr; exact hp
  | inr hq => apply Or.inl; exact hq
""",
    "cases alternatives in any order, several per line": """
example (p q : Prop) : p ∨ q → q ∨ p := by
  intro h
  cases h with
  | inr hq => exact Or.inl hq
  | inl hp => exact Or.inr hp
""",
    "induction on Or / And / Iff": """
example (p q : Prop) (h₁ : p ↔ q) (h₂ : p) : q := by
  induction h₁ with
  | intro h _ => exact h h₂
""",
    "rcases / obtain / rintro patterns": """
example (p q r : Prop) : (p ∨ q) ∧ r → (p ∧ r) ∨ (q ∧ r) := by
  rintro ⟨hp | hq, hr⟩
  · left; exact ⟨hp, hr⟩
  · obtain h | h := (Or.inr ⟨hq, hr⟩ : (p ∧ r) ∨ (q ∧ r))
    · exact Or.inl h
    · rcases h with ⟨hq', hr'⟩
      exact Or.inr ⟨hq', hr'⟩
""",
    "rintro with clear and absurd patterns": """
example (P : Prop) : False ↔ P ∧ False := by
  constructor
  · rintro ⟨⟩
  · rintro ⟨-, ⟨⟩⟩
""",
    "case tag => and next": """
example (p q : Prop) (hp : p) (hq : q) : p ∧ q ∧ p := by
  apply And.intro
  case right =>
    apply And.intro
    case left => exact hq
    next => exact hp
  case left => exact hp
""",
    "{ } blocks and ( ) sequences": """
example (p q r : Prop) : p ∧ (q ∨ r) ↔ (p ∧ q) ∨ (p ∧ r) := by
  apply Iff.intro
  { intro h;
    cases h.right;
    { show (p ∧ q) ∨ (p ∧ r);
      exact Or.inl ⟨h.left, ‹q›⟩ }
    { show (p ∧ q) ∨ (p ∧ r);
      exact Or.inr ⟨h.left, ‹r›⟩ } }
  { intro h;
    cases h;
    { show p ∧ (q ∨ r);
      rename_i hpq;
      exact ⟨hpq.left, Or.inl hpq.right⟩ }
    { show p ∧ (q ∨ r);
      rename_i hpr;
      exact ⟨hpr.left, Or.inr hpr.right⟩ } }
""",
    "<;> continued on the next line, bullet operand": """
example (P Q : Prop) : (P ↔ Q) ↔ (Q ↔ P) := by
  constructor <;>
    · intro h
      rw [h]
""",
    "repeat / first / try": """
example (p q r : Prop) (hr : r) : p ∨ q ∨ r := by
  repeat (first | apply Or.inl; assumption | apply Or.inr | assumption)
""",
    "try inside <;>": """
example (p q r : Prop) (hp : p) (hq : q) (hr : r) : p ∧ q ∧ r := by
  constructor <;> (try constructor) <;> assumption
""",
    "all_goals / any_goals": """
example (p q r : Prop) (hp : p) (hq : q) (hr : r) : p ∧ ((p ∧ q) ∧ r) ∧ (q ∧ r ∧ p) := by
  repeat (any_goals constructor)
  all_goals assumption
""",
    "focus": """
theorem t {p q : Prop} (h : p ∨ q) : q ∨ p := by
  induction h
  focus
    apply Or.inr
    assumption
  focus
    apply Or.inl
    assumption
""",
    "exacts": """
import Mathlib.Tactic
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  constructor
  exacts [hp, hq]
""",
    "rw / rwa with ↔ hypotheses": """
example (P Q R : Prop) : (P ↔ Q) → (Q ↔ R) → (P ↔ R) := by
  intro h1 h2
  rwa [h1]
""",
    "rw with several rules closing by rfl": """
example (P Q R S : Prop) : (P ↔ R) → (Q ↔ S) → (P ∨ Q ↔ R ∨ S) := by
  intro h1 h2
  rw [h1, h2]
""",
    "rw ← and propositional =": """
example (p q : Prop) (h : p = q) (hq : q) : p := by
  rw [← h] at hq
  exact hq
""",
    "nth_rewrite": """
import Mathlib.Tactic
example (p q : Prop) (h : p ↔ q) (hp : p ∧ p) : p ∧ q := by
  nth_rewrite 2 [h] at hp
  exact hp
""",
    "done succeeds with no goals": """
example (P : Prop) (hP : P) : P := by
  exact hP
  done
""",
    "rename_i": """
example (p q : Prop) : p ∧ q → q := by
  intro
  rename_i h
  exact h.2
""",
    "‹p› assumption term": """
example (p q : Prop) (hp : p) (hq : q) : q ∧ p := ⟨‹q›, ‹p›⟩
""",
    "nested by in terms": """
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  have h : p := by exact hp
  exact ⟨h, by assumption⟩
""",
    "cases'": """
import Mathlib.Tactic
example (P Q R : Prop) : P ∨ Q → (P → R) → (Q → R) → R := by
  intro hPoQ hPR hQR
  cases' hPoQ with hP hQ
  · apply hPR
    exact hP
  · exact hQR hQ
""",
    "triv": """
import Mathlib.Tactic
example : True := by triv
""",
    "intro | alternatives": """
example (p q r : Prop) : p ∧ (q ∨ r) → (p ∧ q) ∨ (p ∧ r) := by
  intro
  | ⟨hp, Or.inl hq⟩ =>
    apply Or.inl; constructor <;> assumption
  | ⟨hp, Or.inr hr⟩ =>
    apply Or.inr; constructor <;> assumption
""",
    "match in tactic mode": """
example (p q : Prop) (h : p ∨ q) : q ∨ p := by
  match h with
  | Or.inl hp => exact Or.inr hp
  | Or.inr hq => exact Or.inl hq
""",
    "anonymous constructors and fun with patterns": """
example (p q : Prop) : p ∧ q → q ∧ p := fun ⟨hp, hq⟩ => ⟨hq, hp⟩
""",
    "match in terms": """
example (p q : Prop) (h : p ∨ q) : q ∨ p :=
  match h with
  | Or.inl hp => Or.inr hp
  | Or.inr hq => Or.inl hq
""",
    "have / show / suffices in terms": """
example (p q : Prop) (h : p ∧ q) : q ∧ p :=
  have hp : p := h.left
  suffices hq : q from And.intro hq hp
  show q from And.right h
""",
    "show … by … inside exact": """
example (p q r : Prop) : p ∧ (q ∨ r) → (p ∧ q) ∨ (p ∧ r) := by
  intro h
  exact
    have hp : p := h.left
    have hqr : q ∨ r := h.right
    show (p ∧ q) ∨ (p ∧ r) by
      cases hqr with
      | inl hq => exact Or.inl ⟨hp, hq⟩
      | inr hr => exact Or.inr ⟨hp, hr⟩
""",
    "absurd, Or.elim, And.left, Iff.mp partially applied": """
example (p q : Prop) (hp : p) (hnp : ¬p) (h : p ∧ q) (hiff : p ↔ q) : q ∧ q ∧ q := by
  refine ⟨absurd hp hnp, Or.elim (Or.inl hp) (fun x => hiff.mp x) (fun y => y), ?_⟩
  exact Iff.mp hiff (And.left h)
""",
    "apply of a constructor with some explicit arguments": """
example (p q : Prop) (hp : p) (hq : q) : p ∧ q ∧ p := by
  apply And.intro hp
  exact And.intro hq hp
""",
    "apply Or.elim h leaves the two branches": """
example (p q r : Prop) (h : p ∨ q) (hpr : p → r) (hqr : q → r) : r := by
  apply Or.elim h
  · exact hpr
  · exact hqr
""",
    "apply Iff.intro with the first argument": """
example (p : Prop) : p ↔ p := by
  apply Iff.intro (fun h => h)
  exact fun h => h
""",
    "Classical.byContradiction and Classical.em": """
example (p : Prop) : ¬¬p → p := fun h =>
  Classical.byContradiction fun hn => h hn
""",
    "open Classical / em": """
open Classical in
example (p : Prop) : p ∨ ¬p := em p
""",
    "∀ over Prop in statements, intro and application": """
example : ∀ (p q : Prop), p ∧ q → q ∧ p := by
  intro p q h
  exact ⟨h.2, h.1⟩
""",
    "∀ hypothesis applied to propositions": """
example (p q : Prop) (lem : ∀ r : Prop, r ∨ ¬r) : (p ∧ q) ∨ ¬(p ∧ q) := lem (p ∧ q)
""",
    "have … := by … with layout": """
import Mathlib.Tactic
example (P : Prop) : ¬(P ↔ ¬P) := by
  intro h
  have hnP : ¬P := by
    cases' h with h1 h2
    intro hP
    apply h1 <;> assumption
  apply hnP
  rw [h]
  exact hnP
""",
    "term continued on a more indented line": """
example (p q : Prop) (hp : p) : p ∨ q := by
  exact
    Or.inl hp
""",
    "tactic block starting on the line of by": """
theorem test (p q : Prop) (hp : p) (hq : q) : p ∧ q ∧ p :=
  by apply And.intro
     exact hp
     apply And.intro
     exact hq
     exact hp
""",
    "apply h at h'": """
import Mathlib.Tactic
example (P Q : Prop) (h : P → Q) (hP : P) : Q := by
  apply h at hP
  exact hP
""",
    "change … at": """
import Mathlib.Tactic
example (P Q : Prop) (h : ¬Q → ¬P) (hP : P) : Q := by
  change (Q → False) → P → False at h
  by_contra hnQ
  exact h hnQ hP
""",
    "function composition and pipelines": """
example (p q r : Prop) : (p → q) → (q → r) → p → r := fun hpq hqr => hqr ∘ hpq
""",
    "dependent arrow over Prop": """
example : (p : Prop) → p → p := fun p hp => hp
""",
    "pipeline operators": """
example (p q : Prop) (hp : p) (h : p → q) : q ∧ q := ⟨h <| hp, hp |> h⟩
""",
    "simp closing with a hypothesis": """
example (p q : Prop) (hp : p) : p ∧ q ↔ q := by
  simp [*]
""",
    # Lean's block comments nest (the reference manual's "Comments"; Lean's `finishCommentBlock`)
    "nested block comments": """
example (p : Prop) (hp : p) : p := by
  /- outer /- inner -/ still a comment: exact wrong -/
  exact hp
""",
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_real_proofs_are_accepted(name):
    r = outcome(ACCEPTED[name])
    assert r.proved, (name, [d.message for d in r.diagnostics])


# Each of these fails in Lean; it must fail here too, with the error where Lean puts it.
REJECTED = {
    "unclosed bullet": ("""
example (p q : Prop) (hp : p) : p ∧ p := by
  constructor
  · skip
  · exact hp
""", (4, 2), "unsolved goals"),
    "missing cases alternative": ("""
example (p q : Prop) (h : p ∨ q) : q ∨ p := by
  cases h with
  | inl hp => exact Or.inr hp
""", (3, 2), "Alternative `inr` has not been provided"),
    "left where right is needed": ("""
example (p q : Prop) (hq : q) : p ∨ q := by
  left
  exact hq
""", (4, 8), "Type mismatch"),
    "unknown case tag": ("""
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  constructor
  case foo => exact hp
""", (4, 2), "Case tag 'foo' not found."),
    "tactic after the proof is done": ("""
example (p : Prop) (hp : p) : p := by
  exact hp
  exact hp
""", (4, 2), "No goals to be solved"),
    "goals left at the end": ("""
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  constructor
  exact hp
""", (2, 50), "unsolved goals\ncase right"),
    "mis-indented tactic": ("""
example (p : Prop) : p → p := by
  intro h
    exact h
""", None, ""),
    "unknown tactic": ("""
example (p : Prop) (hp : p) : p := by
  frobnicate hp
""", (3, 2), "unknown tactic"),
    "unsupported Lean tactic": ("""
example (p : Prop) (hp : p) : p := by
  aesop
""", (3, 2), "does not support the tactic `aesop`"),
    "redundant match alternative": ("""
example (p q : Prop) (h : p ∨ q) : q ∨ p :=
  match h with
  | Or.inl hp => Or.inr hp
  | Or.inr hq => Or.inl hq
  | Or.inl hp => Or.inr hp
""", (6, 2), "Redundant alternative"),
    "non-exhaustive fun pattern": ("""
example (p q : Prop) : p ∨ q → p := fun (Or.inl hp) => hp
""", None, "Missing cases"),
}


@pytest.mark.parametrize("name", list(REJECTED))
def test_wrong_proofs_fail_like_lean(name):
    source, where, message = REJECTED[name]
    r = outcome(source)
    assert not r.proved
    first = r.diagnostics[0]
    assert message in first.message
    if where is not None:
        assert (first.line, first.column) == where, first


def test_unterminated_nested_comment_is_a_file_error():
    # the inner `-/` closes only the inner comment, so the outer one never ends: Lean's
    # `finishCommentBlock` reports "unterminated comment" at the end of the input
    results, file_diags = check_lean_text("""
example (p : Prop) (hp : p) : p := by
  /- outer /- inner -/
  exact hp
""")
    assert not any(r.proved for r in results)
    assert [(d.line, d.message) for d in file_diags] == [(5, "unterminated comment")]


def test_errors_inside_bullets_are_recovered_and_all_reported():
    r = outcome("""
example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  constructor
  · exact hq
  · exact hp
""")
    assert [(d.line, d.column) for d in r.diagnostics] == [(4, 10), (5, 10)]


def goals_after(statement: str, script: str) -> str:
    return pp_state(run_tactic((parse_statement(statement).goal,), script))


def test_done_with_goals_is_unsolved_goals():
    with pytest.raises(TacticError, match="unsolved goals"):
        goals_after("theorem t (p : Prop) (hp : p) : p ∧ p", "constructor; done")


def test_layout_continuation_and_separation():
    # a more indented line continues the term; the block column separates tactics
    stmt = "theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q"
    assert goals_after(stmt, "refine\n  ⟨hp,\n   ?_⟩\nexact hq") == "no goals"
    assert goals_after(stmt, "constructor\nexact hp") == "case right\np q : Prop\nhp : p\nhq : q\n⊢ q"


def test_unsupported_argument_tactics_name_the_tactic_not_expected_command():
    with pytest.raises(TacticError) as e:
        goals_after("theorem t (p : Prop) (hp : p) : p", "nlinarith [sq_nonneg p, hp]")
    assert "nlinarith" in e.value.message and "expected command" not in e.value.message


def test_negation_is_an_argument():
    # Init/Core.lean: `notation:max "¬" p:40 => Not p`: at maximal precedence `¬ t` is an application's
    # argument, and takes the argument's own application with it (`f ¬a b` is `f (¬(a b))`)
    results, _ = check_lean_text("""
theorem or_id {p : Prop} : p ∨ False ↔ p := ⟨fun h => h.elim id False.elim, Or.inl⟩
example (p q : Prop) : ¬(p ∧ q) ∨ False ↔ ¬(p ∧ q) := by
  rw [@or_id ¬(p∧q)]
""")
    assert [r.proved for r in results] == [True, True]
    results, _ = check_lean_text("""
theorem or_id {p : Prop} : p ∨ False ↔ p := ⟨fun h => h.elim id False.elim, Or.inl⟩
example (p q : Prop) : ¬p ∨ False ↔ ¬q := @or_id ¬ p
""")
    r = results[1]
    assert not r.proved and r.diagnostics[0].message.startswith("Type mismatch")
