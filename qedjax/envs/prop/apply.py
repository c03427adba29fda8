"""``exact``, ``exacts``, ``refine``/``refine'``, ``apply`` (and Mathlib's ``apply … at``), ``constructor``,
``left``, ``right`` and ``exfalso``: closing or splitting a goal with a term or a constant.

``apply`` unifies the goal with the conclusion of the term's type after ``i`` of its binders, trying
the fewest first (Lean's ``MVarId.apply``), and makes the binders that unification did not assign new
goals, tagged after the binder names when there are several (``left``, ``right``, ``h``, ``mp``/``mpr``).
Holes ``?_`` (and ``_`` for ``refine'``/``apply``) become goals, as in Lean.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.decls import LIBRARY
from qedjax.envs.prop.elab import Elab
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.state import Goal, Hyp
from qedjax.envs.prop.syntax import FALSE, And, Atom, Bot, Eq, Iff, MVar, Or, Top, pp
from qedjax.envs.prop.tactic_base import TacticRunner, add_named, child_tag, fail, unsolved
from qedjax.envs.prop.terms import TIdent
from qedjax.envs.prop.unify import defeq, has_mvar, pi_subst, scheme_pi, unfold

__all__ = ["t_exact", "t_exacts", "t_refine", "t_apply", "apply_core", "telescope", "t_constructor",
           "t_left_right", "t_exfalso", "t_apply_assumption"]


def t_exact(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    if goal.mvar:  # `⊢ Prop`: the term is the proposition the metavariable stands for
        el = run.elab(goal)
        run.assign_mvar(goal.target, el.prop(tac.args[0]), el.scope.lookup)
        return []
    el = run.elab(goal, assign_goal=True)
    el.check(tac.args[0], goal.target)
    run.commit(el)
    return []


def t_exacts(run: TacticRunner, tac: Tac, goals: tuple) -> tuple:
    for term in tac.args:
        main, rest = run.main_goal(goals)
        if main.mvar:  # `exacts` is `exact` on each goal: on `⊢ Prop`, the term is the proposition
            el = run.elab(main)
            run.assign_mvar(main.target, el.prop(term), el.scope.lookup)
        else:
            el = run.elab(main, assign_goal=True)
            el.check(term, main.target)
            run.commit(el)
        goals = run.instantiate(rest)
    if goals:
        raise TacticError(unsolved(goals))
    return goals


def _hole_goals(el: Elab, parent_tag: str, suffix: str) -> list[Goal]:
    goals = []
    anonymous = [h for h in el.holes if not h.name]
    k = 0
    for h in el.holes:
        target = el.inst(h.target)
        if has_mvar(target):
            raise TacticError("don't know how to synthesize placeholder: its type still contains "
                              "metavariables", h.pos)
        if h.name:
            tag = h.name
        elif len(anonymous) == 1:
            tag = parent_tag
        else:
            k += 1
            tag = child_tag(parent_tag, f"{suffix}_{k}")
        goals.append(Goal(tuple(_inst_ctx(el, h.context)), target, tag))
    return goals


def _inst_ctx(el: Elab, ctx) -> list[Hyp]:
    # a declaration keeps its identity where its type does not change (a named goal's context is compared
    # by declaration, `scope.within`)
    return [h if h.type is None or el.inst(h.type) is h.type else dataclasses.replace(h, type=el.inst(h.type))
            for h in ctx]


def t_refine(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    prime = tac.name == "refine'"
    el = run.elab(goal, "all" if prime else "synthetic", assign_goal=True)
    el.check(tac.args[0], goal.target)
    new = _hole_goals(el, goal.tag, "refine'" if prime else "refine")
    run.commit(el)
    for h, g in zip(el.holes, new):
        if h.name:
            run.register_named(g)
    return new


def _apply_type(run: TacticRunner, el: Elab, term):
    """The type ``apply`` unifies: a constant's full signature for an identifier (Lean's
    ``elabTermForApply`` resolves identifiers without instantiating implicit arguments)."""
    if isinstance(term, TIdent):
        ftype, disp = el.head_type(term)
        if ftype is not None:
            return ftype, disp
    return el.app_type(term), term.src


def telescope(el: Elab, t, n: int):
    """Lean's ``forallMetaTelescopeReducing``: instantiate ``n`` binders; returns (params, body)
    where params are ``(binder name, prop-mvar or None, domain or None)``."""
    params = []
    for _ in range(n):
        pi = el.as_pi(t)
        if pi is None:
            break
        if pi.var is not None:
            m = el.fresh()
            params.append((pi.name, m, None))
            t = pi_subst(pi.body, {pi.var: m})
        else:
            params.append((pi.name, None, pi.dom))
            t = pi.body
    return params, t


def _arity(el: Elab, t) -> int:
    n = 0
    while True:
        pi = el.as_pi(t)
        if pi is None:
            return n
        n += 1
        t = pi.body if pi.var is None else pi_subst(pi.body, {pi.var: Atom("#")})


def apply_core(run: TacticRunner, goal: Goal, el: Elab, ftype, disp: str,
               tactic: str = "apply") -> list[Goal]:
    target = goal.target
    n_fn = _arity(el, ftype)
    start = max(0, n_fn - _arity(el, target))
    for i in range(start, n_fn + 1):
        saved = el.save()
        params, concl = telescope(el, ftype, i)
        if el.unify(el.pi_formula(concl), target):
            el.run_postponed()
            new = _apply_goals(run, el, goal, params)
            run.commit(el)
            return new
        el.restore(saved)
    params, concl = telescope(el, ftype, start)
    concl = el.inst(el.pi_formula(concl))
    full = el.inst(el.pi_formula(ftype))
    if n_fn == 0:
        raise fail(tactic, goal, f"could not unify the type of `{disp}`\n  {pp(concl)}\nwith the goal\n"
                    f"  {pp(target)}")
    raise fail(tactic, goal, f"could not unify the conclusion of `{disp}`\n  {pp(concl)}\nwith the goal\n"
                f"  {pp(target)}\n\nNote: The full type of `{disp}` is\n  {pp(full)}")


def _apply_goals(run: TacticRunner, el: Elab, goal: Goal, params: list) -> list[Goal]:
    """The new goals of ``apply``: the hypotheses unification left open, then (Lean's
    ``nonDependentFirst``) the propositions it left undetermined, each a goal ``⊢ Prop`` whose
    metavariable ``?name`` the other goals share. Named after the binders when there are several."""
    def tag(name: str) -> str:
        if len(params) == 1:
            return goal.tag
        return child_tag(goal.tag, name) if goal.tag else name

    props: list[Goal] = []
    for name, m, _ in params:
        if m is not None:
            head = el.head(m)
            if isinstance(head, MVar) and head.id > 0:
                gm = run.new_mvar(name, goal.context)
                el.mv[head.id] = gm
                props.append(Goal(goal.context, gm, tag(name), gm.id))
    new: list[Goal] = []
    for name, m, dom in params:
        if m is None:
            target = el.inst(dom)
            if has_mvar(target):
                raise TacticError(f"don't know how to synthesize placeholder in the new goal\n  {pp(target)}")
            new.append(Goal(goal.context, target, tag(name)))
    return new + props + _hole_goals(el, "", "apply")


def t_apply(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    term, loc = tac.args
    el = run.elab(goal, "all", assign_goal=True)
    # Lean's evalApplyLikeTactic elaborates the term with `mayPostpone` and runs its `by` blocks after
    # `apply` unified it with the goal (Term.synthesizeSyntheticMVarsNoPostponing)
    el.postponed = [] if loc is None else None
    ftype, disp = _apply_type(run, el, term)
    if loc is not None:
        return _apply_at(run, el, goal, ftype, disp, loc)
    return apply_core(run, goal, el, ftype, disp)


def _apply_at(run: TacticRunner, el: Elab, goal: Goal, ftype, disp: str, loc: tuple) -> list[Goal]:
    """Mathlib's ``apply t at h``: ``h`` becomes the first argument of ``t`` its type matches."""
    if len(loc) != 1 or loc[0] in ("⊢", "*"):
        raise TacticError("`apply … at` takes one hypothesis")
    hyp = goal.hyp(loc[0])
    if hyp is None:
        raise TacticError(f"Unknown identifier `{loc[0]}`")
    t = ftype
    params = []
    while True:
        pi = el.as_pi(t)
        if pi is None:
            raise TacticError(f"`apply … at {hyp.name}`: no argument of `{disp}` has type\n  {pp(hyp.type)}")
        if pi.var is not None:
            m = el.fresh()
            params.append((pi.name, m, None))
            t = pi_subst(pi.body, {pi.var: m})
            continue
        saved = el.save()
        if el.unify(pi.dom, hyp.type):
            t = pi.body
            break
        el.restore(saved)
        params.append((pi.name, None, pi.dom))
        t = pi.body
    result = el.inst(el.pi_formula(t))
    if has_mvar(result):
        raise TacticError(f"the prop environment does not support `apply … at` leaving metavariables "
                          f"({pp(result)})")
    main = goal.without(hyp)
    main = add_named(main, hyp.name, result)
    side = []
    for name, m, dom in params:
        if m is not None:
            if isinstance(el.head(m), MVar):
                raise TacticError(f"the prop environment does not support `apply … at` leaving `?{name}`")
            continue
        side.append(Goal(goal.context, el.inst(dom), ""))
    run.commit(el)
    return [main] + side


