"""``qed lean``: the Lean backends' set-up (``qed lean doctor``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import user_errors

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "lean.toml"


@click.group()
def lean() -> None:
    """Lean 4 backends: `--env lean-repl` (Lean REPL via lean-interact) and `--env leandojo`."""


@lean.command("doctor")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Lean TOML with a [lean_repl] table (default: configs/lean.toml).")
@user_errors
def doctor(config_path: Path | None) -> None:
    """Tell in one screen what is missing to run on real Lean (elan, lake, the Lean project with
    Mathlib, the REPL build, lean-interact) and how to fix each; exit code 1 if anything is."""
    from qedjax.envs.lean_config import load_lean_config
    from qedjax.envs.lean_doctor import diagnose, report

    if config_path is None and DEFAULT_CONFIG.is_file():
        config_path = DEFAULT_CONFIG
    settings = load_lean_config(config_path).lean_repl
    checks = diagnose(settings)
    click.echo(report(checks, str(config_path) if config_path else "built-in defaults"))
    sys.exit(0 if all(c.ok for c in checks) else 1)
