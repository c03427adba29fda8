"""(state, tactic) training pairs from the proof paths of trajectory Parquet files (no torch).

The rows are the ones ``qed export-proof-paths`` writes (``qedjax.data.proof_paths.proof_path_steps``,
the product's one reader). Reference proofs replayed in an environment ("a proof corpus") come from the
application layer (``qedjax.app.policy_data``) as the same dicts. Empty tactics and ``sorry``/``admit``
are dropped, duplicate (state, tactic) pairs are kept once, and the validation set is split by theorem
(a theorem's steps are all on one side), by a seeded hash of its name, so a theorem stays on its side
whatever else the files hold.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from typing import Sequence

from qedjax.data.proof_paths import proof_path_steps
from qedjax.errors import DataError

FORBIDDEN_WORDS = ("sorry", "admit")


@dataclasses.dataclass(frozen=True)
class Pair:
    state: str
    tactic: str
    theorem: str


@dataclasses.dataclass
class PolicyData:
    train: list[Pair]
    valid: list[Pair]
    stats: dict


def forbidden(tactic: str) -> bool:
    return re.search(r"\b(" + "|".join(FORBIDDEN_WORDS) + r")\b", tactic) is not None


def in_validation(theorem: str, fraction: float, seed: int) -> bool:
    digest = hashlib.blake2b(f"{seed}\x1f{theorem}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") / 2.0**64 < fraction


def read_steps(paths: Sequence[str | Path], proofs: str = "all") -> list[dict]:
    """Proof-path steps of trajectory Parquet files (one ``error:`` line for a missing or bad file);
    ``proofs``: every found proof, or each theorem's shortest (``proof_path_steps``)."""
    if not paths:
        raise DataError("no trajectory files given")
    for p in paths:
        if not Path(p).is_file():
            raise DataError(f"trajectory file not found: {p}")
    return proof_path_steps([str(p) for p in paths], proofs)


def prepare(steps: Sequence[dict], valid_fraction: float, seed: int) -> PolicyData:
    """Filter, deduplicate and split ``steps`` (dicts with state, tactic, theorem)."""
    seen: set[tuple[str, str]] = set()
    train: list[Pair] = []
    valid: list[Pair] = []
    dropped = {"empty": 0, "sorry": 0, "duplicate": 0, "terminal_state": 0}
    for s in steps:
        state, tactic, theorem = str(s["state"]), str(s["tactic"]).strip(), str(s["theorem"])
        if not tactic:
            dropped["empty"] += 1
            continue
        if not state:
            dropped["terminal_state"] += 1
            continue
        if forbidden(tactic):
            dropped["sorry"] += 1
            continue
        if (state, tactic) in seen:
            dropped["duplicate"] += 1
            continue
        seen.add((state, tactic))
        (valid if in_validation(theorem, valid_fraction, seed) else train).append(Pair(state, tactic, theorem))
    if not train:
        raise DataError(f"no training pairs left ({len(steps)} proof steps read; dropped {dropped})")
    stats = {"steps": len(steps), "train_pairs": len(train), "valid_pairs": len(valid),
             "train_theorems": len({p.theorem for p in train}),
             "valid_theorems": len({p.theorem for p in valid}), "dropped": dropped}
    return PolicyData(train, valid, stats)
