"""AUC, sibling rank-1, separation metrics, calibration, subsampling."""

import numpy as np
import pytest

from qedjax.pipeline.quality import auc, sibling_rank1
from qedjax.pipeline.separation import cv_accuracy, separation_metrics


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
