"""Best-first search: expand the open node of highest priority (burn-qed v1's search).

priority(node) = α · (cumlogp(node) + γ · depth) / T_llm + β_eff(depth) · value(node) / T_ebm, value = −energy
(γ: ``depth_bonus``).
Each step pops up to ``batch_expansion_size`` nodes from the frontier and expands them with one
policy request (:meth:`~qedjax.search.base.TreeSearch.expand`); their children join the frontier.
When children are scored is the frontier's business (``value_mode``: :mod:`qedjax.search.frontier`).
"""

from __future__ import annotations

from qedjax.search.base import Tree, TreeSearch
from qedjax.search.frontier import make_frontier, priority
from qedjax.search.tree import Node


class BestFirstSearch(TreeSearch):
    def priority(self, node: Node) -> float:
        return priority(self.config, node)

    def run(self, tree: Tree):
        try:
            return (yield from self.expand_best(tree))
        finally:
            for n in tree.nodes:
                if not n.terminal:
                    n.priority = self.priority(n)

    def expand_best(self, tree: Tree):
        c, stats = self.config, tree.stats
        frontier = make_frontier(c, lambda nodes: self.score(tree, nodes), self.needs_value, self.uses_values)
        yield from frontier.add([tree.root])
        while frontier:
            if stats.expanded >= c.max_nodes:
                return "budget_exhausted"
            if tree.elapsed() > c.timeout_per_theorem:
                return "timeout"
            batch: list[Node] = []
            while len(batch) < c.batch_expansion_size and stats.expanded + len(batch) < c.max_nodes:
                node = yield from frontier.pop()
                if node is None:
                    break
                batch.append(node)
            if not batch:
                continue
            children = yield from self.expand(tree, batch)
            yield from frontier.add([kid for kids in children for kid in kids])  # eager: scored now
            if tree.result.proved:
                return "proved"
        return "frontier_exhausted"
