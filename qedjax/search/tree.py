"""What a search builds and returns: its nodes, its statistics and its result (no torch, no jax)."""

from __future__ import annotations

import dataclasses

from qedjax.interfaces import Candidate, ProofState


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
    visits: int | None = None  # PUCT: simulations through this node (None: best-first, which has none)
    q_value: float | None = None  # PUCT: mean value backed up through it (None when never visited)

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
