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

import os
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

from qedjax.data.embeddings import (
    check_provenance,
    read_embeddings,
    read_shards,
    validate_embeddings,
    write_shard,
)
from qedjax.envs.prop.distance import DistanceScorer
from qedjax.errors import ConfigError


class EBMScorer:
    """States → encoder → head → −energy, with an embedding memo shared by every theorem this process
    searches. ``memo_path`` (an embedding cache with the same provenance, e.g. expert iteration's
    training cache) seeds the memo, and the states this scorer encodes are written beside it as shards
    (:meth:`flush`), which the next ``encode`` into that cache counts as already done: each state is
    encoded once across rounds, searches and training."""

    def __init__(self, encoder, head, memo_size: int = 200_000, memo_path: str | Path | None = None,
                 flush_every: int = 4096):
        check_provenance(getattr(head, "provenance", None), encoder.provenance, "search encoder")
        self.encoder = encoder
        self.head = head
        self.memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self.memo_size = memo_size
        self.memo_path = Path(memo_path) if memo_path else None
        self.flush_every = flush_every
        self.fresh: dict[str, np.ndarray] = {}  # encoded here, not yet written as a shard
        self.encoded = 0
        self.encode_s = 0.0
        self.last_encoded: set[str] = set()  # states the latest call had to encode
        self._shards = 0
        self._token = uuid.uuid4().hex[:8]  # shard names never collide, whoever writes them
        if self.memo_path is not None:
            if self.memo_path.exists():
                states, emb, prov = read_embeddings(self.memo_path)
                check_provenance(encoder.provenance, prov, str(self.memo_path))
                self.memo.update(zip(states[-memo_size:], emb[-memo_size:]))
            states, vecs = read_shards(self.memo_path, encoder.provenance)
            for v_block, start in zip(vecs, np.cumsum([0] + [len(v) for v in vecs[:-1]])):
                self.memo.update(zip(states[start:start + len(v_block)], v_block))
            while len(self.memo) > memo_size:
                self.memo.popitem(last=False)

    def embed(self, states_pp: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(s for s in states_pp if s not in self.memo))
        self.last_encoded = set(missing)
        if missing:
            t0 = time.perf_counter()
            vecs = self.encoder.encode(missing)
            self.encode_s += time.perf_counter() - t0
            self.encoded += len(missing)
            for s, v in zip(missing, vecs):
                self.memo[s] = v
                if self.memo_path is not None:
                    self.fresh[s] = v
            while len(self.memo) > self.memo_size:
                self.memo.popitem(last=False)
            if len(self.fresh) >= self.flush_every:
                self.flush()
        for s in states_pp:  # recently used states stay in the memo longest
            self.memo.move_to_end(s)
        return np.stack([self.memo[s] for s in states_pp]) if states_pp else np.zeros((0, 1), np.float32)

    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        if not states_pp:
            self.last_encoded = set()
            return np.zeros(0, np.float32)
        return -self.head.energies(self.embed(states_pp), self.encoder.provenance)

    def flush(self) -> None:
        """Write the embeddings encoded since the last flush as a shard beside ``memo_path``."""
        if self.memo_path is None or not self.fresh:
            return
        states = list(self.fresh)
        emb = np.stack([self.fresh[s] for s in states]).astype(np.float32)
        ok = np.isfinite(emb).all(axis=1) & np.any(emb != 0, axis=1)
        if ok.any():
            validate_embeddings(emb[ok], str(self.memo_path))
            write_shard(self.memo_path, f"search-{os.getpid()}-{self._token}-{self._shards:05d}",
                        [s for s, k in zip(states, ok) if k], emb[ok], self.encoder.provenance)
            self._shards += 1
        self.fresh.clear()


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
        return DistanceScorer()
    raise ConfigError(f"unknown value '{kind}' (distance, length)")
