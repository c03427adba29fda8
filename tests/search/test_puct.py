"""PUCT search: where it beats best-first's ordering, its budget, its backups, determinism, pooling and
the trajectory columns it fills."""

import dataclasses
import math

import numpy as np
import pytest

from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
from qedjax.envs.prop.bench import load_index
from qedjax.interfaces import Theorem
from qedjax.search.config import SearchConfig
from qedjax.search.engine import BestFirstSearch, PUCTSearch, make_search, replay, search_many
from qedjax.search.puct import sigmoid
from qedjax.search.records import to_records
from tests.search.test_engine import CountingScorer, DictScorer, GraphPolicy, GraphSession, random_tree
from tests.search.test_pooling import CountingPolicy

NOPROBE = dict(probe_tactics="none")
PUCT = dict(algorithm="puct", c_puct=1.0, **NOPROBE)

# s0 → A (log-prob −0.1, value 2) and B (−2, value 0.5). A's six children look good (value 1.5) but are
# dead ends; B's only tactic proves the theorem. Best-first expands A and then every one of A's children
# (their priority stays above B's); PUCT backs the dead ends' 0 up into A and turns to B.
MISLEADING = {"s0": {"a": "A", "b": "B"}, "A": {f"a{i}": f"A{i}" for i in range(1, 7)}, "B": {"b1": "QED"}}
MISLEADING_LOGP = {("s0", "a"): -0.1, ("s0", "b"): -2.0, **{("A", f"a{i}"): -1.8 for i in range(1, 7)}}
MISLEADING_VALUES = {"s0": 0.0, "A": 2.0, "B": 0.5, **{f"A{i}": 1.5 for i in range(1, 7)}}


def run(graph, logp, values, cfg, algorithm=None):
    """(result, the states expanded in order)."""
    policy = CountingPolicy(GraphPolicy(graph, logp))
    cls = {"best-first": BestFirstSearch, "puct": PUCTSearch}[algorithm or cfg.algorithm]
    scorer = DictScorer(values) if values is not None else None
    res = cls(policy, scorer, cfg).search("t", GraphSession(graph))
    return res, [s for call in policy.calls for s in call]


def test_puct_proves_where_best_firsts_ordering_misleads_it():
    cfg = SearchConfig(max_nodes=5, **PUCT)
    puct, expanded = run(MISLEADING, MISLEADING_LOGP, MISLEADING_VALUES, cfg)
    assert puct.proved and puct.proof == ["b", "b1"] and puct.stats.expanded == 5
    assert expanded == ["s0", "A", "A1", "A2", "B"]  # two dead ends, then B
    best_first, expanded = run(MISLEADING, MISLEADING_LOGP, MISLEADING_VALUES, cfg, "best-first")
    assert expanded == ["s0", "A", "A1", "A2", "A3"] and not best_first.proved and best_first.failure_reason == "budget_exhausted"
    best_first, _ = run(MISLEADING, MISLEADING_LOGP, MISLEADING_VALUES, dataclasses.replace(cfg, max_nodes=9),
                        "best-first")
    assert best_first.proved and best_first.stats.expanded == 9  # after all six dead ends


def test_values_are_backed_up_to_the_root():
    # the run above by hand (c_puct 1, T_ebm 1, values relative to the root's 0): q0(A) = σ(2), q0(B) =
    # σ(0.5), q0(Ai) = σ(1.5). Expanding s0 backs up σ(2) (its best child), A backs up σ(1.5), A1 and A2
    # are dead (0), B proves (1).
    res, _ = run(MISLEADING, MISLEADING_LOGP, MISLEADING_VALUES, SearchConfig(max_nodes=5, **PUCT))
    by = {r["state_pp"]: r for r in to_records(res)}
    s2, s15 = sigmoid(2.0), sigmoid(1.5)
    assert by["s0"]["visits"] == 5 and by["s0"]["q_value"] == pytest.approx((s2 + s15 + 1.0) / 5)
    assert by["A"]["visits"] == 3 and by["A"]["q_value"] == pytest.approx(s15 / 3)
    assert by["A1"]["visits"] == by["A2"]["visits"] == 1 and by["A1"]["q_value"] == by["A2"]["q_value"] == 0.0
    assert by["B"]["visits"] == 1 and by["B"]["q_value"] == 1.0
    for name in ("A3", "A4", "A5", "A6"):  # never visited: no backed-up value, but their own ebm_score
        assert by[name]["visits"] == 0 and by[name]["q_value"] is None and by[name]["ebm_score"] == 1.5
    assert all((r["visits"] > 0) == (r["state_pp"] in ("s0", "A", "A1", "A2", "B")) for r in by.values() if r["state_pp"])


