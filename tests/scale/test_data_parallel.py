"""Data-parallel EBM training: N devices (and N hosts) give the single-device numbers.

The device count of a JAX process is fixed before jax is imported, so the sharded runs happen in
subprocesses (``tests/scale/dp_worker.py``) with ``--xla_force_host_platform_device_count``.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qedjax.ebm.sharding import choose_table_layout, distributed_requested
from qedjax.errors import ConfigError, DataError

ROOT = Path(__file__).resolve().parents[2]


def _worker(directory: Path, *runs: str, devices: int = 4, env: dict | None = None, wait: bool = True):
    e = dict(os.environ, JAX_PLATFORMS="cpu", XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}",
             **(env or {}))
    cmd = [sys.executable, "-m", "tests.scale.dp_worker", str(directory), *runs]
    if not wait:
        return subprocess.Popen(cmd, cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]


def _load(directory: Path, name: str) -> dict:
    return json.loads((directory / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def four_devices(tmp_path_factory):
    d = tmp_path_factory.mktemp("dp")
    _worker(d, "one:1:replicated", "four:4:replicated", "rows:4:rows", "part:4:replicated:stop",
            "part:4:replicated:resume", "moved:4:replicated:stop", "moved:2:rows:resume", "odd:3:replicated")
    return d


@pytest.mark.multiprocess
def test_four_devices_match_one_device_over_200_steps(four_devices):
    one, four, rows = (_load(four_devices, n) for n in ("one", "four", "rows"))
    assert one["steps"] == list(range(1, 201)) and four["steps"] == one["steps"] == rows["steps"]
    np.testing.assert_allclose(four["losses"], one["losses"], rtol=0, atol=1e-5)
    np.testing.assert_allclose(rows["losses"], one["losses"], rtol=0, atol=1e-5)
    for a, b in zip(four["final_params"], one["final_params"]):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=0, atol=1e-5)
    assert one["losses"][-1] < one["losses"][0] - 0.3  # it trained: the comparison is not of constants


@pytest.mark.multiprocess
def test_the_batch_is_really_split_and_the_state_replicated(four_devices):
    one, four, rows = (_load(four_devices, n) for n in ("one", "four", "rows"))
    assert one["layout"]["devices"] == 1 and not one["all_reduce"]
    assert four["layout"] == {"devices": 4, "platform": "cpu", "processes": 1, "table": "replicated"}
    assert four["state_devices"] == 4 and four["state_replicated"] and four["batch_shards"] == 4
    assert four["all_reduce"]  # the gradient all-reduce XLA inserted for the sharded batch
    assert four["table_shard_rows"] == one["table_shard_rows"]  # a whole copy on every device
    # sharded by rows: a quarter of the (padded) table per device, gathered with a reduce-scatter
    assert rows["layout"]["table"] == "rows" and rows["reduce_scatter"]
    assert rows["table_shard_rows"] == [-(-one["table_shard_rows"][0] // 4)]
    assert one["compiled_train_programs"] == four["compiled_train_programs"] == rows["compiled_train_programs"] == 1


@pytest.mark.multiprocess
def test_sharded_checkpoint_resumes_and_scores_on_one_device(four_devices):
    four, part = _load(four_devices, "four"), _load(four_devices, "part")
    assert part["steps"] == four["steps"]  # the resumed run logged every step once
    np.testing.assert_allclose(part["losses"], four["losses"], rtol=0, atol=1e-6)
    for a, b in zip(part["final_params"], four["final_params"]):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=0, atol=1e-6)
    # a checkpoint written on 4 devices resumes on 2 with the table sharded by rows
    moved = _load(four_devices, "moved")
    assert moved["layout"]["devices"] == 2 and moved["steps"] == four["steps"]
    np.testing.assert_allclose(moved["losses"], four["losses"], rtol=0, atol=1e-5)
    # this pytest process has one device: the 4-device checkpoint restores and scores here
    from qedjax.data.embeddings import read_embeddings
    from qedjax.ebm.scoring import EnergyScorer

    _, emb, prov = read_embeddings(four_devices / "embeddings.parquet")
    e4 = EnergyScorer.from_checkpoint(four_devices / "four").energies(emb, prov)
    e1 = EnergyScorer.from_checkpoint(four_devices / "one").energies(emb, prov)
    np.testing.assert_allclose(e4, e1, rtol=0, atol=1e-4)
    assert np.std(e1) > 0.1


@pytest.mark.multiprocess
def test_a_global_batch_that_does_not_split_evenly_is_refused(four_devices):
    msg = _load(four_devices, "odd")["error"]
    assert "batch_size 32" in msg and "3 devices" in msg and "\n" not in msg


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.multiprocess
def test_two_hosts_match_one_device(tmp_path):
    """Two processes × two CPU devices joined by jax.distributed (the standard variables), gloo
    collectives between them: the same trajectory as one device, checkpoints written once."""
    from qedjax.ebm.data import load_contrastive_data
    from qedjax.ebm.synthetic import write_synthetic
    from qedjax.ebm.train import train
    from tests.scale.dp_worker import config

    steps = 100
    write_synthetic(tmp_path, n_theorems=60, dim=32, separation=5.0)
    port = _free_port()
    procs = [_worker(tmp_path, "mh:4:replicated", devices=2, wait=False,
                     env={"DP_STEPS": str(steps), "JAX_COORDINATOR_ADDRESS": f"127.0.0.1:{port}",
                          "JAX_NUM_PROCESSES": "2", "JAX_PROCESS_ID": str(i)}) for i in range(2)]
    try:
        outs = [p.communicate(timeout=900)[0] for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in procs), "\n".join(o[-2000:] for o in outs)
    mh = _load(tmp_path, "mh")
    assert mh["layout"] == {"devices": 4, "platform": "cpu", "processes": 2, "table": "replicated"}
    cfg = config(steps)
    data = load_contrastive_data([tmp_path / "trajectories.parquet"], tmp_path / "embeddings.parquet",
                                 cfg.sampler, cfg.train.seed)
    train(cfg, data, tmp_path / "ref", progress=False, log=lambda s: None)
    ref = [json.loads(x) for x in (tmp_path / "ref" / "metrics.jsonl").read_text().splitlines()]
    ref_losses = [x["loss"] for x in ref if x["split"] == "train"]
    assert mh["steps"] == list(range(1, steps + 1))
    np.testing.assert_allclose(mh["losses"], ref_losses, rtol=0, atol=1e-5)
    assert sorted(p.name for p in (tmp_path / "mh" / "checkpoints").iterdir()) == ["100", "50"]


def test_table_layout_rule():
    gib = 2 ** 30
    assert choose_table_layout(1 * gib, 4, 16 * gib) == "replicated"
    assert choose_table_layout(10 * gib, 4, 16 * gib) == "rows"  # 2.5 GiB per device fits, 10 does not
    with pytest.raises(DataError, match=r"needs 10\.0 GiB each.*at least 10 devices"):
        choose_table_layout(40 * gib, 4, 10 * gib)
    assert choose_table_layout(40 * gib, 4, None) == "replicated"  # memory unknown (CPU without sysconf)
    assert choose_table_layout(1, 4, 16 * gib, "rows") == "rows"
    with pytest.raises(ConfigError):
        choose_table_layout(1, 4, 16 * gib, "columns")


def test_distributed_start_only_when_launched_so():
    assert not distributed_requested({})
    assert distributed_requested({"JAX_COORDINATOR_ADDRESS": "10.0.0.1:1234"})
    assert distributed_requested({"SLURM_JOB_ID": "7", "SLURM_STEP_NUM_TASKS": "4"})
    assert not distributed_requested({"SLURM_JOB_ID": "7", "SLURM_NTASKS": "4"})  # salloc shell, no srun step
    assert distributed_requested({"OMPI_COMM_WORLD_SIZE": "2"})
    assert not distributed_requested({"OMPI_COMM_WORLD_SIZE": "1"})
