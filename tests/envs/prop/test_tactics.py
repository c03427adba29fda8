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
     "Type mismatch\n  h\nhas type\n  p\nbut is expected to have type\n  q"),
    ("theorem t (p : Prop) : p", "exact h", "Unknown identifier `h`"),
    ("theorem t (p : Prop) : p", "intro h", "Tactic `introN` failed: There are no additional binders"),
    ("theorem t (p : Prop) : p", "frobnicate", "unknown tactic"),
    ("theorem t (p : Prop) : p", "assumption", "Tactic `assumption` failed\n\np : Prop\n⊢ p"),
    ("theorem t (p : Prop) : p", "contradiction", "Tactic `contradiction` failed"),
    ("theorem t (p q : Prop) : p ∧ q", "left",
     "Tactic `left` failed: left tactic works for inductive types with exactly 2 constructors"),
    ("theorem t (p : Prop) : p → p", "constructor",
     "Tactic `constructor` failed: target is not an inductive datatype"),
    ("theorem t (p : Prop) : p", "sorry", "declaration uses `sorry`"),
    ("theorem t (p : Prop) : p", "by_cases h : r", "Unknown identifier `r`"),
    ("theorem t (p q : Prop) (h : p → q) : p", "apply h",
     "Tactic `apply` failed: could not unify the conclusion of `h`\n  q\nwith the goal\n  p"),
    ("theorem t (p q : Prop) (h : q) : p", "apply h",
     "Tactic `apply` failed: could not unify the type of `h`\n  q\nwith the goal\n  p"),
    ("theorem t (p : Prop) : p", "tauto", "disabled"),
    ("theorem t (p : Prop) : p", "aesop", "the prop environment does not support the tactic `aesop`"),
    ("theorem t (p : Prop) : p", "linarith [foo]", "does not support the tactic `linarith`"),
    ("theorem t (p : Prop) (hp : p) : p", "exact hp; exact hp", "No goals to be solved"),
    ("theorem t (p q : Prop) : p ∨ q", "cases q", "cannot case on a proposition variable"),
])
def test_lean_like_errors(statement, tactic, message):
    env = PropEnvironment()
    s = env.start(Theorem("t", statement))
    r = s.apply(s.initial_state, tactic)
    assert isinstance(r, Failed)
    assert message in r.error


def test_no_goals_error_after_completion():
    g = parse_statement("theorem t (p : Prop) (hp : p) : p").goal
    with pytest.raises(TacticError, match="No goals to be solved"):
        run_tactic((g,), "exact hp; exact hp")
    assert run_tactic((g,), "exact hp; done") == ()  # `done` succeeds when no goals remain


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
    env = PropEnvironment()  # `tauto` is the oracle itself: tested on its own below
    session = env.start(Theorem("t", statement))
    rng = random.Random(seed)
    policy = HeuristicPolicy(seed=seed, noise=3.0)
    extra = ["trivial", "decide", "rfl", "assumption", "contradiction", "exfalso", "triv",
             "exact trivial", "constructor", "left", "right", "intros", "by_contra h9",
             "exact absurd h1 h2", "exact h1 h2", "exact ⟨h1, h2⟩", "apply h1", "cases h1",
             "rcases h1 with ⟨a, b⟩ | c", "exact Classical.em p", "exact h1.1", "exact h1.mp h2",
             "simp", "simp [*]", "simp_all", "simpa using h1", "simp at h1", "rw [h1]", "rwa [h1] at h2",
             "intro ⟨a, b⟩", "rintro (a | b)", "apply Or.elim h1", "apply absurd h1", "refine ⟨?_, ?_⟩",
             "constructor <;> assumption", "all_goals assumption", "any_goals contradiction",
             "repeat (first | assumption | constructor)", "exacts [h1, h2]", "apply h1 at h2",
             "cases h1 with | inl a => exact a | inr b => exact b", "obtain a | b := h1",
             "have h3 := h1 h2", "by_cases h4 : q", "exact fun a => a", "exact h1.elim h2 h3",
             "exact Or.elim h1 (fun a => a) (fun b => b)", "apply Classical.byContradiction",
             "induction h1", "cases' h1 with a b", "match h1 with | ⟨a, b⟩ => exact a", "nth_rw 1 [h1]",
             "rename_i a", "symm", "left; assumption", "· assumption", "exact ‹_›", "show _"]
    frontier = [session.initial_state]
    for _ in range(12):
        state = rng.choice(frontier)
        goals = state.handle
        options = canonical_moves(goals[0]) + [c.tactic for c in policy.propose([state], 8)[0]] + extra
        tactic = rng.choice(options)
        r = session.apply(state, tactic)
        assert not isinstance(r, ProofComplete), f"{tactic!r} closed a goal that is not a tautology"
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
