"""Search drivers: one theorem (:func:`search_theorem`), or many interleaved with their requests pooled
(:func:`search_many`), plus :func:`replay`, which checks a proof (no torch, no jax).

The search itself lives beside this module, one idea per file:

* :mod:`~qedjax.search.tree` — nodes, statistics and the result;
* :mod:`~qedjax.search.requests` — what a search asks its driver for and how requests are answered;
* :mod:`~qedjax.search.base` — what every search shares: the tree of one theorem, the expansion step;
* :mod:`~qedjax.search.best_first` with :mod:`~qedjax.search.frontier` — best-first search and its
  frontiers (eager, lazy and bound value modes);
* :mod:`~qedjax.search.puct` — PUCT search (``SearchConfig.algorithm = "puct"``).

A search is a generator that yields the requests it needs answered (policy candidates, values), so one
driver can serve one theorem or interleave many and answer their requests together — one policy call
and one round of scorer calls per round: the encoder and a language-model policy then run on large
batches, where they are several times faster per state than on the few states one theorem asks for.
"""

from __future__ import annotations

import contextlib
from typing import Iterable, Iterator, Sequence

from qedjax.errors import ConfigError
from qedjax.guard import MeasurementLeak, forbid_measurement, uses_measurement
from qedjax.interfaces import Policy, ProofComplete, Success, ValueScorer
from qedjax.search.base import TreeSearch
from qedjax.search.best_first import BestFirstSearch
from qedjax.search.config import SearchConfig
from qedjax.search.puct import PUCTSearch
from qedjax.search.requests import Server, ValueReply
from qedjax.search.tree import Node, SearchResult, SearchStats

__all__ = ["BestFirstSearch", "Node", "PUCTSearch", "SearchResult", "SearchStats", "ValueReply", "make_search", "replay",
           "search_many", "search_theorem"]


def make_search(policy: Policy, scorer: ValueScorer | None, config: SearchConfig, probes: Sequence[str] = (),
                **kw) -> TreeSearch:
    """The search ``config.algorithm`` names, over these parts."""
    cls = PUCTSearch if config.algorithm == "puct" else BestFirstSearch
    return cls(policy, scorer, config, probes=probes, **kw)


def search_many(theorems: Iterable, env, policy: Policy, scorer: ValueScorer | None, config: SearchConfig,
                concurrency: int = 1) -> Iterator[tuple[int, object, SearchResult | BaseException]]:
    """Search ``theorems`` with up to ``concurrency`` of them in flight, answering the requests of all of
    them together in each round (:meth:`~qedjax.search.requests.Server.serve`). Yields
    ``(index, theorem, result)`` as each theorem finishes (in finishing order); ``result`` is the
    exception when the theorem's session could not start or the search crashed. Every session is
    closed. Each theorem's search is the same as :func:`search_theorem`'s (for a policy and a scorer that
    are functions of the state); its ``policy_s`` and ``value_s`` are its shares of the pooled calls, by
    number of states."""
    pending = iter(enumerate(theorems))
    active: list[list] = []  # [index, theorem, session, generator, request]
    server = Server(policy, scorer, config.batch_encode_size)
    probes = config.probes(env)
    # Search never consults a measurement instrument (prop's oracle, its exact distance) unless the
    # environment or the value scorer *is* one (tauto; the perfect-distance ceiling). The guard is
    # held only while this code runs, never across a yield to the caller, who annotates trajectories.
    blind = not uses_measurement(env, scorer)

    def guarded():
        return forbid_measurement("search") if blind else contextlib.nullcontext()

    def advance(item: list, reply) -> tuple | None:
        """Run one theorem until its next request (→ None) or its end (→ (index, theorem, result))."""
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
                except (MeasurementLeak, ConfigError):  # a programming error, or a setup that fails
                    raise  # every theorem alike (e.g. no Lean REPL build): never a search outcome
                except Exception as e:  # noqa: BLE001 - a theorem that cannot start is recorded
                    yield index, theorem, e
                    continue
                search = make_search(policy, scorer, config, probes, clock=server.clock)
                done = advance([index, theorem, session, search.steps(theorem.name, session), None], None)
                if done is not None:
                    yield done
            if not active:
                if exhausted:
                    return
                continue
            batch = active[:]
            active.clear()
            with guarded():
                replies = server.serve([item[4] for item in batch])
            for item, reply in zip(batch, replies):
                done = advance(item, reply)
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
            return make_search(policy, scorer, config, config.probes(env)).search(theorem.name, session)
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
