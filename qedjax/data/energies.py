"""Energy tables written by ``qed score``: ``state_pp, energy`` as CSV, JSONL or Parquet (atomic)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from qedjax.errors import DataError
from qedjax.io import atomic_write

FORMATS = (".csv", ".jsonl", ".parquet")


def check_format(path: str | Path) -> None:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise DataError(f"--output {path}: unknown format '{suffix}' (use .csv, .jsonl or .parquet)")


def write_energies(path: str | Path, states: Sequence[str], energies: np.ndarray) -> Path:
    check_format(path)
    suffix = Path(path).suffix.lower()

    def write(tmp: Path) -> None:
        if suffix == ".csv":
            with open(tmp, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["state_pp", "energy"])
                for s, e in zip(states, energies):
                    w.writerow([s, f"{float(e):.9g}"])
        elif suffix == ".jsonl":
            with open(tmp, "w", encoding="utf-8") as f:
                for s, e in zip(states, energies):
                    f.write(json.dumps({"state_pp": s, "energy": float(e)}, ensure_ascii=False) + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({"state_pp": pa.array(list(states), pa.utf8()),
                                     "energy": pa.array(np.asarray(energies, np.float32), pa.float32())}), tmp)

    return atomic_write(path, write)
