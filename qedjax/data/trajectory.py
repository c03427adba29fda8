"""Trajectory Parquet: column-compatible with burn-qed (reads its 12- and 14-column files).

Columns (burn-qed types): ``theorem_name`` utf8, ``state_id`` uint64 (arena index), ``state_pp`` utf8
(``""`` for terminal nodes), ``tactic_applied`` utf8, ``parent_state_id`` uint64 (null at the root),
``label`` utf8 (positive|negative|unknown), ``depth_from_root`` uint32, ``remaining_depth`` int32
(−1 off the proof path), ``llm_log_prob`` float64, ``ebm_score`` float64 (−energy; **null** when not
scored), ``is_proof_complete`` bool, ``timestamp_ms`` uint64 (node creation), ``q_value`` float64,
``visits`` uint32, plus ``num_goals`` uint32 and ``oracle_provable`` bool (null without an oracle).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from qedjax.errors import DataError
from qedjax.io import atomic_write

LABELS = ("positive", "negative", "unknown")
BURNQED_COLUMNS = (
    "theorem_name", "state_id", "state_pp", "tactic_applied", "parent_state_id", "label",
    "depth_from_root", "remaining_depth", "llm_log_prob", "ebm_score", "is_proof_complete",
    "timestamp_ms",
)
OPTIONAL_COLUMNS = ("q_value", "visits", "num_goals", "oracle_provable")
METADATA_KEY = b"qedjax.trajectory"


def schema():
    import pyarrow as pa

    return pa.schema([
        pa.field("theorem_name", pa.utf8(), nullable=False),
        pa.field("state_id", pa.uint64(), nullable=False),
        pa.field("state_pp", pa.utf8(), nullable=False),
        pa.field("tactic_applied", pa.utf8(), nullable=False),
        pa.field("parent_state_id", pa.uint64(), nullable=True),
        pa.field("label", pa.utf8(), nullable=False),
        pa.field("depth_from_root", pa.uint32(), nullable=False),
        pa.field("remaining_depth", pa.int32(), nullable=False),
        pa.field("llm_log_prob", pa.float64(), nullable=False),
        pa.field("ebm_score", pa.float64(), nullable=True),
        pa.field("is_proof_complete", pa.bool_(), nullable=False),
        pa.field("timestamp_ms", pa.uint64(), nullable=False),
        pa.field("q_value", pa.float64(), nullable=True),
        pa.field("visits", pa.uint32(), nullable=True),
        pa.field("num_goals", pa.uint32(), nullable=True),
        pa.field("oracle_provable", pa.bool_(), nullable=True),
    ])


def trajectory_table(records: Sequence[dict], metadata: dict | None = None):
    """Records (dicts keyed by column name) → an Arrow table with the trajectory schema."""
    import pyarrow as pa

    sch = schema()
    for r in records:
        if r.get("label") not in LABELS:
            raise DataError(f"invalid label {r.get('label')!r} (expected one of {LABELS})")
    cols = {f.name: [r.get(f.name) for r in records] for f in sch}
    table = pa.Table.from_pydict(cols, schema=sch)
    meta = dict(sch.metadata or {})
    if metadata:
        meta[METADATA_KEY] = json.dumps(metadata, sort_keys=True).encode()
    return table.replace_schema_metadata(meta)


def write_trajectory(path: str | Path, records: Sequence[dict], metadata: dict | None = None) -> None:
    """Write records (dicts keyed by column name) atomically (temp file + rename)."""
    import pyarrow.parquet as pq

    table = trajectory_table(records, metadata)
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def trajectory_bytes(records: Sequence[dict], metadata: dict | None = None) -> bytes:
    """The Parquet file :func:`write_trajectory` would write, in memory: a search worker encodes its
    part where it ran and the process that owns the output only stores the bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(trajectory_table(records, metadata), sink)
    return sink.getvalue().to_pybytes()


def read_table(paths: Iterable[str | Path]):
    """Concatenate trajectory files into one Arrow table with the full schema (burn-qed's 12/14-column
    files get null optional columns)."""
    import pyarrow as pa

    return pa.concat_tables(_read_tables(paths))


