"""Lean 4 through LeanDojo (extra ``lean``: ``lean-dojo==4.20.0``). ``lean_dojo`` is imported only here,
lazily, when a session starts (its import reads ``.env`` and sets up Ray and GitHub access).

One ``Dojo`` (one Lean process) per theorem. ``run_tac`` results map to Success / ProofComplete /
Failed; a ``ProofFinished`` counts only when the proof has no ``sorry`` (``ProofGivenUp``, or a
``ProofFinished`` whose message is Lean's "declaration uses `sorry`" warning, is a failure). A
``DojoTacticTimeoutError`` or ``DojoCrashError`` ends the process: the session starts a new ``Dojo``
and replays the tactic path whenever a state of the dead one is used again (LeanDojo's state
ids are per process), and after ``max_restarts`` raises so that the theorem is recorded with the
reason — the contract in :mod:`qedjax.envs.lean_common`, shared with ``--env lean-repl``.
``DojoInitError`` (and a crash while the ``Dojo`` starts) propagate to the runner, which records the
theorem as an error and goes on. ``close`` always exits the Dojo context.
"""

from __future__ import annotations

from typing import Any

from qedjax.envs.lean_common import (
    LEAN_PROBE_TACTICS,
    USES_SORRY,
    LeanCrash,
    LeanTimeout,
    RestartingSession,
    Step,
)
from qedjax.interfaces import Failed, ProofComplete, Theorem


class LeanDojoSession(RestartingSession):
    def __init__(self, theorem: Theorem, timeout: int, max_restarts: int, dojo_factory=None):
        import lean_dojo  # noqa: F401 - lazy, see module docstring

        self._ld = lean_dojo
        self.theorem = theorem
        self.timeout = timeout
        self._factory = dojo_factory or self._default_factory
        self._ctx = None
        self._dojo = None
        super().__init__(max_restarts)

    def _default_factory(self):
        ld = self._ld
        extra = self.theorem.extra
        repo = ld.LeanGitRepo(extra["url"], extra["commit"])
        thm = ld.Theorem(repo, extra["file_path"], extra["full_name"])
        return ld.Dojo(thm, timeout=self.timeout)

    def _launch(self) -> Step:
        ctx = self._factory()
        self._dojo, init = ctx.__enter__()  # a failed __enter__ cleans up after itself
        self._ctx = ctx
        return Step(init, init.pp, init.num_goals)

    def _run(self, raw: Any, tactic: str) -> Step | ProofComplete | Failed:
        ld = self._ld
        try:
            res = self._dojo.run_tac(raw, tactic)
        except ld.DojoTacticTimeoutError as e:
            raise LeanTimeout(str(e) or "tactic timeout") from None
        except ld.DojoCrashError as e:
            raise LeanCrash(str(e) or "DojoCrashError") from None
        if isinstance(res, ld.ProofFinished):
            if USES_SORRY.search(res.message or ""):
                return Failed("proof contains `sorry` (not accepted as a proof)")
            return ProofComplete()
        if isinstance(res, ld.ProofGivenUp):
            return Failed("proof contains `sorry` (not accepted as a proof)")
        if isinstance(res, ld.LeanError):
            return Failed(res.error)
        if isinstance(res, ld.TacticState):
            return Step(res, res.pp, res.num_goals)
        return Failed(f"unexpected LeanDojo result {type(res).__name__}")

    def _shutdown(self) -> None:
        ctx, self._ctx, self._dojo = self._ctx, None, None
        if ctx is not None:
            try:
                ctx.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - the process may already be dead
                pass


class LeanDojoEnvironment:
    name = "leandojo"
    probe_tactics: tuple[str, ...] = LEAN_PROBE_TACTICS

    def __init__(self, timeout: int = 30, max_restarts: int = 3, dojo_factory=None):
        self.timeout = int(timeout)
        self.max_restarts = max_restarts
        self.dojo_factory = dojo_factory

    def start(self, theorem: Theorem) -> LeanDojoSession:
        factory = (lambda: self.dojo_factory(theorem)) if self.dojo_factory is not None else None
        return LeanDojoSession(theorem, self.timeout, self.max_restarts, factory)
