"""The protocols search sees: environments, policies and value scorers (no torch, no jax).

Shapes follow ARCHITECTURE.md: ``Session.apply(state, tactic)`` returns one of :class:`Success`,
:class:`ProofComplete`, :class:`Failed` or :class:`Timeout`; a :class:`ProofState` carries Lean's
pretty-print ``pp`` and ``num_goals`` plus an optional backend handle.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, NamedTuple, Protocol, Sequence, Union, runtime_checkable

import numpy as np


@dataclasses.dataclass(frozen=True)
class ProofState:
    pp: str
    num_goals: int
    handle: Any = dataclasses.field(default=None, compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class Success:
    state: ProofState


@dataclasses.dataclass(frozen=True)
class ProofComplete:
    pass


@dataclasses.dataclass(frozen=True)
class Failed:
    error: str


@dataclasses.dataclass(frozen=True)
class Timeout:
    pass


TacticResult = Union[Success, ProofComplete, Failed, Timeout]


class SessionAborted(Exception):
    """Raised by ``Session.apply`` when the backend cannot go on with this theorem (e.g. Lean keeps
    timing out); search stops and records the theorem with this message as its failure reason."""


@dataclasses.dataclass(frozen=True)
class Theorem:
    """A theorem to prove. ``statement`` is a Lean header or an initial goal, per backend."""

    name: str
    statement: str
    extra: dict = dataclasses.field(default_factory=dict, compare=False)


@dataclasses.dataclass(frozen=True, order=True)
class Candidate:
    tactic: str
    log_prob: float


@runtime_checkable
class Session(Protocol):
    initial_state: ProofState

    def apply(self, state: ProofState, tactic: str) -> TacticResult: ...

    def close(self) -> None: ...


@runtime_checkable
class Environment(Protocol):
    """Starts sessions. ``probe_tactics`` (a tuple of tactic strings) is the environment's own list of
    cheap closers that search may try on every expansion; an environment knows nothing of search."""

    probe_tactics: tuple[str, ...]

    def start(self, theorem: Theorem) -> Session: ...


@runtime_checkable
class Policy(Protocol):
    def propose(self, states: Sequence[ProofState], n: int) -> list[list[Candidate]]:
        """Per state, up to ``n`` deduplicated candidates sorted by descending log-prob."""
        ...


class Parts(NamedTuple):
    """What one search process needs: built once per process (or Ray actor) by a picklable factory."""

    env: Environment
    policy: Policy
    scorer: ValueScorer | None
    oracle: Callable[[ProofState], bool] | None  # measurement only (prop): never guides search


@runtime_checkable
class ValueScorer(Protocol):
    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        """Higher = more provable (= −energy), float array of shape (len(states_pp),)."""
        ...
