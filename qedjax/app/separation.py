"""Separation probe: how well do frozen embeddings separate two labelled groups of states?

Centroid L2 distance, norm gap (mean ‖x‖ of positives − negatives), delta cosine (mean within-class
cosine − mean between-class cosine) and the 5-fold cross-validated accuracy of a trained L2-regularised
logistic-regression classifier (numpy, Newton steps on standardised features).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from qedjax.data.trajectory import read_trajectories
from qedjax.errors import DataError
from qedjax.io import read_json


def _logreg_fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 25) -> np.ndarray:
    n, d = x.shape
    xb = np.concatenate([x, np.ones((n, 1))], axis=1)
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        g = xb.T @ (p - y) + reg * w
        h = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg) + 1e-6 * np.eye(d + 1)
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def cv_accuracy(x: np.ndarray, y: np.ndarray, folds: int = 5, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    parts = np.array_split(order, folds)
    accs = []
    for k in range(folds):
        test = parts[k]
        train = np.concatenate([parts[j] for j in range(folds) if j != k])
        mu, sd = x[train].mean(0), x[train].std(0) + 1e-6
        w = _logreg_fit((x[train] - mu) / sd, y[train].astype(np.float64))
        xt = (x[test] - mu) / sd
        pred = (np.concatenate([xt, np.ones((len(test), 1))], axis=1) @ w) > 0
        accs.append(float(np.mean(pred == y[test])))
    return float(np.mean(accs)), float(np.std(accs))


def separation_metrics(emb: np.ndarray, labels: np.ndarray, folds: int = 5, seed: int = 0) -> dict:
    emb = np.asarray(emb, np.float64)
    y = np.asarray(labels, bool)
    if y.all() or (~y).all():
        raise ValueError("separation needs both positive and negative states")
    pos, neg = emb[y], emb[~y]
    unit = emb / (np.linalg.norm(emb, axis=1, keepdims=True) + 1e-12)
    cos = unit @ unit.T
    same = (y[:, None] == y[None, :]) & ~np.eye(len(y), dtype=bool)
    diff = y[:, None] != y[None, :]
    acc, acc_sd = cv_accuracy(emb, y, folds, seed)
    return {
        "n_positive": int(y.sum()), "n_negative": int((~y).sum()), "dim": int(emb.shape[1]),
        "centroid_l2": float(np.linalg.norm(pos.mean(0) - neg.mean(0))),
        "norm_gap": float(np.linalg.norm(pos, axis=1).mean() - np.linalg.norm(neg, axis=1).mean()),
        "delta_cosine": float(cos[same].mean() - cos[diff].mean()),
        "logreg_cv_accuracy": acc, "logreg_cv_std": acc_sd, "folds": folds,
        "majority_baseline": float(max(y.mean(), 1 - y.mean())),
    }


POSITIVE = ("positive", "provable", True, 1)
NEGATIVE = ("negative", "unprovable", False, 0)
MIN_STATES = 10  # the 5-fold probe: two states per fold at least (as --max-states' smallest value)


def labelled_states(path: str | Path, max_states: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """(states, provable/positive labels) from a JSON list of ``{state_pp, label}`` or a trajectory
    Parquet with ``oracle_provable``; a seeded subsample of at most ``max_states``."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"file not found: {path}")
    if path.suffix.lower() == ".parquet":
        c = read_trajectories([path])
        pairs = {s: bool(v) for s, v in zip(c["state_pp"], c["oracle_provable"]) if s and v is not None}
        if not pairs:
            raise DataError(f"{path}: no states with oracle_provable labels")
    else:
        recs = read_json(path)
        if not isinstance(recs, list) or not all(isinstance(r, dict) and isinstance(r.get("state_pp"), str)
                                                 and "label" in r for r in recs):
            raise DataError(f"{path}: expected a list of {{state_pp, label}} records")
        for i, r in enumerate(recs):
            if not any(r["label"] == v and type(r["label"]) is type(v) for v in (*POSITIVE, *NEGATIVE)):
                raise DataError(f"{path}: record #{i + 1} has label {r['label']!r}; expected positive or negative")
        pairs = {r["state_pp"]: r["label"] in POSITIVE for r in recs}
    if len(pairs) < MIN_STATES:
        raise DataError(f"{path}: {len(pairs)} distinct labelled states; the 5-fold probe needs at least {MIN_STATES}")
    states = list(pairs)
    if len(states) > max_states:
        rng = np.random.default_rng(seed)
        states = [states[i] for i in sorted(rng.choice(len(states), max_states, replace=False))]
    labels = np.array([pairs[s] for s in states], bool)
    if labels.all() or (~labels).all():
        raise DataError(f"{path}: separation needs both positive and negative states")
    return states, labels
