"""False statements near a true one, for soundness checks (measurement only: uses the oracle).

``false_variants(goal)``: two atoms swapped, a connective or a negation changed, a hypothesis dropped;
only those the truth-table oracle says are not provable are kept. A real proof script run against them
must never succeed (``tests/envs/prop/test_corpus.py``, ``scripts/prop_corpus.py``).
"""

from __future__ import annotations

import dataclasses
import itertools

from qedjax.envs.prop.oracle import goal_provable
from qedjax.envs.prop.syntax import And, Atom, Iff, Imp, Not, Or, atoms, subst


def false_variants(goal) -> list:
    t = goal.target
    cands = [dataclasses.replace(goal, target=subst(t, {a: Atom(b), b: Atom(a)}))
             for a, b in itertools.combinations(atoms(t), 2)]

    def variants(f):
        if isinstance(f, Not):
            yield f.arg
            for x in variants(f.arg):
                yield Not(x)
        elif isinstance(f, (And, Or, Imp, Iff)):
            for cls in (And, Or, Imp, Iff):
                if cls is not type(f):
                    yield cls(f.left, f.right)
            for x in variants(f.left):
                yield type(f)(x, f.right)
            for x in variants(f.right):
                yield type(f)(f.left, x)

    cands += [dataclasses.replace(goal, target=f) for f in variants(t)]
    cands += [goal.without(h) for h in goal.context if h.type is not None]
    return [g for g in cands if not goal_provable(g)]
