"""The (state, tactic) steps of found proofs in trajectory Parquet files: what ``qed export-proof-paths``
writes and what the policy LM fine-tunes on (one reader for both)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from qedjax.data.trajectory import read_trajectories

PROOF_SELECTIONS = ("all", "shortest")


def proof_path_steps(paths: Sequence[str | Path], proofs: str = "all") -> list[dict]:
    """``{state, tactic, theorem, depth}`` for every step of every found proof (policy fine-tuning data),
    sorted by theorem then depth. ``proofs = "shortest"``: of a theorem proved in several files, only
    the proof with the fewest steps (the earliest file's on a tie), as expert iteration keeps the
    shortest proof a search found for each statement."""
    if proofs not in PROOF_SELECTIONS:
        raise ValueError(f"proofs must be one of {', '.join(PROOF_SELECTIONS)}, not {proofs!r}")
    if proofs == "all":
        return _steps(paths)
    best: dict[str, list[dict]] = {}
    for p in paths:
        per_theorem: dict[str, list[dict]] = {}
        for s in _steps([p]):
            per_theorem.setdefault(s["theorem"], []).append(s)
        for thm, steps in per_theorem.items():
            if thm not in best or len(steps) < len(best[thm]):
                best[thm] = steps
    return sorted((s for steps in best.values() for s in steps), key=lambda s: (s["theorem"], s["depth"]))


def _steps(paths: Sequence[str | Path]) -> list[dict]:
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
