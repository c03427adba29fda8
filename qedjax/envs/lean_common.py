"""What both Lean backends (``lean-repl`` and ``leandojo``) share: the probe tactics, and the session
contract for a Lean process that can hang or die.

The contract (DESIGN.md): a proof state handed to search names a backend state that is valid *only in
the Lean process that made it* (Lean's ids are per process). A timeout or a crash ends that process;
the session starts a new one, re-opens the theorem and, when a state from the dead process is used
again, replays the tactic path from the theorem's root in the new process. After ``max_restarts``
restarts the session raises :class:`~qedjax.interfaces.SessionAborted` with the reason, so search
records the theorem as failed and goes on. ``close`` always ends the process (also after an abort or a
failed start), so no Lean process outlives its theorem. ``sorry`` never counts as a proof: backends
report a tactic that leaves or introduces one as :class:`~qedjax.interfaces.Failed`.

Nothing here imports a Lean client; :class:`RestartingSession` is subclassed by each backend.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from qedjax.interfaces import (
    Failed,
    ProofComplete,
    ProofState,
    SessionAborted,
    Success,
    TacticResult,
    Timeout,
)

# Lean 4 / Mathlib closers and normalisers, tried at a fixed low log-prob on every expansion (in the
# spirit of burn-qed's 17). Environments expose them as ``env.probe_tactics``.
LEAN_PROBE_TACTICS: tuple[str, ...] = (
    "simp", "simp_all", "ring", "linarith", "nlinarith", "omega", "norm_num", "decide", "trivial",
    "rfl", "tauto", "positivity", "aesop", "field_simp", "push_neg", "contradiction", "assumption",
)


# Lean's warning on a declaration whose proof holds a sorry ('sorry' in older Lean, `sorry` in newer):
# a backend that reports a finished proof with it has not finished one.
USES_SORRY = re.compile(r"declaration uses ['`]sorry['`]")


class LeanTimeout(Exception):
    """Lean did not answer in time; its process is dead or poisoned and must be replaced."""


class LeanCrash(Exception):
    """The Lean process died or broke the protocol; it must be replaced."""


class LeanStartError(SessionAborted):
    """The theorem could not be opened in Lean (its header or statement does not elaborate, or Lean
    returned no single ``sorry`` to start from). Retrying cannot help, so the theorem fails at once."""


@dataclasses.dataclass(frozen=True)
class Handle:
    """What a :class:`ProofState` carries for a Lean backend."""

    raw: Any  # the backend's state (a REPL proof-state id, a LeanDojo TacticState)
    path: tuple[str, ...]  # tactics from the theorem's root, for replay in a new process
    generation: int  # which process (1, 2, ... within this session) made ``raw``


@dataclasses.dataclass(frozen=True)
class Step:
    """A backend's answer to a tactic that left open goals."""

    raw: Any
    pp: str
    num_goals: int


class RestartingSession:
    """The restart-and-replay contract over three backend hooks:

    * ``_launch() -> Step``: start a Lean process and open the theorem; the root state;
    * ``_run(raw, tactic) -> Step | ProofComplete | Failed``: one tactic in the current process;
    * ``_shutdown()``: end the current process (idempotent, never raises).

    ``_launch`` and ``_run`` raise :class:`LeanTimeout` / :class:`LeanCrash` when the process hangs or
    dies; anything else they raise propagates (after ``_shutdown``) to the caller.
    """

    def __init__(self, max_restarts: int):
        self.max_restarts = int(max_restarts)
        self.restarts = 0
        self.generation = 0
        self._known: dict[tuple[str, ...], Any] = {}  # path -> raw state in the current process
        try:
            root = self._boot()
        except BaseException:
            self._shutdown()
            raise
        self.initial_state = self._wrap(root, ())

    # -- backend hooks ----------------------------------------------------------------------------
    def _launch(self) -> Step:
        raise NotImplementedError

    def _run(self, raw: Any, tactic: str) -> Step | ProofComplete | Failed:
        raise NotImplementedError

    def _shutdown(self) -> None:
        raise NotImplementedError

    # -- the contract -----------------------------------------------------------------------------
    def _boot(self) -> Step:
        """Start a process and open the theorem, restarting (and counting) on timeouts and crashes."""
        while True:
            try:
                root = self._launch()
            except LeanTimeout as e:
                self._count_restart(f"opening the theorem timed out ({e})")
                continue
            except LeanCrash as e:
                self._count_restart(f"Lean crashed while opening the theorem ({e})")
                continue
            self.generation += 1
            self._known = {(): root.raw}
            return root

    def _count_restart(self, why: str) -> None:
        self._shutdown()
        self.restarts += 1
        if self.restarts > self.max_restarts:
            raise SessionAborted(f"{why}; Lean restarted {self.max_restarts} times, giving up")

    def _restart(self, why: str) -> None:
        """The process is poisoned (timeout) or dead (crash): replace it; states it made go stale."""
        self._count_restart(why)
        self._boot()

    def _wrap(self, step: Step, path: tuple[str, ...]) -> ProofState:
        return ProofState(pp=step.pp, num_goals=step.num_goals,
                          handle=Handle(step.raw, tuple(path), self.generation))

    def _guarded(self, raw: Any, tactic: str) -> Step | TacticResult:
        try:
            return self._run(raw, tactic)
        except LeanTimeout:
            self._restart("tactic timeout")
            return Timeout()
        except LeanCrash as e:
            self._restart(f"Lean crashed ({e})")
            return Failed(f"Lean crashed: {e}")

    def _resolve(self, handle: Handle) -> Any | None:
        """The backend state for ``handle`` in the *current* process: itself if this process made
        it, else the path replayed from the longest prefix already known here (None if it fails)."""
        if handle.generation == self.generation:
            return handle.raw
        path = handle.path
        k = len(path)
        while path[:k] not in self._known:
            k -= 1
        raw = self._known[path[:k]]
        for i in range(k, len(path)):
            generation = self.generation
            out = self._guarded(raw, path[i])
            if self.generation != generation or not isinstance(out, Step):
                return None
            raw = out.raw
            self._known[path[:i + 1]] = raw
        return raw

    def apply(self, state: ProofState, tactic: str) -> TacticResult:
        handle: Handle = state.handle
        raw = self._resolve(handle)
        if raw is None:
            return Failed("could not replay the tactic path after a Lean restart")
        out = self._guarded(raw, tactic)
        if isinstance(out, Step):
            path = handle.path + (tactic,)
            self._known.setdefault(path, out.raw)
            return Success(self._wrap(out, path))
        return out

    def close(self) -> None:
        self._shutdown()
