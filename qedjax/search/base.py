"""What every tree search shares: one theorem's tree, the expansion step, and the requests it yields.

A search over one theorem is a generator (:meth:`TreeSearch.steps`): it yields the requests it needs
answered (:mod:`qedjax.search.requests`) and returns the :class:`~qedjax.search.tree.SearchResult`.
A driver answers the requests of one theorem (:meth:`TreeSearch.search`) or pools those of many
(:func:`qedjax.search.engine.search_many`). Time a search spends suspended is not its own, except
its share of the calls that answered it.

Expanding a node (:meth:`TreeSearch.expand`, one policy request for a batch of nodes) is the same for
every algorithm, and is what a node budget counts: the policy's candidates plus the environment's
probe tactics at a fixed log-prob (deduplicated) are applied in order; a child whose pretty-print
this theorem has already seen is dropped (exact-string loop detection); a proof-complete child ends
the search at once. Only the choice of what to expand next differs (best-first: a frontier,
:mod:`qedjax.search.best_first`; PUCT: :mod:`qedjax.search.puct`).
"""

from __future__ import annotations

import abc
import math
import time
from typing import Callable, Generator, Sequence

from qedjax.guard import MeasurementLeak
from qedjax.interfaces import (
    Candidate,
    Failed,
    Policy,
    ProofComplete,
    ProofState,
    Session,
    SessionAborted,
    Success,
    Timeout,
    ValueScorer,
)
from qedjax.search.config import SearchConfig
from qedjax.search.requests import (
    PolicyReply,
    PolicyRequest,
    Reply,
    Request,
    Server,
    ValueReply,
    ValueRequest,
)
from qedjax.search.tree import Node, SearchResult, SearchStats

Steps = Generator[Request, Reply, object]


class Tree:
    """One theorem's search in progress: its session, nodes, seen states, statistics and clock."""

    def __init__(self, theorem: str, session: Session, clock: Callable[[], float]):
        self.session = session
        self.clock = clock
        self.stats = SearchStats()
        self.root = Node(0, None, session.initial_state, "", 0, 0.0, 0.0, int(time.time() * 1000))
        self.nodes = [self.root]
        self.seen = {self.root.pp}
        self.result = SearchResult(theorem, False, [], self.nodes, self.stats)
        self.started = clock()
        self.paused = 0.0  # seconds suspended at a yield, less this theorem's share of the calls

    def elapsed(self) -> float:
        return self.clock() - self.started - self.paused

    def add_child(self, parent: Node, cand: Candidate, state: ProofState | None) -> Node:
        node = Node(len(self.nodes), parent.id, state, cand.tactic, parent.depth + 1, cand.log_prob,
                    parent.cum_log_prob + cand.log_prob, int(time.time() * 1000), terminal=state is None)
        node.estimate = parent.value if parent.scored else parent.estimate
        self.nodes.append(node)
        self.stats.generated += 1
        return node


