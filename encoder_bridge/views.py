"""Several frozen-encoder feature views from one forward pass, and an on-disk store keyed by
(provenance, state text) so that each state is encoded once across many experiments.

A *view* is a pooling of the backbone's hidden states: ``mean`` (the last layer's masked mean — the
same vector, bit for bit, and the same provenance as :class:`~encoder_bridge.encoder.HFEncoder`
with ``pooling="mean"``), ``cls`` (the first token), ``max`` (masked max over tokens) and
``mean-last4`` (the masked means of the last four layers, concatenated). One forward pass with
``output_hidden_states`` yields all of them, so comparing poolings costs no extra encoding.

Research tooling for value-head ablations (``scripts/ablate_value.py``); the product encodes through
``HFEncoder`` and ``encoder_bridge.cache``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from encoder_bridge.encoder import EncoderConfig, HFEncoder

VIEWS = ("mean", "cls", "max", "mean-last4")


def provenance_id(provenance: dict) -> str:
    return hashlib.sha256(json.dumps(provenance, sort_keys=True).encode()).hexdigest()[:16]


class MultiViewEncoder:
    """Wraps an :class:`HFEncoder` (its tokenisation, truncation and batching) and returns every view."""

    def __init__(self, config: EncoderConfig, views: Sequence[str] = VIEWS):
        unknown = set(views) - set(VIEWS)
        if unknown:
            raise ValueError(f"unknown views {sorted(unknown)} (known: {', '.join(VIEWS)})")
        self.base = HFEncoder(config)
        self.views = tuple(views)

    def provenance(self, view: str) -> dict:
        prov = dict(self.base.provenance)
        if view != "mean":
            prov["pooling"] = view
            prov["dim"] = self.base.dim * (4 if view == "mean-last4" else 1)
        return prov

    def _forward(self, ids_batch: list[list[int]]) -> dict[str, np.ndarray]:
        import torch

        width = max(len(x) for x in ids_batch)
        tok = self.base.tokenizer
        pad = tok.pad_token_id if tok.pad_token_id is not None else 0
        input_ids = torch.full((len(ids_batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(ids_batch), width), dtype=torch.long)
        for r, ids in enumerate(ids_batch):
            input_ids[r, :len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[r, :len(ids)] = 1
        input_ids, mask = input_ids.to(self.base.device), mask.to(self.base.device)
        out: dict[str, np.ndarray] = {}
        with torch.inference_mode():
            res = self.base.backbone(input_ids=input_ids, attention_mask=mask, output_hidden_states=True)
            m = mask.unsqueeze(-1).to(torch.float32)
            denom = m.sum(1).clamp(min=1.0)

            def mean(h):
                return (h.to(torch.float32) * m).sum(1) / denom

            last = res.last_hidden_state
            for view in self.views:
                if view == "mean":
                    v = mean(last)
                elif view == "cls":
                    v = last[:, 0].to(torch.float32)
                elif view == "max":
                    v = last.to(torch.float32).masked_fill(m == 0, float("-inf")).max(1).values
                else:  # mean-last4
                    v = torch.cat([mean(h) for h in res.hidden_states[-4:]], dim=-1)
                out[view] = np.ascontiguousarray(v.cpu().numpy(), dtype=np.float32)
        return out

    def encode(self, states: Sequence[str]) -> dict[str, np.ndarray]:
        fitted = self.base.fit_many(states)
        ids = [f[0] for f in fitted]
        dims = {v: self.provenance(v)["dim"] for v in self.views}
        out = {v: np.empty((len(states), d), np.float32) for v, d in dims.items()}
        for batch in self.base._batches([len(x) for x in ids]):
            res = self._forward([ids[i] for i in batch])
            for v in self.views:
                out[v][batch] = res[v]
        return out


class EmbeddingStore:
    """Embeddings of states under several encoders' views, persisted as Parquet shards per provenance.

    ``get(family, view, states)`` returns (N, D) rows; missing states are encoded once with the
    family's :class:`MultiViewEncoder` for all its views together and appended as a new shard.
    """

    def __init__(self, root: str | Path, families: dict[str, EncoderConfig], shard_size: int = 4096):
        self.root = Path(root)
        self.configs = families
        self.shard_size = shard_size
        self.encoders: dict[str, MultiViewEncoder] = {}
        self.vectors: dict[str, dict[str, np.ndarray]] = {}  # provenance id -> state -> vector
        self.pending: dict[str, tuple[dict, list[str], list[np.ndarray]]] = {}  # not yet on disk
        self.encoded = 0  # states encoded by this process (all views of a family count once)
        self.encode_s = 0.0

    def encoder(self, family: str) -> MultiViewEncoder:
        if family not in self.encoders:
            self.encoders[family] = MultiViewEncoder(self.configs[family])
            for view in VIEWS:
                self._load(self.encoders[family].provenance(view))
        return self.encoders[family]

    def provenance(self, family: str, view: str) -> dict:
        return self.encoder(family).provenance(view)

    def _load(self, prov: dict) -> None:
        from qedjax.data.embeddings import read_embeddings

        pid = provenance_id(prov)
        if pid in self.vectors:
            return
        table: dict[str, np.ndarray] = {}
        d = self.root / pid
        for shard in sorted(d.glob("shard-*.parquet")) if d.is_dir() else []:
            states, emb, _ = read_embeddings(shard)
            for s, v in zip(states, emb):
                table.setdefault(s, v)
        self.vectors[pid] = table

    def ensure(self, family: str, states: Sequence[str]) -> int:
        """Encode (all views of ``family``) the states not stored yet; returns how many were new."""
        import time

        enc = self.encoder(family)
        have = self.vectors[provenance_id(enc.provenance("mean"))]
        todo = [s for s in dict.fromkeys(states) if s and s not in have]
        if not todo:
            return 0
        for start in range(0, len(todo), self.shard_size):  # a kill loses at most one chunk
            chunk = todo[start:start + self.shard_size]
            t0 = time.perf_counter()
            vecs = enc.encode(chunk)
            self.encode_s += time.perf_counter() - t0
            self.encoded += len(chunk)
            for view, emb in vecs.items():
                prov = enc.provenance(view)
                pid = provenance_id(prov)
                table = self.vectors[pid]
                for s, v in zip(chunk, emb):
                    table[s] = v
                _, ps, pv = self.pending.setdefault(pid, (prov, [], []))
                ps.extend(chunk)
                pv.append(emb)
                if len(ps) >= self.shard_size:
                    self._flush(pid)
        return len(todo)

    def _flush(self, pid: str) -> None:
        from qedjax.data.embeddings import write_embeddings

        prov, ps, pv = self.pending.pop(pid)
        if not ps:
            return
        import os
        import time

        # unique names: several processes may share one store
        name = f"shard-{time.time_ns():020d}-{os.getpid()}.parquet"
        write_embeddings(self.root / pid / name, ps, np.concatenate(pv), prov)

    def flush(self) -> None:
        """Write every pending embedding to disk (each write is atomic)."""
        for pid in list(self.pending):
            self._flush(pid)

    def get(self, family: str, view: str, states: Sequence[str]) -> np.ndarray:
        self.ensure(family, states)
        table = self.vectors[provenance_id(self.provenance(family, view))]
        return np.stack([table[s] for s in states])


class StoreScorer:
    """A search ``ValueScorer``: −energy of a trained head on stored (or newly encoded) embeddings."""

    def __init__(self, store: EmbeddingStore, family: str, view: str, head):
        self.store, self.family, self.view, self.head = store, family, view, head
        self.provenance = store.provenance(family, view)

    def score(self, states_pp: Sequence[str]) -> np.ndarray:
        if not states_pp:
            return np.zeros(0, np.float32)
        return -self.head.energies(self.store.get(self.family, self.view, list(states_pp)), self.provenance)
