"""Embedded Lean-syntax propositional logic: environment, oracle, benchmark and heuristic policy."""

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
