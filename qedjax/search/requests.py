"""What a search asks its driver for, and how the driver answers: one call per kind of request.

A search is a generator (:meth:`qedjax.search.base.TreeSearch.steps`). It yields a
:class:`PolicyRequest` when it needs candidate tactics for the nodes it expands and a
:class:`ValueRequest` when it needs values, and is sent a :class:`PolicyReply` or a
:class:`ValueReply` back. :meth:`Server.serve` answers a list of requests — one theorem's, or one
from each theorem in flight — with **one** ``policy.propose`` call for all the policy requests and
one round of scorer calls (at most ``batch_encode_size`` states each) for all the value requests.
Both kinds are deduplicated by pretty-print, so a deterministic policy and scorer (functions of the
state) give every search the same answers pooled or not.

Each reply carries its request's share of the call's wall time (by number of states), so a theorem's
``policy_s`` and ``value_s`` add up to the calls' time over all theorems. A call that raises — or
returns the wrong number of results — is a failure for every request in it: the policy's searches go
on with the probe tactics alone, the scorer's states get NaN (no value); a search counts both.
"""

from __future__ import annotations

import math
import time
from typing import Callable, NamedTuple, Sequence, Union

from qedjax.guard import MeasurementLeak
from qedjax.interfaces import Candidate, Policy, ProofState, ValueScorer


class ValueRequest(NamedTuple):
    states: list[str]  # pretty-prints to score


class PolicyRequest(NamedTuple):
    states: list[ProofState]  # the states being expanded
    n: int  # candidates per state


class ValueReply(NamedTuple):
    """What a search receives for a value request."""

    values: list[float]  # one per requested state; NaN = no value
    seconds: float  # this request's share of the scorer's wall time
    calls: int  # scorer calls it took part in
    encoded: frozenset  # states the scorer had to encode (not in its memo)
    encode_s: float  # this request's share of the encoding time


class PolicyReply(NamedTuple):
    """What a search receives for a policy request."""

    proposals: list[list[Candidate]]  # one list per requested state (all empty when the call failed)
    seconds: float  # this request's share of the policy call's wall time
    calls: int  # policy calls it took part in
    error: str | None = None  # the failed call's exception in one line, None when it succeeded


Request = Union[ValueRequest, PolicyRequest]
Reply = Union[ValueReply, PolicyReply]


def error_line(e: BaseException) -> str:
    text = str(e)
    return f"{type(e).__name__}: {text.splitlines()[0] if text else ''}"


class Server:
    """Answers search requests with the one policy and the one scorer of a process."""

    def __init__(self, policy: Policy, scorer: ValueScorer | None, batch_encode_size: int,
                 clock: Callable[[], float] = time.perf_counter):
        self.policy = policy
        self.scorer = scorer
        self.batch_encode_size = batch_encode_size
        self.clock = clock

    def serve(self, requests: Sequence[Request]) -> list[Reply]:
        """One reply per request, in order: one policy call per ``n``, one round of scorer calls."""
        replies: list[Reply | None] = [None] * len(requests)
        values = [i for i, r in enumerate(requests) if isinstance(r, ValueRequest)]
        if values:
            for i, reply in zip(values, self._values([requests[i] for i in values])):
                replies[i] = reply
        policy = [i for i, r in enumerate(requests) if isinstance(r, PolicyRequest)]
        for n in dict.fromkeys(requests[i].n for i in policy):
            same_n = [i for i in policy if requests[i].n == n]
            for i, reply in zip(same_n, self._proposals([requests[i] for i in same_n], n)):
                replies[i] = reply
        missing = [type(requests[i]).__name__ for i, r in enumerate(replies) if r is None]
        if missing:
            raise TypeError(f"not a search request: {missing[0]}")
        return replies

    # -- value ---------------------------------------------------------------------------------
    def _values(self, requests: list[ValueRequest]) -> list[ValueReply]:
        states = list(dict.fromkeys(s for r in requests for s in r.states))
        reply = self.score(states)
        by_state = dict(zip(states, reply.values))
        total = max(sum(len(r.states) for r in requests), 1)
        return [ValueReply([by_state[s] for s in r.states], reply.seconds * len(r.states) / total,
                           reply.calls, reply.encoded, reply.encode_s * len(r.states) / total)
                for r in requests]

    def score(self, states: list[str]) -> ValueReply:
        """Score ``states`` in calls of at most ``batch_encode_size``; a failing call gives NaN for its
        states only."""
        bs = self.batch_encode_size
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

    # -- policy --------------------------------------------------------------------------------
    def _proposals(self, requests: list[PolicyRequest], n: int) -> list[PolicyReply]:
        unique: dict[str, ProofState] = {}
        for r in requests:
            for s in r.states:
                unique.setdefault(s.pp, s)
        t0 = self.clock()
        error = None
        try:
            got = self.policy.propose(list(unique.values()), n)
            if len(got) != len(unique):
                raise ValueError(f"policy returned {len(got)} lists for {len(unique)} states")
        except MeasurementLeak:  # a programming error, never a search outcome
            raise
        except Exception as e:  # noqa: BLE001 - a policy failure leaves only the probes; counted
            error = error_line(e)
            got = [[] for _ in unique]
        seconds = self.clock() - t0
        by_state = dict(zip(unique, got))
        total = max(sum(len(r.states) for r in requests), 1)
        return [PolicyReply([by_state[s.pp] for s in r.states], seconds * len(r.states) / total, 1, error)
                for r in requests]
