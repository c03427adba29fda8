"""Hindsight distance labels from search trajectories alone (no oracle): what a real Lean run has.

Every proof found in a search tree bounds the remaining proof length of each of its ancestors, so
Bellman backups over the tree give an interval on each node's distance *in the policy's move space*:

* upper bound ``u``: 0 at a proof-complete node, ``1 + min(u(child))`` above (``inf`` if nothing
  below it was proved) — with a search that goes on after its first proof, every proof counts;
* lower bound ``l``: 0 at a proof-complete node, 1 at an unexpanded one, ``1 + min(l(child))`` at an
  expanded one (all its candidates were tried); an expanded node none of whose candidates produced
  a new state is a dead end for this policy, ``l = dead_end``.

``relabel_shared`` then gives every occurrence of the same state text (in another theorem's tree, or
another round's) the tightest bounds seen anywhere: a state proved once is proved everywhere.
"""

from __future__ import annotations

import math

import numpy as np


def tree_bounds(cols: dict, dead_end: float = math.inf, closed: np.ndarray | None = None,
                known: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) per row of trajectory columns (``read_trajectories`` layout).

    ``closed`` marks rows whose state some tactic was seen to finish (a search that went on after a
    proof records these instead of terminal rows): their distance is 1. ``known`` = (lower, upper)
    per row learnt elsewhere (the same state in another tree): they tighten each row before the
    backups, so they flow up to its ancestors.
    """
    names = cols["theorem_name"].astype(str)  # with state ids, one node of one tree (read_trajectories)
    sid = cols["state_id"].astype(np.int64)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    terminal = np.array([s == "" for s in cols["state_pp"]])
    expanded = cols["visits"].astype(np.int64) > 0
    depth = cols["depth_from_root"].astype(np.int64)
    n = len(sid)
    upper = np.where(terminal, 0.0, math.inf)
    if closed is not None:
        upper = np.where(closed & ~terminal, 1.0, upper)
    lower = np.where(terminal, 0.0, 1.0)
    if known is not None:
        upper = np.minimum(upper, known[1])
        lower = np.maximum(lower, known[0])
    row_of = {(names[i], int(sid[i])): i for i in range(n)}
    parent_row = np.array([row_of.get((names[i], int(parent[i])), -1) if parent[i] >= 0 else -1
                           for i in range(n)], np.int64)
    has_child = np.zeros(n, bool)
    has_child[parent_row[parent_row >= 0]] = True
    child_lower = np.full(n, math.inf)
    # children are deeper than their parents: sweep from the deepest level up
    for i in np.argsort(-depth, kind="stable"):
        if expanded[i] and not terminal[i]:
            if closed is not None and closed[i]:
                lower[i] = 1.0
            else:
                lower[i] = max(lower[i], 1.0 + child_lower[i] if has_child[i] else dead_end)
        p = parent_row[i]
        if p >= 0:
            upper[p] = min(upper[p], 1.0 + upper[i])
            child_lower[p] = min(child_lower[p], lower[i])
    lower = np.minimum(lower, upper)  # a found proof is never longer than a lower bound claims
    return lower, upper


def hindsight_bounds(cols: dict, rounds: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """:func:`tree_bounds` and :func:`relabel_shared` alternated until nothing changes (at most
    ``rounds`` times): a state proved in one tree is proved in every tree it occurs in, and so are
    that tree's ancestors of it."""
    states = cols["state_pp"].astype(str)
    lower, upper = relabel_shared(states, *tree_bounds(cols))
    for _ in range(rounds - 1):
        lo, up = relabel_shared(states, *tree_bounds(cols, known=(lower, upper)))
        if np.array_equal(lo, lower) and np.array_equal(up, upper):
            break
        lower, upper = lo, up
    return lower, upper


def relabel_shared(states: np.ndarray, lower: np.ndarray, upper: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Tightest bounds per identical state text: min upper, max lower (then lower ≤ upper)."""
    best_u: dict[str, float] = {}
    best_l: dict[str, float] = {}
    for s, lo, up in zip(states, lower, upper):
        best_u[s] = min(best_u.get(s, math.inf), float(up))
        best_l[s] = max(best_l.get(s, 0.0), float(lo))
    up = np.array([best_u[s] for s in states])
    lo = np.minimum(np.array([best_l[s] for s in states]), up)
    return lo, up