def test_dead_ends_are_never_selected_again_and_an_exhausted_tree_ends_the_search():
    # s0 → A (dead), B → C (dead): four expansions and the root is closed, whatever the budget
    graph = {"s0": {"a": "A", "b": "B"}, "B": {"c": "C"}}
    for budget in (4, 50):
        res, expanded = run(graph, {("s0", "a"): -0.1}, {"A": 5.0}, SearchConfig(max_nodes=budget, **PUCT))
        assert res.failure_reason == "frontier_exhausted" and expanded == ["s0", "A", "B", "C"]
        assert [n.visits for n in res.nodes] == [4, 1, 2, 1]  # s0, A, B, C


def test_a_node_at_max_depth_is_never_expanded_nor_scored():
    graph = {"s0": {"a": "A", "b": "B"}, "A": {"x": "A1"}, "B": {"y": "B1"}}
    scorer = DictScorer({"A": 1.0, "B": 0.5})
    res = PUCTSearch(GraphPolicy(graph, {}), scorer, SearchConfig(max_nodes=5, max_depth=1, **PUCT)).search(
        "t", GraphSession(graph))
    assert res.failure_reason == "frontier_exhausted" and res.stats.expanded == 1
    assert [x for c in scorer.calls for x in c] == ["s0"]


def test_several_leaves_at_once_take_a_virtual_loss():
    # after the root, a batch of two: the first descent takes A (the better prior and value), its virtual
    # loss (a visit worth 0) sends the second to B; both go to the policy in one call
    graph = {"s0": {"a": "A", "b": "B"}, "A": {"x": "A1"}, "B": {"y": "B1"}}
    policy = CountingPolicy(GraphPolicy(graph, {("s0", "a"): -0.5, ("s0", "b"): -1.0}))
    cfg = SearchConfig(max_nodes=3, batch_expansion_size=2, **PUCT)
    res = PUCTSearch(policy, DictScorer({"A": 1.0, "B": 0.5}), cfg).search("t", GraphSession(graph))
    assert policy.calls == [["s0"], ["A", "B"]] and res.stats.expanded == 3
    assert res.failure_reason == "budget_exhausted"
    # a batch never holds one leaf twice: a single path gives a batch of one
    chain = {"s0": {"a": "A"}, "A": {"b": "B"}, "B": {"c": "C"}}
    policy = CountingPolicy(GraphPolicy(chain, {}))
    PUCTSearch(policy, None, dataclasses.replace(cfg, max_nodes=10)).search("t", GraphSession(chain))
    assert policy.calls == [["s0"], ["A"], ["B"], ["C"]]


@pytest.mark.parametrize("batch_expansion_size", [1, 3])
def test_puct_spends_exactly_the_budget_and_smaller_budgets_are_prefixes(batch_expansion_size):
    for seed in range(4):
        rng = np.random.default_rng(seed)
        graph, logp = random_tree(rng, qed_rate=0.0)  # nothing to prove: only the budget stops it
        values = {f"s{i}": float(rng.uniform(-1.0, 1.0)) for i in range(400)}
        applied = {}
        for budget in (1, 7, 20):
            policy = CountingPolicy(GraphPolicy(graph, logp))
            s = GraphSession(graph)
            cfg = SearchConfig(max_nodes=budget, batch_expansion_size=batch_expansion_size, **PUCT)
            res = PUCTSearch(policy, DictScorer(values), cfg).search("t", s)
            assert res.failure_reason == "budget_exhausted" and res.stats.expanded == budget
            assert sum(map(len, policy.calls)) == budget == sum(n.expanded for n in res.nodes)
            applied[budget] = s.applied
        if batch_expansion_size == 1:
            assert applied[20][:len(applied[7])] == applied[7] and applied[7][:len(applied[1])] == applied[1]


