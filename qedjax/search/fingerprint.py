"""Resume fingerprints: a resumed search continues the same run, or is refused.

A run's fingerprint is a JSON-able dict of named components (``config``: the search config;
``theorems``: the theorem source's path and a content hash of the selected theorems; ``parts``: the
environment, policy and value scorer, with the EBM checkpoint's identity). The application layer
computes it (:func:`qedjax.app.fingerprint.run_fingerprint`); this module stores and compares it and
imports no framework, so every executor shares one contract: the check happens in the main process
before any worker, process pool or Ray actor starts.

It is stored atomically beside the output as ``OUTPUT.fingerprint.json`` before any result is written,
and also in the merged trajectory's metadata; it is kept after the run completes, so that a later
``--resume`` with other settings is refused as well.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from qedjax.data.trajectory import METADATA_KEY
from qedjax.errors import DataError
from qedjax.io import atomic_write_json

SUFFIX = ".fingerprint.json"
LABELS = {"config": "the search config", "theorems": "the theorem source", "parts": "the search parts"}


def fingerprint_path(output: str | Path) -> Path:
    output = Path(output)
    return output.with_name(output.name + SUFFIX)


def normalise(fingerprint: dict) -> dict:
    """The JSON round trip of ``fingerprint`` (tuples become lists, paths strings), as stored."""
    return json.loads(json.dumps(fingerprint, sort_keys=True, default=str))


def digest(fingerprint: dict) -> str:
    return hashlib.sha256(json.dumps(normalise(fingerprint), sort_keys=True).encode()).hexdigest()


def _flat(value, prefix: str = "") -> dict:
    if isinstance(value, dict):
        out = {}
        for k in sorted(value):
            out.update(_flat(value[k], f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: value}


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:18] + "…" + text[-18:]


def differences(stored: dict, current: dict) -> str | None:
    """None when equal, else one phrase naming the first differing component and its fields:
    ``the search config differs (max_nodes: 5 → 20, num_candidates: 4 → 8)``."""
    stored, current = normalise(stored), normalise(current)
    same = lambda x, y: json.dumps(x, sort_keys=True) == json.dumps(y, sort_keys=True)  # noqa: E731 - 0 ≠ false
    for key in [*LABELS, *sorted(set(stored) | set(current))]:
        a, b = stored.get(key), current.get(key)
        if same(a, b):
            continue
        fa, fb = _flat(a), _flat(b)
        show = lambda flat, k: _show(flat[k]) if k in flat else "(absent)"  # noqa: E731
        fields = [f"{k or key}: {show(fa, k)} → {show(fb, k)}"
                  for k in sorted(set(fa) | set(fb), key=lambda k: (k.endswith("sha256"), k))
                  if (k in fa) != (k in fb) or not same(fa.get(k), fb.get(k))]
        if not fields:  # e.g. {} against null
            fields = [f"{key}: {_show(a)} → {_show(b)}"]
        shown = ", ".join(fields[:4]) + (f", … ({len(fields) - 4} more)" if len(fields) > 4 else "")
        return f"{LABELS.get(key, key)} {'differ' if key == 'parts' else 'differs'} ({shown})"
    return None


def read_stored(output: str | Path) -> dict | None:
    """The fingerprint of the run in ``output``: its JSON beside the output, else the trajectory
    metadata of a completed output; None when neither records one."""
    output = Path(output)
    path = fingerprint_path(output)
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return data["fingerprint"]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            raise DataError(f"{output}: its run fingerprint is damaged; --resume cannot check that it "
                            "continues the same run (choose another --output)") from None
    if output.is_file():
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            meta = pq.read_schema(output).metadata or {}
            fp = json.loads(meta.get(METADATA_KEY, b"{}")).get("fingerprint")
        except (pa.ArrowException, OSError, ValueError, AttributeError, RecursionError):
            raise DataError(f"{output}: not a readable trajectory file; choose another --output") from None
        return fp if isinstance(fp, dict) else None
    return None


def check(output: str | Path, fingerprint: dict) -> None:
    """Refuse to resume the run in ``output`` unless it was made with the same fingerprint."""
    stored = read_stored(output)
    if stored is None:
        raise DataError(f"--resume {output}: the earlier run recorded no fingerprint (an older qedjax), so "
                        "it cannot be checked that this command continues it; choose another --output")
    diff = differences(stored, fingerprint)
    if diff is not None:
        raise DataError(f"--resume {output}: {diff} from the run being resumed; repeat its settings or "
                        "choose another --output")


def write(output: str | Path, fingerprint: dict) -> Path:
    """Store ``fingerprint`` beside ``output`` atomically."""
    return atomic_write_json(fingerprint_path(output), {
        "fingerprint": normalise(fingerprint), "digest": digest(fingerprint),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
