"""Destructing hypotheses: ``cases``/``induction`` (with ``with | ctor names => …``), ``cases'``,
``rcases``/``obtain`` patterns, ``match``, ``by_cases``, ``by_contra`` and ``absurd``.

Case tags follow Lean: ``cases``/``rcases``/``rintro`` append ``inl``/``inr``/``intro``; ``by_cases``
gives ``pos``/``neg``. A bare hypothesis that is destructed leaves the context, as in Lean.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.patterns import check_rows, constructors, normalise_pattern, pattern_bindings
from qedjax.envs.prop.state import Goal, Hyp
from qedjax.envs.prop.syntax import FALSE, And, Bot, Eq, Formula, Iff, Imp, Not, Or, Top, pp, unlet
from qedjax.envs.prop.tactic_base import TacticRunner, add_named, binder_hyp, child_tag, fail, no_hole_in_type
from qedjax.envs.prop.terms import PAlts, PCtor, PTuple, PTyped, PVar, TIdent
from qedjax.envs.prop.unify import defeq, has_mvar

__all__ = ["t_cases", "t_cases_prime", "rcases_pattern", "t_rcases", "t_obtain", "t_by_cases", "t_by_contra",
           "t_absurd", "match_alts", "t_match"]


def _destruct_source(run: TacticRunner, goal: Goal, term) -> tuple[Goal, Hyp | None, Formula]:
    """Elaborate the term to destruct; a bare hypothesis is removed from the context (as Lean)."""
    if isinstance(term, TIdent) and goal.lookup(term.name) is not None:
        hyp = goal.lookup(term.name)
        if hyp.is_var:
            raise TacticError("the prop environment cannot case on a proposition variable")
        return goal.without(hyp), hyp, unlet(hyp.type)
    ty = run.elab(goal).check(term, None)
    if has_mvar(ty):
        raise TacticError(f"don't know how to synthesize implicit arguments in\n  {pp(ty)}")
    return goal, None, unlet(ty)


def _cases_goals(goal: Goal, parent: Goal, ty: Formula, names_for=None,
                 hygienic: bool = True) -> list[tuple[str, Goal]]:
    """One goal per constructor; its fields are named as given, else after the constructor's binders
    (``left``/``right``, ``h``, ``mp``/``mpr``: hygienic unless ``tactic.hygienic`` is off)."""
    cs = constructors(ty)
    if cs is None:
        raise fail("cases", parent, f"major premise type is not an inductive type\n  {pp(ty)}")
    out = []
    for ctor, ftypes, fnames in cs:
        g = goal.retag(child_tag(parent.tag, ctor))
        given = list(names_for(ctor, len(ftypes))) if names_for else []
        for k, (ft, fn) in enumerate(zip(ftypes, fnames)):
            name = given[k] if k < len(given) else "_"
            if name == "_":
                g = binder_hyp(g, fn, ft, hygienic)
            else:
                g = add_named(g, name, ft)
        out.append((ctor, g))
    return out


def t_cases(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    term, alts = tac.args
    g, hyp, ty = _destruct_source(run, goal, term)
    if isinstance(ty, Eq):
        raise TacticError("the prop environment does not support `cases` on an equality")
    if alts is None:
        return [g2 for _, g2 in _cases_goals(g, goal, ty, hygienic=run.hygienic)]
    cs = constructors(ty)
    if cs is None:
        raise fail(tac.name, goal, f"major premise type is not an inductive type\n  {pp(ty)}")
    ctor_names = [c for c, _, _ in cs]
    chosen: dict[str, tuple] = {}
    wildcard = None
    for alt in alts:
        for head in alt.pats:
            ctor = head.ctor.rpartition(".")[2] if head.ctor != "_" else "_"
            if ctor == "_":
                wildcard = alt
                continue
            if ctor not in ctor_names:
                expected = " or ".join(f"`{c}`" for c in ctor_names) or "no alternatives"
                raise TacticError(f"Invalid alternative name `{head.ctor}`: Expected {expected}", alt.pos)
            if ctor in chosen:
                raise TacticError(f"Duplicate alternative name `{ctor}`", alt.pos)
            chosen[ctor] = (alt, [p.name for p in head.args])
    for c in ctor_names:
        if c not in chosen:
            if wildcard is None:
                raise TacticError(f"Alternative `{c}` has not been provided", tac.pos)
            chosen[c] = (wildcard, [])
    for c, ftypes, _ in cs:
        names = chosen[c][1]
        if len(names) > len(ftypes):
            raise TacticError("Too many variable names provided", chosen[c][0].pos)
    subgoals = dict(_cases_goals(g, goal, ty, lambda c, k: chosen[c][1], run.hygienic))
    left = []
    for c in ctor_names:
        alt = chosen[c][0]
        if alt.rhs is None:  # `| ctor names` or `=> ?_`: the case stays a goal
            left.append(subgoals[c])
            continue
        run.close_or_admit(alt.rhs, subgoals[c], alt.pos)
    return left


def t_cases_prime(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    term, names = tac.args
    g, hyp, ty = _destruct_source(run, goal, term)
    cs = constructors(ty)
    if cs is None:
        raise fail(tac.name, goal, f"major premise type is not an inductive type\n  {pp(ty)}")
    queue = list(names)
    per_ctor = {}
    for c, ftypes, _ in cs:
        per_ctor[c] = [queue.pop(0) if queue else "_" for _ in ftypes]
    return [g2 for _, g2 in _cases_goals(g, goal, ty, lambda c, k: per_ctor[c], run.hygienic)]


def _field(pat):
    """The pattern of a constructor's only field (`processConstructor`): ``⟨⟩`` is ``_``, ``⟨p⟩`` is ``p``."""
    if isinstance(pat, PTuple) and len(pat.items) <= 1:
        return pat.items[0] if pat.items else None
    return pat


