"""Run search over many theorems: per-theorem atomic flushes, resume, worker processes.

Layout beside OUTPUT (a trajectory Parquet):

* ``OUTPUT.parts/NNNNNN.parquet`` — one file per finished theorem: the worker that searched it
  encodes the Parquet bytes, the main process writes them atomically (workers need no shared file
  system, and the main process does little per theorem);
* ``OUTPUT.theorems.jsonl`` — one line per finished theorem (the eval row), appended by the main
  process only after that theorem's part is on disk. It is the record of what is finished;
* ``OUTPUT.fingerprint.json`` — the run's fingerprint (search config, theorem source, parts), written
  before anything else; ``resume`` refuses a run whose fingerprint differs (see
  :mod:`qedjax.search.fingerprint`), and checks it before any executor starts.

A kill loses at most the theorems in flight. ``resume`` skips finished theorems and, at the end,
merges OUTPUT (from an earlier completed run), the parts and nothing twice into OUTPUT atomically.
The output path, and with the in-process executor the parts themselves, are validated before the first
file is created; a start that fails before finishing any theorem (workers that cannot build their
parts, an interrupt) removes what it created, so the corrected command runs as it is.
The factory builds (environment, policy, scorer, oracle) once per worker; it must be picklable
(a top-level function or ``functools.partial`` of one) when ``workers > 1``. Where the workers run
(this process, local processes, Ray actors) is the ``executor``'s business
(:mod:`qedjax.search.executors`); the flush and resume rules here hold for every executor.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Callable, Sequence

from qedjax.data.trajectory import METADATA_KEY, schema, trajectory_bytes
from qedjax.errors import DataError
from qedjax.interfaces import Theorem
from qedjax.io import atomic_write, jsonl_lines
from qedjax.paths import check_output_file, missing_dirs, remove_empty_dirs
from qedjax.search import fingerprint as fingerprints
from qedjax.search.config import SearchConfig
from qedjax.search.engine import search_many
from qedjax.search.executors import Executor, InProcess, resolve
from qedjax.search.records import theorem_row, to_records
from qedjax.search.tree import SearchResult, SearchStats


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


def run_exists(output: Path) -> bool:
    """Whether ``output`` or anything a run keeps beside it exists (a run to resume or to refuse)."""
    output = Path(output)
    parts_dir, rows_path = paths_for(output)
    return any(p.exists() for p in (output, parts_dir, rows_path, fingerprints.fingerprint_path(output)))


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


_COUNTS = ("index", "nodes_expanded", "nodes_generated", "wall_time_ms")


def finished_row(row) -> bool:
    """Whether ``row`` is a finished theorem's record: its theorem and verdict, and each field the
    results are computed from that it holds of the type the runner writes; anything else is redone, as
    a line cut short by a kill is."""
    return (isinstance(row, dict) and isinstance(row.get("theorem"), str) and isinstance(row.get("proved"), bool)
            and all(_count(row[k]) for k in _COUNTS if k in row)
            and (row.get("expansions_to_proof") is None or _count(row["expansions_to_proof"]))
            and isinstance(row.get("proof", []), list) and all(isinstance(t, str) for t in row.get("proof", [])))


def read_rows(rows_path: Path) -> list[dict]:
    rows = []
    if rows_path.exists():
        for line in jsonl_lines(rows_path.read_text(encoding="utf-8", errors="replace")):
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                continue  # a line cut short by a kill: that theorem is redone
            if finished_row(row):
                rows.append(row)
    return rows


# -- worker side ---------------------------------------------------------------------------------

def _failed_row(index: int, theorem: Theorem, msg: str) -> dict:
    return {"index": index, "theorem": theorem.name, "proved": False, "proof": [],
            "proof_length": None, "nodes_expanded": 0, "nodes_generated": 0,
            "expansions_to_proof": None, "wall_time_ms": 0, "failure_reason": msg}


def _finished(index: int, theorem: Theorem, result, config: SearchConfig, oracle
              ) -> tuple[dict, dict, bytes | None]:
    """(eval row, stats, the theorem's trajectory part as Parquet bytes — None when it failed)."""
    if isinstance(result, BaseException):  # could not start, or crashed: record and go on
        e = result
        msg = f"error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".strip()
        return _failed_row(index, theorem, msg), SearchStats().summary(), None
    part = trajectory_bytes(to_records(result, oracle), {"theorem": theorem.name,
                                                         "config": dataclasses.asdict(config)})
    return theorem_row(result, {"index": index}), _stats_payload(result), part


def search_group(parts, item) -> list[tuple[dict, dict, bytes | None]]:
    """A group of theorems on a worker, ``config.concurrent_theorems`` in flight at a time with their
    value calls pooled (:func:`~qedjax.search.engine.search_many`); one result per theorem."""
    group, config = item
    env, policy, scorer, oracle = parts
    out = [_finished(group[k][0], theorem, result, config, oracle)
           for k, theorem, result in search_many([t for _, t in group], env, policy, scorer, config,
                                                 config.concurrent_theorems)]
    _flush(scorer)
    return out


def lost_group(item, reason: str) -> list[tuple[dict, dict, None]]:
    """The results of the theorems whose worker died while searching them."""
    group, _ = item
    return [(_failed_row(index, theorem, f"error: worker lost: {reason}"), SearchStats().summary(), None)
            for index, theorem in group]


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
               progress: Callable[[dict], None] | None = None,
               executor: Executor | str | None = None, fingerprint: dict | None = None) -> RunSummary:
    """Search ``theorems`` into ``output``. ``fingerprint`` (see :mod:`qedjax.search.fingerprint`) is
    stored with a new run and must match the stored one on ``resume``."""
    output = Path(output)
    executor = resolve(executor, workers)
    parts_dir, rows_path = paths_for(output)
    check_output_file(output)
    existing = run_exists(output)
    if existing and not resume:
        raise DataError(f"{output}: an earlier run's results exist; pass --resume to continue it "
                        "or choose another --output")
    if existing and fingerprint is not None:
        fingerprints.check(output, fingerprint)  # before any executor starts
    done_rows = read_rows(rows_path) if resume else []
    done = {r["theorem"] for r in done_rows}
    todo = [(i, t) for i, t in enumerate(theorems) if t.name not in done]
    in_process = isinstance(executor, InProcess)
    parts = factory() if in_process and todo else None  # validated before any file exists
    new_dirs = missing_dirs(output)
    created = [p for p in (fingerprints.fingerprint_path(output), parts_dir, rows_path) if not p.exists()]
    stats = SearchStats()
    new_rows: list[dict] = []
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if fingerprint is not None and not fingerprints.fingerprint_path(output).exists():
            fingerprints.write(output, fingerprint)
        parts_dir.mkdir(parents=True, exist_ok=True)
        with open(rows_path, "a", encoding="utf-8") as rows_file:
            def finish(row: dict, payload: dict, part: bytes | None) -> None:
                if part is not None:  # the part first: a row on disk means its trajectory is too
                    atomic_write(parts_dir / f"{row['index']:06d}.parquet", lambda tmp: tmp.write_bytes(part))
                rows_file.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows_file.flush()
                os.fsync(rows_file.fileno())
                new_rows.append(row)
                stats.merge(_stats_from(payload))
                if progress is not None:
                    progress(row)

            if in_process:
                # this process is the worker: flush each theorem the moment it finishes
                if todo:
                    env, policy, scorer, oracle = parts
                    for k, theorem, result in search_many([t for _, t in todo], env, policy, scorer, config,
                                                          config.concurrent_theorems):
                        finish(*_finished(todo[k][0], theorem, result, config, oracle))
                    _flush(scorer)
            else:
                size = max(1, config.concurrent_theorems)  # a worker's unit of work: theorems searched together
                groups = [(todo[g:g + size], config) for g in range(0, len(todo), size)]
                for results in executor.imap(factory, search_group, groups, lost_group):
                    for result in results:
                        finish(*result)
    except BaseException:
        if not existing:
            _remove_failed_start(output, created, new_dirs)
        raise
    full_meta = dict(metadata or {})
    if fingerprint is not None:
        full_meta["fingerprint"] = fingerprints.normalise(fingerprint)
    merge_outputs(output, full_meta)
    wanted = {t.name for t in theorems}
    rows = [r for r in done_rows + new_rows if r["theorem"] in wanted]
    rows.sort(key=lambda r: r.get("index", 0))
    return RunSummary(rows, stats, skipped=len(theorems) - len(todo))


