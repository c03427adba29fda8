"""Value scorers for search (framework-free: they hold an encoder and a head by duck typing).

``EBMScorer(encoder, head)``: states → ``encoder.encode`` → ``head.energies`` → −energy. It refuses an
encoder whose provenance differs from the one the head was trained on (the burn-qed train/search
mismatch), and memoises embeddings per state so revisited or re-scored states are encoded once.
``CachedEmbeddingScorer``: the same with embeddings looked up in a precomputed cache.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

import numpy as np

from qedjax.data.embeddings import check_provenance
from qedjax.errors import DataError


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
    """−energy from precomputed embeddings (``state_pp → vector``); unknown states raise."""

    def __init__(self, states: Sequence[str], embeddings: np.ndarray, head, provenance: dict | None):
        check_provenance(getattr(head, "provenance", None), provenance, "embedding cache")
        self.index = {s: i for i, s in enumerate(states)}
        self.embeddings = embeddings
        self.head = head
        self.provenance = provenance

    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        try:
            rows = [self.index[s] for s in states_pp]
        except KeyError as e:
            raise DataError(f"state not in the embedding cache: {str(e)[:60]}") from None
        return -self.head.energies(self.embeddings[rows], self.provenance)
