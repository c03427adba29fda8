"""Typed exceptions. Library code raises these; the CLI turns them into one-line messages."""

from __future__ import annotations


class QedError(Exception):
    """Base class for errors a user can cause (bad input, bad config, mismatched files)."""


class ConfigError(QedError):
    """A config file or option is invalid (unknown key, wrong type, out of range)."""


class DataError(QedError):
    """An input data file is missing, malformed or inconsistent."""


class ProvenanceError(QedError):
    """Embeddings, checkpoints or caches were produced by different encoders."""


class ParseError(QedError):
    """A formula, term, tactic or theorem statement could not be parsed."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.message = message
        self.pos = pos
