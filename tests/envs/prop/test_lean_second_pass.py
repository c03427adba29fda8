"""prop's Lean, second pass (issue 28): each behaviour is Lean 4's, and each test names where it is
documented or pinned (Lean 4's sources `src/...`, its test suite `tests/...`, Mathlib's sources).
The statements are this file's own."""

import warnings

import pytest

from qedjax.envs.prop.check import check_lean_text, check_records
from qedjax.envs.prop.env import PropEnvironment, PropOptionWarning, parse_statement
from qedjax.envs.prop.state import pp_goal, pp_state
from qedjax.envs.prop.tactics import TacticError, run_tactic
from qedjax.interfaces import ProofComplete, Success, Theorem


def check(source: str):
    """(the one declaration's result, the file-level diagnostics) of a `.lean` source."""
    results, file_diags = check_lean_text(source)
    assert len(results) == 1, results
    return results[0], file_diags


def after(statement: str, script: str) -> str:
    return pp_state(run_tactic((parse_statement(statement).goal,), script))


# ---------------------------------------------------------------------------------- layout, rintro

def test_then_operand_may_start_on_the_next_line():
    # src/Init/Tactics.lean: `macro:1 x:tactic tk:" <;> " y:tactic:2 : tactic` puts no position
    # check on `y`, so the operand may start a new line at the block's column.
    r, _ = check("""
example (a b c : Prop) (ha : a) (hb : b) (hc : c) : (a ∧ b) ∧ c := by
  constructor <;>
  try constructor
  all_goals assumption
""")
    assert r.proved, r.diagnostics
    r, _ = check("""
example (a b : Prop) (ha : a) (hb : b) : a ∧ b := by
  constructor <;>
  · assumption
""")
    assert r.proved, r.diagnostics


def test_rintro_binder_group_introduces_each_pattern():
    # src/Init/RCases.lean, `rintroPat.binder`: "(pat1 pat2 : ty)" binds a list of patterns (and types
    # them all); `(h₁ | h₂)` stays the rcases pattern with alternatives (`rcasesPat.paren`).
    text = after("theorem t (a b c d : Prop) : (a → c) → (b → d) → a ∨ b → c ∨ d",
                 "rintro (f g (x | y))")
    assert text.count("⊢ c ∨ d") == 2 and "x : a" in text and "y : b" in text and "g : b → d" in text
    assert after("theorem t (a : Prop) : a → a → a", "rintro (x y : a)").endswith("x y : a\n⊢ a")
    with pytest.raises(TacticError):
        run_tactic((parse_statement("theorem t (a b : Prop) : a → b → a").goal,), "rintro (x y : b)")


# ----------------------------------------------------------------------- set_option, tactic.hygienic

HYGIENE_OFF = "set_option tactic.hygienic false\n"


def test_hygiene_off_names_cases_fields_after_constructor_binders():
    # src/Lean/Meta/Tactic/Intro.lean, `mkFreshBinderNameForTacticCore`: with `tactic.hygienic`
    # false the new hypothesis gets `lctx.getUnusedName binderName`; And.intro's binders are `left`
    # and `right`, Or.inl's and Or.inr's is `h`.
    src = """
theorem t (p q : Prop) (hpq : p ∧ q) (h : p ∨ q) : q ∧ (q ∨ p) := by
  cases hpq
  cases h
  · exact ⟨right, Or.inr h⟩
  · exact ⟨right, Or.inl h⟩
"""
    r, diags = check(HYGIENE_OFF + src)
    assert r.proved and not diags, (r.diagnostics, diags)
    r, _ = check(src)  # hygienic (the default): `left✝`, `right✝`, `h✝` cannot be named
    assert not r.proved and "Unknown identifier `right`" in r.diagnostics[0].message


