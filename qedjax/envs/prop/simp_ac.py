"""``simp only`` with the permutation lemmas of ``∧`` and ``∨``: commutativity, left commutativity and
associativity.

Lean's simp rewrites with a permutation lemma (one whose two sides are equal up to the order of the
variables, as ``or_comm : a ∨ b ↔ b ∨ a``) only when the result is smaller in its term order
(``Lean.Meta.ACLt``): ordered rewriting. With ``comm`` and ``left_comm`` that is a sort of every
right-nested chain ``x₁ ∨ (x₂ ∨ … ∨ xₙ)``, and ``assoc`` first flattens nested chains
(``(a ∨ b) ∨ c`` to ``a ∨ b ∨ c``); ``Init/PropLemmas.lean`` proves ``or_rotate`` this way (``by
simp only [or_left_comm, Or.comm]``). The sorted order depends on Lean's term order, which this
environment does not reproduce, so a call is accepted only where the order cannot matter: every chain
is sorted or flattened without a chain inside an element, and the goal closes because both sides of
its ``↔``/``=`` end up with the same elements (``iff_self``/``eq_self``, ``simp only``'s builtins).
Anything else is refused as not reproducible (:class:`Unreproducible`).
"""

from __future__ import annotations

from qedjax.envs.prop.syntax import BINARY, And, Eq, Forall, Formula, Iff, Not, Or, alpha_norm, pp

__all__ = ["AC_LEMMAS", "Unreproducible", "ac_normal_form", "ac_closes"]

# lemma name -> (connective, kind)
AC_LEMMAS = {
    "and_comm": (And, "comm"), "And.comm": (And, "comm"), "and_left_comm": (And, "left_comm"),
    "and_assoc": (And, "assoc"),
    "or_comm": (Or, "comm"), "Or.comm": (Or, "comm"), "or_left_comm": (Or, "left_comm"),
    "or_assoc": (Or, "assoc"),
}


class Unreproducible(Exception):
    """The outcome depends on Lean's term order (or on lemmas this module does not model)."""


def _kinds(lemmas) -> dict:
    out: dict = {And: set(), Or: set()}
    for name in lemmas:
        cls, kind = AC_LEMMAS[name]
        out[cls].add(kind)
    return out


def _chain(f: Formula, cls, flatten: bool) -> list[Formula]:
    """The elements of ``f`` as a ``cls``-chain: the right spine, or every nested one with ``assoc``."""
    if not isinstance(f, cls):
        return [f]
    if flatten:
        return _chain(f.left, cls, True) + _chain(f.right, cls, True)
    return [f.left] + _chain(f.right, cls, False)


def _rebuild(cls, items: list[Formula]) -> Formula:
    out = items[-1]
    for x in reversed(items[:-1]):
        out = cls(x, out)
    return out


def _key(f: Formula) -> str:
    return pp(alpha_norm(f, unfold_not=False))


def ac_normal_form(f: Formula, lemmas) -> Formula:
    """``f`` after ordered rewriting with ``lemmas`` (names in :data:`AC_LEMMAS`), with its chains in
    a canonical order; raises :class:`Unreproducible` where Lean's order would decide the shape."""
    kinds = _kinds(lemmas)

    def visit(g: Formula) -> Formula:
        if isinstance(g, Not):
            return Not(visit(g.arg))
        if isinstance(g, Forall):
            return Forall(g.var, visit(g.body))
        if not isinstance(g, BINARY):
            return g
        cls = type(g)
        if cls not in (And, Or) or not kinds[cls]:
            return cls(visit(g.left), visit(g.right))
        k = kinds[cls]
        flatten = "assoc" in k
        items = [visit(x) for x in _chain(g, cls, flatten)]
        if any(isinstance(x, cls) for x in items):  # an element that is itself a chain
            raise Unreproducible("a nested chain whose place depends on Lean's term order")
        if "comm" in k and ("left_comm" in k or len(items) == 2):
            items = sorted(items, key=_key)
        elif ("comm" in k or "left_comm" in k) and len(items) > 2:
            raise Unreproducible("a partial permutation whose result depends on Lean's term order")
        return _rebuild(cls, items)

    return visit(f)


def ac_closes(target: Formula, lemmas) -> bool:
    """True when ``simp only [lemmas]`` closes ``target``: an ``↔``/``=`` whose sides get the same
    normal form. Otherwise Lean leaves a goal whose shape depends on its term order (or makes no
    progress): :class:`Unreproducible`."""
    normal = ac_normal_form(target, lemmas)
    if isinstance(normal, (Iff, Eq)) and _key(normal.left) == _key(normal.right):
        return True
    raise Unreproducible("permutation lemmas that do not close the goal")
