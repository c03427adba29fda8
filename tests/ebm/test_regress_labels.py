"""Hindsight interval labels from search trees, and the interval/rank head training."""

import math

import numpy as np
import pytest

from qedjax.ebm.labels import pu_lower, relabel_shared, tree_bounds
from qedjax.ebm.regress import RegressConfig, interval_loss, rank_loss, train_regression


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


def test_losses_respect_intervals_and_order():
    e = np.array([1.0, 3.0, 5.0], np.float32)
    assert float(interval_loss(e, np.array([1.0, 2.0, 6.0]), np.array([1.0, 4.0, np.inf]))) == \
        pytest.approx(1.0 / 3)  # only the third (below its lower bound by 1) is penalised
    above = np.array([2.0, 3.0, 9.0], np.float32)  # the first is 1 above its exact distance
    assert float(interval_loss(above, np.array([1.0, 2.0, 6.0]), np.array([1.0, 4.0, np.inf]))) == \
        pytest.approx(1.0 / 3)
    lo, up = np.array([1.0, 2.0, 2.0]), np.array([1.0, np.inf, np.inf])
    good, frac = rank_loss(e, lo, up, 0.0)  # ordered pairs: (0, 1), (0, 2)
    bad, _ = rank_loss(-e, lo, up, 0.0)
    assert float(frac) == pytest.approx(2 / 9) and float(good) < float(bad)


def test_training_learns_a_distance_ranking_from_intervals():
    rng = np.random.default_rng(0)
    dist = rng.integers(0, 8, 600).astype(np.float32)
    basis = rng.normal(size=(8, 16)).astype(np.float32)
    x = basis[dist.astype(int)] + 0.1 * rng.normal(size=(600, 16)).astype(np.float32)
    # half the states only have a lower bound (nothing proved beneath them)
    censored = rng.random(600) < 0.5
    lower = np.where(censored, np.maximum(dist - 1, 0), dist)
    upper = np.where(censored, np.inf, dist)
    res = train_regression(x, lower, upper, RegressConfig(steps=400, batch_size=64, seed=0))
    energy = res.scorer.energies(x)
    from qedjax.app.quality import spearman

    assert spearman(energy, dist) > 0.9
    assert res.train_energy_std > 0.5
    with pytest.raises(ValueError):
        train_regression(x, np.full(600, 5.0), np.full(600, 1.0), RegressConfig(steps=2))


def test_pu_prior_puts_unproved_states_no_closer_than_their_proved_ancestor():
    cols = _cols([
        ("t", 0, None, "r", True, 0), ("t", 1, 0, "a", True, 1), ("t", 2, 0, "b", True, 1),
        ("t", 3, 1, "", False, 2), ("t", 4, 2, "c", False, 2),
        ("u", 0, None, "x", True, 0), ("u", 1, 0, "y", False, 1),
    ])
    lower, upper = tree_bounds(cols)
    lo = pu_lower(cols, lower, upper, unproved_root=7.0)
    assert lo[:2].tolist() == [2.0, 1.0]  # proved states keep their bounds
    assert lo[2] == 2.0 and lo[4] == 2.0  # the root's proof takes 2 steps: its other branch ≥ 2
    assert lo[5] == 7.0 and lo[6] == 7.0  # nothing proved in u at all
    assert (lo <= upper).all()
    # default prior for unproved trees: one more than the 90th percentile of proved roots
    assert pu_lower(cols, lower, upper)[5] == 3.0


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


def test_standardized_inputs_let_a_lipschitz_head_spread_close_embeddings():
    """Frozen vectors of similar states sit close together; z-scoring them (training statistics,
    carried with the head) is what lets the spectrally normalised head fit their distances."""
    from qedjax.app.quality import spearman
    from qedjax.ebm.regress import Standardized

    rng = np.random.default_rng(1)
    dist = rng.integers(0, 10, 800).astype(np.float32)
    direction = rng.normal(size=32).astype(np.float32)
    x = 3.0 + 0.01 * (dist[:, None] * direction[None, :] + rng.normal(size=(800, 32)).astype(np.float32))
    cfg = RegressConfig(steps=300, batch_size=64, objective="interval")
    raw = train_regression(x, dist, dist, cfg)
    mean, scale = Standardized.statistics(x)
    z = (x - mean) / scale
    fit = train_regression(z, dist, dist, cfg)
    head = Standardized(fit.scorer, mean, scale)
    np.testing.assert_allclose(head.energies(x), fit.scorer.energies(z), rtol=1e-5, atol=1e-5)
    assert fit.final_loss < 0.7 * raw.final_loss
    assert spearman(head.energies(x), dist) > 0.9
    assert raw.train_energy_std < 0.1 * fit.train_energy_std  # raw energies barely spread
