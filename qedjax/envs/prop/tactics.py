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

The tactics themselves live by family: ``intro.py``, ``apply.py``, ``cases.py``, ``context.py``,
``rewrite.py``, ``closers.py`` and ``simp.py``; this module runs the structure around them (sequences,
``<;>``, focusing blocks, ``case``, ``first``, ``try``, ``repeat``, ``all_goals``, …).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from typing import Callable

from qedjax.envs.prop.apply import (
    t_apply,
    t_apply_assumption,
    t_constructor,
    t_exact,
    t_exacts,
    t_exfalso,
    t_left_right,
    t_refine,
)
from qedjax.envs.prop.blocks import Comb, First, Focus, Node, Paren, Says, Seq, SetOption, Tac, Then
from qedjax.envs.prop.cases import (
    t_absurd,
    t_by_cases,
    t_by_contra,
    t_cases,
    t_cases_prime,
    t_match,
    t_obtain,
    t_rcases,
)
from qedjax.envs.prop.closers import (
    t_assumption,
    t_contradiction,
    t_decide,
    t_done,
    t_rfl,
    t_skip,
    t_sorry,
    t_symm,
    t_tauto,
    t_triv,
    t_trivial,
)
from qedjax.envs.prop.context import (
    t_change,
    t_clear,
    t_goals_order,
    t_have,
    t_let,
    t_rename,
    t_rename_i,
    t_revert,
    t_set,
    t_show,
    t_specialize,
    t_suffices,
)
from qedjax.envs.prop.decls import LIBRARY, Library
from qedjax.envs.prop.elab import Elab, Scope
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.guard import t_guard_hyp, t_guard_target
from qedjax.envs.prop.intro import t_intro, t_intros, t_rintro
from qedjax.envs.prop.itauto import t_itauto
from qedjax.envs.prop.macros import MacroCall, expand
from qedjax.envs.prop.options import ATTRIBUTES, ignored_option, option_value
from qedjax.envs.prop.parser import parse_tactic
from qedjax.envs.prop.push_neg import t_by_contra_bang, t_contrapose, t_push_neg
from qedjax.envs.prop.rewrite import t_rw, t_unfold
from qedjax.envs.prop.simp import t_simp
from qedjax.envs.prop.state import Goal, PropState
from qedjax.envs.prop.syntax import MVar, atoms, pp, subst
from qedjax.envs.prop.tactic_base import NO_GOALS, SORRY_MESSAGE, find_case, rename_inaccessibles, unsolved
from qedjax.envs.prop.unify import goal_mvar_ids, has_goal_mvar, has_mvar, occurs

__all__ = ["run_tactic", "parse_tactic", "TacticError", "TACTIC_NAMES", "Runner", "SORRY_MESSAGE"]

