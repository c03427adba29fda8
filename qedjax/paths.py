"""Checks on output paths, made before a command creates anything (stdlib only).

An output that is an existing directory where a file is needed (or the reverse), or a path through an
existing file, is refused with one line naming the path, instead of an ``OSError`` halfway through a run.
"""

from __future__ import annotations

from pathlib import Path

from qedjax.errors import DataError


def _check_parents(p: Path, what: str) -> None:
    for parent in p.parents:
        if parent.exists():
            if not parent.is_dir():
                raise DataError(f"{what} {p}: {parent} is a file, not a directory")
            return


def check_output_file(path: str | Path, what: str = "--output") -> Path:
    """``path`` can be written as a file: it is not a directory and no existing ancestor is a file."""
    p = Path(path)
    if p.is_dir():
        raise DataError(f"{what} {p}: is a directory; expected a file name")
    _check_parents(p, what)
    return p


def check_output_dir(path: str | Path, what: str = "--output") -> Path:
    """``path`` can be used as a directory: it is not an existing file and no existing ancestor is a file."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise DataError(f"{what} {p}: is a file; expected a directory")
    _check_parents(p, what)
    return p


def missing_dirs(path: str | Path) -> list[Path]:
    """The ancestors of ``path`` that do not exist yet, outermost first (what ``mkdir(parents=True)``
    on its parent would create), so that a failed start can remove exactly what it created."""
    out = []
    for parent in Path(path).parents:
        if parent.exists():
            break
        out.append(parent)
    return out[::-1]


def remove_empty_dirs(dirs: list[Path]) -> None:
    """Remove ``dirs`` (outermost first, as :func:`missing_dirs` returns them) innermost first, while
    they are empty."""
    for d in reversed(dirs):
        try:
            d.rmdir()
        except OSError:
            return
