"""Lean 4 tactics on propositional goals, with Lean's semantics on the main goal and Lean's errors.

``run_tactic(state, text)`` returns the new goal list or raises :class:`TacticError`. Sequencing with
``;``, newlines and ``t₁ <;> t₂`` is supported. Case tags follow Lean: ``constructor`` gives
``left``/``right`` (``mp``/``mpr``), ``cases`` gives ``inl``/``inr``/``intro``, ``by_cases`` gives
``pos``/``neg``, a single new goal inherits its parent's tag, and nested tags are dotted.

Soundness: every tactic is a natural-deduction rule of classical propositional logic, so no tactic
sequence closes a goal that is not a tautology (property-tested against the truth-table oracle).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable

from qedjax.envs.prop.oracle import goal_provable
from qedjax.envs.prop.state import Goal, Hyp, PropState, pp_goal
from qedjax.envs.prop.syntax import (
    FALSE,
    And,
    Atom,
    Bot,
    Formula,
    Iff,
    Imp,
    Not,
    Or,
    Top,
    atoms,
    is_ident,
    parse_formula_tokens,
    pp,
    tokenize,
)
from qedjax.envs.prop.terms import (
    Elaborator,
    PAlts,
    Pattern,
    PName,
    PTuple,
    TacticError,
    TName,
    TokenStream,
    defeq,
    norm,
    parse_pattern,
    parse_pattern_atom,
    parse_term,
    unfold,
)
from qedjax.errors import ParseError

__all__ = ["run_tactic", "parse_tactic", "TacticError", "Tactic", "TACTIC_NAMES"]

SORRY_MESSAGE = "declaration uses 'sorry'"


@dataclasses.dataclass(frozen=True)
class Tactic:
    name: str
    args: tuple
    src: str


@dataclasses.dataclass(frozen=True)
class Seq:
    items: tuple  # of Tactic | AllGoals


@dataclasses.dataclass(frozen=True)
class AllGoals:
    first: object
    then: object


def _tag(parent: str, suffix: str) -> str:
    return f"{parent}.{suffix}" if parent else suffix


def _names_in(goal: Goal) -> set[str]:
    return {h.name for h in goal.context}


# ------------------------------------------------------------------------------------ parsing

def _split_top(text: str) -> str:
    """Newlines at bracket depth 0 separate tactics, like ``;``."""
    out, depth = [], 0
    for ch in text:
        if ch in "(⟨[":
            depth += 1
        elif ch in ")⟩]":
            depth -= 1
        out.append(";" if ch == "\n" and depth <= 0 else ch)
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def parse_tactic(text: str):
    """Parse a tactic script into a small AST (cached: search applies the same strings often)."""
    norm_text = _split_top(text)
    try:
        tokens = tokenize(norm_text)
    except ParseError as e:
        raise TacticError(f"<input>:1:{e.pos or 0}: {e.message}") from None
    ts = TokenStream(tokens, norm_text)
    if ts.done():
        raise TacticError("<input>:1:0: unknown tactic")
    try:
        seq = _parse_seq(ts)
    except ParseError as e:
        raise TacticError(f"<input>:1:{e.pos or 0}: {e.message}") from None
    if not ts.done():
        t = ts.peek()
        raise TacticError(f"<input>:1:{t.pos}: unexpected token '{t.text}'; expected command")
    return seq


def _parse_seq(ts: TokenStream):
    items = []
    while not ts.done():
        if ts.at(";"):
            ts.take()
            continue
        item = _parse_one(ts)
        while ts.at("<;>"):
            ts.take()
            item = AllGoals(item, _parse_one(ts))
        items.append(item)
        if not ts.done() and not ts.at(";"):
            t = ts.peek()
            raise ParseError(f"unexpected token '{t.text}'; expected command", pos=t.pos)
    return Seq(tuple(items))


def _names(ts: TokenStream) -> list[str]:
    out = []
    while not ts.done() and (ts.peek().kind == "ident" or ts.at("_")):
        t = ts.take()
        if t.kind == "ident" and not is_ident(t.text) or "." in t.text:
            raise ParseError(f"unexpected token '{t.text}'; expected identifier", pos=t.pos)
        out.append(t.text)
    return out


def _formula_until(ts: TokenStream, stops: tuple[str, ...]):
    start = ts.i
    depth = 0
    while not ts.done():
        x = ts.peek().text
        if depth == 0 and (x in stops or x in (";", "<;>")):
            break
        if x in ("(", "⟨"):
            depth += 1
        elif x in (")", "⟩"):
            depth -= 1
        ts.take()
    toks = ts.toks[start:ts.i]
    if not toks:
        t = ts.peek()
        raise ParseError("expected term", pos=t.pos if t else len(ts.text))
    return parse_formula_tokens(list(toks), ts.text)


def _parse_one(ts: TokenStream):
    start = ts.i
    t = ts.take()
    name = t.text
    if t.kind != "ident" and name not in ("·",):
        raise ParseError("unknown tactic", pos=t.pos)
    args: tuple = ()
    if name in ("intro",):
        pats = []
        while not ts.done() and not ts.at(";", "<;>"):
            pats.append(parse_pattern_atom(ts))
        args = tuple(pats)
    elif name in ("intros",):
        args = tuple(_names(ts))
    elif name in ("exact", "apply", "refine", "specialize", "absurd"):
        args = (parse_term(ts),)
    elif name == "cases":
        args = (parse_term(ts),)
        if ts.at("with"):
            raise ParseError("unexpected token 'with'; Lean 4 `cases ... with` needs "
                             "`| inl h => ...` alternatives; use rcases/obtain", pos=ts.peek().pos)
    elif name == "rcases":
        target = parse_term(ts)
        pat = None
        if ts.at("with"):
            ts.take()
            pat = parse_pattern(ts)
        args = (target, pat)
    elif name == "obtain":
        pat = parse_pattern(ts)
        ts.expect(":=")
        args = (pat, parse_term(ts))
    elif name == "by_contra":
        args = tuple(_names(ts))
    elif name == "by_cases":
        hname = None
        if ts.peek(1) is not None and ts.peek(1).text == ":":
            hname = _names(ts)[0]
            ts.expect(":")
        args = (hname, _formula_until(ts, ()))
    elif name in ("have", "show"):
        if name == "show":
            args = (_formula_until(ts, ()),)
        else:
            hname = "this"
            if ts.peek() is not None and ts.peek().kind == "ident" and not ts.at("fun"):
                hname = _names(ts)[0]
            ty = None
            if ts.at(":"):
                ts.take()
                ty = _formula_until(ts, (":=",))
            if not ts.at(":="):
                raise ParseError("`have` without `:=` is not supported here; give the proof term",
                                 pos=ts.peek().pos if ts.peek() else len(ts.text))
            ts.take()
            args = (hname, ty, parse_term(ts))
    elif name in ("clear",):
        args = tuple(_names(ts))
    return Tactic(name, args, ts.src(start, ts.i))


# ---------------------------------------------------------------------------------- execution

def _elaborator(goal: Goal) -> Elaborator:
    def lookup(name: str):
        h = goal.lookup(name)
        return None if h is None else h.type
    return Elaborator(lookup, goal.var_names())


def _fresh_inaccessible(goal: Goal, base: str, ty: Formula) -> Goal:
    return goal.with_hyp(Hyp(base, ty, accessible=False))


def _add_named(goal: Goal, name: str, ty: Formula) -> Goal:
    if name == "_":
        return goal.with_hyp(Hyp("a", ty, accessible=False))
    if name in goal.var_names():
        raise TacticError(f"qedjax prop: shadowing the proposition variable '{name}' is not supported")
    return goal.with_hyp(Hyp(name, ty))


def _intro_one(goal: Goal, pat: Pattern | None) -> list[Goal]:
    target = unfold(goal.target)
    if not isinstance(target, Imp):
        raise TacticError("tactic 'introN' failed, insufficient number of binders")
    g = dataclasses.replace(goal, target=target.right)
    if pat is None:
        return [g.with_hyp(Hyp("a", target.left, accessible=False))]
    if isinstance(pat, PName):
        if pat.name == "-":
            return [g]
        return [_add_named(g, pat.name, target.left)]
    return _rcases_pattern(g, None, target.left, pat, "x", tag_cases=False)


def _destruct_source(goal: Goal, term) -> tuple[Goal, Hyp | None, Formula]:
    """Elaborate the term to destruct; a bare hypothesis is removed from the context (like Lean)."""
    if isinstance(term, TName) and goal.lookup(term.name) is not None:
        hyp = goal.lookup(term.name)
        return goal.without(hyp), hyp, hyp.type
    ty = _elaborator(goal).elab(term, None)
    return goal, None, ty


def _rcases_pattern(goal: Goal, src: Hyp | None, ty: Formula, pat: Pattern | None, default: str,
                    tag_cases: bool = True) -> list[Goal]:
    """Destruct a proof of ``ty`` by ``pat`` (rcases semantics); returns the resulting goals."""
    if pat is None or (isinstance(pat, PName)):
        name = pat.name if pat is not None else "_"
        if name == "-":
            return [goal]
        if name == "_":
            return [goal.with_hyp(Hyp(src.name if src else default, ty, accessible=False))]
        return [_add_named(goal, name, ty)]
    if isinstance(ty, Bot):
        return []
    if isinstance(pat, PAlts):
        if not isinstance(ty, Or):
            # rcases treats `a | b` on a non-sum as the first alternative
            return _rcases_pattern(goal, src, ty, pat.alts[0], default, tag_cases)
        left_pat = pat.alts[0]
        rest = pat.alts[1:]
        right_pat = rest[0] if len(rest) == 1 else PAlts(rest)
        gl = dataclasses.replace(goal, tag=_tag(goal.tag, "inl")) if tag_cases else goal
        gr = dataclasses.replace(goal, tag=_tag(goal.tag, "inr")) if tag_cases else goal
        return (_rcases_pattern(gl, None, ty.left, left_pat, "h", tag_cases)
                + _rcases_pattern(gr, None, ty.right, right_pat, "h", tag_cases))
    assert isinstance(pat, PTuple)
    items = pat.items
    if isinstance(ty, Top):
        return [goal]
    if len(items) == 1:
        return _rcases_pattern(goal, src, ty, items[0], default, tag_cases)
    if isinstance(ty, And):
        g = dataclasses.replace(goal, tag=_tag(goal.tag, "intro")) if tag_cases else goal
        rest = items[1:]
        out = []
        for g1 in _rcases_pattern(g, None, ty.left, items[0], "left", False):
            out.extend(_rcases_pattern(g1, None, ty.right, rest[0] if len(rest) == 1 else PTuple(rest),
                                       "right", tag_cases))
        return out
    if isinstance(ty, Iff) and len(items) == 2:
        g = dataclasses.replace(goal, tag=_tag(goal.tag, "intro")) if tag_cases else goal
        out = []
        for g1 in _rcases_pattern(g, None, Imp(ty.left, ty.right), items[0], "mp", False):
            out.extend(_rcases_pattern(g1, None, Imp(ty.right, ty.left), items[1], "mpr", False))
        return out
    if isinstance(ty, Or):
        # ⟨a, b⟩ on a sum: rcases splits the sum and matches each side against the tuple
        return _rcases_pattern(goal, src, ty, PAlts((pat, pat)), default, tag_cases)
    shown = (src.name if src else default) + "✝"
    raise TacticError(f"rcases: {shown} : {pp(ty)} is not an inductive datatype")


def _cases(goal: Goal, term) -> list[Goal]:
    g, hyp, ty = _destruct_source(goal, term)
    if isinstance(ty, Or):
        return [dataclasses.replace(g, tag=_tag(goal.tag, "inl")).with_hyp(Hyp("h", ty.left, False)),
                dataclasses.replace(g, tag=_tag(goal.tag, "inr")).with_hyp(Hyp("h", ty.right, False))]
    if isinstance(ty, And):
        g2 = dataclasses.replace(g, tag=_tag(goal.tag, "intro"))
        return [g2.with_hyp(Hyp("left", ty.left, False)).with_hyp(Hyp("right", ty.right, False))]
    if isinstance(ty, Iff):
        g2 = dataclasses.replace(g, tag=_tag(goal.tag, "intro"))
        return [g2.with_hyp(Hyp("mp", Imp(ty.left, ty.right), False))
                .with_hyp(Hyp("mpr", Imp(ty.right, ty.left), False))]
    if isinstance(ty, Bot):
        return []
    if isinstance(ty, Top):
        return [dataclasses.replace(g, tag=_tag(goal.tag, "intro"))]
    raise TacticError("tactic 'induction' failed, major premise type is not an inductive type \n  "
                      f"{pp(ty)}")


def _contradiction_holds(goal: Goal) -> bool:
    types = [h.type for h in goal.context if h.type is not None]
    normed = {norm(t) for t in types}
    for t in types:
        if isinstance(t, Bot):
            return True
        n = norm(t)
        if isinstance(n, Imp) and isinstance(n.right, Bot) and n.left in normed:
            return True
    return False


def _assumption(goal: Goal) -> bool:
    target = norm(goal.target)
    return any(h.type is not None and norm(h.type) == target for h in goal.context)


def _closed_eval(f: Formula) -> bool:
    from qedjax.envs.prop.oracle import eval_mask
    return eval_mask(f, {}, 1) == 1


def _trivial(goal: Goal) -> list[Goal]:
    t = goal.target
    if isinstance(t, Iff) and defeq(t.left, t.right):
        return []
    if isinstance(t, Top) or _assumption(goal) or _contradiction_holds(goal):
        return []
    if not atoms(t) and _closed_eval(t):
        return []
    if isinstance(t, And):
        for part in (t.left, t.right):
            _trivial(dataclasses.replace(goal, target=part))
        return []
    raise TacticError(f"tactic 'assumption' failed\n{pp_goal(goal)}")


def _apply(goal: Goal, term) -> list[Goal]:
    el = _elaborator(goal)
    target = goal.target
    # Constructors and eliminators with implicit arguments, as `apply` unifies them.
    if isinstance(term, TName) and goal.lookup(term.name) is None:
        special = _apply_constant(goal, term.name)
        if special is not None:
            return special
    ty = el.elab(term, None)
    premises: list[Formula] = []
    candidates = [(list(premises), ty)]
    cur = ty
    while True:
        u = unfold(cur)
        if not isinstance(u, Imp):
            break
        premises.append(u.left)
        cur = u.right
        candidates.append((list(premises), cur))
    # Lean tries the number of arguments that makes the conclusion's arity match the target's first.
    arity_target = _arity(target)
    order = sorted(range(len(candidates)), key=lambda i: (abs((len(candidates) - 1 - i) - arity_target), i))
    for i in order:
        prem, concl = candidates[i]
        if defeq(concl, target):
            if len(prem) == 1:
                return [dataclasses.replace(goal, target=prem[0])]
            return [dataclasses.replace(goal, target=p, tag=_tag(goal.tag, "a")) for p in prem]
    raise TacticError(f"tactic 'apply' failed to unify\n  {pp(cur)}\nwith\n  {pp(target)}")


def _arity(f: Formula) -> int:
    n = 0
    while True:
        u = unfold(f)
        if not isinstance(u, Imp):
            return n
        n += 1
        f = u.right


def _apply_constant(goal: Goal, name: str) -> list[Goal] | None:
    t = goal.target
    if name in ("Or.inl", "Or.intro_left"):
        if not isinstance(t, Or):
            raise TacticError(f"tactic 'apply' failed to unify\n  ?a ∨ ?b\nwith\n  {pp(t)}")
        return [dataclasses.replace(goal, target=t.left)]
    if name in ("Or.inr", "Or.intro_right"):
        if not isinstance(t, Or):
            raise TacticError(f"tactic 'apply' failed to unify\n  ?a ∨ ?b\nwith\n  {pp(t)}")
        return [dataclasses.replace(goal, target=t.right)]
    if name == "And.intro":
        if not isinstance(t, And):
            raise TacticError(f"tactic 'apply' failed to unify\n  ?a ∧ ?b\nwith\n  {pp(t)}")
        return [dataclasses.replace(goal, target=t.left, tag=_tag(goal.tag, "left")),
                dataclasses.replace(goal, target=t.right, tag=_tag(goal.tag, "right"))]
    if name == "Iff.intro":
        if not isinstance(t, Iff):
            raise TacticError(f"tactic 'apply' failed to unify\n  ?a ↔ ?b\nwith\n  {pp(t)}")
        return [dataclasses.replace(goal, target=Imp(t.left, t.right), tag=_tag(goal.tag, "mp")),
                dataclasses.replace(goal, target=Imp(t.right, t.left), tag=_tag(goal.tag, "mpr"))]
    if name == "False.elim":
        return [dataclasses.replace(goal, target=FALSE)]
    if name == "Classical.byContradiction":
        return [dataclasses.replace(goal, target=Imp(Not(t), FALSE))]
    if name in ("trivial", "True.intro"):
        if isinstance(t, Top):
            return []
        raise TacticError(f"tactic 'apply' failed to unify\n  True\nwith\n  {pp(t)}")
    return None


def _constructor(goal: Goal, which: str) -> list[Goal]:
    t = goal.target
    if isinstance(t, (Imp, Not, Atom)):
        raise TacticError(f"tactic '{which}' failed, target is not an inductive datatype\n{pp_goal(goal)}")
    if which in ("left", "right"):
        if not isinstance(t, Or):
            raise TacticError(f"tactic '{which}' failed, {which} tactic works for inductive types "
                              f"with exactly 2 constructors\n{pp_goal(goal)}")
        return [dataclasses.replace(goal, target=t.left if which == "left" else t.right)]
    if isinstance(t, And):
        return [dataclasses.replace(goal, target=t.left, tag=_tag(goal.tag, "left")),
                dataclasses.replace(goal, target=t.right, tag=_tag(goal.tag, "right"))]
    if isinstance(t, Iff):
        return [dataclasses.replace(goal, target=Imp(t.left, t.right), tag=_tag(goal.tag, "mp")),
                dataclasses.replace(goal, target=Imp(t.right, t.left), tag=_tag(goal.tag, "mpr"))]
    if isinstance(t, Or):
        return [dataclasses.replace(goal, target=t.left)]
    if isinstance(t, Top):
        return []
    raise TacticError(f"tactic 'constructor' failed, no applicable constructor found\n{pp_goal(goal)}")


def _run_one(goal: Goal, tac: Tactic, allow_tauto: bool) -> list[Goal]:
    name, args = tac.name, tac.args
    if name == "intro":
        if not args:
            return _intro_one(goal, None)
        goals = [goal]
        for pat in args:
            if len(goals) != 1:
                raise TacticError("tactic 'intro' produced several goals")
            goals = _intro_one(goals[0], pat)
        return goals
    if name == "intros":
        if args:
            g = goal
            for n in args:
                g = _intro_one(g, PName(n))[0]
            return [g]
        g = goal
        while isinstance(unfold(g.target), Imp):
            g = _intro_one(g, None)[0]
        return [g]
    if name == "exact":
        _elaborator(goal).elab(args[0], goal.target)
        return []
    if name == "apply":
        return _apply(goal, args[0])
    if name in ("constructor", "left", "right"):
        return _constructor(goal, name)
    if name == "exfalso":
        return [dataclasses.replace(goal, target=FALSE)]
    if name == "assumption":
        if _assumption(goal):
            return []
        raise TacticError(f"tactic 'assumption' failed\n{pp_goal(goal)}")
    if name == "contradiction":
        if _contradiction_holds(goal):
            return []
        raise TacticError(f"tactic 'contradiction' failed\n{pp_goal(goal)}")
    if name == "trivial":
        return _trivial(goal)
    if name == "rfl":
        t = goal.target
        if isinstance(t, Iff) and defeq(t.left, t.right):
            return []
        raise TacticError("The rfl tactic failed. Possible reasons:\n- The goal is not a reflexive "
                          f"relation (neither `=` nor a relation with a @[refl] lemma).\n{pp_goal(goal)}")
    if name == "decide":
        t = goal.target
        if atoms(t):
            raise TacticError(f"failed to synthesize\n  Decidable {pp(Atom(atoms(t)[0]))}")
        if _closed_eval(t):
            return []
        raise TacticError(f"tactic 'decide' proved that the proposition\n  {pp(t)}\nis false")
    if name == "cases":
        return _cases(goal, args[0])
    if name == "rcases":
        term, pat = args
        g, hyp, ty = _destruct_source(goal, term)
        return _rcases_pattern(g, hyp, ty, pat, "h")
    if name == "obtain":
        pat, term = args
        g, hyp, ty = _destruct_source(goal, term)
        return _rcases_pattern(g, hyp, ty, pat, "h")
    if name == "by_contra":
        t = goal.target
        hyp_type = t.arg if isinstance(t, Not) else Not(t)
        g = dataclasses.replace(goal, target=FALSE)
        if args:
            return [_add_named(g, args[0], hyp_type)]
        return [g.with_hyp(Hyp("x", hyp_type, accessible=False))]
    if name == "by_cases":
        hname, f = args
        _elaborator(goal).check_atoms(f)
        pos = dataclasses.replace(goal, tag=_tag(goal.tag, "pos"))
        neg = dataclasses.replace(goal, tag=_tag(goal.tag, "neg"))
        if hname is None:
            return [pos.with_hyp(Hyp("h", f, False)), neg.with_hyp(Hyp("h", Not(f), False))]
        return [_add_named(pos, hname, f), _add_named(neg, hname, Not(f))]
    if name == "have":
        hname, ty, term = args
        el = _elaborator(goal)
        if ty is not None:
            el.check_atoms(ty)
        got = el.elab(term, ty)
        return [_add_named(goal, hname, got)]
    if name == "show":
        (f,) = args
        _elaborator(goal).check_atoms(f)
        if not defeq(f, goal.target):
            raise TacticError(f"type mismatch\n  {pp(f)}\nis not definitionally equal to the target\n"
                              f"  {pp(goal.target)}")
        return [dataclasses.replace(goal, target=f)]
    if name == "specialize":
        term = args[0]
        head = term.fn if hasattr(term, "fn") else term
        if not isinstance(head, TName) or goal.lookup(head.name) is None:
            raise TacticError("'specialize' requires a term of the form `h x_1 .. x_n` where `h` "
                              "appears in the local context")
        hyp = goal.lookup(head.name)
        new_type = _elaborator(goal).elab(term, None)
        return [goal.without(hyp).with_hyp(Hyp(hyp.name, new_type))]
    if name == "absurd":
        ty = _elaborator(goal).elab(args[0], None)
        return [dataclasses.replace(goal, target=Not(ty))]
    if name == "clear":
        g = goal
        for n in args:
            h = g.lookup(n)
            if h is None:
                raise TacticError(f"unknown hypothesis '{n}'")
            g = g.without(h)
        return [g]
    if name == "tauto":
        if not allow_tauto:
            raise TacticError("tactic 'tauto' is disabled in this environment (enable it with "
                              "allow_tauto)")
        if goal_provable(goal):
            return []
        raise TacticError("tauto failed to solve some goals.")
    if name in ("sorry", "admit"):
        raise TacticError(SORRY_MESSAGE)
    if name == "refine":
        raise TacticError("qedjax prop: 'refine' is not supported; use constructor/exact")
    raise TacticError(f"<input>:1:0: unknown tactic '{name}'")


TACTIC_NAMES = (
    "intro", "intros", "exact", "apply", "constructor", "left", "right", "exfalso", "assumption",
    "contradiction", "trivial", "rfl", "decide", "cases", "rcases", "obtain", "by_contra",
    "by_cases", "have", "show", "specialize", "absurd", "clear", "tauto",
)


def _run(goals: tuple[Goal, ...], node, allow_tauto: bool) -> tuple[Goal, ...]:
    if isinstance(node, Seq):
        for item in node.items:
            goals = _run(goals, item, allow_tauto)
        return goals
    if isinstance(node, AllGoals):
        before = len(goals)
        after = _run(goals, node.first, allow_tauto)
        produced = len(after) - (before - 1)
        new, rest = after[:produced], after[produced:]
        out: list[Goal] = []
        for g in new:
            out.extend(_run((g,), node.then, allow_tauto))
        return tuple(out) + rest
    if not goals:
        raise TacticError("no goals to be proved")
    return tuple(_run_one(goals[0], node, allow_tauto)) + goals[1:]


def run_tactic(state: PropState, text: str, *, allow_tauto: bool = False) -> PropState:
    """Apply a tactic script to ``state``; raise :class:`TacticError` with Lean's message on failure."""
    seq = parse_tactic(text)
    return _run(tuple(state), seq, allow_tauto)


TacticFn = Callable[[PropState, str], PropState]
