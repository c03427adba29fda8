"""The (state, tactic) steps of found proofs in trajectory Parquet files: what ``qed export-proof-paths``
writes and what the policy LM fine-tunes on (one reader for both)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from qedjax.data.trajectory import read_trajectories


def proof_path_steps(paths: Sequence[str | Path]) -> list[dict]:
    """``{state, tactic, theorem, depth}`` for every step of every found proof (policy fine-tuning data),
    sorted by theorem then depth."""
    c = read_trajectories(paths)
    by_key = {}
    for i in range(len(c["state_pp"])):
        if c["label"][i] == "positive":
            by_key[(c["theorem_name"][i], int(c["state_id"][i]))] = i
    steps = []
    for (thm, _sid), i in by_key.items():
        if c["parent_state_id_is_null"][i]:
            continue
        parent = by_key.get((thm, int(c["parent_state_id"][i])))
        if parent is None:
            continue
        depth = int(c["depth_from_root"][parent])
        steps.append({"state": c["state_pp"][parent], "tactic": c["tactic_applied"][i], "theorem": thm,
                      "depth": depth})
    steps.sort(key=lambda s: (s["theorem"], s["depth"]))
    return steps
