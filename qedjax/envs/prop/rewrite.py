"""``rw``/``rewrite``/``rwa``/``nth_rewrite``: rewriting with ``↔``/``=`` lemmas and hypotheses.

A rule's binders become metavariables (Lean's ``forallMetaTelescopeReducing``); the first match in
pre-order, left to right, fixes them and every instance of that match is rewritten (Lean's
``kabstract``; ``nth_rewrite n`` rewrites the ``n``-th match only). A hypothesis ``h : p`` rewrites
``p`` to ``True``. ``rw`` closes the goal afterwards with ``rfl`` up to reducible unfolding.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.apply import telescope
from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.closers import assumption_closes
from qedjax.envs.prop.elab import Elab
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.state import Goal
from qedjax.envs.prop.syntax import (
    BINARY,
    FALSE,
    And,
    Atom,
    Bot,
    Eq,
    Forall,
    Formula,
    Iff,
    Imp,
    Let,
    MVar,
    Not,
    Or,
    Top,
    alpha_norm,
    atoms,
    pp,
    subst,
)
from qedjax.envs.prop.tactic_base import NO_GOALS, TacticRunner, fail
from qedjax.envs.prop.terms import TIdent
from qedjax.envs.prop.unify import has_mvar

__all__ = ["t_rw", "t_unfold", "unfold_not", "unfold_at"]


_HEADS = {And: "and", Or: "or", Iff: "iff", Eq: "eq", Not: "not", Imp: "imp", Forall: "forall", Top: "True",
          Bot: "False"}


def _head_key(f: Formula):
    if isinstance(f, Atom):
        return ("atom", f.name)
    if isinstance(f, Let):
        return ("let", f.name)
    return _HEADS.get(type(f))


def _rewrite_formula(el: Elab, f: Formula, pattern: Formula, repl: Formula, occ: int | None,
                     counter: list, found: list) -> Formula:
    """Lean's ``kabstract``: pre-order, left to right; the first match fixes the metavariables
    (``occ`` given: only the ``occ``-th match is rewritten and each candidate is matched afresh)."""
    key = _head_key(el.head(pattern))

    def visit(g: Formula, bound: frozenset) -> Formula:
        if not (bound and any(a in bound for a in atoms(g))) and _head_key(g) == key:
            saved = el.save()
            el.reducible = True  # `kabstract` runs at reducible transparency: `¬a` is not `a → False`
            try:
                matched = el.unify(g, pattern)
            finally:
                el.reducible = False
            if matched:
                counter[0] += 1
                if occ is None or counter[0] == occ:
                    found.append(True)
                    return _Marker
            el.restore(saved)
        if isinstance(g, Not):
            a = visit(g.arg, bound)
            return g if a is g.arg else Not(a)
        if isinstance(g, BINARY):
            a = visit(g.left, bound)
            b = visit(g.right, bound)
            return g if (a is g.left and b is g.right) else type(g)(a, b)
        if isinstance(g, Forall):
            b = visit(g.body, bound | {g.var})
            return g if b is g.body else Forall(g.var, b)
        return g

    abstracted = visit(f, frozenset())
    return _fill(abstracted, el.inst(repl))


class _MarkerType:
    pass


_Marker = _MarkerType()


def _fill(f, repl: Formula) -> Formula:
    if f is _Marker:
        return repl
    if isinstance(f, Not):
        return Not(_fill(f.arg, repl))
    if isinstance(f, BINARY):
        return type(f)(_fill(f.left, repl), _fill(f.right, repl))
    if isinstance(f, Forall):
        return Forall(f.var, _fill(f.body, repl))
    return f


def _rule_equation(run: TacticRunner, el: Elab, rule_term, goal: Goal):
    """The equation a rewrite rule provides: ``(lhs, rhs, side-goal params)`` after instantiating its
    binders with metavariables (Lean's ``forallMetaTelescopeReducing``); ``h : p`` gives ``p = True``."""
    if isinstance(rule_term, TIdent) and run.defs and rule_term.name in run.defs and \
            goal.lookup(rule_term.name) is None:
        # a file's definition as a rule is its equation lemma `D = body` (Lean's `D.eq_1`)
        if any(_binds(f, rule_term.name) for f in [goal.target] + [h.type for h in goal.hyps()]):
            raise Unsupported(f"the prop environment does not rewrite with `{rule_term.name}` where a binder "
                              "has its name")
        return Atom(rule_term.name), run.defs[rule_term.name], []
    if isinstance(rule_term, TIdent) and rule_term.name == "Not" and goal.lookup("Not") is None:
        # a definition as a rewrite rule is its equation lemma (`rw [Not]` rewrites with `Not.eq_1`)
        rule_term = TIdent(rule_term.pos, rule_term.src, "Not.eq_1")
    if isinstance(rule_term, TIdent):
        ftype, disp = el.head_type(rule_term)
        if ftype is None:
            ftype = el.check(rule_term, None)
    else:
        ftype = el.check(rule_term, None)
    params, body = telescope(el, ftype, 1 << 30)
    eq = el.head(el.pi_formula(body))
    if isinstance(eq, (Iff, Eq)):
        return eq.left, eq.right, params
    return eq, Top(), params


def _binds(f: Formula, name: str) -> bool:
    """Whether a ``∀`` inside ``f`` binds ``name``."""
    if isinstance(f, Forall):
        return f.var == name or _binds(f.body, name)
    if isinstance(f, Not):
        return _binds(f.arg, name)
    if isinstance(f, BINARY):
        return _binds(f.left, name) or _binds(f.right, name)
    return False


def _rewrite(run: TacticRunner, goal: Goal, rules, loc, occ: int | None, tactic: str) -> list[Goal]:
    side: list[Goal] = []
    for rev, rule in rules:
        el = run.elab(goal, "all")
        lhs, rhs, params = _rule_equation(run, el, rule, goal)
        if rev:
            lhs, rhs = rhs, lhs
        if isinstance(el.head(lhs), MVar):
            raise fail("rewrite", goal, f"Pattern is a metavariable\n  {pp(el.inst(lhs))}\nfrom equation\n  "
                        f"{pp(el.inst(lhs))} = {pp(el.inst(rhs))}")
        targets = _locations(goal, loc)
        new_goal = goal
        any_found = False
        for where in targets:
            f = goal.target if where == "⊢" else goal.hyp(where).type
            counter, found = [0], []
            new_f = _rewrite_formula(el, f, lhs, rhs, occ, counter, found)
            if not found:
                if loc == ("*",):
                    continue
                what = "the target expression" if where == "⊢" else f"the hypothesis `{where}`"
                raise fail("rewrite", goal, f"Did not find an occurrence of the pattern\n  "
                            f"{pp(el.inst(lhs))}\nin {what}\n  {pp(f)}")
            any_found = True
            if has_mvar(new_f):
                raise TacticError("the prop environment does not support rewriting that leaves metavariables")
            if where == "⊢":
                new_goal = new_goal.retarget(new_f)
            else:
                h = new_goal.hyp(where)
                ctx = list(new_goal.context)
                ctx[ctx.index(h)] = dataclasses.replace(h, type=new_f)
                new_goal = dataclasses.replace(new_goal, context=tuple(ctx))
        if not any_found:
            raise fail("rewrite", goal, f"Did not find an occurrence of the pattern\n  {pp(el.inst(lhs))}")
        for name, m, dom in params:
            if m is not None:
                if isinstance(el.head(m), MVar):
                    raise TacticError(f"the prop environment does not support a rewrite leaving `?{name}` "
                                      "undetermined")
                continue
            side.append(Goal(goal.context, el.inst(dom), ""))
        goal = new_goal
    return [goal] + side


def _locations(goal: Goal, loc) -> list[str]:
    if loc is None:
        return ["⊢"]
    if loc == ("*",):
        return [h.name for h in goal.visible() if h.type is not None] + ["⊢"]
    out = []
    for name in loc:
        if name != "⊢" and goal.hyp(name) is None:
            raise TacticError(f"Unknown identifier `{name}`")
        out.append(name)
    return out


def t_rw(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    n, rules, loc = tac.args
    if tac.name in ("nth_rewrite", "nth_rw") and n is None:
        raise TacticError(f"`{tac.name}` needs an occurrence number")
    goals = _rewrite(run, goal, rules, loc, n, tac.name)
    main = goals[0]
    if tac.name in ("rw", "rwa", "nth_rw") and isinstance(main.target, (Iff, Eq)) and \
            alpha_norm(main.target.left, unfold_not=False) == alpha_norm(main.target.right, unfold_not=False):
        goals = goals[1:]  # `rw` ends with `with_reducible rfl`
    if tac.name == "rwa":  # `rw …; assumption`
        if not goals:
            raise TacticError(NO_GOALS)
        if not assumption_closes(goals[0]):
            raise fail("assumption", goals[0])
        goals = goals[1:]
    return goals


def unfold_not(f: Formula) -> Formula:
    """``f`` with every ``¬a`` unfolded to ``a → False`` (``Not``'s definition, ``Init/Prelude.lean``)."""
    if isinstance(f, Not):
        return Imp(unfold_not(f.arg), FALSE)
    if isinstance(f, BINARY):
        a, b = unfold_not(f.left), unfold_not(f.right)
        return f if (a is f.left and b is f.right) else type(f)(a, b)
    if isinstance(f, Forall):
        b = unfold_not(f.body)
        return f if b is f.body else Forall(f.var, b)
    return f


def zeta(name: str, f: Formula) -> Formula:
    """``f`` with the local definition ``name`` replaced by its value (Lean's ``unfold x`` on a `let`)."""
    if isinstance(f, Let):
        return f.value if f.name == name else f
    if isinstance(f, Not):
        a = zeta(name, f.arg)
        return f if a is f.arg else Not(a)
    if isinstance(f, BINARY):
        a, b = zeta(name, f.left), zeta(name, f.right)
        return f if (a is f.left and b is f.right) else type(f)(a, b)
    if isinstance(f, Forall):
        b = zeta(name, f.body)
        return f if b is f.body else Forall(f.var, b)
    return f


def unfold_at(goal: Goal, loc, tactic: str, fn=unfold_not, what: str = "Not") -> Goal:
    """Unfold ``Not`` (or, with ``fn``, a local definition) at the locations (Lean's ``unfold``: every
    occurrence, nested ones too); a location without one is Lean's error."""
    g = goal
    for where in _locations(goal, loc):
        f = goal.target if where == "⊢" else goal.hyp(where).type
        new = fn(f)
        if new == f:
            if loc == ("*",):
                continue
            raise TacticError(f"tactic '{tactic}' failed to unfold '{what}' at\n  {pp(f)}")
        if where == "⊢":
            g = g.retarget(new)
        else:
            h = g.hyp(where)
            ctx = list(g.context)
            ctx[ctx.index(h)] = dataclasses.replace(h, type=new)
            g = dataclasses.replace(g, context=tuple(ctx))
    if g is goal:
        raise TacticError(f"tactic '{tactic}' failed to unfold '{what}'")
    return g


def t_unfold(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    names, loc = tac.args
    for name in names:
        h = goal.lookup(name)
        if h is not None and h.is_var and h.value is not None:  # a `let` proposition
            goal = unfold_at(goal, loc, "unfold", lambda f, n=name: zeta(n, f), name)
        elif name == "Not" and h is None:
            goal = unfold_at(goal, loc, "unfold")
        elif run.defs and name in run.defs and h is None:  # a file's `def D : Prop := body`: delta, every occurrence
            goal = unfold_at(goal, loc, "unfold", lambda f, n=name: subst(f, {n: run.defs[n]}), name)
        else:
            raise TacticError(f"the prop environment does not support unfolding `{name}` (only `Not`, "
                              "local definitions and the file's definitions of propositions)")
    return [goal]
