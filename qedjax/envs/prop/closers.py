"""Tactics that close a goal or fail: ``assumption``, ``contradiction``, ``rfl``, ``decide``, ``trivial``,
``triv``, ``done``, ``sorry``, ``tauto`` (the oracle, only when enabled), plus ``skip`` and ``symm``.

``assumption`` and ``contradiction`` compare types up to definitional equality (``¬a`` is ``a →
False``); ``decide`` evaluates closed propositions only (an atom has no ``Decidable`` instance).
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.oracle import eval_mask, goal_provable
from qedjax.envs.prop.state import Goal, pp_goal
from qedjax.envs.prop.syntax import And, Atom, Bot, Eq, Formula, Iff, Imp, Not, Or, Top, atoms, pp
from qedjax.envs.prop.tactic_base import SORRY_MESSAGE, TacticRunner, fail, unsolved
from qedjax.envs.prop.unify import defeq, has_goal_mvar, norm

__all__ = ["assumption_closes", "t_assumption", "t_contradiction", "t_rfl", "t_decide", "t_trivial",
           "t_triv", "t_done", "t_skip", "t_sorry", "t_tauto", "t_symm"]


def assumption_closes(goal: Goal) -> bool:
    target = norm(goal.target)
    return any(h.type is not None and norm(h.type) == target for h in goal.context)


def _contradiction_holds(goal: Goal) -> bool:
    types = [h.type for h in goal.context if h.type is not None]
    normed = {norm(t) for t in types}
    for t in types:
        if isinstance(t, Bot):
            return True
        n = norm(t)
        if isinstance(n, Imp) and isinstance(n.right, Bot) and n.left in normed:
            return True
        if _decidable(t) and not _closed_eval(t):
            return True
    return False


def _decidable(f: Formula) -> bool:
    """Whether ``f`` has no free variable and a ``Decidable`` instance that evaluates: ``True``/``False``
    under ``¬ ∧ ∨ → ↔`` (Lean's instances for them; none for ``=`` between propositions or ``∀``)."""
    if isinstance(f, (Top, Bot)):
        return True
    if isinstance(f, Not):
        return _decidable(f.arg)
    return isinstance(f, (And, Or, Imp, Iff)) and _decidable(f.left) and _decidable(f.right)


def _closed_eval(f: Formula) -> bool:
    return eval_mask(f, {}, 1) == 1


def t_assumption(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    # Lean's `assumption` (`findLocalDeclWithType?`) takes the latest hypothesis whose type is defeq to
    # the target, assigning the proof state's metavariables in either (`hp : ?p ⊢ p` after `apply byCases`)
    if not has_goal_mvar(goal.target) and not any(h.type is not None and has_goal_mvar(h.type)
                                                  for h in goal.context):
        if assumption_closes(goal):
            return []
    else:
        for h in reversed(goal.context):
            if h.type is not None:
                el = run.elab(goal, assign_goal=True)
                if el.unify(h.type, goal.target):
                    run.commit(el)
                    return []
        if assumption_closes(goal):
            return []
    raise fail("assumption", goal)


def _negated(t: Formula) -> Formula | None:
    """Lean's ``matchNot?``: ``p`` of ``¬p`` or of ``p → False``."""
    if isinstance(t, Not):
        return t.arg
    if isinstance(t, Imp) and isinstance(t.right, Bot):
        return t.left
    return None


def _contradiction_assigning(run: TacticRunner, goal: Goal) -> bool:
    """``contradictionCore`` (Lean/Meta/Tactic/Contradiction.lean) on a context with metavariables of the
    proof state: hypotheses in order; for ``h : ¬p``, the latest hypothesis whose type is ``p`` by
    ``isDefEq`` (``findLocalDeclWithType?``), which assigns metavariables: ``hnna : ¬¬a`` and ``haf : a →
    ?b`` close the goal with ``?b := False``; then ``h : False`` and ``decide`` on a hypothesis free of
    variables and metavariables."""
    hyps = [h.type for h in goal.context if h.type is not None]
    for t in hyps:
        p = _negated(t)
        if p is not None:
            for t2 in reversed(hyps):
                if defeq(p, t2):
                    return True
                el = run.elab(goal, assign_goal=True)
                if el.unify(p, t2):
                    run.commit(el)
                    return True
        if isinstance(t, Bot) or (not has_goal_mvar(t) and _decidable(t) and not _closed_eval(t)):
            return True
    return False


def t_contradiction(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    if any(h.type is not None and has_goal_mvar(h.type) for h in goal.context):
        if _contradiction_assigning(run, goal):
            return []
    elif _contradiction_holds(goal):
        return []
    raise fail("contradiction", goal)


def _rfl_ok(t: Formula) -> bool:
    return isinstance(t, (Iff, Eq)) and defeq(t.left, t.right)


def t_rfl(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    t = goal.target
    if _rfl_ok(t):
        return []
    if isinstance(t, (Iff, Eq)):
        raise fail("rfl", goal, f"The left-hand side\n  {pp(t.left)}\nis not definitionally equal to the "
                    f"right-hand side\n  {pp(t.right)}")
    raise fail("rfl", goal, "The goal is not a reflexive relation (neither `=` nor a relation with a "
                "@[refl] lemma)")


def _decide(goal: Goal) -> bool:
    t = goal.target
    if atoms(t):
        raise TacticError(f"failed to synthesize\n  Decidable {pp(Atom(atoms(t)[0]))}")
    if not _decidable(t):  # `∀ p : Prop, …` has no instance (a bound variable is no free atom)
        raise TacticError(f"failed to synthesize\n  Decidable ({pp(t)})")
    if _closed_eval(t):
        return True
    raise TacticError(f"Tactic `decide` proved that the proposition\n  {pp(t)}\nis false")


def t_decide(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    _decide(goal)
    return []


def _trivial(goal: Goal) -> bool:
    t = goal.target
    if assumption_closes(goal) or _rfl_ok(t) or _contradiction_holds(goal) or isinstance(t, Top):
        return True
    if not atoms(t) and _decidable(t) and _closed_eval(t):
        return True
    if isinstance(t, And):
        return _trivial(goal.retarget(t.left)) and \
            _trivial(goal.retarget(t.right))
    return False


def t_trivial(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    if _trivial(goal):
        return []
    raise fail("assumption", goal)


def t_triv(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    if isinstance(goal.target, Top):
        return []
    raise TacticError(f"`triv` proves only `True` here\n\n{pp_goal(goal)}")


def t_done(run: TacticRunner, tac: Tac, goals: tuple) -> tuple:
    if goals:
        raise TacticError(unsolved(goals))
    return goals


def t_skip(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    return [goal]


def t_sorry(run: TacticRunner, tac: Tac, goals: tuple) -> tuple:
    if not run.allow_sorry:
        raise TacticError(SORRY_MESSAGE)
    run.main_goal(goals)
    run.sorry_pos.append(tac.pos)
    return goals[1:]


def t_tauto(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    if not run.allow_tauto:
        raise TacticError("tactic `tauto` is disabled in this environment (enable it with allow_tauto / "
                          "--allow-tauto)")
    if goal_provable(goal):
        return []
    raise TacticError("tauto failed to solve some goals.")


def t_symm(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    loc = tac.args[0] if tac.args else None
    if loc is not None and loc != ("⊢",):  # `symm at h` (Init/Tactics.lean) rewrites `h : a ~ b` to `b ~ a`
        if "*" in loc:
            raise TacticError("the prop environment does not support `symm at *`")
        ctx = list(goal.context)
        for name in loc:
            if name == "⊢":
                continue
            h = goal.hyp(name)
            if h is None:
                raise TacticError(f"Unknown identifier `{name}`")
            if not isinstance(h.type, (Iff, Eq)):
                raise TacticError(f"symm made no progress\n\n{pp_goal(goal)}")
            ctx[ctx.index(h)] = dataclasses.replace(h, type=type(h.type)(h.type.right, h.type.left))
        goal = dataclasses.replace(goal, context=tuple(ctx))
        if "⊢" not in loc:
            return [goal]
    t = goal.target
    if isinstance(t, (Iff, Eq)):
        return [dataclasses.replace(goal, target=type(t)(t.right, t.left))]
    raise TacticError(f"symm made no progress\n\n{pp_goal(goal)}")
