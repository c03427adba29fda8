"""A heuristic tactic policy for ``prop`` whose log-probs behave like a weak LLM's.

It scores moves from hand-written preferences (introduce binders, split conjunctions, close with a
matching hypothesis, prefer ``left`` over ``right``), also proposes plausible-looking mistakes
(``exact`` with every hypothesis, ``apply`` of unrelated implications, classical moves), adds
seeded noise so that it sometimes wanders, and returns a log-softmax over its candidates. It never
consults the oracle. The same (seed, state) always gives the same candidates.
"""

from __future__ import annotations

import hashlib
import math
import random
from typing import Sequence

from qedjax.envs.prop.env import goals_of
from qedjax.envs.prop.moves import canonical_moves, fresh_name
from qedjax.envs.prop.syntax import And, Bot, Iff, Imp, Not, Or, Top
from qedjax.envs.prop.unify import norm, unfold
from qedjax.interfaces import Candidate, ProofState


def _base_score(goal, move: str) -> float:
    t = goal.target
    head = move.split(" ", 1)[0]
    if head == "exact":
        return 3.0
    if head == "contradiction":
        return 2.6
    if head == "intro":
        return 2.4
    if head == "constructor":
        return 2.0 if isinstance(t, (And, Iff)) else 2.5
    if head == "left":
        return 1.3
    if head == "right":
        return 0.9
    if head == "obtain":
        return 1.6
    if head == "rcases":
        return 1.1
    if head == "apply":
        return 1.0
    if head == "have":
        return 0.6
    if head == "exfalso":
        return -0.6
    if head == "by_contra":
        return -0.4 if isinstance(t, (Or, Bot)) or isinstance(t, Not) else -0.9
    if head == "by_cases":
        return -1.1
    return 0.0


def _distractors(goal) -> list[tuple[str, float]]:
    """Plausible mistakes a weak model makes."""
    out = []
    tn = norm(goal.target)
    for h in goal.visible():
        if h.type is None:
            continue
        if norm(h.type) != tn:
            out.append((f"exact {h.name}", -0.3))
        u = unfold(h.type)
        if isinstance(u, Imp) and norm(u.right) != tn:
            out.append((f"apply {h.name}", -0.8))
    if not isinstance(unfold(goal.target), Imp):
        out.append((f"intro {fresh_name(goal)}", -1.5))
    if not isinstance(goal.target, Or):
        out.append(("left", -1.8))
    if not isinstance(goal.target, (And, Iff, Top)):
        out.append(("constructor", -1.6))
    out.append(("assumption", -0.5))
    out.append(("trivial", -1.0))
    return out


class HeuristicPolicy:
    """``propose(states, n)`` → per state, up to ``n`` candidates sorted by log-prob.

    ``noise`` is the std of the seeded Gaussian added to each move's score (how often it wanders);
    ``temperature`` flattens or sharpens the softmax.
    """

    def __init__(self, seed: int = 0, noise: float = 0.8, temperature: float = 1.0):
        self.seed = seed
        self.noise = noise
        self.temperature = temperature

    def _rng(self, pp: str) -> random.Random:
        digest = hashlib.blake2b(f"{self.seed}\0{pp}".encode(), digest_size=8).digest()
        return random.Random(int.from_bytes(digest, "little"))

    def propose_one(self, state: ProofState, n: int) -> list[Candidate]:
        goals = goals_of(state)
        if not goals:
            return []
        goal = goals[0]
        rng = self._rng(state.pp)
        scored: dict[str, float] = {}
        for mv in canonical_moves(goal):
            scored[mv] = _base_score(goal, mv)
        for mv, s in _distractors(goal):
            scored.setdefault(mv, s)
        names = sorted(scored)  # fixed order before drawing noise, so results are reproducible
        logits = [(scored[m] + rng.gauss(0.0, self.noise)) / self.temperature for m in names]
        mx = max(logits)
        lse = mx + math.log(sum(math.exp(x - mx) for x in logits))
        cands = [Candidate(m, x - lse) for m, x in zip(names, logits)]
        cands.sort(key=lambda c: (-c.log_prob, c.tactic))
        return cands[:n]

    def propose(self, states: Sequence[ProofState], n: int) -> list[list[Candidate]]:
        return [self.propose_one(s, n) for s in states]
