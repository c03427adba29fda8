"""Helpers for running ``qed`` as a user does and checking what a refusal must look like.

A refusal is: exit code 2, exactly one line on stderr that starts with ``error:``, no traceback, no
internal working path (``.tmp-``, ``.parts``, ``.partial``) in the text, and every file that existed
before byte-identical afterwards.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from qedjax.ebm.synthetic import write_synthetic

INTERNAL = (".tmp-", ".parts", ".partial")
TINY_EBM_TOML = ("[model]\nhidden_dims = [16, 8]\n[train]\nlog_every = 10\nval_every = 20\n"
                 "checkpoint_every = 20\nsteps_per_call = 10\nval_batches = 1\nbatch_size = 16\n")



def default_signals() -> None:
    """A child ``qed`` process's preexec_fn: SIGINT and SIGHUP at their defaults (a test runner may
    ignore SIGINT, and a suite started under nohup ignores SIGHUP, which the child would inherit and
    rightly keep)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@dataclasses.dataclass
class Run:
    code: int
    out: str
    err: str
    exception: BaseException | None = None

    @property
    def text(self) -> str:
        return self.out + self.err


def qed_run(*args, env: dict | None = None) -> Run:
    """``qed ARGS`` in this process (click's runner): exit code, stdout, stderr. An exception that
    escaped the command (a traceback for the user) is kept in ``exception``.

    ``QEDJAX_RELIABILITY_PROCESSES=1`` runs every case as a process of its own instead (slower), which
    also sees what a process prints while it exits (background threads, resource trackers)."""
    if os.environ.get("QEDJAX_RELIABILITY_PROCESSES") == "1":
        return qed_proc(*args, env=env)
    res = CliRunner().invoke(qed, [str(a) for a in args], env=env)
    exc = res.exception if res.exception is not None and not isinstance(res.exception, SystemExit) else None
    return Run(res.exit_code, res.stdout, res.stderr, exc)


def qed_proc(*args, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> Run:
    """``qed ARGS`` as a separate process (what a shell runs)."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "JAX_PLATFORMS": "cpu", **(env or {})}
    p = subprocess.run([sys.executable, "-m", "qedjax_cli.main", *map(str, args)], cwd=cwd, env=full_env,
                       capture_output=True, text=True, timeout=timeout)
    return Run(p.returncode, p.stdout, p.stderr)


def assert_no_traceback(run: Run) -> None:
    assert run.exception is None, f"uncaught {type(run.exception).__name__}: {run.exception}"
    assert "Traceback" not in run.text, run.text[-2000:]


def assert_refused(run: Run, *fragments: str) -> str:
    """Exit 2, one ``error:`` line as the last line on stderr (naming each fragment; progress notes such
    as ``data: …`` may come before it), no traceback, no usage block, no internal path."""
    assert_no_traceback(run)
    lines = [ln for ln in run.err.splitlines() if ln.strip()]
    assert run.code == 2, f"exit {run.code}: {run.text[-1500:]}"
    errors = [ln for ln in lines if ln.lower().startswith("error")]
    assert len(errors) == 1 and lines[-1] == errors[0] and errors[0].startswith("error: "), run.err
    assert "Usage:" not in run.err and "Aborted" not in run.err, run.err
    line = errors[0]
    for f in fragments:
        assert f in line, f"{f!r} not in {line!r}"
    assert not any(x in line for x in INTERNAL), line
    return line


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (hidden ones too) → SHA-256 of its bytes."""
    out = {}
    for p in sorted(Path(root).rglob("*")):
        if p.is_file():
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def assert_unchanged(root: Path, before: dict[str, str]) -> None:
    after = snapshot(root)
    assert after == before, {k: (before.get(k), after.get(k)) for k in set(before) | set(after)
                             if before.get(k) != after.get(k)}


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    """A synthetic trajectory + embedding cache (dim 16, with provenance) and a tiny trained EBM."""
    d = tmp_path_factory.mktemp("rel_synthetic")
    traj, emb = write_synthetic(d, n_theorems=24, dim=16, separation=5.0)
    cfg = d / "tiny.toml"
    cfg.write_text(TINY_EBM_TOML)
    run = qed_run("train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", d / "ebm",
                  "--config", cfg, "--steps", "20", "--quiet")
    assert run.code == 0, run.text
    return {"dir": d, "traj": traj, "emb": emb, "cfg": cfg, "ebm": d / "ebm"}
