"""Metavariables, unification and function types while a term is elaborated.

Propositions are compared up to definitional equality as Lean's ``isDefEq`` compares them here:
``¬a`` unfolds to ``a → False`` and bound variables are compared up to renaming. :class:`Metavars`
holds the assignment of metavariables (``?m``, unknown propositions) and unifies formulas with it;
:class:`Pi` is the type of a constant while an application is elaborated (one binder at a time,
implicit or explicit, over a proposition or a proof).
"""

from __future__ import annotations

import itertools

from qedjax.envs.prop.decls import Scheme
from qedjax.envs.prop.syntax import (
    BINARY,
    FALSE,
    Atom,
    Forall,
    Formula,
    Imp,
    Let,
    MVar,
    Not,
    alpha_norm,
    subst,
    unlet,
)

__all__ = ["unfold", "norm", "defeq", "has_mvar", "has_goal_mvar", "Pi", "pi_subst", "scheme_pi", "Metavars"]


def unfold(f: Formula) -> Formula:
    """Weak-head unfolding of ``¬a`` to ``a → False`` and of local definitions (Lean's ``whnf``)."""
    while isinstance(f, Let):
        f = f.value
    return Imp(f.arg, FALSE) if isinstance(f, Not) else f


def norm(f: Formula) -> Formula:
    """Normal form for definitional equality (``¬`` unfolded, bound variables canonical)."""
    return alpha_norm(f)


def defeq(a: Formula, b: Formula) -> bool:
    return a == b or alpha_norm(a) == alpha_norm(b)


def has_mvar(f: Formula) -> bool:
    """Whether ``f`` contains a metavariable of the term being elaborated (a proof state's own,
    ``?a``, does not count: see :func:`has_goal_mvar`)."""
    if isinstance(f, MVar):
        return f.id > 0
    if isinstance(f, Not):
        return has_mvar(f.arg)
    if isinstance(f, BINARY):
        return has_mvar(f.left) or has_mvar(f.right)
    if isinstance(f, Forall):
        return has_mvar(f.body)
    return False


def has_goal_mvar(f: Formula) -> bool:
    """Whether ``f`` contains a proof state's metavariable (``?a``, a negative id)."""
    if isinstance(f, MVar):
        return f.id < 0
    if isinstance(f, Not):
        return has_goal_mvar(f.arg)
    if isinstance(f, BINARY):
        return has_goal_mvar(f.left) or has_goal_mvar(f.right)
    if isinstance(f, Forall):
        return has_goal_mvar(f.body)
    return False


def goal_mvar_ids(f: Formula, out: set | None = None) -> set:
    """The proof state's metavariables (negative ids) in ``f``."""
    out = set() if out is None else out
    if isinstance(f, MVar):
        if f.id < 0:
            out.add(f.id)
    elif isinstance(f, Not):
        goal_mvar_ids(f.arg, out)
    elif isinstance(f, BINARY):
        goal_mvar_ids(f.left, out)
        goal_mvar_ids(f.right, out)
    elif isinstance(f, Forall):
        goal_mvar_ids(f.body, out)
    return out


def occurs(mid: int, f: Formula) -> bool:
    if isinstance(f, MVar):
        return f.id == mid
    if isinstance(f, Not):
        return occurs(mid, f.arg)
    if isinstance(f, BINARY):
        return occurs(mid, f.left) or occurs(mid, f.right)
    if isinstance(f, Forall):
        return occurs(mid, f.body)
    return False


def atom_names(f: Formula) -> list[str]:
    out, stack = [], [f]
    while stack:
        g = stack.pop()
        if isinstance(g, Atom):
            out.append(g.name)
        elif isinstance(g, Not):
            stack.append(g.arg)
        elif isinstance(g, BINARY):
            stack.extend((g.left, g.right))
        elif isinstance(g, Forall):
            stack.append(g.body)
    return out


class Pi:
    """A function type while an application is elaborated: one parameter and the rest."""

    __slots__ = ("name", "var", "dom", "implicit", "body")

    def __init__(self, name, var, dom, implicit, body):
        self.name, self.var, self.dom, self.implicit, self.body = name, var, dom, implicit, body


def pi_subst(t, env: dict):
    if isinstance(t, Pi):
        return Pi(t.name, t.var, None if t.dom is None else subst(t.dom, env), t.implicit,
                  pi_subst(t.body, {k: v for k, v in env.items() if k != t.var}))
    return subst(t, env)


_fresh_names = itertools.count()