MAX_REPEAT = 512  # Lean stops runaway `repeat` with "maximum recursion depth has been reached"


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
    hygienic: bool = True  # Lean's `tactic.hygienic`
    push_neg_distrib: bool = False  # Mathlib's `push_neg.use_distrib`
    says_verify: bool = False  # Mathlib's `says.verify`
    macro_hygiene: bool = True  # Lean's `hygiene` (read by the file's macro commands; no tactic reads it)
    simp_changed: str = ""  # the file's change of the default simp set in scope (attributes.py)
    defs: dict | None = None  # the file's `def P : Prop := …` (name -> body)
    # goals made from named holes `?a` (name -> the Goal object), and those already solved (name ->
    # (type, context)): a later term may use `?a` once its goal is solved (never inside its own proof)
    named_goals: dict = dataclasses.field(default_factory=dict)
    closed_named: dict = dataclasses.field(default_factory=dict)
    warnings: list = dataclasses.field(default_factory=list)  # TacticErrors worded as warnings
    mvars: dict = dataclasses.field(default_factory=dict)  # assigned metavariables of the proof state
    mvar_ctx: dict = dataclasses.field(default_factory=dict)  # id -> (name, local context) of a metavariable

    # ------------------------------------------------------------------------ metavariables
    def new_mvar(self, name: str, context: tuple = ()) -> MVar:
        """A fresh metavariable of the proof state (``?name``), as ``apply`` leaves one in ``context``."""
        m = MVar(-next(_GOAL_MVAR_IDS), name)
        self.mvar_ctx[m.id] = (name, context)
        return m

    def commit(self, el: Elab) -> None:
        """Hand the proof state's metavariables that ``el`` assigned back to the state."""
        for k, v in el.mv.items():
            if k < 0:
                v = el.inst(v)
                if has_mvar(v):
                    raise TacticError(f"don't know how to synthesize placeholder in\n  {pp(v)}")
                self._in_scope(k, v, el.scope.lookup)
                if k in self.mvars and self.mvars[k] != v:  # an assignment is final (Lean's assign once)
                    raise TacticError(f"type mismatch: the metavariable is already\n  {pp(self.mvars[k])}\n"
                                      f"and cannot also be\n  {pp(v)}")
                self.mvars[k] = v

    def _in_scope(self, k: int, v, here) -> None:
        """Lean's ``checkAssignment``: a variable the metavariable's local context lacks (one that
        ``intro`` or a ``fun`` bound after ``apply`` made it) cannot occur in its value. Variables are
        told apart by their declaration, not their name (``clear x`` then ``intro x`` is another ``x``)."""
        if k not in self.mvar_ctx:  # a metavariable of a state read from text: its context is not known
            return
        name, ctx = self.mvar_ctx[k]
        v = subst(v, self.mvars)
        for n in atoms(v):
            own = next((h for h in reversed(ctx) if h.name == n and h.accessible), None)
            if own is not here(n) or (own is None and not (self.defs and n in self.defs)):
                raise TacticError(f"type mismatch: the metavariable ?{name} cannot be "
                                  f"assigned\n  {pp(v)}\nwhose variable `{n}` is not in its context")
        for q in goal_mvar_ids(v):  # another metavariable in the value keeps only this one's context
            if q in self.mvar_ctx:  # (Lean prunes it: a new metavariable of the common context)
                ids = {id(h) for h in ctx}
                q_name, q_ctx = self.mvar_ctx[q]
                self.mvar_ctx[q] = (q_name, tuple(h for h in q_ctx if id(h) in ids))

    def save(self) -> tuple:
        """What a failed tactic gives back (Lean's ``saveState``): assignments and named goals."""
        return dict(self.mvars), dict(self.named_goals), dict(self.closed_named), dict(self.mvar_ctx)

    def restore(self, saved: tuple) -> None:
        self.mvars, self.mvar_ctx = dict(saved[0]), dict(saved[3])
        for d, old in ((self.named_goals, saved[1]), (self.closed_named, saved[2])):
            d.clear()
            d.update(old)

    def assign_mvar(self, m: MVar, f, here) -> None:
        """Assign the proof state's metavariable ``m`` (the goal ``⊢ Prop`` closed by ``exact f``)."""
        if has_mvar(f) or occurs(m.id, f):
            raise TacticError(f"don't know how to synthesize placeholder for ?{m.name}")
        self._in_scope(m.id, f, here)
        self.mvars[m.id] = f

    def instantiate(self, goals: tuple) -> tuple:
        """Goals with the assigned metavariables substituted; a goal that is an assigned
        metavariable is solved and leaves the list (Lean's ``getUnsolvedGoals``)."""
        out = []
        for g in goals:
            if g.mvar and g.mvar in self.mvars:
                continue
            target = subst(g.target, self.mvars)
            ctx = tuple(_subst_hyp(h, self.mvars) for h in g.context)
            if target is not g.target or any(a is not b for a, b in zip(ctx, g.context)):
                g = Goal(ctx, target, g.tag, g.mvar)
            out.append(g)
        return tuple(out)

    # ------------------------------------------------------------------------ structure
    def run(self, node: Node, goals: tuple) -> tuple:
        try:
            goals = self._run(node, goals)
            return self.instantiate(goals) if self.mvars else goals
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
            main, rest = self.main_goal(goals)
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
                except Unsupported:
                    raise
                except TacticError:
                    continue
        if isinstance(node, Comb):
            return self._comb(node, goals)
        if isinstance(node, SetOption):
            return self._set_option(node, goals)
        if isinstance(node, Says):  # Mathlib/Tactic/Says.lean
            if node.seq is None or self.says_verify:  # Lean runs `tac` and reads its "Try this"
                raise Unsupported("the prop environment cannot check what `says` verifies (`says.verify`)",
                                  node.pos)
            return self.run(node.seq, goals)
        if isinstance(node, MacroCall):
            return self._macro(node, goals)
        raise TacticError(f"unsupported syntax {type(node).__name__}", getattr(node, "pos", None))

    def _macro(self, node: MacroCall, goals: tuple) -> tuple:
        """A use of a file's tactic macro (``macros.py``): its expansions, most recent first; a failed
        one restores the state and the next runs (Lean's ``expandEval``); errors are reported at the use."""
        if node.refused:
            raise Unsupported(node.refused, node.pos)
        failure = None
        local = {h.name for g in goals for h in g.context}
        for rule in node.rules:
            seq, named = expand(node, rule, lambda n: self.lib.get(n) is not None)
            if named & local:
                raise Unsupported(f"the prop environment does not model hygiene where the expansion of "
                                  f"`{node.name}` names the constant `{min(named & local)}` and a hypothesis "
                                  f"has that name", node.pos)
            n_err, n_warn, n_sorry, assigned = len(self.errors), len(self.warnings), len(self.sorry_pos), \
                self.save()
            try:
                out = self.run(seq, goals)
            except Unsupported as e:
                raise _at_use(e, node) from None
            except TacticError as e:
                del self.errors[n_err:], self.warnings[n_warn:], self.sorry_pos[n_sorry:]
                self.restore(assigned)
                failure = _at_use(e, node)
                continue
            for e in self.errors[n_err:] + self.warnings[n_warn:]:
                _at_use(e, node)
            self.sorry_pos[n_sorry:] = [node.pos] * (len(self.sorry_pos) - n_sorry)
            return out
        raise failure

    def _quiet(self, node: Node, goals: tuple) -> tuple:
        """Run without error recovery (Lean's ``withoutRecover`` inside ``first``/``try``/``repeat``); a
        failed run leaves no warning behind (Lean backtracks its message log)."""
        n_warn = len(self.warnings)
        assigned = self.save()
        recover, self.recover = self.recover, False
        n_err = len(self.errors)
        try:
            return self.run(node, goals)
        except Unsupported:
            raise
        except TacticError:
            del self.warnings[n_warn:]
            self.restore(assigned)
            raise
        finally:
            self.recover = recover
            del self.errors[n_err:]

    def _set_option(self, node: SetOption, goals: tuple) -> tuple:
        value = option_value(node.name, node.value, node.pos)
        if value is None or node.name not in ATTRIBUTES:  # a header option has no effect on tactics
            self.warnings.append(TacticError(ignored_option(node.name), node.pos))
            return self.run(node.seq, goals)
        attr = ATTRIBUTES[node.name]
        saved = getattr(self, attr)
        setattr(self, attr, value)
        try:
            return self.run(node.seq, goals)
        finally:
            setattr(self, attr, saved)

    def _guard(self, thunk: Callable[[], tuple], keep: tuple) -> tuple:
        """all_goals-style recovery: on error, log it and keep the goal."""
        try:
            return thunk()
        except TacticError as e:
            if not self.recover:
                raise
            self.errors.append(e)
            return keep

    def main_goal(self, goals: tuple) -> tuple[Goal, tuple]:
        if not goals:
            raise TacticError(NO_GOALS)
        return goals[0], goals[1:]

    def close_or_admit(self, seq: Node, goal: Goal, ref: int) -> None:
        """Lean's ``closeUsingOrAdmit``: run ``seq`` on ``goal`` alone; it must close it."""
        try:
            left = self.run(seq, (goal,))
            if left:
                raise TacticError(unsolved(left), ref)
            if self.named_goals:
                self.solved(goal)
        except TacticError as e:
            if not self.recover:
                raise
            self.errors.append(e)

    def _focus(self, node: Focus, goals: tuple) -> tuple:
        if node.kind in ("·", "{}"):
            main, rest = self.main_goal(goals)
            self.close_or_admit(node.seq, main, node.ref)
            return rest
        if node.kind == "focus":
            main, rest = self.main_goal(goals)
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
            goal, others = find_case(goals, tag, node.pos)
            original = goal
            goal = rename_inaccessibles(goal, names, node.pos)
            goal = goal.retag("")
            n_err = len(self.errors)
            self.close_or_admit(node.seq, goal, node.ref)
            if len(self.errors) == n_err and self.named_goals:
                self.solved(original)
            goals = others
        return goals

    def _comb(self, node: Comb, goals: tuple) -> tuple:
        name = node.name
        if name == "try":
            try:
                return self._quiet(node.seq, goals)
            except Unsupported:
                raise
            except TacticError:
                return goals
        if name in ("repeat", "iterate") and node.count <= 0:
            cur = goals
            for _ in range(MAX_REPEAT):
                try:
                    cur = self._quiet(node.seq, cur)
                except Unsupported:
                    raise
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
                except Unsupported:
                    raise
                except TacticError:
                    out.append(g)
            if not ok:
                raise TacticError("failed on all goals", node.pos)
            return tuple(out)
        if name == "fail_if_success":
            # Lean's evalFailIfSuccess: run the tactics (no error recovery); their failure restores the
            # state and succeeds, their success is the error "tactic succeeded"
            assigned = self.save()
            try:
                self._quiet(node.seq, goals)
            except Unsupported:
                raise
            except TacticError:
                return goals
            self.restore(assigned)
            raise TacticError("tactic succeeded", node.pos)
        if name in ("open", "show_term"):  # `show_term tac` runs `tac` and prints its term
            return self.run(node.seq, goals)
        raise TacticError(f"unsupported combinator {name}", node.pos)

    def _repeat_all(self, seq: Node, goals: tuple, depth: int) -> tuple:
        if depth > MAX_REPEAT:
            raise TacticError("maximum recursion depth has been reached")
        out: list[Goal] = []
        for g in goals:
            try:
                new = self._quiet(seq, (g,))
            except Unsupported:
                raise
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
            raise Unsupported(f"the prop environment does not support the tactic `{what}`", tac.pos)
        try:
            if self.mvars:
                goals = self.instantiate(goals)
            if self.defs:
                _check_defs(tac.name, goals, self.defs)
            if tac.name in _ALL_GOAL_TACTICS:
                return fn(self, tac, goals)
            main, rest = self.main_goal(goals)
            if main.mvar and tac.name not in _ON_PROP_GOALS:
                raise Unsupported(f"the prop environment supports only `exact` on the goal `⊢ Prop` "
                                  f"(the proposition ?{main.target.name})")
            if tac.name in _EVALUATING and _has_goal_mvars(main):
                raise Unsupported(f"the prop environment does not support `{tac.name}` on a goal with "
                                  f"metavariables")
            new = tuple(fn(self, tac, main))
            if not new and self.named_goals:
                self.solved(main)
            return new + rest
        except TacticError as e:
            if e.pos is None:
                e.pos = tac.pos
            raise

    # shared by the tactics below
    def elab(self, goal: Goal, holes: str = "none", assign_goal: bool = False) -> Elab:
        """An elaborator over ``goal``'s context; with ``assign_goal`` it may assign the proof state's
        metavariables, and the tactic then hands them back with :meth:`commit`."""
        el = Elab(Scope(goal.context, self.defs), self.lib, self.run_by_block, holes, assign_goal)
        el.closed_named = self.closed_named
        return el

    def register_named(self, goal: Goal) -> None:
        """``goal`` was made from the hole ``?{goal.tag}``."""
        self.named_goals[goal.tag] = goal

    def solved(self, goal: Goal) -> None:
        """``goal`` was closed: a named one may now be referred to."""
        for name, g in list(self.named_goals.items()):
            if g is goal:
                self.closed_named[name] = (goal.target, goal.context)
                del self.named_goals[name]

    def run_by_block(self, by_term, goal: Goal) -> None:
        """Run a nested ``by`` block on ``goal``; unsolved goals are an error at ``by``."""
        try:
            left = self.run(by_term.block, (goal,))
            if left:
                raise TacticError(unsolved(left), by_term.pos)
        except TacticError as e:
            if not self.recover:
                raise
            self.errors.append(e)


