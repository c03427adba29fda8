"""Best-first frontiers: the open nodes of one theorem, in the order they will be expanded.

priority(node) = α · (cumlogp(node) + γ · depth) / T_llm + β_eff(depth) · value(node) / T_ebm, value =
−energy, γ = ``depth_bonus`` (0 by default: burn-qed's priority); ties go to the older node. One frontier per value mode (``SearchConfig.value_mode``), each answering the same
two questions — :meth:`Frontier.add` (new nodes join) and :meth:`Frontier.pop` (the next node to
expand, or None) — and each free to ask for values (a generator, like the search):

* :class:`Eager` scores every node when it joins (burn-qed's behaviour): about ``num_candidates``
  states per expansion.
* :class:`Lazy` lets a node join with a provisional priority — its own cumulative log-prob and its
  parent's value — and scores it only when it reaches the top; it is then put back with its real
  priority and expanded only if it is still the best. About one state per expansion is scored. A
  child closer to a proof than its parent enters too low, so the order can differ from eager's.
* :class:`Bound` lets a node wait with an optimistic priority — its own cumulative log-prob and the
  highest value this theorem has seen (plus ``value_bound_margin`` · T_ebm) — and scores, in one
  request, every waiting node whose optimistic priority reaches the best real priority before each
  pop. While no value exceeds that bound, nodes are expanded in exactly eager's order; nodes whose
  log-prob keeps them below the frontier's best are never scored.

Nodes at ``max_depth`` are never expanded, so they are dropped when popped (and never scored by the
deferred modes).
"""

from __future__ import annotations

import abc
import heapq
import itertools
import math
from typing import Callable, Generator

from qedjax.search.config import SearchConfig
from qedjax.search.requests import Reply, Request
from qedjax.search.tree import Node

Score = Callable[[list[Node]], Generator[Request, Reply, None]]  # ask for these nodes' values
NeedsValue = Callable[[Node], bool]


def policy_term(config: SearchConfig, node: Node) -> float:
    """α·(cumlogp + γ·depth)/T_llm: the policy's part of the priority. A step's log-prob is negative, so
    cumlogp alone ranks every child below its shallow siblings; γ nats per level (``depth_bonus``) pay
    for the steps a long proof needs."""
    return config.alpha * (node.cum_log_prob + config.depth_bonus * node.depth) / config.t_llm


def priority(config: SearchConfig, node: Node) -> float:
    """policy_term + β_eff·value/T_ebm; an unscored node uses its parent's value (lazy mode)."""
    c = config
    p = policy_term(c, node)
    beta = c.beta_at(node.depth)
    value = node.value if node.scored else node.estimate
    if value is not None and beta > 0:
        p += beta * value / c.t_ebm
    return p


class Frontier(abc.ABC):
    def __init__(self, config: SearchConfig, score: Score, needs_value: NeedsValue):
        self.config = config
        self.score = score
        self.needs_value = needs_value
        self.heap: list[tuple[float, int, Node]] = []  # (−priority, tie-break, node)

    @abc.abstractmethod
    def add(self, nodes: list[Node]) -> Generator[Request, Reply, None]:
        """Admit ``nodes`` (the scored root, then each expansion's new children, in creation order)."""

    @abc.abstractmethod
    def pop(self) -> Generator[Request, Reply, Node | None]:
        """Remove and return the next node to expand; None when no node is left."""

    def __bool__(self) -> bool:
        return bool(self.heap)

    def push(self, node: Node, tie: int) -> None:
        node.priority = priority(self.config, node)
        heapq.heappush(self.heap, (-node.priority, tie, node))

    def pop_expandable(self) -> Node | None:
        while self.heap:
            node = heapq.heappop(self.heap)[2]
            if node.depth < self.config.max_depth:
                return node
        return None


class Eager(Frontier):
    def add(self, nodes):
        yield from self.score(nodes)
        for node in nodes:
            self.push(node, node.id)

    def pop(self):
        yield from ()  # every node was scored when it joined
        return self.pop_expandable()


class Lazy(Frontier):
    def __init__(self, config, score, needs_value):
        super().__init__(config, score, needs_value)
        self.order = itertools.count()  # a scored node goes back behind the nodes of equal priority

    def add(self, nodes):
        yield from ()  # scored when they reach the top
        for node in nodes:
            self.push(node, next(self.order))

    def pop(self):
        while (node := self.pop_expandable()) is not None:
            if self.needs_value(node) and self.config.beta_at(node.depth) > 0:
                yield from self.score([node])  # its real priority decides whether it is still the best
                self.push(node, next(self.order))
                continue
            return node
        return None


class Bound(Frontier):
    def __init__(self, config, score, needs_value):
        super().__init__(config, score, needs_value)
        # unscored nodes wait in per-β heaps keyed by their log-prob term alone, so that raising the bound
        # (the best value seen) raises all their optimistic priorities at once
        self.waiting: dict[float, list[tuple[float, int, Node]]] = {}
        self.best: float | None = None  # the highest value seen in this theorem

    def __bool__(self) -> bool:
        return bool(self.heap or self.waiting)

    def add(self, nodes):
        yield from ()  # scored when their optimistic priority reaches the top
        c = self.config
        for node in nodes:
            self.raise_bound(node)
            beta = c.beta_at(node.depth)
            if self.needs_value(node) and beta > 0:
                key = policy_term(c, node)
                heapq.heappush(self.waiting.setdefault(beta, []), (-key, node.id, node))
            else:
                self.push(node, node.id)

    def raise_bound(self, node: Node) -> None:
        if node.value is not None and (self.best is None or node.value > self.best):
            self.best = node.value

    def pop(self):
        while True:
            yield from self.resolve()
            if not self.heap:
                return None
            node = heapq.heappop(self.heap)[2]
            if node.depth < self.config.max_depth:
                return node

    def resolve(self):
        """Score every waiting node whose optimistic priority reaches the frontier's best."""
        c = self.config
        while self.waiting:
            top = -self.heap[0][0] if self.heap else -math.inf
            due: list[Node] = []
            for beta, h in list(self.waiting.items()):
                lift = math.inf if self.best is None else beta * (self.best + c.value_bound_margin * c.t_ebm) / c.t_ebm
                while h and -h[0][0] + lift >= top:
                    node = heapq.heappop(h)[2]
                    if node.depth < c.max_depth:  # deeper nodes are never expanded: never scored
                        due.append(node)
                if not h:
                    del self.waiting[beta]
            if not due:
                return
            yield from self.score(due)
            for node in due:
                self.raise_bound(node)
                self.push(node, node.id)


FRONTIERS = {"eager": Eager, "lazy": Lazy, "bound": Bound}


def make_frontier(config: SearchConfig, score: Score, needs_value: NeedsValue, uses_values: bool) -> Frontier:
    """The frontier of ``config.value_mode``; without values every mode is plain best-first (eager)."""
    cls = FRONTIERS[config.value_mode] if uses_values else Eager
    return cls(config, score, needs_value)
