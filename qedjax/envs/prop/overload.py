"""Identifiers that denote several constants: Lean elaborates an application with each and keeps the
one that succeeds (``elabAppAux`` in src/Lean/Elab/App.lean: none is its first error, several
``ambiguous, possible interpretations``). ``resolveGlobalName`` (src/Lean/ResolveName.lean) gives
several constants where the current namespace has none of the name and both the root and an opened
namespace declare it (a file's own ``theorem em`` next to ``open Classical``)."""

from __future__ import annotations

from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.syntax import Formula
from qedjax.envs.prop.unify import scheme_pi

__all__ = ["Overloads"]


class Overloads:
    """The ``Elab`` part that elaborates an application of an overloaded identifier."""

    def _overloaded(self, term, fn, args, alts, expected, keep_pi) -> Formula:
        """An identifier that denotes several constants (the root name and an opened namespace's,
        Lean's ``resolveGlobalName``): each is elaborated and the application keeps the one that
        succeeds; none is Lean's first error, several ``ambiguous, possible interpretations``
        (``elabAppAux`` in src/Lean/Elab/App.lean)."""
        ok, errors = [], []
        for s in alts:
            saved, waiting = self.save(), list(self.postponed) if self.postponed is not None else None
            try:
                ty = self._apply_args(term, fn, scheme_pi(s), args, expected, fn.explicit, None, keep_pi)
                if expected is not None and not self.unify(ty, expected):
                    raise self.mismatch(term, ty, expected)
                ok.append((s, ty, self.save(), self.postponed))
            except TacticError as e:
                errors.append(e)
            self.restore(saved)
            self.postponed = waiting
        if len(ok) == 1:
            _, ty, state, self.postponed = ok[0]
            self.restore(state)
            return ty
        if not ok:
            raise errors[0]
        names = ", ".join(s.name for s, *_ in ok)
        raise TacticError(f"ambiguous, possible interpretations {names}", fn.pos)
