"""Lean 4 core's ``guard_target`` and ``guard_hyp`` (parsed in ``tactic_args.py``; ``Init/Guard.lean``, ``Lean/Elab/Tactic/Guard.lean``).

Both check the proof state and leave it unchanged. The matching specifier decides the comparison:

==========================  ===============================================================
``=`` / ``:``               definitional equality at reducible transparency
``=~`` / ``:~``             definitional equality at default transparency
``=ₛ`` / ``:ₛ``             syntactic equality (``Expr ==``: binder names do not matter)
``=ₐ`` / ``:ₐ``             alpha-equivalence (``Expr.eqv``)
==========================  ===============================================================

Over propositions this is: syntactic and alpha equality compare up to the names of bound variables;
default transparency also unfolds ``¬a`` (the definition ``Not a := a → False``) and local definitions;
``Not`` is not reducible, so ``=`` and ``:`` do not unfold it. Whether Lean unfolds a local definition
at reducible transparency depends on the elaborator's configuration, so ``prop`` does not decide a
reducible comparison that needs it (an error, never an acceptance), nor one with metavariables.
``guard_hyp h`` of a ``let`` variable fails as in Lean (``h is a let binding``) unless a value is given,
and value checks (``:= v``) are not modelled.
"""

from __future__ import annotations

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.state import Goal
from qedjax.envs.prop.syntax import BINARY, FALSE, Atom, Forall, Formula, Imp, Let, Not, has_let, pp
from qedjax.envs.prop.tactic_base import TacticRunner
from qedjax.envs.prop.terms import TIdent
from qedjax.envs.prop.unify import has_mvar

__all__ = ["t_guard_target", "t_guard_hyp", "matches"]

def _norm(f: Formula, bound: tuple, unfold: bool) -> Formula:
    """``f`` with bound variables numbered; with ``unfold``, ``¬a`` as ``a → False`` and local
    definitions replaced by their values."""
    if isinstance(f, Atom):
        return Atom(f"#{bound[::-1].index(f.name)}") if f.name in bound else f
    if isinstance(f, Not):
        a = _norm(f.arg, bound, unfold)
        return Imp(a, FALSE) if unfold else Not(a)
    if isinstance(f, BINARY):
        return type(f)(_norm(f.left, bound, unfold), _norm(f.right, bound, unfold))
    if isinstance(f, Forall):
        return Forall("#", _norm(f.body, bound + (f.var,), unfold))
    if isinstance(f, Let):
        return _norm(f.value, bound, unfold) if unfold else Let(f.name, _norm(f.value, bound, unfold))
    return f


def matches(a: Formula, b: Formula, kind: str) -> bool:
    """Lean's ``MatchKind.isEq`` on two propositions; raises where ``prop`` cannot decide it."""
    if has_mvar(a) or has_mvar(b):
        raise Unsupported("the prop environment does not support `guard_*` on terms with metavariables")
    if kind == "default":
        return _norm(a, (), True) == _norm(b, (), True)
    same = _norm(a, (), False) == _norm(b, (), False)
    if kind == "reducible" and not same and (has_let(a) or has_let(b)):
        raise Unsupported("the prop environment does not decide reducible defeq through a local definition")
    return same


def t_guard_target(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    kind, term = tac.args
    want = run.elab(goal).prop(term)
    if not matches(want, goal.target, kind):
        raise TacticError(f"The main goal is\n  {pp(goal.target)}\nbut was expected to be\n  {pp(want)}")
    return [goal]


def t_guard_hyp(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    name, kind, ty, value = tac.args
    h = goal.lookup(name)
    if h is None:
        raise TacticError(f"Unknown identifier `{name}`")
    if ty is not None:
        if h.is_var:
            if not (isinstance(ty, TIdent) and ty.name == "Prop"):
                raise TacticError(f"Hypothesis `{name}` has type\n  Prop\nbut was expected to have type\n  "
                                  f"{ty.src}")
        else:
            want = run.elab(goal).prop(ty)
            if not matches(want, h.type, kind):
                raise TacticError(f"Hypothesis `{name}` has type\n  {pp(h.type)}\nbut was expected to have "
                                  f"type\n  {pp(want)}")
    if value is not None:
        if h.value is None:
            raise TacticError(f"`{name}` is not a let binding")
        raise Unsupported("the prop environment does not support `guard_hyp` value checks")
    if h.value is not None:
        raise TacticError(f"`{name}` is a let binding")
    return [goal]
