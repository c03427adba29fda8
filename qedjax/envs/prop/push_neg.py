"""Mathlib's ``push_neg``, ``contrapose``/``contrapose!`` and ``by_contra!`` on propositions.

``push_neg`` (``Mathlib/Tactic/PushNeg.lean``, leanprover-community/mathlib4 @
0327127cf333d8c7498db7790c2521d3dfd6411b) runs ``Simp.main`` with no simp lemmas and
``transformNegation`` as its ``pre`` method. At each subterm a negation is rewritten for as long as it
can be (``transformNegationStep``):

    ¬¬p ↦ p              ¬(p ∧ q) ↦ p → ¬q   (¬p ∨ ¬q with ``set_option push_neg.use_distrib true``)
    ¬(p ∨ q) ↦ ¬p ∧ ¬q   ¬(p ↔ q) ↦ p ∧ ¬q ∨ ¬p ∧ q      ¬(p → q) ↦ p ∧ ¬q

then simp visits the subterms and, when one changed, the whole term again. ``¬True``, ``¬False`` and
the negation of an atom stay as they are. Where Lean's result leaves the propositional fragment
(``¬∀ P : Prop, …`` becomes ``∃``, ``¬(p = q)`` becomes ``p ≠ q``) the tactic is refused, and so is a
formula with a local definition (``whnfR`` could unfold it). A location where nothing changes is
Lean's error ``push_neg made no progress``; ``at *`` tries the goal and every hypothesis and only
reports when none changed (``withLocation``), and that report is information, not an error.

``contrapose`` (``Mathlib/Tactic/Contrapose.lean`` @ 0a408b5a52fe1811f716496e5af3dcf0fad35e15) is
``refine mtr ?_`` with ``mtr : (¬q → ¬p) → (p → q)``: a goal ``p → q`` becomes ``¬q → ¬p``;
``contrapose h (with h')`` is ``revert h; contrapose; intro h (h')``; ``contrapose!`` adds ``push_neg``
(no ``try``: it fails where ``push_neg`` makes no progress). ``by_contra! h`` (``Mathlib/Tactic/
ByContra.lean`` @ 0b28b0d249b397d467bfd2276473eac8ca2893b5) is ``by_contra h; try push_neg at h`` with
``this`` for a missing name, and ``by_contra! h : t`` checks ``t`` (negations pushed) against that
hypothesis by ``exact`` and keeps ``h : t``.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.state import Goal, Hyp
from qedjax.envs.prop.syntax import (
    BINARY,
    FALSE,
    And,
    Eq,
    Forall,
    Formula,
    Iff,
    Imp,
    Not,
    Or,
    has_let,
    pp,
)
from qedjax.envs.prop.tactic_base import TacticRunner, add_named
from qedjax.envs.prop.unify import defeq, has_goal_mvar, has_mvar

__all__ = ["push_neg", "t_push_neg", "t_contrapose", "t_by_contra_bang"]

NO_PROGRESS = "push_neg made no progress"


def _step(f: Not, distrib: bool) -> Formula | None:
    """``transformNegationStep`` on ``¬ex``: the rewritten formula, or None where it stays."""
    ex = f.arg
    t = type(ex)
    if t is Not:
        return ex.arg
    if t is And:
        return Or(Not(ex.left), Not(ex.right)) if distrib else Imp(ex.left, Not(ex.right))
    if t is Or:
        return And(Not(ex.left), Not(ex.right))
    if t is Iff:
        return Or(And(ex.left, Not(ex.right)), And(Not(ex.left), ex.right))
    if t is Imp:
        return And(ex.left, Not(ex.right))
    if t is Eq:
        raise TacticError(f"the prop environment does not support push_neg turning {pp(f)} into `≠`")
    if t is Forall:
        raise TacticError(f"the prop environment does not support push_neg turning {pp(f)} into `∃`")
    return None


def _visit(f: Formula, distrib: bool) -> Formula:
    """``Simp.main``'s loop with ``pre := transformNegation`` and no lemmas."""
    while True:
        changed = False
        while type(f) is Not:  # pre: transformNegation, repeated on its own result
            g = _step(f, distrib)
            if g is None:
                break
            f, changed = g, True
        if changed:
            continue  # a new term: visit it again, from `pre`
        t = type(f)
        if t is Not:
            a = _visit(f.arg, distrib)
            new = f if a is f.arg else Not(a)
        elif t in BINARY:
            a, b = _visit(f.left, distrib), _visit(f.right, distrib)
            new = f if (a is f.left and b is f.right) else t(a, b)
        elif t is Forall:
            b = _visit(f.body, distrib)
            new = f if b is f.body else Forall(f.var, b)
        else:
            return f
        if new is f:
            return f
        f = new  # the subterms changed: simp visits the whole term again


