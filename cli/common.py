"""Shared CLI plumbing: one-line errors, exit codes, interrupts, environment defaults.

Every way a user can make ``qed`` stop early ends the same way: one ``error:`` line on stderr and exit
code 2 (library errors, click's own usage and range errors, unreadable or misplaced files), never a
traceback. Ctrl-C prints what was kept and the exact command that continues the run (exit code 130).
"""

from __future__ import annotations

import errno
import functools
import math
import os
import re
import shlex
import sys
from pathlib import Path
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
        except Exception as e:
            line = jax_backend_error(e)
            if line is None:
                raise
            fail(line)

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


class SettingType(click.ParamType):
    """A flag that sets a config field: parsed and range-checked by the field's own rules in
    :mod:`qedjax.config` (the same as its TOML key), so a flag can never accept what the key refuses
    or the reverse."""

    def __init__(self, cls: type | str, dotted: str, name: str | None = None):
        self._cls, self.dotted = cls, dotted
        if name is None:  # the class is at hand: name the type now (help shows it)
            name = {int: "integer", float: "float"}.get(self._base(), "text")
        self.name = name

    @property
    def cls(self) -> type:
        """The config class (``"module:Class"`` is imported on first use, keeping ``qed --help`` light)."""
        if isinstance(self._cls, str):
            import importlib

            module, _, attr = self._cls.partition(":")
            self._cls = getattr(importlib.import_module(module), attr)
        return self._cls

    def _base(self):
        from qedjax.config import numeric_type, resolve_field

        return numeric_type(resolve_field(self.cls, self.dotted)[1])

    def convert(self, value, param, ctx):
        from qedjax.config import check_value
        from qedjax.errors import ConfigError

        if isinstance(value, str):
            parse = {int: click.INT, float: click.FLOAT}.get(self._base())
            value = parse.convert(value, param, ctx) if parse is not None else value
            if isinstance(value, float) and not math.isfinite(value):
                self.fail(f"{value!r} is not a finite number", param, ctx)
        try:
            return check_value(self.cls, self.dotted, value, where="")
        except ConfigError as e:
            self.fail(str(e).lstrip(": "), param, ctx)


def setting_type(cls: type | str, dotted: str, name: str | None = None) -> SettingType:
    """The click type of a flag that sets field ``dotted`` of config class ``cls`` (a class, or
    ``"module:Class"`` to import it only when the flag is used; then give ``name``)."""
    return SettingType(cls, dotted, name)


class RangeType(click.ParamType):
    """An integer flag that is no config field (a count, a seed) checked by a :class:`qedjax.config.Range`."""

    name = "integer"

    def __init__(self, rng):
        self.rng = rng

    def convert(self, value, param, ctx):
        from qedjax.config import check_range
        from qedjax.errors import ConfigError

        value = click.INT.convert(value, param, ctx)
        try:
            check_range(value, self.rng, "")
        except ConfigError as e:
            self.fail(str(e).lstrip(": "), param, ctx)
        return value


def int_range(min: int | None = None, max: int | None = None) -> RangeType:
    """Integers in [min, max] (and always inside 64 bits)."""
    from qedjax.config import INT64_END, Range

    return RangeType(Range(min, INT64_END if max is None else max, max_open=max is None))


class WorkersType(RangeType):
    """A number of worker processes: >= 1, and refused when that many processes cannot fit in this
    machine's memory (each holds an interpreter with its own environment and parts)."""

    PER_WORKER = 64 << 20  # bytes: a lower bound for one spawned worker

    def __init__(self):
        from qedjax.config import INT64_END, Range

        super().__init__(Range(1, INT64_END, max_open=True))

    def convert(self, value, param, ctx):
        from qedjax.config import available_memory, check_memory
        from qedjax.errors import ConfigError

        n = super().convert(value, param, ctx)
        try:
            have = available_memory()
        except ConfigError as e:  # the environment's fault, not the flag's
            raise click.ClickException(str(e)) from None
        try:
            check_memory(f"{n} worker processes (at least {self.PER_WORKER >> 20} MiB each)", n * self.PER_WORKER, "",
                         have)
        except ConfigError as e:
            self.fail(str(e).lstrip(": "), param, ctx)
        return n


def workers_type() -> WorkersType:
    return WorkersType()