def test_hygiene_off_suffixes_taken_names_as_get_unused_name():
    # src/Lean/LocalContext.lean, `getUnusedName`: a used name gets `_1`, `_2`, … (`appendIndexAfter`).
    state = (parse_statement("theorem t (p q r : Prop) (h : p ∧ q ∧ r) (right : r) : r").goal,)
    runner_src = "set_option tactic.hygienic false in\ncases h"
    text = pp_state(run_tactic(state, runner_src))
    assert "right : r\nleft : p\nright_1 : q ∧ r" in text
    # `cases` removes its major premise first, so `right_1` is free again for the new field
    text = pp_state(run_tactic(state, runner_src + "\nset_option tactic.hygienic false in\ncases right_1"))
    assert text.endswith("right : r\nleft : p\nleft_1 : q\nright_1 : r\n⊢ r")
    # intro without a name: the arrow's binder `a` (a written `a` makes it `a_1`), a ∀'s own name
    text = after("theorem t (a b : Prop) : a → ∀ (c : Prop), c → a",
                 "set_option tactic.hygienic false in\nintro\nintro\nintro")
    assert "a_1 : a\nc : Prop\na_2 : c\n⊢ a" in text


def test_hygiene_option_is_scoped_like_other_options():
    # Options set inside a `section` end with it; `set_option … in` covers one command
    # (src/Lean/Elab/BuiltinCommand.lean, `set_option … in` elaborates the next command only).
    proof = "(p q : Prop) (h : p ∧ q) : p := by\n  cases h\n  exact left\n"
    results, _ = check_lean_text("section\nset_option tactic.hygienic false\n"
                                 f"theorem a {proof}end\ntheorem b {proof}"
                                 f"set_option tactic.hygienic false in\ntheorem c {proof}theorem d {proof}")
    assert [r.proved for r in results] == [True, False, True, False]


def test_every_other_option_is_reported_by_name():
    # Lean's `set_option` is never silently dropped: prop says so for every option it does not honour,
    # known to Lean (`pp.proofs`) or not (`autoImplicit` is honoured: test_lean_unseen.py).
    r, diags = check("set_option pp.proofs true\nset_option my.own.option 3\n"
                     "example (p : Prop) (h : p) : p := by\n  set_option maxHeartbeats 400 in\n  exact h\n")
    assert r.proved
    assert [d.severity for d in diags] == ["warning", "warning"]
    assert "pp.proofs" in diags[0].message and "my.own.option" in diags[1].message
    assert [d.severity for d in r.diagnostics] == ["warning"] and "maxHeartbeats" in r.diagnostics[0].message
    assert (r.diagnostics[0].line, r.diagnostics[0].column) == (4, 2)
    # a value of the wrong type for an option prop honours is an error, as in Lean
    r, diags = check("set_option tactic.hygienic 1\nexample (p : Prop) (h : p) : p := h\n")
    assert [d.severity for d in diags] == ["error"]


