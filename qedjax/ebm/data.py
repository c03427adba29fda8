"""Contrastive training data: trajectories + embedding cache → device table + seeded batch sampler.

Each batch row is one positive (a node on a found proof path) and K negatives drawn in three tiers:
hard = negative siblings of the positive (same parent), medium = other negatives of the same
theorem, easy = negatives of other theorems. A tier that runs short overflows into the next
(hard → medium → easy). Train/val are split by theorem (seeded). Terminal rows (empty ``state_pp``)
are never used. Sampling for step ``s`` depends only on (seed, split, s), so a resumed run draws the
same batches as an uninterrupted one.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Sequence

import numpy as np

from qedjax.data.embeddings import read_embeddings
from qedjax.data.trajectory import read_trajectories
from qedjax.ebm.config import SamplerConfig
from qedjax.ebm.labels import hindsight_bounds as tree_hindsight
from qedjax.errors import DataError
from qedjax.seeds import derive

_MAX_REDRAWS = 64


@dataclasses.dataclass
class SplitIndex:
    """Sampling structure for one split. Node ids index the global node arrays."""

    name: str
    theorems: list[str]
    positives: np.ndarray  # node ids
    pos_depth: np.ndarray  # remaining_depth of each positive (float32)
    hard_off: np.ndarray  # CSR over positives: sibling negatives
    hard_ids: np.ndarray
    thm_off: np.ndarray  # CSR over positives: all negatives of the positive's theorem
    thm_ids: np.ndarray
    all_negs: np.ndarray  # every negative node of the split
    neg_theorem: np.ndarray  # theorem code of each node in all_negs
    pos_theorem: np.ndarray  # theorem code of each positive
    node_parent: np.ndarray  # parent state id of every node (−1 at roots); shared across splits
    _neg_count: np.ndarray | None = dataclasses.field(default=None, repr=False)
    _all_nodes: np.ndarray | None = dataclasses.field(default=None, repr=False)

    @property
    def n_positives(self) -> int:
        return len(self.positives)

    @property
    def all_nodes(self) -> np.ndarray:
        if self._all_nodes is None:
            self._all_nodes = np.concatenate([self.positives, self.all_negs])
        return self._all_nodes


@dataclasses.dataclass
class ContrastiveData:
    table: np.ndarray  # (N_states, D) float32, unique states
    node_row: np.ndarray  # node id → table row
    train: SplitIndex
    val: SplitIndex | None
    provenance: dict | None
    sampler: SamplerConfig
    stats: dict
    bounds: np.ndarray | None = None  # (n_nodes, 2) [lower, upper] remaining proof length (distance loss)

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])


def data_fingerprint(data: ContrastiveData) -> str:
    """A SHA-256 of everything a training run reads from its data (the embedding rows it uses, which
    node uses which row, the splits' nodes and depths, the distance bounds): a resume on changed data
    (trajectories edited, a cache re-encoded in place under the same provenance) differs here."""
    h = hashlib.sha256()

    def add(a) -> None:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())

    add(data.table)
    add(data.node_row)
    for split in (data.train, data.val):
        if split is None:
            h.update(b"none")
            continue
        h.update("\n".join(split.theorems).encode())
        for a in (split.positives, split.pos_depth, split.hard_off, split.hard_ids, split.thm_off,
                  split.thm_ids, split.all_negs, split.node_parent):
            add(a)
    if data.bounds is not None:
        add(data.bounds)
    return h.hexdigest()


def _split_theorems(names: Sequence[str], val_fraction: float, seed: int) -> tuple[set, set]:
    names = sorted(set(names))
    rng = np.random.default_rng(derive(seed, "val-split"))
    order = rng.permutation(len(names))
    n_val = int(round(len(names) * val_fraction))
    if val_fraction > 0 and n_val == 0 and len(names) >= 2:
        n_val = 1
    val = {names[i] for i in order[:n_val]}
    return set(names) - val, val


def load_contrastive_data(trajectory_paths: Sequence[str | Path], embeddings_path: str | Path,
                          sampler: SamplerConfig, seed: int, *,
                          expected_dim: int | None = None, distance_cap: float | None = None,
                          bounds: dict[str, tuple[float, float]] | None = None) -> ContrastiveData:
    """Trajectories + their embeddings → sampling indices for training.

    ``distance_cap`` (the ``distance`` loss) also attaches hindsight bounds on every node's remaining
    proof length, clipped to the cap: ``bounds`` maps state text → (lower, upper) computed by the
    caller over whole search trees (expert iteration trains on a subsample of its trees); without
    it they are computed from these trajectories, which must then be whole trees."""
    cols = read_trajectories(trajectory_paths)
    states, emb, provenance = read_embeddings(embeddings_path)
    if expected_dim is not None and emb.shape[1] != expected_dim:
        raise DataError(f"{embeddings_path}: embedding dim {emb.shape[1]} does not match the model's "
                        f"input dim {expected_dim}")
    usable = np.array([isinstance(s, str) and s != "" for s in cols["state_pp"]])
    labels = cols["label"]
    usable &= labels != "unknown"
    n_pos_total = int(np.sum(usable & (labels == "positive")))
    n_neg_total = int(np.sum(usable & (labels == "negative")))
    if n_pos_total == 0:
        raise DataError("no positive states in the trajectories (no proof was found); "
                        "the EBM needs at least one proved theorem")
    if n_neg_total == 0:
        raise DataError("no negative states in the trajectories; the EBM needs off-path nodes")
    index = {s: i for i, s in enumerate(states)}
    node_ids = np.nonzero(usable)[0]
    needed = cols["state_pp"][node_ids]
    rows = np.fromiter((index.get(s, -1) for s in needed), dtype=np.int64, count=len(needed))
    missing = rows < 0
    if missing.any():
        example = str(needed[np.argmax(missing)])[:60].replace("\n", "⏎")
        raise DataError(f"{int(missing.sum())} of {len(needed)} trajectory states have no embedding "
                        f"in {embeddings_path} (e.g. {example!r}); run `qed encode` on these "
                        "trajectories first")
    # Keep only the rows we use, so the device table is as small as possible.
    used_rows, node_row_compact = np.unique(rows, return_inverse=True)
    table = np.ascontiguousarray(emb[used_rows])
    n_nodes = len(cols["state_pp"])
    node_row = np.full(n_nodes, -1, np.int64)
    node_row[node_ids] = node_row_compact

    theorem = cols["theorem_name"]
    theorem_names, theorem_code = np.unique(theorem.astype(str), return_inverse=True)
    train_thm, val_thm = _split_theorems(theorem_names, sampler.val_fraction, seed)
    parent_key = np.where(cols["parent_state_id_is_null"], -1,
                          cols["parent_state_id"].astype(np.int64, copy=False))

    def build(name: str, members: set) -> SplitIndex | None:
        in_split = np.isin(theorem.astype(str), list(members)) & usable
        pos = np.nonzero(in_split & (labels == "positive"))[0]
        negs = np.nonzero(in_split & (labels == "negative"))[0]
        if len(pos) == 0:
            return None
        # Group negatives by theorem and by (theorem, parent).
        neg_thm = theorem_code[negs]
        order = np.argsort(neg_thm, kind="stable")
        negs_by_thm = negs[order]
        thm_sorted = neg_thm[order]
        thm_start = np.searchsorted(thm_sorted, np.arange(len(theorem_names)), "left")
        thm_end = np.searchsorted(thm_sorted, np.arange(len(theorem_names)), "right")
        sib: dict[tuple[int, int], list[int]] = {}
        for n in negs:
            sib.setdefault((int(theorem_code[n]), int(parent_key[n])), []).append(int(n))
        hard_lists, thm_lists = [], []
        for p in pos:
            t = int(theorem_code[p])
            par = int(parent_key[p])
            hard_lists.append(np.asarray(sib.get((t, par), []) if par >= 0 else [], np.int64))
            thm_lists.append(negs_by_thm[thm_start[t]:thm_end[t]])
        hard_off = np.concatenate([[0], np.cumsum([len(x) for x in hard_lists])]).astype(np.int64)
        thm_off = np.concatenate([[0], np.cumsum([len(x) for x in thm_lists])]).astype(np.int64)
        return SplitIndex(
            name=name, theorems=sorted(members),
            positives=pos.astype(np.int64),
            pos_depth=cols["remaining_depth"][pos].astype(np.float32),
            hard_off=hard_off,
            hard_ids=np.concatenate(hard_lists) if hard_lists else np.zeros(0, np.int64),
            thm_off=thm_off,
            thm_ids=np.concatenate(thm_lists) if thm_lists else np.zeros(0, np.int64),
            all_negs=negs.astype(np.int64), neg_theorem=theorem_code[negs],
            pos_theorem=theorem_code[pos], node_parent=parent_key,
        )

    train = build("train", train_thm)
    val = build("val", val_thm) if val_thm else None
    if train is None:
        raise DataError("no positive states in the training split; add proved theorems or lower "
                        "sampler.val_fraction")
    if len(train.all_negs) == 0:
        raise DataError("no negative states in the training split")
    stats = {
        "nodes": int(n_nodes), "usable_nodes": int(usable.sum()), "unique_states": int(len(table)),
        "positives": n_pos_total, "negatives": n_neg_total, "theorems": int(len(theorem_names)),
        "train_theorems": len(train_thm), "val_theorems": len(val_thm),
        "train_positives": train.n_positives, "val_positives": 0 if val is None else val.n_positives,
    }
    node_bounds = None
    if distance_cap is not None:
        node_bounds = hindsight_bounds(cols, distance_cap, bounds)
        proved = np.isfinite(node_bounds[node_ids, 1])
        stats.update(proved_states=int(proved.sum()), unproved_states=int((~proved).sum()))
    return ContrastiveData(table, node_row, train, val, provenance, sampler, stats, node_bounds)


def hindsight_bounds(cols: dict, cap: float, bounds: dict[str, tuple[float, float]] | None = None
                     ) -> np.ndarray:
    """(n_nodes, 2) float32 [lower, upper] per node from search trajectories alone (never the oracle):
    Bellman backups over each tree, the tightest bounds of identical states shared, values clipped to
    ``[0, cap]`` with an open upper bound kept +inf."""
    states = cols["state_pp"].astype(str)
    if bounds is None:
        lower, upper = tree_hindsight(cols)
    else:
        missing = [s for s in states if s and s not in bounds]
        if missing:
            raise DataError(f"{len(missing)} trajectory states have no distance bounds "
                            f"(e.g. {missing[0][:60]!r})")
        pairs = np.array([bounds.get(s, (0.0, 0.0)) for s in states], np.float64).reshape(-1, 2)
        lower, upper = pairs[:, 0], pairs[:, 1]
    lower = np.clip(lower, 0.0, cap)
    upper = np.where(np.isfinite(upper), np.clip(upper, 0.0, cap), np.inf)
    return np.stack([np.minimum(lower, upper), upper], axis=1).astype(np.float32)


def _draw_distinct(rng: np.random.Generator, off: np.ndarray, ids: np.ndarray, rows: np.ndarray,
                   count: np.ndarray, k: int, invalid=None) -> np.ndarray:
    """For each batch row b, draw ``count[b]`` distinct ids from ``ids[off[rows[b]]:off[rows[b]+1]]``,
    skipping ids for which ``invalid(b_indices, picks)`` is true (rejection, then a scan)."""
    B = len(rows)
    out = np.full((B, k), -1, np.int64)
    start = off[rows]
    size = off[rows + 1] - start
    for j in range(k):
        todo = np.nonzero(count > j)[0]
        for _ in range(_MAX_REDRAWS):
            if len(todo) == 0:
                break
            pick = ids[start[todo] + rng.integers(0, np.maximum(size[todo], 1))]
            bad = np.any(out[todo, :j] == pick[:, None], axis=1)
            if invalid is not None:
                bad |= invalid(todo, pick)
            out[todo[~bad], j] = pick[~bad]
            todo = todo[bad]
        for b in todo:  # rejection kept failing (pool nearly used up): draw from the valid remainder
            pool = ids[start[b]:start[b] + size[b]]
            ok = ~np.isin(pool, out[b, :j])
            if invalid is not None:
                ok &= ~invalid(np.full(len(pool), b), pool)
            left = pool[ok]
            out[b, j] = left[rng.integers(0, len(left))] if len(left) else pool[rng.integers(0, len(pool))]
    return out


def sample_batch(split: SplitIndex, sampler: SamplerConfig, batch_size: int,
                 rng: np.random.Generator, ratios: tuple[int, int, int] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Return (node ids (B, 1+K) with the positive in column 0, remaining_depth (B,))."""
    k = sampler.k_negatives
    want_h, want_m, _ = ratios if ratios is not None else sampler.tier_counts()
    r = rng.integers(0, split.n_positives, batch_size)
    pos = split.positives[r]
    n_hard = split.hard_off[r + 1] - split.hard_off[r]
    n_thm = split.thm_off[r + 1] - split.thm_off[r]
    n_med = n_thm - n_hard
    h = np.minimum(want_h, n_hard)
    m = np.minimum(want_m + (want_h - h), n_med)
    e = k - h - m
    hard = _draw_distinct(rng, split.hard_off, split.hard_ids, r, h, k)
    # medium: the theorem's negatives that are not siblings of the positive
    pos_parent = split.node_parent[pos]
    med = _draw_distinct(rng, split.thm_off, split.thm_ids, r, m, k,
                         invalid=lambda b, pick: (split.node_parent[pick] == pos_parent[b]) & (pos_parent[b] >= 0))
    easy = _draw_easy(rng, split, r, e, k)
    # Slot j of a row is hard for j < h, medium for h <= j < h+m, easy after (each tier's draws
    # fill its own array from column 0).
    j = np.arange(k)[None, :]
    h_, m_ = h[:, None], m[:, None]
    negs = np.where(j < h_, hard, np.take_along_axis(med, np.clip(j - h_, 0, k - 1), axis=1))
    negs = np.where(j < h_ + m_, negs, np.take_along_axis(easy, np.clip(j - h_ - m_, 0, k - 1), axis=1))
    return np.concatenate([pos[:, None], negs], axis=1), split.pos_depth[r]


def _draw_easy(rng, split: SplitIndex, r: np.ndarray, count: np.ndarray, k: int) -> np.ndarray:
    B = len(r)
    out = np.full((B, k), -1, np.int64)
    n_all = len(split.all_negs)
    thm = split.pos_theorem[r]
    # does some other theorem of the split have negatives? (per-theorem counts, computed once)
    if split._neg_count is None:
        split._neg_count = np.bincount(split.neg_theorem, minlength=int(thm.max()) + 1)
    counts = split._neg_count
    other_exists = (counts[np.minimum(thm, len(counts) - 1)] * (thm < len(counts))) < n_all
    for j in range(k):
        todo = np.nonzero(count > j)[0]
        for _ in range(_MAX_REDRAWS):
            if len(todo) == 0:
                break
            idx = rng.integers(0, n_all, len(todo))
            pick = split.all_negs[idx]
            bad = np.any(out[todo, :j] == pick[:, None], axis=1)
            bad |= (split.neg_theorem[idx] == thm[todo]) & other_exists[todo]
            out[todo[~bad], j] = pick[~bad]
            todo = todo[bad]
        if len(todo):
            out[todo, j] = split.all_negs[rng.integers(0, n_all, len(todo))]
    return out


def sample_uniform_batch(split: SplitIndex, k: int, batch_size: int, rng: np.random.Generator
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Unbiased validation: K negatives drawn uniformly from all of the split's negatives."""
    r = rng.integers(0, split.n_positives, batch_size)
    negs = split.all_negs[rng.integers(0, len(split.all_negs), (batch_size, k))]
    return np.concatenate([split.positives[r][:, None], negs], axis=1), split.pos_depth[r]


def sample_state_batch(split: SplitIndex, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """The distance loss's batch: node ids (B, C) drawn uniformly from the split's states (proof-path
    and off-path alike, so pairs mix theorems)."""
    nodes = split.all_nodes
    return nodes[rng.integers(0, len(nodes), shape)]


def step_rng(seed: int, split: str, step: int) -> np.random.Generator:
    return np.random.default_rng([seed, {"train": 0, "val": 1, "val_uniform": 2}[split], step])
