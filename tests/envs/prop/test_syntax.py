import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qedjax.envs.prop.syntax import And, Atom, Bot, Iff, Imp, Not, Or, Top, parse_formula, pp
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


@settings(max_examples=400, deadline=None)
@given(formulas)
def test_print_parse_round_trip(f):
    text = pp(f)
    assert parse_formula(text) == f
    assert pp(parse_formula(text)) == text  # printing is canonical


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
])
def test_minimal_parentheses(f, text):
    assert pp(f) == text


@pytest.mark.parametrize("bad", ["p ↔ q ↔ r", "p ∧", "(p ∨ q", "p q", "∧ p", "", "p ⊕ q"])
def test_parse_errors(bad):
    with pytest.raises(ParseError):
        parse_formula(bad)