_GOAL_MVAR_IDS = itertools.count(1)
_MACRO_SCOPE = re.compile("✝[0-9]+")


def _at_use(e: TacticError, node: MacroCall) -> TacticError:
    """An error of a macro's expansion as Lean reports it: at the use, names with the expansion's
    macro scope shown ``h✝``."""
    e.pos = node.pos
    e.message = _MACRO_SCOPE.sub("✝", e.message)
    return e
_ON_PROP_GOALS = {"exact", "exact_mod_cast", "sorry", "admit", "skip", "done"}
# tactics that evaluate propositions (truth tables, simp's rules), and `apply_assumption`, which tries each
# hypothesis and keeps no assignment: not on a goal with `?a`
_EVALUATING = {"decide", "trivial", "tauto", "simp", "simp_all", "simpa", "norm_num", "dsimp", "simp?",
               "simp_all?", "itauto", "itauto!", "apply_assumption"}


# tactics whose outcome on a file's definition prop cannot vouch for (Lean's may unfold it where prop
# keeps it a constant): refused on a goal that mentions one (simp handles `simp only [P]` itself)
_OPAQUE_REFUSED = {"decide", "tauto", "norm_num", "itauto", "itauto!", "push_neg", "push", "contrapose",
                   "contrapose!", "by_contra!"}


