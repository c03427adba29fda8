"""Embedded Lean-syntax propositional logic: environment, oracle, benchmark and heuristic policy.

Syntax: ``lexer`` (tokens, positions, layout), ``terms`` (term and pattern trees), ``term_parser``
(Lean's term grammar), ``blocks`` (tactic-block trees and grammar), ``tactic_args`` (each tactic's
arguments), ``parser`` (where parsing starts), ``syntax`` (formulas, Lean's printer, terms read as
formulas), ``state`` (goals as Lean prints them), ``decls`` (headers and the lemma library).
Elaboration: ``unify`` (metavariables, definitional equality), ``patterns`` (constructors, coverage),
``elab`` (terms as proofs). Tactics: ``tactics`` (the runner), ``tactic_base`` (what every tactic
uses), ``intro``, ``apply``, ``cases``, ``context``, ``rewrite``, ``closers``, ``simp``; ``errors``.
Around them: ``check`` (``.lean`` files and proof records), ``env`` (sessions), ``oracle`` (truth
tables), ``moves``/``bench`` (benchmark), ``distance``, ``variants``, ``policy``.
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
