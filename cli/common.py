"""Shared CLI plumbing: one-line errors, exit codes, environment defaults."""

from __future__ import annotations

import functools
import os
import sys

import click

from qedjax.errors import QedError

EXIT_USER_ERROR = 2


def setup_env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def fail(message: str, code: int = EXIT_USER_ERROR) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def user_errors(fn):
    """Turn library errors caused by the user into one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QedError as e:
            fail(str(e).splitlines()[0] if str(e) else type(e).__name__)
        except FileNotFoundError as e:
            fail(f"file not found: {e.filename or e}")
        except IsADirectoryError as e:
            fail(f"expected a file, got a directory: {e.filename or e}")
        except PermissionError as e:
            fail(f"permission denied: {e.filename or e}")

    return wrapper
