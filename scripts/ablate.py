#!/usr/bin/env python3
"""Ablations as configs: each row changes settings of `qed demo` and runs round 1 through the one
pipeline (qedjax.app.iterate); the table compares the rows on the same held-out theorems and budgets.

A rows file (configs/ablations/*.toml) holds one table per row, naming the settings the row changes
as a config file would (``ebm.loss.distance_weight = 1.0``, ``encoder.pooling = "mean"``,
``iterate.negatives_per_theorem = 48``). A row may also say ``labels = "truth"``: its distance loss is
then fed the true remaining distance of every state of round 1's search trees (the environment's
shortest-proof search, computed here before training starts) instead of the hindsight bounds of the
proofs found — the upper bound for this encoder and head, a measurement that never enters the product.

Every row starts from a base run (``--source``, a finished `qed demo` / `qed iterate` workdir; by
default the base config is run first into ROOT/seedN/base) and reuses the steps its changes leave
alone (qedjax.app.fork): a loss row retrains and re-evaluates only; an encoder row re-encodes too; a
row that changes the training search searches again; the references are measured once. The first row
is the baseline the others are compared with.

    python scripts/ablate.py --rows configs/ablations/objective.toml --seed 0 --root runs/objective
    python scripts/ablate.py --rows configs/ablations/objective.toml --only "+dist10,truth:+dist10" \\
        --source runs/demo_seed0 --seed 0
    python scripts/ablate.py --rows configs/ablations/value.toml --config configs/demo_bf16.toml --seed 1
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LABELS = ("hindsight", "truth")


def load_rows(path: Path, base, only: list[str] | None) -> dict[str, tuple[object, str]]:
    """Row name → (its config, its labels), every row checked before any runs."""
    from qedjax.config import overlay, read_toml
    from qedjax.ebm.train import uses_bounds
    from qedjax.errors import ConfigError

    rows = read_toml(path)
    unknown = [r for r in only or [] if r not in rows]
    if unknown:
        raise SystemExit(f"error: {path}: no row {unknown[0]!r} (rows: {', '.join(rows)})")
    out = {}
    for name, table in rows.items():
        if only and name not in only:
            continue
        if not isinstance(table, dict):
            raise SystemExit(f"error: {path}: row {name!r} must be a table")
        table = dict(table)
        labels = table.pop("labels", "hindsight")
        if labels not in LABELS:
            raise SystemExit(f"error: {path}: row {name!r}: labels must be one of {', '.join(LABELS)}")
        try:
            cfg = overlay(base, table, f"{path}: row {name!r}")
        except ConfigError as e:
            raise SystemExit(f"error: {e}") from None
        if labels == "truth" and not uses_bounds(cfg.ebm.loss):
            raise SystemExit(f"error: row {name!r}: truth labels feed the distance loss; the row has none")
        out[name] = (cfg, labels)
    return out


def truth_bounds(workdir: Path, cap: float) -> dict[str, tuple[float, float]]:
    """Every state of round 1's search trees → its true remaining distance as an interval (exact up to
    ``cap``; beyond it or unprovable: at least ``cap``). Measurement only, computed before training."""
    import numpy as np

    from qedjax.data.trajectory import read_trajectories
    from qedjax.envs.prop.distance import PropDistance

    states = sorted({s for s in read_trajectories([workdir / "iter1" / "search.parquet"])["state_pp"] if s})
    d = PropDistance().many(states)
    return {s: ((float(min(x, cap)), float(x)) if np.isfinite(x) and x <= cap else (float(cap), math.inf))
            for s, x in zip(states, d)}


def run_row(name: str, cfg, labels: str, source: Path, dest: Path) -> dict:
    from qedjax.app.fork import fork
    from qedjax.app.iterate import run_iterate

    t0 = time.perf_counter()
    reused = fork(source, dest, cfg)
    kw = {}
    if labels == "truth":
        if "iter1.search" not in reused:
            raise SystemExit(f"error: row {name!r}: truth labels need the base run's training search; the row "
                             "changes it")
        truth = truth_bounds(dest, cfg.ebm.loss.cap)
        kw["bounds"] = lambda paths: truth
    res = run_iterate(cfg, dest, log=lambda s: None, **kw)
    it, q = res["iterations"][0], res["iterations"][0]["quality"]
    return {"table": it["table"], "spearman": q.get("spearman_distance"),
            "spearman_provable": q.get("spearman_distance_provable"), "sibling_rank1": q.get("rank1_energy"),
            "valid_solved": it["valid_solved"], "t_ebm": it["t_ebm"], "reused": reused,
            "seconds": round(time.perf_counter() - t0, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=Path, required=True, help="a rows file, e.g. configs/ablations/objective.toml")
    ap.add_argument("--only", help="comma-separated row names (default: every row of the file)")
    ap.add_argument("--config", help="the base config (default: the built-in demo)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--source", type=Path, help="a finished run of the base config (default: run it)")
    ap.add_argument("--root", type=Path, default=Path("runs/ablate"))
    args = ap.parse_args()

    from qedjax.app.iterate import run_iterate
    from qedjax.app.iterate_config import load_iterate_config
    from qedjax.versions import versions

    base = load_iterate_config(args.config, seed=args.seed, iterations=1)
    only = [r.strip() for r in args.only.split(",") if r.strip()] if args.only else None
    rows = load_rows(args.rows, base, only)
    root = args.root / f"seed{args.seed}"
    source = args.source
    if source is None:
        source = root / "base"
        print(f"base run -> {source}", flush=True)
        run_iterate(base, source, log=lambda s: None)
    v = versions()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores; jax {v.get('jax')}, "
          f"torch {v.get('torch')}; rows {args.rows}, source {source}, seed {args.seed}", flush=True)
    out = {}
    for name, (cfg, labels) in rows.items():
        out[name] = run_row(name, cfg, labels, source, root / name)
        print(f"  {name}: {[r['ebm'] for r in out[name]['table']]} in {out[name]['seconds']} s "
              f"(reused: {', '.join(out[name]['reused']) or 'nothing'})", flush=True)
    (root / f"{args.rows.stem}.json").write_text(json.dumps(out, indent=1))
    print_table(out)


def print_table(out: dict) -> None:
    names = list(out)
    first = out[names[0]]["table"]
    budgets = [r["budget"] for r in first]
    top = budgets[-1]
    print("\nreferences: " + "; ".join(
        f"{key} {'/'.join(str(r[key]) for r in first)}" for key in ("policy_only", "length", "distance")
        if key in first[0]) + f" (budgets {'/'.join(map(str, budgets))})")
    w = max(10, *(len(n) for n in names))
    print(f"{'row':<{w}} {'solved at ' + '/'.join(map(str, budgets)):>22} {'headroom @' + str(top):>13} "
          f"{'Spearman':>9} {'(provable)':>10} {'sib. rank-1':>11} {'valid @' + str(top):>9} "
          f"{'vs ' + names[0] + ' @' + str(top):>16}")
    ref = first[-1]["ebm"]
    cell = lambda x, width: f"{x:>{width}.3f}" if x is not None else f"{'–':>{width}}"
    for name, r in out.items():
        t = r["table"]
        hr = t[-1].get("headroom")
        print(f"{name:<{w}} {'/'.join(str(x['ebm']) for x in t):>22} "
              f"{(f'{100 * hr:.0f}%' if hr is not None else '–'):>13} {cell(r['spearman'], 9)} "
              f"{cell(r['spearman_provable'], 10)} {cell(r['sibling_rank1'], 11)} "
              f"{r['valid_solved'][-1]:>9} {t[-1]['ebm'] - ref:>+16d}")


if __name__ == "__main__":
    main()
