"""SIGTERM, SIGHUP and SIGINT during training and expert iteration, then the command that continues:
the result equals an uninterrupted run's (issue 29, targets). Searches are covered in test_processes.py
(all three signals, resumed results compared with a reference run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from .conftest import Run, assert_no_traceback, default_signals, qed_proc

pytestmark = [pytest.mark.multiprocess, pytest.mark.slow]

ENV = dict(os.environ, HF_HUB_OFFLINE="1", JAX_PLATFORMS="cpu")
SIGNALS = [signal.SIGTERM, signal.SIGHUP, signal.SIGINT]


def _interrupt(args, cwd, ready, sig, timeout=240) -> Run:
    """Start ``qed ARGS`` as a terminal would (SIGINT handled), send ``sig`` once ``ready()``."""
    proc = subprocess.Popen([sys.executable, "-m", "qedjax_cli.main", *map(str, args)], cwd=cwd, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)
    deadline = time.time() + timeout
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"finished before the signal (exit {proc.returncode}): {proc.communicate()[1][-800:]}")
        if time.time() > deadline:
            proc.kill()
            pytest.fail("never became ready for the signal")
        time.sleep(0.05)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=240)
    return Run(proc.returncode, out, err)


def _stopped_cleanly(run: Run, sig) -> None:
    assert_no_traceback(run)
    assert run.code == 128 + sig, run.text
    assert "interrupted" in run.err and "Aborted" not in run.err, run.err


def _head_arrays(run_dir, out) -> dict:
    done = qed_proc("export-ebm", "--checkpoint", run_dir, "--output", out)
    assert done.code == 0, done.text
    with np.load(out) as z:
        return {k: z[k] for k in z.files}


# -- train-ebm -------------------------------------------------------------------------------------------

STEPS = "120"  # checkpoints every 20 steps (the tiny config): the signal lands between two of them


def _train_args(synthetic, out):
    return ["train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"], "--output", out,
            "--config", synthetic["cfg"], "--steps", STEPS, "--quiet"]


@pytest.fixture(scope="module")
def reference_head(tmp_path_factory, synthetic):
    d = tmp_path_factory.mktemp("ref_train")
    done = qed_proc(*_train_args(synthetic, d / "run"))
    assert done.code == 0, done.text
    return _head_arrays(d / "run", d / "head.npz")


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_a_signal_during_train_ebm_then_resume_gives_the_uninterrupted_head(tmp_path, synthetic, reference_head,
                                                                             sig):
    run_dir = tmp_path / "run"
    args = _train_args(synthetic, run_dir)
    run = _interrupt(args, tmp_path, lambda: any((run_dir / "checkpoints").glob("[0-9]*")), sig)
    _stopped_cleanly(run, sig)
    assert "--resume" in run.err, run.err
    done = qed_proc(*args, "--resume")
    assert done.code == 0, done.text
    head = _head_arrays(run_dir, tmp_path / "head.npz")
    assert head.keys() == reference_head.keys()
    for k in head:
        np.testing.assert_allclose(head[k], reference_head[k], rtol=1e-5, atol=1e-6, err_msg=k)


# -- iterate ---------------------------------------------------------------------------------------------

SMALL_ITERATE = """
[iterate]
max_train_theorems = 24
max_eval_theorems = 12
max_valid_theorems = 6
t_value_grid = [1.0]
train_max_nodes = 8
budgets = [3]
negatives_per_theorem = 4
references = []
[search]
max_nodes = 3
num_candidates = 6
probe_tactics = "none"
value_mode = "eager"
[encoder]
model = "{model}"
batch_size = 16
[ebm.model]
hidden_dims = [16, 8]
[ebm.train]
total_steps = 40
warmup_steps = 5
batch_size = 16
log_every = 20
val_every = 40
checkpoint_every = 20
steps_per_call = 10
val_batches = 1
"""


def _lines(path) -> int:
    try:
        return len(path.read_text().splitlines())
    except OSError:
        return 0


def _searches(workdir) -> dict:
    """Every search of an iterate workdir: its theorems' outcomes (timings left out)."""
    from qedjax.search.runner import read_rows

    return {str(p.relative_to(workdir)): sorted((r["theorem"], r["proved"], r["proof"], r["nodes_expanded"])
                                                 for r in read_rows(p))
            for p in sorted(workdir.rglob("*.theorems.jsonl"))}


@pytest.fixture(scope="module")
def iterate_reference(tmp_path_factory):
    from tests.conftest import make_tiny_bert

    d = tmp_path_factory.mktemp("ref_iterate")
    (d / "it.toml").write_text(SMALL_ITERATE.replace("{model}", str(make_tiny_bert(d / "bert"))))
    done = qed_proc("iterate", "--config", "it.toml", "--workdir", "w", cwd=d)
    assert done.code == 0, done.text
    return d, _searches(d / "w"), _head_arrays(d / "w" / "iter1" / "ebm", d / "head.npz")


# each signal lands in another stage: the training search, the head's training, the held-out eval
STAGES = {signal.SIGTERM: lambda w: _lines(w / "iter1" / "search.parquet.theorems.jsonl") >= 3,
          signal.SIGHUP: lambda w: any((w / "iter1" / "ebm" / "checkpoints").glob("[0-9]*")),
          signal.SIGINT: lambda w: _lines(w / "eval_policy" / "traj.parquet.theorems.jsonl") >= 3}


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_a_signal_during_iterate_then_the_same_command_gives_the_uninterrupted_run(tmp_path, iterate_reference,
                                                                                   sig):
    ref_dir, ref_searches, ref_head = iterate_reference
    (tmp_path / "it.toml").write_text((ref_dir / "it.toml").read_text())
    args = ["iterate", "--config", "it.toml", "--workdir", "w"]
    run = _interrupt(args, tmp_path, lambda: STAGES[sig](tmp_path / "w"), sig)
    _stopped_cleanly(run, sig)
    done = qed_proc(*args, cwd=tmp_path)
    assert done.code == 0, done.text
    assert _searches(tmp_path / "w") == ref_searches
    head = _head_arrays(tmp_path / "w" / "iter1" / "ebm", tmp_path / "head.npz")
    for k in ref_head:
        np.testing.assert_allclose(head[k], ref_head[k], rtol=1e-5, atol=1e-6, err_msg=k)