def scheme_pi(s: Scheme):
    env = {}
    for p in s.params:
        if p.is_prop:
            env[p.name] = Atom(f"{p.name}✝{next(_fresh_names)}")
    body = subst(s.concl, env)
    for p in reversed(s.params):
        if p.is_prop:
            body = Pi(p.name, env[p.name].name, None, p.implicit, body)
        else:
            body = Pi(p.name, None, subst(p.dom, env), p.implicit, body)
    return body


class Metavars:
    """An assignment of metavariables, with unification and the function types of applications.

    The proof state's metavariables (negative ids) are rigid, like atoms, unless ``assign_goal`` is
    set: only tactics that hand their assignment back to the proof state may assign them."""

    def __init__(self, assign_goal: bool = False, defs: dict | None = None):
        self.mv: dict[int, Formula] = {}
        self.n = 0
        self.assign_goal = assign_goal
        self.defs = defs  # a file's definitions of propositions, unfolded where Lean's `whnf` does
        # set while `rw` matches its pattern (Lean's `kabstract` under `Rewrite.Config.transparency :=
        # .reducible`): `Not` is not reducible, so `¬a` does not match `a → False` there
        self.reducible = False

    def fresh(self) -> MVar:
        self.n += 1
        return MVar(self.n)

    def inst(self, f: Formula) -> Formula:
        return subst(f, self.mv) if self.mv else f

    def head(self, f: Formula) -> Formula:
        while isinstance(f, MVar) and f.id in self.mv:
            f = self.mv[f.id]
        return f

    def unify(self, a: Formula, b: Formula, rigid: frozenset = frozenset()) -> bool:
        a, b = self.head(a), self.head(b)
        if a is b or a == b:
            return True
        if isinstance(a, MVar) and (a.id > 0 or self.assign_goal):
            return self._assign(a, b, rigid)
        if isinstance(b, MVar) and (b.id > 0 or self.assign_goal):
            return self._assign(b, a, rigid)
        if type(a) is Let or type(b) is Let:  # a local definition unfolds (zeta-delta)
            return self.unify(a.value if type(a) is Let else a, b.value if type(b) is Let else b, rigid)
        if isinstance(a, MVar) or isinstance(b, MVar):  # a rigid metavariable of the proof state
            return False
        if type(a) is type(b):
            if isinstance(a, Not):
                return self.unify(a.arg, b.arg, rigid)
            if isinstance(a, BINARY):
                return self.unify(a.left, b.left, rigid) and self.unify(a.right, b.right, rigid)
            if isinstance(a, Forall):
                v = f"#{next(_fresh_names)}"
                return self.unify(subst(a.body, {a.var: Atom(v)}), subst(b.body, {b.var: Atom(v)}),
                                  rigid | {v})
            return False
        if self.reducible:
            return False
        if isinstance(a, Not) and isinstance(b, Imp):
            return self.unify(Imp(a.arg, FALSE), b, rigid)
        if isinstance(b, Not) and isinstance(a, Imp):
            return self.unify(a, Imp(b.arg, FALSE), rigid)
        return False

    def _assign(self, m: MVar, f: Formula, rigid: frozenset) -> bool:
        f = self.inst(f)
        if isinstance(f, MVar) and f.id == m.id:
            return True
        if occurs(m.id, f):
            return False
        if rigid and any(isinstance(x, str) and x in rigid for x in atom_names(f)):
            return False
        self.mv[m.id] = f
        return True

    def save(self) -> tuple:
        return dict(self.mv), self.n

    def restore(self, saved: tuple) -> None:
        self.mv, self.n = dict(saved[0]), saved[1]

    def try_unify(self, a: Formula, b: Formula) -> bool:
        saved = self.save()
        if self.unify(a, b):
            return True
        self.restore(saved)
        return False

    def inst_pi(self, t):
        return pi_subst(t, self.mv) if isinstance(t, Pi) else self.inst(t)

    def as_pi(self, t):
        if isinstance(t, Pi):
            return t
        t = unlet(self.head(t))
        while self.defs and isinstance(t, Atom) and t.name in self.defs:
            # a binder is sought in weak head normal form (Lean's `forallMetaTelescopeReducing`, and
            # `whnf` of a function's or a `fun`'s expected type): a definition at the head unfolds
            t = self.defs[t.name]
        if isinstance(t, Imp):
            return Pi("a", None, t.left, False, t.right)
        if isinstance(t, Not):
            return Pi("a", None, t.arg, False, FALSE)
        if isinstance(t, Forall):
            return Pi(t.var, t.var, None, t.implicit, t.body)
        return None

    def pi_formula(self, t) -> Formula:
        if not isinstance(t, Pi):
            return t
        body = self.pi_formula(t.body)
        if t.var is None:
            return Imp(t.dom, body)
        return Forall(t.var, body, bool(t.implicit))
