"""Value scorers for search: an encoder and an energy head behind the ``ValueScorer`` interface.

``EBMScorer(encoder, head)``: states → ``encoder.encode`` → ``head.energies`` → −energy. It refuses an
encoder whose provenance differs from the one the head was trained on (the burn-qed train/search
mismatch), and memoises embeddings per state so revisited or re-scored states are encoded once.
``CachedEmbeddingScorer``: the same with embeddings looked up in a precomputed cache; a state missing
from the cache gets NaN (search treats it as "no value term"), never its batch's neighbours too.
``measurement_scorer``: hand-made (−len) and perfect (−distance, prop only) values, for measurement.

This module holds encoders and heads by duck typing: it imports neither torch nor jax.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

import numpy as np

from qedjax.data.embeddings import check_provenance
from qedjax.errors import ConfigError


class EBMScorer:
    def __init__(self, encoder, head, memo_size: int = 100_000):
        check_provenance(getattr(head, "provenance", None), encoder.provenance, "search encoder")
        self.encoder = encoder
        self.head = head
        self.memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self.memo_size = memo_size

    def embed(self, states_pp: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(s for s in states_pp if s not in self.memo))
        if missing:
            vecs = self.encoder.encode(missing)
            for s, v in zip(missing, vecs):
                self.memo[s] = v
            while len(self.memo) > self.memo_size:
                self.memo.popitem(last=False)
        return np.stack([self.memo[s] for s in states_pp]) if states_pp else np.zeros((0, 1), np.float32)

    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        if not states_pp:
            return np.zeros(0, np.float32)
        return -self.head.energies(self.embed(states_pp), self.encoder.provenance)


class CachedEmbeddingScorer:
    """−energy from precomputed embeddings (``state_pp → vector``); unknown states score NaN."""

    def __init__(self, states: Sequence[str], embeddings: np.ndarray, head, provenance: dict | None):
        check_provenance(getattr(head, "provenance", None), provenance, "embedding cache")
        self.index = {s: i for i, s in enumerate(states)}
        self.embeddings = embeddings
        self.head = head
        self.provenance = provenance
        self.missing = 0  # states asked for that the cache lacks

    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        rows = np.array([self.index.get(s, -1) for s in states_pp], np.int64)
        out = np.full(len(states_pp), np.nan, np.float32)
        known = rows >= 0
        self.missing += int((~known).sum())
        if known.any():
            out[known] = -self.head.energies(self.embeddings[rows[known]], self.provenance)
        return out


class LengthScorer:
    """The hand-made baseline value −len(state text): shorter states look closer to QED."""

    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        return -np.array([len(s) for s in states_pp], np.float32)


def measurement_scorer(kind: str):
    """``length`` (−len, a hand-made baseline) or ``distance`` (−shortest proof length, prop only: the
    ceiling). For measuring the value head against; never to train or calibrate it."""
    if kind == "length":
        return LengthScorer()
    if kind == "distance":
        try:
            from qedjax.envs.prop.distance import DistanceScorer
        except ImportError:
            raise ConfigError("the perfect-distance value is not available in this build") from None
        return DistanceScorer()
    raise ConfigError(f"unknown value '{kind}' (distance, length)")
