"""Subprocess side of the data-parallel tests (the device count is fixed before jax is imported).

``python -m tests.scale.dp_worker DIR RUN...`` where each RUN is ``name:devices:table[:stop|resume]``
(``stop`` kills the run right after its step-``STEPS/2`` checkpoint; ``resume`` continues it). Writes
``DIR/<name>.json`` per run: per-step train losses, how the state is laid out and whether the compiled
step contains a cross-device collective.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import jax
import numpy as np

from qedjax.ebm import checkpoint as ckpt
from qedjax.ebm.config import EBMConfig
from qedjax.ebm.data import load_contrastive_data
from qedjax.ebm.synthetic import write_synthetic
from qedjax.ebm.train import train
from qedjax.errors import QedError


def config(steps: int) -> EBMConfig:
    cfg = EBMConfig()
    return dataclasses.replace(
        cfg, model=dataclasses.replace(cfg.model, hidden_dims=(64, 32)),
        sampler=dataclasses.replace(cfg.sampler, val_fraction=0.2),
        # log_every=1: every step's loss is logged (the trajectory under test)
        train=dataclasses.replace(cfg.train, total_steps=steps, warmup_steps=20, log_every=1,
                                  val_every=steps // 2, checkpoint_every=steps // 2, steps_per_call=2,
                                  lr=1e-3, val_batches=4, batch_size=32))


class Killed(Exception):
    pass


def run(directory: Path, spec: str, steps: int) -> None:
    name, devices, table, *mode = spec.split(":")
    cfg = config(steps)
    data = load_contrastive_data([directory / "trajectories.parquet"], directory / "embeddings.parquet",
                                 cfg.sampler, cfg.train.seed)
    stop = mode == ["stop"]
    real_save = ckpt.save

    def save_then_die(mngr, state, force=False):
        real_save(mngr, state, force)
        if stop and int(state.step) == steps // 2:
            mngr.wait_until_finished()
            raise Killed

    ckpt.save = save_then_die
    try:
        res = train(cfg, data, directory / name, progress=False, log=lambda s: None,
                    devices=int(devices), table_layout=table, resume=mode == ["resume"])
    except Killed:
        return
    except QedError as e:
        (directory / f"{name}.json").write_text(json.dumps({"error": str(e)}))
        return
    finally:
        ckpt.save = real_save
    tr = res.trainer
    lines = [json.loads(x) for x in (directory / name / "metrics.jsonl").read_text().splitlines()]
    chunk = tr.put_chunk(np.zeros((2, 32, cfg.sampler.k_negatives + 1), np.int32),
                         np.zeros((2, 32, cfg.sampler.k_negatives + 1, 3), np.float32),
                         np.zeros((2,), bool))
    table = tr.put_table(data.table)
    hlo = tr.run_chunk.lower(res.state, table, *chunk).compile().as_text()
    leaf = jax.tree.leaves(res.state.params)[0]
    out = {
        "losses": [x["loss"] for x in lines if x["split"] == "train"],
        "steps": [x["step"] for x in lines if x["split"] == "train"],
        "compiled_train_programs": tr.compiled_train_programs,
        "state_devices": len(leaf.sharding.device_set),
        "state_replicated": bool(leaf.sharding.is_fully_replicated),
        "batch_shards": len({str(s.index) for s in chunk[0].addressable_shards}),
        "table_shard_rows": sorted({s.data.shape[0] for s in table.addressable_shards}),
        "all_reduce": "all-reduce" in hlo,
        "reduce_scatter": "reduce-scatter" in hlo,
        "layout": res.trainer.layout.describe(),
        "final_params": [np.asarray(x).tolist() for x in jax.tree.leaves(res.state.params)],
    }
    if jax.process_index() == 0:
        (directory / f"{name}.json").write_text(json.dumps(out))


def main(argv: list[str]) -> None:
    directory = Path(argv[0])
    steps = int(os.environ.get("DP_STEPS", "200"))
    if not (directory / "trajectories.parquet").exists():
        write_synthetic(directory, n_theorems=60, dim=32, separation=5.0)
    for spec in argv[1:]:
        run(directory, spec, steps)


if __name__ == "__main__":
    main(sys.argv[1:])
