"""``simp``, ``simp only``, ``simp [*]``, ``simp at``, ``simp_all``, ``simpa`` and ``norm_num`` on propositions.

Lean's ``simp`` rewrites with hundreds of lemmas, so this environment cannot reproduce every goal it
leaves behind. It therefore accepts a ``simp`` call only where the outcome is certain and fails
otherwise, the way Lean fails (``\\`simp\\` made no progress`` when none of its rules apply,
``unsolved goals`` when it would leave a goal the environment cannot reproduce):

* **The rule set** (all ``@[simp]`` lemmas of Lean 4 core, ``Init/SimpLemmas.lean`` and
  ``Init/Core.lean``): ``and_true``, ``true_and``, ``and_false``, ``false_and``, ``and_self``,
  ``and_not_self``, ``not_and_self``, ``or_true``, ``true_or``, ``or_false``, ``false_or``, ``or_self``,
  ``not_true_eq_false``, ``not_false_eq_true``, ``true_implies``, ``implies_true``, ``false_implies``,
  ``imp_self``, ``iff_self``, ``iff_true``, ``true_iff``, ``iff_false``, ``false_iff``, ``iff_not_self``,
  ``not_iff_self``, ``eq_self``. ``simp only [...]`` uses just the listed ones.
* **Hypotheses** given as ``[h]``, ``[*]`` or by ``simp_all``: a hypothesis ``p`` rewrites ``p`` to
  ``True``, ``¬p`` rewrites ``p`` to ``False``, conjunctions split, and ``a → p`` rewrites ``p`` once
  ``a`` simplifies to ``True``. A call is refused when a hypothesis would rewrite ``True``/``False``,
  rewrite an atom to a non-constant (``h : p ↔ q``), or give an atom two values.
* **Accepted outcomes**: the goal simplifies to ``True``; a hypothesis simplified ``at h`` becomes
  ``False`` (closing the goal) or ``True`` (removed); ``simp_all`` derives ``False`` or ``True``; ``simpa
  using e`` closes when simp closes the goal, when ``e``'s type simplifies to ``False`` or when ``e``'s
  type is the goal itself. Everything else fails.

Rules are applied bottom-up, as ``simp`` does; a formula whose atoms the hypotheses decide folds to
``True``/``False`` exactly as under Lean's simp set, which contains these rules. Under the whole default
set, ``and_not_self``, ``not_and_self``, ``iff_not_self`` and ``not_iff_self`` apply to a proposition
variable only: a compound ``¬a`` is rewritten first (``not_and``, ``not_or``, ``Classical.not_imp``, …).
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.rewrite import unfold_at, unfold_not
from qedjax.envs.prop.simp_ac import AC_LEMMAS, Unreproducible, ac_closes
from qedjax.envs.prop.state import Goal, pp_goal
from qedjax.envs.prop.syntax import (
    FALSE,
    TRUE,
    And,
    Atom,
    Bot,
    Eq,
    Forall,
    Formula,
    Iff,
    Imp,
    Let,
    Not,
    Or,
    Top,
    alpha_norm,
    atoms,
    subst,
)
from qedjax.envs.prop.terms import TIdent

__all__ = ["SIMP_RULES", "fold", "run_simp", "t_simp"]

SIMP_RULES = frozenset({
    "and_true", "true_and", "and_false", "false_and", "and_self", "and_not_self", "not_and_self",
    "or_true", "true_or", "or_false", "false_or", "or_self", "not_true_eq_false", "not_false_eq_true",
    "true_implies", "implies_true", "false_implies", "imp_self", "iff_self", "iff_true", "true_iff",
    "iff_false", "false_iff", "iff_not_self", "not_iff_self", "eq_self",
})


class Unmodelled(Exception):
    """The outcome of this simp call is not one the environment can be sure of."""


def _same(a: Formula, b: Formula) -> bool:
    return a == b or alpha_norm(a, unfold_not=False) == alpha_norm(b, unfold_not=False)


# in the rule set of a call that uses Lean's whole default simp set (`simp`, not `simp only`)
FULL_SET = "<the default simp set>"


def _negates(a: Formula, b: Formula, rules: frozenset = frozenset()) -> bool:
    """``b`` is ``¬a``. Under the whole default simp set only for a proposition variable ``a``: simp
    rewrites ``¬a`` (a child) before ``a ∧ ¬a`` (its parent) with ``not_and``, ``not_or``,
    ``Classical.not_not``, ``Classical.not_imp``, … where ``a`` is compound, and ``and_not_self``
    then no longer matches (``(p ∧ q) ∧ ¬(p ∧ q)`` becomes ``(p ∧ q) ∧ (p → ¬q)``)."""
    return isinstance(b, Not) and _same(b.arg, a) and (FULL_SET not in rules or isinstance(a, Atom))


def fold(f: Formula, facts: dict[str, bool], rules: frozenset) -> Formula:
    """Bottom-up rewriting of ``f`` with ``rules`` and atom values ``facts``."""
    if isinstance(f, Let):  # simp does not unfold a `let` variable (`zetaDelta := false`)
        raise Unmodelled("a local definition")
    if isinstance(f, Atom):
        if f.name in facts:
            return TRUE if facts[f.name] else FALSE
        return f
    if isinstance(f, (Top, Bot)):
        return f
    if isinstance(f, Not):
        a = fold(f.arg, facts, rules)
        if isinstance(a, Top) and "not_true_eq_false" in rules:
            return FALSE
        if isinstance(a, Bot) and "not_false_eq_true" in rules:
            return TRUE
        return f if a is f.arg else Not(a)
    if isinstance(f, Forall):
        inner = {k: v for k, v in facts.items() if k != f.var}
        b = fold(f.body, inner, rules)
        if isinstance(b, Top) and "implies_true" in rules:
            return TRUE
        return f if b is f.body else Forall(f.var, b)
    a = fold(f.left, facts, rules)
    b = fold(f.right, facts, rules)
    t = type(f)
    if t is And:
        if isinstance(b, Top) and "and_true" in rules:
            return a
        if isinstance(a, Top) and "true_and" in rules:
            return b
        if isinstance(b, Bot) and "and_false" in rules:
            return FALSE
        if isinstance(a, Bot) and "false_and" in rules:
            return FALSE
        if _same(a, b) and "and_self" in rules:
            return a
        if _negates(a, b, rules) and "and_not_self" in rules or _negates(b, a, rules) and "not_and_self" in rules:
            return FALSE
    elif t is Or:
        if isinstance(b, Top) and "or_true" in rules:
            return TRUE
        if isinstance(a, Top) and "true_or" in rules:
            return TRUE
        if isinstance(b, Bot) and "or_false" in rules:
            return a
        if isinstance(a, Bot) and "false_or" in rules:
            return b
        if _same(a, b) and "or_self" in rules:
            return a
    elif t is Imp:
        if isinstance(a, Top) and "true_implies" in rules:
            return b
        if isinstance(a, Bot) and "false_implies" in rules:
            return TRUE
        if isinstance(b, Top) and "implies_true" in rules:
            return TRUE
        if _same(a, b) and "imp_self" in rules:
            return TRUE
    elif t is Iff:
        if _same(a, b) and "iff_self" in rules:
            return TRUE
        if isinstance(b, Top) and "iff_true" in rules:
            return a
        if isinstance(a, Top) and "true_iff" in rules:
            return b
        if isinstance(b, Bot) and "iff_false" in rules:
            return fold(Not(a), {}, rules)
        if isinstance(a, Bot) and "false_iff" in rules:
            return fold(Not(b), {}, rules)
        if (_negates(a, b, rules) and "iff_not_self" in rules) or \
                (_negates(b, a, rules) and "not_iff_self" in rules):
            return FALSE
    elif t is Eq:
        if _same(a, b) and "eq_self" in rules:
            return TRUE
    if a is f.left and b is f.right:
        return f
    return t(a, b)


# ----------------------------------------------------------------------------- hypotheses as rules

def _rules_of(ty: Formula, conds: tuple = ()) -> list[tuple[Formula, Formula, tuple]]:
    """The rewrite rules simp derives from a hypothesis of type ``ty``: (lhs, rhs, conditions)."""
    if isinstance(ty, And):
        return _rules_of(ty.left, conds) + _rules_of(ty.right, conds)
    if isinstance(ty, Not):
        return [(ty.arg, FALSE, conds)]
    if isinstance(ty, (Iff, Eq)):
        return [(ty.left, ty.right, conds)]
    if isinstance(ty, Imp):
        return _rules_of(ty.right, conds + (ty.left,))
    if isinstance(ty, Forall):
        raise Unmodelled("a quantified hypothesis")
    return [(ty, TRUE, conds)]


@dataclasses.dataclass
class _Facts:
    values: dict
    conditional: list  # (atom, value, conds)


def _collect(types: list[Formula]) -> _Facts:
    facts = _Facts({}, [])
    for ty in types:
        for lhs, rhs, conds in _rules_of(ty):
            if isinstance(lhs, (Top, Bot)):
                raise Unmodelled("a hypothesis that rewrites True or False")
            if not isinstance(lhs, Atom) and (isinstance(lhs, Not) or
                                              fold(lhs, {}, SIMP_RULES | {FULL_SET}) != lhs):
                # unused by the rules below, but Lean rewrites with it: a `¬a` turned into something
                # else no longer meets `a` in `and_not_self` (`h : ¬p ↔ r` makes `p ∧ ¬p` into
                # `p ∧ r`), and where a rule also fits the left side which one simp takes is not known
                raise Unmodelled("a hypothesis that rewrites a negation or a simp rule's left side")
            if isinstance(lhs, Atom):
                if not isinstance(rhs, (Top, Bot)):
                    raise Unmodelled("a hypothesis that rewrites an atom to a proposition")
                value = isinstance(rhs, Top)
                if conds:
                    facts.conditional.append((lhs.name, value, conds))
                elif facts.values.get(lhs.name, value) != value:
                    raise Unmodelled("hypotheses that give an atom two values")
                else:
                    facts.values[lhs.name] = value
    return facts


def _saturate(facts: _Facts, rules: frozenset) -> dict:
    values = dict(facts.values)
    changed = True
    while changed:
        changed = False
        for name, value, conds in facts.conditional:
            if name in values:
                if values[name] != value and all(isinstance(fold(c, values, rules), Top) for c in conds):
                    raise Unmodelled("hypotheses that give an atom two values")
                continue
            if all(isinstance(fold(c, values, rules), Top) for c in conds):
                values[name] = value
                changed = True
    return values


# ----------------------------------------------------------------------------- the tactic

# `simp only` still closes `a = a` and `a ↔ a` (Lean's `simpOnlyBuiltins`: `eq_self`, `iff_self`)
SIMP_ONLY_BUILTINS = frozenset({"eq_self", "iff_self"})
UNFOLD_NOT = "Not"  # `simp only [Not]`: `Not`'s equation lemma, `¬a` to `a → False`


def _resolve_args(run, goal: Goal, only: bool, args) -> tuple[frozenset, list[Formula], bool]:
    rules = set(SIMP_ONLY_BUILTINS) if only else set(SIMP_RULES) | {FULL_SET}
    hyp_types: list[Formula] = []
    star = False
    for kind, arg in args:
        if kind == "*":
            star = True
            continue
        if kind == "-":
            rules.discard(arg)
            continue
        if kind == "←":
            raise Unmodelled("a reversed simp lemma")
        if isinstance(arg, TIdent):
            name = arg.name
            if run.defs and name in run.defs and goal.lookup(name) is None:  # a file's definition: its equation lemma
                rules.add(name)
                continue
            if (name == UNFOLD_NOT or name in AC_LEMMAS) and goal.lookup(name) is None:
                rules.add(name)
                continue
            if name in SIMP_RULES and goal.hyp(name) is None:
                rules.add(name)
                continue
            if goal.hyp(name) is None and run.lib.get(name) is not None:
                raise Unmodelled(f"the simp lemma `{name}`")
        ty = run.elab(goal).check(arg, None)
        hyp_types.append(ty)
    if star:
        hyp_types.extend(h.type for h in goal.context if h.type is not None)
    return frozenset(rules), hyp_types, star


def _stuck(f: Formula) -> bool:
    """Whether no lemma of Lean's default simp set can rewrite ``f``: a proposition variable, or one
    connective over distinct proposition variables. Anything larger may be rewritten by simp lemmas the
    environment does not model (``not_or``, ``not_and``, ``and_imp``, ``Classical.not_not``,
    ``eq_iff_iff``, ``and_iff_left_iff_imp``, …, Init/SimpLemmas.lean, Init/PropLemmas.lean)."""
    if isinstance(f, Atom):
        return True
    if isinstance(f, Not):
        return isinstance(f.arg, Atom)
    if isinstance(f, (And, Or, Imp, Iff)):
        return isinstance(f.left, Atom) and isinstance(f.right, Atom) and f.left != f.right
    return False


def _not_closed(goal: Goal, name: str, changed: bool, formulas=(), only: bool = True) -> TacticError:
    if not changed:
        if not only and not all(_stuck(f) for f in formulas):
            return Unsupported(f"unsolved goals\n{pp_goal(goal)}\n\nNote: the prop environment cannot tell "
                               f"whether `{name}`'s full simp set makes progress here")
        return TacticError(f"`{name if name != 'simpa' else 'simp'}` made no progress")
    return Unsupported(f"unsolved goals\n{pp_goal(goal)}\n\nNote: the prop environment models `{name}` "
                       "only where it closes the goal")


def run_simp(run, name: str, goal: Goal, only: bool, args, loc, using) -> list[Goal]:
    label = "norm_num" if name == "norm_num" else "simp"
    try:
        rules, hyp_types, _ = _resolve_args(run, goal, only, args)
        if run.defs:
            unfolds = rules & run.defs.keys()
            if unfolds:
                return _unfold_defs(run, name, goal, only, rules, unfolds, hyp_types, loc, using)
            if using is not None:
                raise Unmodelled("`using` where the file has definitions of propositions")
            mentioned = {a for f in [goal.target] + [h.type for h in goal.hyps()] for a in atoms(f)}
            if mentioned & run.defs.keys():
                raise Unmodelled(f"the file's definition `{min(mentioned & run.defs.keys())}`, which Lean's "
                                 "simp may see through where prop keeps it a constant")
        if UNFOLD_NOT in rules or name == "dsimp":
            return _unfold_not(name, goal, only, rules, hyp_types, loc, using)
        if rules & AC_LEMMAS.keys():
            return _permute(name, goal, only, rules, hyp_types, loc, using)
        if name == "simp_all":
            return _simp_all(goal, rules, hyp_types, only)
        values = _saturate(_collect(hyp_types), rules)
        if name == "simpa":
            return _simpa(run, goal, rules, values, using, only)
        if using is not None:
            raise TacticError("`using` is only allowed with `simpa`")
        return _simp_at(goal, rules, values, loc, label, only)
    except Unmodelled as e:
        raise Unsupported(f"unsolved goals\n{pp_goal(goal)}\n\nNote: the prop environment cannot "
                          f"reproduce `{name}` with {e}") from None


def _unfold_not(name: str, goal: Goal, only: bool, rules: frozenset, hyp_types: list, loc,
                using) -> list[Goal]:
    """``simp only [Not]`` / ``dsimp only [Not]``: every ``¬a`` becomes ``a → False``; ``simp`` then
    closes a goal that became ``a ↔ a`` or ``a = a`` (its builtins). Any other lemma beside ``Not``
    interleaves with the unfolding in ways the environment does not reproduce, so it is refused."""
    if not only or name not in ("simp", "dsimp") or hyp_types or using is not None or \
            rules - SIMP_ONLY_BUILTINS - {UNFOLD_NOT} or UNFOLD_NOT not in rules:
        raise Unmodelled("`Not` together with other simp lemmas" if UNFOLD_NOT in rules else
                         "a `dsimp` call other than `dsimp only [Not]`")
    try:
        g = unfold_at(goal, loc, name)
    except TacticError:
        raise TacticError(f"`{name}` made no progress") from None
    t = g.target
    if name == "simp" and isinstance(t, (Iff, Eq)) and _same(t.left, t.right):
        return []
    return [g]


def _unfold_defs(run, name: str, goal: Goal, only: bool, rules: frozenset, unfolds: frozenset, hyp_types: list,
                 loc, using) -> list[Goal]:
    """``simp only [D, …]`` / ``dsimp only [D, …]`` with the file's definitions ``D`` (and ``Not``): their
    equation lemmas rewrite every occurrence, to a fixed point; ``simp`` then closes a goal that became
    ``True``, ``a ↔ a`` or ``a = a``. Refused where simp's builtins would rewrite inside the result, with
    other lemmas or hypotheses, and at hypotheses that become ``True``/``False``."""
    if not only or name not in ("simp", "dsimp") or hyp_types or using is not None or \
            rules - SIMP_ONLY_BUILTINS - {UNFOLD_NOT} - unfolds:
        raise Unmodelled("a file's definition together with other simp lemmas")
    env = {d: run.defs[d] for d in unfolds}

    def delta(f: Formula) -> Formula:
        while True:
            g = subst(f, env)
            if UNFOLD_NOT in rules:
                g = unfold_not(g)
            if g == f:
                return g
            f = g

    try:
        g = unfold_at(goal, loc, name, delta, ", ".join(sorted(unfolds)))
    except TacticError:
        raise TacticError(f"`{name}` made no progress") from None
    t = g.target
    if name == "simp" and (isinstance(t, Top) or isinstance(t, (Iff, Eq)) and _same(t.left, t.right)):
        return []
    changed = [g.target] + [h.type for h in g.hyps() if h not in goal.context]
    if any(_has_refl(f) for f in changed):
        raise Unmodelled("a result that simp's builtins or simprocs may rewrite further")
    return [g]


def _has_refl(f: Formula) -> bool:
    """Whether ``f`` has a subformula ``a ↔ a`` or ``a = a`` (simp's builtins ``iff_self``/``eq_self``), or
    ``True``/``False`` (which prop does not vouch that no default simproc rewrites)."""
    if isinstance(f, (Iff, Eq)) and _same(f.left, f.right) or isinstance(f, (Top, Bot)):
        return True
    if isinstance(f, Not):
        return _has_refl(f.arg)
    if isinstance(f, Forall):
        return _has_refl(f.body)
    if isinstance(f, (And, Or, Imp, Iff, Eq)):
        return _has_refl(f.left) or _has_refl(f.right)
    return False


def _permute(name: str, goal: Goal, only: bool, rules: frozenset, hyp_types: list, loc, using) -> list[Goal]:
    """``simp only [or_comm, or_left_comm, …]`` closing a goal (``simp_ac.py``); nothing else. Without
    ``only`` (the default simp set as well) only where each side of the goal's ``↔``/``=`` is a chain of
    one connective over distinct variables: simp normalises the sides first (it rewrites subterms
    before the term), no other simp lemma rewrites such a chain, and equal sides close by ``iff_self``."""
    ac = rules & AC_LEMMAS.keys()
    base = SIMP_ONLY_BUILTINS if only else SIMP_ONLY_BUILTINS | SIMP_RULES | {FULL_SET}
    if name != "simp" or hyp_types or loc is not None or using is not None or rules - ac - base:
        raise Unmodelled("permutation lemmas outside `simp [...]` on the goal")
    t = goal.target
    if not only and not (isinstance(t, (Iff, Eq)) and _plain_chain(t.left) and _plain_chain(t.right)):
        raise Unmodelled("permutation lemmas and the default simp set beyond chains of distinct variables")
    try:
        ac_closes(goal.target, ac)
    except Unreproducible as e:
        raise Unmodelled(str(e)) from None
    return []


def _plain_chain(f: Formula) -> bool:
    """A variable, or ``∧`` (or ``∨``) alone over distinct variables."""
    leaves, stack = [], [f]
    cls = type(f) if isinstance(f, (And, Or)) else None
    while stack:
        g = stack.pop()
        if cls is not None and type(g) is cls:
            stack += [g.left, g.right]
        elif isinstance(g, Atom):
            leaves.append(g.name)
        else:
            return False
    return len(leaves) == len(set(leaves))


def _simp_at(goal: Goal, rules: frozenset, values: dict, loc, label: str, only: bool = True) -> list[Goal]:
    if loc is None:
        locs = ["⊢"]
    elif loc == ("*",):
        locs = [h.name for h in goal.visible() if h.type is not None] + ["⊢"]
    else:
        locs = list(loc)
    progress = False
    g = goal
    for where in locs:
        if where == "⊢":
            new = fold(g.target, values, rules)
            if isinstance(new, Top):
                return []
            if new != g.target:
                raise _not_closed(dataclasses.replace(g, target=new), label, True)
            continue
        h = g.hyp(where)
        if h is None or h.type is None:
            raise TacticError(f"Unknown identifier `{where}`")
        own = {k: v for k, v in values.items()}
        new = fold(h.type, own, rules)
        if isinstance(new, Bot):
            return []
        if isinstance(new, Top):
            g = g.without(h)
            progress = True
            continue
        if new != h.type:
            raise _not_closed(g, label, True)
    if not progress:
        raise _not_closed(g, label, False, [g.target if w == "⊢" else goal.hyp(w).type for w in locs], only)
    return [g]


def _simp_all(goal: Goal, rules: frozenset, extra: list[Formula], only: bool = True) -> list[Goal]:
    hyps = [h for h in goal.context if h.type is not None]
    current = {id(h): h.type for h in hyps}
    changed_any = False
    for _ in range(64):
        types = [t for t in current.values() if t is not None] + extra
        _collect(types)  # refuses hypotheses whose rules are not modelled
        changed = False
        for h in hyps:
            t = current[id(h)]
            if t is None:
                continue
            others = _collect([current[id(o)] for o in hyps if o is not h and current[id(o)] is not None]
                              + extra)
            values = _saturate(others, rules)
            new = fold(t, values, rules)
            if isinstance(new, Bot):
                return []
            if new != t:
                current[id(h)] = None if isinstance(new, Top) else new
                changed = changed_any = True
        if not changed:
            break
    else:
        raise Unmodelled("a simp_all that does not settle")
    values = _saturate(_collect([t for t in current.values() if t is not None] + extra), rules)
    new = fold(goal.target, values, rules)
    if isinstance(new, Top):
        return []
    ctx = tuple(h if h.type is None or id(h) not in current else dataclasses.replace(h, type=current[id(h)])
                for h in goal.context if h.type is None or current.get(id(h), h.type) is not None)
    left = dataclasses.replace(goal, context=ctx, target=new)
    raise _not_closed(left, "simp_all", changed_any or new != goal.target,
                      [goal.target] + [h.type for h in hyps], only)


def _simpa(run, goal: Goal, rules: frozenset, values: dict, using, only: bool = True) -> list[Goal]:
    target = fold(goal.target, values, rules)
    if isinstance(target, Top):
        return []  # Lean: closed by simp (the `using` term is not even needed)
    if using is None:
        h = next((h for h in reversed(goal.context) if h.type is not None and _same(h.type, goal.target)),
                 None)
        if h is not None and target == goal.target and isinstance(goal.target, (Atom, Not)):
            return []
        # Init/Tactics.lean: `simpa` without `using` simplifies the goal (and a hypothesis `this`), then
        # closes it with `assumption`. Modelled when the simplified goal is a literal (`p`, `¬p`), which
        # no further simp lemma rewrites, and `this`, if present, is one too.
        this = goal.hyp("this")
        if target != goal.target and _literal(target) and (this is None or _literal(this.type)) and \
                any(h.type is not None and _same(h.type, target) for h in goal.context):
            return []
        raise _not_closed(dataclasses.replace(goal, target=target), "simpa", target != goal.target,
                          [goal.target], only)
    ty = run.elab(goal).check(using, None)
    if isinstance(fold(ty, values, rules), Bot):
        return []
    if _same(ty, goal.target):
        return []
    raise TacticError(f"unsolved goals\n{pp_goal(goal)}\n\nNote: the prop environment models `simpa "
                      "using e` only when simp closes the goal, `e` simplifies to False, or `e` proves the goal "
                      "as stated")


def _literal(f) -> bool:
    return isinstance(f, Atom) or isinstance(f, Not) and isinstance(f.arg, Atom)


def t_simp(run, tac: Tac, goal: Goal) -> list[Goal]:
    only, args, loc, using = tac.args
    if run.simp_changed and not only:
        raise Unsupported(f"the prop environment models Lean's own default simp set only; this file changes it "
                          f"(`attribute {run.simp_changed}`)")
    # `simp?`/`simp_all?` (Init/Tactics.lean) run as `simp`/`simp_all` and suggest a `simp only` call
    return run_simp(run, tac.name.rstrip("?"), goal, only, args, loc, using)