def _apply_const(run: TacticRunner, goal: Goal, name: str, tactic: str) -> list[Goal]:
    el = run.elab(goal, assign_goal=True)
    s = run.lib.get(name) or LIBRARY.get(name)
    return apply_core(run, goal, el, scheme_pi(s), f"@{name}", tactic)


def t_constructor(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    t = unfold(goal.target)
    if isinstance(t, And):
        return _apply_const(run, goal, "And.intro", "constructor")
    if isinstance(t, Iff):
        return _apply_const(run, goal, "Iff.intro", "constructor")
    if isinstance(t, Top):
        return []
    if isinstance(t, Or):
        return _apply_const(run, goal, "Or.inl", "constructor")
    if isinstance(t, Eq):
        if defeq(t.left, t.right):
            return []
        raise fail("constructor", goal, "no applicable constructor found")
    if isinstance(t, Bot):
        raise fail("constructor", goal, "no applicable constructor found")
    raise fail("constructor", goal, "target is not an inductive datatype")


def t_left_right(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    which = tac.name
    t = unfold(goal.target)
    if isinstance(t, Or):
        return _apply_const(run, goal, "Or.inl" if which == "left" else "Or.inr", which)
    if isinstance(t, (And, Iff, Top, Bot, Eq)):
        raise fail(which, goal, f"{which} tactic works for inductive types with exactly 2 constructors")
    raise fail(which, goal, "target is not an inductive datatype")


def t_exfalso(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    return [goal.retarget(FALSE)]


def t_apply_assumption(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    """Mathlib's ``apply_assumption`` (``Mathlib/Tactic/SolveByElim.lean``): ``solve_by_elim`` with
    depth 1 and no backtracking, that is ``apply h`` with the first local hypothesis (or default lemma)
    that applies to the goal. Modelled on a goal that is a proposition variable or ``False``, where
    neither ``rfl``/``trivial``/``congrArg`` nor the ``intro``/``constructor``/``symm`` steps of
    ``solve_by_elim`` apply; only when every hypothesis that applies leaves the same goals (so the
    order of the candidates does not matter) and no undetermined proposition. Where no hypothesis
    applies Lean retries after ``exfalso``; the environment does not model that and fails."""
    if not isinstance(goal.target, (Atom, Bot)):
        raise Unsupported("the prop environment models `apply_assumption` only on a goal that is a "
                          "proposition variable or `False`")
    outcomes = []
    for h in goal.context:
        if h.type is None:
            continue
        assigned = dict(run.mvars)
        el = run.elab(goal, "all", assign_goal=True)
        try:
            new = apply_core(run, goal, el, h.type, h.name)
        except TacticError:
            run.mvars = assigned
            continue
        run.mvars = assigned
        if any(g.mvar for g in new):
            raise Unsupported("the prop environment does not support `apply_assumption` leaving a "
                              "proposition undetermined")
        outcomes.append(new)
    if not outcomes:
        if not isinstance(goal.target, Bot) and _applies_to_false(run, goal):
            raise Unsupported("the prop environment does not model the `exfalso` retry of `apply_assumption`")
        raise TacticError("apply_assumption failed: no hypothesis applies to the goal")
    first = [(g.target, tuple(x.type for x in g.context)) for g in outcomes[0]]
    if any([(g.target, tuple(x.type for x in g.context)) for g in o] != first for o in outcomes[1:]):
        raise Unsupported("the prop environment does not model which of several hypotheses "
                          "`apply_assumption` applies")
    return outcomes[0]


def _applies_to_false(run: TacticRunner, goal: Goal) -> bool:
    g = goal.retarget(FALSE)
    for h in goal.context:
        if h.type is None:
            continue
        assigned = dict(run.mvars)
        try:
            apply_core(run, g, run.elab(g, "all", assign_goal=True), h.type, h.name)
            return True
        except TacticError:
            continue
        finally:
            run.mvars = assigned
    return False
