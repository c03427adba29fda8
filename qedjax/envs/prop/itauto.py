"""Mathlib's ``itauto`` (``Mathlib/Tactic/ITauto.lean``): a decision procedure for intuitionistic
propositional logic, and ``itauto!``, its classical variant.

``itauto`` proves a goal from the hypotheses exactly when the sequent is provable in intuitionistic
propositional logic over ``∧ ∨ → ↔ ¬ True False``; any other proposition (``∀ (p : Prop), …``, a local
definition, ``=``) is an atom (Mathlib reifies it so), and it splits no case on an atom unless asked
(``itauto *``, ``itauto [a]``, not modelled). The decision procedure here is Dyckhoff's contraction-free
calculus G4ip (LJT), which is complete for intuitionistic propositional logic: invertible rules first,
then a search over ``∨`` on the right and nested implications on the left. ``itauto!`` is complete for
classical logic (a truth table over the same atoms decides it).

Like ``tauto`` it decides every propositional goal, so it is disabled unless ``allow_tauto`` is set.
A failure is reported as Lean's only where every atom is a proposition variable or a ``∀`` over
``Prop`` without local definitions (distinct such formulas are not reducibly defeq): Lean compares
atoms up to reducible defeq, which this module does not reproduce for other atoms (``=``, local
definitions), and there the failure is :class:`Unsupported`.
"""

from __future__ import annotations

from functools import lru_cache

from qedjax.envs.prop.blocks import Tac
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.state import Goal
from qedjax.envs.prop.syntax import (
    BINARY,
    And,
    Atom,
    Bot,
    Forall,
    Formula,
    Iff,
    Imp,
    Let,
    MVar,
    Not,
    Or,
    Top,
    alpha_norm,
    pp,
)
from qedjax.envs.prop.tactic_base import TacticRunner

__all__ = ["t_itauto", "ipc_provable", "classical_provable"]

_TOP, _BOT = ("top",), ("bot",)


def _reify(f: Formula, opaque: list) -> tuple:
    if isinstance(f, Atom):
        return ("atom", f.name)
    if isinstance(f, Top):
        return _TOP
    if isinstance(f, Bot):
        return _BOT
    if isinstance(f, Not):
        return ("imp", _reify(f.arg, opaque), _BOT)
    if isinstance(f, And):
        return ("and", _reify(f.left, opaque), _reify(f.right, opaque))
    if isinstance(f, Or):
        return ("or", _reify(f.left, opaque), _reify(f.right, opaque))
    if isinstance(f, Imp):
        return ("imp", _reify(f.left, opaque), _reify(f.right, opaque))
    if isinstance(f, Iff):
        a, b = _reify(f.left, opaque), _reify(f.right, opaque)
        return ("and", ("imp", a, b), ("imp", b, a))
    opaque.append(f)  # ∀, =, a local definition, a metavariable: an atom
    return ("opaque", pp(alpha_norm(f, unfold_not=False)))


def ipc_provable(hyps: tuple, goal: tuple) -> bool:
    """Whether ``hyps ⊢ goal`` is provable in intuitionistic propositional logic (G4ip)."""
    return _prove(frozenset(hyps), goal)


def classical_provable(hyps: tuple, goal: tuple) -> bool:
    """Whether ``hyps ⊢ goal`` holds classically, its atoms (opaque ones included) as variables."""
    names: dict = {}
    for f in hyps + (goal,):
        _atoms(f, names)
    keys = list(names)
    for bits in range(1 << len(keys)):
        val = {k: bool(bits >> i & 1) for i, k in enumerate(keys)}
        if all(_eval(h, val) for h in hyps) and not _eval(goal, val):
            return False
    return True


def _atoms(f: tuple, out: dict) -> None:
    if _is_atom(f):
        out[f] = None
    elif f[0] in ("and", "or", "imp"):
        _atoms(f[1], out)
        _atoms(f[2], out)


def _eval(f: tuple, val: dict) -> bool:
    kind = f[0]
    if kind == "top":
        return True
    if kind == "bot":
        return False
    if kind == "and":
        return _eval(f[1], val) and _eval(f[2], val)
    if kind == "or":
        return _eval(f[1], val) or _eval(f[2], val)
    if kind == "imp":
        return not _eval(f[1], val) or _eval(f[2], val)
    return val[f]


def _is_atom(f: tuple) -> bool:
    return f[0] in ("atom", "opaque")


@lru_cache(maxsize=65536)
def _prove(gamma: frozenset, goal: tuple) -> bool:
    # invertible rules, to saturation
    gamma = set(gamma)
    changed = True
    while changed:
        changed = False
        if _BOT in gamma:
            return True
        for f in list(gamma):
            kind = f[0]
            if kind == "top":
                gamma.discard(f)
                changed = True
            elif kind == "and":
                gamma.discard(f)
                gamma.update((f[1], f[2]))
                changed = True
            elif kind == "or":
                rest = frozenset(gamma - {f})
                return _prove(rest | {f[1]}, goal) and _prove(rest | {f[2]}, goal)
            elif kind == "imp":
                a, b = f[1], f[2]
                new = None
                if a == _TOP:
                    new = (b,)
                elif a == _BOT:
                    new = ()
                elif _is_atom(a) and a in gamma:
                    new = (b,)
                elif a[0] == "and":
                    new = (("imp", a[1], ("imp", a[2], b)),)
                elif a[0] == "or":
                    new = (("imp", a[1], b), ("imp", a[2], b))
                elif b == _TOP:
                    new = ()
                if new is not None:
                    gamma.discard(f)
                    gamma.update(new)
                    changed = True
    if goal == _TOP or goal in gamma:
        return True
    if goal[0] == "and":
        return _prove(frozenset(gamma), goal[1]) and _prove(frozenset(gamma), goal[2])
    if goal[0] == "imp":
        return _prove(frozenset(gamma | {goal[1]}), goal[2])
    # non-invertible choices
    if goal[0] == "or" and (_prove(frozenset(gamma), goal[1]) or _prove(frozenset(gamma), goal[2])):
        return True
    for f in gamma:
        if f[0] == "imp" and f[1][0] == "imp":  # (c → d) → b
            c, d, b = f[1][1], f[1][2], f[2]
            rest = gamma - {f}
            if _prove(frozenset(rest | {("imp", d, b)}), ("imp", c, d)) and _prove(frozenset(rest | {b}), goal):
                return True
    return False


def _has_let_or_mvar(f: Formula) -> bool:
    if isinstance(f, (Let, MVar)):
        return True
    if isinstance(f, Not):
        return _has_let_or_mvar(f.arg)
    if isinstance(f, BINARY):
        return _has_let_or_mvar(f.left) or _has_let_or_mvar(f.right)
    if isinstance(f, Forall):
        return _has_let_or_mvar(f.body)
    return False


def t_itauto(run: TacticRunner, tac: Tac, goal: Goal) -> list[Goal]:
    bang = tac.name == "itauto!"
    if tac.args:
        raise Unsupported(f"the prop environment does not support `{tac.name}` with case splits")
    if not run.allow_tauto:
        raise TacticError(f"tactic `{tac.name}` is disabled in this environment (enable it with allow_tauto / "
                          "--allow-tauto)")
    opaque: list = []
    hyps = tuple(_reify(h.type, opaque) for h in goal.context if h.type is not None)
    target = _reify(goal.target, opaque)
    if (classical_provable if bang else ipc_provable)(hyps, target):
        return []
    if not all(isinstance(o, Forall) and not _has_let_or_mvar(o) for o in opaque):
        raise Unsupported("the prop environment does not decide `itauto` with non-propositional atoms")
    raise TacticError("itauto failed")
