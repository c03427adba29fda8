"""The ``intro`` family: ``intro`` (names, patterns, ``intro | pat => …``), ``intros`` and ``rintro``.

``intro`` unfolds ``¬a`` to ``a → False`` as Lean's ``whnfCore`` does; ``intros`` does not. A name
``_`` (or none) introduces an inaccessible hypothesis (``a✝``); a pattern ``⟨a, b⟩`` is ``intro h; match
h with | ⟨a, b⟩ => ?_``; ``rintro`` destructs with rcases patterns (``cases.py``).
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.cases import match_alts, rcases_pattern
from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.patterns import check_rows, normalise_pattern, pattern_bindings
from qedjax.envs.prop.state import Goal, Hyp
from qedjax.envs.prop.syntax import Atom, Forall, Imp, pp, subst
from qedjax.envs.prop.tactic_base import TacticRunner, add_named, binder_hyp, fail, unused_name
from qedjax.envs.prop.terms import PTyped, PVar
from qedjax.envs.prop.unify import defeq, has_goal_mvar, has_mvar, unfold

__all__ = ["t_intro", "t_intros", "t_rintro"]


def _intro_var(goal: Goal, target: Forall, name: str | None, hygienic: bool = True) -> Goal:
    if name is None or name == "_":
        name = f"{target.var}✝" if hygienic else unused_name(goal, target.var)
    if any(h.name == name for h in goal.context):
        raise TacticError(f"the prop environment does not support shadowing '{name}'")
    body = subst(target.body, {target.var: Atom(name)})
    return dataclasses.replace(goal.with_hyp(Hyp(name, None)), target=body)


def _intro_one(goal: Goal, name: str | None, unfold_not: bool = True, hygienic: bool = True) -> Goal:
    """Introduce one binder; without a name (or ``_``) it is named after the binder (``a`` for an arrow,
    hygienic unless ``tactic.hygienic`` is off)."""
    t = unfold(goal.target) if unfold_not else goal.target
    if isinstance(t, Forall):
        return _intro_var(goal, t, name, hygienic)
    if not isinstance(t, Imp):
        raise fail("introN", goal, "There are no additional binders or `let` bindings in the goal to "
                    "introduce")
    g = goal.retarget(t.right)
    if name is None or name == "_":
        return binder_hyp(g, "a", t.left, hygienic)
    return add_named(g, name, t.left)


def delta_head(run: TacticRunner, goal: Goal) -> Goal:
    """The goal with a file's definition at the head of its target unfolded: ``intro`` puts the target
    in weak head normal form when it is no binder (Lean's ``MVarId.intro`` through ``whnf``, which
    unfolds a definition)."""
    defs = run.defs
    t = goal.target
    if defs and isinstance(t, Atom) and t.name in defs and goal.lookup(t.name) is None:
        return goal.retarget(defs[t.name])
    return goal


def _assigning(run: TacticRunner, goal: Goal, name: str, want, have) -> bool:
    """``intro (h : t)`` where the binder's type has the proof state's metavariables (``?p → q`` after
    ``apply Classical.byCases``): Lean's ``introStep`` checks ``isDefEqGuarded t (type of h)``, which
    assigns them (``?p := t``). Only for a name: ``intro (_ : t)`` is Lean's ``intro h; match @h with |
    (_ : t) => ?_`` (``evalIntro``, Lean/Elab/Tactic/BuiltinTactic.lean), whose match is not modelled on
    a discriminant with metavariables, so it stays refused there."""
    if name == "_" or not has_goal_mvar(have) or has_mvar(want):
        # a hole in the binder's type (`intro (h : _)`) would leave the hypothesis a metavariable of its
        # own elaborator, which nothing assigns or commits: refused, never stored
        return False
    el = run.elab(goal, assign_goal=True)
    if not el.unify(want, have):
        return False
    run.commit(el)
    return True


def _intro_pattern(run: TacticRunner, goal: Goal, pat) -> list[Goal]:
    goal = delta_head(run, goal)
    if isinstance(pat, PVar):
        return [_intro_one(goal, pat.name, hygienic=run.hygienic)]
    if isinstance(pat, PTyped) and isinstance(pat.pat, PVar):
        g = _intro_one(goal, pat.pat.name, hygienic=run.hygienic)
        h = g.context[-1]
        el = run.elab(goal)
        want = el.prop(pat.type)
        if not defeq(want, h.type) and not _assigning(run, goal, pat.pat.name, want, h.type):
            raise TacticError(f"type mismatch at `intro {h.name}`\n  {pp(h.type)}\nis expected to have type\n"
                              f"  {pp(want)}")
        return [dataclasses.replace(g, context=g.context[:-1] + (Hyp(h.name, want, h.accessible),))]
    # `intro ⟨a, b⟩` is `intro h; match h with | ⟨a, b⟩ => ?_; try clear h`
    t = unfold(goal.target)
    if not isinstance(t, Imp):
        raise fail("introN", goal, "There are no additional binders or `let` bindings in the goal to "
                    "introduce")
    el = run.elab(goal)
    row = [normalise_pattern(pat, t.left, el, None)]
    check_rows([row], [t.left], [None], None)
    g = goal.retarget(t.right)
    for hyp in pattern_bindings(row[0], t.left, "x"):
        g = g.with_hyp(hyp) if hyp.accessible else g.with_hyp(hyp)
    return [g]


def t_intro(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    args = tac.args
    if args and args[0] == "|":
        g = _intro_one(goal, None)
        h = g.context[-1]
        return match_alts(run, g, [h.type], args[1], tac.pos)
    if not args:
        return [_intro_one(delta_head(run, goal), None, hygienic=run.hygienic)]
    goals = [goal]
    for pat in args:
        if len(goals) != 1:
            raise TacticError("`intro` patterns produced several goals")
        # `intro a b` is `intro a; intro b`: a metavariable the first binder assigned is substituted
        # before the next binder is checked against it
        goals = list(run.instantiate(tuple(_intro_pattern(run, goals[0], pat))))
    return goals


def t_intros(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    if tac.args:
        g = goal
        for n in tac.args:
            g = _intro_one(g, n, hygienic=run.hygienic)
        return [g]
    g = goal
    while isinstance(g.target, (Imp, Forall)):
        g = _intro_one(g, None, unfold_not=False, hygienic=run.hygienic)
    return [g]


def t_rintro(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    goals = [goal]
    for pat in tac.args:
        out = []
        for g in goals:
            g = delta_head(run, g)
            if isinstance(pat, PVar) and pat.name != "-":
                out.append(_intro_one(g, pat.name, hygienic=run.hygienic))
                continue
            g1 = _intro_one(g, None)
            hyp = g1.context[-1]
            if hyp.type is None:
                raise TacticError("rintro patterns cannot destructure a proposition variable")
            g1 = g1.without(hyp)
            out.extend(rcases_pattern(run, g1, hyp, hyp.type, pat, "h"))
        goals = out
    return goals
