"""Temperatures of the search priority α·cumlogp/T_llm + β·value/T_ebm.

* :func:`calibrate_temperatures`: T_llm (and a rule-of-thumb T_ebm) from the spread of the training
  search's cumulative log-probs and of the head's validation energies: search trajectories only.
* :func:`climb`: which multipliers of the T_ebm grid to search on the validation split — the grid's
  middle and its neighbours, then one step at a time toward the better side, past the grid's edge if
  the best is there — and :func:`best_choice`: which of those searches wins.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np


def cumulative_log_probs(cols: dict) -> np.ndarray:
    """Each node's cumulative log-prob from its root (the policy term of the search priority)."""
    names = cols["theorem_name"].astype(str)
    sid = cols["state_id"].astype(np.int64)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    row = {(n, s): i for i, (n, s) in enumerate(zip(names, sid))}
    cum = np.full(len(sid), np.nan)

    def resolve(i: int) -> float:
        chain = []
        while math.isnan(cum[i]):
            p = parent[i]
            j = row.get((names[i], int(p))) if p >= 0 else None
            if j is None:
                cum[i] = 0.0 if p < 0 else float(cols["llm_log_prob"][i])
                break
            chain.append(i)
            i = j
        total = cum[i]
        for k in reversed(chain):
            total += float(cols["llm_log_prob"][k])
            cum[k] = total
        return total

    for i in range(len(sid)):
        resolve(i)
    return cum


def calibrate_temperatures(cols: dict, energy_std: float) -> tuple[float, float, dict]:
    """T_llm, T_ebm so that α·cumlogp/T_llm and β·value/T_ebm have unit std over the training search's
    nodes and the EBM's validation energies (search trajectories only; never the oracle)."""
    cum = cumulative_log_probs(cols)
    std_lp = float(np.std(cum)) if len(cum) else 1.0
    t_llm = max(std_lp, 1e-3)
    t_ebm = max(float(energy_std), 1e-3) if math.isfinite(energy_std) else 1.0
    return t_llm, t_ebm, {"cum_log_prob_std": std_lp, "energy_std": energy_std}


# States a fixed value's spread is measured on (a seeded sample of distinct states). The spread only sets
# the scale of a T_ebm grid whose points are a factor of 2 apart, so a sample's std that is a few percent
# off the whole's moves no choice; labelling the perfect distance of every validation state instead cost
# more than all of that reference's validation searches together.
SPREAD_STATES = 500


def value_spread(score: Callable[[list[str]], np.ndarray], states: Sequence[str], seed: int,
                 sample: int = SPREAD_STATES) -> float:
    """The std of ``score`` over a seeded sample of ``sample`` distinct ``states`` (1 when it is 0): the
    scale of a fixed value's T_ebm grid, as the head's validation energy std is the head's."""
    distinct = sorted(set(s for s in states if s))
    if len(distinct) > sample:
        pick = np.random.default_rng(seed).permutation(len(distinct))[:sample]
        distinct = [distinct[i] for i in sorted(pick)]
    return (float(np.std(score(distinct))) or 1.0) if distinct else 1.0


def value_scale(energy_std: float) -> float:
    """The spread the T_ebm grid multiplies: the head's validation energy std (1 when unknown)."""
    return energy_std if math.isfinite(energy_std) and energy_std > 0 else 1.0


def multiplier(grid: Sequence[float], i: int) -> float:
    """The ``i``-th multiplier of ``grid`` (largest first), continued past either edge geometrically with
    the ratio of the two multipliers at that edge (index −1 lies above the largest, ``len(grid)`` below
    the smallest)."""
    g = sorted(set(grid), reverse=True)
    if 0 <= i < len(g):
        return g[i]
    if len(g) == 1:
        return g[0] * 2.0 ** -i
    if i < 0:
        return g[0] * (g[0] / g[1]) ** -i
    return g[-1] * (g[-1] / g[-2]) ** (i - len(g) + 1)


def climb(grid: Sequence[float], solved_at: Callable[[int], list[int]], widen: int = 3) -> dict[int, list[int]]:
    """Search the grid where it matters: its middle multiplier and both neighbours, then, while the best
    so far has an untried neighbour, that neighbour (so the walk goes toward the better side and stops
    at a peak). A best pick at the grid's edge walks past it, at most ``widen`` steps. ``solved_at(i)``
    runs the search at :func:`multiplier` ``(grid, i)`` and returns the solved counts per budget.
    Returns index → solved for every search run (3 when the middle wins; a one-point grid: 1)."""
    n = len(set(grid))
    low, high = (-widen, n - 1 + widen) if n > 1 else (0, 0)
    tried: dict[int, list[int]] = {}
    todo = [i for i in ((n - 1) // 2, (n - 1) // 2 - 1, (n - 1) // 2 + 1) if 0 <= i < n]
    while todo:
        for i in todo:
            tried[i] = solved_at(i)
        best = max(tried, key=lambda i: (validation_score(tried[i]), -i))  # ties: the larger temperature
        todo = [j for j in (best - 1, best + 1) if low <= j <= high and j not in tried]
    return tried


def best_choice(tried: list[dict]) -> dict:
    """The winning ``{"t_ebm", "solved": [per budget]}``: by :func:`validation_score`, then the larger
    temperature."""
    return max(tried, key=lambda r: (validation_score(r["solved"]), r["t_ebm"]))


def validation_score(solved: list[int]) -> tuple[int, int]:
    """How a head (or a temperature) is ranked on the validation split: the most solved summed over the
    budgets, then the most at the largest budget. The sum reads every budget the report shows: on a
    validation sample of ~100 theorems a few theorems at one budget are noise, and ranking by the
    largest budget alone picked temperatures that cost the small budgets."""
    return sum(solved), solved[-1]
