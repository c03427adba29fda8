"""Best-first proof search over the Environment / Policy / ValueScorer protocols (no torch, no jax).

priority(node) = α · cumlogp(node) / T_llm + β_eff(depth) · value(node) / T_ebm, value = −energy.

Each step pops up to ``batch_expansion_size`` nodes, asks the policy for candidates for all of them in
one call, adds probe tactics at a fixed log-prob (deduplicated), applies every candidate and drops
children whose pretty-print was already seen in this theorem (exact-string loop detection). A
proof-complete child ends the search at once. A scorer failure (exception or non-finite score)
means "no value term" for those nodes, never a sentinel score.

Value modes (``SearchConfig.value_mode``):

* ``eager``: every new child is scored when it is created (burn-qed's behaviour): about
  ``num_candidates`` states per expansion.
* ``lazy``: a child enters the frontier with a provisional priority — its own cumulative log-prob and
  its parent's value — and is scored only when it reaches the top of the frontier; it is then
  re-inserted with its real priority and expanded only if it is still the best. About one state per
  expansion is scored. A child closer to a proof than its parent enters too low, so the order can
  differ from eager's.
* ``bound``: a child enters the frontier with an optimistic priority — its own cumulative log-prob and
  the highest value this theorem's search has seen so far (plus ``value_bound_margin`` · T_ebm) — and
  every child whose optimistic priority reaches the best real priority in the frontier is scored, in
  one request, before the next expansion. While no child's value exceeds that bound, nodes are
  expanded in exactly eager's order; children whose log-prob keeps them below the frontier's best are
  never scored.

The search is a generator (:meth:`BestFirstSearch.steps`) that yields the states it needs scored, so
one driver can serve one theorem (:meth:`BestFirstSearch.search`) or interleave many theorems and
score their requests in one batched value call (:func:`search_many`): the encoder then runs on large
batches, where it is several times faster per state than on the few states one theorem asks for.
"""

from __future__ import annotations

import contextlib
import dataclasses
import heapq
import itertools
import math
import time
from typing import Callable, Generator, Iterable, Iterator, NamedTuple, Sequence

from qedjax.guard import MeasurementLeak, forbid_measurement, uses_measurement
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


@dataclasses.dataclass
class Node:
    id: int
    parent: int | None
    state: ProofState | None  # None for the terminal (proof-complete) node
    tactic: str
    depth: int
    log_prob: float  # of the tactic that produced this node
    cum_log_prob: float
    created_ms: int
    value: float | None = None  # −energy; None when unscored or the scorer failed
    estimate: float | None = None  # lazy mode: the parent's value, until this node is scored
    scored: bool = False  # a value was asked for (it may have failed)
    priority: float = 0.0
    expanded: bool = False
    terminal: bool = False
    untried: list[Candidate] = dataclasses.field(default_factory=list)  # for harvest_siblings

    @property
    def pp(self) -> str:
        return "" if self.state is None else self.state.pp


@dataclasses.dataclass
class SearchStats:
    expanded: int = 0
    generated: int = 0  # nodes created (successful, non-loop tactic applications)
    tactics_applied: int = 0
    tactic_failures: int = 0
    tactic_timeouts: int = 0
    loops: int = 0
    policy_calls: int = 0
    policy_failures: int = 0  # policy calls that raised (their states got only the probe tactics)
    value_calls: int = 0
    states_scored: int = 0  # states that received a finite value
    states_encoded: int = 0  # of those asked for, how many the scorer had to encode (not memoised)
    encode_s: float = 0.0  # time the scorer spent encoding (within value_s)
    scorer_failures: int = 0  # states the scorer could not score (exception or non-finite value)
    policy_s: float = 0.0
    env_s: float = 0.0
    value_s: float = 0.0
    total_s: float = 0.0
    policy_latencies: list = dataclasses.field(default_factory=list, repr=False)
    env_latencies: list = dataclasses.field(default_factory=list, repr=False)
    value_latencies: list = dataclasses.field(default_factory=list, repr=False)

    @property
    def engine_s(self) -> float:
        return max(self.total_s - self.policy_s - self.env_s - self.value_s, 0.0)

    def summary(self) -> dict:
        def pct(xs, q):
            if not xs:
                return None
            s = sorted(xs)
            return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] * 1000.0

        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.repr}
        out["engine_s"] = self.engine_s
        for name in ("policy", "env", "value"):
            xs = getattr(self, f"{name}_latencies")
            out[f"{name}_p50_ms"] = pct(xs, 0.5)
            out[f"{name}_p95_ms"] = pct(xs, 0.95)
        return out

    def merge(self, other: SearchStats) -> None:
        for f in dataclasses.fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            setattr(self, f.name, a + b)