def seed_type() -> RangeType:
    """A seed: an integer in [0, 2**63), the range numpy, JAX and every config seed accept."""
    from qedjax.config import SEED

    return RangeType(SEED)


# -- outputs -----------------------------------------------------------------------------------------

_claims: list = []  # the output locks this command holds, released when it ends


class OutputPath(click.Path):
    """An output path flag: an empty value, or a file name ending in '/', is a usage error (a path
    object would silently read ``out/`` as ``out`` and ``""`` as the current folder)."""

    def __init__(self, kind: str = "file"):
        super().__init__(file_okay=kind == "file", dir_okay=kind == "dir", path_type=Path)
        self.kind = kind

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            if not value.strip():
                self.fail(f"is empty; give a {'file' if self.kind == 'file' else 'folder'} name", param, ctx)
            if self.kind == "file" and (value.endswith(("/", os.sep)) or Path(value).name in ("", ".", "..")):
                self.fail(f"{value!r} names a folder; give a file name", param, ctx)
        return super().convert(value, param, ctx)


def output_file() -> OutputPath:
    return OutputPath("file")


def output_dir() -> OutputPath:
    return OutputPath("dir")


def _param_paths(ctx: click.Context) -> list[tuple[str, object, Path]]:
    """(flag, param name, path) of every path-valued parameter of the running command."""
    out = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        flag = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
        for v in (value if isinstance(value, (tuple, list)) else (value,)):
            if isinstance(v, Path):
                out.append((flag, param.name, v))
    return out


class _Claim:
    """A claimed output: its lock, and how to undo a failed start in a folder that was new or empty."""

    def __init__(self, lock, path: Path, leftovers=None):
        from qedjax.paths import missing_dirs

        self.lock, self.path, self.leftovers = lock, path, leftovers
        self.fresh = leftovers is not None and (not path.exists() or (path.is_dir() and not any(path.iterdir())))
        self.new_dirs = missing_dirs(path / "_") if self.fresh else []

    def release(self, failed: bool) -> None:
        import shutil

        from qedjax.paths import remove_empty_dirs

        try:
            if failed and self.fresh and self.path.is_dir() and self.leftovers(self.path):
                for child in list(self.path.iterdir()):
                    shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
                remove_empty_dirs(self.new_dirs)
        except OSError:
            pass
        finally:
            self.lock.release()


def claim_output(path, *, kind: str = "file", overwrite: bool | None = None, owned=None, owner: str = "",
                 what: str | None = None, leftovers=None, replaces: bool = False) -> Path:
    """The one check and claim every command that writes makes before it writes ``path``
    (:func:`qedjax.paths.check_output` against every other path the command was given, then an
    :class:`qedjax.io.OutputLock` held until the command ends, so a second run on the same output is
    refused with the holder's pid). ``leftovers(folder)``: whether a folder output holds only what a
    failed start leaves (nothing finished); if the folder was new or empty and the command fails, that
    is removed, so nothing blocks the corrected rerun."""
    from qedjax.io import OutputLock
    from qedjax.paths import check_output

    ctx = click.get_current_context(silent=True)
    params = _param_paths(ctx) if ctx is not None else []
    own = next((name for _, name, v in params if v is path), None)  # the flag this output came from
    if what is None:
        what = next((flag for flag, name, _ in params if name == own), "--output")
    path = Path(path)
    inputs = [(flag, v) for flag, name, v in params if name != own and flag != what]
    check_output(path, kind=kind, what=what, inputs=inputs, overwrite=overwrite, owned=owned, owner=owner,
                 replaces=replaces)
    lock = OutputLock(path, what).acquire()
    _claims.append(_Claim(lock, path, leftovers))
    return path


def release_outputs(failed: bool = False) -> None:
    while _claims:
        _claims.pop().release(failed)


# -- environment -------------------------------------------------------------------------------------

