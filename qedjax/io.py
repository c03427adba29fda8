"""One atomic-write helper for every file qedjax writes (temp file in the same directory + rename),
and one JSON reader whose every failure is a one-line :class:`~qedjax.errors.DataError`.

A reader never sees a half-written file and a kill never destroys the previous version. Temp names are
hidden and unique per process (``.NAME.tmp-PID``) so concurrent writers cannot collide; a failed write
removes its temp file. Error messages name the destination, never the temp file.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import socket
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from qedjax.errors import DataError
from qedjax.paths import missing_dirs, remove_empty_dirs

try:
    import fcntl
except ImportError:  # not POSIX: locks fall back on the pid in the lock file
    fcntl = None


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


BOM = "\ufeff"


_MAGIC = ((b"\x1f\x8b", "gzip-compressed"), (b"(\xb5/\xfd", "zstd-compressed"), (b"BZh", "bzip2-compressed"),
          (b"\xfd7zXZ\x00", "xz-compressed"), (b"PK\x03\x04", "a zip archive"), (b"PAR1", "a Parquet file"))


def not_text(path: str | Path, e: UnicodeDecodeError) -> str:
    """Why ``path`` failed to decode, for a one-line message: ``not UTF-8 text (byte N)``, and what the
    file is where its first bytes say (a compressed file, a Parquet file given where text is read)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        head = b""
    kind = next((what for magic, what in _MAGIC if head.startswith(magic)), None)
    return f"not UTF-8 text (byte {e.start})" + (f": it is {kind}" + ("; decompress it first" if
                                                                      "compressed" in kind else "")
                                                 if kind else "")


def read_text(path: str | Path) -> str:
    """A UTF-8 text file's text, without the byte-order mark some editors put first (it is no character
    of the text: left in, it glues onto the first token, so a JSON file fails at column 1 and a ``.lean``
    file's first declaration is not seen). Raises ``UnicodeDecodeError`` / ``OSError`` as ``read_text``."""
    text = Path(path).read_text(encoding="utf-8")
    return text[1:] if text.startswith(BOM) else text


def jsonl_lines(text: str) -> list[str]:
    """The lines of JSON Lines text: split at ``\n`` only (a ``\r`` before it dropped). ``str.splitlines``
    also splits at U+2028, U+2029 and U+0085, which JSON leaves unescaped inside strings, so a record
    holding one was cut in two."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def read_json(path: str | Path, *, lines: bool = False) -> Any:
    """The JSON value in ``path`` (``lines``: a list of one value per non-empty line, JSON Lines).

    A leading UTF-8 byte-order mark (what some Windows editors write) is skipped, as RFC 8259 allows.
    Missing, a directory, unreadable, not UTF-8, not JSON or nested too deeply: one DataError line naming
    the file (and the line for JSON Lines). Callers check the value's shape themselves."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"file not found: {p}")
    if p.is_dir():
        raise DataError(f"{p}: expected a file, got a directory")
    try:
        text = read_text(p)
    except UnicodeDecodeError as e:
        raise DataError(f"{p}: {not_text(p, e)}") from None
    except OSError as e:
        raise DataError(f"{p}: cannot read ({e.strerror or e})") from None
    if not lines:
        return _parse(p, text, None)
    return [_parse(p, line, n) for n, line in enumerate(jsonl_lines(text), 1) if line.strip()]


def _parse(p: Path, text: str, lineno: int | None) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"line {e.lineno} column {e.colno}" if lineno is None else f"line {lineno}"
        raise DataError(f"{p}: not valid JSON ({e.msg} at {where})") from None
    except RecursionError:
        raise DataError(f"{p}: JSON nested too deeply") from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        where = "" if lineno is None else f" (line {lineno})"
        raise DataError(f"{p}: a string holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF){where}, which is "
                        "no character: it cannot be written back as UTF-8 text")
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a string (value or key) in a parsed JSON value is not encodable as UTF-8: ``json`` turns
    an unpaired ``\\ud800`` escape into a lone surrogate, which every later write refuses."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


# -- one writer per output ------------------------------------------------------------------------

