"""Exact distance to QED for prop states, and the perfect-distance / length scorers."""

import math
import random

import numpy as np
import pytest

from qedjax.app.scorers import LengthScorer
from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
from qedjax.envs.prop.bench import load_index, shortest_proof
from qedjax.envs.prop.distance import DistanceScorer, PropDistance, goal_key
from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.oracle import goal_provable
from qedjax.envs.prop.state import parse_state, pp_state
from qedjax.interfaces import Theorem
from qedjax.search.config import SearchConfig
from qedjax.search.engine import search_theorem


def test_distance_equals_shipped_difficulty_on_a_sample_of_every_level():
    rows = load_index(split="test")
    rng = random.Random(0)
    by_level: dict[int, list[dict]] = {}
    for r in rows:
        by_level.setdefault(r["difficulty"], []).append(r)
    dist = PropDistance()
    for level, items in sorted(by_level.items()):
        for r in rng.sample(items, 3):
            assert dist.goal(parse_statement(r["statement"]).goal) == level, r["name"]


@pytest.mark.slow
def test_distance_agrees_with_shortest_proof_on_search_states():
    """States a search actually visits (shadowed names, several goals, dead ends) against the
    generator's breadth-first search, goal by goal."""
    env, policy = PropEnvironment(), HeuristicPolicy(seed=1)
    cfg = SearchConfig(max_nodes=8, num_candidates=8, probe_tactics="none")
    dist = PropDistance(max_distance=6)
    checked = unprovable = multi = 0
    for r in load_index(split="valid")[::12]:
        res = search_theorem(Theorem(r["name"], r["statement"]), env, policy, None, cfg)
        for node in res.nodes[1::3]:
            if node.terminal:
                continue
            goals = parse_state(node.pp)
            multi += len(goals) > 1
            total = 0.0
            for g in goals:
                proof = shortest_proof(g, max_depth=6)
                if proof is not None:
                    want = len(proof)
                else:  # unprovable, or provable but longer than the cap (reported as cap + 1)
                    want = 7 if goal_provable(g) else math.inf
                got = dist.goal(g)
                assert got == want, node.pp
                total += got
            unprovable += total == math.inf
            assert dist.pp(node.pp) == total
            checked += 1
    assert checked >= 50 and unprovable >= 1 and multi >= 1


def test_state_distance_is_the_sum_over_goals_and_terminal_is_zero():
    dist = PropDistance()
    a = parse_statement("theorem t (p q : Prop) : p ∧ q → q ∧ p").goal  # 5 steps
    b = parse_statement("theorem t (p : Prop) (h : p) : p").goal  # 1 step
    assert dist.state((a, b)) == 6
    assert dist.pp(pp_state((b, a))) == 6
    assert dist.pp("") == 0 and dist.pp("no goals") == 0
    assert dist.pp(pp_state((parse_statement("theorem t (p q : Prop) : p ∨ q → q").goal,))) == math.inf


def test_cap_reports_a_lower_bound_and_names_do_not_matter():
    dist = PropDistance(max_distance=3)
    g = parse_statement("theorem t (p q : Prop) : p ∧ q → q ∧ p").goal
    assert dist.goal(g) == 4  # longer than the cap: max_distance + 1
    renamed = parse_state("p q : Prop\nx : q\ny : p\n⊢ q")
    plain = parse_state("p q : Prop\nh1 : p\nh2 : q\n⊢ q")
    assert goal_key(renamed[0]) == goal_key(plain[0])
    assert PropDistance().pp(pp_state(renamed)) == 1


def test_shadowed_hypothesis_is_not_usable_by_name():
    # `h✝ : p` cannot be named by `exact`; the only way to close p is the accessible copy.
    shadowed = parse_state("p q : Prop\nh✝ : p\nh : q\n⊢ p")
    visible = parse_state("p q : Prop\nh : p\nh' : q\n⊢ p")
    assert goal_key(shadowed[0]) != goal_key(visible[0])
    d = PropDistance()
    assert d.pp(pp_state(visible)) == 1
    # without the hidden copy the goal is false; with it, it is provable (by_contra, then
    # contradiction) — one memo must keep the two apart
    assert d.pp("p q : Prop\nh : q\n⊢ p") == math.inf
    assert d.pp(pp_state(shadowed)) == 2  # by_contra h1; contradiction (h✝ and h1 clash)
    assert d.pp(pp_state(shadowed)) == min(
        len(p) if (p := shortest_proof(shadowed[0])) else math.inf, d.max_distance + 1)


