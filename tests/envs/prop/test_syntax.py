import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qedjax.envs.prop.syntax import (
    And,
    Atom,
    Bot,
    Eq,
    Forall,
    Iff,
    Imp,
    Not,
    Or,
    Top,
    alpha_norm,
    parse_formula,
    pp,
)
from qedjax.errors import ParseError

atoms = st.sampled_from(["p", "q", "r", "s", "h₁", "x'"]).map(Atom)
formulas = st.recursive(
    atoms | st.just(Top()) | st.just(Bot()),
    lambda sub: st.one_of(
        sub.map(Not),
        st.tuples(sub, sub).map(lambda t: And(*t)),
        st.tuples(sub, sub).map(lambda t: Or(*t)),
        st.tuples(sub, sub).map(lambda t: Imp(*t)),
        st.tuples(sub, sub).map(lambda t: Iff(*t)),
    ),
    max_leaves=12,
)


def _with_binders(f, var):
    return Forall(var, And(Atom(var), f))


# formulas with `=` between propositions and `∀ (p : Prop)` binders (the binder is always used)
rich_formulas = st.recursive(
    atoms | st.just(Top()) | st.just(Bot()),
    lambda sub: st.one_of(
        sub.map(Not),
        st.tuples(sub, sub).map(lambda t: And(*t)),
        st.tuples(sub, sub).map(lambda t: Or(*t)),
        st.tuples(sub, sub).map(lambda t: Imp(*t)),
        st.tuples(sub, sub).map(lambda t: Iff(*t)),
        st.tuples(sub, sub).map(lambda t: Eq(*t)),
        st.tuples(sub, st.sampled_from(["a", "b"])).map(lambda t: _with_binders(*t)),
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(formulas)
def test_print_parse_round_trip(f):
    text = pp(f)
    assert parse_formula(text) == f
    assert pp(parse_formula(text)) == text  # printing is canonical


@settings(max_examples=400, deadline=None)
@given(rich_formulas)
def test_round_trip_with_equality_and_binders(f):
    text = pp(f)
    back = parse_formula(text)
    assert alpha_norm(back, unfold_not=False) == alpha_norm(f, unfold_not=False)
    assert pp(back) == text


P, Q, R = Atom("p"), Atom("q"), Atom("r")


@pytest.mark.parametrize("text,expected", [
    ("¬p ∧ q", And(Not(P), Q)),                 # ¬ binds tighter than ∧ (notation:max "¬" p:40)
    ("p ∧ q ∨ r", Or(And(P, Q), R)),             # ∧ (35) over ∨ (30)
    ("p → q → r", Imp(P, Imp(Q, R))),            # → is right-associative
    ("p ∨ q → r", Imp(Or(P, Q), R)),             # ∨ (30) over → (25)
    ("p → q ↔ r", Iff(Imp(P, Q), R)),            # → (25) over ↔ (20)
    ("p ∧ q ∧ r", And(P, And(Q, R))),            # infixr
    ("¬¬p", Not(Not(P))),
    ("¬(p ∧ q)", Not(And(P, Q))),
    ("p /\\ q -> ~r", Imp(And(P, Q), Not(R))),  # ASCII spellings
    ("True ∨ False", Or(Top(), Bot())),
    ("¬p = q", Not(Eq(P, Q))),                   # `=` (50) is inside ¬'s argument (40)
    ("p ∧ q = r", And(P, Eq(Q, R))),             # `=` binds tighter than ∧
    ("∀ (p q : Prop), p → q", Forall("p", Forall("q", Imp(P, Q)))),
    ("∀ p : Prop, p ∨ ¬p", Forall("p", Or(P, Not(P)))),
    ("q → ∀ (p : Prop), p", Imp(Q, Forall("p", P))),
])
def test_lean_precedence(text, expected):
    assert parse_formula(text) == expected


@pytest.mark.parametrize("f,text", [
    (Imp(Imp(P, Q), R), "(p → q) → r"),
    (And(Or(P, Q), R), "(p ∨ q) ∧ r"),
    (Not(Imp(P, Q)), "¬(p → q)"),
    (Iff(Iff(P, Q), R), "(p ↔ q) ↔ r"),
    (Imp(Not(P), Q), "¬p → q"),
    (And(And(P, Q), R), "(p ∧ q) ∧ r"),
    (Eq(Not(P), Q), "(¬p) = q"),                 # otherwise it would read ¬(p = q)
    (Not(Eq(P, Q)), "¬p = q"),
    (Forall("p", Forall("q", Imp(P, Q))), "∀ (p q : Prop), p → q"),  # grouped binders
    (Imp(Forall("p", P), Q), "(∀ (p : Prop), p) → q"),
    (Not(Forall("p", P)), "¬∀ (p : Prop), p"),
    (Forall("p", Q), "Prop → q"),                # a binder the body does not use is an arrow
])
def test_minimal_parentheses(f, text):
    assert pp(f) == text


@pytest.mark.parametrize("bad", ["p ↔ q ↔ r", "p = q = r", "p ∧", "(p ∨ q", "p q", "∧ p", "", "p ⊕ q",
                                 "∀ x : Nat, x", "∃ p, p"])
def test_parse_errors(bad):
    with pytest.raises(ParseError):
        parse_formula(bad)


@pytest.mark.parametrize("text", ["(" * 1500 + "p" + ")" * 1500, "¬" * 1500 + "p", " → ".join(["p"] * 1500)])
def test_deep_nesting_is_a_clean_parse_error(text):
    with pytest.raises(ParseError, match="maximum nesting depth"):
        parse_formula(text)


def test_nesting_below_the_limit_is_fine():
    text = "(" * 60 + "p" + ")" * 60 + " → " + " → ".join(["q"] * 60)
    assert pp(parse_formula(text)).startswith("p → q → q")