def check_environment(reexec: bool = False) -> None:
    """Settle, before any work, what would fail later: a working directory that was deleted is refused;
    a non-UTF-8 locale is made to work (``reexec``: the process restarts itself in Python's UTF-8 mode,
    so files, paths and worker processes all read and write UTF-8; streams that cannot print the symbols
    qed prints are switched to UTF-8 in any case)."""
    if reexec and not sys.flags.utf8_mode and os.environ.get("PYTHONUTF8") != "1":
        import locale

        if locale.getpreferredencoding(False).lower().replace("_", "-") not in ("utf-8", "utf8"):
            os.environ["PYTHONUTF8"] = "1"  # also for the workers it spawns
            argv = list(getattr(sys, "orig_argv", []))
            if argv:
                try:
                    os.execv(sys.executable, [sys.executable, *argv[1:]])
                except OSError:
                    pass  # go on: the streams below still print
    try:
        os.getcwd()
    except FileNotFoundError:
        fail("the current working directory no longer exists (it was deleted or moved); "
             "cd to an existing folder and run the command again")
    except OSError as e:
        fail(f"the current working directory cannot be read ({e.strerror}); cd to another folder")
    for stream in (sys.stdout, sys.stderr):
        if not hasattr(stream, "reconfigure"):
            continue
        enc = getattr(stream, "encoding", None) or "utf-8"
        try:
            "⊢→∧ℕ".encode(enc)
            stream.reconfigure(errors="backslashreplace")  # an undecodable file name prints, escaped
        except (UnicodeEncodeError, LookupError):
            try:
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
            except (ValueError, OSError):
                pass
        except (ValueError, OSError):
            pass


def check_path_arguments(args: list[str]) -> None:
    """A file name followed by '/' (``runs.parquet/``) names no folder, and the system refuses it; but a
    path object drops the '/' and would read or replace the file. Refused here, for every command and
    flag alike, before any of them runs."""
    for token in args:
        value = token.split("=", 1)[1] if token.startswith("--") and "=" in token else token
        if len(value) > 1 and value.endswith(("/", os.sep)) and os.path.isfile(value.rstrip("/" + os.sep)):
            fail(f"{value}: a file name followed by '/'; a file is not a folder (drop the '/')")


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C is: the run stops cleanly, keeps what it finished and says
    how to continue (the exit code is 128 + the signal's number, as a shell reports it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame):
    raise Terminated(signum)


def _install_signal_handlers() -> dict:
    """SIGTERM and SIGHUP stop the command as Ctrl-C does; returns the handlers they replaced."""
    import signal
    import threading

    replaced = {}
    if threading.current_thread() is not threading.main_thread():
        return replaced
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) == signal.SIG_DFL:  # ignored (nohup): left so
            replaced[sig] = signal.signal(sig, _terminate)
    return replaced


def _restore_signal_handlers(replaced: dict) -> None:
    import signal

    for sig, handler in replaced.items():
        signal.signal(sig, handler)


def jax_backend_error(e: BaseException) -> str | None:
    """The one line for an error raised while JAX starts its backend (``JAX_PLATFORMS=cuda`` without a
    GPU or without JAX's CUDA plugin, an unknown platform), else None."""
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.replace("\\", "/").endswith("jax/_src/xla_bridge.py"):
            break
        tb = tb.tb_next
    else:
        if "Unable to initialize backend" not in str(e):
            return None
    platforms = os.environ.get("JAX_PLATFORMS") or os.environ.get("JAX_PLATFORM_NAME") or ""
    text = str(e).strip().splitlines()[0] if str(e).strip() else "no backend for it is installed"
    text = text.split(" (set JAX_PLATFORMS")[0]
    return (f"JAX cannot start on JAX_PLATFORMS={platforms!r}: {text}; set JAX_PLATFORMS=cpu (or unset it) "
            "to run on the CPU")


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
        from_argv = args is None
        args = list(sys.argv[1:] if args is None else args)
        prog_name = prog_name or "qed"
        global _interrupt_note
        _interrupt_note = None
        handlers: dict = {}
        failed = True
        try:
            check_environment(reexec=from_argv)
            check_path_arguments(args)
            handlers = _install_signal_handlers()
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            failed = False
        except (click.Abort, KeyboardInterrupt) as e:
            stop = e if isinstance(e, Terminated) else e.__cause__ or e.__context__
            click.echo(file=sys.stderr)  # close the terminal's ^C echo
            _report_interrupt(prog_name, args)
            sys.exit(128 + stop.signum if isinstance(stop, Terminated) else EXIT_INTERRUPTED)
        except click.ClickException as e:
            fail(_usage_line(e))
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise
            sys.exit(1)  # stdout closed early (`qed … | head`): nothing to report
        finally:
            release_outputs(failed)
            _restore_signal_handlers(handlers)
        sys.exit(rv if isinstance(rv, int) else 0)
