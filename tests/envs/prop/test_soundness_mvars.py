"""Soundness of the proof state's metavariables (``?p`` after ``apply Classical.byCases``, ``apply
absurd``, …): texts that Lean 4 rejects stay rejected, next to the variants that Lean accepts. Each test
names the rule of Lean's sources that rejects the wrong variant."""

from qedjax.envs.prop.check import check_lean_text


def results(source: str):
    res, diags = check_lean_text(source)
    assert not [d for d in diags if d.severity == "error"], diags
    return res


def proved(source: str) -> list[bool]:
    return [r.proved for r in results(source)]


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
    for closer in ("have h2 : y := h\n    exact h2", "assumption", "revert h\n    intro (h : y)\n    exact h"):
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
