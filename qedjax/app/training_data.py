"""The value head's training data, from search trajectories alone (never the oracle).

* :func:`subsample_for_training`: which nodes of the searches to encode — every positive, its negative
  siblings (hard negatives) and a seeded sample of the other negatives of each theorem.
* :func:`collect`: that subsample of every round's searches, written as one trajectory file.
* :func:`search_bounds`: hindsight bounds on every state's remaining proof length, from whole trees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from qedjax.data.trajectory import read_trajectories, write_subset
from qedjax.ebm.labels import hindsight_bounds
from qedjax.guard import forbid_measurement

Bounds = dict[str, tuple[float, float]]
BoundsSource = Callable[[Sequence[Path]], Bounds]  # search trees → state text → (lower, upper)


def subsample_for_training(cols: dict, negatives_per_theorem: int, seed: int) -> np.ndarray:
    """Rows to encode for EBM training: every positive, every negative sibling of a positive (hard
    negatives), and up to N other negatives per theorem (seeded). Terminal rows are kept (unused)."""
    rng = np.random.default_rng(seed)
    names = cols["theorem_name"].astype(str)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    label = cols["label"]
    keep = label == "positive"
    pos_parents = {(names[i], int(parent[i])) for i in np.nonzero(keep)[0] if parent[i] >= 0}
    sib = np.array([(names[i], int(parent[i])) in pos_parents for i in range(len(names))], bool)
    keep |= sib & (label == "negative")
    for name in np.unique(names):
        idx = np.nonzero((names == name) & (label == "negative") & ~keep & (cols["state_pp"] != ""))[0]
        if len(idx):
            keep[rng.choice(idx, size=min(negatives_per_theorem, len(idx)), replace=False)] = True
    return np.nonzero(keep)[0]


def collect(searches: Sequence[Path], output: Path, negatives_per_theorem: int, seed: int,
            metadata: dict | None = None) -> list[str]:
    """Write the training subsample of ``searches`` (every round's trees so far) to ``output`` (once:
    an existing file is kept) and return its non-terminal states, the ones to encode."""
    with forbid_measurement("training-data selection"):
        if not output.exists():
            keep = subsample_for_training(read_trajectories(list(searches)), negatives_per_theorem, seed)
            write_subset(list(searches), keep, output, metadata or {})
    return [s for s in read_trajectories([output])["state_pp"] if s]


def search_bounds(paths: Sequence[Path]) -> Bounds:
    """State text → (lower, upper) on its remaining proof length from the search trees in ``paths``
    (every proof found bounds its ancestors; a state proved in any tree or round is proved in all):
    what a real Lean run has, never the oracle."""
    cols = read_trajectories(list(paths))
    states = cols["state_pp"].astype(str)
    lower, upper = hindsight_bounds(cols)
    return {s: (float(lo), float(up)) for s, lo, up in zip(states, lower, upper) if s}
