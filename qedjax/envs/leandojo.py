"""Lean 4 through LeanDojo (extra ``lean``: ``lean-dojo==4.20.0``). ``lean_dojo`` is imported only here,
lazily, when a session starts (its import reads ``.env`` and sets up Ray and GitHub access).

One ``Dojo`` per theorem. ``run_tac`` results map to Success / ProofComplete / Failed; a
``ProofFinished`` counts only when the proof has no ``sorry`` (``ProofGivenUp`` is a failure). A
``DojoTacticTimeoutError`` poisons the Lean process, so the session restarts it and replays the
tactic path to the state; if that fails the tactic is a Timeout and, after ``max_restarts``, the
session raises so that the theorem is recorded with the reason. ``DojoCrashError`` / ``DojoInitError``
when starting propagate to the runner, which records the theorem as an error and goes on.
``close`` always exits the Dojo context, so no Lean process outlives its theorem.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from qedjax.interfaces import (
    Failed,
    ProofComplete,
    ProofState,
    SessionAborted,
    Success,
    TacticResult,
    Theorem,
    Timeout,
)

# Lean 4 / Mathlib closers and normalisers (in the spirit of burn-qed's 17 probe tactics).
LEAN_PROBE_TACTICS = (
    "simp", "simp_all", "ring", "linarith", "nlinarith", "omega", "norm_num", "decide", "trivial",
    "rfl", "tauto", "positivity", "aesop", "field_simp", "push_neg", "contradiction", "assumption",
)


@dataclasses.dataclass(frozen=True)
class _Handle:
    dojo_state: Any  # lean_dojo TacticState
    path: tuple[str, ...]  # tactics from the initial state (for replay after a restart)
    generation: int  # which Dojo process produced dojo_state


class LeanDojoSession:
    def __init__(self, theorem: Theorem, timeout: int, max_restarts: int, dojo_factory=None):
        import lean_dojo  # noqa: F401 - lazy, see module docstring

        self._ld = lean_dojo
        self.theorem = theorem
        self.timeout = timeout
        self.max_restarts = max_restarts
        self.restarts = 0
        self._factory = dojo_factory or self._default_factory
        self._ctx = None
        self._dojo = None
        self.generation = 0
        init = self._start()
        self.initial_state = self._wrap(init, ())

    def _default_factory(self):
        ld = self._ld
        extra = self.theorem.extra
        repo = ld.LeanGitRepo(extra["url"], extra["commit"])
        thm = ld.Theorem(repo, extra["file_path"], extra["full_name"])
        return ld.Dojo(thm, timeout=self.timeout)

    def _start(self):
        self._ctx = self._factory()
        self._dojo, init = self._ctx.__enter__()
        self.generation += 1
        self._init_state = init
        return init

    def _exit(self) -> None:
        if self._ctx is not None:
            try:
                self._ctx.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - the process may already be dead
                pass
        self._ctx = self._dojo = None

    def _wrap(self, dojo_state, path) -> ProofState:
        return ProofState(pp=dojo_state.pp, num_goals=dojo_state.num_goals,
                          handle=_Handle(dojo_state, tuple(path), self.generation))

    def _restart(self, why: str) -> None:
        """The Lean process is poisoned (timeout) or dead (crash): start a fresh one."""
        self._exit()
        self.restarts += 1
        if self.restarts > self.max_restarts:
            raise SessionAborted(f"{why}; Lean restarted {self.max_restarts} times, giving up")
        self._start()

    def _replay(self, path: tuple[str, ...]):
        """Re-run ``path`` in the current Lean process; the dojo state, or None if it fails."""
        ld = self._ld
        state = self._init_state
        for tac in path:
            try:
                state = self._dojo.run_tac(state, tac)
            except (ld.DojoTacticTimeoutError, ld.DojoCrashError):
                return None
            if not isinstance(state, ld.TacticState):
                return None
        return state

    def apply(self, state: ProofState, tactic: str) -> TacticResult:
        ld = self._ld
        handle: _Handle = state.handle
        dojo_state = handle.dojo_state
        if handle.generation != self.generation:  # made by a process that has since been restarted
            dojo_state = self._replay(handle.path)
            if dojo_state is None:
                return Failed("could not replay the tactic path after a Lean restart")
        try:
            res = self._dojo.run_tac(dojo_state, tactic)
        except ld.DojoTacticTimeoutError:
            self._restart("tactic timeout")
            return Timeout()
        except ld.DojoCrashError as e:
            self._restart(f"Lean crashed ({e})")
            return Failed(f"Lean crashed: {e}")
        if isinstance(res, ld.ProofFinished):
            return ProofComplete()
        if isinstance(res, ld.ProofGivenUp):
            return Failed("proof contains `sorry` (not accepted as a proof)")
        if isinstance(res, ld.LeanError):
            return Failed(res.error)
        if isinstance(res, ld.TacticState):
            return Success(self._wrap(res, handle.path + (tactic,)))
        return Failed(f"unexpected LeanDojo result {type(res).__name__}")

    def close(self) -> None:
        self._exit()


class LeanDojoEnvironment:
    name = "leandojo"
    probe_tactics = LEAN_PROBE_TACTICS

    def __init__(self, timeout: int = 30, max_restarts: int = 3, dojo_factory=None):
        self.timeout = int(timeout)
        self.max_restarts = max_restarts
        self.dojo_factory = dojo_factory

    def start(self, theorem: Theorem) -> LeanDojoSession:
        factory = (lambda: self.dojo_factory(theorem)) if self.dojo_factory is not None else None
        return LeanDojoSession(theorem, self.timeout, self.max_restarts, factory)