def _read_tables(paths: Iterable[str | Path]) -> list:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    paths = [Path(p) for p in paths]
    check_distinct(paths, "trajectory file")
    for p in paths:
        if not p.exists():
            raise DataError(f"trajectory file not found: {p}")
        if p.is_dir():
            raise DataError(f"{p}: expected a trajectory file, got a directory")
        try:
            t = pq.read_table(p)
            t.validate(full=True)  # e.g. invalid UTF-8 in a string column, caught here and not later
        except (pa.ArrowException, OSError, UnicodeDecodeError) as e:
            first = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            raise DataError(f"{p}: not a readable Parquet file ({first})") from None
        missing = [c for c in BURNQED_COLUMNS if c not in t.column_names]
        if missing:
            raise DataError(f"{p}: not a trajectory file, missing column(s) {', '.join(missing)}")
        cols = {}
        for f in schema():
            if f.name in t.column_names:
                try:
                    cols[f.name] = t.column(f.name).cast(f.type)
                except (pa.ArrowException, ValueError, TypeError):
                    raise DataError(f"{p}: column '{f.name}' has type {t.schema.field(f.name).type}, "
                                    f"expected {f.type}") from None
                if not f.nullable and cols[f.name].null_count:
                    raise DataError(f"{p}: column '{f.name}' has {cols[f.name].null_count} null values")
            else:
                cols[f.name] = pa.nulls(len(t), f.type)
        table = pa.table(cols)
        check_trajectory(table, p)
        tables.append(table)
    if not tables:
        raise DataError("no trajectory files given")
    return tables


def check_distinct(paths: Sequence[Path], what: str) -> None:
    """Refuse the same file given twice (also under two spellings or through a link): its rows would
    count twice."""
    seen: list[Path] = []
    for p in paths:
        for q in seen:
            try:
                same = os.path.samefile(p, q) if p.exists() and q.exists() else p.resolve() == q.resolve()
            except OSError:
                same = False
            if same:
                raise DataError(f"{p}: this {what} is given twice ({q}, {p}); its rows would count twice: "
                                "give each file once")
        seen.append(p)


def check_trajectory(table, path: Path) -> None:
    """What no search writes, refused with the file's name: no rows, a non-finite log-prob, two rows for
    one (theorem, state id), parent links that form a cycle. (A parent missing from the file is
    allowed: training subsets keep some nodes of a tree and not others.)"""
    n = len(table)
    if n == 0:
        raise DataError(f"{path}: the trajectory file has no rows")
    lp = table.column("llm_log_prob").to_numpy(zero_copy_only=False).astype(np.float64)
    bad = ~np.isfinite(lp)
    if bad.any():
        kinds = sorted({"NaN" if np.isnan(x) else ("+inf" if x > 0 else "-inf") for x in lp[bad]})
        raise DataError(f"{path}: {int(bad.sum())} of {n} rows have a non-finite llm_log_prob "
                        f"({', '.join(kinds)}); a search writes finite log-probs")
    names = np.asarray(table.column("theorem_name").to_pylist(), dtype=object)
    _, thm = np.unique(names.astype(str), return_inverse=True)
    sid = table.column("state_id").to_numpy().astype(np.uint64)
    par_col = table.column("parent_state_id")
    has = ~par_col.is_null().to_numpy(zero_copy_only=False)
    par = par_col.fill_null(0).to_numpy().astype(np.uint64)
    ids, code = np.unique(np.concatenate([sid, par[has]]), return_inverse=True)
    code = code.reshape(-1).astype(np.int64)
    width = len(ids) + 1
    key = thm.astype(np.int64) * width + code[:n]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    dup = np.nonzero(sorted_key[1:] == sorted_key[:-1])[0]
    if len(dup):
        i = order[dup[0]]
        raise DataError(f"{path}: theorem '{names[i]}' has two rows with state_id {int(sid[i])}; state ids "
                        "name one node each")
    parent = np.full(n, -1, np.int64)
    pkey = thm[has].astype(np.int64) * width + code[n:]
    pos = np.searchsorted(sorted_key, pkey)
    found = (pos < n) & (sorted_key[np.minimum(pos, n - 1)] == pkey)
    parent[np.nonzero(has)[0][found]] = order[pos[found]]
    jump = parent  # after k rounds: each node's 2**k-th ancestor (−1 past a root)
    for _ in range(int(np.ceil(np.log2(n + 1))) + 1):
        nxt = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
        if (nxt < 0).all():
            return
        jump = nxt
    on_cycle = jump[np.nonzero(jump >= 0)[0][0]]  # more than n ancestors: a loop
    raise DataError(f"{path}: the parent links of theorem '{names[on_cycle]}' form a cycle (through state_id "
                    f"{int(sid[on_cycle])}); a search tree has none")


