"""The local context a term sees while it is elaborated (``elab.py``): the goal's hypotheses plus the
binders opened inside the term, with Lean's shadowing by order."""

from __future__ import annotations

from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.state import Hyp
from qedjax.envs.prop.syntax import Let

__all__ = ["Scope", "add_hyp", "within"]


def add_hyp(context: list[Hyp], hyp: Hyp) -> None:
    """Append ``hyp`` (an earlier declaration of the same name is then shadowed)."""
    context.append(hyp)


class Scope:
    """The local context a term sees: the goal's hypotheses plus binders opened inside the term.
    ``defs``: the file's definitions of propositions (``def P : Prop := …``), constants a term may name;
    a local of the same name (which would shadow one, as in Lean) is refused: formulas could no longer
    tell the two apart."""

    __slots__ = ("hyps", "defs")

    def __init__(self, context, defs=None):
        self.hyps = list(context)
        self.defs = defs
        if defs:
            for h in self.hyps:
                _no_shadow(h.name, defs)

    def lookup(self, name: str) -> Hyp | None:
        for h in reversed(self.hyps):
            if h.name == name and h.accessible:
                return h
        return None

    def local_prefix(self, name: str) -> int:
        """Parts of the longest proper prefix of a dotted ``name`` that is a local (0: none). Lean's
        `resolveLocalName` tries locals first: `False.elim` with a local `False` projects the local."""
        parts = name.split(".")
        return next((k for k in range(len(parts) - 1, 0, -1) if self.lookup(".".join(parts[:k]))), 0)

    def is_var(self, name: str):
        """True for a proposition variable, its :class:`Let` for a local definition, else False."""
        h = self.lookup(name)
        if h is None and self.defs and name in self.defs:
            return True
        if h is None or h.type is not None:
            return False
        return True if h.value is None else Let(name, h.value)

    def push(self, hyp: Hyp) -> None:
        if self.defs:
            _no_shadow(hyp.name, self.defs)
        add_hyp(self.hyps, hyp)

    def snapshot(self) -> list[Hyp]:
        return list(self.hyps)

    def restore(self, snap: list[Hyp]) -> None:
        self.hyps = snap


def _no_shadow(name: str, defs) -> None:
    if name in defs:
        raise Unsupported(f"the prop environment does not model a local named like the file's definition "
                          f"`{name}`")


def within(ctx, here, pos) -> None:
    """Lean's ``elabSyntheticHole``: an existing ``?a`` may be named where its local context is part of
    the current one (``isSubPrefixOf``): the same declarations, not others of the same name and type
    (two ``fun a => …`` bind two ``a``)."""
    ids = {id(h) for h in here}
    if any(id(h) not in ids for h in ctx):
        raise TacticError("synthetic hole has already been defined with an incompatible local context", pos)