def test_option_warnings_reach_records_and_sessions():
    rec = {"statement": "theorem t (p : Prop) (h : p) : p", "tactics": ["set_option pp.all true in exact h"]}
    [res] = check_records([rec])
    assert res.proved and "pp.all" in res.diagnostics[0].message and res.to_json()["warnings"]
    session = PropEnvironment().start(Theorem("t", "theorem t (p : Prop) (h : p) : p ∧ p"))
    with pytest.warns(PropOptionWarning, match="pp.unicode"):
        out = session.apply(session.initial_state, "set_option pp.unicode false in constructor")
    assert isinstance(out, Success) and session.warnings == [
        "set_option pp.unicode: the prop environment does not model this option; it has no effect here"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(session.apply(out.state, "all_goals exact h"), ProofComplete)
    # a failed alternative of `first` leaves no warning behind (Lean backtracks its messages)
    r, _ = check("example (p : Prop) (h : p) : p := by\n  first\n  | set_option pp.all true in exact 1\n"
                 "  | exact h\n")
    assert r.proved and r.diagnostics == []


# ------------------------------------------------------------------------------------- shadowing

def test_consuming_the_newer_name_reveals_the_older_one():
    # src/Lean/LocalContext.lean: a name resolves to the most recent declaration that has it
    # (`findFromUserName?` searches from the end), and the pretty printer marks the older ones `h✝`
    # (`sanitizeNames`); once the newer one is gone, the older one is found again.
    statement = "theorem t (p q : Prop) (h : p) (h : q ∧ p) : p"
    assert "h✝ : p\nh : q ∧ p" in after(statement, "skip")
    for script in ("clear h\nexact h", "cases h\nexact h", "rcases h with ⟨-, -⟩\nexact h",
                   "obtain ⟨hq, -⟩ := h\nexact h"):
        assert run_tactic((parse_statement(statement).goal,), script) == (), script
    # a hygienic `h✝` never hides a written `h` (its macro scopes make it another name)
    text = after("theorem t (p q : Prop) (h : p) : (p ∨ q) → p", "intro x\ncases x")
    assert "h h✝ : p" in text
    assert run_tactic((parse_statement("theorem t (p q : Prop) (h : p) : (p ∨ q) → p").goal,),
                      "intro x\ncases x <;> exact h") == ()


def test_a_hypothesis_may_shadow_a_proposition_variable():
    # A named intro may reuse the name of a proposition variable: the new local declaration shadows
    # it (LocalContext.findFromUserName? takes the last declaration of a name), and the formulas
    # keep meaning the variable, which the goal display then prints `P✝` (an inaccessible name:
    # src/Lean/Meta/PPGoal.lean prints a shadowed user name with `✝`).
    text = after("theorem t (P : Prop) : True → True", "intro P")
    assert text == "P✝ : Prop\nP : True\n⊢ True"
    text = after("theorem t (P Q : Prop) : P → (P → Q) → Q", "intro P h")
    assert text == "P✝ Q : Prop\nP : P✝\nh : P✝ → Q\n⊢ Q"
    assert check("theorem t (P Q : Prop) : P → (P → Q) → Q := by\n  intro P h\n  exact h P")[0].proved
    # `P` now names the proof, so it is no longer a proposition: Lean rejects `P` as a type.
    assert not check("theorem t (P Q : Prop) : P → Q → P := by\n  intro P hq\n  show P\n  exact P")[0].proved
    assert not check("theorem t (P Q : Prop) : P → Q → P := by\n  intro P hq\n"
                     "  have h : P := P\n  exact h")[0].proved
    goal = parse_statement("theorem t (P : Prop) : True → True").goal
    assert pp_goal(run_tactic((goal,), "intro P\nclear P")[0]) == "P : Prop\n⊢ True"


# ------------------------------------------------------------------------------ Not, a definition

def test_rw_with_not_rewrites_its_equation_lemma_one_instance_at_a_time():
    # `def Not (a : Prop) : Prop := a → False` (src/Init/Prelude.lean); `rw [f]` rewrites with the
    # equation lemma `Not.eq_1 : Not a = (a → False)`, whose argument the first match in pre-order
    # fixes (Lean's `kabstract`), so `¬¬b` is rewritten before the inner `¬b`.
    statement = "theorem t (b c : Prop) : c → ¬¬b ∨ ¬c"
    assert after(statement, "rw [Not]").endswith("⊢ c → (¬b → False) ∨ ¬c")
    assert after(statement, "rw [Not, Not]").endswith("⊢ c → ((b → False) → False) ∨ ¬c")
    with pytest.raises(TacticError, match="Did not find an occurrence of the pattern"):
        run_tactic((parse_statement("theorem t (b : Prop) : b → b").goal,), "rw [Not]")


def test_unfold_not_and_simp_only_not_unfold_every_occurrence():
    # src/Lean/Meta/Tactic/Unfold.lean: `unfold` rewrites every occurrence with the unfolding lemma
    # (`Simp.main` with a `pre` step) and fails with "tactic 'unfold' failed to unfold" when nothing
    # changes; `simp only [Not]` rewrites the same way and then closes `x ↔ x` with its builtin
    # `iff_self` (src/Lean/Elab/Tactic/Simp.lean, `simpOnlyBuiltins`).
    statement = "theorem t (b c : Prop) (h : ¬c) : ¬¬b → ¬c"
    for script in ("unfold Not", "simp only [Not]", "dsimp only [Not]"):
        assert after(statement, script).endswith("h : ¬c\n⊢ ((b → False) → False) → c → False"), \
            script
    assert after(statement, "unfold Not at h ⊢").endswith(
        "h : c → False\n⊢ ((b → False) → False) → c → False")
    with pytest.raises(TacticError, match="tactic 'unfold' failed to unfold 'Not'"):
        run_tactic((parse_statement("theorem t (b : Prop) : b → b").goal,), "unfold Not")
    assert run_tactic((parse_statement("theorem t (b : Prop) : ¬b ↔ (b → False)").goal,),
                      "simp only [Not]") == ()
    with pytest.raises(TacticError):  # `¬b` and `b → False` are not syntactically equal for `iff_self`
        run_tactic((parse_statement("theorem t (b : Prop) : ¬b ↔ (b → False)").goal,), "simp only []")


def test_simp_only_keeps_eq_self_and_iff_self():
    # src/Lean/Elab/Tactic/Simp.lean: `simpOnlyBuiltins := [``eq_self, ``iff_self]`
    for statement in ("theorem t (b c : Prop) : (b ∧ c ↔ b ∧ c)",
                      "theorem t (b : Prop) : (b ∨ b) = (b ∨ b)"):
        assert run_tactic((parse_statement(statement).goal,), "simp only []") == ()


def test_rename_by_type_renames_the_most_recent_match():
    # src/Lean/Elab/Tactic/BuiltinTactic.lean, `evalRename`: `rename e => h` renames the most recent
    # hypothesis (`findDeclRevM?`) whose type is definitionally equal to `e`, else "failed to find".
    statement = "theorem t (b c : Prop) (h₁ : b) (h₂ : c) (h₃ : b) : b"
    assert after(statement, "rename b => x") == "b c : Prop\nh₁ : b\nh₂ : c\nx : b\n⊢ b"
    assert after(statement, "rename _ => y").endswith("h₃ : b\n⊢ b".replace("h₃", "y"))
    with pytest.raises(TacticError, match="failed to find a hypothesis with type"):
        run_tactic((parse_statement(statement).goal,), "rename b ∧ c => z")
    assert run_tactic((parse_statement("theorem t (b : Prop) (hb : ¬b → False) : ¬¬b").goal,),
                      "rename ¬¬b => x\nexact x") == ()


# ----------------------------------------------------------------------- simp with permutation lemmas

@pytest.mark.parametrize("statement, lemmas", [
    # src/Init/PropLemmas.lean:
    # `theorem or_rotate : a ∨ b ∨ c ↔ b ∨ c ∨ a := by simp only [or_left_comm, Or.comm]`
    ("theorem t (a b c : Prop) : a ∨ b ∨ c ↔ b ∨ c ∨ a", "or_left_comm, Or.comm"),
    ("theorem t (a b c d : Prop) : d ∧ (a ∨ b) ∧ c ↔ c ∧ (b ∨ a) ∧ d",
     "and_left_comm, and_comm, or_comm"),
    ("theorem t (a b c : Prop) : (a ∧ b) ∧ c ↔ c ∧ b ∧ a", "and_assoc, and_comm, and_left_comm"),
    ("theorem t (a b : Prop) : (a ∨ b) = (b ∨ a)", "Or.comm"),
])
def test_simp_only_closes_by_ordered_rewriting(statement, lemmas):
    # Ordered rewriting with `comm`/`left_comm` sorts every chain, `assoc` flattens first; both sides
    # of the goal end up equal and `iff_self`/`eq_self` close it.
    assert run_tactic((parse_statement(statement).goal,), f"simp only [{lemmas}]") == ()


@pytest.mark.parametrize("statement, lemmas", [
    ("theorem t (a b c : Prop) : a ∨ b ∨ c ↔ a ∨ c ∨ a", "or_left_comm, Or.comm"),  # other elements
    ("theorem t (a b c : Prop) : (a ∨ b) ∨ c ↔ c ∨ b ∨ a", "or_left_comm, or_comm"),  # no assoc
    ("theorem t (a b c : Prop) : a ∨ b ∨ c ↔ c ∨ b ∨ a", "or_comm"),                  # comm alone
    ("theorem t (a b : Prop) : a ∨ b → b ∨ a", "or_comm"),  # changes the goal, which stays open
])
def test_simp_only_with_permutation_lemmas_refuses_what_it_cannot_reproduce(statement, lemmas):
    # Where the result depends on Lean's term order (`Lean.Meta.ACLt`) or the goal stays open, prop
    # fails as Lean would fail to close the goal, and never accepts.
    with pytest.raises(TacticError):
        run_tactic((parse_statement(statement).goal,), f"simp only [{lemmas}]")


# --------------------------------------------------------------- apply leaving a proposition open

def test_apply_leaves_an_undetermined_proposition_as_a_shared_metavariable():
    # src/Init/Tactics.lean, `apply`: "returns as many subgoals as the number of premises that have not
    # been fixed by type inference ... Non-dependent premises are added before dependent ones"
    # (src/Lean/Meta/Tactic/Apply.lean, `ApplyNewGoals.nonDependentFirst`): the premise `self : ?a ∧ c`
    # first, then the proposition `?a` itself, a goal of type `Prop`.
    statement = "theorem t (b c : Prop) (h : b ∧ c) : c"
    assert after(statement, "apply And.right") == (
        "case self\nb c : Prop\nh : b ∧ c\n⊢ ?a ∧ c\n\ncase a\nb c : Prop\nh : b ∧ c\n⊢ Prop")
    goal = parse_statement(statement).goal
    # the next tactic assigns `?a` by unification; the goal `⊢ Prop` is then solved
    for script in ("apply And.right\nexact h", "apply And.right\nassumption",
                   "apply And.right\ncase a => exact b\nexact h", "apply And.right\nexact ⟨h.1, h.2⟩"):
        assert run_tactic((goal,), script) == (), script
    # absurd {a : Prop} {b : Sort v} (h₁ : a) (h₂ : ¬a) : b
    text = after("theorem t (b : Prop) (hb : b) (hn : ¬b) : False", "apply absurd\nexact hb")
    assert text.endswith("⊢ ¬b") and "?" not in text


def test_undetermined_propositions_never_let_a_false_goal_through():
    # Soundness: a metavariable is assigned once, consistently in every goal, and stays rigid (like
    # an atom) for tactics that do not assign it; an open `⊢ Prop` is an unsolved goal.
    goal = parse_statement("theorem t (b c d : Prop) (h : d ∧ b) : c").goal
    for script in ("apply And.right\nexact h", "apply And.left\nexact h",
                   "apply And.right\ncase a => exact d\nexact h",
                   "apply And.right\nfirst | exact h | skip\nexact h"):
        with pytest.raises(TacticError):
            run_tactic((goal,), script)
    goal = parse_statement("theorem t (b c : Prop) (h : b ∧ c) : c").goal
    with pytest.raises(TacticError, match="assign|mismatch"):
        run_tactic((goal,), "apply And.right\ncase a => exact c\nexact h")
    left = run_tactic((goal,), "apply And.right\nswap\nexact b")
    assert pp_state(left).startswith("case self") and "⊢ b ∧ c" in pp_state(left)
    r, _ = check("example (b c : Prop) (h : b ∧ c) : c := by\n  apply And.right\n  case self => sorry\n")
    assert r.status == "failed" and "case a" in r.diagnostics[0].message   # `⊢ Prop` left open
    with pytest.raises(TacticError, match="metavariables"):
        run_tactic((goal,), "apply And.right\ntrivial")


# --------------------------------------------------------------------------------- term syntax

@pytest.mark.parametrize("statement, term", [
    ("theorem t (P : Prop) : P → P", "(·)"),
    ("theorem t (P : Prop) : P → P", "(.)"),
    ("theorem t (P Q : Prop) : P → (P → Q) → Q", "(· |> ·)"),
    # src/Init/PropLemmas.lean, `and_iff_left`: `Iff.intro And.left (And.intro · hb)`
    ("theorem t (P Q : Prop) (hq : Q) : P ↔ P ∧ Q", "Iff.intro (And.intro · hq) And.left"),
    ("theorem t (P Q : Prop) : P ∧ Q → P", "(·.1)"),
])
def test_cdot_functions(statement, term):
    # Lean's `·` function notation (src/Lean/Parser/Term.lean, `cdot`, "· or ."): every `·` directly
    # inside a pair of parentheses is a parameter of a `fun` that those parentheses delimit.
    assert run_tactic((parse_statement(statement).goal,), f"exact {term}") == ()


def test_cdot_is_checked_like_the_fun_it_stands_for():
    with pytest.raises(TacticError):
        run_tactic((parse_statement("theorem t (P Q : Prop) : P → (Q → P) → Q").goal,), "exact (· |> ·)")
    with pytest.raises(TacticError):  # no enclosing parentheses
        run_tactic((parse_statement("theorem t (P : Prop) : P → P").goal,), "exact ·")


def test_dotted_constructor_against_a_function_type():
    # src/Lean/Elab/App.lean, `resolveDotName`: the namespace comes from the expected type's result,
    # past its arrows, so `.inr : b → a ∨ b` checks against `P → Q ∨ P`.
    goal = parse_statement("theorem t (P Q : Prop) : P ∨ Q → Q ∨ P").goal
    assert run_tactic((goal,), "exact (·.elim .inr .inl)") == ()
    with pytest.raises(TacticError, match="Type mismatch"):
        run_tactic((goal,), "exact (·.elim .inl .inr)")


# -------------------------------------------------------------------------------- let and set

def test_let_adds_a_local_definition():
    # src/Init/Tactics.lean: `let h : t := e` "adds the hypothesis `h : t := e` to the current goal"
    # (`refine_lift let …; ?_`); a `let` proposition is definitionally equal to its value (zeta-delta).
    statement = "theorem t (b c : Prop) (hb : b) (hbc : b → c) : c"
    assert after(statement, "let d := b").endswith("hbc : b → c\nd : Prop := b\n⊢ c")
    assert after(statement, "let h := hbc hb").endswith("h : c := hbc hb\n⊢ c")
    goal = parse_statement(statement).goal
    for script in ("let d := b\nhave hd : d := hb\nexact hbc hd", "let h : c := hbc hb\nexact h",
                   "let d : Prop := b → c\nhave x : d := hbc\nexact x hb"):
        assert run_tactic((goal,), script) == (), script
    with pytest.raises(TacticError):
        run_tactic((goal,), "let h : b := hbc hb")


def test_set_replaces_the_value_and_records_the_equation():
    # Mathlib/Tactic/Set.lean: `set a := e with h` "introduces a local definition a := e, replaces e by a
    # everywhere it can, and adds h : a = e"; `with ← h` gives `h : e = a`. A hypothesis it rewrites
    # comes after `a` (src/Lean/Meta/Tactic/Replace.lean, `replaceLocalDecl`).
    statement = "theorem t (b c : Prop) (h₀ : c) (hb : b ∧ c) : b ∧ c"
    assert after(statement, "set x := b ∧ c with hx") == \
        "b c : Prop\nh₀ : c\nx : Prop := b ∧ c\nhb : x\nhx : x = (b ∧ c)\n⊢ x"
    assert after(statement, "set x := b ∧ c with ← hx").endswith("hx : (b ∧ c) = x\n⊢ x")
    goal = parse_statement(statement).goal
    for script in ("set x := b ∧ c with hx\nexact hb", "set x := b ∧ c with hx\nrw [hx] at hb\nexact hb",
                   "set x := b ∧ c\nunfold x at hb\nexact hb"):
        assert run_tactic((goal,), script) == (), script
    # the goal no longer contains `b ∧ c` itself, so rewriting it fails, as in Lean
    with pytest.raises(TacticError, match="Did not find an occurrence"):
        run_tactic((goal,), "set x := b ∧ c with hx\nrw [← hx]")
    with pytest.raises(TacticError, match="cannot clear"):
        run_tactic((goal,), "set x := b ∧ c\nclear x")
    with pytest.raises(TacticError, match="local definition"):  # simp would not unfold `x`
        run_tactic((goal,), "set x := b ∧ c\nsimp [hb]")


# ---------------------------------------------------------------------- a library's term notation

LOVE_STRUCTURED = """
theorem about_Impl_struct :
    ∀a b : Prop, ¬ a ∨ b → a → b :=
    fix a b: Prop
    assume hor: ¬ a ∨ b
    assume aa: a
    show b from
      Or.elim hor
      (
        fix ha: ¬ a
        show b from False.elim (ha aa))
      (fix hb: b; hb)
"""


def test_love_fix_and_assume_with_the_import():
    # The course "Logical Verification" declares, in LoVe/LoVelib.lean (blanchette/
    # logical_verification_2023 @ 0b9ca22, lean/LoVe/LoVelib.lean lines 30-39), the term parsers
    # `withPosition ("fix " >> many1 Term.ident >> " : " >> termParser) >> optSemicolon termParser` and
    # the same for `assume` with one identifier, expanded by `fix $x* : $ty; $y => fun $x* : $ty ↦ $y`.
    # A file that imports a LoVe module has them; one that does not has plain identifiers.
    r, _ = check("import LoVe.LoVelib\n" + LOVE_STRUCTURED)
    assert r.proved, r.diagnostics
    r, _ = check(LOVE_STRUCTURED)
    assert not r.proved
    # withPosition: the type stops before a line starting at the keyword's column, the body follows
    wrong = "import LoVe.LoVe03_BackwardProofs_Demo\ntheorem K (a b : Prop) :\n    a → b → b :=\n" \
            "    fix aa: a\n    fix bb: b\n    show b from aa\n"
    r, _ = check(wrong)
    assert r.status == "failed" and "Type mismatch" in r.diagnostics[0].message
    r, _ = check("import LoVe.LoVelib\ntheorem t (a : Prop) : a → a :=\n  assume h : a\n  h\n")
    assert r.proved, r.diagnostics
    # `assume` binds exactly one identifier
    r, _ = check("import LoVe.LoVelib\ntheorem t (a : Prop) : a → a → a :=\n  assume h1 h2 : a\n  h1\n")
    assert not r.proved


# ---------------------------------------------------------------------- push_neg, contrapose, by_contra!

@pytest.mark.parametrize("hyp, pushed", [
    # Mathlib/Tactic/PushNeg.lean, transformNegationStep: not_not_eq, not_and_eq (p → ¬q), not_or_eq,
    # not_iff, not_implies_eq; Simp.main revisits a term whose subterms changed
    ("¬¬p", "p"), ("¬(p ∧ q)", "p → ¬q"), ("¬(p ∨ q)", "¬p ∧ ¬q"), ("¬(p ↔ q)", "p ∧ ¬q ∨ ¬p ∧ q"),
    ("¬(p → q)", "p ∧ ¬q"), ("¬(p ∧ ¬(q ∨ r))", "p → q ∨ r"), ("¬¬¬p", "¬p"),
    ("q ∧ ¬(p → ¬r)", "q ∧ p ∧ r"), ("¬True ∨ ¬False", "¬True ∨ ¬False"),
])
def test_push_neg_pushes_negations_as_mathlib(hyp, pushed):
    statement = f"theorem t (p q r : Prop) (h : {hyp}) (g : r) : p ∨ r"
    if hyp == pushed:  # pushNegLocalDecl: "push_neg made no progress"
        with pytest.raises(TacticError, match="push_neg made no progress"):
            run_tactic((parse_statement(statement).goal,), "push_neg at h")
    else:
        assert after(statement, "push_neg at h") == f"p q r : Prop\nh : {pushed}\ng : r\n⊢ p ∨ r"


def test_push_neg_locations_and_options():
    # `push_neg` works on the goal; `at *` tries every location and only logs when none changed
    # (Lean's withLocation); `set_option push_neg.use_distrib true` gives ¬p ∨ ¬q (not_and_or_eq)
    assert after("theorem t (p q : Prop) : ¬(p ∧ q)", "push_neg") == "p q : Prop\n⊢ p → ¬q"
    assert after("theorem t (p q : Prop) (h : ¬¬p) : ¬¬q", "push_neg at *") == "p q : Prop\nh : p\n⊢ q"
    assert after("theorem t (p q : Prop) (h : p) : q", "push_neg at *") == "p q : Prop\nh : p\n⊢ q"
    assert after("theorem t (p q : Prop) (h : ¬(p ∧ q)) : p", "set_option push_neg.use_distrib true in\n"
                 "push_neg at h").startswith("p q : Prop\nh : ¬p ∨ ¬q")
    src = "example (p q : Prop) (h : ¬(p ∧ q)) : ¬p ∨ ¬q := by\n  push_neg at h\n  exact h"
    assert not check("import Mathlib.Tactic\n" + src)[0].proved
    r, diags = check("import Mathlib.Tactic\nset_option push_neg.use_distrib true\n" + src)
    assert r.proved and diags == []  # an honoured option is no warning
    # what leaves the propositional fragment is refused (∃, ≠)
    for statement in ("theorem t (p q : Prop) (h : ¬(p = q)) : p", "theorem t (h : ¬∀ p : Prop, p) : False"):
        with pytest.raises(TacticError, match="does not support push_neg"):
            run_tactic((parse_statement(statement).goal,), "push_neg at h")


def test_contrapose_and_by_contra_bang():
    # Mathlib/Tactic/Contrapose.lean: contrapose = refine mtr ?_ (p → q becomes ¬q → ¬p); contrapose h =
    # revert h; contrapose; intro h; contrapose! adds push_neg (and fails where it makes no progress)
    assert after("theorem t (p q : Prop) : p → q", "contrapose") == "p q : Prop\n⊢ ¬q → ¬p"
    assert after("theorem t (p q : Prop) : ¬p → ¬q", "contrapose!") == "p q : Prop\n⊢ q → p"
    assert after("theorem t (p q : Prop) (h : ¬q) : ¬p", "contrapose! h") == "p q : Prop\nh : p\n⊢ q"
    assert after("theorem t (p q : Prop) (h : p ∧ q) : ¬p", "contrapose! h with h'") == \
        "p q : Prop\nh' : p\n⊢ p → ¬q"
    with pytest.raises(TacticError, match="push_neg made no progress"):
        run_tactic((parse_statement("theorem t (p q : Prop) : p → q").goal,), "contrapose!")
    # Mathlib/Tactic/ByContra.lean: by_contra! h = by_contra h; try push_neg at h, `this` without a name;
    # by_contra! h : t keeps h : t where t with negations pushed is the same
    assert after("theorem t (p q : Prop) : p ∨ ¬q", "by_contra! h") == "p q : Prop\nh : ¬p ∧ q\n⊢ False"
    assert after("theorem t (p q : Prop) : p ∨ ¬q", "by_contra!") == "p q : Prop\nthis : ¬p ∧ q\n⊢ False"
    assert after("theorem t (p q : Prop) : p ∨ ¬q", "by_contra! h : ¬(p ∨ ¬q)") == \
        "p q : Prop\nh : ¬(p ∨ ¬q)\n⊢ False"
    with pytest.raises(TacticError, match="type mismatch"):
        run_tactic((parse_statement("theorem t (p q : Prop) : p ∨ ¬q").goal,), "by_contra! h : p")
    assert check("import Mathlib.Tactic\nexample (p q : Prop) (h : ¬q → ¬p) : p → q := by\n  contrapose\n  exact h")[0].proved
