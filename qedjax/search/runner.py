"""Run search over many theorems: per-theorem atomic flushes, resume, worker processes.

Layout beside OUTPUT (a trajectory Parquet):

* ``OUTPUT.parts/NNNNNN.parquet`` — one file per finished theorem, written atomically by whoever
  searched it (a worker or the main process);
* ``OUTPUT.theorems.jsonl`` — one line per finished theorem (the eval row), appended by the main
  process only after that theorem's part is on disk. It is the record of what is finished.

A kill loses at most the theorems in flight. ``resume`` skips finished theorems and, at the end,
merges OUTPUT (from an earlier completed run), the parts and nothing twice into OUTPUT atomically.
The factory builds (environment, policy, scorer, oracle) once per process; it must be picklable
(a top-level function or ``functools.partial`` of one) when ``workers > 1``.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing as mp
import os
import shutil
from pathlib import Path
from typing import Callable, Sequence

from qedjax.errors import DataError
from qedjax.interfaces import Theorem
from qedjax.io import atomic_write
from qedjax.search.config import SearchConfig
from qedjax.search.engine import SearchResult, SearchStats, search_many
from qedjax.search.records import theorem_row, to_records


@dataclasses.dataclass
class RunSummary:
    rows: list[dict]
    stats: SearchStats
    skipped: int  # finished in an earlier run (resume)

    @property
    def solved(self) -> int:
        return sum(r["proved"] for r in self.rows)


def paths_for(output: Path) -> tuple[Path, Path]:
    return output.with_name(output.name + ".parts"), output.with_name(output.name + ".theorems.jsonl")


def read_rows(rows_path: Path) -> list[dict]:
    rows = []
    if rows_path.exists():
        for line in rows_path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a kill: that theorem is redone
    return rows


# -- worker side ---------------------------------------------------------------------------------

_PARTS = None


def _init_worker(factory) -> None:
    global _PARTS
    _PARTS = factory()


def _record(index: int, theorem: Theorem, result, config: SearchConfig, parts_dir: str, oracle
            ) -> tuple[dict, dict]:
    """Write one finished theorem's part file and return (its eval row, its stats payload)."""
    if isinstance(result, BaseException):  # could not start, or crashed: record and go on
        e = result
        msg = f"error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".strip()
        row = {"index": index, "theorem": theorem.name, "proved": False, "proof": [],
               "proof_length": None, "nodes_expanded": 0, "nodes_generated": 0,
               "expansions_to_proof": None, "wall_time_ms": 0, "failure_reason": msg}
        return row, SearchStats().summary()
    from qedjax.data.trajectory import write_trajectory

    write_trajectory(Path(parts_dir) / f"{index:06d}.parquet", to_records(result, oracle),
                     {"theorem": theorem.name, "config": dataclasses.asdict(config)})
    return theorem_row(result, {"index": index}), _stats_payload(result)


def _search_group(args) -> list[tuple[dict, dict]]:
    """Search a group of (index, theorem) items in this process, ``config.concurrent_theorems`` at a
    time with pooled value calls; each finished theorem's part is written as soon as it finishes."""
    items, config, parts_dir = args
    env, policy, scorer, oracle = _PARTS
    out = []
    for k, theorem, result in search_many([t for _, t in items], env, policy, scorer, config,
                                          config.concurrent_theorems):
        out.append(_record(items[k][0], theorem, result, config, parts_dir, oracle))
    _flush(scorer)
    return out


def _flush(scorer) -> None:
    """Let a scorer persist what it computed (e.g. new embeddings for the next round), if it can."""
    flush = getattr(scorer, "flush", None)
    if flush is not None:
        flush()


def _stats_payload(result: SearchResult) -> dict:
    s = result.stats
    d = dataclasses.asdict(s)
    return d


def _stats_from(payload: dict) -> SearchStats:
    fields = {f.name for f in dataclasses.fields(SearchStats)}
    return SearchStats(**{k: v for k, v in payload.items() if k in fields})


# -- main side -----------------------------------------------------------------------------------

def run_search(theorems: Sequence[Theorem], factory: Callable, config: SearchConfig, output: Path, *,
               resume: bool = False, workers: int = 1, metadata: dict | None = None,
               progress: Callable[[dict], None] | None = None) -> RunSummary:
    output = Path(output)
    parts_dir, rows_path = paths_for(output)
    existing = output.exists() or parts_dir.exists() or rows_path.exists()
    if existing and not resume:
        raise DataError(f"{output} (or its .parts/.theorems.jsonl) exists; pass --resume to continue "
                        "or choose another --output")
    done_rows = read_rows(rows_path) if resume else []
    done = {r["theorem"] for r in done_rows}
    output.parent.mkdir(parents=True, exist_ok=True)
    parts_dir.mkdir(parents=True, exist_ok=True)
    todo = [(i, t) for i, t in enumerate(theorems) if t.name not in done]
    stats = SearchStats()
    new_rows: list[dict] = []
    with open(rows_path, "a", encoding="utf-8") as rows_file:
        def finish(row: dict, payload: dict) -> None:
            rows_file.write(json.dumps(row, ensure_ascii=False) + "\n")
            rows_file.flush()
            os.fsync(rows_file.fileno())
            new_rows.append(row)
            stats.merge(_stats_from(payload))
            if progress is not None:
                progress(row)

        if workers <= 1:
            global _PARTS
            _PARTS = factory()
            env, policy, scorer, oracle = _PARTS
            for k, theorem, result in search_many([t for _, t in todo], env, policy, scorer, config,
                                                  config.concurrent_theorems):
                finish(*_record(todo[k][0], theorem, result, config, str(parts_dir), oracle))
            _flush(scorer)
        elif todo:
            size = max(1, config.concurrent_theorems)
            groups = [(todo[g:g + size], config, str(parts_dir)) for g in range(0, len(todo), size)]
            ctx = mp.get_context("spawn")
            with ctx.Pool(workers, initializer=_init_worker, initargs=(factory,)) as pool:
                for done_group in pool.imap_unordered(_search_group, groups):
                    for row, payload in done_group:
                        finish(row, payload)
    merge_outputs(output, metadata or {})
    wanted = {t.name for t in theorems}
    rows = [r for r in done_rows + new_rows if r["theorem"] in wanted]
    rows.sort(key=lambda r: r.get("index", 0))
    return RunSummary(rows, stats, skipped=len(theorems) - len(todo))


def merge_outputs(output: Path, metadata: dict) -> None:
    """OUTPUT (earlier complete run) + parts → OUTPUT, atomically; theorems never duplicated."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from qedjax.data.trajectory import METADATA_KEY, schema

    parts_dir, _ = paths_for(output)
    tables = []
    have: set[str] = set()
    if output.exists():
        t = pq.read_table(output)
        tables.append(t.select(schema().names).cast(schema()))
        have = set(t.column("theorem_name").to_pylist())
    for part in sorted(parts_dir.glob("*.parquet")) if parts_dir.exists() else []:
        t = pq.read_table(part)
        names = set(t.column("theorem_name").to_pylist())
        if names & have:
            continue  # already merged before a crash removed the parts
        have |= names
        tables.append(t.select(schema().names).cast(schema()))
    table = pa.concat_tables(tables) if tables else schema().empty_table()
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(metadata, sort_keys=True,
                                                                    default=str).encode()})
    atomic_write(output, lambda tmp: pq.write_table(table, tmp))
    if parts_dir.exists():
        shutil.rmtree(parts_dir)
