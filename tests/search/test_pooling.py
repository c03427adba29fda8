"""Pooled requests: the policy and value requests of concurrent theorems are answered together, one
policy call and one round of scorer calls per round, with the same trees as one theorem at a time."""

import numpy as np
import pytest

from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
from qedjax.envs.prop.bench import load_index
from qedjax.interfaces import Candidate, ProofState, Theorem
from qedjax.search.config import SearchConfig
from qedjax.search.engine import search_many
from qedjax.search.requests import PolicyReply, PolicyRequest, Server, ValueReply, ValueRequest
from tests.search.test_engine import CountingScorer, GraphPolicy, GraphSession

NOPROBE = dict(probe_tactics="none")


class CountingPolicy:
    """Wraps a policy and records the states of every call."""

    def __init__(self, inner, fail_on_call: int | None = None):
        self.inner, self.calls, self.fail_on_call = inner, [], fail_on_call

    def propose(self, states, n):
        self.calls.append([s.pp for s in states])
        if len(self.calls) == self.fail_on_call:
            raise RuntimeError("CUDA out of memory")
        return self.inner.propose(states, n)


def tree_of(result):
    return result.proved, result.proof, [(n.pp, n.tactic, n.parent, n.value, n.expanded) for n in result.nodes]


def prop_theorems(k=16):
    rows = load_index(split="valid")[::7][:k]
    return [Theorem(r["name"], r["statement"]) for r in rows]


@pytest.mark.parametrize("mode,bes,algorithm", [("eager", 1, "best-first"), ("lazy", 2, "best-first"),
                                                ("bound", 1, "best-first"), ("eager", 2, "puct")])
def test_pooled_policy_calls_give_the_trees_of_one_theorem_at_a_time(mode, bes, algorithm):
    env, ths = PropEnvironment(), prop_theorems()
    out = {}
    for conc in (1, len(ths)):
        policy = CountingPolicy(HeuristicPolicy(seed=3))
        cfg = SearchConfig(max_nodes=12, num_candidates=6, value_mode=mode, batch_expansion_size=bes,
                           batch_encode_size=64, algorithm=algorithm, t_ebm=20.0)
        got = {t.name: r for _, t, r in search_many(ths, env, policy, CountingScorer(), cfg, conc)}
        out[conc] = ({k: tree_of(r) for k, r in got.items()}, policy.calls,
                     sum(r.stats.policy_calls for r in got.values()))
    (trees1, calls1, requests1), (trees_k, calls_k, requests_k) = out[1], out[len(ths)]
    assert trees1 == trees_k  # the same searches, whatever the pooling
    assert requests1 == requests_k == len(calls1)  # unpooled: one call per request
    assert len(calls_k) < len(calls1) / 2  # pooled: far fewer calls …
    assert max(map(len, calls_k)) > 4 * bes  # … each serving several theorems


def test_one_policy_call_per_round_across_theorems():
    # K theorems on graphs of their own (no state shared): every round, each theorem still searching
    # asks for candidates, and all of them are answered by one call
    k = 5
    graph, logp = {}, {}
    for i in range(k):
        depth = 2 + i  # theorem i needs 2 + i steps
        for d in range(depth):
            nxt = "QED" if d == depth - 1 else f"t{i}s{d + 1}"
            graph[f"t{i}s{d}"] = {"go": nxt, "no": f"t{i}dead{d}"}
            logp[(f"t{i}s{d}", "go")], logp[(f"t{i}s{d}", "no")] = -0.5, -10.0
    policy = CountingPolicy(GraphPolicy(graph, logp))

    class Env:
        probe_tactics = ()

        def start(self, theorem):
            return GraphSession(graph, start=f"{theorem.name}s0")

    ths = [Theorem(f"t{i}", "") for i in range(k)]
    got = {t.name: r for _, t, r in search_many(ths, Env(), policy, None, SearchConfig(**NOPROBE), k)}
    assert all(r.proved for r in got.values())
    expansions = [got[f"t{i}"].stats.policy_calls for i in range(k)]
    assert expansions == [2, 3, 4, 5, 6]
    assert len(policy.calls) == max(expansions)  # one call per round
    assert [len(c) for c in policy.calls] == [5, 5, 4, 3, 2, 1]  # every theorem still searching


def test_a_failing_pooled_policy_call_leaves_the_probes_and_is_counted():
    # every theorem's second expansion is in the one failing call: each falls back on the probe
    # tactic "done", proves its theorem with it, and counts one policy failure
    graph = {}
    for i in range(4):
        graph[f"t{i}s0"] = {"a": f"t{i}A"}
        graph[f"t{i}A"] = {"x": f"t{i}X", "done": "QED"}
    pol = GraphPolicy({k: {t: v for t, v in kids.items() if t != "done"} for k, kids in graph.items()}, {})
    policy = CountingPolicy(pol, fail_on_call=2)

    class Env:
        probe_tactics = ("done",)

        def start(self, theorem):
            return GraphSession(graph, start=f"{theorem.name}s0")

    ths = [Theorem(f"t{i}", "") for i in range(4)]
    got = [r for _, _, r in search_many(ths, Env(), policy, None, SearchConfig(), concurrency=4)]
    assert len(policy.calls) == 2 and len(policy.calls[1]) == 4
    for r in got:
        assert r.proved and r.proof == ["a", "done"] and r.failure_reason == "proved"
        assert r.stats.policy_calls == 2 and r.stats.policy_failures == 1
        assert [n.pp for n in r.nodes if n.parent == 1] == [""]  # only the probe was applied at A


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_server_answers_each_kind_with_one_call_and_shares_its_time_by_states():
    clock = FakeClock()
    seen = {"policy": [], "value": []}

    class Policy:
        def propose(self, states, n):
            seen["policy"].append(([s.pp for s in states], n))
            clock.t += 8.0
            return [[Candidate(s.pp + "!", -1.0)] for s in states]

    class Scorer:
        def score(self, states):
            seen["value"].append(list(states))
            clock.t += 4.0
            return np.array([float(len(s)) for s in states])

    st = lambda pp: ProofState(pp, 1)  # noqa: E731
    requests = [PolicyRequest([st("a")], 3), ValueRequest(["xx", "y"]), PolicyRequest([st("b"), st("a"), st("c")], 3),
                ValueRequest(["y", "zzz"])]
    replies = Server(Policy(), Scorer(), batch_encode_size=64, clock=clock).serve(requests)
    assert seen["policy"] == [(["a", "b", "c"], 3)]  # one call, each state once
    assert seen["value"] == [["xx", "y", "zzz"]]
    p1, v1, p2, v2 = replies
    assert isinstance(p1, PolicyReply) and isinstance(v1, ValueReply)
    assert [c.tactic for c in p2.proposals[1]] == ["a!"] and p1.proposals == [p2.proposals[1]]
    assert (p1.seconds, p2.seconds) == (2.0, 6.0)  # 8 s shared by 1 and 3 states
    assert (v1.seconds, v2.seconds) == (2.0, 2.0) and v2.values == [1.0, 3.0]
    assert p1.calls == p2.calls == v1.calls == 1 and p1.error is None


def test_server_reports_a_policy_that_returns_the_wrong_number_of_lists_as_a_failure():
    class Short:
        def propose(self, states, n):
            return [[Candidate("t", -1.0)]]

    replies = Server(Short(), None, 8).serve([PolicyRequest([ProofState("a", 1)], 2),
                                              PolicyRequest([ProofState("b", 1)], 2)])
    for r in replies:
        assert r.proposals == [[]] and r.error == "ValueError: policy returned 1 lists for 2 states"
