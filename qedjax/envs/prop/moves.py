"""The canonical move set of ``prop``: the tactics over which difficulty (shortest proof) is defined.

For the main goal it enumerates ``intro h``, ``constructor``, ``left``, ``right``, ``exact h``,
``assumption``-like closes, ``contradiction``, ``apply h``, ``have h' := h h₀`` (modus ponens),
``obtain ⟨h, h'⟩ := h₀``, ``rcases h₀ with h | h'``, ``exfalso``, ``by_contra h`` and
``by_cases h : a`` for each atom ``a``. Fresh names are ``h1, h2, …``.
"""

from __future__ import annotations

from qedjax.envs.prop.state import Goal, goal_atoms
from qedjax.envs.prop.syntax import And, Bot, Iff, Imp, Or, Top
from qedjax.envs.prop.unify import norm, unfold


def fresh_name(goal: Goal, taken: set[str] | None = None) -> str:
    used = {h.name for h in goal.context} | (taken or set())
    k = 1
    while f"h{k}" in used:
        k += 1
    return f"h{k}"


def _conclusions(ty):
    """(number of premises, conclusion) pairs of an implication chain."""
    out = [(0, ty)]
    n = 0
    while True:
        u = unfold(ty)
        if not isinstance(u, Imp):
            return out
        n += 1
        ty = u.right
        out.append((n, ty))


def canonical_moves(goal: Goal, *, by_cases: bool = True) -> list[str]:
    t = goal.target
    tn = norm(t)
    hyps = [h for h in goal.visible() if h.type is not None]
    moves: list[str] = []
    for h in hyps:
        if norm(h.type) == tn:
            moves.append(f"exact {h.name}")
    if any(isinstance(h.type, Bot) for h in goal.context if h.type is not None):
        moves.append("contradiction")
    else:
        normed = {norm(h.type) for h in goal.context if h.type is not None}
        for ty in normed:
            if isinstance(ty, Imp) and isinstance(ty.right, Bot) and ty.left in normed:
                moves.append("contradiction")
                break
    u = unfold(t)
    if isinstance(u, Imp):
        moves.append(f"intro {fresh_name(goal)}")
    if isinstance(t, (And, Iff, Top)):
        moves.append("constructor")
    if isinstance(t, Or):
        moves += ["left", "right"]
    for h in hyps:
        for _n, concl in _conclusions(h.type)[1:]:
            if norm(concl) == tn:
                moves.append(f"apply {h.name}")
                break
    for h in hyps:
        u = unfold(h.type)
        if isinstance(u, Imp):
            for h0 in hyps:
                if h0 is not h and norm(h0.type) == norm(u.left):
                    moves.append(f"have {fresh_name(goal)} := {h.name} {h0.name}")
                    break
        if isinstance(h.type, (And, Iff)):
            a = fresh_name(goal)
            b = fresh_name(goal, {a})
            moves.append(f"obtain ⟨{a}, {b}⟩ := {h.name}")
        if isinstance(h.type, Or):
            a = fresh_name(goal)
            b = fresh_name(goal, {a})
            moves.append(f"rcases {h.name} with {a} | {b}")
    if not isinstance(t, Bot):
        moves.append("exfalso")
        moves.append(f"by_contra {fresh_name(goal)}")
    if by_cases:
        name = fresh_name(goal)
        for a in goal_atoms(goal):
            moves.append(f"by_cases {name} : {a}")
    return list(dict.fromkeys(moves))
