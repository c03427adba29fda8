"""The error a tactic or a term raises, worded like Lean's message.

Syntax errors are :class:`qedjax.errors.ParseError` (shared with the rest of the library); everything
that goes wrong while a tactic runs or a term is elaborated is a :class:`TacticError`.
"""

from __future__ import annotations

__all__ = ["TacticError", "Unsupported"]


class TacticError(Exception):
    """A tactic or term failed; ``message`` is worded like Lean's error, ``pos`` is a source offset."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.message = message
        self.pos = pos


class Unsupported(TacticError):
    """Lean would run this tactic here, but the prop environment cannot reproduce what it does. It
    fails the proof like any error, but ``try``, ``first``, ``repeat`` and ``any_goals`` do not treat
    it as the tactic failing (Lean's tactic would not fail there): they pass it on."""
