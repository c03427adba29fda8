#!/usr/bin/env python3
"""Best-first against PUCT at equal node budgets, with the same policy, values, theorems and seeds.

For each seed and each value — policy only, a trained head (``--demo DIR`` from ``qed demo``, or
``--ebm``), and the perfect distance (prop's ceiling, measurement only) — both algorithms search the
held-out test split at the largest budget; solved counts at the smaller budgets are read from the same
searches (a search's first k expansions do not depend on its budget). Printed per run: solved at each
budget, policy expansions, states scored and wall time.

Each algorithm's settings are chosen on the validation split, never on test, by the rule ``qed iterate``
uses for its heads (``qedjax.app.temperatures.validation_score``): most theorems solved over all
budgets, then the most at the largest budget, then the earlier setting of the grid. Best-first chooses T_ebm from the value's spread (its standard deviation over the states of
a policy-only validation search) × ``--t-grid``; PUCT chooses c_puct from ``--c-grid`` and the scale of
its value transform sigmoid((v − centre) / T_ebm) from the same spread × ``--t-grid`` (centre: each
theorem's root value, or also the validation states' median with ``--centers root,median``). Without a
value there is nothing to choose (every Q is 0, so c_puct scales every score alike). Settings are chosen once, with the first seed's policy, unless
``--select-per-seed``.

The head's searches read and extend embedding memos copied from the demo's workdir into ``--output``
(the demo's own files are never written). Timings are provisional on a shared machine: rerun on an
idle one for figures to publish.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

GRID_T = (1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125)
GRID_C = (0.01, 0.03, 0.1, 0.3, 1.0)


def parse_floats(text: str) -> tuple[float, ...]:
    return tuple(float(x) for x in text.split(",") if x.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", type=Path, help="a `qed demo`/`qed iterate` workdir: its champion head, T_llm "
                                              "and embedding memos")
    ap.add_argument("--ebm", type=Path, help="an EBM checkpoint directory instead of --demo's head")
    ap.add_argument("--output", type=Path, required=True, help="folder for results.json and memo copies")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--budgets", default="3,5,10,20")
    ap.add_argument("--values", default="policy,head,distance", help="any of policy, head, length, distance")
    ap.add_argument("--max-theorems", type=int, default=240, help="per split (spread over its difficulties)")
    ap.add_argument("--t-grid", type=parse_floats, default=GRID_T, help="multipliers of the value's spread")
    ap.add_argument("--c-grid", type=parse_floats, default=GRID_C, help="c_puct values")
    ap.add_argument("--centers", default="root", help="PUCT value centres to choose from: root, median")
    ap.add_argument("--select-per-seed", action="store_true", help="choose settings again for every seed")
    args = ap.parse_args()

    import jax

    import qedjax
    from qedjax.app.evaluation import eval_result
    from qedjax.app.iterate_config import IterateConfig
    from qedjax.app.parts import PartsSpec, build_parts
    from qedjax.app.temperatures import validation_score
    from qedjax.data.embeddings import shard_dir
    from qedjax.envs.prop.bench import shipped_benchmark_path
    from qedjax.io import atomic_write_json
    from qedjax.search.engine import search_many
    from qedjax.search.records import theorem_row, to_records
    from qedjax.search.theorems import load_theorems
    from qedjax.search.tree import SearchStats

    seeds = [int(s) for s in args.seeds.split(",")]
    budgets = sorted({int(b) for b in args.budgets.split(",")})
    values = [v.strip() for v in args.values.split(",") if v.strip()]
    centers = [c.strip() for c in args.centers.split(",") if c.strip()]
    if set(centers) - {"root", "median"} or set(values) - {"policy", "head", "length", "distance"}:
        print("error: --centers takes root, median; --values takes policy, head, length, distance", file=sys.stderr)
        return 2
    out = args.output
    out.mkdir(parents=True, exist_ok=True)
    base = dataclasses.replace(IterateConfig().search, max_nodes=budgets[-1])  # the demo's search settings
    head, memos, t_llm = None, {}, base.t_llm
    if "head" in values:
        if args.demo is not None:
            results = json.loads((args.demo / "results.json").read_text())
            last = results["iterations"][-1]
            head = args.demo / f"iter{last['head_from_iteration']}" / "ebm"
            t_llm = float(last["t_llm"])
            for split, name in (("valid", "valid_embeddings.parquet"), ("test", "eval_embeddings.parquet")):
                memos[split] = memo = out / f"memo_{split}.parquet"
                if (args.demo / name).exists() and not memo.exists():
                    shutil.copy2(args.demo / name, memo)
                # what the demo's searches encoded, as shards beside the cache
                if shard_dir(args.demo / name).is_dir() and not shard_dir(memo).exists():
                    shutil.copytree(shard_dir(args.demo / name), shard_dir(memo))
        elif args.ebm is not None:
            head = args.ebm
        else:
            print("error: --values head needs --demo DIR or --ebm DIR", file=sys.stderr)
            return 2
    theorems = {}
    for split in ("valid", "test"):  # a subset spreads over the difficulty-sorted split
        every = load_theorems(shipped_benchmark_path(), split)
        theorems[split] = every[::max(1, len(every) // args.max_theorems)][: args.max_theorems]

    def spec(value: str, seed: int, split: str) -> PartsSpec:
        if value == "head":
            memo = memos.get(split)
            return PartsSpec(policy_seed=seed, ebm=str(head), embedding_memo=str(memo) if memo else None)
        return PartsSpec(policy_seed=seed, value=None if value == "policy" else value)

    def search(split: str, value: str, seed: int, cfg) -> dict:
        env, policy, scorer, _ = build_parts(spec(value, seed, split))
        stats, rows, states = SearchStats(), [], []
        t0 = time.perf_counter()
        for _, _, r in search_many(theorems[split], env, policy, scorer, cfg, cfg.concurrent_theorems):
            if isinstance(r, BaseException):
                raise r
            stats.merge(r.stats)
            rows.append(theorem_row(r))
            states += [x["state_pp"] for x in to_records(r) if x["state_pp"]]
        wall = time.perf_counter() - t0
        if hasattr(scorer, "flush"):
            scorer.flush()
        solved = [b["solved"] for b in eval_result([rows], budgets, {})["budgets"]]
        return {"solved": solved, "expanded": stats.expanded, "states_scored": stats.states_scored,
                "wall_s": wall, "search_s": stats.total_s, "states": states}

    def config(algorithm: str, value: str, seed: int, spread: dict) -> tuple:
        """(chosen config, what was tried) for ``algorithm`` with ``value``, on the validation split."""
        cfg = dataclasses.replace(base, algorithm=algorithm, t_llm=t_llm if value == "head" else base.t_llm)
        if value == "policy":  # with every value 0, PUCT's choices do not depend on c_puct: nothing to choose
            return dataclasses.replace(cfg, beta=0.0), []
        else:
            scale, median = spread[value]
            ts = [max(scale * m, 1e-4) for m in args.t_grid]
            if algorithm == "best-first":
                grid = [dict(t_ebm=t) for t in ts]
            else:
                grid = [dict(c_puct=c, t_ebm=t, value_center=None if center == "root" else median)
                        for center in centers for c in args.c_grid for t in ts]
        if len(grid) == 1:
            return dataclasses.replace(cfg, **grid[0]), []
        tried = []
        for i, g in enumerate(grid):
            r = search("valid", value, seed, dataclasses.replace(cfg, **g))
            tried.append({**g, "solved": r["solved"], "order": i})
        best = max(tried, key=lambda r: (*validation_score(r["solved"]), -r["order"]))  # ties: grid order
        chosen = {k: v for k, v in best.items() if k not in ("solved", "order")}
        return dataclasses.replace(cfg, **chosen), tried

    results = {"budgets": budgets, "seeds": seeds, "head": str(head) if head else None, "t_llm_head": t_llm,
               "base_config": dataclasses.asdict(base), "runs": []}
    chosen: dict = {}
    print(f"python {platform.python_version()} | jax {jax.__version__} on {jax.devices()[0].platform} | "
          f"qedjax {qedjax.__version__} | {platform.machine()} | cpus {os.cpu_count()}")
    print(f"{len(theorems['test'])} test theorems (settings chosen on {len(theorems['valid'])} validation "
          f"theorems); budgets {budgets}; head {head}\n")
    header = f"{'seed':>4}  {'value':<9}{'algorithm':<11}" + "".join(f"{'@' + str(b):>6}" for b in budgets)
    print(header + f"{'expanded':>10}{'scored':>9}{'wall s':>9}  settings")
    for seed in seeds:
        if seed == seeds[0] or args.select_per_seed:  # each value's spread and median on validation states
            spread = {}
            states = search("valid", "policy", seed, dataclasses.replace(base, beta=0.0))["states"]
            for value in values:
                if value != "policy":
                    _, _, scorer, _ = build_parts(spec(value, seed, "valid"))
                    v = np.asarray(scorer.score(states), np.float64)
                    v = v[np.isfinite(v)]
                    spread[value] = (float(np.std(v)) or 1.0, float(np.median(v)))
        for value in values:
            for algorithm in ("best-first", "puct"):
                key = (value, algorithm)
                if key not in chosen or args.select_per_seed:
                    chosen[key] = config(algorithm, value, seed, spread)
                cfg, tried = chosen[key]
                r = search("test", value, seed, cfg)
                settings = {k: getattr(cfg, k) for k in ("t_ebm", "c_puct", "value_center", "t_llm")
                            if algorithm == "puct" or k in ("t_ebm", "t_llm")}
                results["runs"].append({"seed": seed, "value": value, "algorithm": algorithm, "settings": settings,
                                        "validation": tried, **{k: r[k] for k in r if k != "states"}})
                shown = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in settings.items())
                print(f"{seed:>4}  {value:<9}{algorithm:<11}" + "".join(f"{n:>6}" for n in r["solved"])
                      + f"{r['expanded']:>10}{r['states_scored']:>9}{r['wall_s']:>9.1f}  {shown}", flush=True)
    print("\nmean over seeds")
    print(header + f"{'expanded':>10}{'scored':>9}{'wall s':>9}")
    for value in values:
        for algorithm in ("best-first", "puct"):
            rs = [r for r in results["runs"] if r["value"] == value and r["algorithm"] == algorithm]
            solved = [statistics.mean(r["solved"][i] for r in rs) for i in range(len(budgets))]
            print(f"{'':>4}  {value:<9}{algorithm:<11}" + "".join(f"{n:>6.1f}" for n in solved)
                  + f"{statistics.mean(r['expanded'] for r in rs):>10.0f}"
                  + f"{statistics.mean(r['states_scored'] for r in rs):>9.0f}"
                  + f"{statistics.mean(r['wall_s'] for r in rs):>9.1f}")
    atomic_write_json(out / "results.json", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
