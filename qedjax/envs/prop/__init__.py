"""Embedded Lean-syntax propositional logic: environment, oracle, benchmark and heuristic policy.

Modules: ``lexer`` (tokens, positions, layout), ``syntax`` (formulas and Lean's printer), ``terms``
(term syntax), ``blocks`` (tactic-block grammar), ``elab`` (term elaboration with metavariables),
``decls`` (headers and the lemma library), ``tactics`` (running tactic blocks), ``simp`` (the simp
family), ``check`` (``.lean`` files and proof records), ``state`` (goals as Lean prints them),
``env`` (sessions), ``oracle`` (truth tables), ``moves``/``bench`` (benchmark), ``policy``.
"""

from qedjax.envs.prop.env import (
    PROP_PROBE_TACTICS,
    PropEnvironment,
    PropSession,
    parse_statement,
    state_provable,
)
from qedjax.envs.prop.oracle import provable
from qedjax.envs.prop.policy import HeuristicPolicy

__all__ = [
    "PropEnvironment", "PropSession", "parse_statement", "state_provable", "provable",
    "HeuristicPolicy", "PROP_PROBE_TACTICS",
]
