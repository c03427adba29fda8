"""Ground-truth provability by truth tables (classical logic, as Lean with ``by_cases``/``by_contra``).

A goal ``Γ ⊢ t`` is provable iff ``⋀Γ → t`` is a tautology; a state is provable iff all its goals are.
All 2^n assignments are evaluated at once as bits of a Python integer. ``∀ (p : Prop), φ`` is the
conjunction of ``φ[p := True]`` and ``φ[p := False]`` (propositional extensionality), and ``p = q`` has
the truth value of ``p ↔ q``.

The oracle is a measurement tool: its entry points refuse to run under
:func:`qedjax.guard.forbid_measurement` (training, calibration, a learned value's search).
"""

from __future__ import annotations

import itertools

from qedjax.envs.prop.state import Goal, PropState, goal_atoms
from qedjax.envs.prop.syntax import (
    And,
    Atom,
    Bot,
    Eq,
    Forall,
    Formula,
    Iff,
    Imp,
    Let,
    MVar,
    Not,
    Or,
    Top,
    atoms,
)
from qedjax.guard import check_measurement

MAX_ATOMS = 20


def _masks(names: list[str]) -> tuple[dict[str, int], int]:
    n = len(names)
    if n > MAX_ATOMS:
        raise ValueError(f"too many atoms for truth tables ({n} > {MAX_ATOMS})")
    rows = 1 << n
    full = (1 << rows) - 1
    masks = {}
    for i, name in enumerate(names):
        # bit r of the mask is the value of atom i in assignment r
        block = 1 << i
        pattern = ((1 << block) - 1) << block  # `block` zeros then `block` ones
        period = block * 2
        m = 0
        for start in range(0, rows, period):
            m |= pattern << start
        masks[name] = m & full
    return masks, full


def eval_mask(f: Formula, masks: dict, full: int) -> int:
    """The rows where ``f`` holds; ``masks`` maps atoms' names (and metavariables' ids) to rows."""
    if isinstance(f, Atom):
        return masks[f.name]
    if isinstance(f, MVar):
        return masks[f.id]
    if isinstance(f, Let):
        return eval_mask(f.value, masks, full)
    if isinstance(f, Top):
        return full
    if isinstance(f, Bot):
        return 0
    if isinstance(f, Not):
        return full & ~eval_mask(f.arg, masks, full)
    if isinstance(f, Forall):
        inner = dict(masks)
        inner[f.var] = full
        when_true = eval_mask(f.body, inner, full)
        inner[f.var] = 0
        return when_true & eval_mask(f.body, inner, full)
    a = eval_mask(f.left, masks, full)
    b = eval_mask(f.right, masks, full)
    if isinstance(f, And):
        return a & b
    if isinstance(f, Or):
        return a | b
    if isinstance(f, Imp):
        return (full & ~a) | b
    if isinstance(f, (Iff, Eq)):
        return full & ~(a ^ b)
    raise TypeError(f"not a formula: {f!r}")


def _holds(goal: Goal, masks: dict, full: int) -> int:
    """The rows where the goal's hypotheses imply its target."""
    hyps = full
    for h in goal.context:
        if h.type is not None:
            hyps &= eval_mask(h.type, masks, full)
    return full & ~(hyps & ~eval_mask(goal.target, masks, full))


def goal_provable(goal: Goal) -> bool:
    check_measurement("the prop oracle")
    if goal.mvar:
        return True
    masks, full = _masks(goal_atoms(goal))
    try:
        return _holds(goal, masks, full) == full
    except KeyError:  # a metavariable `?a`: the general case
        return provable((goal,))


def provable(state: PropState) -> bool:
    """True iff every goal of ``state`` is a classical tautology given its hypotheses. With proof-state
    metavariables (``?a``, left by ``apply``): iff some propositions for them make it so, which holds
    iff in every row of the truth table some truth values for them make every goal hold there (any
    truth function of the atoms is a proposition); a goal ``⊢ Prop`` is always inhabited."""
    check_measurement("the prop oracle")
    goals = [g for g in state if not g.mvar]
    mids = sorted({m for g in goals for m in _mvar_ids(g)})
    if not mids:
        for g in goals:
            masks, full = _masks(goal_atoms(g))
            if _holds(g, masks, full) != full:
                return False
        return True
    names: dict[str, None] = {}
    for g in goals:
        names.update(dict.fromkeys(goal_atoms(g)))
    masks, full = _masks(list(names))
    ok = 0
    for values in itertools.product((0, full), repeat=len(mids)):
        env = {**masks, **dict(zip(mids, values))}
        rows = full
        for g in goals:
            rows &= _holds(g, env, full)
        ok |= rows
    return ok == full


def _mvar_ids(goal: Goal) -> set[int]:
    out: set[int] = set()
    stack = [goal.target] + [h.type for h in goal.context if h.type is not None]
    while stack:
        f = stack.pop()
        if isinstance(f, MVar):
            out.add(f.id)
        elif isinstance(f, Not):
            stack.append(f.arg)
        elif isinstance(f, (And, Or, Imp, Iff, Eq)):
            stack.extend((f.left, f.right))
        elif isinstance(f, Forall):
            stack.append(f.body)
    return out


def is_tautology(f: Formula) -> bool:
    check_measurement("the prop oracle")
    masks, full = _masks(atoms(f))
    return eval_mask(f, masks, full) == full