def _remove_failed_start(output: Path, created: list[Path], new_dirs: list[Path]) -> None:
    """Remove what a fresh start created, if it finished no theorem: nothing then blocks the rerun."""
    parts_dir, rows_path = paths_for(output)
    finished = (rows_path.exists() and rows_path.stat().st_size > 0) or (
        parts_dir.is_dir() and any(parts_dir.glob("*.parquet")))
    if finished:
        return
    for p in created:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        elif p.exists():
            p.unlink(missing_ok=True)
    remove_empty_dirs(new_dirs)


def merge_outputs(output: Path, metadata: dict) -> None:
    """OUTPUT (earlier complete run) + parts → OUTPUT, atomically; theorems never duplicated."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts_dir, _ = paths_for(output)
    tables = []
    have: set[str] = set()

    def read(path: Path, what: str):
        try:
            return pq.read_table(path).select(schema().names).cast(schema())
        except (pa.ArrowException, OSError, KeyError, UnicodeDecodeError) as e:
            raise DataError(f"{output}: cannot merge the results: {what} is damaged ({type(e).__name__}); "
                            "search again into another --output") from None

    if output.exists():
        t = read(output, "the existing output")
        tables.append(t)
        have = set(t.column("theorem_name").to_pylist())
    for part in sorted(parts_dir.glob("*.parquet")) if parts_dir.exists() else []:
        t = read(part, "a finished theorem's part")
        names = set(t.column("theorem_name").to_pylist())
        if names & have:
            continue  # already merged before a crash removed the parts
        have |= names
        tables.append(t)
    table = pa.concat_tables(tables) if tables else schema().empty_table()
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(metadata, sort_keys=True,
                                                                    default=str).encode()})
    atomic_write(output, lambda tmp: pq.write_table(table, tmp))
    if parts_dir.exists():
        shutil.rmtree(parts_dir)
