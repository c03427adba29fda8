"""PUCT search: descend by Q + c_puct · P · √N / (1 + n), expand the leaf, back its value up the path.

A simulation starts at the root and, at each expanded node, moves to the open child maximising

    Q(child) + c_puct · P(child) · √N(node) / (1 + N(child))

until it reaches an unexpanded node, the leaf. Leaves are expanded exactly as best-first expands a node
(:meth:`~qedjax.search.base.TreeSearch.expand`: one policy request per batch, the same candidates,
probes, loop detection and proof detection), so a node budget counts the same policy expansions in both
algorithms.

* **Prior** P: the softmax of log-prob / T_llm over the node's candidates that produced a new state
  (the policy's and the probes').
* **Value** in [0, 1]. Every new child is scored at once (one value request per batch, pooled like any
  other) and gets q0 = sigmoid((v − v_root) / T_ebm): the scorer's value (−energy) relative to the root's,
  on the scale T_ebm — the value temperature best-first uses, chosen on validation searches the same
  way. A state the scorer cannot value takes its parent's q0. Without values (no scorer, or β = 0)
  every q0 is 0: a prior-and-visits search.
* Q(node) = W / N once visited, q0 before.
* **Backup.** An expansion is worth 1 if it found a proof, 0 if no tactic gave a new state (the node is
  dead, and never selected again), else the best q0 among its new children (a state is as provable as
  its best continuation, and those are the freshest estimates of it). N += 1 and W += that value at
  every node of the path.
* **Closed** nodes are never selected: dead ones, those at ``max_depth`` (never expanded, as in
  best-first, and never scored), and those whose children are all closed. When the root closes, the
  search ends (``frontier_exhausted``).
* **Several leaves at once** (``batch_expansion_size`` > 1): each selected path takes a virtual loss, a
  visit worth 0 until its backup, so the next descent turns elsewhere; a leaf reached twice ends the
  batch.

Nothing in the selection depends on ``max_nodes``: the first k expansions are the same at every budget
≥ k, so one search at the largest budget gives the solved counts of the smaller ones, as in best-first.
"""

from __future__ import annotations

import math

from qedjax.search.base import Tree, TreeSearch
from qedjax.search.tree import Node


class Edge:
    """PUCT statistics of one node."""

    __slots__ = ("prior", "q0", "visits", "value_sum", "children", "closed")

    def __init__(self, closed: bool = False):
        self.prior = 1.0
        self.q0 = 0.0  # its own bounded value, before any visit
        self.visits = 0
        self.value_sum = 0.0
        self.children: list[Node] = []  # non-terminal children, in creation order
        self.closed = closed

    @property
    def q(self) -> float:
        return self.value_sum / self.visits if self.visits else self.q0


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class PUCTSearch(TreeSearch):
    def run(self, tree: Tree):
        edges = [Edge()]  # parallel to tree.nodes
        try:
            return (yield from self.simulate(tree, edges))
        finally:  # the trajectory records visits and backed-up values (burn-qed v2's columns)
            for node, e in zip(tree.nodes, edges):
                node.visits = e.visits
                node.q_value = e.value_sum / e.visits if e.visits else None

    def simulate(self, tree: Tree, edges: list[Edge]):
        c, stats = self.config, tree.stats
        center = [c.value_center if c.value_center is not None else tree.root.value]
        while not edges[0].closed:
            if stats.expanded >= c.max_nodes:
                return "budget_exhausted"
            if tree.elapsed() > c.timeout_per_theorem:
                return "timeout"
            paths = self.select(tree.root, edges, min(c.batch_expansion_size, c.max_nodes - stats.expanded))
            yield from self.expand(tree, [path[-1] for path in paths])
            new = tree.nodes[len(edges):]
            for node in new:
                edges.append(Edge(closed=node.terminal or node.depth >= c.max_depth))
                if not node.terminal:
                    edges[node.parent].children.append(node)
            yield from self.score(tree, [n for n in new if not edges[n.id].closed])
            self.evaluate(new, edges, center)
            proved_at = tree.nodes[tree.result.terminal_id].parent if tree.result.proved else None
            for path in paths:
                self.backup(path, edges, proved_at)
            if tree.result.proved:
                return "proved"
        return "frontier_exhausted"

    def select(self, root: Node, edges: list[Edge], k: int) -> list[list[Node]]:
        """Up to ``k`` root-to-leaf paths, each taking a virtual loss as it is chosen."""
        paths: list[list[Node]] = []
        leaves: set[int] = set()
        while len(paths) < k:
            path = self.descend(root, edges)
            if path[-1].id in leaves:
                break
            leaves.add(path[-1].id)
            for node in path:
                edges[node.id].visits += 1  # a visit worth 0 until the backup adds its value
            paths.append(path)
        return paths

    def descend(self, root: Node, edges: list[Edge]) -> list[Node]:
        c_puct = self.config.c_puct
        path, node = [root], root
        while node.expanded:  # an expanded open node has an open child
            e = edges[node.id]
            explore = c_puct * math.sqrt(e.visits)
            best, best_score = None, -math.inf
            for kid in e.children:
                k = edges[kid.id]
                if k.closed:
                    continue
                score = k.q + explore * k.prior / (1 + k.visits)
                if score > best_score:
                    best, best_score = kid, score
            node = best
            path.append(node)
        return path

    def evaluate(self, new: list[Node], edges: list[Edge], center: list) -> None:
        """Priors of the children of every node that got new ones, and each new child's q0."""
        c = self.config
        for parent in dict.fromkeys(n.parent for n in new if not n.terminal):
            kids = edges[parent].children
            top = max(k.log_prob for k in kids)
            weights = [math.exp((k.log_prob - top) / c.t_llm) for k in kids]
            total = sum(weights)
            for kid, w in zip(kids, weights):
                edges[kid.id].prior = w / total
        if not self.uses_values:
            return
        for node in new:
            if node.terminal:
                continue
            if node.value is None:
                edges[node.id].q0 = edges[node.parent].q0
                continue
            if center[0] is None:
                center[0] = node.value
            edges[node.id].q0 = sigmoid((node.value - center[0]) / c.t_ebm)

    def backup(self, path: list[Node], edges: list[Edge], proved_at: int | None) -> None:
        leaf = path[-1]
        if not leaf.expanded:  # left unexpanded by a proof earlier in the batch: no visit after all
            for node in path:
                edges[node.id].visits -= 1
            return
        open_kids = [edges[k.id].q0 for k in edges[leaf.id].children if not edges[k.id].closed]
        value = 1.0 if leaf.id == proved_at else max(open_kids, default=0.0)
        for node in path:
            edges[node.id].value_sum += value
        if open_kids:
            return
        edges[leaf.id].closed = True
        for node in reversed(path[:-1]):
            e = edges[node.id]
            if not all(edges[k.id].closed for k in e.children):
                return
            e.closed = True