def test_scorers_rank_states_and_plug_into_search():
    near = "p q : Prop\nh : p\n⊢ p"
    far = "p q : Prop\n⊢ p ∧ q → q ∧ p"
    dead = "p q : Prop\n⊢ p"
    scorer = DistanceScorer()
    v = scorer.score([near, far, dead])
    assert v[0] == -1 and v[1] == -5 and v[2] == scorer.unprovable_value < v[1]
    assert np.all(np.isfinite(v))  # search treats a non-finite value as a scorer failure
    lv = LengthScorer().score([near, far])
    assert lv[0] == -len(near) and lv[1] == -len(far)
    # the ceiling: with the perfect distance, search needs no more expansions than the distance
    env, policy = PropEnvironment(), HeuristicPolicy(seed=0)
    cfg = SearchConfig(max_nodes=20, num_candidates=8, probe_tactics="none", t_llm=2.0, t_ebm=0.5)
    rows = load_index(split="test")[::40]
    solved_d = sum(search_theorem(Theorem(r["name"], r["statement"]), env, policy, scorer, cfg).proved
                   for r in rows)
    solved_p = sum(search_theorem(Theorem(r["name"], r["statement"]), env, policy, None, cfg).proved
                   for r in rows)
    assert solved_d == len(rows) and solved_d > solved_p


@pytest.mark.slow
def test_distance_correlation_is_one_for_the_distance_and_counts_each_state_once():
    from qedjax.app.quality import distance_spearman

    env, policy = PropEnvironment(), HeuristicPolicy(seed=0)
    cfg = SearchConfig(max_nodes=10, num_candidates=8, probe_tactics="none")
    texts, depths = [], []
    for r in load_index(split="test")[::20]:
        for n in search_theorem(Theorem(r["name"], r["statement"]), env, policy, None, cfg).nodes:
            if not n.terminal:
                texts.append(n.pp)
                depths.append(n.depth)
    dist = PropDistance()
    d = dist.many(texts)
    perfect = distance_spearman(texts, np.where(np.isfinite(d), d, 99.0), depths, dist.pp)
    assert perfect["spearman_distance"] == pytest.approx(1.0)
    assert perfect["spearman_distance_provable"] == pytest.approx(1.0)
    n_unprovable = perfect["distance_unprovable"]
    assert perfect["distance_states"] == len(set(texts)) and 0 < n_unprovable < perfect["distance_states"]
    assert all(v["spearman"] == pytest.approx(1.0) for v in perfect["spearman_distance_by_depth"].values()
               if np.isfinite(v["spearman"]))
    inverted = distance_spearman(texts, -np.where(np.isfinite(d), d, 99.0), depths, dist.pp)
    assert inverted["spearman_distance"] == pytest.approx(-1.0)
    lengths = distance_spearman(texts, [len(t) for t in texts], depths, dist.pp)
    assert -1.0 < lengths["spearman_distance"] < 1.0


def test_goal_key_by_identity_equals_the_key_computed_afresh():
    """goal_key remembers keys (and normal forms) by object identity; every answer equals the key
    computed from scratch, for the goal object and for an equal copy of it, and a changed goal gets its
    own key."""
    import dataclasses

    from qedjax.envs.prop.unify import norm

    def fresh(g):
        acc = frozenset(norm(h.type) for h in g.visible() if h.type is not None)
        every = frozenset(norm(h.type) for h in g.context if h.type is not None)
        return acc, every - acc, norm(g.target)

    env, policy = PropEnvironment(), HeuristicPolicy(seed=0)
    goals = []
    for r in load_index(split="test")[:40]:
        res = search_theorem(Theorem(r["name"], r["statement"]), env, policy, None,
                             SearchConfig(max_nodes=8, num_candidates=4, probe_tactics="none"))
        goals += [g for nd in res.nodes if nd.pp for g in parse_state(nd.pp)]
    assert len(goals) > 100
    for g in goals + goals:  # the second pass answers from the memo
        assert goal_key(g) == fresh(g)
        copy = dataclasses.replace(g)
        assert copy is not g and goal_key(copy) == fresh(g)
    g = next(g for g in goals if g.context)
    other = dataclasses.replace(g, context=g.context[1:])
    assert goal_key(other) == fresh(other)
