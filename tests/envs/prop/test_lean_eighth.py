"""Behaviours of Lean 4 that an eighth set of texts not used while developing prop showed it lacked
(issue 28). Each test names where Lean documents or pins the behaviour; the statements are this file's
own, and each family keeps a wrong variant that Lean rejects."""

from qedjax.envs.prop.check import check_lean_text
from tests.envs.prop.lean_text import message, proved, results

# ------------------------------------------------------------ a trailing comma in ⟨…⟩

def test_anonymous_constructor_allows_a_trailing_comma():
    # src/Lean/Parser/Term.lean: `anonymousCtor := leading_parser "⟨" >> withoutPosition (withoutForbidden
    # (sepBy termParser ", " (allowTrailingSep := true))) >> "⟩"`
    assert proved("""
example (p q : Prop) : p ∧ q ↔ q ∧ p :=
  ⟨
    fun h => ⟨h.right, h.left,⟩,
    fun h => ⟨h.right, h.left⟩,
  ⟩
""")
    # wrong variant: the components swapped; and a comma with no term before it is no term
    assert not proved("example (p q : Prop) (hp : p) (hq : q) : p ∧ q := ⟨hq, hp,⟩")
    res, _ = check_lean_text("example (p q : Prop) (hp : p) (hq : q) : p ∧ q := ⟨hp,, hq⟩")
    assert not res or not res[0].proved


# ------------------------------------------------------------ overloaded identifiers

OVERLOAD = """
theorem em {p : Prop} : p ∨ ¬p := Classical.em p

open Classical

example (q : Prop) : q ∨ ¬q := em q
"""


def test_an_identifier_of_the_root_and_an_opened_namespace_keeps_the_constant_that_elaborates():
    # src/Lean/ResolveName.lean `resolveGlobalName`: with no match in the current namespace, the root
    # name and those of the opened namespaces are all candidates; src/Lean/Elab/App.lean `elabAppAux`
    # elaborates each and keeps the one that succeeds (`em q`: the file's `em` takes no explicit
    # argument, `Classical.em` does)
    res = results(OVERLOAD)
    assert [r.proved for r in res] == [True, True], res
    # wrong variant: neither constant proves `q ∨ ¬p`
    res = results(OVERLOAD.replace("(q : Prop) : q ∨ ¬q := em q", "(p q : Prop) : q ∨ ¬p := em q"))
    assert not res[1].proved


def test_two_constants_that_both_elaborate_are_ambiguous():
    # `elabAppAux`: more than one success is the error "ambiguous, possible interpretations"
    res = results(OVERLOAD.replace("theorem em {p : Prop}", "theorem em (p : Prop)"))
    assert not res[1].proved
    assert res[1].diagnostics[0].message.startswith("ambiguous, possible interpretations")


def test_a_name_of_the_current_namespace_shadows_the_root_and_opened_ones():
    # `resolveGlobalName` tries the current namespace (and its parents) first: only if none declares
    # the name are the root and the opened namespaces consulted
    res = results("""
namespace N
theorem em {p : Prop} : p ∨ ¬p := Classical.em p
open Classical
example (q : Prop) : q ∨ ¬q := em
example (q : Prop) : q ∨ ¬q := em q
end N
""")
    assert [r.proved for r in res] == [True, True, False], res


# ------------------------------------------------------------ `let` with a pattern in tactics

def test_let_with_a_pattern_destructs_as_match():
    # src/Init/Tactics.lean, the `let` tactic: "`let pat := e` for a pattern `pat` is equivalent to
    # `match e with | pat => _`", as `have pat := e` is
    assert proved("""
example (p q r : Prop) : p ∧ (q ∨ r) → (p ∧ q) ∨ (p ∧ r) := by
  intro h
  let ⟨hp, hqr⟩ := h
  cases hqr with
  | inl hq => exact Or.inl (And.intro hp hq)
  | inr hr => exact Or.inr ⟨hp, hr⟩
""")
    assert not proved("""
example (p q : Prop) (h : p ∧ q) : q ∧ p := by
  let ⟨hp, hq⟩ := h
  exact ⟨hp, hq⟩
""")


# ------------------------------------------------------------ metavariables fixed by later tactics

BY_CASES = """
example (p q r : Prop) : (p → q ∨ r) → ((p → q) ∨ (p → r)) := by
  intro h
  apply Classical.byCases
  . intro h₁; have hqr := h h₁
    cases hqr
    . apply Or.inl; exact fun _ : p => by assumption
    . apply Or.inr; exact fun _ : p => by assumption
  . intro h₁; constructor; exact fun hp : p => absurd hp h₁
"""


def test_have_may_assign_the_proof_states_metavariables():
    # `apply Classical.byCases` leaves the proposition `?p` undetermined (src/Init/Tactics.lean: `apply`
    # adds the premises it cannot fix as new goals); the `have` tactic is `refine_lift have …; ?_`, and
    # elaborating `h h₁` unifies `?p` with `p` (isDefEq assigns the natural metavariable)
    assert proved(BY_CASES)
    # wrong variant: the second case then has `h₁ : ¬p`, so `p → q` is not its first disjunct's proof
    assert not proved(BY_CASES.replace("constructor; exact fun hp : p => absurd hp h₁",
                                       "constructor; exact fun hp : p => hp"))


