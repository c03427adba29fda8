"""Soundness of the proof state's metavariables (``?p`` after ``apply Classical.byCases``, ``apply
absurd``, …): texts that Lean 4 rejects stay rejected, next to the variants that Lean accepts. Each test
names the rule of Lean's sources that rejects the wrong variant."""

from tests.envs.prop.lean_text import proved_each as proved
from tests.envs.prop.lean_text import results

# ------------------------------------------------ a metavariable's value stays in its local context

ESCAPE = """
theorem bad : ∀ a b : Prop, a → b := by
  apply Classical.byCases
  · intro h x y hx
    exact h
  · intro hn y x hy
    exact absurd hy hn
"""


def test_a_variable_bound_after_apply_cannot_occur_in_the_metavariables_value():
    # src/Lean/Meta/ExprDefEq.lean `checkAssignment`: assigning `?p := y` needs every free variable of
    # `y` in `?p`'s local context; `?p` was made by `apply` before `intro … y …`, so `exact h` (h : ?p)
    # against `y` is a type mismatch. prop checked no context: `y` then meant the other case's `y`
    # (another binder of the same name), and `bad True False trivial` then proved `False`
    assert proved(ESCAPE) == [False]
    for closer in ("have h2 : y := h\n    exact h2", "assumption",
                   "revert h\n    intro (h : y)\n    exact h"):
        assert proved(ESCAPE.replace("exact h\n", closer + "\n", 1)) == [False]
    # a binder of the term itself (`fun … y …`) is out of `?p`'s context too
    assert proved(ESCAPE.replace("intro h x y hx\n    exact h", "intro h\n    exact fun x y hx => (h : y)")) \
        == [False]
    assert proved(ESCAPE.replace("intro h x y hx\n    exact h",
                                 "intro h\n    refine fun x y hx => ?_\n    exact h")) == [False]


def test_a_variable_cleared_and_bound_again_is_another_variable():
    # `clear x; intro x` makes a new local (a new `FVarId`), which `?p`'s context lacks although the
    # name is the same (`checkAssignment` compares free variables, not names)
    assert proved("""
theorem bad (x : Prop) (hx0 : x → ∀ a b : Prop, a → b) : ∀ a b : Prop, a → b := by
  apply Classical.byCases
  case hnpq =>
    intro hn
    clear hx0 x
    intro x b hx
    exact absurd hx hn
  case hpq =>
    intro h
    exact hx0 h
""") == [False]


def test_a_variable_of_the_context_that_apply_saw_may_be_assigned():
    # the variables of the goal that `apply` ran on are in `?p`'s context: Lean accepts these
    assert proved("""
theorem ok (a b : Prop) (h : a → b) : ¬a ∨ b := by
  apply Classical.byCases
  · intro (ha : a)
    exact Or.inr (h ha)
  · intro hna
    exact Or.inl hna
""") == [True]
    assert proved("""
theorem ok (a b : Prop) (hb : b) : a → b := by
  apply Classical.byCases
  · intro h _
    exact h
  · intro hn _
    exact absurd hb hn
""") == [True]


# ------------------------------------------------ a failed branch gives back the goals it solved

STALE = """
theorem bad : False := by
  apply absurd
  case h₁ =>
    refine ?x
    try (exact True.intro; exact True.intro)
    exact ?x
  case h₂ =>
    exact fun h => h
"""


def test_a_named_goal_solved_in_a_failed_branch_is_open_again():
    # Lean's `try`/`first` (and a macro's failed expansion) restore the whole state of a failed
    # branch (`saveState`/`restore`, src/Lean/Elab/Tactic/Basic.lean), the assignment of `?x`
    # included; `exact ?x` in the goal `?x` itself then names the unassigned goal it should close (no
    # proof: the declaration would keep a metavariable, which Lean refuses). prop gave back
    # `?a := True` but kept `?x` among the solved goals, so `exact ?x` closed `?x` by itself and the
    # next case fixed `?a := False`: `False` was proved
    assert proved(STALE) == [False]
    assert proved(STALE.replace("try (exact True.intro; exact True.intro)",
                                "first | (exact True.intro; exact True.intro) | skip")) == [False]
    assert proved("macro \"t\" : tactic => `(tactic| skip)\nmacro_rules | `(tactic| t) => `(tactic| "
                  "(exact True.intro; exact True.intro))\n" + STALE.replace(
                      "try (exact True.intro; exact True.intro)", "t")) == [False]
    # a named goal solved on a branch that succeeds may be cited later
    assert proved("""
theorem ok (a : Prop) (ha : a) : a ∧ a := by
  refine ⟨?x, ?y⟩
  try exact ha
  exact ?x
""") == [True]


# ------------------------------------------------ apply_assumption keeps what it assigns