class TreeSearch(abc.ABC):
    """``probes``: tactics tried on every expansion at ``config.probe_log_prob`` besides the policy's
    (the environment owns its list; see :meth:`SearchConfig.probes`)."""

    def __init__(self, policy: Policy, scorer: ValueScorer | None, config: SearchConfig,
                 clock: Callable[[], float] = time.perf_counter, probes: Sequence[str] = ()):
        self.policy = policy
        self.scorer = scorer
        self.config = config
        self.clock = clock
        self.probes = tuple(probes)
        self.first_policy_error: str | None = None

    @abc.abstractmethod
    def run(self, tree: Tree) -> Steps:
        """Search ``tree`` (its root already scored) until a proof, the budget or the time runs out;
        returns the failure reason (``proved`` when a proof was found). Whatever it records on the
        nodes for the result (priorities, visits) it records however it ends."""

    # -- driving -------------------------------------------------------------------------------
    def search(self, theorem_name: str, session: Session) -> SearchResult:
        """Search one theorem, answering its requests as they come."""
        server = Server(self.policy, self.scorer, self.config.batch_encode_size, self.clock)
        gen = self.steps(theorem_name, session)
        try:
            request = next(gen)
            while True:
                request = gen.send(server.serve([request])[0])
        except StopIteration as stop:
            return stop.value

    def steps(self, theorem_name: str, session: Session) -> Generator[Request, Reply, SearchResult]:
        """The search as a generator: yields requests, is sent their replies, returns the result."""
        tree = Tree(theorem_name, session, self.clock)
        result, nodes, stats = tree.result, tree.nodes, tree.stats
        try:
            yield from self.score(tree, [tree.root])
            reason = yield from self.run(tree)
        except SessionAborted as e:
            reason = f"error: {e}"
            result.proved = False
            result.terminal_id = None
        if result.proved:
            result.proof = [nodes[i].tactic for i in result.proof_path()[1:]]
            reason = "proved"
        elif stats.policy_calls and stats.policy_failures == stats.policy_calls:
            reason = f"error: the policy failed on every call ({self.first_policy_error})"
        result.failure_reason = reason
        stats.total_s = tree.elapsed()
        return result

    def ask(self, tree: Tree, request: Request) -> Generator[Request, Reply, Reply]:
        """Yield ``request`` to the driver; the time suspended counts as this theorem's only for its
        share of the calls that answered it."""
        t_yield = self.clock()
        reply = yield request
        tree.paused += self.clock() - t_yield - reply.seconds
        return reply

    # -- values --------------------------------------------------------------------------------
    @property
    def uses_values(self) -> bool:
        return self.scorer is not None and self.config.beta > 0

    def needs_value(self, node: Node) -> bool:
        return self.uses_values and not node.scored and not node.terminal

    def score(self, tree: Tree, nodes: list[Node]) -> Generator[Request, Reply, None]:
        """Ask for the values of those ``nodes`` that need one (one request) and record them. A scorer
        failure (exception or non-finite score) means "no value" for those nodes, never a sentinel."""
        nodes = [n for n in nodes if self.needs_value(n)]
        if not nodes:
            return
        reply: ValueReply = yield from self.ask(tree, ValueRequest([n.pp for n in nodes]))
        stats = tree.stats
        stats.value_s += reply.seconds
        stats.value_latencies.append(reply.seconds)
        stats.value_calls += reply.calls
        stats.encode_s += reply.encode_s
        stats.states_encoded += sum(n.pp in reply.encoded for n in nodes)
        for n, v in zip(nodes, reply.values):
            n.scored = True
            if math.isfinite(v):
                n.value = v
                stats.states_scored += 1
            else:
                stats.scorer_failures += 1

    # -- expansion -----------------------------------------------------------------------------
    def candidates(self, proposed: list[Candidate]) -> list[Candidate]:
        seen = {c.tactic for c in proposed}
        extra = [Candidate(t, self.config.probe_log_prob) for t in self.probes if t not in seen]
        return list(proposed) + extra

    def propose(self, tree: Tree, batch: list[Node]) -> Generator[Request, Reply, list[list[Candidate]]]:
        """The policy's candidates for ``batch`` (one request); a failed call leaves only the probes, and
        is counted."""
        request = PolicyRequest([n.state for n in batch], self.config.num_candidates)
        reply: PolicyReply = yield from self.ask(tree, request)
        stats = tree.stats
        stats.policy_s += reply.seconds
        stats.policy_latencies.append(reply.seconds)
        stats.policy_calls += reply.calls
        if reply.error is not None:
            stats.policy_failures += 1
            if self.first_policy_error is None:
                self.first_policy_error = reply.error
        return reply.proposals

    def apply(self, tree: Tree, parent: Node, cand: Candidate):
        stats = tree.stats
        t0 = self.clock()
        try:
            res = tree.session.apply(parent.state, cand.tactic)
        except SessionAborted:
            raise
        except MeasurementLeak:  # a programming error, never a search outcome
            raise
        except Exception as e:  # noqa: BLE001 - environment crash on one tactic
            res = Failed(f"environment error: {type(e).__name__}: {e}")
        dt = self.clock() - t0
        stats.env_s += dt
        stats.env_latencies.append(dt)
        stats.tactics_applied += 1
        return res

    def expand(self, tree: Tree, batch: list[Node]) -> Generator[Request, Reply, list[list[Node]]]:
        """Expand ``batch`` (one policy request): per node, its new children. On a proof the result
        says so, the remaining nodes of the batch stay unexpanded, and (``harvest_siblings``) the proof
        path's untried candidates are applied too, their children listed under the last node."""
        proposals = yield from self.propose(tree, batch)
        stats, result = tree.stats, tree.result
        children: list[list[Node]] = []
        for node, proposed in zip(batch, proposals):
            node.expanded = True
            stats.expanded += 1
            kids: list[Node] = []
            children.append(kids)
            cands = self.candidates(proposed)
            for i, cand in enumerate(cands):
                res = self.apply(tree, node, cand)
                if isinstance(res, ProofComplete):
                    term = tree.add_child(node, cand, None)
                    result.proved = True
                    result.terminal_id = term.id
                    node.untried = cands[i + 1:]
                    break
                if isinstance(res, Success):
                    if res.state.pp in tree.seen:
                        stats.loops += 1
                        continue
                    tree.seen.add(res.state.pp)
                    kids.append(tree.add_child(node, cand, res.state))
                elif isinstance(res, Timeout):
                    stats.tactic_timeouts += 1
                else:
                    stats.tactic_failures += 1
            if result.proved:
                if self.config.harvest_siblings:
                    kids += self.harvest(tree)
                break
        return children

    def harvest(self, tree: Tree) -> list[Node]:
        """After a proof: apply the remaining candidates of proof-path nodes (extra hard negatives)."""
        out = []
        for nid in tree.result.proof_path()[:-1]:
            node = tree.nodes[nid]
            for cand in node.untried:
                res = self.apply(tree, node, cand)
                if isinstance(res, Success) and res.state.pp not in tree.seen:
                    tree.seen.add(res.state.pp)
                    out.append(tree.add_child(node, cand, res.state))
            node.untried = []
        return out
