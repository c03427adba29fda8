"""What makes two search runs the same run: the fingerprint a ``--resume`` must match.

``run_fingerprint`` names three components (compared and reported separately by
:mod:`qedjax.search.fingerprint`):

* ``config`` — the :class:`~qedjax.search.config.SearchConfig`'s identity (every field; PUCT's own only
  when the search is PUCT);
* ``theorems`` — the theorem source's resolved path, the split, the count and a SHA-256 of the selected
  theorems (name, statement and record, in order): a changed file, split or ``--max-theorems`` differs;
* ``parts`` — the :class:`~qedjax.app.parts.PartsSpec` with its files replaced by their identity: the EBM
  checkpoint's path, newest step and a hash of its metadata and inference weights; the embedding
  cache's and the Lean config's path, size and a hash of their content; a local HF policy directory's
  content fingerprint. The embedding memo stays a path: it only saves encoder calls, and it grows.

Workers and executors are not part of it: they do not change results.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Sequence

from qedjax.app.parts import PartsSpec
from qedjax.interfaces import Theorem
from qedjax.search.config import SearchConfig

_MIB = 1 << 20


def theorems_identity(source: str | Path, theorems: Sequence[Theorem], split: str | None = None) -> dict:
    h = hashlib.sha256()
    for t in theorems:
        h.update(json.dumps([t.name, t.statement, t.extra], sort_keys=True, ensure_ascii=False,
                            default=str).encode())
        h.update(b"\n")
    return {"source": str(Path(source).resolve()), "split": split, "count": len(theorems),
            "sha256": h.hexdigest()[:32]}


def file_identity(path: str | Path) -> dict:
    """Path, size and a hash of the whole content: a cache re-encoded in place under the same provenance
    and size differs only inside (hashing runs at about 1 GB/s, little beside a search)."""
    p = Path(path).resolve()
    h = hashlib.sha256()
    size = p.stat().st_size
    with open(p, "rb") as f:
        while chunk := f.read(8 * _MIB):
            h.update(chunk)
    return {"path": str(p), "size": size, "sha256": h.hexdigest()[:32]}


def ebm_identity(directory: str | Path) -> dict:
    """The checkpoint a search would restore: its path, newest step, and a hash of the parts of
    ``meta.json`` that define the head plus the files of that step's inference (``model``) item."""
    d = Path(directory).resolve()
    h = hashlib.sha256()
    try:
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    if isinstance(meta, dict):
        h.update(json.dumps({k: meta.get(k) for k in ("config", "input_dim", "provenance")},
                            sort_keys=True, default=str).encode())
    steps = sorted(int(p.name) for p in (d / "checkpoints").glob("*") if p.name.isdigit() and p.is_dir())
    step = steps[-1] if steps else None
    if step is not None:
        model = d / "checkpoints" / str(step) / "model"
        for f in sorted(p for p in model.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(model)).encode())
            h.update(f.read_bytes())
    return {"path": str(d), "step": step, "sha256": h.hexdigest()[:32]}


def policy_identity(spec: PartsSpec) -> str | dict:
    if spec.policy != "hf":
        return spec.hf_model
    p = Path(spec.hf_model).expanduser()
    if p.is_dir():
        from encoder_bridge.encoder import fingerprint  # torch-free

        return {"path": str(p.resolve()), "revision": fingerprint(str(p))}
    return spec.hf_model


def parts_identity(spec: PartsSpec) -> dict:
    out = dataclasses.asdict(spec)
    if spec.ebm is not None:
        out["ebm"] = ebm_identity(spec.ebm)
    if spec.embeddings is not None:
        out["embeddings"] = file_identity(spec.embeddings)
    if spec.lean_config is not None and Path(spec.lean_config).is_file():
        out["lean_config"] = file_identity(spec.lean_config)
    out["hf_model"] = policy_identity(spec)
    if spec.policy_config is not None and Path(spec.policy_config).is_file():
        out["policy_config"] = file_identity(spec.policy_config)
    return out


def run_fingerprint(config: SearchConfig, theorems: Sequence[Theorem], source: str | Path, spec: PartsSpec,
                    split: str | None = None) -> dict:
    """The fingerprint of one search run (see :mod:`qedjax.search.fingerprint`)."""
    return {"config": config.identity(), "theorems": theorems_identity(source, theorems, split),
            "parts": parts_identity(spec)}