def _check_defs(name: str, goals: tuple, defs: dict) -> None:
    """A file's definitions of propositions are constants here: no local may share a name with one,
    and the tactics of ``_OPAQUE_REFUSED`` are refused where one occurs."""
    for g in goals:
        for h in g.context:
            if h.name in defs:
                raise Unsupported(f"the prop environment does not model a local named like the file's "
                                  f"definition `{h.name}`")
    if name in _OPAQUE_REFUSED and goals:
        g = goals[0]
        found = {a for f in [g.target] + [h.type for h in g.context if h.type is not None]
                 for a in atoms(f)} & defs.keys()
        if found:
            raise Unsupported(f"the prop environment does not model `{name}` on the file's definition "
                              f"`{min(found)}`")


def _subst_hyp(h, env: dict):
    if h.type is None:
        return h
    t = subst(h.type, env)
    return h if t is h.type else dataclasses.replace(h, type=t)


def _has_goal_mvars(goal: Goal) -> bool:
    """Whether the proof state's metavariables occur in ``goal`` (memoised on the goal)."""
    found = goal._goal_mvars
    if found is None:
        found = has_goal_mvar(goal.target) or \
            any(h.type is not None and has_goal_mvar(h.type) for h in goal.context)
        object.__setattr__(goal, "_goal_mvars", found)
    return found


_ALL_GOAL_TACTICS = {"done", "show", "swap", "pick_goal", "rotate_left", "rotate_right", "exacts", "sorry",
                     "admit"}


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
    "simp": t_simp, "simp_all": t_simp, "simpa": t_simp, "simp?": t_simp, "simp_all?": t_simp,
    "norm_num": t_simp, "dsimp": t_simp,
    "unfold": t_unfold, "rename": t_rename, "let": t_let, "set": t_set,
    "push_neg": t_push_neg, "push": t_push_neg, "contrapose": t_contrapose, "contrapose!": t_contrapose,
    "by_contra!": t_by_contra_bang, "guard_target": t_guard_target, "guard_hyp": t_guard_hyp,
    "apply_assumption": t_apply_assumption, "itauto": t_itauto, "itauto!": t_itauto,
}


TACTIC_NAMES = tuple(sorted(_TACTICS))


def run_tactic(state: PropState, text: str, *, allow_tauto: bool = False, lib: Library = LIBRARY) -> PropState:
    """Apply a tactic script to ``state``; raise :class:`TacticError` with Lean's message on failure."""
    seq = parse_tactic(text)
    return Runner(lib=lib, allow_tauto=allow_tauto).run(seq, tuple(state))
