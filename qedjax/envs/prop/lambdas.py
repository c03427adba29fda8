"""Lean's implicit lambda: a term elaborated against ``∀ {a : Prop}, t`` is elaborated against ``t``
with ``a`` a new local, and the result abstracted over it (``useImplicitLambda`` in
src/Lean/Elab/Term.lean). It is blocked (``blockImplicitLambda``) for ``@f``, ``@f a``, ``fun {x} …``
and ``fun ⦃x⦄ …``, holes ``_``/``?_``, ``by`` blocks and type ascriptions ``(e : t)``, which take the
``∀`` as it is. The introduced locals are inaccessible to the term (``a✝``)."""

from __future__ import annotations

from qedjax.envs.prop.state import Hyp
from qedjax.envs.prop.syntax import Atom, Forall, Formula, subst
from qedjax.envs.prop.terms import TApp, TAscribe, TBy, TFun, THole, TIdent, TSynth

__all__ = ["ImplicitLambda", "blocks_implicit_lambda"]


def blocks_implicit_lambda(term) -> bool:
    if isinstance(term, (TBy, THole, TSynth, TAscribe)):
        return True
    if isinstance(term, TIdent) or isinstance(term, TApp) and isinstance(term.fn, TIdent):
        return (term if isinstance(term, TIdent) else term.fn).explicit
    return isinstance(term, TFun) and bool(term.binders) and term.binders[0].implicit


class ImplicitLambda:
    """The ``Elab`` entry point ``check`` with Lean's implicit lambda in front of it."""

    def implicit_lambda(self, term, expected: Formula | None) -> bool:
        """Whether ``term`` against ``expected`` gets the implicit lambda."""
        e = self.head(expected) if expected is not None else None
        return isinstance(e, Forall) and e.implicit and not blocks_implicit_lambda(term)

    def check(self, term, expected: Formula | None) -> Formula:
        """Elaborate ``term``; with ``expected``, unify and report Lean's ``Type mismatch``."""
        if not self.implicit_lambda(term, expected):
            return self.check_plain(term, expected)
        e = self.head(expected)
        snap = self.scope.snapshot()
        try:
            while isinstance(e, Forall) and e.implicit:
                name = f"{e.var}✝"
                while self.scope.lookup(name) is not None:
                    name += "'"
                self.scope.push(Hyp(name, None))
                e = self.head(subst(e.body, {e.var: Atom(name)}))
            self.check_plain(term, e)
        finally:
            self.scope.restore(snap)
        return self.inst(expected)