class ValueReply(NamedTuple):
    """What a search receives for a value request."""

    values: list[float]  # one per requested state; NaN = no value
    seconds: float  # this request's share of the scorer's wall time
    calls: int  # scorer calls it took part in
    encoded: frozenset  # states the scorer had to encode (not in its memo)
    encode_s: float  # this request's share of the encoding time


@dataclasses.dataclass
class SearchResult:
    theorem: str
    proved: bool
    proof: list[str]  # tactics root → QED
    nodes: list[Node]
    stats: SearchStats
    failure_reason: str = ""  # proved | budget_exhausted | frontier_exhausted | timeout | error: …
    terminal_id: int | None = None

    def proof_path(self) -> list[int]:
        if self.terminal_id is None:
            return []
        path, cur = [], self.terminal_id
        while cur is not None:
            path.append(cur)
            cur = self.nodes[cur].parent
        return path[::-1]


class BestFirstSearch:
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

    # -- priority ------------------------------------------------------------------------------
    def priority(self, node: Node) -> float:
        """α·cumlogp/T_llm + β_eff·value/T_ebm; in lazy mode an unscored node uses its parent's value."""
        c = self.config
        p = c.alpha * node.cum_log_prob / c.t_llm
        beta = c.beta_at(node.depth)
        value = node.value if node.scored else node.estimate
        if value is not None and beta > 0:
            p += beta * value / c.t_ebm
        return p

    def _candidates(self, proposed: list[Candidate]) -> list[Candidate]:
        seen = {c.tactic for c in proposed}
        extra = [Candidate(t, self.config.probe_log_prob) for t in self.probes if t not in seen]
        return list(proposed) + extra

    @property
    def uses_values(self) -> bool:
        return self.scorer is not None and self.config.beta > 0

    def _needs_value(self, node: Node) -> bool:
        return self.uses_values and not node.scored and not node.terminal

    def _score(self, nodes: list[Node], stats: SearchStats) -> Generator[list[str], tuple, None]:
        """Ask the driver for the values of ``nodes`` (one request) and record them."""
        nodes = [n for n in nodes if self._needs_value(n)]
        if not nodes:
            return
        reply: ValueReply = yield [n.pp for n in nodes]
        values = reply.values
        stats.value_s += reply.seconds
        stats.value_latencies.append(reply.seconds)
        stats.value_calls += reply.calls
        stats.encode_s += reply.encode_s
        stats.states_encoded += sum(n.pp in reply.encoded for n in nodes)
        for n, v in zip(nodes, values):
            n.scored = True
            if math.isfinite(v):
                n.value = v
                stats.states_scored += 1
            else:
                stats.scorer_failures += 1

    def score_now(self, states: list[str]) -> ValueReply:
        """Score ``states`` in calls of at most ``batch_encode_size``; a failing call gives NaN for its
        states only."""
        bs = self.config.batch_encode_size
        values: list[float] = []
        encoded: set[str] = set()
        enc0 = getattr(self.scorer, "encode_s", 0.0)
        t0 = self.clock()
        calls = 0
        for start in range(0, len(states), bs):
            chunk = states[start:start + bs]
            calls += 1
            try:
                got = [float(v) for v in self.scorer.score(chunk)]
                if len(got) != len(chunk):
                    raise ValueError(f"scorer returned {len(got)} scores for {len(chunk)} states")
            except MeasurementLeak:  # a programming error, never a search outcome
                raise
            except Exception:  # noqa: BLE001 - a broken scorer must not end the search
                got = [math.nan] * len(chunk)
            values += got
            encoded |= getattr(self.scorer, "last_encoded", set())
        return ValueReply(values, self.clock() - t0, calls, frozenset(encoded),
                          getattr(self.scorer, "encode_s", 0.0) - enc0)

    # -- search --------------------------------------------------------------------------------
    def search(self, theorem_name: str, session: Session) -> SearchResult:
        """Search one theorem, scoring its requests as they come."""
        gen = self.steps(theorem_name, session)
        try:
            request = next(gen)
            while True:
                request = gen.send(self.score_now(request))
        except StopIteration as stop:
            return stop.value

    def steps(self, theorem_name: str, session: Session) -> Generator[list[str], tuple, SearchResult]:
        """The search as a generator: yields lists of states to score, receives (values, seconds,
        calls), returns the :class:`SearchResult`. Time spent suspended is not this theorem's."""
        stats = SearchStats()
        paused = [0.0]
        t_start = self.clock()
        elapsed = lambda: self.clock() - t_start - paused[0]

        def score(nodes: list[Node]):
            gen = self._score(nodes, stats)
            try:
                request = next(gen)
            except StopIteration:
                return
            t_yield = self.clock()
            reply = yield request
            paused[0] += self.clock() - t_yield - reply.seconds  # the value time counts as this theorem's
            try:
                gen.send(reply)
            except StopIteration:
                pass

        wall0 = time.time()
        counter = itertools.count()
        root = Node(0, None, session.initial_state, "", 0, 0.0, 0.0, int(wall0 * 1000))
        nodes = [root]
        seen = {root.pp}
        yield from score([root])
        root.priority = self.priority(root)
        heap: list[tuple[float, int, int]] = [(-root.priority, next(counter), 0)]
        result = SearchResult(theorem_name, False, [], nodes, stats)

        def add_child(parent: Node, cand: Candidate, state: ProofState | None) -> Node:
            node = Node(len(nodes), parent.id, state, cand.tactic, parent.depth + 1, cand.log_prob,
                        parent.cum_log_prob + cand.log_prob, int(time.time() * 1000),
                        terminal=state is None)
            node.estimate = parent.value if parent.scored else parent.estimate
            nodes.append(node)
            stats.generated += 1
            return node

        def apply(parent: Node, cand: Candidate):
            t0 = self.clock()
            try:
                res = session.apply(parent.state, cand.tactic)
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

        try:
            reason = yield from self._loop(heap, nodes, seen, counter, stats, result, apply, add_child,
                                           elapsed, score)
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
        stats.total_s = elapsed()
        for n in nodes:
            if not n.terminal:
                n.priority = self.priority(n)
        return result

    def _loop(self, heap, nodes, seen, counter, stats, result, apply, add_child, elapsed, score):
        c = self.config
        lazy = c.value_mode == "lazy"
        bound = c.value_mode == "bound" and self.uses_values
        deferred = lazy or bound  # children are not scored when they are created
        # bound mode: unscored children wait in per-β heaps keyed by their log-prob term alone, so that
        # raising the bound (the best value seen) raises all their optimistic priorities at once
        pending: dict[float, list[tuple[float, int, int]]] = {}
        best = [nodes[0].value]  # the highest value seen in this theorem (None until one is finite)

        def resolve():
            """Score every pending child whose optimistic priority reaches the frontier's best."""
            while pending:
                top = -heap[0][0] if heap else -math.inf
                due: list[Node] = []
                for beta, h in list(pending.items()):
                    lift = math.inf if best[0] is None else beta * (best[0] + c.value_bound_margin * c.t_ebm) / c.t_ebm
                    while h and -h[0][0] + lift >= top:
                        node = nodes[heapq.heappop(h)[2]]
                        if node.depth < c.max_depth:  # deeper nodes are never expanded: never scored
                            due.append(node)
                    if not h:
                        del pending[beta]
                if not due:
                    return
                yield from score(due)
                for node in due:
                    if node.value is not None and (best[0] is None or node.value > best[0]):
                        best[0] = node.value
                    node.priority = self.priority(node)
                    heapq.heappush(heap, (-node.priority, node.id, node.id))

        def push(node: Node) -> None:
            # bound mode breaks ties by node age, which is eager's order (eager pushes nodes as they are
            # made), also for a node that waited for its value
            beta = c.beta_at(node.depth)
            if bound and self._needs_value(node) and beta > 0:
                key = c.alpha * node.cum_log_prob / c.t_llm
                heapq.heappush(pending.setdefault(beta, []), (-key, node.id, node.id))
                return
            node.priority = self.priority(node)
            heapq.heappush(heap, (-node.priority, node.id if bound else next(counter), node.id))

        reason = "frontier_exhausted"
        while heap or pending:
            if stats.expanded >= c.max_nodes:
                reason = "budget_exhausted"
                break
            if elapsed() > c.timeout_per_theorem:
                reason = "timeout"
                break
            batch: list[Node] = []
            while len(batch) < c.batch_expansion_size and stats.expanded + len(batch) < c.max_nodes:
                if bound:
                    yield from resolve()
                if not heap:
                    break
                _, _, nid = heapq.heappop(heap)
                node = nodes[nid]
                if node.depth >= c.max_depth:
                    continue
                if lazy and self._needs_value(node) and c.beta_at(node.depth) > 0:
                    yield from score([node])  # its real priority decides whether it is still the best
                    node.priority = self.priority(node)
                    heapq.heappush(heap, (-node.priority, next(counter), node.id))
                    continue
                batch.append(node)
            if not batch:
                continue
            t0 = self.clock()
            try:
                proposals = self.policy.propose([n.state for n in batch], c.num_candidates)
                if len(proposals) != len(batch):
                    raise ValueError(f"policy returned {len(proposals)} lists for {len(batch)} states")
            except MeasurementLeak:  # a programming error, never a search outcome
                raise
            except Exception as e:  # noqa: BLE001 - a policy failure leaves only the probes; counted
                stats.policy_failures += 1
                if self.first_policy_error is None:
                    self.first_policy_error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                proposals = [[] for _ in batch]
            dt = self.clock() - t0
            stats.policy_s += dt
            stats.policy_latencies.append(dt)
            stats.policy_calls += 1
            new_nodes: list[Node] = []
            done = False
            for node, proposed in zip(batch, proposals):
                node.expanded = True
                stats.expanded += 1
                cands = self._candidates(proposed)
                for i, cand in enumerate(cands):
                    res = apply(node, cand)
                    if isinstance(res, ProofComplete):
                        term = add_child(node, cand, None)
                        result.proved = True
                        result.terminal_id = term.id
                        node.untried = cands[i + 1:]
                        done = True
                        break
                    if isinstance(res, Success):
                        if res.state.pp in seen:
                            stats.loops += 1
                            continue
                        seen.add(res.state.pp)
                        new_nodes.append(add_child(node, cand, res.state))
                    elif isinstance(res, Timeout):
                        stats.tactic_timeouts += 1
                    else:
                        stats.tactic_failures += 1
                if done:
                    break
            if done:
                if c.harvest_siblings:
                    new_nodes += self._harvest(result, nodes, seen, apply, add_child)
                if not deferred:
                    yield from score(new_nodes)
                break
            if not deferred:
                yield from score(new_nodes)
            for n in new_nodes:
                push(n)
        return reason

    def _harvest(self, result: SearchResult, nodes: list[Node], seen: set, apply, add_child) -> list[Node]:
        """After a proof: apply the remaining candidates of proof-path nodes (extra hard negatives)."""
        out = []
        for nid in result.proof_path()[:-1]:
            node = nodes[nid]
            for cand in node.untried:
                res = apply(node, cand)
                if isinstance(res, Success) and res.state.pp not in seen:
                    seen.add(res.state.pp)
                    out.append(add_child(node, cand, res.state))
            node.untried = []
        return out