def push_neg(f: Formula, distrib: bool = False) -> Formula:
    """``f`` with its negations pushed in as Mathlib's ``push_neg`` does (TacticError outside prop)."""
    if has_let(f):
        raise TacticError("the prop environment does not support push_neg on a formula with a local "
                          "definition")
    if has_goal_mvar(f):
        raise TacticError("the prop environment does not support push_neg on a goal with metavariables")
    return _visit(f, distrib)


def _at_hyp(goal: Goal, h: Hyp, distrib: bool) -> Goal:
    new = push_neg(h.type, distrib)
    if new == h.type:
        raise TacticError(NO_PROGRESS)
    ctx = list(goal.context)  # `replaceLocalDecl`: the new hypothesis takes the old one's place
    ctx[ctx.index(h)] = dataclasses.replace(h, type=new)
    return dataclasses.replace(goal, context=tuple(ctx))


def _at_target(goal: Goal, distrib: bool) -> Goal:
    new = push_neg(goal.target, distrib)
    if new == goal.target:
        raise TacticError(NO_PROGRESS)
    return goal.retarget(new)


def t_push_neg(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    loc = tac.args[0]
    distrib = run.push_neg_distrib
    if tac.name == "push":  # Mathlib/Tactic/Push.lean: `push_neg` is `push Not`; `+distrib` as the option
        _, head, flag = tac.args
        if head != "Not":
            raise Unsupported(f"the prop environment supports `push` only with `Not` (`push {head}`)")
        if flag is not None:
            distrib = distrib or flag
    if loc is None:
        return [_at_target(goal, distrib)]
    if loc == ("*",):  # the goal, then every hypothesis; only "none changed" is reported
        g = goal
        try:
            g = _at_target(g, distrib)
        except TacticError as e:
            if e.message != NO_PROGRESS:
                raise
        for h in reversed(goal.context):
            if h.type is None:
                continue
            try:
                g = _at_hyp(g, h, distrib)
            except TacticError as e:
                if e.message != NO_PROGRESS:
                    raise
        return [g]
    g = goal
    for name in loc:
        if name == "⊢":
            continue
        h = g.lookup(name)
        if h is None:
            raise TacticError(f"Unknown identifier `{name}`")
        if h.type is None:  # a proposition variable: its type `Prop` has no negation
            raise TacticError(NO_PROGRESS)
        g = _at_hyp(g, h, distrib)
    if "⊢" in loc:
        g = _at_target(g, distrib)
    return [g]


def _contrapose(goal: Goal) -> Goal:
    t = goal.target
    if not isinstance(t, Imp):
        raise TacticError(f"the prop environment supports contrapose only on an implication, not\n  {pp(t)}")
    return goal.retarget(Imp(Not(t.right), Not(t.left)))


def t_contrapose(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    """``contrapose`` / ``contrapose!``, with ``h`` and ``with h'``."""
    name, new_name = tac.args
    bang = tac.name == "contrapose!"
    if name is None:
        g = _contrapose(goal)
        return [_at_target(g, run.push_neg_distrib) if bang else g]
    h = goal.hyp(name)
    if h is None:
        raise TacticError(f"Unknown identifier `{name}`")
    reverted = goal.without(h).retarget(Imp(h.type, goal.target))  # revert h
    g = _contrapose(reverted)
    if bang:
        g = _at_target(g, run.push_neg_distrib)
    t = g.target  # intro
    return [add_named(g.retarget(t.right), new_name or name, t.left)]


def t_by_contra_bang(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    """``by_contra! h`` (``this`` without a name), ``by_contra! h : t``."""
    name, ty_term = tac.args
    name = name or "this"
    t = goal.target
    hyp_type = t.arg if isinstance(t, Not) else Not(t)  # Batteries' by_contra
    hyp_type = push_neg(hyp_type, run.push_neg_distrib)  # `try push_neg at h`
    g = goal.retarget(FALSE)
    if ty_term is None:
        return [g.with_hyp(Hyp("this", hyp_type)) if name == "this" else add_named(g, name, hyp_type)]
    el = run.elab(goal)
    ty = el.prop(ty_term)
    if has_mvar(ty):
        raise TacticError(f"don't know how to synthesize placeholder in\n  {pp(ty)}")
    pushed = push_neg(ty, run.push_neg_distrib)  # `try push_neg`: unchanged where nothing moves
    if not defeq(pushed, hyp_type):
        raise TacticError(f"type mismatch\n  h\nhas type\n  {pp(hyp_type)} : Prop\nbut is expected to have "
                          f"type\n  {pp(pushed)} : Prop")
    return [add_named(g, name, ty)]
