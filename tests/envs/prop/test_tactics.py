"""Tactic semantics, Lean-worded errors, soundness and the oracle."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qedjax.envs.prop import HeuristicPolicy, PropEnvironment, provable
from qedjax.envs.prop.env import parse_statement, to_proof_state
from qedjax.envs.prop.moves import canonical_moves
from qedjax.envs.prop.oracle import goal_provable, is_tautology
from qedjax.envs.prop.syntax import And, Atom, Bot, Iff, Imp, Not, Or, Top, atoms
from qedjax.envs.prop.tactics import TacticError, run_tactic
from qedjax.interfaces import Failed, ProofComplete, Success, Theorem

from .test_syntax import formulas


def prove(statement, tactics):
    env = PropEnvironment()
    s = env.start(Theorem("t", statement))
    state = s.initial_state
    for i, tac in enumerate(tactics):
        r = s.apply(state, tac)
        if isinstance(r, ProofComplete):
            assert i == len(tactics) - 1, f"proof completed early at {tac!r}"
            return True
        assert isinstance(r, Success), f"{tac!r} failed: {r}"
        state = r.state
    return state


@pytest.mark.parametrize("statement,tactics", [
    ("theorem and_swap (p q : Prop) : p ∧ q → q ∧ p",
     ["intro h", "obtain ⟨hp, hq⟩ := h", "constructor", "exact hq", "exact hp"]),
    ("theorem or_swap (p q : Prop) : p ∨ q → q ∨ p",
     ["intro h", "rcases h with hp | hq", "right", "exact hp", "left", "exact hq"]),
    ("theorem or_swap' (p q : Prop) : p ∨ q → q ∨ p", ["intro h", "cases h", "right", "assumption",
                                                        "left", "assumption"]),
    ("theorem mp (p q : Prop) : p → (p → q) → q", ["intro hp hpq", "exact hpq hp"]),
    ("theorem dne (p : Prop) : ¬¬p → p", ["intro h", "by_contra hn", "exact h hn"]),
    ("theorem em' (p : Prop) : p ∨ ¬p", ["by_cases h : p", "left", "exact h", "right", "exact h"]),
    ("theorem em'' (p : Prop) : p ∨ ¬p", ["exact Classical.em p"]),
    ("theorem contra (p q : Prop) : p → ¬p → q", ["intro hp hnp", "contradiction"]),
    ("theorem absurd' (p q : Prop) : p → ¬p → q", ["intro hp hnp", "exact absurd hp hnp"]),
    ("theorem exf (p : Prop) : False → p", ["intro h", "exfalso", "exact h"]),
    ("theorem iff_refl' (p : Prop) : p ↔ p", ["rfl"]),
    ("theorem iff_comm' (p q : Prop) : (p ↔ q) → (q ↔ p)", ["intro h", "exact h.symm"]),
    ("theorem iff_intro' (p q : Prop) (h1 : p → q) (h2 : q → p) : p ↔ q", ["exact ⟨h1, h2⟩"]),
    ("theorem curry (p q r : Prop) : (p ∧ q → r) → p → q → r",
     ["intro h hp hq", "apply h", "exact ⟨hp, hq⟩"]),
    ("theorem lam (p q : Prop) : p ∧ q → q ∧ p", ["exact fun ⟨hp, hq⟩ => ⟨hq, hp⟩"]),
    ("theorem seq (p q : Prop) : p → q → p ∧ q", ["intro hp hq; constructor <;> assumption"]),
    ("theorem tri : True", ["trivial"]),
    ("theorem dec : True ∧ ¬False", ["decide"]),
    ("theorem have' (p q : Prop) (hp : p) (h : p → q) : q", ["have hq : q := h hp", "exact hq"]),
    ("theorem spec (p q : Prop) (hp : p) (h : p → q) : q", ["specialize h hp", "exact h"]),
    ("theorem neg_imp (p : Prop) : ¬p → p → False", ["intro hn hp", "exact hn hp"]),
    ("theorem app_not (p : Prop) (hn : ¬p) (hp : p) : False", ["apply hn", "exact hp"]),
    ("theorem peirce (p q : Prop) : ((p → q) → p) → p",
     ["intro h", "by_contra hn", "apply hn", "apply h", "intro hp", "contradiction"]),
])
def test_proofs_replay(statement, tactics):
    assert prove(statement, tactics) is True


@pytest.mark.parametrize("statement,tactic,message", [
    ("theorem t (p q : Prop) (h : p) : q", "exact h",
     "type mismatch\n  h\nhas type\n  p : Prop\nbut is expected to have type\n  q : Prop"),
    ("theorem t (p : Prop) : p", "exact h", "unknown identifier 'h'"),
    ("theorem t (p : Prop) : p", "intro h", "tactic 'introN' failed, insufficient number of binders"),
    ("theorem t (p : Prop) : p", "frobnicate", "unknown tactic"),
    ("theorem t (p : Prop) : p", "assumption", "tactic 'assumption' failed"),
    ("theorem t (p : Prop) : p", "contradiction", "tactic 'contradiction' failed"),
    ("theorem t (p q : Prop) : p ∧ q", "left", "tactic 'left' failed"),
    ("theorem t (p : Prop) : p → p", "constructor", "target is not an inductive datatype"),
    ("theorem t (p : Prop) : p", "sorry", "declaration uses 'sorry'"),
    ("theorem t (p : Prop) : p", "by_cases h : r", "unknown identifier 'r'"),
    ("theorem t (p q : Prop) (h : p → q) : p", "apply h", "tactic 'apply' failed to unify"),
    ("theorem t (p : Prop) : p", "tauto", "disabled"),
])
def test_lean_like_errors(statement, tactic, message):
    env = PropEnvironment()
    s = env.start(Theorem("t", statement))
    r = s.apply(s.initial_state, tactic)
    assert isinstance(r, Failed)
    assert message in r.error


def test_no_goals_error_after_completion():
    g = parse_statement("theorem t (p : Prop) (hp : p) : p").goal
    with pytest.raises(TacticError, match="no goals"):
        run_tactic((g,), "exact hp; exact hp")


def test_tauto_when_enabled_respects_the_oracle():
    env = PropEnvironment(allow_tauto=True)
    s = env.start(Theorem("t", "theorem t (p q : Prop) : p ∧ q → q ∨ p"))
    assert isinstance(s.apply(s.initial_state, "tauto"), ProofComplete)
    s = env.start(Theorem("t", "theorem t (p q : Prop) : p ∨ q → q ∧ p"))
    assert isinstance(s.apply(s.initial_state, "tauto"), Failed)


# --- soundness: no tactic sequence closes a non-tautology -----------------------------------

@settings(max_examples=150, deadline=None)
@given(formulas, st.integers(0, 2**31 - 1))
def test_soundness_random_tactic_sequences(f, seed):
    names = sorted(set(atoms(f)) | {"p"})
    if is_tautology(f):
        return
    statement = f"theorem t ({' '.join(names)} : Prop) : " + __import__(
        "qedjax.envs.prop.syntax", fromlist=["pp"]).pp(f)
    env = PropEnvironment(allow_tauto=True)
    session = env.start(Theorem("t", statement))
    rng = random.Random(seed)
    policy = HeuristicPolicy(seed=seed, noise=3.0)
    extra = ["trivial", "decide", "rfl", "assumption", "contradiction", "exfalso", "tauto",
             "exact trivial", "constructor", "left", "right", "intros", "by_contra h9",
             "exact absurd h1 h2", "exact h1 h2", "exact ⟨h1, h2⟩", "apply h1", "cases h1",
             "rcases h1 with ⟨a, b⟩ | c", "exact Classical.em p", "exact h1.1", "exact h1.mp h2"]
    frontier = [session.initial_state]
    for _ in range(12):
        state = rng.choice(frontier)
        goals = state.handle
        options = canonical_moves(goals[0]) + [c.tactic for c in policy.propose([state], 8)[0]] + extra
        r = session.apply(state, rng.choice(options))
        assert not isinstance(r, ProofComplete), "closed a goal that is not a tautology"
        if isinstance(r, Success):
            assert not provable(r.state.handle)  # unprovable stays unprovable
            frontier.append(r.state)


# --- the oracle against an independent truth-table evaluation -------------------------------

def _eval(f, v):
    if isinstance(f, Atom):
        return v[f.name]
    if isinstance(f, Top):
        return True
    if isinstance(f, Bot):
        return False
    if isinstance(f, Not):
        return not _eval(f.arg, v)
    a, b = _eval(f.left, v), _eval(f.right, v)
    return {And: a and b, Or: a or b, Imp: (not a) or b, Iff: a == b}[type(f)]


@settings(max_examples=300, deadline=None)
@given(formulas, st.lists(formulas, max_size=2))
def test_oracle_agrees_with_independent_truth_tables(target, hyps):
    names = sorted(set(atoms(target)).union(*[set(atoms(h)) for h in hyps]) | {"p"})
    from qedjax.envs.prop.state import Goal, Hyp
    goal = Goal(tuple(Hyp(n, None) for n in names) + tuple(Hyp(f"h{i}", h) for i, h in enumerate(hyps)),
                target)
    expected = all(
        _eval(target, v) or not all(_eval(h, v) for h in hyps)
        for v in (dict(zip(names, bits)) for bits in itertools.product([False, True], repeat=len(names))))
    assert goal_provable(goal) == expected


def test_proof_state_handle_and_pp_agree():
    g = parse_statement("theorem t (p q : Prop) : p → q → p").goal
    st_ = to_proof_state((g,))
    env = PropEnvironment()
    s = env.start(Theorem("t", "theorem t (p q : Prop) : p → q → p"))
    from qedjax.interfaces import ProofState
    bare = ProofState(st_.pp, st_.num_goals)  # no handle: the session re-parses pp
    r1, r2 = s.apply(st_, "intro hp hq"), s.apply(bare, "intro hp hq")
    assert r1.state.pp == r2.state.pp
