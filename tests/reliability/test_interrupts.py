"""Ctrl-C says what was kept and prints the exact command that continues; that command works, and an
interrupted run resumed with other inputs is refused (issue 14, items 1 and 7)."""

import json
import os
import shlex
import signal
import subprocess
import sys
import time

import pytest

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

pytestmark = pytest.mark.multiprocess  # each test sends a signal, most to a `qed` child process


def _interrupt_when(args, ready, cwd, timeout=120) -> Run:
    env = dict(os.environ, HF_HUB_OFFLINE="1", JAX_PLATFORMS="cpu")
    # A shell starts background jobs with SIGINT ignored, and Python then never installs its handler:
    # give the command the disposition an interactive terminal gives it.
    proc = subprocess.Popen([sys.executable, "-m", "qedjax_cli.main", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)
    deadline = time.time() + timeout
    while not ready():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"finished before it could be interrupted (exit {proc.returncode}): {err[-800:]}")
        if time.time() > deadline:
            proc.kill()
            pytest.fail("never became ready to interrupt")
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return Run(proc.returncode, out, err)


def _lines(path) -> int:
    try:
        return len(path.read_text().splitlines())
    except OSError:
        return 0


def _continue_command(run: Run) -> list[str]:
    line = next(ln for ln in run.err.splitlines() if ln.startswith(("continue with: ", "start again with: ")))
    cmd = shlex.split(line.split(": ", 1)[1])
    assert cmd[0] == "qed"
    return cmd[1:]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigint_during_search_then_the_printed_command(tmp_path, workers):
    out = tmp_path / "t.parquet"
    args = ["search", "--split", "test", "--max-nodes", "100", "--output", "t.parquet", "--quiet",
            "--workers", workers]
    rows = tmp_path / "t.parquet.theorems.jsonl"
    run = _interrupt_when(args, lambda: _lines(rows) >= 20, tmp_path)
    assert_no_traceback(run)
    assert run.code == 130, run.text
    assert "Aborted" not in run.err
    kept = len(read_rows(rows))
    assert f"interrupted: {kept} of 240 theorem searches finished and kept in t.parquet" in run.err
    cmd = _continue_command(run)
    assert cmd == [*args, "--resume"]
    done = qed_proc(*cmd, cwd=tmp_path)
    assert done.code == 0, done.text
    assert f"{kept} finished earlier" in done.out
    names = [r["theorem"] for r in read_rows(rows)]
    assert len(names) == len(set(names)) == 240
    assert out.is_file() and not (tmp_path / "t.parquet.parts").exists()


def test_sigint_before_anything_finished_keeps_nothing(tmp_path):
    from qedjax.envs.prop.bench import shipped_benchmark_path

    # one theorem that takes long (many nodes) so that nothing finishes before the interrupt
    rows = [r for r in json.loads(shipped_benchmark_path().read_text())["theorems"] if r["difficulty"] >= 8][:1]
    (tmp_path / "hard.json").write_text(json.dumps({"theorems": rows}))
    args = ["search", "--theorems", "hard.json", "--max-nodes", "100000", "--output", "t.parquet", "--quiet",
            "--config", "s.toml"]
    (tmp_path / "s.toml").write_text("timeout_per_theorem = 600.0\nprobe_tactics = \"none\"\nnum_candidates = 64\n")
    run = _interrupt_when(args, lambda: (tmp_path / "t.parquet.parts").exists(), tmp_path)
    assert_no_traceback(run)
    assert run.code == 130
    assert "nothing was finished" in run.err
    assert _continue_command(run) == args  # no --resume: the same command starts again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.json", "s.toml"]


def test_sigint_during_train_ebm(tmp_path, synthetic):
    run_dir = tmp_path / "run"
    args = ["train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"], "--output", run_dir,
            "--config", synthetic["cfg"], "--steps", "1000000", "--quiet"]
    run = _interrupt_when(args, lambda: any((run_dir / "checkpoints").glob("[0-9]*")), tmp_path)
    assert_no_traceback(run)
    assert run.code == 130, run.text
    assert "interrupted: the checkpoint at step" in run.err
    assert _continue_command(run) == [*map(str, args), "--resume"]


def test_interrupted_iterate_refuses_an_edited_theorem_file(tmp_path):
    from qedjax.envs.prop.bench import shipped_benchmark_path

    bench = tmp_path / "bench.json"
    bench.write_bytes(shipped_benchmark_path().read_bytes())
    cfg = tmp_path / "it.toml"
    cfg.write_text(f'[iterate]\ntheorems = "{bench}"\nmax_eval_theorems = 240\nbudgets = [200]\n'
                   'references = []\n[search]\nmax_nodes = 200\nnum_candidates = 8\n')
    rows = tmp_path / "w" / "eval_policy" / "traj.parquet.theorems.jsonl"
    run = _interrupt_when(["iterate", "--config", cfg, "--workdir", "w"], lambda: _lines(rows) >= 10, tmp_path)
    assert_no_traceback(run)
    assert run.code == 130, run.text
    assert _continue_command(run) == ["iterate", "--config", str(cfg), "--workdir", "w"]
    data = json.loads(bench.read_text())
    test_thm = next(t for t in data["theorems"] if t["split"] == "test")
    test_thm["statement"] = test_thm["statement"].replace("Prop)", "Prop) (extra : Prop)", 1)
    bench.write_text(json.dumps(data))
    before = snapshot(tmp_path / "w")
    assert_refused(qed_proc("iterate", "--config", cfg, "--workdir", "w", cwd=tmp_path),
                   "theorem source differs")
    assert_unchanged(tmp_path / "w", before)


def test_sigint_during_encode_keeps_the_finished_shards(tmp_path):
    from tests.conftest import make_tiny_bert

    model = make_tiny_bert(tmp_path / "bert")
    states = tmp_path / "states.jsonl"
    states.write_text("".join(json.dumps({"state_pp": f"p{i} q : Prop\nh : p{i} ∧ q\n⊢ q ∧ p{i}"}) + "\n"
                              for i in range(1500)))
    cfg = tmp_path / "enc.toml"
    cfg.write_text(f'model = "{model}"\ncheckpoint_every = 100\nbatch_size = 50\n')
    args = ["encode", "--input", "states.jsonl", "--output", "e.parquet", "--config", "enc.toml", "--quiet"]
    partial = tmp_path / "e.parquet.partial"
    run = _interrupt_when(args, lambda: len(list(partial.glob("shard-*.parquet"))) >= 1, tmp_path)
    assert_no_traceback(run)
    assert run.code == 130, run.text
    assert "new embeddings stored for e.parquet" in run.err
    assert _continue_command(run) == args  # the same command continues from the shards
    kept = int(run.err.split("interrupted: ")[1].split()[0])
    done = qed_proc(*args, cwd=tmp_path)
    assert done.code == 0, done.text
    assert f"{kept} cached" in done.out and "1500 states" in done.out


def test_ctrl_c_during_a_checkpoint_save_is_held_until_the_save_is_handed_over():
    """A save cut in half leaves orbax's writer to die with a traceback at exit and no whole checkpoint:
    the interrupt is held for the duration of ``save`` and raised right after it."""
    from qedjax.ebm import checkpoint as ckpt

    events = []

    class Manager:
        def all_steps(self):
            return []

        def save(self, step, args, force):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            events.append(("saved", step))

    class State:
        step, params, pstate, opt_state, key, skipped = 3, {"w": [1.0]}, {}, {}, 0, 0

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        with pytest.raises(KeyboardInterrupt):
            ckpt.save(Manager(), State(), force=True)
        assert events == [("saved", 3)]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
