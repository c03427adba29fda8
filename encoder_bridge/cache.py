"""Incremental, resumable, provenance-checked embedding cache (Parquet; format in qedjax.data.embeddings).

``encode_to_cache`` skips states already cached, encodes the rest in chunks and writes each chunk
atomically as a shard beside the output (``OUTPUT.partial/``), so a killed run resumes where it
stopped. At the end everything is merged into OUTPUT atomically and the shards are removed. An
existing cache from another encoder configuration is refused unless ``overwrite`` (and even then it
is only replaced once the new cache is complete). NaN/Inf and zero-norm embeddings are rejected with
a count and never stored.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from qedjax.data.embeddings import (
    PROVENANCE_FIELDS,
    provenance_value,
    read_embeddings,
    read_provenance,
    read_shards,
    shard_dir,
    unique_states,
    write_embeddings,
)
from qedjax.data.trajectory import check_distinct
from qedjax.errors import DataError, ProvenanceError
from qedjax.io import read_json
from qedjax.paths import check_output_file


@dataclasses.dataclass
class CacheSummary:
    total: int = 0  # distinct non-empty states requested
    cached: int = 0  # already present (output or shards of a killed run)
    encoded: int = 0  # newly encoded and stored
    truncated: int = 0  # encoded with hypotheses dropped to fit max_length
    rejected: int = 0  # NaN/Inf or zero-norm embeddings, not stored
    output: str = ""

    def line(self) -> str:
        return (f"{self.total} states: {self.encoded} encoded, {self.cached} cached, "
                f"{self.truncated} truncated, {self.rejected} rejected -> {self.output}")


def provenance_diff(a: dict | None, b: dict | None) -> str | None:
    if a is None or b is None:
        return "no provenance recorded" if (a is None) != (b is None) else None
    for key in PROVENANCE_FIELDS:
        va, vb = provenance_value(a, key), provenance_value(b, key)
        if str(va) != str(vb):
            return f"{key}: {va!r} vs {vb!r}"
    return None


def _partial_dir(output: Path) -> Path:
    return shard_dir(output)


def check_cache_output(output: Path, inputs: Sequence[str | Path] = ()) -> None:
    """Refuse an output that would destroy the user's data: one of the inputs, or an existing file that
    is not an embedding cache (e.g. a trajectory file) — whatever ``--overwrite`` says."""
    check_output_file(output)
    for p in map(Path, inputs):
        same = os.path.samefile(p, output) if p.exists() and output.exists() else p.resolve() == output.resolve()
        if same:
            raise DataError(f"--output {output} is also an --input; write the embeddings to another file")
    if output.exists():
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(output).names
        except (pa.ArrowException, OSError, UnicodeDecodeError):
            raise DataError(f"--output {output} exists and is not an embedding cache (not a Parquet "
                            "file); it is never replaced: choose another --output") from None
        if "embedding" not in names or "state_pp" not in names:
            raise DataError(f"--output {output} exists and is not an embedding cache (no 'embedding' "
                            "column); it is never replaced: choose another --output")


def encode_to_cache(encoder, states: Iterable[str], output: str | Path, *, overwrite: bool = False,
                    checkpoint_every: int = 2048, progress: Callable[[int], None] | None = None,
                    after_shard: Callable[[int], None] | None = None) -> CacheSummary:
    output = Path(output)
    check_cache_output(output)
    prov = encoder.provenance
    wanted = list(dict.fromkeys(s for s in states if isinstance(s, str) and s != ""))
    summary = CacheSummary(total=len(wanted), output=str(output))
    partial = _partial_dir(output)
    old_states: list[str] = []
    old_vecs = np.zeros((0, prov["dim"]), np.float32)
    if output.exists() and not overwrite:
        diff = provenance_diff(read_provenance(output), prov)
        if diff is not None:
            raise ProvenanceError(f"{output} was made by another encoder configuration ({diff}); "
                                  "use another --output or pass --overwrite")
        old_states, old_vecs, _ = read_embeddings(output)
    if overwrite and partial.exists():
        shutil.rmtree(partial)
    shard_states, shard_vecs = read_shards(output, prov)
    have = set(old_states) | set(shard_states)
    todo = [s for s in wanted if s not in have]
    summary.cached = summary.total - len(todo)
    if progress is not None and summary.cached:
        progress(summary.cached)
    partial.mkdir(parents=True, exist_ok=True)
    (partial / "provenance.json").write_text(json.dumps(prov, sort_keys=True))
    n_shards = len(list(partial.glob("shard-*.parquet")))
    for start in range(0, len(todo), checkpoint_every):
        chunk = todo[start:start + checkpoint_every]
        before = encoder.truncated
        vecs = encoder.encode(chunk, progress=progress)
        summary.truncated += encoder.truncated - before
        good = np.isfinite(vecs).all(axis=1) & np.any(vecs != 0, axis=1)
        summary.rejected += int((~good).sum())
        kept = [s for s, g in zip(chunk, good) if g]
        if kept:
            write_embeddings(partial / f"shard-{n_shards:06d}.parquet", kept, vecs[good], prov)
            n_shards += 1
            shard_states.extend(kept)
            shard_vecs.append(vecs[good])
        summary.encoded += len(kept)
        if after_shard is not None:
            after_shard(n_shards)
    all_states = list(old_states) + shard_states
    all_vecs = np.concatenate([old_vecs, *shard_vecs]) if shard_vecs else old_vecs
    all_states, all_vecs = unique_states(all_states, all_vecs)  # a search may have re-encoded a cached state
    if len(all_states) == 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise DataError("nothing to store: no valid embeddings were produced")
    write_embeddings(output, all_states, all_vecs, prov)
    shutil.rmtree(partial, ignore_errors=True)
    return summary


def _is_parquet(path: Path) -> bool:
    if not path.is_file():
        return False
    with open(path, "rb") as f:
        return f.read(4) == b"PAR1"


def read_states(paths: Sequence[str | Path]) -> list[str]:
    """States from trajectory Parquets, embedding caches, or JSON/JSONL records with ``state_pp``
    (also LeanDojo records: their ``traced_tactics`` ``state_before``/``state_after``)."""
    out: list[str] = []
    paths = [Path(p) for p in paths]
    check_distinct(paths, "--input")
    for p in paths:
        if not p.exists():
            raise DataError(f"input file not found: {p}")
        if p.suffix.lower() == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            try:
                schema = pq.read_schema(p)
                if "state_pp" not in schema.names:
                    raise DataError(f"{p}: no 'state_pp' column")
                col = pq.read_table(p, columns=["state_pp"]).column("state_pp")
                col.validate(full=True)
            except (pa.ArrowException, OSError, UnicodeDecodeError) as e:
                first = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
                raise DataError(f"{p}: not a readable Parquet file ({first})") from None
            if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
                raise DataError(f"{p}: column 'state_pp' has type {col.type}, expected strings")
            found = [x for x in col.to_pylist() if x]
            if not found:
                raise DataError(f"{p}: no states (the file has no rows with a non-empty 'state_pp')")
            out.extend(found)
            continue
        if _is_parquet(p):
            raise DataError(f"{p}: a Parquet file; name it with the .parquet suffix")
        data = read_json(p, lines=p.suffix.lower() == ".jsonl")
        records = data.get("theorems", data.get("states", data)) if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise DataError(f"{p}: expected a list of records")
        n_before = len(out)
        for r in records:
            if not isinstance(r, dict):
                continue
            if isinstance(r.get("state_pp"), str):
                out.append(r["state_pp"])
            traced = r.get("traced_tactics")
            for t in traced if isinstance(traced, list) else []:
                if not isinstance(t, dict):
                    continue
                for key in ("state_before", "state_after"):
                    s = t.get(key)
                    if isinstance(s, str) and s and s != "no goals":
                        out.append(s)
        if len(out) == n_before:
            raise DataError(f"{p}: no records with 'state_pp' (or LeanDojo 'traced_tactics') found")
    return [s for s in out if s]