def rcases_pattern(run: TacticRunner, goal: Goal, src: Hyp | None, ty: Formula, pat, default: str,
                    tag_cases: bool = True) -> list[Goal]:
    """Destruct a proof of ``ty`` by an rcases pattern; returns the resulting goals."""
    if pat is None or isinstance(pat, PVar):
        name = pat.name if pat is not None else "_"
        if name == "-":
            return [goal]
        if name == "_":
            return [goal.with_hyp(Hyp(src.name if src else default, ty, accessible=False))]
        if name == "rfl":
            raise TacticError("the prop environment does not support the `rfl` pattern")
        return [add_named(goal, name, ty)]
    if isinstance(pat, PTyped):
        want = run.elab(goal).prop(pat.type)
        if not defeq(want, ty):
            raise TacticError(f"rcases: type mismatch\n  {pp(ty)}\nexpected\n  {pp(want)}")
        return rcases_pattern(run, goal, src, want, pat.pat, default, tag_cases)
    if isinstance(pat, PCtor):
        raise TacticError("constructor patterns are not rcases patterns; use ⟨…⟩ or `|`")
    if isinstance(ty, Bot):
        return []
    if isinstance(pat, PAlts):
        if not isinstance(ty, Or):
            if len(pat.alts) == 1:
                return rcases_pattern(run, goal, src, ty, pat.alts[0], default, tag_cases)
            # `processConstructors`: a type of one constructor gives it all the alternatives, which its
            # first field takes (`⟨a | b⟩`); a type that is no inductive fails below
            pat = PTuple((pat,))
    if isinstance(pat, PAlts):
        left_pat = _field(pat.alts[0])
        rest = pat.alts[1:]
        right_pat = _field(rest[0]) if len(rest) == 1 else (PAlts(rest) if rest else None)
        gl = goal.retag(child_tag(goal.tag, "inl")) if tag_cases else goal
        gr = goal.retag(child_tag(goal.tag, "inr")) if tag_cases else goal
        return (rcases_pattern(run, gl, None, ty.left, left_pat, "h", tag_cases)
                + rcases_pattern(run, gr, None, ty.right, right_pat, "h", tag_cases))
    assert isinstance(pat, PTuple)
    items = pat.items
    if isinstance(ty, Top):
        return [goal.retag(child_tag(goal.tag, "intro")) if tag_cases else goal]
    # `⟨p⟩` is a tuple as any other (`processConstructor`): `p` takes the first field, the others `_`
    if isinstance(ty, And):
        g = goal.retag(child_tag(goal.tag, "intro")) if tag_cases else goal
        rest = items[1:]
        out = []
        for g1 in rcases_pattern(run, g, None, ty.left, items[0] if items else None, "left", False):
            sub = rest[0] if len(rest) == 1 else (PTuple(rest) if rest else None)
            out.extend(rcases_pattern(run, g1, None, ty.right, sub, "right", tag_cases))
        return out
    if isinstance(ty, Iff):
        g = goal.retag(child_tag(goal.tag, "intro")) if tag_cases else goal
        out = []
        for g1 in rcases_pattern(run, g, None, Imp(ty.left, ty.right), items[0] if items else None, "mp",
                                  False):
            sub = items[1] if len(items) == 2 else (PTuple(items[1:]) if len(items) > 2 else None)
            out.extend(rcases_pattern(run, g1, None, Imp(ty.right, ty.left), sub, "mpr", False))
        return out
    if isinstance(ty, Or):
        # a tuple is one alternative (`RCasesPatt.asAlts`): it destructs `inl`'s field and `inr`'s
        # takes the default pattern `_` (`processConstructors`, src/Lean/Elab/Tactic/RCases.lean)
        return rcases_pattern(run, goal, src, ty, PAlts((pat, PVar("_"))), default, tag_cases)
    shown = (src.name if src else default) + "✝"
    raise TacticError(f"rcases: {shown} : {pp(ty)} is not an inductive datatype")