EXCLUDED_MIDDLE = """
example (p : Prop) : p ∨ ¬p := by
  apply Classical.byCases
  · intro hp; left; assumption
  · intro hnp; right; assumption
"""


def test_assumption_assigns_metavariables_of_hypotheses():
    # src/Lean/Meta/Tactic/Assumption.lean: `findLocalDeclWithType?` takes the latest hypothesis whose
    # type is defeq to the target; `hp : ?p` against `p` assigns `?p`
    assert proved(EXCLUDED_MIDDLE)
    # wrong variant: with `?p` fixed to `p`, the second case has `hnp : ¬p` and no proof of `p`
    assert not proved(EXCLUDED_MIDDLE.replace("intro hnp; right; assumption", "intro hnp; left; assumption"))


# ------------------------------------------------------------ rcases: a tuple is one alternative

def test_rcases_tuple_on_or_destructs_only_the_first_alternative():
    # src/Lean/Elab/Tactic/RCases.lean: a pattern that is no alternation is one alternative
    # (`RCasesPatt.asAlts`); `processConstructors` gives `inl`'s field that pattern and `inr`'s the
    # default `_`, which keeps the field whole (`h✝ : S ∧ T`). `rcases h` is `rcases h with ⟨⟩`.
    assert proved("""
example (r s t : Prop) (h : r ∨ s ∧ t) (hr : r → t) : t := by
  rcases h
  · exact hr ‹r›
  · exact ‹s ∧ t›.2
""")
    # wrong variants: `inr`'s conjunction is not split, so `assumption` finds no `t` there
    assert not proved("""
example (r s t : Prop) (h : r ∨ s ∧ t) (hr : r → t) : t := by
  rcases h
  · exact hr ‹r›
  · assumption
""")
    assert not proved("""
example (r s t : Prop) (h : (r ∧ t) ∨ (s ∧ t)) : t := by
  rcases h with ⟨a, b⟩
  · exact b
  · exact b
""")
    assert proved("""
example (r s t : Prop) (h : (r ∧ t) ∨ (s ∧ t)) : t := by
  rcases h with ⟨a, b⟩ | ⟨a, b⟩
  · exact b
  · exact b
""")


# ------------------------------------------------------------ implicit lambda

def test_implicit_lambda_introduces_the_implicit_binders():
    # src/Lean/Elab/Term.lean `useImplicitLambda`: against `∀ {a : Prop}, t` a term is elaborated
    # against `t` with `a` a new local, unless `blockImplicitLambda` (`@f`, `fun {x}`, holes, `by`,
    # type ascriptions); so `fun h => …` binds `h : α ∧ β`, not `α`
    assert proved("""
example (p q : Prop) : p ∧ q ↔ q ∧ p :=
  let swap : ∀ {α β : Prop}, α ∧ β → β ∧ α := fun h => ⟨h.right, h.left⟩
  Iff.intro swap swap
""")
    assert proved("""
example (p q : Prop) : p ∧ q ↔ q ∧ p :=
  let swap : ∀ {α β : Prop}, α ∧ β → β ∧ α := fun {a b} h => ⟨h.right, h.left⟩
  Iff.intro swap swap
""")
    assert proved("example (p : Prop) (f : (∀ {a : Prop}, a → a) → p) : p := f (fun x => x)")
    # wrong variants: the body is checked against the introduced binders' statement
    assert not proved("""
example (p q : Prop) : p ∧ q ↔ q ∧ p :=
  let swap : ∀ {α β : Prop}, α ∧ β → β ∧ α := fun h => ⟨h.left, h.right⟩
  Iff.intro swap swap
""")
    assert not proved("example (p q : Prop) (f : (∀ {a : Prop}, a → q) → p) : p := f (fun x => x)")
    assert not proved("example : ∀ {α : Prop}, α → α := fun h => id")


# ------------------------------------------------------------ h ▸ e

def test_subst_notation_rewrites_the_expected_type_with_the_equality():
    # src/Lean/Elab/BuiltinNotation.lean `elabSubst`: `h : lhs = rhs`; with an expected type `T`, `e`
    # is elaborated against `T` with `rhs` abstracted and `lhs` put in (else the other way round, with
    # `h.symm`); neither side in `T` is "invalid `▸` notation"
    assert proved("""
theorem thm₁ (a b c d e : Prop) (h : a ↔ b) : (c ∧ a ∧ d → e) ↔ (c ∧ b ∧ d → e) :=
  propext h ▸ Iff.refl _
""")
    assert proved("example (a b : Prop) (h : a = b) (ha : a) : b := h ▸ ha")
    assert proved("example (a b : Prop) (h : a = b) (hb : b) : a := h ▸ hb")
    assert proved("example (a b : Prop) (h : a = b) (ha : a) : a ∧ b := h ▸ ⟨ha, ha⟩")
    # wrong variants: a side that is not in the type; a term of the wrong type; an `↔` is no equality
    assert message("example (a b c : Prop) (h : a = b) (ha : a) : c := h ▸ ha").startswith("invalid `▸`")
    assert not proved("example (a b c : Prop) (h : a = b) (hc : c) : b := h ▸ hc")
    assert not proved("example (a b : Prop) (h : a ↔ b) (ha : a) : b := h ▸ ha")
