"""Checks on output paths, made before a command creates anything (stdlib only).

:func:`check_output` is the one check every command that writes makes before it writes: an output that
is an existing directory where a file is needed (or the reverse), a path through an existing file, one
of the command's own inputs (whatever ``--overwrite`` says), an existing file without ``--overwrite``,
or a non-empty folder that the command did not make, is refused with one line naming the path, instead
of an ``OSError`` halfway through a run or a user's file replaced.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, Iterable

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


def _special(p: Path) -> bool:
    """Whether ``p`` exists as something other than a regular file or a folder (``/dev/null``, a FIFO):
    an atomic write renames over it, which would replace the device or the pipe itself."""
    try:
        mode = p.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _inside(child: Path, folder: Path) -> bool:
    try:
        child, folder = child.resolve(), folder.resolve()
    except OSError:
        return False
    return folder in child.parents


def check_output(path: str | Path, *, kind: str = "file", what: str = "--output",
                 inputs: Iterable[tuple[str, str | Path]] = (), overwrite: bool | None = None,
                 owned: Callable[[Path], bool] | None = None, owner: str = "", replaces: bool = False) -> Path:
    """Refuse an output that would destroy what the user has, before anything is written.

    ``kind``: "file" or "dir". ``inputs``: (option, path) pairs the command reads; the output may not be
    one of them nor lie inside one (a checkpoint folder), even with ``--overwrite``. ``overwrite``:
    False refuses an existing output (None: the command decides, e.g. ``--resume``). ``owned``: for a
    folder, whether an existing non-empty folder is one this command made (``owner`` names such
    folders in the message); other non-empty folders are refused. ``replaces``: the command replaces the
    folder whole (a model directory swapped in at once), so no input may lie inside it either."""
    raw = str(path)
    if not raw.strip():
        raise DataError(f"{what} is empty; give a {'file' if kind == 'file' else 'folder'} name")
    p = Path(path)
    if kind == "file" and (raw.endswith(("/", os.sep)) or p.name in ("", ".", "..")):
        raise DataError(f"{what} {raw}: names a folder; give a file name")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise DataError(f"{what} {raw!r}: a name with a control character (a newline, a tab, ...); "
                        "give a plain name")
    if kind == "file" and _special(p):
        raise DataError(f"{what} {p}: is a special file (a pipe, socket or device), never replaced: "
                        "outputs are written as regular files; give a file name")
    (check_output_file if kind == "file" else check_output_dir)(p, what)
    for option, other in inputs:
        other = Path(other)
        if _same(p, other):
            raise DataError(f"{what} {p} is also an input ({option} {other}); write to another path "
                            "(an input is never replaced, even with --overwrite)")
        if other.is_dir() and _inside(p, other):
            raise DataError(f"{what} {p} lies inside the input {option} {other}; write to another path")
        if replaces and kind == "dir" and p.is_dir() and _inside(other, p):
            raise DataError(f"{what} {p} holds the input {option} {other}, and writing it replaces the folder "
                            "whole; write to another folder or move the input out (an input is never replaced)")
    if kind == "file" and overwrite is False and p.exists():
        raise DataError(f"{what} {p} exists; pass --overwrite to replace it")
    if kind == "dir" and owned is not None and p.is_dir() and any(p.iterdir()) and not owned(p):
        raise DataError(f"{what} {p} is a folder that is not empty and holds no {owner or 'run of this command'};"
                        " choose a new or empty folder")
    return p
