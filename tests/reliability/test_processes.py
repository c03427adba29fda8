"""One writer per output, signals and the environment, with real processes (issue 29, items 4 and 7)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from qedjax.io import lock_path
from qedjax.search.runner import read_rows

from .conftest import (
    Run,
    assert_no_traceback,
    assert_refused,
    assert_unchanged,
    default_signals,
    qed_proc,
    snapshot,
)

pytestmark = pytest.mark.multiprocess

ENV = dict(os.environ, HF_HUB_OFFLINE="1", JAX_PLATFORMS="cpu")


def _start(args, cwd) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "qedjax_cli.main", *map(str, args)], cwd=cwd, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)


def _wait_for(proc, ready, timeout=120) -> None:
    deadline = time.time() + timeout
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"finished first (exit {proc.returncode}): {proc.communicate()[1][-800:]}")
        if time.time() > deadline:
            proc.kill()
            pytest.fail("never became ready")
        time.sleep(0.05)


def _holder(output) -> int | None:
    try:
        return json.loads(lock_path(output).read_text()).get("pid")
    except (OSError, ValueError):
        return None


def test_a_second_run_on_the_same_output_is_refused_with_the_holders_pid(tmp_path, synthetic):
    out = tmp_path / "t.parquet"
    args = ["search", "--split", "test", "--max-theorems", "12", "--max-nodes", "40", "--quiet", "--output", out]
    first = _start(args, tmp_path)
    try:
        _wait_for(first, lambda: _holder(out) == first.pid)
        first.send_signal(signal.SIGSTOP)  # holds the lock for as long as this test needs
        before = snapshot(tmp_path)
        for extra in ([], ["--resume"]):
            assert_refused(qed_proc(*args, *extra), str(out), "in use", f"pid {first.pid}")
        assert_unchanged(tmp_path, before)
        run = tmp_path / "run"
        train = ["train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"], "--output", run,
                 "--config", synthetic["cfg"], "--steps", "20", "--quiet"]
        second = _start(train, tmp_path)
        _wait_for(second, lambda: _holder(run) == second.pid)
        second.send_signal(signal.SIGSTOP)
        assert_refused(qed_proc(*train, "--resume"), str(run), f"pid {second.pid}")
        second.kill()
        second.communicate()
    finally:
        first.kill()  # SIGKILL: its lock file stays behind, stale
        first.communicate()
    assert lock_path(out).exists()
    done = qed_proc(*args, "--resume")  # the stale lock is taken over
    assert done.code == 0, done.text
    assert len(read_rows(tmp_path / "t.parquet.theorems.jsonl")) == 12
    assert not lock_path(out).exists()


def _interrupt(args, cwd, ready, sig) -> Run:
    proc = _start(args, cwd)
    _wait_for(proc, ready)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)  # also waits for workers that still hold the pipe
    return Run(proc.returncode, out, err)


@pytest.mark.parametrize("sig, workers", [(signal.SIGTERM, "2"), (signal.SIGHUP, "1"), (signal.SIGINT, "2")])
def test_a_signal_stops_a_search_cleanly_and_resume_is_exact(tmp_path, sig, workers):
    args = ["search", "--split", "test", "--max-theorems", "60", "--max-nodes", "60", "--quiet",
            "--workers", workers]
    (tmp_path / "ref").mkdir()
    assert qed_proc(*args, "--output", "t.parquet", cwd=tmp_path / "ref").code == 0
    rows = tmp_path / "t.parquet.theorems.jsonl"
    run = _interrupt([*args, "--output", "t.parquet"], tmp_path,
                     lambda: rows.exists() and len(rows.read_text().splitlines()) >= 5, sig)
    assert_no_traceback(run)
    assert run.code == 128 + sig, run.text
    assert "interrupted:" in run.err and "--resume" in run.err, run.err
    done = qed_proc(*args, "--output", "t.parquet", "--resume", cwd=tmp_path)
    assert done.code == 0, done.text

    def results(d):
        return sorted((r["theorem"], r["proved"], r["proof"], r["nodes_expanded"])
                      for r in read_rows(d / "t.parquet.theorems.jsonl"))

    assert results(tmp_path) == results(tmp_path / "ref")


def test_jax_platforms_without_the_device_is_one_line(tmp_path, synthetic):
    for platform in ("cuda", "tpuX"):
        run = qed_proc("score", "--checkpoint", synthetic["ebm"], "--embeddings", synthetic["emb"],
                       env={"JAX_PLATFORMS": platform})
        line = assert_refused(run, "JAX_PLATFORMS", platform, "JAX_PLATFORMS=cpu")
        assert run.err.strip() == line


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "latin-1"},
                                 {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}])
def test_a_non_utf8_locale_works(tmp_path, env):
    """An ASCII locale (Python then reads and writes files as ASCII) or a Latin-1 terminal: qed switches
    to UTF-8 before any work, instead of failing when it first prints or reads a Lean symbol."""
    f = tmp_path / "t∧.lean"
    f.write_text("theorem t (p q : Prop) (h : p ∧ q) : q ∧ p := by\n  exact h\n", encoding="utf-8")
    run = qed_proc("prop", "check", f, env=env)
    assert_no_traceback(run)
    assert run.code == 1, run.text  # the proof is wrong: the verdict, printed, not a UnicodeEncodeError
    assert "t∧.lean:2" in run.out and "p ∧ q" in run.out, run.out


def test_a_deleted_working_directory_is_named(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    p = subprocess.run(["bash", "-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "x", str(gone),
                        sys.executable, "-m", "qedjax_cli.main", "summary", "t.parquet"],
                       env=ENV, capture_output=True, text=True, timeout=120)
    assert_refused(Run(p.returncode, p.stdout, p.stderr), "working directory", "no longer exists")
