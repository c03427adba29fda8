"""One atomic-write helper for every file qedjax writes (temp file in the same directory + rename),
and one JSON reader whose every failure is a one-line :class:`~qedjax.errors.DataError`.

A reader never sees a half-written file and a kill never destroys the previous version. Temp names are
hidden and unique per process (``.NAME.tmp-PID``) so concurrent writers cannot collide; a failed write
removes its temp file. Error messages name the destination, never the temp file.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from qedjax.errors import DataError


def _tmp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    Use for writers that want a file name (``pq.write_table(table, tmp)``, ``np.savez``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_for(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write(path: str | Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp_path)`` and move the result onto ``path`` atomically."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def atomic_write_json(path: str | Path, obj: Any, *, indent: int | None = 1, sort_keys: bool = True
                      ) -> Path:
    """JSON (UTF-8, non-ASCII kept, ``default=str`` for paths and the like), written atomically."""
    text = json.dumps(obj, indent=indent, sort_keys=sort_keys, ensure_ascii=False, default=str) + "\n"
    return atomic_write_text(path, text)


def atomic_write_lines(path: str | Path, lines: Iterator[str] | list[str]) -> Path:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line.rstrip("\n") + "\n")

    return atomic_write(path, write)


def read_json(path: str | Path, *, lines: bool = False) -> Any:
    """The JSON value in ``path`` (``lines``: a list of one value per non-empty line, JSON Lines).

    Missing, a directory, unreadable, not UTF-8, not JSON or nested too deeply: one DataError line naming
    the file (and the line for JSON Lines). Callers check the value's shape themselves."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"file not found: {p}")
    if p.is_dir():
        raise DataError(f"{p}: expected a file, got a directory")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{p}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise DataError(f"{p}: cannot read ({e.strerror or e})") from None
    if not lines:
        return _parse(p, text, None)
    return [_parse(p, line, n) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _parse(p: Path, text: str, lineno: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        where = f"line {e.lineno} column {e.colno}" if lineno is None else f"line {lineno}"
        raise DataError(f"{p}: not valid JSON ({e.msg} at {where})") from None
    except RecursionError:
        raise DataError(f"{p}: JSON nested too deeply") from None
