"""The simp family: closes a goal only when its documented rule set decides it, fails like Lean otherwise."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.oracle import goal_provable
from qedjax.envs.prop.simp import SIMP_RULES, fold
from qedjax.envs.prop.state import Goal, Hyp
from qedjax.envs.prop.syntax import FALSE, TRUE, Atom, atoms, parse_formula, pp
from qedjax.envs.prop.tactics import TacticError, run_tactic

from .test_syntax import formulas


def run(statement: str, script: str):
    return run_tactic((parse_statement(statement).goal,), script)


@pytest.mark.parametrize("statement,script", [
    ("theorem t (p q : Prop) (hp : p) : p ∧ q ↔ q", "simp [*]"),               # TPIL, "Using the Simplifier"
    ("theorem t (p q : Prop) (hp : p) : p ∨ q", "simp [*]"),
    ("theorem t (p q r : Prop) (hp : p) (hq : q) : p ∧ (q ∨ r)", "simp [*]"),
    ("theorem t (p : Prop) : p ∧ True ↔ p", "simp"),
    ("theorem t (p : Prop) : p ∨ False ↔ p", "simp"),
    ("theorem t (p : Prop) : (p → p) ∧ ¬False", "simp"),
    ("theorem t (p q : Prop) (hp : p) (hnq : ¬q) : p ∧ ¬q", "simp [hp, hnq]"),
    ("theorem t (p q : Prop) (hp : p) (h : p → q) : q", "simp [hp, h]"),
    ("theorem t (p q : Prop) (hp : p) (h : p → q) : q", "simp_all"),
    ("theorem t (p q : Prop) (h : p ∧ q) : q", "simp_all"),
    ("theorem t (p q : Prop) (h : p ∧ ¬p) : q", "simp at h"),
    ("theorem t (p q : Prop) (h : p ∧ q) : q", "simpa using h.2"),
    ("theorem t (p q : Prop) (hq : q) : p ∨ True", "simpa using hq"),  # simp closes the goal alone
    ("theorem t (p : Prop) : p ∨ ¬p", "by_cases h : p <;> simp [h]"),
    ("theorem t (p : Prop) (hp : p) : p ∧ p", "simp only [hp, and_self]"),
])
def test_simp_closes_what_its_rules_decide(statement, script):
    assert run(statement, script) == ()


@pytest.mark.parametrize("statement,script,message", [
    ("theorem t (p : Prop) (h : p) : p", "simp", "`simp` made no progress"),   # simp does not use `h`
    ("theorem t (p q : Prop) (hp : p) : p ∧ q", "simp [hp]", "unsolved goals"),
    ("theorem t (p q : Prop) (h : p ↔ q) (hq : q) : p", "simp [*]", "unsolved goals"),  # not modelled
    ("theorem t (p q : Prop) (h : p ∨ q) : p", "simp_all", "made no progress"),
    ("theorem t (p : Prop) (hp : p) : p ∧ p", "simp only [hp]", "unsolved goals"),  # and_self not given
    ("theorem t (p q : Prop) (h : p) : q", "simpa using h", "unsolved goals"),
    ("theorem t (p q : Prop) : p ∧ q → q", "simp [not_not]", "cannot reproduce"),
])
def test_simp_fails_where_it_cannot_be_sure(statement, script, message):
    with pytest.raises(TacticError) as e:
        run(statement, script)
    assert message in e.value.message


def test_rule_set_is_documented_and_each_rule_is_used():
    from qedjax.envs.prop import simp as simp_mod

    for rule in SIMP_RULES:
        assert f"``{rule}``" in simp_mod.__doc__
    x = Atom("x")
    assert fold(parse_formula("x ∧ True"), {}, SIMP_RULES) == x
    assert fold(parse_formula("x ∧ True"), {}, SIMP_RULES - {"and_true"}) == parse_formula("x ∧ True")
    assert fold(parse_formula("(x → x) ↔ ¬False"), {}, SIMP_RULES) == TRUE
    assert fold(parse_formula("x ∧ ¬x"), {}, SIMP_RULES) == FALSE


hyps = st.lists(formulas, max_size=3)


@settings(max_examples=300, deadline=None)
@given(formulas, hyps, st.sampled_from(["simp", "simp [*]", "simp_all", "simpa using h0", "simp at h0",
                                        "simp at *", "simp [h0, h1]", "simpa", "norm_num [*]"]))
def test_simp_never_closes_an_unprovable_goal(target, hyp_types, script):
    names = sorted(set(atoms(target)).union(*[set(atoms(h)) for h in hyp_types]) | {"p"})
    goal = Goal(tuple(Hyp(n, None) for n in names) + tuple(Hyp(f"h{i}", h) for i, h in enumerate(hyp_types)),
                target)
    if goal_provable(goal):
        return
    try:
        after = run_tactic((goal,), script)
    except TacticError:
        return
    assert after != (), f"{script} closed {pp(target)} from {[pp(h) for h in hyp_types]}"