def ids_across_files(source: np.ndarray, state_id: np.ndarray, parent_id: np.ndarray,
                     parent_null: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(state_id, parent_state_id) renumbered so that they stay distinct across files: state ids name
    nodes within one file's trees only (two rounds of search reuse them for the same theorem), so
    (file, id) pairs get one new id each. Parents keep pointing into their own file's tree; null
    parents come back as 0 (``parent_null`` still marks them)."""
    has = ~np.asarray(parent_null, bool)
    source = np.asarray(source, np.uint64)
    keys = np.concatenate([np.stack([source, np.asarray(state_id, np.uint64)], 1),
                           np.stack([source[has], np.asarray(parent_id, np.uint64)[has]], 1)])
    _, code = np.unique(keys, axis=0, return_inverse=True)
    code = code.reshape(-1).astype(np.uint64)
    parent = np.zeros(len(has), np.uint64)
    parent[has] = code[len(source):]
    return code[:len(source)], parent


def write_subset(paths: Iterable[str | Path], rows: np.ndarray, output: str | Path,
                 metadata: dict | None = None) -> None:
    """Write rows ``rows`` (indices into the concatenation of ``paths``) to ``output`` atomically.

    When rows come from several files, their ``state_id`` / ``parent_state_id`` are renumbered by
    :func:`ids_across_files`: a node's parent and its siblings remain those of its own tree.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = np.asarray(rows, np.int64)
    tables = _read_tables(paths)
    table = pa.concat_tables(tables).take(rows)
    if len(tables) > 1:
        source = np.repeat(np.arange(len(tables)), [len(t) for t in tables])[rows]
        par_col = table.column("parent_state_id")
        par_null = par_col.is_null().to_numpy(zero_copy_only=False)
        sid, par = ids_across_files(source, table.column("state_id").to_numpy(),
                                    par_col.fill_null(0).to_numpy(), par_null)
        table = table.set_column(table.schema.get_field_index("state_id"), "state_id", pa.array(sid, pa.uint64()))
        table = table.set_column(table.schema.get_field_index("parent_state_id"), "parent_state_id",
                                 pa.array(par, pa.uint64(), mask=par_null))
    meta = {METADATA_KEY: json.dumps(metadata or {}, sort_keys=True).encode()}
    table = table.replace_schema_metadata(meta)
    atomic_write(output, lambda tmp: pq.write_table(table, tmp))


def read_trajectories(paths: Iterable[str | Path]) -> dict[str, np.ndarray]:
    """Read and concatenate trajectory files into numpy columns (missing optional columns → null).

    Returns object arrays for strings, float arrays with NaN for nulls in float columns, and
    ``parent_state_id`` as uint64 with ``parent_state_id_is_null`` beside it, and ``source``: the
    index of the file each row came from. State ids name nodes within one file's trees only (two
    rounds of search reuse them for the same theorem), so when several files are read they are
    renumbered by :func:`ids_across_files`: (theorem, state id) names one node of one tree.
    """
    import pyarrow as pa

    tables = _read_tables(paths)
    table = pa.concat_tables(tables)
    out: dict[str, np.ndarray] = {}
    for name in table.column_names:
        col = table.column(name)
        if name in ("theorem_name", "state_pp", "tactic_applied", "label"):
            out[name] = np.array(col.to_pylist(), dtype=object)
        elif name == "parent_state_id":
            out[name] = col.fill_null(np.iinfo(np.uint64).max).to_numpy().astype(np.uint64)
        elif name in ("llm_log_prob", "ebm_score", "q_value"):
            out[name] = col.cast(pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)
        elif name in ("is_proof_complete", "oracle_provable"):
            out[name] = np.array(col.to_pylist(), dtype=object)
        else:
            out[name] = col.fill_null(0).to_numpy().astype(np.int64)
    out["parent_state_id_is_null"] = (out["parent_state_id"] == np.iinfo(np.uint64).max)
    out["source"] = np.repeat(np.arange(len(tables)), [len(t) for t in tables])
    if len(tables) > 1:
        null = out["parent_state_id_is_null"]
        sid, parent = ids_across_files(out["source"], out["state_id"], out["parent_state_id"], null)
        out["state_id"] = sid.astype(np.int64)
        out["parent_state_id"] = np.where(null, np.iinfo(np.uint64).max, parent).astype(np.uint64)
    bad = set(np.unique(out["label"])) - set(LABELS)
    if bad:
        raise DataError(f"unknown label value(s) {sorted(map(str, bad))} in trajectory files")
    return out