def test_apply_assumption_is_refused_where_it_would_assign_a_metavariable():
    # Lean's `apply_assumption` applies a hypothesis with `apply`, whose unification assigns `?p := b`
    # (`h : ?p ⊢ b`) for good; the other case then has `hn : ¬b`, and `Classical.byContradiction hn`
    # is a type mismatch. prop tried the hypotheses and gave every assignment back, so `?p` stayed
    # open, the other case fixed `?p := ¬b`, and `theorem bad (b : Prop) : b` was proved
    assert proved("""
theorem bad (b : Prop) : b := by
  apply Classical.byCases
  · intro h
    apply_assumption
  · intro hn
    exact Classical.byContradiction hn
""") == [False]
    # without metavariables it runs as before
    assert proved("theorem ok (a b : Prop) (h : a → b) (ha : a) : b := by\n  apply_assumption\n"
                  "  exact ha\n") == [True]


# ------------------------------------------------ a hole in a hypothesis's type

def test_a_hole_in_the_type_of_a_new_hypothesis_never_proves_anything():
    # `obtain pat : t := v` elaborates `v` against `t` (Lean/Elab/Tactic/RCases.lean, `RCases.obtain`),
    # so `obtain ⟨h1, h2⟩ : _ ∧ _ := ⟨trivial, trivial⟩` gives `h1 : True`, and `exact h1` against
    # `False` is a type mismatch. prop bound `h1` to the hole's own metavariable, which a later
    # `exact h1` matched with any target: `False` was proved
    obtain = ("theorem bad : False := by\n  obtain ⟨h1, h2⟩ : _ ∧ _ := ⟨trivial, trivial⟩\n"
              "  exact h1\n")
    assert proved(obtain) == [False]
    assert proved("theorem ok (a b : Prop) (ha : a) (hb : b) : a := by\n"
                  "  obtain ⟨h1, h2⟩ : _ ∧ _ := ⟨ha, hb⟩\n  exact h1\n") == [True]
    # with no value, Lean shares the hole's metavariable between the new goal and the hypothesis
    # (Mathlib's `have h : t`, core's `suffices h : t`, `obtain h : t`): `exact trivial` fixes it to
    # `True`, and `exact h` then fails. prop gave each its own metavariable and proved `False`; it
    # now refuses a hole there
    for text in ("import Mathlib\ntheorem bad : False := by\n  have h : _\n  · exact trivial\n  exact h\n",
                 "import Mathlib\ntheorem bad (t : True) : False := by\n  replace t : _\n"
                 "  · exact trivial\n  exact t\n",
                 "import Mathlib\ntheorem bad (a : Prop) : a := by\n  have h : _ ∧ True\n"
                 "  · exact ⟨trivial, trivial⟩\n  exact h.1\n",
                 "theorem bad : False := by\n  suffices h : _ by exact h\n  exact trivial\n",
                 "theorem bad : False := by\n  suffices h : _ from h\n  exact trivial\n",
                 "theorem bad : False := by\n  obtain h : _\n  · exact trivial\n  exact h\n"):
        assert proved(text) == [False], text
        assert "hole in the type" in results(text)[0].diagnostics[0].message
    # a type without a hole is as before
    assert proved("theorem ok (a : Prop) (ha : a) : a := by\n  suffices h : a from h\n  exact ha\n") == [True]


# ------------------------------------------------ a named hole lives in one local context

def test_a_named_hole_named_again_needs_its_own_local_context():
    # src/Lean/Elab/BuiltinNotation.lean `elabSyntheticHole`: a second `?x` names the metavariable of
    # the first only where that one's local context is a sub-prefix of the current one (the same free
    # variables), else "synthetic hole has already been defined with an incompatible local context".
    # prop compared the types only, so the `?x` of `fun hb => ?x` (proved by `hb`) also served
    # outside that `fun`, and the second `fun a` took the first one's proof by the name `a`
    for text in ("theorem bad (b : Prop) : (b → b) ∧ b := by\n  refine ⟨fun hb => ?x, ?x⟩\n"
                 "  exact hb\n",
                 "theorem bad : (∀ a : Prop, a → a) ∧ (∀ a : Prop, a) := by\n"
                 "  refine ⟨fun a ha => ?x, fun a => ?x⟩\n  exact ha\n"):
        assert proved(text) == [False], text
        assert "incompatible local context" in results(text)[0].diagnostics[0].message
    # a goal `?x` solved earlier is cited only in a context with its declarations, not others of the
    # same name and type (the second `intro a ha` binds another `a`)
    assert proved("""
theorem bad : (∀ a : Prop, a → a) ∧ (∀ a : Prop, a → a) := by
  constructor
  · refine fun a ha => ?x
    exact ha
  · intro a ha
    exact ?x
""") == [False]
    # the same context, or a larger one, is fine
    assert proved("theorem ok (b : Prop) : b → b ∧ b := by\n  refine fun hb => ⟨?x, ?x⟩\n"
                  "  exact hb\n") == [True]
    assert proved("theorem ok (a b : Prop) (ha : a) (hb : b) : a ∧ (b → a) := by\n  refine ⟨?x, ?y⟩\n"
                  "  exact ha\n  intro _\n  exact ?x\n") == [True]


# ------------------------------------------------ exacts on the goal ⊢ Prop

EXACTS = """import Batteries
theorem t (b : Prop) (hb : b) : b := by
  apply Classical.byCases
  case p => exacts [b]
  all_goals intro h2
  · exact h2
  · exact absurd hb h2
"""


