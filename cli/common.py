"""Shared CLI plumbing: one-line errors, exit codes, interrupts, environment defaults.

Every way a user can make ``qed`` stop early ends the same way: one ``error:`` line on stderr and exit
code 2 (library errors, click's own usage and range errors, unreadable or misplaced files), never a
traceback. Ctrl-C prints what was kept and the exact command that continues the run (exit code 130).
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shlex
import sys
from typing import Callable

import click

from qedjax.errors import QedError

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

# Internal working names never shown to users: atomic-write temp files, per-theorem parts and encode
# shards are reported as the output they belong to.
_INTERNAL = [
    (re.compile(r"(?P<dir>[^\s'\"]*/)?\.(?P<name>[^/\s'\"]+?)\.tmp-\d+"), r"\g<dir>\g<name>"),
    (re.compile(r"(?P<out>[^\s'\"]+?)\.(?:parts|partial)(?:/[^\s'\":;,)]*)?(?=$|[\s'\":;,)])"), r"\g<out>"),
]


def setup_env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def public_text(text: str) -> str:
    """``text`` with internal working paths (``.X.tmp-PID``, ``X.parts/…``, ``X.partial/…``) replaced by
    the output they belong to, on one line."""
    for pattern, repl in _INTERNAL:
        text = pattern.sub(repl, text)
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    return "; ".join(lines)


def fail(message: str, code: int = EXIT_USER_ERROR) -> None:
    click.echo(f"error: {public_text(message)}", err=True)
    sys.exit(code)


def _os_message(e: OSError) -> str:
    where = e.filename if e.filename is not None else ""
    if isinstance(e, FileNotFoundError):
        return f"file not found: {where or e}"
    if isinstance(e, IsADirectoryError):
        return f"expected a file, got a directory: {where or e}"
    if isinstance(e, NotADirectoryError):
        return f"{where}: a part of this path is a file, not a directory"
    if isinstance(e, FileExistsError):
        return f"{where}: exists and is not a directory"
    if isinstance(e, PermissionError):
        return f"permission denied: {where or e}"
    if e.errno == errno.ENOSPC:
        return f"no space left on the device while writing {where}".rstrip()
    return f"{e.strerror or type(e).__name__}: {where}".rstrip(": ")


def user_errors(fn):
    """Turn library errors caused by the user into one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QedError as e:
            fail(str(e) if str(e) else type(e).__name__)
        except OSError as e:
            if e.errno == errno.EPIPE:
                raise
            fail(_os_message(e))
        except UnicodeDecodeError as e:
            fail(f"an input is not UTF-8 text (byte {e.start}: {e.reason})")
        except RecursionError:
            fail("an input is nested too deeply to be read")

    return wrapper


class FiniteFloat(click.FloatRange):
    """A float option that refuses NaN and ±Inf (click's FloatRange lets them through: NaN fails no
    comparison), so that ``--lr inf`` or ``--t-llm nan`` is a usage error, not a NaN checkpoint."""

    name = "float"

    def _describe_range(self) -> str:
        return "" if self.min is None and self.max is None else super()._describe_range()

    def convert(self, value, param, ctx):
        import math

        rv = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(rv):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return super().convert(rv, param, ctx)


def finite(min: float | None = None, max: float | None = None, *, min_open: bool = False,
           max_open: bool = False) -> FiniteFloat:
    return FiniteFloat(min, max, min_open=min_open, max_open=max_open)


# -- interrupts ------------------------------------------------------------------------------------

_interrupt_note: Callable[[], tuple[str, bool]] | None = None
_resume_flag: str | None = "--resume"


def on_interrupt(note: Callable[[], tuple[str, bool]], resume_flag: str | None = "--resume") -> None:
    """Register what an interrupted run keeps: ``note()`` returns (what was kept, whether continuing
    needs ``resume_flag``). Called when the command has validated its inputs and is about to work."""
    global _interrupt_note, _resume_flag
    _interrupt_note, _resume_flag = note, resume_flag


def _report_interrupt(prog_name: str, args: list[str]) -> None:
    kept, resumable = "", False
    if _interrupt_note is not None:
        try:
            kept, resumable = _interrupt_note()
        except Exception:  # noqa: BLE001 - the report must never turn an interrupt into a traceback
            kept, resumable = "", False
    cmd = [prog_name, *args]
    if resumable and _resume_flag and _resume_flag not in args:
        cmd.append(_resume_flag)
    click.echo(f"interrupted{': ' + kept if kept else ''}", err=True)
    click.echo(f"{'continue' if resumable else 'start again'} with: {shlex.join(cmd)}", err=True)


def _usage_line(e: click.ClickException) -> str:
    msg = e.format_message()
    ctx = getattr(e, "ctx", None)
    if isinstance(e, click.UsageError) and ctx is not None:
        msg = msg.rstrip(".")
        msg = f"{ctx.command_path}: {msg[:1].lower()}{msg[1:]} (see '{ctx.command_path} --help')"
    return msg


class QedGroup(click.Group):
    """The ``qed`` group: click's usage/range errors become one ``error:`` line with exit code 2, and
    Ctrl-C reports what was kept and how to continue (instead of click's ``Usage … Error:`` block and
    ``Aborted!``)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        args = list(sys.argv[1:] if args is None else args)
        prog_name = prog_name or "qed"
        global _interrupt_note
        _interrupt_note = None
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.Abort:
            click.echo(file=sys.stderr)  # close the terminal's ^C echo
            _report_interrupt(prog_name, args)
            sys.exit(EXIT_INTERRUPTED)
        except KeyboardInterrupt:
            click.echo(file=sys.stderr)
            _report_interrupt(prog_name, args)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as e:
            fail(_usage_line(e))
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise
            sys.exit(1)  # stdout closed early (`qed … | head`): nothing to report
        sys.exit(rv if isinstance(rv, int) else 0)
