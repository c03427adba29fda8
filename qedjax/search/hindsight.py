"""Keep searching after the first proof, to collect every proof the budget can find (training data).

``ContinueAfterProof(env)`` wraps any environment: a tactic that completes the proof is recorded
(``closing``: theorem → {state pp: tactic}) and reported to search as a failure, so best-first
search spends its whole node budget and every proof found along the way is kept as a label. The
tree it builds is the first-proof tree extended (the same expansions up to the first proof).
Use it for training searches only; an evaluation must stop at its first proof.
"""

from __future__ import annotations

from qedjax.interfaces import Failed, ProofComplete, ProofState, TacticResult, Theorem

CLOSED_MESSAGE = "proof complete (recorded; search continues)"


class _Session:
    def __init__(self, inner, record: dict[str, str]):
        self.inner = inner
        self.record = record
        self.initial_state = inner.initial_state

    def apply(self, state: ProofState, tactic: str) -> TacticResult:
        res = self.inner.apply(state, tactic)
        if isinstance(res, ProofComplete):
            self.record.setdefault(state.pp, tactic)
            return Failed(CLOSED_MESSAGE)
        return res

    def close(self) -> None:
        self.inner.close()


class ContinueAfterProof:
    """An environment whose sessions never end the search on a proof; proofs are recorded."""

    def __init__(self, env):
        self.env = env
        self.closing: dict[str, dict[str, str]] = {}

    def start(self, theorem: Theorem) -> _Session:
        return _Session(self.env.start(theorem), self.closing.setdefault(theorem.name, {}))