def test_exacts_on_the_goal_of_a_proposition_takes_a_proposition():
    # Batteries' `exacts [t, …]` is `exact t` on each goal in turn; on the goal `?p : Prop` the term
    # must be a proposition (`b`), and a proof (`hb : b`) is a type mismatch. prop checked the proof
    # against `?p` and so fixed `?p := b` from `exacts [hb]`
    assert proved(EXACTS) == [True]
    assert proved(EXACTS.replace("exacts [b]", "exacts [hb]")) == [False]


# ------------------------------------------------ a metavariable assigned another one

CHAIN = """
theorem t : ∀ a b : Prop, a → b := by
  apply Classical.byCases
  case hnpq =>
    intro hn y x hy
    apply Classical.byCases
    · intro hq
      contradiction
    · intro hnq
      exact Classical.byContradiction hnq
  case hpq =>
    intro h x y hx
    exact absurd hx h
"""


def test_a_metavariable_in_another_ones_value_keeps_only_the_common_context():
    # `contradiction` (hn : ¬?p, hq : ?q) assigns `?p := ?q`, where `?q` was made after `intro … x …`;
    # Lean's `checkAssignment` then prunes `?q` to a new metavariable of `?p`'s context
    # (`checkMVar`, src/Lean/Meta/ExprDefEq.lean), so `?q := ¬x` fails. prop let `?q` keep its own
    # context, `?p` became `¬x` through it, and the other case read that `x` as its own: the false
    # `∀ a b : Prop, a → b` was proved
    assert proved(CHAIN) == [False]
    # a value in the common context is fine
    assert proved("""
theorem ok (b : Prop) (hb : b) : b := by
  apply Classical.byCases
  case hnpq =>
    intro hn
    apply Classical.byCases
    · intro hq
      contradiction
    · intro hnq
      exact absurd hb hnq
  case hpq =>
    intro h
    exact h
""") == [True]


def test_show_does_not_turn_the_goal_of_a_proposition_into_a_goal_of_a_proof():
    # on the goal `?p : Prop`, Lean's `show _` unifies the hole with `Prop` and the goal stays one for
    # a proposition, so `exact hb` (a proof) is a type mismatch. prop's `show _` made it the goal
    # `⊢ ?p`, which `exact hb` closed with `?p := b`; it now refuses `show` there
    text = """
theorem bad (b : Prop) (hb : b) : b := by
  apply Classical.byCases
  case p =>
    show _
    exact hb
  all_goals intro h2
  · exact h2
  · exact absurd hb h2
"""
    assert proved(text) == [False]
    assert "`show` on the goal `⊢ Prop`" in results(text)[0].diagnostics[0].message
    # the goal of a proposition is closed by the proposition, as before
    assert proved(text.replace("show _\n    exact hb", "exact b")) == [True]


# ------------------------------------------------ rcases: a tuple or alternatives need an inductive type

def test_rcases_tuples_and_alternatives_follow_process_constructors():
    # src/Lean/Elab/Tactic/RCases.lean `rcasesCore`: a tuple pattern, or two or more alternatives, needs
    # a hypothesis whose type is an inductive (else "is not an inductive datatype"), and
    # `processConstructor` gives `⟨p⟩`'s `p` to the first field and `_` to the others. prop read `⟨x⟩`
    # as `x` (so `x : a ∧ b` where Lean has `x : a`) and `x | y` on a proposition variable as `x`
    for text in ("theorem bad (a b : Prop) (h : a ∧ b) : a ∧ b := by\n  rcases h with ⟨x⟩\n  exact x\n",
                 "theorem bad (a b : Prop) (h : a ∨ b) : a ∨ b := by\n  rcases h with ⟨x⟩\n  exact x\n",
                 "theorem bad (a b : Prop) : a ∧ b → a ∧ b := by\n  rintro ⟨x⟩\n  exact x\n",
                 "theorem bad (a : Prop) (h : a) : a := by\n  rcases h with x | y\n  exact x\n",
                 "theorem bad (a : Prop) : a → a := by\n  rintro (x | y)\n  exact x\n",
                 "theorem bad (a : Prop) (h : a) : a := by\n  rcases h with ⟨x⟩\n  exact x\n"):
        assert proved(text) == [False], text
    # what Lean accepts: the first field, and a one-field constructor's `⟨p⟩` as `p`
    assert proved("theorem ok (a b : Prop) (h : a ∧ b) : a := by\n  rcases h with ⟨x⟩\n  exact x\n") \
        == [True]
    assert proved("theorem ok (a b c : Prop) (h : (a ∧ b) ∨ c) (hc : c → a ∧ b) : a ∧ b := by\n"
                  "  rcases h with ⟨x⟩ | y\n  · exact x\n  · exact hc y\n") == [True]
    assert proved("theorem ok (a b : Prop) (h : a ∨ b) : b ∨ a := by\n  rcases h with ⟨x⟩\n"
                  "  · exact Or.inr x\n  · exact Or.inl ‹b›\n") == [True]
