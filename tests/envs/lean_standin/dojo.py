"""A scripted stand-in for ``lean_dojo.Dojo`` that returns lean-dojo's own result and exception classes.

One ``ScriptedDojo`` is one Lean process. As in LeanDojo, a ``TacticState`` is addressed by its id,
and ids are handed out per process (0, 1, 2, … in order), so a state from another process is either
unknown here or — when its number exists here — a *different* state. Transitions come from traced
tactics ``{state_before, tactic, state_after}`` (``"no goals"`` = proof finished).

Faults: ``sleep N`` hangs (``DojoTacticTimeoutError``; the process stays poisoned), ``crash!`` kills
the process (``DojoCrashError``), and :class:`DojoWorld` rules ``(tactic, "hang"|"die", K)`` do the
same on any tactic in the K-th process started (K None = every process).
"""

from __future__ import annotations

import dataclasses
import re

import lean_dojo as ld


@dataclasses.dataclass
class DojoWorld:
    """Counters and faults shared by the scripted processes of one test."""

    faults: list[tuple[str, str, int | None]] = dataclasses.field(default_factory=list)
    started: int = 0
    live: int = 0

    def fault(self, tactic: str, ordinal: int) -> str | None:
        for tac, action, k in self.faults:
            if tac == tactic and k in (None, ordinal):
                return action
        return None


class ScriptedDojo:
    def __init__(self, traced: list[dict], world: DojoWorld, fail_init: bool = False):
        self.tt = traced
        self.world = world
        self.fail_init = fail_init
        self.states: dict[int, str] = {}
        self.alive = False
        self.poisoned = False
        self.ordinal = 0

    def _new_state(self, pp: str) -> ld.TacticState:
        sid = len(self.states)
        self.states[sid] = pp
        return ld.TacticState(pp, sid)

    def __enter__(self):
        if self.fail_init:
            raise ld.DojoInitError("scripted: cannot initialise")
        self.world.started += 1
        self.world.live += 1
        self.ordinal = self.world.started
        self.alive = True
        return self, self._new_state(self.tt[0]["state_before"])

    def _end(self) -> None:
        if self.alive:
            self.alive = False
            self.world.live -= 1

    def __exit__(self, *exc):
        self._end()

    def run_tac(self, state, tactic):
        if not self.alive:
            raise ld.DojoCrashError("the Lean process has exited")
        action = self.world.fault(tactic, self.ordinal)
        if self.poisoned or action == "hang" or re.fullmatch(r"sleep \d+", tactic):
            self.poisoned = True
            raise ld.DojoTacticTimeoutError()
        if action == "die" or tactic == "crash!":
            self._end()
            raise ld.DojoCrashError("scripted crash")
        pp = self.states.get(state.id)
        if pp is None:
            return ld.LeanError(f"Unknown tactic state ID {state.id}")
        if re.search(r"\b(sorry|admit)\b", tactic):
            return ld.ProofGivenUp()
        for t in self.tt:
            if t["state_before"] == pp and t["tactic"] == tactic:
                if t["state_after"] == "no goals":
                    return ld.ProofFinished(len(self.states))
                return self._new_state(t["state_after"])
        return ld.LeanError(f"<stdin>:1:0: unknown tactic {tactic!r}")
