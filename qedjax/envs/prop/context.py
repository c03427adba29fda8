"""Tactics that edit the context or the goal list: ``have``/``replace``, ``suffices``, ``show``,
``change … at``, ``clear``, ``revert``, ``rename_i``, ``specialize``, ``swap``, ``pick_goal`` and
``rotate_left``/``rotate_right``.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.patterns import check_rows, normalise_pattern, pattern_bindings
from qedjax.envs.prop.state import Goal, Hyp
from qedjax.envs.prop.syntax import BINARY, Eq, Forall, Formula, Imp, Let, MVar, Not, alpha_norm, atoms, pp
from qedjax.envs.prop.tactic_base import TacticRunner, add_named, no_hole_in_type, rename_inaccessibles
from qedjax.envs.prop.terms import PVar, TApp, TIdent
from qedjax.envs.prop.unify import has_mvar

__all__ = ["t_have", "t_suffices", "t_show", "t_change", "t_clear", "t_revert", "t_let", "t_set", "t_rename", "t_rename_i",
           "t_specialize", "t_goals_order"]


def _bind_value(run: TacticRunner, goal: Goal, pat, ty: Formula, pos) -> Goal:
    if isinstance(pat, PVar):
        if pat.name == "_":
            return goal.with_hyp(Hyp("this", ty, accessible=False))
        return add_named(goal, pat.name, ty)
    el = run.elab(goal)
    row = [normalise_pattern(pat, ty, el, pos)]
    check_rows([row], [ty], [pos], pos)
    g = goal
    for hyp in pattern_bindings(row[0], ty, "x"):
        g = g.with_hyp(hyp)
    return g


def t_have(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    pat, ty_term, value = tac.args
    el = run.elab(goal, assign_goal=True)  # `refine_lift have …`: the value may fix the state's `?p`
    ty = el.prop(ty_term) if ty_term is not None else None
    if value is None:
        if ty is None:
            raise TacticError("`have` needs a type or a value")
        no_hole_in_type(ty, tac.name)
        if not isinstance(pat, PVar):
            raise TacticError("`have` with a pattern needs a value")
        name = pat.name if pat.name != "_" else "this"
        g = goal
        if tac.name == "replace" and goal.hyp(name) is not None:
            g = g.without(goal.hyp(name))
        return [Goal(goal.context, ty, ""), _bind_value(run, g, pat, ty, tac.pos)]
    got = el.check(value, ty)
    if has_mvar(got):
        raise TacticError(f"don't know how to synthesize implicit argument in the type\n  {pp(got)}")
    run.commit(el)
    g = (run.instantiate((goal,)) or (goal,))[0]
    if tac.name == "replace" and isinstance(pat, PVar) and goal.hyp(pat.name) is not None:
        g = g.without(goal.hyp(pat.name))
    return [_bind_value(run, g, pat, got, tac.pos)]


def t_suffices(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    name, ty_term, proof = tac.args
    ty = run.elab(goal).prop(ty_term)
    no_hole_in_type(ty, "suffices")
    with_h = add_named(goal, name, ty)
    if proof is None:
        return [with_h, Goal(goal.context, ty, "")]
    run.elab(with_h).check(proof, goal.target)
    return [goal.retarget(ty)]


def t_show(run: TacticRunner, tac: Tac, goals: tuple) -> tuple:
    ty_term, proof = tac.args
    main, _ = run.main_goal(goals)
    for i, g in enumerate(goals):
        el = run.elab(g)
        f = el.prop(ty_term)
        if g.mvar:  # the goal `?p : Prop`: a proposition is no type of it, a hole would be (`show _`)
            if isinstance(f, MVar):
                raise Unsupported("the prop environment does not support `show` on the goal `⊢ Prop`")
            continue
        if el.unify(f, g.target):
            f = el.inst(f)
            new = g.retarget(f)
            rest = goals[:i] + goals[i + 1:]
            if proof is not None:
                run.elab(new).check(proof, f)
                return rest
            return (new,) + rest
    f = run.elab(main).prop(ty_term)
    raise TacticError(f"Type mismatch\n  {pp(f)}\nis not definitionally equal to the target\n"
                      f"  {pp(main.target)}")


def t_change(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    ty_term, loc = tac.args
    el = run.elab(goal)
    f = el.prop(ty_term)
    if loc is None or loc == ("⊢",):
        if not el.unify(f, goal.target):
            raise TacticError(f"Type mismatch\n  {pp(el.inst(f))}\nis not definitionally equal to the target\n"
                              f"  {pp(goal.target)}")
        return [dataclasses.replace(goal, target=el.inst(f))]
    ctx = list(goal.context)
    for name in loc:
        h = goal.hyp(name)
        if h is None:
            raise TacticError(f"Unknown identifier `{name}`")
        if not el.unify(f, h.type):
            raise TacticError(f"Type mismatch\n  {pp(el.inst(f))}\nis not definitionally equal to\n  {pp(h.type)}")
        ctx[ctx.index(h)] = dataclasses.replace(h, type=el.inst(f))
    return [dataclasses.replace(goal, context=tuple(ctx))]


def t_clear(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    if tac.args[:1] == ("*",):
        return [_clear_except(goal, tac.args[1:])]
    g = goal
    for n in tac.args:
        h = g.lookup(n)
        if h is None:
            raise TacticError(f"Unknown identifier `{n}`")
        if h.is_var and any(_uses(n, f) for f in [g.target] + [x.type for x in g.context if x.type is not None]):
            raise TacticError(f"cannot clear '{n}': it is used by other hypotheses or the target")
        g = g.without(h)
    return [g]


def _clear_except(goal: Goal, keep: tuple) -> Goal:
    """Mathlib's ``clear * - h₁ …`` (``Mathlib/Tactic/ClearExcept.lean``): ``tryClearMany`` of every
    other local declaration, so a declaration that the target or a kept one depends on stays."""
    kept = []
    for n in keep:
        h = goal.lookup(n)
        if h is None:
            raise TacticError(f"Unknown identifier `{n}`")
        kept.append(h)
    ctx = list(goal.context)
    for h in reversed(goal.context):  # later declarations first, as `tryClearMany` reverts them
        if any(h is k for k in kept):
            continue
        if h.is_var:
            uses = [goal.target] + [x.type if x.type is not None else x.value for x in ctx if x is not h]
            if any(f is not None and not isinstance(f, str) and _uses(h.name, f) for f in uses):
                continue
        ctx = [x for x in ctx if x is not h]
    return dataclasses.replace(goal, context=tuple(ctx))


def _uses(name: str, f: Formula) -> bool:
    """Whether ``f`` mentions the variable or local definition ``name``."""
    if isinstance(f, Let):
        return f.name == name or _uses(name, f.value)
    if isinstance(f, Not):
        return _uses(name, f.arg)
    if isinstance(f, BINARY):
        return _uses(name, f.left) or _uses(name, f.right)
    if isinstance(f, Forall):
        return f.var != name and _uses(name, f.body)
    return name in atoms(f)


def t_revert(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    g = goal
    for n in reversed(tac.args):
        h = g.lookup(n)
        if h is None:
            raise TacticError(f"Unknown identifier `{n}`")
        g = g.without(h)
        if h.is_var:
            if any(n in atoms(x.type) for x in g.context if x.type is not None):
                raise TacticError(f"the prop environment cannot revert '{n}' while hypotheses mention it")
            g = dataclasses.replace(g, target=Forall(n, g.target))
        else:
            g = dataclasses.replace(g, target=Imp(h.type, g.target))
    return [g]


def _definable(goal: Goal, name: str) -> None:
    if goal.lookup(name) is not None:
        raise TacticError(f"the prop environment does not support a local definition shadowing `{name}`")


def t_let(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    """Lean's ``let x : t := v``: a local definition ``x : t := v`` (Lean's ``refine_lift let …``).
    A proposition (``t`` is ``Prop``, or ``v`` reads as one) is definitionally equal to its value
    wherever it is used; a proof is printed with its value and used like a ``have``."""
    name, ty_term, value = tac.args
    _definable(goal, name)
    el = run.elab(goal)
    prop = None
    if ty_term is None or (isinstance(ty_term, TIdent) and ty_term.name == "Prop"):
        try:
            prop = el.prop(value)
        except TacticError:
            if ty_term is not None:
                raise
    if prop is not None:
        if has_mvar(prop):
            raise TacticError(f"don't know how to synthesize placeholder in\n  {pp(prop)}")
        return [goal.with_hyp(Hyp(name, None, value=prop))]
    ty = el.check(value, el.prop(ty_term) if ty_term is not None else None)
    if has_mvar(ty):
        raise TacticError(f"don't know how to synthesize implicit argument in the type\n  {pp(ty)}")
    return [goal.with_hyp(Hyp(name, ty, value=value.src))]


def _abstract(f: Formula, value: Formula, let: Let) -> Formula:
    """``f`` with every occurrence of ``value`` (up to bound names) replaced by ``let``."""
    key = alpha_norm(value, unfold_not=False)

    def go(g: Formula) -> Formula:
        if type(g) is Let:
            return g
        if alpha_norm(g, unfold_not=False) == key:
            return let
        if isinstance(g, Not):
            a = go(g.arg)
            return g if a is g.arg else Not(a)
        if isinstance(g, BINARY):
            a, b = go(g.left), go(g.right)
            return g if (a is g.left and b is g.right) else type(g)(a, b)
        if isinstance(g, Forall):
            if g.var in atoms(value):
                return g
            b = go(g.body)
            return g if b is g.body else Forall(g.var, b)
        return g

    return go(f)


def t_set(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    """Mathlib's ``set x := e with h``: the local definition ``x := e``, every occurrence of ``e`` in
    the goal and the hypotheses replaced by ``x``, then ``h : x = e`` (``with ← h``: ``h : e = x``)."""
    name, ty_term, value, rev, hyp = tac.args
    _definable(goal, name)
    el = run.elab(goal)
    if ty_term is not None and not (isinstance(ty_term, TIdent) and ty_term.name == "Prop"):
        raise TacticError("the prop environment supports `set` for propositions only")
    try:
        prop = el.prop(value)
    except TacticError:
        raise TacticError("the prop environment supports `set` for propositions only") from None
    if has_mvar(prop):
        raise TacticError(f"don't know how to synthesize placeholder in\n  {pp(prop)}")
    let = Let(name, prop)
    kept, moved = [], []  # a rewritten hypothesis moves after `x`, which its type now uses
    for h in goal.context:
        new = h.type if h.type is None else _abstract(h.type, prop, let)
        (kept if new is h.type else moved).append(h if new is h.type else dataclasses.replace(h, type=new))
    ctx = tuple(kept) + (Hyp(name, None, value=prop),) + tuple(moved)
    g = Goal(ctx, _abstract(goal.target, prop, let), goal.tag)
    if hyp is not None:
        g = add_named(g, hyp, Eq(prop, let) if rev else Eq(let, prop))
    return [g]


def t_rename(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    """Lean's ``rename e => h`` (``Lean/Elab/Tactic/BuiltinTactic.lean``, ``evalRename``): the most
    recent hypothesis whose type is definitionally equal to ``e`` is renamed ``h``."""
    ty_term, name = tac.args
    el = run.elab(goal)
    want = el.prop(ty_term)
    for i in range(len(goal.context) - 1, -1, -1):
        h = goal.context[i]
        if h.type is None:
            continue
        saved = el.save()
        if el.unify(want, h.type):
            ctx = list(goal.context)
            ctx[i] = Hyp(name, h.type)
            return [dataclasses.replace(goal, context=tuple(ctx))]
        el.restore(saved)
    raise TacticError(f"failed to find a hypothesis with type\n  {pp(el.inst(want))}")


def t_rename_i(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    return [rename_inaccessibles(goal, tac.args, tac.pos)]


def t_specialize(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    term = tac.args[0]
    head = term.fn if isinstance(term, TApp) else term
    if not isinstance(head, TIdent) or goal.hyp(head.name) is None:
        raise TacticError("'specialize' requires a term of the form `h x_1 .. x_n` where `h` appears in "
                          "the local context")
    hyp = goal.hyp(head.name)
    new_type = run.elab(goal).check(term, None)
    if has_mvar(new_type):
        raise TacticError(f"don't know how to synthesize implicit arguments in\n  {pp(new_type)}")
    return [goal.without(hyp).with_hyp(Hyp(hyp.name, new_type))]


def t_goals_order(run: TacticRunner, tac: Tac, goals: tuple) -> tuple:
    if tac.name == "swap":
        n = 2
    elif tac.name in ("pick_goal",):
        n = tac.args[0] if tac.args else 1
    else:
        k = tac.args[0] if tac.args else 1
        if not goals:
            return goals
        k %= len(goals)
        return goals[k:] + goals[:k] if tac.name == "rotate_left" else goals[-k:] + goals[:-k]
    if not 1 <= n <= len(goals):
        raise TacticError(f"not enough goals (there are {len(goals)})")
    return (goals[n - 1],) + goals[:n - 1] + goals[n:]
