"""Value quality against the oracle, the true distance and search signals (numpy only; measurement).

* ``auc``: probability that a random provable state scores above a random unprovable one
  (Mann–Whitney, ties count half).
* ``distance_correlation``: Spearman correlation of energy with the true remaining distance (length
  of a shortest proof, prop only) on held-out search states, overall and per depth from the root;
  unprovable states count as farther than any provable one.
* ``sibling_rank1``: at each decision point on a found proof path (a positive node with ≥ 2
  non-terminal children), is the on-path child ranked first among its siblings — by value (−energy),
  by the policy's log-prob, by the combined priority? Random baseline = mean 1/#siblings.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from qedjax.envs.prop.distance import pp_distance


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    scores = np.asarray(scores, np.float64)
    labels = np.asarray(labels, bool)
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), np.float64)
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):  # average ranks over ties
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def oracle_auc(cols: dict) -> dict:
    """AUC of ebm_score (−energy) against oracle_provable over scored, non-terminal states."""
    mask = (cols["state_pp"] != "") & ~np.isnan(cols["ebm_score"])
    known = np.array([v is not None for v in cols["oracle_provable"]])
    mask &= known
    labels = np.array([bool(v) for v in cols["oracle_provable"][mask]], dtype=bool)
    scores = cols["ebm_score"][mask]
    # de-duplicate states (a state can appear in several theorems' trees)
    states = cols["state_pp"][mask]
    _, first = np.unique(states.astype(str), return_index=True)
    return {"auc": auc(scores[first], labels[first]), "states": int(len(first)),
            "provable": int(labels[first].sum()), "unprovable": int((~labels[first]).sum())}


def sibling_rank1(cols: dict, alpha: float, beta: float, t_llm: float, t_ebm: float) -> dict:
    names = cols["theorem_name"].astype(str)
    sid = cols["state_id"].astype(np.int64)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    label = cols["label"]
    value = cols["ebm_score"]
    logp = cols["llm_log_prob"]
    terminal = cols["state_pp"] == ""
    children: dict[tuple[str, int], list[int]] = {}
    for i in range(len(sid)):
        if parent[i] >= 0 and not terminal[i]:
            children.setdefault((names[i], int(parent[i])), []).append(i)
    hits = {"energy": 0, "log_prob": 0, "combined": 0}
    n, random_sum = 0, 0.0
    for i in range(len(sid)):
        if label[i] != "positive" or terminal[i]:
            continue
        kids = children.get((names[i], int(sid[i])), [])
        on_path = [k for k in kids if label[k] == "positive"]
        if len(kids) < 2 or len(on_path) != 1 or np.isnan(value[kids]).any():
            continue
        k_pos = on_path[0]
        kids = np.asarray(kids)
        n += 1
        random_sum += 1.0 / len(kids)
        comb = alpha * logp[kids] / t_llm + beta * value[kids] / t_ebm
        for key, s in (("energy", value[kids]), ("log_prob", logp[kids]), ("combined", comb)):
            best = kids[np.argmax(s)]
            hits[key] += int(best == k_pos and (s == s.max()).sum() == 1)
    out = {f"rank1_{k}": (v / n if n else float("nan")) for k, v in hits.items()}
    out["rank1_random"] = random_sum / n if n else float("nan")
    out["decision_points"] = n
    return out


def rankdata(x: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties averaged (as scipy.stats.rankdata); +inf ranks above every finite value."""
    x = np.asarray(x, np.float64)
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    ranks = np.empty(len(x), np.float64)
    starts = np.concatenate([[0], np.nonzero(xs[1:] != xs[:-1])[0] + 1]) if len(x) else np.zeros(0, int)
    ends = np.concatenate([starts[1:], [len(x)]]) if len(x) else np.zeros(0, int)
    for a, b in zip(starts, ends):
        ranks[order[a:b]] = (a + b + 1) / 2.0
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation (NaN when either side is constant or fewer than 3 points)."""
    if len(a) < 3:
        return float("nan")
    ra, rb = rankdata(a), rankdata(b)
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def prop_distance():
    """prop's exact shortest-proof distance ``state_pp -> float`` (inf when unprovable)."""
    return pp_distance


def distance_spearman(states: Sequence[str], energies: Sequence[float], depths: Sequence[int], distance,
                      min_per_depth: int = 10) -> dict:
    """Spearman(energy, true distance) over unique states (first occurrence counts): all states with
    unprovable ones ranked farthest, provable ones only, and per depth from the root."""
    first: dict[str, int] = {}
    for i, s in enumerate(states):
        first.setdefault(s, i)
    idx = np.fromiter(first.values(), np.int64, len(first))
    energy = np.asarray(energies, np.float64)[idx]
    depth = np.asarray(depths, np.int64)[idx]
    dist = np.array([distance(s) for s in first], np.float64)
    finite = np.isfinite(dist)
    out = {"spearman_distance": spearman(energy, dist),
           "spearman_distance_provable": spearman(energy[finite], dist[finite]),
           "distance_states": int(len(idx)), "distance_unprovable": int((~finite).sum())}
    out["spearman_distance_by_depth"] = {
        str(int(d)): {"spearman": spearman(energy[depth == d], dist[depth == d]), "states": int((depth == d).sum())}
        for d in np.unique(depth) if (depth == d).sum() >= min_per_depth}
    return out


def distance_correlation(cols: dict, distance) -> dict:
    """:func:`distance_spearman` over the scored non-terminal states of trajectory columns;
    ``distance`` None → no distance metrics."""
    if distance is None:
        return {}
    mask = (cols["state_pp"] != "") & ~np.isnan(cols["ebm_score"])
    if not mask.any():
        return {}
    return distance_spearman(list(cols["state_pp"][mask]), -cols["ebm_score"][mask],
                             cols["depth_from_root"][mask], distance)


def quality_sample(cols: dict, n: int, seed: int) -> list[str]:
    """Held-out states to judge a value head on: every non-terminal child of a proof-path node (the
    decision points of sibling rank-1), then a seeded sample of the other states, ``n`` in all at most
    (unique texts)."""
    names = cols["theorem_name"].astype(str)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    pos = {(n_, int(s)) for n_, s, lab in zip(names, cols["state_id"], cols["label"]) if lab == "positive"}
    states = cols["state_pp"]
    nonterm = states != ""
    decision = [states[i] for i in range(len(states)) if nonterm[i] and (names[i], int(parent[i])) in pos]
    chosen = list(dict.fromkeys(decision))[:n]
    rest = sorted(set(states[nonterm].astype(str)) - set(chosen))
    if len(chosen) < n and rest:
        rng = np.random.default_rng(seed)
        pick = rng.choice(len(rest), size=min(n - len(chosen), len(rest)), replace=False)
        chosen += [rest[i] for i in sorted(pick)]
    return chosen


def value_quality(cols: dict, values: dict[str, float], alpha: float, beta: float, t_llm: float,
                  t_ebm: float, distance=None) -> dict:
    """AUC against the oracle, Spearman against the true distance (when ``distance`` or prop's is
    available) and sibling rank-1, for ``values`` (state → −energy) on the states of ``cols``."""
    cols = dict(cols)
    cols["ebm_score"] = np.array([values.get(s, np.nan) for s in cols["state_pp"]], np.float64)
    out = oracle_auc(cols)
    out.update(sibling_rank1(cols, alpha, beta, t_llm, t_ebm))
    out.update(distance_correlation(cols, distance))
    return out
