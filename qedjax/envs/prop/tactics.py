"""Running Lean 4 tactic blocks on propositional goals, with Lean's semantics, case tags and errors.

``run_tactic(state, text)`` parses ``text`` as a tactic block (``blocks.py``) and runs it on the goal
list, returning the new goals or raising :class:`TacticError`. ``Runner`` executes blocks with the
options of ``qed prop check`` (error recovery inside ``·``/``case``/``{}`` as Lean does, ``sorry``
recorded as a warning) or of a search step (the first error fails the step).

Case tags follow Lean: ``apply``/``constructor``/``left``/``right`` name new goals after the binders of
the applied constant when it creates more than one metavariable (``left``, ``right``, ``h``,
``mp``/``mpr``; appended to the parent's tag, ``inl.h``) and let a single new goal inherit its parent's
tag; ``cases``/``rcases``/``rintro`` append ``inl``/``inr``/``intro``; ``by_cases`` gives ``pos``/``neg``;
``refine`` names several anonymous holes ``refine_1``, …; ``case`` clears the tag of the goal it
focuses. Soundness: every tactic is a rule of classical propositional logic with quantifiers over
``Prop`` (property-tested against the truth-table oracle); ``simp`` closes a goal only when its
documented rule set (``simp.py``) provably does so and fails otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable

from qedjax.envs.prop import simp as simp_mod
from qedjax.envs.prop.blocks import Comb, First, Focus, Node, Paren, Seq, Tac, Then, parse_seq
from qedjax.envs.prop.decls import LIBRARY, Library
from qedjax.envs.prop.elab import (
    Elab,
    Scope,
    add_hyp,
    check_rows,
    constructors,
    defeq,
    has_mvar,
    norm,
    normalise_pattern,
    pattern_bindings,
    pi_subst,
    scheme_pi,
    unfold,
)
from qedjax.envs.prop.lexer import LineMap, TokenStream, tokenize
from qedjax.envs.prop.oracle import goal_provable
from qedjax.envs.prop.state import Goal, Hyp, PropState, pp_goal
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
    MVar,
    Not,
    Or,
    Top,
    alpha_norm,
    atoms,
    pp,
    subst,
)
from qedjax.envs.prop.terms import (
    PAlts,
    PCtor,
    PTuple,
    PTyped,
    PVar,
    TacticError,
    TApp,
    TIdent,
)
from qedjax.errors import ParseError

__all__ = ["run_tactic", "parse_tactic", "TacticError", "TACTIC_NAMES", "Runner", "SORRY_MESSAGE"]

SORRY_MESSAGE = "declaration uses `sorry`"
MAX_REPEAT = 512  # Lean stops runaway `repeat` with "maximum recursion depth has been reached"
NO_GOALS = "No goals to be solved"


def _tag(parent: str, suffix: str) -> str:
    return f"{parent}.{suffix}" if parent else suffix


def _unsolved(goals) -> str:
    return "unsolved goals\n" + "\n\n".join(pp_goal(g) for g in goals)


def _fail(tactic: str, goal: Goal, msg: str | None = None) -> TacticError:
    head = f"Tactic `{tactic}` failed" + (f": {msg}" if msg else "")
    return TacticError(f"{head}\n\n{pp_goal(goal)}")


@dataclasses.dataclass
class Runner:
    """Executes tactic syntax trees. ``recover``: log errors inside focusing blocks and go on (as
    Lean's elaborator does for a file); ``errors`` collects ``TacticError``s with positions."""

    lib: Library = LIBRARY
    allow_tauto: bool = False
    recover: bool = False
    allow_sorry: bool = False
    errors: list = dataclasses.field(default_factory=list)
    sorry_pos: list = dataclasses.field(default_factory=list)

    # ------------------------------------------------------------------------ structure
    def run(self, node: Node, goals: tuple) -> tuple:
        try:
            return self._run(node, goals)
        except TacticError as e:
            if e.pos is None:
                e.pos = node.pos
            raise

    def _run(self, node: Node, goals: tuple) -> tuple:
        if isinstance(node, Seq):
            for item in node.items:
                goals = self.run(item, goals)
            return goals
        if isinstance(node, Tac):
            return self._tactic(node, goals)
        if isinstance(node, Then):
            main, rest = self._main(goals)
            produced = self.run(node.first, (main,))
            out: list[Goal] = []
            for g in produced:
                out.extend(self._guard(lambda g=g: self.run(node.rest, (g,)), (g,)))
            return tuple(out) + rest
        if isinstance(node, Focus):
            return self._focus(node, goals)
        if isinstance(node, Paren):
            return self.run(node.seq, goals)
        if isinstance(node, First):
            for k, alt in enumerate(node.alts):
                if k == len(node.alts) - 1:
                    return self.run(alt, goals)
                try:
                    return self._quiet(alt, goals)
                except TacticError:
                    continue
        if isinstance(node, Comb):
            return self._comb(node, goals)
        raise TacticError(f"unsupported syntax {type(node).__name__}", getattr(node, "pos", None))

    def _quiet(self, node: Node, goals: tuple) -> tuple:
        """Run without error recovery (Lean's ``withoutRecover`` inside ``first``/``try``/``repeat``)."""
        if not self.recover:
            return self.run(node, goals)
        self.recover = False
        n_err = len(self.errors)
        try:
            return self.run(node, goals)
        finally:
            self.recover = True
            del self.errors[n_err:]

    def _guard(self, thunk: Callable[[], tuple], keep: tuple) -> tuple:
        """all_goals-style recovery: on error, log it and keep the goal."""
        try:
            return thunk()
        except TacticError as e:
            if not self.recover:
                raise
            self.errors.append(e)
            return keep

    def _main(self, goals: tuple) -> tuple[Goal, tuple]:
        if not goals:
            raise TacticError(NO_GOALS)
        return goals[0], goals[1:]

    def close_or_admit(self, seq: Node, goal: Goal, ref: int) -> None:
        """Lean's ``closeUsingOrAdmit``: run ``seq`` on ``goal`` alone; it must close it."""
        try:
            left = self.run(seq, (goal,))
            if left:
                raise TacticError(_unsolved(left), ref)
        except TacticError as e:
            if not self.recover:
                raise
            self.errors.append(e)

    def _focus(self, node: Focus, goals: tuple) -> tuple:
        if node.kind in ("·", "{}"):
            main, rest = self._main(goals)
            self.close_or_admit(node.seq, main, node.ref)
            return rest
        if node.kind == "focus":
            main, rest = self._main(goals)
            return self.run(node.seq, (main,)) + rest
        if node.kind == "on_goal":
            n = node.tags[0][0]
            k = n - 1 if n > 0 else len(goals) + n
            if not 0 <= k < len(goals):
                raise TacticError(f"not enough goals (there are {len(goals)})", node.pos)
            new = self.run(node.seq, (goals[k],))
            return goals[:k] + new + goals[k + 1:]
        # case / next
        for tag, names in node.tags:
            goal, others = _find_case(goals, tag, node.pos)
            goal = _rename_inaccessibles(goal, names, node.pos)
            goal = goal.retag("")
            self.close_or_admit(node.seq, goal, node.ref)
            goals = others
        return goals

    def _comb(self, node: Comb, goals: tuple) -> tuple:
        name = node.name
        if name == "try":
            try:
                return self._quiet(node.seq, goals)
            except TacticError:
                return goals
        if name in ("repeat", "iterate") and node.count <= 0:
            cur = goals
            for _ in range(MAX_REPEAT):
                try:
                    cur = self._quiet(node.seq, cur)
                except TacticError:
                    return cur
            raise TacticError("maximum recursion depth has been reached", node.pos)
        if name == "iterate":
            for _ in range(node.count):
                goals = self.run(node.seq, goals)
            return goals
        if name == "repeat'":
            return self._repeat_all(node.seq, goals, 0)
        if name == "all_goals":
            out: list[Goal] = []
            for g in goals:
                out.extend(self._guard(lambda g=g: self.run(node.seq, (g,)), (g,)))
            return tuple(out)
        if name == "any_goals":
            out = []
            ok = False
            for g in goals:
                try:
                    out.extend(self._quiet(node.seq, (g,)))
                    ok = True
                except TacticError:
                    out.append(g)
            if not ok:
                raise TacticError("failed on all goals", node.pos)
            return tuple(out)
        if name == "open":
            return self.run(node.seq, goals)
        raise TacticError(f"unsupported combinator {name}", node.pos)

    def _repeat_all(self, seq: Node, goals: tuple, depth: int) -> tuple:
        if depth > MAX_REPEAT:
            raise TacticError("maximum recursion depth has been reached")
        out: list[Goal] = []
        for g in goals:
            try:
                new = self._quiet(seq, (g,))
            except TacticError:
                out.append(g)
                continue
            out.extend(self._repeat_all(seq, new, depth + 1))
        return tuple(out)

    # ------------------------------------------------------------------------ atomic tactics
    def _tactic(self, tac: Tac, goals: tuple) -> tuple:
        fn = _TACTICS.get(tac.name)
        if fn is None:
            what = tac.args[0] if tac.name == "?unsupported" else tac.name
            raise TacticError(f"the prop environment does not support the tactic `{what}`", tac.pos)
        try:
            if tac.name in _ALL_GOAL_TACTICS:
                return fn(self, tac, goals)
            main, rest = self._main(goals)
            return tuple(fn(self, tac, main)) + rest
        except TacticError as e:
            if e.pos is None:
                e.pos = tac.pos
            raise

    # shared by the tactics below
    def elab(self, goal: Goal, holes: str = "none") -> Elab:
        return Elab(Scope(goal.context), self.lib, self._block_runner, holes)

    def _block_runner(self, by_term, goal: Goal) -> None:
        """Run a nested ``by`` block on ``goal``; unsolved goals are an error at ``by``."""
        try:
            left = self.run(by_term.block, (goal,))
            if left:
                raise TacticError(_unsolved(left), by_term.pos)
        except TacticError as e:
            if not self.recover:
                raise
            self.errors.append(e)


_ALL_GOAL_TACTICS = {"done", "show", "swap", "pick_goal", "rotate_left", "rotate_right", "exacts", "sorry",
                     "admit"}


def _find_case(goals: tuple, tag: str, pos: int) -> tuple[Goal, tuple]:
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


def _rename_inaccessibles(goal: Goal, names: tuple, pos: int) -> Goal:
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
                for k in range(j + 1, len(ctx)):  # a later hypothesis of that name now shadows it
                    if ctx[k].name == new and ctx[k].accessible:
                        ctx[j] = Hyp(new, h.type, accessible=False)
            if not todo:
                break
        seen.add(h.name)
    if todo:
        raise TacticError("too many variable names provided", pos)
    # a renamed hypothesis shadows earlier accessible ones of the same name
    out: list[Hyp] = []
    for h in ctx:
        add_hyp(out, h) if h.accessible else out.append(h)
    return dataclasses.replace(goal, context=tuple(out))


# ------------------------------------------------------------------------------- intro family

def _add_named(goal: Goal, name: str, ty: Formula) -> Goal:
    if name in ("_",):
        return goal.with_hyp(Hyp("a", ty, accessible=False))
    if name in goal.var_names():
        raise TacticError(f"the prop environment does not support a hypothesis shadowing the proposition "
                          f"variable '{name}'")
    return goal.with_hyp(Hyp(name, ty))


def _intro_var(goal: Goal, target: Forall, name: str | None) -> Goal:
    if name is None or name == "_":
        name = f"{target.var}✝"
    if any(h.name == name for h in goal.context):
        raise TacticError(f"the prop environment does not support shadowing '{name}'")
    body = subst(target.body, {target.var: Atom(name)})
    return dataclasses.replace(goal.with_hyp(Hyp(name, None)), target=body)


def _intro_one(goal: Goal, name: str | None, unfold_not: bool = True) -> Goal:
    t = unfold(goal.target) if unfold_not else goal.target
    if isinstance(t, Forall):
        return _intro_var(goal, t, name)
    if not isinstance(t, Imp):
        raise _fail("introN", goal, "There are no additional binders or `let` bindings in the goal to "
                    "introduce")
    g = goal.retarget(t.right)
    if name is None or name == "_":
        return g.with_hyp(Hyp("a", t.left, accessible=False))
    return _add_named(g, name, t.left)


def _intro_pattern(run: Runner, goal: Goal, pat) -> list[Goal]:
    if isinstance(pat, PVar):
        return [_intro_one(goal, pat.name)]
    if isinstance(pat, PTyped) and isinstance(pat.pat, PVar):
        g = _intro_one(goal, pat.pat.name)
        h = g.context[-1]
        el = run.elab(goal)
        want = el.prop(pat.type)
        if not defeq(want, h.type):
            raise TacticError(f"type mismatch at `intro {h.name}`\n  {pp(h.type)}\nis expected to have type\n"
                              f"  {pp(want)}")
        return [dataclasses.replace(g, context=g.context[:-1] + (Hyp(h.name, want, h.accessible),))]
    # `intro ⟨a, b⟩` is `intro h; match h with | ⟨a, b⟩ => ?_; try clear h`
    t = unfold(goal.target)
    if not isinstance(t, Imp):
        raise _fail("introN", goal, "There are no additional binders or `let` bindings in the goal to "
                    "introduce")
    el = run.elab(goal)
    row = [normalise_pattern(pat, t.left, el, None)]
    check_rows([row], [t.left], [None], None)
    g = goal.retarget(t.right)
    for hyp in pattern_bindings(row[0], t.left, "x"):
        g = g.with_hyp(hyp) if hyp.accessible else g.with_hyp(hyp)
    return [g]


def t_intro(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    args = tac.args
    if args and args[0] == "|":
        g = _intro_one(goal, None)
        h = g.context[-1]
        return _match_alts(run, g, [h.type], args[1], tac.pos)
    if not args:
        return [_intro_one(goal, None)]
    goals = [goal]
    for pat in args:
        if len(goals) != 1:
            raise TacticError("`intro` patterns produced several goals")
        goals = _intro_pattern(run, goals[0], pat)
    return goals


def t_intros(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    if tac.args:
        g = goal
        for n in tac.args:
            g = _intro_one(g, n)
        return [g]
    g = goal
    while isinstance(g.target, (Imp, Forall)):
        g = _intro_one(g, None, unfold_not=False)
    return [g]


def t_rintro(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    goals = [goal]
    for pat in tac.args:
        out = []
        for g in goals:
            if isinstance(pat, PVar) and pat.name != "-":
                out.append(_intro_one(g, pat.name))
                continue
            g1 = _intro_one(g, None)
            hyp = g1.context[-1]
            if hyp.type is None:
                raise TacticError("rintro patterns cannot destructure a proposition variable")
            g1 = g1.without(hyp)
            out.extend(_rcases_pattern(run, g1, hyp, hyp.type, pat, "h"))
        goals = out
    return goals


# ------------------------------------------------------------------------------- exact / apply

def t_exact(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    run.elab(goal).check(tac.args[0], goal.target)
    return []


def t_exacts(run: Runner, tac: Tac, goals: tuple) -> tuple:
    for term in tac.args:
        main, rest = run._main(goals)
        run.elab(main).check(term, main.target)
        goals = rest
    if goals:
        raise TacticError(_unsolved(goals))
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
            tag = _tag(parent_tag, f"{suffix}_{k}")
        goals.append(Goal(tuple(_inst_ctx(el, h.context)), target, tag))
    return goals


def _inst_ctx(el: Elab, ctx) -> list[Hyp]:
    return [h if h.type is None else dataclasses.replace(h, type=el.inst(h.type)) for h in ctx]


def t_refine(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    prime = tac.name == "refine'"
    el = run.elab(goal, "all" if prime else "synthetic")
    el.check(tac.args[0], goal.target)
    return _hole_goals(el, goal.tag, "refine'" if prime else "refine")


def _apply_type(run: Runner, el: Elab, term):
    """The type ``apply`` unifies: a constant's full signature for an identifier (Lean's
    ``elabTermForApply`` resolves identifiers without instantiating implicit arguments)."""
    if isinstance(term, TIdent):
        ftype, disp = el.head_type(term)
        if ftype is not None:
            return ftype, disp
    return el.app_type(term), term.src


def _telescope(el: Elab, t, n: int):
    """Lean's ``forallMetaTelescopeReducing``: instantiate ``n`` binders; returns (params, body)
    where params are ``(binder name, prop-mvar or None, domain or None)``."""
    params = []
    for _ in range(n):
        pi = el._as_pi(t)
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
        pi = el._as_pi(t)
        if pi is None:
            return n
        n += 1
        t = pi.body if pi.var is None else pi_subst(pi.body, {pi.var: Atom("#")})


def apply_core(run: Runner, goal: Goal, el: Elab, ftype, disp: str, tactic: str = "apply") -> list[Goal]:
    target = goal.target
    n_fn = _arity(el, ftype)
    start = max(0, n_fn - _arity(el, target))
    for i in range(start, n_fn + 1):
        saved = el.save()
        params, concl = _telescope(el, ftype, i)
        if el.unify(el._pi_formula(concl), target):
            return _apply_goals(el, goal, params, tactic)
        el.restore(saved)
    params, concl = _telescope(el, ftype, start)
    concl = el.inst(el._pi_formula(concl))
    full = el.inst(el._pi_formula(ftype))
    if n_fn == 0:
        raise _fail(tactic, goal, f"could not unify the type of `{disp}`\n  {pp(concl)}\nwith the goal\n"
                    f"  {pp(target)}")
    raise _fail(tactic, goal, f"could not unify the conclusion of `{disp}`\n  {pp(concl)}\nwith the goal\n"
                f"  {pp(target)}\n\nNote: The full type of `{disp}` is\n  {pp(full)}")


def _apply_goals(el: Elab, goal: Goal, params: list, tactic: str) -> list[Goal]:
    new: list[Goal] = []
    for name, m, dom in params:
        if m is not None:
            if isinstance(el.head(m), MVar):
                raise TacticError(f"the prop environment does not support `{tactic}` leaving the "
                                  f"proposition `?{name}` undetermined")
            continue
        target = el.inst(dom)
        if has_mvar(target):
            raise TacticError(f"the prop environment does not support `{tactic}` leaving metavariables "
                              f"in a new goal ({pp(target)})")
        if len(params) == 1:
            tag = goal.tag
        elif goal.tag:
            tag = _tag(goal.tag, name)
        else:
            tag = name
        new.append(Goal(goal.context, target, tag))
    new.extend(_hole_goals(el, "", "apply"))
    return new


def t_apply(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    term, loc = tac.args
    el = run.elab(goal, "all")
    ftype, disp = _apply_type(run, el, term)
    if loc is not None:
        return _apply_at(run, el, goal, ftype, disp, loc)
    return apply_core(run, goal, el, ftype, disp)


def _apply_at(run: Runner, el: Elab, goal: Goal, ftype, disp: str, loc: tuple) -> list[Goal]:
    """Mathlib's ``apply t at h``: ``h`` becomes the first argument of ``t`` its type matches."""
    if len(loc) != 1 or loc[0] in ("⊢", "*"):
        raise TacticError("`apply … at` takes one hypothesis")
    hyp = goal.hyp(loc[0])
    if hyp is None:
        raise TacticError(f"Unknown identifier `{loc[0]}`")
    t = ftype
    params = []
    while True:
        pi = el._as_pi(t)
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
    result = el.inst(el._pi_formula(t))
    if has_mvar(result):
        raise TacticError(f"the prop environment does not support `apply … at` leaving metavariables "
                          f"({pp(result)})")
    main = goal.without(hyp)
    main = _add_named(main, hyp.name, result)
    side = []
    for name, m, dom in params:
        if m is not None:
            if isinstance(el.head(m), MVar):
                raise TacticError(f"the prop environment does not support `apply … at` leaving `?{name}`")
            continue
        side.append(Goal(goal.context, el.inst(dom), ""))
    return [main] + side


def _apply_const(run: Runner, goal: Goal, name: str, tactic: str) -> list[Goal]:
    el = run.elab(goal)
    s = run.lib.get(name) or LIBRARY.get(name)
    return apply_core(run, goal, el, scheme_pi(s), f"@{name}", tactic)


def t_constructor(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
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
        raise _fail("constructor", goal, "no applicable constructor found")
    if isinstance(t, Bot):
        raise _fail("constructor", goal, "no applicable constructor found")
    raise _fail("constructor", goal, "target is not an inductive datatype")


def t_left_right(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    which = tac.name
    t = unfold(goal.target)
    if isinstance(t, Or):
        return _apply_const(run, goal, "Or.inl" if which == "left" else "Or.inr", which)
    if isinstance(t, (And, Iff, Top, Bot, Eq)):
        raise _fail(which, goal, f"{which} tactic works for inductive types with exactly 2 constructors")
    raise _fail(which, goal, "target is not an inductive datatype")


def t_exfalso(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    return [goal.retarget(FALSE)]


# ------------------------------------------------------------------------------- closers

def _assumption(goal: Goal) -> bool:
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
    return False


def _closed_eval(f: Formula) -> bool:
    from qedjax.envs.prop.oracle import eval_mask

    return eval_mask(f, {}, 1) == 1


def t_assumption(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    if _assumption(goal):
        return []
    raise _fail("assumption", goal)


def t_contradiction(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    if _contradiction_holds(goal):
        return []
    raise _fail("contradiction", goal)


def _rfl_ok(t: Formula) -> bool:
    return isinstance(t, (Iff, Eq)) and defeq(t.left, t.right)


def t_rfl(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    t = goal.target
    if _rfl_ok(t):
        return []
    if isinstance(t, (Iff, Eq)):
        raise _fail("rfl", goal, f"The left-hand side\n  {pp(t.left)}\nis not definitionally equal to the "
                    f"right-hand side\n  {pp(t.right)}")
    raise _fail("rfl", goal, "The goal is not a reflexive relation (neither `=` nor a relation with a "
                "@[refl] lemma)")


def _decide(goal: Goal) -> bool:
    t = goal.target
    if atoms(t):
        raise TacticError(f"failed to synthesize\n  Decidable {pp(Atom(atoms(t)[0]))}")
    if _closed_eval(t):
        return True
    raise TacticError(f"Tactic `decide` proved that the proposition\n  {pp(t)}\nis false")


def t_decide(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    _decide(goal)
    return []


def _trivial(goal: Goal) -> bool:
    t = goal.target
    if _assumption(goal) or _rfl_ok(t) or _contradiction_holds(goal) or isinstance(t, Top):
        return True
    if not atoms(t) and _closed_eval(t):
        return True
    if isinstance(t, And):
        return _trivial(goal.retarget(t.left)) and \
            _trivial(goal.retarget(t.right))
    return False


def t_trivial(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    if _trivial(goal):
        return []
    raise _fail("assumption", goal)


def t_triv(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    if isinstance(goal.target, Top):
        return []
    raise TacticError(f"`triv` proves only `True` here\n\n{pp_goal(goal)}")


def t_done(run: Runner, tac: Tac, goals: tuple) -> tuple:
    if goals:
        raise TacticError(_unsolved(goals))
    return goals


def t_skip(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    return [goal]


def t_sorry(run: Runner, tac: Tac, goals: tuple) -> tuple:
    if not run.allow_sorry:
        raise TacticError(SORRY_MESSAGE)
    run._main(goals)
    run.sorry_pos.append(tac.pos)
    return goals[1:]


def t_tauto(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    if not run.allow_tauto:
        raise TacticError("tactic `tauto` is disabled in this environment (enable it with allow_tauto / "
                          "--allow-tauto)")
    if goal_provable(goal):
        return []
    raise TacticError("tauto failed to solve some goals.")


def t_symm(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    t = goal.target
    if isinstance(t, (Iff, Eq)):
        return [dataclasses.replace(goal, target=type(t)(t.right, t.left))]
    raise TacticError(f"symm made no progress\n\n{pp_goal(goal)}")


# ------------------------------------------------------------------------------- cases family

def _destruct_source(run: Runner, goal: Goal, term) -> tuple[Goal, Hyp | None, Formula]:
    """Elaborate the term to destruct; a bare hypothesis is removed from the context (as Lean)."""
    if isinstance(term, TIdent) and goal.lookup(term.name) is not None:
        hyp = goal.lookup(term.name)
        if hyp.is_var:
            raise TacticError("the prop environment cannot case on a proposition variable")
        return goal.without(hyp), hyp, hyp.type
    ty = run.elab(goal).check(term, None)
    if has_mvar(ty):
        raise TacticError(f"don't know how to synthesize implicit arguments in\n  {pp(ty)}")
    return goal, None, ty


_CTOR_FIELDS = {"inl": ["h"], "inr": ["h"], "intro": None}


def _cases_goals(goal: Goal, parent: Goal, ty: Formula, names_for=None) -> list[tuple[str, Goal]]:
    cs = constructors(ty)
    if cs is None:
        raise _fail("cases", parent, f"major premise type is not an inductive type\n  {pp(ty)}")
    out = []
    for ctor, ftypes, fnames in cs:
        g = goal.retag(_tag(parent.tag, ctor))
        given = list(names_for(ctor, len(ftypes))) if names_for else []
        for k, (ft, fn) in enumerate(zip(ftypes, fnames)):
            name = given[k] if k < len(given) else "_"
            if name == "_":
                g = g.with_hyp(Hyp(fn, ft, accessible=False))
            else:
                g = _add_named(g, name, ft)
        out.append((ctor, g))
    return out


def t_cases(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    term, alts = tac.args
    g, hyp, ty = _destruct_source(run, goal, term)
    if isinstance(ty, Eq):
        raise TacticError("the prop environment does not support `cases` on an equality")
    if alts is None:
        return [g2 for _, g2 in _cases_goals(g, goal, ty)]
    cs = constructors(ty)
    if cs is None:
        raise _fail(tac.name, goal, f"major premise type is not an inductive type\n  {pp(ty)}")
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
    subgoals = dict(_cases_goals(g, goal, ty, lambda c, k: chosen[c][1]))
    for c in ctor_names:
        alt = chosen[c][0]
        run.close_or_admit(alt.rhs, subgoals[c], alt.pos)
    return []


def t_cases_prime(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    term, names = tac.args
    g, hyp, ty = _destruct_source(run, goal, term)
    cs = constructors(ty)
    if cs is None:
        raise _fail(tac.name, goal, f"major premise type is not an inductive type\n  {pp(ty)}")
    queue = list(names)
    per_ctor = {}
    for c, ftypes, _ in cs:
        per_ctor[c] = [queue.pop(0) if queue else "_" for _ in ftypes]
    return [g2 for _, g2 in _cases_goals(g, goal, ty, lambda c, k: per_ctor[c])]


def _rcases_pattern(run: Runner, goal: Goal, src: Hyp | None, ty: Formula, pat, default: str,
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
        return [_add_named(goal, name, ty)]
    if isinstance(pat, PTyped):
        want = run.elab(goal).prop(pat.type)
        if not defeq(want, ty):
            raise TacticError(f"rcases: type mismatch\n  {pp(ty)}\nexpected\n  {pp(want)}")
        return _rcases_pattern(run, goal, src, want, pat.pat, default, tag_cases)
    if isinstance(pat, PCtor):
        raise TacticError("constructor patterns are not rcases patterns; use ⟨…⟩ or `|`")
    if isinstance(ty, Bot):
        return []
    if isinstance(pat, PAlts):
        if not isinstance(ty, Or):
            return _rcases_pattern(run, goal, src, ty, pat.alts[0], default, tag_cases)
        left_pat = pat.alts[0]
        rest = pat.alts[1:]
        right_pat = rest[0] if len(rest) == 1 else PAlts(rest)
        gl = goal.retag(_tag(goal.tag, "inl")) if tag_cases else goal
        gr = goal.retag(_tag(goal.tag, "inr")) if tag_cases else goal
        return (_rcases_pattern(run, gl, None, ty.left, left_pat, "h", tag_cases)
                + _rcases_pattern(run, gr, None, ty.right, right_pat, "h", tag_cases))
    assert isinstance(pat, PTuple)
    items = pat.items
    if isinstance(ty, Top):
        return [goal.retag(_tag(goal.tag, "intro")) if tag_cases else goal]
    if len(items) == 1:
        return _rcases_pattern(run, goal, src, ty, items[0], default, tag_cases)
    if isinstance(ty, And):
        g = goal.retag(_tag(goal.tag, "intro")) if tag_cases else goal
        rest = items[1:]
        out = []
        for g1 in _rcases_pattern(run, g, None, ty.left, items[0] if items else None, "left", False):
            sub = rest[0] if len(rest) == 1 else (PTuple(rest) if rest else None)
            out.extend(_rcases_pattern(run, g1, None, ty.right, sub, "right", tag_cases))
        return out
    if isinstance(ty, Iff):
        g = goal.retag(_tag(goal.tag, "intro")) if tag_cases else goal
        out = []
        for g1 in _rcases_pattern(run, g, None, Imp(ty.left, ty.right), items[0] if items else None, "mp",
                                  False):
            sub = items[1] if len(items) == 2 else (PTuple(items[1:]) if len(items) > 2 else None)
            out.extend(_rcases_pattern(run, g1, None, Imp(ty.right, ty.left), sub, "mpr", False))
        return out
    if isinstance(ty, Or):
        return _rcases_pattern(run, goal, src, ty, PAlts((pat, pat)), default, tag_cases)
    if not items:
        return [goal.with_hyp(Hyp(src.name if src else default, ty, accessible=False))]
    shown = (src.name if src else default) + "✝"
    raise TacticError(f"rcases: {shown} : {pp(ty)} is not an inductive datatype")


def t_rcases(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    term, pat = tac.args
    g, hyp, ty = _destruct_source(run, goal, term)
    return _rcases_pattern(run, g, hyp, ty, pat, "h")


def t_obtain(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    pat, ty_term, value = tac.args
    if value is None:
        if ty_term is None:
            raise TacticError("`obtain` needs `: type` or `:= proof`")
        ty = run.elab(goal).prop(ty_term)
        return [Goal(goal.context, ty, "")] + _rcases_pattern(run, goal, None, ty, pat, "h")
    if ty_term is not None:
        el = run.elab(goal)
        ty = el.prop(ty_term)
        el.check(value, ty)
        return _rcases_pattern(run, goal, None, ty, pat, "h")
    g, hyp, ty = _destruct_source(run, goal, value)
    return _rcases_pattern(run, g, hyp, ty, pat, "h")


def t_by_cases(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    name, term = tac.args
    f = run.elab(goal).prop(term)
    if has_mvar(f):
        raise TacticError("don't know how to synthesize placeholder in `by_cases`")
    pos = goal.retag("pos")
    neg = goal.retag("neg")
    if name is None:
        return [pos.with_hyp(Hyp("h", f, False)), neg.with_hyp(Hyp("h", Not(f), False))]
    return [_add_named(pos, name, f), _add_named(neg, name, Not(f))]


def t_by_contra(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    t = goal.target
    hyp_type = t.arg if isinstance(t, Not) else Not(t)
    g = goal.retarget(FALSE)
    if tac.args and tac.args[0] != "_":
        return [_add_named(g, tac.args[0], hyp_type)]
    return [g.with_hyp(Hyp("x", hyp_type, accessible=False))]


def t_absurd(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    ty = run.elab(goal).check(tac.args[0], None)
    if has_mvar(ty):
        raise TacticError(f"don't know how to synthesize implicit arguments in\n  {pp(ty)}")
    if isinstance(ty, Not):  # Batteries: `refine absurd ?_ h` first
        return [goal.retarget(ty.arg)]
    return [dataclasses.replace(goal, target=Not(ty))]


# ------------------------------------------------------------------------------- have family

def _bind_value(run: Runner, goal: Goal, pat, ty: Formula, pos) -> Goal:
    if isinstance(pat, PVar):
        if pat.name == "_":
            return goal.with_hyp(Hyp("this", ty, accessible=False))
        return _add_named(goal, pat.name, ty)
    el = run.elab(goal)
    row = [normalise_pattern(pat, ty, el, pos)]
    check_rows([row], [ty], [pos], pos)
    g = goal
    for hyp in pattern_bindings(row[0], ty, "x"):
        g = g.with_hyp(hyp)
    return g


def t_have(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    pat, ty_term, value = tac.args
    el = run.elab(goal)
    ty = el.prop(ty_term) if ty_term is not None else None
    if value is None:
        if ty is None:
            raise TacticError("`have` needs a type or a value")
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
    g = goal
    if tac.name == "replace" and isinstance(pat, PVar) and goal.hyp(pat.name) is not None:
        g = g.without(goal.hyp(pat.name))
    return [_bind_value(run, g, pat, got, tac.pos)]


def t_suffices(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    name, ty_term, proof = tac.args
    ty = run.elab(goal).prop(ty_term)
    with_h = _add_named(goal, name, ty)
    if proof is None:
        return [with_h, Goal(goal.context, ty, "")]
    run.elab(with_h).check(proof, goal.target)
    return [goal.retarget(ty)]


def t_show(run: Runner, tac: Tac, goals: tuple) -> tuple:
    ty_term, proof = tac.args
    main, _ = run._main(goals)
    for i, g in enumerate(goals):
        el = run.elab(g)
        f = el.prop(ty_term)
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


def t_change(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
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


def t_clear(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    g = goal
    for n in tac.args:
        h = g.lookup(n)
        if h is None:
            raise TacticError(f"Unknown identifier `{n}`")
        if h.is_var and any(n in atoms(x.type) for x in g.context if x.type is not None) | (n in atoms(g.target)):
            raise TacticError(f"cannot clear '{n}': it is used by other hypotheses or the target")
        g = g.without(h)
    return [g]


def t_revert(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
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


def t_rename_i(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    return [_rename_inaccessibles(goal, tac.args, tac.pos)]


def t_specialize(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
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


def t_goals_order(run: Runner, tac: Tac, goals: tuple) -> tuple:
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


# ------------------------------------------------------------------------------- match

def _match_alts(run: Runner, goal: Goal, types: list[Formula], alts, pos) -> list[Goal]:
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


def t_match(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    discrs, alts = tac.args
    el = run.elab(goal)
    types = []
    for d in discrs:
        ty = el.check(d, None)
        if has_mvar(ty):
            raise TacticError(f"don't know how to synthesize implicit arguments in\n  {pp(ty)}", d.pos)
        types.append(ty)
    return _match_alts(run, goal, types, alts, tac.pos)


# ------------------------------------------------------------------------------- rewriting

_HEADS = {And: "and", Or: "or", Iff: "iff", Eq: "eq", Not: "not", Imp: "imp", Forall: "forall", Top: "True",
          Bot: "False"}


def _head_key(f: Formula):
    if isinstance(f, Atom):
        return ("atom", f.name)
    return _HEADS.get(type(f))


def _rewrite_formula(el: Elab, f: Formula, pattern: Formula, repl: Formula, occ: int | None,
                     counter: list, found: list) -> Formula:
    """Lean's ``kabstract``: pre-order, left to right; the first match fixes the metavariables
    (``occ`` given: only the ``occ``-th match is rewritten and each candidate is matched afresh)."""
    key = _head_key(el.head(pattern))

    def visit(g: Formula, bound: frozenset) -> Formula:
        if not (bound and any(a in bound for a in atoms(g))) and _head_key(g) == key:
            saved = el.save()
            if el.unify(g, pattern):
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


def _rule_equation(run: Runner, el: Elab, rule_term, goal: Goal):
    """The equation a rewrite rule provides: ``(lhs, rhs, side-goal params)`` after instantiating its
    binders with metavariables (Lean's ``forallMetaTelescopeReducing``); ``h : p`` gives ``p = True``."""
    if isinstance(rule_term, TIdent):
        ftype, disp = el.head_type(rule_term)
        if ftype is None:
            ftype = el.check(rule_term, None)
    else:
        ftype = el.check(rule_term, None)
    params, body = _telescope(el, ftype, 1 << 30)
    eq = el.head(el._pi_formula(body))
    if isinstance(eq, (Iff, Eq)):
        return eq.left, eq.right, params
    return eq, Top(), params


def _rewrite(run: Runner, goal: Goal, rules, loc, occ: int | None, tactic: str) -> list[Goal]:
    side: list[Goal] = []
    for rev, rule in rules:
        el = run.elab(goal, "all")
        lhs, rhs, params = _rule_equation(run, el, rule, goal)
        if rev:
            lhs, rhs = rhs, lhs
        if isinstance(el.head(lhs), MVar):
            raise _fail("rewrite", goal, f"Pattern is a metavariable\n  {pp(el.inst(lhs))}\nfrom equation\n  "
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
                raise _fail("rewrite", goal, f"Did not find an occurrence of the pattern\n  "
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
            raise _fail("rewrite", goal, f"Did not find an occurrence of the pattern\n  {pp(el.inst(lhs))}")
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
        return [h.name for h in goal.context if h.type is not None and h.accessible] + ["⊢"]
    out = []
    for name in loc:
        if name != "⊢" and goal.hyp(name) is None:
            raise TacticError(f"Unknown identifier `{name}`")
        out.append(name)
    return out


def t_rw(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
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
        if not _assumption(goals[0]):
            raise _fail("assumption", goals[0])
        goals = goals[1:]
    return goals


# ------------------------------------------------------------------------------- simp family

def t_simp(run: Runner, tac: Tac, goal: Goal) -> list[Goal]:
    only, args, loc, using = tac.args
    return simp_mod.run_simp(run, tac.name, goal, only, args, loc, using)



_TACTICS: dict[str, Callable] = {
    "intro": t_intro, "intros": t_intros, "rintro": t_rintro, "rintros": t_rintro,
    "exact": t_exact, "exact_mod_cast": t_exact, "exacts": t_exacts, "apply": t_apply, "refine": t_refine,
    "refine'": t_refine, "constructor": t_constructor, "left": t_left_right, "right": t_left_right,
    "exfalso": t_exfalso, "assumption": t_assumption, "contradiction": t_contradiction,
    "trivial": t_trivial, "triv": t_triv, "rfl": t_rfl, "decide": t_decide, "done": t_done, "skip": t_skip,
    "sorry": t_sorry, "admit": t_sorry, "tauto": t_tauto, "symm": t_symm,
    "cases": t_cases, "induction": t_cases, "cases'": t_cases_prime, "induction'": t_cases_prime,
    "rcases": t_rcases, "obtain": t_obtain, "by_cases": t_by_cases, "by_contra": t_by_contra,
    "absurd": t_absurd, "have": t_have, "replace": t_have, "suffices": t_suffices, "show": t_show,
    "change": t_change, "clear": t_clear, "revert": t_revert, "rename_i": t_rename_i,
    "specialize": t_specialize, "swap": t_goals_order, "pick_goal": t_goals_order,
    "rotate_left": t_goals_order, "rotate_right": t_goals_order, "match": t_match,
    "rw": t_rw, "rewrite": t_rw, "rwa": t_rw, "nth_rewrite": t_rw, "nth_rw": t_rw,
    "simp": t_simp, "simp_all": t_simp, "simpa": t_simp, "norm_num": t_simp,
}

TACTIC_NAMES = tuple(sorted(_TACTICS))


# ------------------------------------------------------------------------------- entry points

@functools.lru_cache(maxsize=65536)
def parse_tactic(text: str) -> Seq:
    """Parse a tactic block (cached: search applies the same strings often). Raises TacticError
    with Lean's ``<input>:line:col: message`` on a syntax error."""
    try:
        toks = tokenize(text)
        ts = TokenStream(toks, text)
        if ts.done():
            raise ParseError("unknown tactic", pos=0)
        seq = parse_seq(ts)
        if ts.raw() is not None:
            t = ts.raw()
            raise ParseError(f"unexpected token '{t.text}'; expected command", pos=t.pos)
        return seq
    except ParseError as e:
        line, col = LineMap(text).locate(e.pos or 0)
        raise TacticError(f"<input>:{line + 1}:{col}: {e.message}") from None


def run_tactic(state: PropState, text: str, *, allow_tauto: bool = False, lib: Library = LIBRARY) -> PropState:
    """Apply a tactic script to ``state``; raise :class:`TacticError` with Lean's message on failure."""
    seq = parse_tactic(text)
    return Runner(lib=lib, allow_tauto=allow_tauto).run(seq, tuple(state))


