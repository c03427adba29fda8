"""The hard tier (difficulties 9-12): generated as the shipped tiers are, with shortest proofs found by the
exact distance instead of a bounded breadth-first search, into a file of its own, shipped beside the
benchmark (`qed prop gen --count 240 --min-difficulty 9 --max-difficulty 12 --solver distance
--split-fractions 1,1,1`); the shipped benchmark itself stays as it is (tests/cli/test_prop_gen_tiers.py
regenerates both)."""

import pytest

from qedjax.envs.prop.bench import generate, load_index, proof_by_distance, shipped_hard_tier_path
from qedjax.envs.prop.distance import PropDistance
from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.tactics import run_tactic


def _replays(statement: str, proof: list[str]) -> bool:
    state = (parse_statement(statement).goal,)
    for tactic in proof:
        state = run_tactic(state, tactic)
    return state == ()


def test_the_distance_solver_generates_the_same_theorems_with_shortest_proofs():
    bfs = generate(seed=3, count=16, max_difficulty=4)
    dist = generate(seed=3, count=16, max_difficulty=4, solver="distance")
    key = lambda ts: [(t.name, t.statement, t.difficulty, t.split) for t in ts]
    assert key(dist) == key(bfs)
    for t in dist:
        assert len(t.proof) == t.difficulty and _replays(t.statement, t.proof)


def test_proof_by_distance_is_a_shortest_proof_or_none():
    d = PropDistance(max_distance=6)
    goal = parse_statement("theorem t (p q : Prop) : p ∧ q → q ∧ p").goal
    proof = proof_by_distance(goal, d)
    assert len(proof) == 5 and _replays("theorem t (p q : Prop) : p ∧ q → q ∧ p", proof)
    assert proof_by_distance(parse_statement("theorem t (p q : Prop) : p ∨ q → q").goal, d) is None
    assert proof_by_distance(goal, PropDistance(max_distance=4)) is None  # longer than the bound


@pytest.mark.slow
def test_a_hard_tier_spans_difficulties_9_to_12_in_every_split():
    rows = generate(seed=0, count=12, min_difficulty=9, max_difficulty=12, solver="distance",
                    fractions=(1 / 3, 1 / 3, 1 / 3))
    assert {t.difficulty for t in rows} == {9, 10, 11, 12}
    for split in ("train", "valid", "test"):
        assert {t.difficulty for t in rows if t.split == split} == {9, 10, 11, 12}, split
    assert not {t.name for t in rows} & {r["name"] for r in load_index()}
    d = PropDistance(max_distance=12)
    for t in rows:
        assert len(t.proof) == t.difficulty and _replays(t.statement, t.proof)
        assert d.goal(parse_statement(t.statement).goal) == t.difficulty


def test_the_shipped_hard_tier_has_every_difficulty_in_every_split_with_shortest_proofs():
    rows = load_index(shipped_hard_tier_path())
    assert len(rows) == 240
    for split in ("train", "valid", "test"):
        for d in (9, 10, 11, 12):
            assert sum(r["split"] == split and r["difficulty"] == d for r in rows) == 20, (split, d)
    shipped = load_index()
    assert not {r["name"] for r in rows} & {r["name"] for r in shipped}
    assert not {r["statement"] for r in rows} & {r["statement"] for r in shipped}
    for r in rows:  # each recorded proof is a proof of its length (measurement only: never a training target)
        assert len(r["proof"]) == r["difficulty"] and _replays(r["statement"], r["proof"]), r["name"]
    d = PropDistance(max_distance=12)
    for r in rows[::6]:  # and a shortest one, by the exact distance
        assert d.goal(parse_statement(r["statement"]).goal) == r["difficulty"], r["name"]