def lock_path(output: str | Path) -> Path:
    """The lock file of ``output``: hidden, beside it (``.NAME.lock``), for files and folders alike."""
    output = Path(output)
    if output.name in ("", ".", ".."):  # "", "." or "..": the folder it names, by its own name
        output = Path(os.path.abspath(output))
        if not output.name:
            raise DataError(f"{output}: the root folder cannot be an output; give a folder inside it")
    return output.with_name(f".{output.name}.lock")


class OutputLock:
    """An exclusive claim on one output (a file or a folder) by one process.

    The lock file beside the output holds the holder's pid, host and command; the claim itself is an
    ``flock`` on it, which the kernel drops when the holder exits however it exits, so a lock file left
    by a killed run is stale by construction and is taken over. A second claim while the holder lives
    raises :class:`~qedjax.errors.DataError` naming the holder. Where the file system has no ``flock``,
    the pid in the file decides (a dead pid on this host is stale)."""

    def __init__(self, output: str | Path, what: str = "--output"):
        self.output, self.what = Path(output), what
        self.path = lock_path(self.output)
        self.fd: int | None = None
        self.stale: dict | None = None  # what a stale lock file said, when one was taken over
        self._created_dirs: list[Path] = []

    def acquire(self) -> OutputLock:
        self._created_dirs = missing_dirs(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._acquire()
        except OSError as e:  # a folder this user cannot write, a name too long: about the output, not
            remove_empty_dirs(self._created_dirs)  # the hidden lock file beside it
            folder = Path(e.filename).parent if e.filename else self.path.parent  # the one not written
            if e.errno == errno.ENAMETOOLONG:
                raise DataError(f"{self.what} {self.output}: the name is too long for the file system (qed "
                                "writes hidden files beside it named after it); choose a shorter name") from None
            raise DataError(f"{self.what} {self.output}: cannot write in {folder} "
                            f"({e.strerror or type(e).__name__})") from None

    def _acquire(self) -> OutputLock:
        for _ in range(100):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                locked = _flock(fd)
            except BaseException:
                os.close(fd)
                raise
            if locked is False:
                holder = _read_holder(fd)
                for _ in range(10):  # the holder writes its pid just after it takes the lock
                    if holder:
                        break
                    time.sleep(0.05)
                    holder = _read_holder(fd)
                os.close(fd)
                raise DataError(f"{self.what} {self.output} is in use by another qed run ({_describe(holder)}); "
                                "wait for it to finish or stop it, or choose another output")
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:  # the holder released (and removed) it between our open and our lock: again
                os.close(fd)
                continue
            previous = _read_holder(fd)
            if locked is None and previous and previous.get("pid") != os.getpid() and _alive(previous):
                os.close(fd)
                raise DataError(f"{self.what} {self.output} is in use by another qed run "
                                f"({_describe(previous)}); wait for it to finish or stop it, or choose another "
                                "output")
            self.stale = previous or None
            _write_holder(fd)
            self.fd = fd
            return self
        raise DataError(f"{self.what} {self.output}: could not take its lock file {self.path}")

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # while still holding it: a waiting claimant sees the change
        except OSError:
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass
        self.fd = None
        remove_empty_dirs(self._created_dirs)

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _flock(fd: int) -> bool | None:
    """True: locked; False: held by another process; None: this file system cannot lock."""
    if fcntl is None:  # not POSIX
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError as e:
        if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        if e.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
            return None
        raise


def _read_holder(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 65536).decode("utf-8", errors="replace") or "{}")
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, RecursionError):
        return {}


def _write_holder(fd: int) -> None:
    info = {"pid": os.getpid(), "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "command": " ".join(["qed", *sys.argv[1:]])[:500]}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, (json.dumps(info) + "\n").encode("utf-8"))


def _alive(holder: dict) -> bool:
    """Whether the process named in a lock file may still run (another host's cannot be checked)."""
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if holder.get("host") not in (None, socket.gethostname()):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(holder: dict) -> str:
    if not holder:
        return "holder unknown"
    parts = [f"pid {holder.get('pid')}"]
    if holder.get("host"):
        parts.append(f"on {holder['host']}")
    if holder.get("started"):
        parts.append(f"since {holder['started']}")
    text = " ".join(parts)
    if holder.get("command"):
        text += f": {holder['command']}"
    return text