def search_many(theorems: Iterable, env, policy: Policy, scorer: ValueScorer | None, config: SearchConfig,
                concurrency: int = 1) -> Iterator[tuple[int, object, SearchResult | BaseException]]:
    """Search ``theorems`` with up to ``concurrency`` of them in flight, pooling their value requests
    into shared scorer calls. Yields ``(index, theorem, result)`` as each theorem finishes (in finishing
    order); ``result`` is the exception when the theorem's session could not start or the search
    crashed. Every session is closed. Each theorem's search is the same as :func:`search_theorem`'s;
    its ``value_s`` is its share of the pooled calls, by number of states."""
    pending = iter(enumerate(theorems))
    active: list[list] = []  # [index, theorem, session, generator, request]
    driver = BestFirstSearch(policy, scorer, config, probes=config.probes(env))
    # Search never consults a measurement instrument (prop's oracle, its exact distance) unless the
    # environment or the value scorer *is* one (tauto; the perfect-distance ceiling). The guard is
    # held only while this code runs, never across a yield to the caller, who annotates trajectories.
    blind = not uses_measurement(env, scorer)

    def guarded():
        return forbid_measurement("search") if blind else contextlib.nullcontext()

    def advance(item: list, reply) -> tuple | None:
        """Run one theorem until it asks for values (→ None) or finishes (→ (index, theorem, result))."""
        index, theorem, session, gen, _ = item
        try:
            with guarded():
                item[4] = next(gen) if reply is None else gen.send(reply)
        except StopIteration as stop:
            session.close()
            return index, theorem, stop.value
        except MeasurementLeak:  # a programming error, never a search outcome
            raise
        except Exception as e:  # noqa: BLE001 - recorded by the caller, the run goes on
            session.close()
            return index, theorem, e
        active.append(item)
        return None

    exhausted = False
    try:
        while True:
            while not exhausted and len(active) < concurrency:
                nxt = next(pending, None)
                if nxt is None:
                    exhausted = True
                    break
                index, theorem = nxt
                try:
                    with guarded():
                        session = env.start(theorem)
                except MeasurementLeak:  # a programming error, never a search outcome
                    raise
                except Exception as e:  # noqa: BLE001 - a theorem that cannot start is recorded
                    yield index, theorem, e
                    continue
                search = BestFirstSearch(policy, scorer, config, clock=driver.clock, probes=driver.probes)
                done = advance([index, theorem, session, search.steps(theorem.name, session), None], None)
                if done is not None:
                    yield done
            if not active:
                if exhausted:
                    return
                continue
            batch = active[:]
            active.clear()
            states = list(dict.fromkeys(s for item in batch for s in item[4]))
            with guarded():
                reply = driver.score_now(states)
            by_state = dict(zip(states, reply.values))
            total = sum(len(item[4]) for item in batch)
            for item in batch:
                share = len(item[4]) / max(total, 1)
                done = advance(item, ValueReply([by_state[s] for s in item[4]], reply.seconds * share,
                                                reply.calls, reply.encoded, reply.encode_s * share))
                if done is not None:
                    yield done
    finally:
        for item in active:
            item[3].close()
            item[2].close()


def search_theorem(theorem, env, policy: Policy, scorer: ValueScorer | None, config: SearchConfig
                   ) -> SearchResult:
    """Start a session, search with the environment's probe tactics, always close the session (no
    leaked processes). Blind to measurement instruments as :func:`search_many`."""
    blind = not uses_measurement(env, scorer)
    guard = lambda: forbid_measurement("search") if blind else contextlib.nullcontext()
    with guard():
        session = env.start(theorem)
    try:
        with guard():
            return BestFirstSearch(policy, scorer, config, probes=config.probes(env)).search(theorem.name, session)
    finally:
        session.close()


def replay(env, theorem, tactics: Sequence[str]) -> bool:
    """True iff ``tactics`` close ``theorem`` in ``env`` (every returned proof must pass this)."""
    session = env.start(theorem)
    try:
        state = session.initial_state
        for i, tac in enumerate(tactics):
            r = session.apply(state, tac)
            if isinstance(r, ProofComplete):
                return i == len(tactics) - 1
            if not isinstance(r, Success):
                return False
            state = r.state
        return False
    finally:
        session.close()
