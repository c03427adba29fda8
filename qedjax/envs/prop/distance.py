"""Exact distance to QED for ``prop`` states, and value scorers built on it (measurement only).

The distance of a goal is the length of a shortest proof over :func:`~qedjax.envs.prop.moves.
canonical_moves` (the moves that define the benchmark's ``difficulty``). Tactics act on the main goal
only and goals share nothing, so the distance of a goal list is the sum of its goals' distances. The
per-goal problem is an AND/OR shortest path (a move may split a goal into several); it is solved by
iterative deepening with two memo tables keyed by the goal up to hypothesis names and order (the key
of :func:`qedjax.envs.prop.bench._key`, plus which hypotheses are still accessible by name):

* ``exact[key]`` — the distance, once known;
* ``lower[key]`` — a proven lower bound, raised every time a bounded search fails.

Both tables live as long as the :class:`PropDistance` object, so every state of a whole evaluation
is labelled with each goal solved once. Unprovable goals (truth-table oracle) are ``inf`` at once.
Goals whose shortest proof is longer than ``max_distance`` come back as ``max_distance + 1``, a
lower bound (see :meth:`PropDistance.goal`).

This module consults the oracle. It is a measuring instrument for evaluations (the ceiling of a
perfect value, the correlation of a learned value with the truth) and must never feed training,
calibration or a learned value's search.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from qedjax.envs.prop.moves import canonical_moves
from qedjax.envs.prop.oracle import goal_provable
from qedjax.envs.prop.state import Goal, PropState, parse_state
from qedjax.envs.prop.tactics import TacticError, run_tactic
from qedjax.envs.prop.unify import norm
from qedjax.guard import check_measurement

DEFAULT_MAX_DISTANCE = 12


# norm() of a formula object, by identity: the goals of one search share their hypotheses' formula
# objects, and normalising them again was most of the cost of labelling a state. The entry keeps the
# formula alive, so its id cannot be reused while the entry stands.
_NORMS: dict[int, tuple] = {}
_NORMS_MAX = 500_000


def _norm(f):
    hit = _NORMS.get(id(f))
    if hit is not None and hit[0] is f:
        return hit[1]
    if len(_NORMS) >= _NORMS_MAX:
        _NORMS.clear()
    n = norm(f)
    _NORMS[id(f)] = (f, n)
    return n


_KEYS: dict[int, tuple] = {}


def goal_key(goal: Goal) -> tuple:
    """A goal up to hypothesis names, order and duplicates (as ``bench._key``) — plus the set of
    hypotheses that a shadowing ``intro`` made inaccessible, since moves cannot name those."""
    hit = _KEYS.get(id(goal))
    if hit is not None and hit[0] is goal:
        return hit[1]
    acc = frozenset(_norm(h.type) for h in goal.visible() if h.type is not None)
    every = frozenset(_norm(h.type) for h in goal.context if h.type is not None)
    key = (acc, every - acc, _norm(goal.target))
    if len(_KEYS) >= _NORMS_MAX:
        _KEYS.clear()
    _KEYS[id(goal)] = (goal, key)
    return key


class PropDistance:
    """Shortest-proof lengths of goals and goal lists, memoised across calls.

    ``max_distance`` caps the search per goal: a provable goal whose shortest proof is longer is
    reported as ``max_distance + 1`` (a lower bound). Unprovable goals are ``math.inf``.
    """

    def __init__(self, max_distance: int = DEFAULT_MAX_DISTANCE, by_cases: bool = True):
        if max_distance < 1:
            raise ValueError("max_distance must be >= 1")
        self.max_distance = max_distance
        self.by_cases = by_cases
        self.exact: dict[tuple, float] = {}
        self.lower: dict[tuple, int] = {}
        self._children: dict[tuple, list[tuple[tuple[Goal, ...], list[tuple]]]] = {}
        self.expansions = 0  # goals whose moves were enumerated (a cost counter)

    # -- per goal ---------------------------------------------------------------------------
    def _moves(self, goal: Goal, key: tuple) -> list[tuple[tuple[Goal, ...], list[tuple]]]:
        """(produced goals, their keys) for each canonical move, closing moves first; cached."""
        out = self._children.get(key)
        if out is None:
            self.expansions += 1
            out, seen = [], set()
            for mv in canonical_moves(goal, by_cases=self.by_cases):
                try:
                    produced = run_tactic((goal,), mv)
                except TacticError:
                    continue
                keys = [goal_key(g) for g in produced]
                sig = tuple(keys)
                if sig in seen:
                    continue
                seen.add(sig)
                out.append((tuple(produced), keys))
            out.sort(key=lambda item: len(item[0]))
            self._children[key] = out
        return out

    def _bound(self, key: tuple) -> int:
        d = self.exact.get(key)
        if d is not None:
            return int(d) if math.isfinite(d) else self.max_distance + 1
        return max(1, self.lower.get(key, 1))

    def _solve(self, goal: Goal, key: tuple, budget: int) -> int | None:
        """The distance of ``goal`` if it is at most ``budget``, else None (and a raised lower bound)."""
        d = self.exact.get(key)
        if d is not None:
            return int(d) if d <= budget else None
        if budget < self.lower.get(key, 1):
            return None
        if not goal_provable(goal):
            self.exact[key] = math.inf
            return None
        best: int | None = None
        limit = budget  # only strictly shorter proofs than `best` are of interest
        for produced, keys in self._moves(goal, key):
            if not produced:
                best = 1
                break
            if len(produced) > limit - 1:
                continue
            bounds = [self._bound(k) for k in keys]
            if 1 + sum(bounds) > limit:
                continue
            total = 0
            for i, (g, k) in enumerate(zip(produced, keys)):
                rest = sum(bounds[i + 1:])
                sub = self._solve(g, k, limit - 1 - total - rest)
                if sub is None:
                    total = -1
                    break
                total += sub
            if total >= 0 and 1 + total <= limit:
                best = 1 + total
                limit = best - 1
                if best <= max(1, self.lower.get(key, 1)):
                    break  # meets the lower bound: cannot do better
        if best is None:
            self.lower[key] = max(self.lower.get(key, 1), budget + 1)
            return None
        self.exact[key] = best
        return best

    def goal(self, goal: Goal) -> float:
        """Shortest proof length of one goal; ``max_distance + 1`` if longer; ``inf`` if unprovable."""
        check_measurement("the prop distance")  # memo hits included: an answer is an answer
        key = goal_key(goal)
        for budget in range(1, self.max_distance + 1):
            d = self._solve(goal, key, budget)
            if d is not None:
                return float(d)
            if self.exact.get(key) == math.inf:
                return math.inf
        return float(self.max_distance + 1)

    # -- per state --------------------------------------------------------------------------
    def state(self, state: PropState) -> float:
        """Sum of the goals' distances (0 for no goals); ``inf`` if any goal is unprovable."""
        return float(sum(self.goal(g) for g in state))

    def pp(self, text: str) -> float:
        """Distance of a pretty-printed state (``""`` and ``no goals`` are 0)."""
        check_measurement("the prop distance")
        if not text or text.strip() == "no goals":
            return 0.0
        return self.state(parse_state(text))

    def many(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.pp(t) for t in texts], np.float64)


class DistanceScorer:
    """Value = −distance (the perfect-distance ceiling). Unprovable states get ``unprovable_value``.

    Uses the oracle: an evaluation instrument, never a learned value's stand-in in training.
    """

    uses_oracle = True  # a measurement instrument: search with it is not blind (see qedjax.guard)

    def __init__(self, distance: PropDistance | None = None, unprovable_value: float | None = None):
        self.distance = distance or shared_distance()  # one memo for every search of this process
        cap = self.distance.max_distance
        self.unprovable_value = -2.0 * (cap + 1) if unprovable_value is None else float(unprovable_value)

    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        d = self.distance.many(states_pp)
        return np.where(np.isfinite(d), -d, self.unprovable_value).astype(np.float32)


_SHARED: PropDistance | None = None


def shared_distance() -> PropDistance:
    """The process-wide :class:`PropDistance` (its memo grows with every state labelled)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = PropDistance()
    return _SHARED


def pp_distance(text: str) -> float:
    """Distance of a printed state with the process-wide memo."""
    return shared_distance().pp(text)
