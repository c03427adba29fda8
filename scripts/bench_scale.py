#!/usr/bin/env python3
"""Scale-out throughput, each figure against a baseline measured in the same run.

``search``: prop, policy-only (heuristic policy, no value), the 240 shipped test theorems at
``--max-nodes`` expansions: in-process (the reference), 1 Ray actor, 2 Ray actors, 2 local processes.
Configurations are interleaved repeat by repeat (a shared machine's load hits all of them alike),
after one warm-up round. Each run is timed end to end (worker start-up included) and in steady
state (first to last finished theorem, start-up excluded). Target: 2 Ray actors >= 1.7x one actor.

``train``: EBM training steps/s on 1 device against N simulated CPU devices
(``--xla_force_host_platform_device_count``; each count in its own process, as it must be set
before jax is imported). Simulated devices share this machine's cores: the figure is the cost of
the sharded program (collectives, smaller per-device matmuls), not a speed-up. On a real
multi-GPU host the same script measures real data parallelism.

Every run prints the device, versions, repeats, median and min/max.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _versions() -> str:
    from qedjax.versions import versions

    v = versions()
    extra = []
    try:
        from importlib import metadata

        extra.append(f"ray {metadata.version('ray')}")
    except Exception:  # noqa: BLE001 - ray is optional
        extra.append("ray (not installed)")
    return " | ".join([f"python {v['python']}", f"qedjax {v.get('qedjax')}", f"jax {v.get('jax')}",
                       *extra, f"{platform.machine()}", f"{os.cpu_count()} cpus",
                       f"load avg {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""])


def _summary(xs: list[float]) -> str:
    return f"{statistics.median(xs):8.1f} [{min(xs):7.1f} … {max(xs):7.1f}]"


# -- search ---------------------------------------------------------------------------------------

def bench_search(args) -> None:
    from qedjax.app.parts import PartsSpec, parts_factory
    from qedjax.cluster import connect_ray
    from qedjax.envs.prop.bench import shipped_benchmark_path
    from qedjax.search import executors
    from qedjax.search.config import SearchConfig
    from qedjax.search.runner import run_search
    from qedjax.search.theorems import load_theorems

    theorems = load_theorems(shipped_benchmark_path(), "test")[: args.theorems]
    cfg = SearchConfig(max_nodes=args.max_nodes)
    factory = parts_factory(PartsSpec())
    t0 = time.perf_counter()
    connect_ray(args.ray_address)
    ray_start = time.perf_counter() - t0
    import ray

    configs = {
        "in-process (reference)": lambda: executors.InProcess(),
        "Ray, 1 actor": lambda: executors.RayActors(1),
        "Ray, 2 actors": lambda: executors.RayActors(2),
        "2 local processes": lambda: executors.LocalProcesses(2),
    }
    print(f"search: {len(theorems)} prop test theorems, max_nodes {args.max_nodes}, heuristic policy, no value")
    print(_versions())
    print(f"Ray: {ray.cluster_resources().get('CPU', 0):g} CPUs in the cluster; started/joined in "
          f"{ray_start:.1f}s (not counted below)")
    results: dict[str, dict[str, list[float]]] = {k: {"e2e": [], "steady": [], "nodes": []} for k in configs}
    solved = {}
    with tempfile.TemporaryDirectory() as d:
        for rep in range(args.repeats + 1):  # round 0 is the warm-up
            for i, (name, make) in enumerate(configs.items()):
                done_at: list[float] = []
                out = Path(d) / f"{rep}-{i}.parquet"
                t0 = time.perf_counter()
                s = run_search(theorems, factory, cfg, out, executor=make(),
                               progress=lambda row: done_at.append(time.perf_counter()))
                wall = time.perf_counter() - t0
                solved[name] = s.solved
                if rep == 0:
                    continue
                n = len(theorems)
                results[name]["e2e"].append(n / wall)
                k = getattr(make(), "workers", 1)  # the first k results carry the start-up
                results[name]["steady"].append((n - k) / max(done_at[-1] - done_at[k - 1], 1e-9))
                results[name]["nodes"].append(s.stats.expanded / wall)
            print(f"  round {rep}{' (warm-up)' if rep == 0 else ''} done", file=sys.stderr)
    print(f"\n{args.repeats} repeats after a warm-up round; median [min … max]")
    print(f"{'executor':<24}{'solved':>8}{'theorems/s end-to-end':>32}{'theorems/s steady':>32}")
    for name in configs:
        r = results[name]
        print(f"{name:<24}{solved[name]:>8}{_summary(r['e2e']):>32}{_summary(r['steady']):>32}")
    med = {name: {k: statistics.median(v) for k, v in r.items()} for name, r in results.items()}
    one, two, procs, ref = (med[k] for k in ("Ray, 1 actor", "Ray, 2 actors", "2 local processes",
                                              "in-process (reference)"))
    for key, label in (("e2e", "end-to-end"), ("steady", "steady state")):
        print(f"{label:>13}: 2 Ray actors / 1 Ray actor = {two[key] / one[key]:.2f}x (target >= 1.7x); "
              f"1 Ray actor / in-process = {one[key] / ref[key]:.2f}x; "
              f"2 Ray actors / 2 local processes = {two[key] / procs[key]:.2f}x")


# -- training -------------------------------------------------------------------------------------

def _train_child(args) -> None:
    """In a process whose device count is already fixed: steps/s of the sharded train step."""
    import dataclasses

    import jax
    import numpy as np

    from qedjax.ebm.config import EBMConfig
    from qedjax.ebm.data import load_contrastive_data
    from qedjax.ebm.sharding import make_layout
    from qedjax.ebm.synthetic import write_synthetic
    from qedjax.ebm.train import Trainer, host_chunk

    cfg = EBMConfig()
    cfg = dataclasses.replace(
        cfg, sampler=dataclasses.replace(cfg.sampler, k_negatives=args.k, val_fraction=0.0),
        model=dataclasses.replace(cfg.model, hidden_dims=(512, 256)),
        train=dataclasses.replace(cfg.train, batch_size=args.batch, steps_per_call=args.steps_per_call,
                                  total_steps=10_000, warmup_steps=100))
    with tempfile.TemporaryDirectory() as d:
        traj, emb = write_synthetic(d, n_theorems=400, dim=args.dim, siblings=6, path_len=6)
        data = load_contrastive_data([traj], emb, cfg.sampler, cfg.train.seed)
    layout = make_layout(args.devices, table_bytes=data.table.size * 4, table=args.table)
    tr = Trainer(cfg, data.dim, 10_000, 100, layout)
    table = tr.put_table(data.table)
    S = cfg.train.steps_per_call
    chunks = [tr.put_chunk(*host_chunk(data, cfg, i * S, S)) for i in range(4)]  # sampling excluded
    state = tr.init_state
    t0 = time.perf_counter()
    state, m = tr.run_chunk(state, table, *chunks[0])
    jax.block_until_ready(m)
    compile_s = time.perf_counter() - t0
    rates = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for i in range(args.calls):
            state, m = tr.run_chunk(state, table, *chunks[i % len(chunks)])
        jax.block_until_ready(m)
        rates.append(args.calls * S / (time.perf_counter() - t0))
    print(json.dumps({"devices": layout.n_devices, "platform": jax.devices()[0].platform,
                      "device_kind": jax.devices()[0].device_kind, "table": layout.table,
                      "rates": rates, "compile_s": compile_s, "programs": tr.compiled_train_programs,
                      "loss": float(np.mean(np.asarray(m["loss"])))}))


def bench_train(args) -> None:
    print(f"train: D={args.dim}, hidden 512/256, global batch {args.batch}, K={args.k}, "
          f"{args.steps_per_call} steps per call, {args.calls} calls per repeat, {args.repeats} repeats "
          "after a compile/warm-up call")
    print(_versions())
    rows = []
    for n in args.device_counts:
        for table in (["replicated", "rows"] if n > 1 else ["replicated"]):
            env = dict(os.environ, JAX_PLATFORMS=os.environ.get("JAX_PLATFORMS", "cpu"))
            if env["JAX_PLATFORMS"] == "cpu":
                env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={n}"
            cmd = [sys.executable, __file__, "train-child", "--devices", str(n), "--table", table,
                   *[f"--{k.replace('_', '-')}={getattr(args, k)}" for k in
                     ("dim", "batch", "k", "steps_per_call", "calls", "repeats")]]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
            if out.returncode != 0:
                print(out.stderr[-2000:], file=sys.stderr)
                raise SystemExit(f"the {n}-device run failed")
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = statistics.median(rows[0]["rates"])
    plat = rows[0]["platform"]
    simulated = plat == "cpu"
    if simulated:
        print(f"device: {rows[0]['device_kind']} — SIMULATED devices: all of them share this machine's "
              f"{os.cpu_count()} cores, so N devices cannot be faster than one here; the ratio is the cost "
              "of the sharded program (collectives, smaller matmuls)")
    else:
        print(f"device: {rows[0]['device_kind']} ({plat})")
    print(f"\n{'devices':>8}{'table':>12}{'steps/s median [min … max]':>34}{'vs 1 device':>14}"
          f"{'compile s':>11}{'programs':>10}")
    for r in rows:
        med = statistics.median(r["rates"])
        print(f"{r['devices']:>8}{r['table']:>12}{_summary(r['rates']):>34}{med / base:>13.2f}x"
              f"{r['compile_s']:>11.2f}{r['programs']:>10}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("search", help="search throughput: 1 vs 2 Ray actors vs 2 local processes")
    s.add_argument("--theorems", type=int, default=240)
    s.add_argument("--max-nodes", type=int, default=100)
    s.add_argument("--repeats", type=int, default=5)
    s.add_argument("--ray-address", default=None, help="join a running cluster instead of a local Ray")
    for name in ("train", "train-child"):
        t = sub.add_parser(name, help="training steps/s on 1 vs N devices" if name == "train" else
                           argparse.SUPPRESS)
        t.add_argument("--dim", type=int, default=384)
        t.add_argument("--batch", type=int, default=256)
        t.add_argument("--k", type=int, default=7)
        t.add_argument("--steps-per-call", type=int, default=10)
        t.add_argument("--calls", type=int, default=5)
        t.add_argument("--repeats", type=int, default=5)
        if name == "train":
            t.add_argument("--device-counts", type=lambda x: [int(v) for v in x.split(",")], default=[1, 4])
        else:
            t.add_argument("--devices", type=int, required=True)
            t.add_argument("--table", default="replicated")
    args = ap.parse_args()
    {"search": bench_search, "train": bench_train, "train-child": _train_child}[args.what](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