def t_rcases(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    term, pat = tac.args
    g, hyp, ty = _destruct_source(run, goal, term)
    return rcases_pattern(run, g, hyp, ty, pat, "h")


def t_obtain(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    pat, ty_term, value = tac.args
    if value is None:
        if ty_term is None:
            raise TacticError("`obtain` needs `: type` or `:= proof`")
        ty = run.elab(goal).prop(ty_term)
        no_hole_in_type(ty, "obtain")
        return [Goal(goal.context, ty, "")] + rcases_pattern(run, goal, None, ty, pat, "h")
    if ty_term is not None:
        el = run.elab(goal)
        ty = el.check(value, el.prop(ty_term))  # the value fixes the type's holes (`_ ∧ _`)
        if has_mvar(ty):
            raise TacticError(f"don't know how to synthesize placeholder in the type\n  {pp(ty)}")
        return rcases_pattern(run, goal, None, ty, pat, "h")
    g, hyp, ty = _destruct_source(run, goal, value)
    return rcases_pattern(run, g, hyp, ty, pat, "h")


def t_by_cases(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    name, term = tac.args
    f = run.elab(goal).prop(term)
    if has_mvar(f):
        raise TacticError("don't know how to synthesize placeholder in `by_cases`")
    pos = goal.retag("pos")
    neg = goal.retag("neg")
    if name is None:
        return [pos.with_hyp(Hyp("h", f, False)), neg.with_hyp(Hyp("h", Not(f), False))]
    return [add_named(pos, name, f), add_named(neg, name, Not(f))]


def t_by_contra(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    t = goal.target
    hyp_type = t.arg if isinstance(t, Not) else Not(t)
    g = goal.retarget(FALSE)
    if tac.args and tac.args[0] != "_":
        return [add_named(g, tac.args[0], hyp_type)]
    return [g.with_hyp(Hyp("x", hyp_type, accessible=False))]


def t_absurd(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    ty = run.elab(goal).check(tac.args[0], None)
    if has_mvar(ty):
        raise TacticError(f"don't know how to synthesize implicit arguments in\n  {pp(ty)}")
    if isinstance(ty, Not):  # Batteries: `refine absurd ?_ h` first
        return [goal.retarget(ty.arg)]
    return [dataclasses.replace(goal, target=Not(ty))]


def match_alts(run: TacticRunner, goal: Goal, types: list[Formula], alts, pos) -> list[Goal]:
    el = run.elab(goal)
    rows = []
    for alt in alts:
        if len(alt.pats) != len(types):
            raise TacticError(f"Wrong number of patterns: expected {len(types)}", alt.pos)
        rows.append([normalise_pattern(p, t, el, alt.pos) for p, t in zip(alt.pats, types)])
    check_rows(rows, types, [a.pos for a in alts], pos)
    for alt, row in zip(alts, rows):
        g = goal
        for p, t in zip(row, types):
            for hyp in pattern_bindings(p, t, "x"):
                g = g.with_hyp(hyp)
        run.close_or_admit(alt.rhs, g, alt.pos)
    return []


def t_match(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    discrs, alts = tac.args
    el = run.elab(goal)
    types = []
    for d in discrs:
        ty = el.check(d, None)
        if has_mvar(ty):
            raise TacticError(f"don't know how to synthesize implicit arguments in\n  {pp(ty)}", d.pos)
        types.append(ty)
    return match_alts(run, goal, types, alts, tac.pos)
