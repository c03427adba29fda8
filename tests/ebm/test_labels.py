"""Hindsight interval labels from search trees."""

import math

import numpy as np

from qedjax.ebm.labels import relabel_shared, tree_bounds


def _cols(rows):
    """rows: (theorem, id, parent or None, state_pp, expanded, depth)."""
    return {
        "theorem_name": np.array([r[0] for r in rows], object),
        "state_id": np.array([r[1] for r in rows]),
        "parent_state_id": np.array([0 if r[2] is None else r[2] for r in rows], np.uint64),
        "parent_state_id_is_null": np.array([r[2] is None for r in rows]),
        "state_pp": np.array([r[3] for r in rows], object),
        "visits": np.array([int(r[4]) for r in rows]),
        "depth_from_root": np.array([r[5] for r in rows]),
    }


def test_tree_bounds_back_up_every_proof_and_explored_depth():
    # t: root 0 → {1, 2}; 1 → {3 (QED)}; 2 → {4}; 4 → {5 (QED)}; 2 also → 6 (never expanded)
    # u: root 0 → {1}; 1 expanded with no children (dead end); 0 also → 2 (frontier)
    cols = _cols([
        ("t", 0, None, "r", True, 0), ("t", 1, 0, "a", True, 1), ("t", 2, 0, "b", True, 1),
        ("t", 3, 1, "", False, 2), ("t", 4, 2, "c", True, 2), ("t", 5, 4, "", False, 3),
        ("t", 6, 2, "d", False, 2),
        ("u", 0, None, "x", True, 0), ("u", 1, 0, "y", True, 1), ("u", 2, 0, "a", False, 1),
    ])
    lower, upper = tree_bounds(cols, dead_end=9.0)
    np.testing.assert_array_equal(upper[:7], [2, 1, 2, 0, 1, 0, math.inf])
    assert upper[7:].tolist() == [math.inf] * 3
    # lower bounds: unexpanded 1, expanded 1 + min(children), dead end 9, never above upper
    assert lower[6] == 1 and lower[4] == 1 and lower[2] == 2 and lower[0] == 2
    assert lower[8] == 9 and lower[7] == 2 and lower[9] == 1
    # the state "a" was proved in t (1 step) and sits on u's frontier: shared relabelling
    lo, up = relabel_shared(cols["state_pp"], lower, upper)
    assert up[9] == 1 and lo[9] == 1 and up[7] == math.inf


def test_continue_after_proof_records_every_closing_move_and_spends_the_budget():
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.interfaces import ProofComplete, Theorem
    from qedjax.search.config import SearchConfig
    from qedjax.search.engine import search_theorem
    from qedjax.search.hindsight import ContinueAfterProof
    from qedjax.search.records import to_records

    thm = Theorem("t", "theorem t (p q : Prop) : p ∧ q → q ∧ p")
    cfg = SearchConfig(max_nodes=25, num_candidates=8, probe_tactics="none")
    env, policy = PropEnvironment(), HeuristicPolicy(seed=0)
    first = search_theorem(thm, env, policy, None, cfg)
    wrapped = ContinueAfterProof(env)
    cont = search_theorem(thm, wrapped, policy, None, cfg)
    assert first.proved and not cont.proved and cont.stats.expanded == 25
    closing = wrapped.closing["t"]
    assert len(closing) >= 2  # more than the one proof the first search stopped at
    # the first tree is a prefix of the continued one
    assert [n.pp for n in first.nodes if not n.terminal] == [n.pp for n in cont.nodes[:len(first.nodes) - 1]]
    for pp, tac in closing.items():  # each recorded move really closes its state
        node = next(n for n in cont.nodes if n.pp == pp)
        assert isinstance(env.start(thm).apply(node.state, tac), ProofComplete)
    rec = to_records(cont)
    cols = _cols([(r["theorem_name"], r["state_id"], r["parent_state_id"], r["state_pp"], r["visits"] > 0,
                   r["depth_from_root"]) for r in rec])
    closed = np.array([s in closing for s in cols["state_pp"]])
    lower, upper = tree_bounds(cols, closed=closed)
    assert 1 <= upper[0] <= len(first.proof)  # the best proof found bounds the root
    assert np.isfinite(upper).sum() > len(first.proof)
