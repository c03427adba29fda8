"""Lean's ``h ▸ e`` (``elabSubst`` in src/Lean/Elab/BuiltinNotation.lean) on propositions.

``h`` is elaborated first, with no expected type, and must be an equality ``lhs = rhs``. With an
expected type ``T`` (without metavariables): where ``rhs`` occurs in ``T``, ``e`` is elaborated against
``T`` with ``rhs`` replaced by ``lhs``; else, where ``lhs`` occurs, against ``T`` with ``lhs`` replaced by
``rhs``; else the notation is invalid. Without one, ``e``'s type with ``lhs`` replaced by ``rhs`` (or,
where ``lhs`` does not occur, ``rhs`` by ``lhs``). Occurrences are ``kabstract``'s: subformulas equal to
the side (the sides have no metavariables here). Lean's last resort, rewriting ``e``'s type as well when
``e`` does not have the first type, is not modelled: such a term is refused."""

from __future__ import annotations

from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.syntax import BINARY, Eq, Forall, Formula, Not, atoms, pp
from qedjax.envs.prop.unify import has_mvar

__all__ = ["Cast", "replace_all"]


def replace_all(f: Formula, old: Formula, new: Formula, bound: frozenset = frozenset()) -> tuple[Formula, bool]:
    """``f`` with every subformula equal to ``old`` (none under a binder of its atoms) replaced by ``new``."""
    if f == old and not (bound and any(a in bound for a in atoms(f))):
        return new, True
    if isinstance(f, Not):
        a, hit = replace_all(f.arg, old, new, bound)
        return (Not(a) if hit else f), hit
    if isinstance(f, BINARY):
        a, h1 = replace_all(f.left, old, new, bound)
        b, h2 = replace_all(f.right, old, new, bound)
        return (type(f)(a, b) if h1 or h2 else f), h1 or h2
    if isinstance(f, Forall):
        b, hit = replace_all(f.body, old, new, bound | {f.var})
        return (Forall(f.var, b, f.implicit) if hit else f), hit
    return f, False


class Cast:
    """The ``Elab`` part that elaborates ``h ▸ e``."""

    def cast(self, term, expected: Formula | None) -> Formula:
        heq = self.inst(self.check(term.left, None))
        if not isinstance(heq, Eq) or has_mvar(heq):
            raise TacticError(f"invalid `▸` notation, argument\n  {term.left.src}\nhas type\n  {pp(heq)}\n"
                              f"equality expected", term.pos)
        lhs, rhs = heq.left, heq.right
        e = self.inst(expected) if expected is not None else None
        if e is None or has_mvar(e):
            ty = self.inst(self.check(term.right, None))
            out, hit = replace_all(ty, lhs, rhs)
            if not hit:
                out, hit = replace_all(ty, rhs, lhs)
            if not hit or has_mvar(ty):
                raise TacticError(f"invalid `▸` notation, the equality\n  {term.left.src}\nhas type\n  "
                                  f"{pp(heq)}\nbut neither side of the equality is mentioned in the type\n  "
                                  f"{pp(ty)}", term.pos)
            return out
        target, hit = replace_all(e, rhs, lhs)
        if not hit:
            target, hit = replace_all(e, lhs, rhs)
        if not hit:
            raise TacticError(f"invalid `▸` notation, expected result type of cast is\n  {pp(e)}\nhowever, "
                              f"the equality\n  {term.left.src}\nof type\n  {pp(heq)}\ndoes not contain the "
                              f"expected result type on either the left or the right hand side", term.pos)
        self.check(term.right, target)
        return e
