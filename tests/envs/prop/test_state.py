from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.state import Goal, Hyp, parse_state, pp_goal, pp_state
from qedjax.envs.prop.syntax import And, Atom
from qedjax.envs.prop.tactics import run_tactic

P, Q = Atom("p"), Atom("q")


def test_lean_goal_layout_groups_and_turnstile():
    g = parse_statement("theorem and_swap (p q : Prop) (h : p ∧ q) : q ∧ p").goal
    assert pp_goal(g) == "p q : Prop\nh : p ∧ q\n⊢ q ∧ p"


def test_inaccessible_names_count_from_most_recent():
    g = parse_statement("theorem t (p q : Prop) : p → q → p").goal
    (g2,) = run_tactic((g,), "intro")
    (g3,) = run_tactic((g2,), "intro")
    assert pp_goal(g3) == "p q : Prop\na✝¹ : p\na✝ : q\n⊢ p"


def test_shadowed_hypothesis_becomes_inaccessible_and_grouped():
    g = parse_statement("theorem t (p : Prop) : p → p → p").goal
    state = run_tactic((g,), "intro h")
    state = run_tactic(state, "intro h")
    assert pp_state(state) == "p : Prop\nh✝ h : p\n⊢ p"


def test_several_goals_blank_line_and_case_tags():
    g = parse_statement("theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q").goal
    state = run_tactic((g,), "constructor")
    text = pp_state(state)
    assert text.split("\n\n")[0].startswith("case left\n")
    assert text.split("\n\n")[1].startswith("case right\n")
    assert parse_state(text) == state
    assert pp_state(()) == "no goals"


def test_parse_state_round_trip_with_inaccessible():
    goal = Goal((Hyp("p", None), Hyp("q", None), Hyp("a", P, False), Hyp("h", And(P, Q))), Q, "inl")
    assert parse_state(pp_goal(goal)) == (goal,)
