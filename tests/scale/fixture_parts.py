"""Worker-side parts for the executor tests (importable by spawned processes and Ray actors)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from qedjax.app.parts import PartsSpec, build_parts
from qedjax.interfaces import Parts

VICTIM = "theorem victim (zz : Prop) : zz → zz"  # the worker searching this one dies


def counting_parts(log: str) -> Parts:
    """Parts built by ``build_parts``; every build appends this process's id to ``log``."""
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    return build_parts(PartsSpec())


class _DyingPolicy:
    """Delegates to a real policy, but SIGKILLs its own process when asked about the victim."""

    def __init__(self, inner):
        self.inner = inner

    def propose(self, states, n):
        if any("zz" in s.pp for s in states):
            os.kill(os.getpid(), signal.SIGKILL)
        return self.inner.propose(states, n)


def dying_parts() -> Parts:
    env, policy, scorer, oracle = build_parts(PartsSpec())
    return Parts(env, _DyingPolicy(policy), scorer, oracle)


def lines(path: str | Path) -> list[str]:
    p = Path(path)
    return p.read_text(encoding="utf-8").splitlines() if p.exists() else []