def test_puct_on_random_trees_finds_proofs_that_replay():
    found = 0
    for seed in range(6):
        rng = np.random.default_rng(seed)
        graph, logp = random_tree(rng, qed_rate=0.05)
        values = {f"s{i}": float(rng.uniform(-1.0, 1.0)) for i in range(400)}
        res, _ = run(graph, logp, values, SearchConfig(max_nodes=60, **PUCT))
        if res.proved:
            found += 1
            state = "s0"
            for tactic in res.proof:
                state = graph[state][tactic]
            assert state == "QED"
    assert found >= 4


def prop_theorems(k=30, split="test"):
    return [Theorem(r["name"], r["statement"]) for r in load_index(split=split)[::240 // k][:k]]


def test_puct_is_deterministic_for_a_seed_and_pools_like_best_first():
    env, ths = PropEnvironment(), prop_theorems()
    cfg = SearchConfig(max_nodes=12, num_candidates=6, batch_encode_size=64, t_ebm=20.0, **PUCT)

    def trees(seed, conc):
        out = {}
        for _, t, r in search_many(ths, env, HeuristicPolicy(seed=seed), CountingScorer(), cfg, conc):
            out[t.name] = (r.proved, r.proof, [(n.pp, n.parent, n.visits, n.q_value) for n in r.nodes])
            if r.proved:
                assert replay(env, t, r.proof)
        return out

    first = trees(0, 1)
    assert trees(0, 1) == first == trees(0, len(ths))  # the same seed: the same trees, pooled or not
    assert trees(1, 8) != first
    assert sum(p for p, _, _ in first.values()) >= 10


def test_policy_only_puct_is_a_prior_and_visits_search():
    # without values every q0 is 0: the descent follows P·√N/(1+n) alone
    graph = {"s0": {"a": "A", "b": "B"}, "A": {"x": "A1"}, "B": {"y": "B1"}}
    logp = {("s0", "a"): math.log(0.75), ("s0", "b"): math.log(0.25)}
    res, expanded = run(graph, logp, None, SearchConfig(max_nodes=5, **PUCT))
    # root; A (0.75 > 0.25); then A1 (A: 0.75 · √2 / 2 = 0.53 against B's 0.25 · √2 = 0.35; then A1's
    # prior 1); A1 is a dead end, which closes A; B and B1 are left
    assert expanded == ["s0", "A", "A1", "B", "B1"]
    assert all(n.q_value in (None, 0.0) for n in res.nodes)


@pytest.mark.slow
def test_perfect_distance_puct_proves_hard_theorems_as_best_first_does():
    from qedjax.app.scorers import measurement_scorer

    env = PropEnvironment()
    rows = sorted(load_index(split="test"), key=lambda r: -r["difficulty"])[:12]
    ths = [Theorem(r["name"], r["statement"]) for r in rows]
    cfg = SearchConfig(max_nodes=20, num_candidates=8, c_puct=0.01, algorithm="puct", probe_tactics="none",
                       concurrent_theorems=12, batch_encode_size=256)
    got = [r for _, _, r in search_many(ths, env, HeuristicPolicy(seed=0), measurement_scorer("distance"), cfg, 12)]
    assert all(r.proved for r in got), [r.theorem for r in got if not r.proved]


def test_config_names_the_algorithm_and_its_identity_keeps_best_first_runs_as_they_were():
    from qedjax.config import from_dict
    from qedjax.errors import ConfigError

    assert isinstance(make_search(None, None, SearchConfig(algorithm="puct")), PUCTSearch)
    assert isinstance(make_search(None, None, SearchConfig()), BestFirstSearch)
    with pytest.raises(ConfigError, match="'mcts' is not one of 'best-first', 'puct'"):
        from_dict(SearchConfig, {"algorithm": "mcts"})
    with pytest.raises(ConfigError, match="c_puct must be > 0"):
        from_dict(SearchConfig, {"algorithm": "puct", "c_puct": 0.0})
    best_first = SearchConfig().identity()
    assert "algorithm" not in best_first and "c_puct" not in best_first and "value_center" not in best_first
    assert SearchConfig(c_puct=3.0).identity() == best_first  # unused by best-first
    puct = SearchConfig(algorithm="puct", value_center=-4.0).identity()
    assert puct["algorithm"] == "puct" and puct["c_puct"] == 1.0 and puct["value_center"] == -4.0
