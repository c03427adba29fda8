"""Synthetic search trees with controllable separability, for tests, smoke runs and benchmarks.

Each theorem gets a proof path (positives, remaining_depth counting down to 0, then a terminal
row with empty ``state_pp``) and negative siblings hanging off every path node, plus a few deeper
negatives. Embeddings are Gaussian with positives shifted by ``separation`` along a hidden direction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from qedjax.data.embeddings import write_embeddings
from qedjax.data.trajectory import write_trajectory

SYNTHETIC_PROVENANCE = {"model": "synthetic", "revision": "0", "dtype": "float32",
                        "pooling": "none", "template": "raw", "normalizer": "none",
                        "max_length": 0}


def make_synthetic(n_theorems: int = 40, dim: int = 32, path_len: int = 5, siblings: int = 3,
                   separation: float = 3.0, seed: int = 0, n_unproved: int = 5):
    rng = np.random.default_rng(seed)
    direction = rng.normal(size=dim)
    direction /= np.linalg.norm(direction)
    records: list[dict] = []
    states: list[str] = []
    vectors: list[np.ndarray] = []

    def emb(positive: bool) -> np.ndarray:
        v = rng.normal(size=dim)
        return v + (separation if positive else -separation) * direction * 0.5

    for t in range(n_theorems + n_unproved):
        name = f"thm_{t:04d}"
        proved = t < n_theorems
        sid = 0
        parent = None
        L = path_len if proved else 0
        for depth in range(L + 1):
            pp = f"{name} pos {depth}"
            terminal = proved and depth == L
            records.append(dict(
                theorem_name=name, state_id=sid, state_pp="" if terminal else pp,
                tactic_applied="" if parent is None else f"tac{depth}", parent_state_id=parent,
                label="positive" if proved else "negative", depth_from_root=depth,
                remaining_depth=(L - depth) if proved else -1, llm_log_prob=-1.0, ebm_score=None,
                is_proof_complete=terminal, timestamp_ms=1_700_000_000_000 + sid, q_value=None,
                visits=None, num_goals=0 if terminal else 1, oracle_provable=None))
            if not terminal:
                states.append(pp)
                vectors.append(emb(proved))
            this = sid
            sid += 1
            if not terminal:
                for k in range(siblings):
                    npp = f"{name} neg {depth}.{k}"
                    records.append(dict(
                        theorem_name=name, state_id=sid, state_pp=npp, tactic_applied=f"bad{k}",
                        parent_state_id=this, label="negative", depth_from_root=depth + 1,
                        remaining_depth=-1, llm_log_prob=-2.0, ebm_score=None, is_proof_complete=False,
                        timestamp_ms=1_700_000_000_000 + sid, q_value=None, visits=None, num_goals=1,
                        oracle_provable=None))
                    states.append(npp)
                    vectors.append(emb(False))
                    sid += 1
            parent = this
    # Negatives hanging off path node d share its id as parent with positive d+1: hard negatives.
    return records, states, np.asarray(vectors, np.float32)


def write_synthetic(directory: str | Path, **kwargs) -> tuple[Path, Path]:
    directory = Path(directory)
    records, states, vectors = make_synthetic(**kwargs)
    traj = directory / "trajectories.parquet"
    embp = directory / "embeddings.parquet"
    write_trajectory(traj, records, {"source": "synthetic"})
    write_embeddings(embp, states, vectors, dict(SYNTHETIC_PROVENANCE, dim=vectors.shape[1]))
    return traj, embp
