"""AUC, sibling rank-1, separation metrics, calibration, subsampling."""

import numpy as np
import pytest

from qedjax.app.quality import auc, rankdata, sibling_rank1, spearman
from qedjax.app.separation import cv_accuracy, separation_metrics


def test_auc_matches_pairwise_definition():
    rng = np.random.default_rng(0)
    s = np.round(rng.normal(size=300), 1)  # ties included
    y = rng.random(300) < 0.4
    pos, neg = s[y], s[~y]
    brute = np.mean([(a > b) + 0.5 * (a == b) for a in pos for b in neg])
    assert auc(s, y) == pytest.approx(brute, abs=1e-12)
    assert auc(np.arange(10.0), np.arange(10) >= 5) == 1.0
    assert np.isnan(auc(np.ones(3), np.ones(3, bool)))


def _cols(rows):
    keys = ["theorem_name", "state_id", "state_pp", "parent_state_id", "label", "ebm_score", "llm_log_prob"]
    c = {k: np.array([r[i] for r in rows], dtype=object if k in ("theorem_name", "state_pp", "label") else float)
         for i, k in enumerate(keys)}
    c["parent_state_id_is_null"] = np.array([r[3] is None for r in rows])
    c["parent_state_id"] = np.array([-1 if r[3] is None else r[3] for r in rows])
    c["state_id"] = c["state_id"].astype(int)
    return c


def test_sibling_rank1_counts_decision_points():
    rows = [  # root 0 → children 1 (on path), 2, 3; 1 → terminal 4
        ("t", 0, "s0", None, "positive", 0.0, 0.0),
        ("t", 1, "s1", 0, "positive", 2.0, -3.0),
        ("t", 2, "s2", 0, "negative", 1.0, -1.0),
        ("t", 3, "s3", 0, "negative", 0.5, -2.0),
        ("t", 4, "", 1, "positive", np.nan, -1.0),
    ]
    out = sibling_rank1(_cols(rows), alpha=0.5, beta=0.5, t_llm=1.0, t_ebm=1.0)
    assert out["decision_points"] == 1
    assert out["rank1_energy"] == 1.0 and out["rank1_log_prob"] == 0.0
    assert out["rank1_combined"] == 0.0  # 0.5·(−3)+0.5·2 = −0.5 < 0.5·(−1)+0.5·1 = 0
    assert out["rank1_random"] == pytest.approx(1 / 3)


def test_separation_metrics_on_separable_and_random_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 16))
    y = np.arange(400) % 2 == 0
    x[y, 0] += 4.0
    m = separation_metrics(x, y)
    assert m["logreg_cv_accuracy"] > 0.95 and m["centroid_l2"] > 3.0 and m["delta_cosine"] > 0
    acc, _ = cv_accuracy(rng.normal(size=(400, 16)), y)
    assert 0.35 < acc < 0.65
    with pytest.raises(ValueError):
        separation_metrics(x, np.ones(400, bool))


def test_rankdata_and_spearman():
    assert list(rankdata(np.array([3.0, 1.0, 2.0, 2.0, np.inf]))) == [4.0, 1.0, 2.5, 2.5, 5.0]
    x = np.arange(20.0)
    assert spearman(x, x ** 3) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0)
    assert np.isnan(spearman(x, np.ones(20)))
    rng = np.random.default_rng(0)
    assert abs(spearman(rng.normal(size=2000), rng.normal(size=2000))) < 0.1


def _tree_cols():
    # theorem t: 0 → 1 (logp −1) → 3 (−2); 0 → 2 (−0.5); theorem u: 0 → 1 (−4)
    from qedjax.data.trajectory import read_trajectories, write_trajectory

    rows = [("t", 0, None, 0.0, "negative"), ("t", 1, 0, -1.0, "positive"), ("t", 2, 0, -0.5, "negative"),
            ("t", 3, 1, -2.0, "positive"), ("u", 0, None, 0.0, "negative"), ("u", 1, 0, -4.0, "negative"),
            ("t", 4, 1, -3.0, "negative"), ("t", 5, 2, -1.0, "negative")]
    recs = [dict(theorem_name=n, state_id=s, state_pp=f"{n}{s}", tactic_applied="x", parent_state_id=p,
                 label=lab, depth_from_root=0, remaining_depth=-1, llm_log_prob=lp, ebm_score=None,
                 is_proof_complete=False, timestamp_ms=0) for n, s, p, lp, lab in rows]
    import tempfile
    from pathlib import Path

    d = Path(tempfile.mkdtemp())
    write_trajectory(d / "t.parquet", recs)
    return read_trajectories([d / "t.parquet"])


def test_cumulative_log_probs_and_calibration():
    from qedjax.app.temperatures import calibrate_temperatures, cumulative_log_probs

    cols = _tree_cols()
    cum = cumulative_log_probs(cols)
    assert list(cum) == [0.0, -1.0, -0.5, -3.0, 0.0, -4.0, -4.0, -1.5]
    t_llm, t_ebm, info = calibrate_temperatures(cols, 2.5)
    assert t_llm == pytest.approx(np.std(cum)) and t_ebm == 2.5
    assert calibrate_temperatures(cols, float("nan"))[1] == 1.0  # no validation energies: neutral


def test_subsample_keeps_positives_siblings_and_n_negatives_per_theorem():
    from qedjax.app.training_data import subsample_for_training

    cols = _tree_cols()
    keep = set(subsample_for_training(cols, 1, seed=0).tolist())
    # rows of the positives t1, t3 and of their negative siblings t2 (beside t1) and t4 (beside t3)
    assert {1, 2, 3, 6} <= keep
    # plus one other negative per theorem (t: row 0 or 7; u: row 4 or 5)
    assert len(keep - {1, 2, 3, 6}) == 2 and len(keep & {0, 7}) == 1 and len(keep & {4, 5}) == 1
    assert subsample_for_training(cols, 1, seed=0).tolist() == subsample_for_training(cols, 1, seed=0).tolist()
