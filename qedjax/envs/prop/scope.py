"""The local context a term sees while it is elaborated (``elab.py``): the goal's hypotheses plus the
binders opened inside the term, with Lean's shadowing by order."""

from __future__ import annotations

from qedjax.envs.prop.state import Hyp
from qedjax.envs.prop.syntax import Let

__all__ = ["Scope", "add_hyp"]


def add_hyp(context: list[Hyp], hyp: Hyp) -> None:
    """Append ``hyp`` (an earlier declaration of the same name is then shadowed)."""
    context.append(hyp)


class Scope:
    """The local context a term sees: the goal's hypotheses plus binders opened inside the term."""

    __slots__ = ("hyps",)

    def __init__(self, context):
        self.hyps = list(context)

    def lookup(self, name: str) -> Hyp | None:
        for h in reversed(self.hyps):
            if h.name == name and h.accessible:
                return h
        return None

    def is_var(self, name: str):
        """True for a proposition variable, its :class:`Let` for a local definition, else False."""
        h = self.lookup(name)
        if h is None or h.type is not None:
            return False
        return True if h.value is None else Let(name, h.value)

    def push(self, hyp: Hyp) -> None:
        add_hyp(self.hyps, hyp)

    def snapshot(self) -> list[Hyp]:
        return list(self.hyps)

    def restore(self, snap: list[Hyp]) -> None:
        self.hyps = snap
