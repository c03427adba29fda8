"""What every tactic uses: the runner's interface, Lean's failure messages, case tags and naming.

A tactic is a function ``(run, tac, goal) -> new goals`` (or ``(run, tac, goals) -> goals`` for the
few that see the whole goal list); ``run`` is the :class:`TacticRunner` that called it.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

from qedjax.envs.prop.decls import Library
from qedjax.envs.prop.elab import Elab
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.state import Goal, Hyp, pp_goal
from qedjax.envs.prop.syntax import Formula, pp
from qedjax.envs.prop.unify import has_mvar

__all__ = ["TacticRunner", "SORRY_MESSAGE", "NO_GOALS", "child_tag", "unsolved", "fail", "add_named",
           "find_case", "rename_inaccessibles"]


class TacticRunner(Protocol):
    """What a tactic may ask of the runner that executes it (``tactics.Runner``)."""

    lib: Library
    allow_tauto: bool
    allow_sorry: bool
    sorry_pos: list
    hygienic: bool
    push_neg_distrib: bool
    says_verify: bool
    defs: dict | None  # the file's definitions of propositions (name -> body)

    def elab(self, goal: Goal, holes: str = "none", assign_goal: bool = False) -> Elab:
        """An elaborator over ``goal``'s context (``holes``: which placeholders become new goals;
        ``assign_goal``: whether it may assign the proof state's metavariables ``?a``)."""

    def commit(self, el: Elab) -> None:
        """Hand the proof state's metavariables ``el`` assigned back to the state."""

    def new_mvar(self, name: str, context: tuple = ()):
        """A fresh metavariable ``?name`` of the proof state, with the local context ``context``."""

    def assign_mvar(self, m, f: Formula, here) -> None:
        """Assign the proof state's metavariable ``m`` to ``f`` (``here``: the local of a name there)."""

    def instantiate(self, goals: tuple) -> tuple:
        """``goals`` with the assigned metavariables substituted (assigned ``⊢ Prop`` goals dropped)."""

    def main_goal(self, goals: tuple) -> tuple[Goal, tuple]:
        """The main goal and the others; Lean's ``No goals to be solved`` when there is none."""

    def close_or_admit(self, seq, goal: Goal, ref: int) -> None:
        """Run a nested block on ``goal`` alone; it must close it (errors are recovered from in a file)."""


SORRY_MESSAGE = "declaration uses `sorry`"
NO_GOALS = "No goals to be solved"


def child_tag(parent: str, suffix: str) -> str:
    return f"{parent}.{suffix}" if parent else suffix


def unsolved(goals) -> str:
    return "unsolved goals\n" + "\n\n".join(pp_goal(g) for g in goals)


def fail(tactic: str, goal: Goal, msg: str | None = None) -> TacticError:
    head = f"Tactic `{tactic}` failed" + (f": {msg}" if msg else "")
    return TacticError(f"{head}\n\n{pp_goal(goal)}")


def no_hole_in_type(ty: Formula, tactic: str) -> None:
    """A type with a hole and no value to fix it (``have h : _``, ``suffices h : _``, ``obtain h : _``):
    Lean shares the hole's metavariable between the new goal and the hypothesis, which prop does not
    model (each would take its own value), so it refuses."""
    if has_mvar(ty):
        raise Unsupported(f"the prop environment does not support `{tactic}` with a hole in the type "
                          f"and no value\n  {pp(ty)}")


def add_named(goal: Goal, name: str, ty: Formula) -> Goal:
    """Add ``name : ty`` (``_``: a hygienic ``a✝``). It may shadow anything of that name, a proposition
    variable too: the formulas keep meaning the variable, which Lean then prints ``P✝``."""
    if name in ("_",):
        return goal.with_hyp(Hyp("a", ty, accessible=False))
    return goal.with_hyp(Hyp(name, ty))


def unused_name(goal: Goal, base: str) -> str:
    """Lean's ``LocalContext.getUnusedName``: ``base``, or ``base_1``, ``base_2``, … when written names
    (accessible ones, shadowed or not) already use it; hygienic names never collide."""
    used = {h.name for h in goal.context if h.accessible}
    if base not in used:
        return base
    k = 1
    while f"{base}_{k}" in used:
        k += 1
    return f"{base}_{k}"


def binder_hyp(goal: Goal, base: str, ty: Formula, hygienic: bool) -> Goal:
    """Add a hypothesis a tactic names after a binder (``intro``, ``cases``): hygienic ``base✝``, or with
    ``set_option tactic.hygienic false`` the accessible :func:`unused_name` (Lean's
    ``mkFreshBinderNameForTactic``)."""
    if hygienic:
        return goal.with_hyp(Hyp(base, ty, accessible=False))
    return goal.with_hyp(Hyp(unused_name(goal, base), ty))


def find_case(goals: tuple, tag: str, pos: int) -> tuple[Goal, tuple]:
    if tag == "_":
        if not goals:
            raise TacticError(NO_GOALS, pos)
        return goals[0], goals[1:]
    parts = tag.split(".")
    for test in (lambda t: t == tag,
                 lambda t: t.split(".")[-len(parts):] == parts,
                 lambda t: t.split(".")[:len(parts)] == parts):
        for i, g in enumerate(goals):
            if g.tag and test(g.tag):
                return g, goals[:i] + goals[i + 1:]
    names = [g.tag for g in goals if g.tag]
    first = f"Case tag '{tag}' not found."
    if not names:
        raise TacticError(f"{first}\n\nThere are no cases to select.", pos)
    if len(names) == 1:
        raise TacticError(f"{first}\n\nThe only available case tag is '{names[0]}'.", pos)
    raise TacticError(f"{first}\n\nAvailable tags: " + ", ".join(f"'{n}'" for n in names), pos)


def rename_inaccessibles(goal: Goal, names: tuple, pos: int) -> Goal:
    """Lean's ``rename_i``: name the most recent hygienic or shadowed declarations, last name last."""
    if not names:
        return goal
    ctx = list(goal.context)
    todo = list(names)
    seen: set[str] = set()
    for j in range(len(ctx) - 1, -1, -1):
        h = ctx[j]
        if not h.accessible or h.name in seen:
            new = todo.pop()
            if new != "_":
                if h.is_var:
                    raise TacticError("the prop environment does not support renaming proposition "
                                      "variables", pos)
                ctx[j] = Hyp(new, h.type)
            if not todo:
                break
        if h.accessible:  # a hygienic name never shadows a written one (its macro scopes differ)
            seen.add(h.name)
    if todo:
        raise TacticError("too many variable names provided", pos)
    return dataclasses.replace(goal, context=tuple(ctx))
