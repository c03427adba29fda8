#!/usr/bin/env python3
"""What value-guided search costs: the held-out EBM eval of a finished `qed demo` in each value mode.

Same EBM, temperatures, policy, seeds, theorems and budgets in every row; each row starts from an
empty embedding memo in a fresh process, so every row pays for its own encoding. Rows:
  eager, 8 per call, 1 theorem at a time  — round 1's behaviour (the baseline)
  lazy, 1 theorem at a time               — score a state only when it reaches the top
  eager, 256 theorems pooled              — every child scored, value calls pooled across theorems
  lazy, 256 theorems pooled               — pooled value calls, large batches
  bound, 256 theorems pooled              — score a child when its optimistic priority (best value seen)
                                            reaches the top: eager's order while the bound holds
Prints solved per budget, states encoded, encoding seconds, value-call latency and wall time, with
ratios against the baseline measured in the same run; repeats the pooled row to show its spread. Wall
time is the median over the row's runs with [min–max]; "per exp." is states encoded per expansion.

    qed demo --output runs/demo && python scripts/bench_value_cost.py runs/demo
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

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

MODES = {
    "eager, 8/call, 1 theorem at a time": dict(value_mode="eager", batch_encode_size=8, concurrent_theorems=1),
    "lazy, 1 theorem at a time": dict(value_mode="lazy", batch_encode_size=8, concurrent_theorems=1),
    "eager, 256 theorems pooled": dict(value_mode="eager", batch_encode_size=256, concurrent_theorems=256),
    "lazy, 256 theorems pooled": dict(value_mode="lazy", batch_encode_size=256, concurrent_theorems=256),
    "bound, 256 theorems pooled": dict(value_mode="bound", batch_encode_size=256, concurrent_theorems=256),
}


def one_row(workdir: str, mode: str, out: str) -> None:
    """Child process: one eval in one mode, written to ``out`` as JSON."""
    import dataclasses

    from qedjax.app.iterate_config import IterateConfig
    from qedjax.app.parts import PartsSpec
    from qedjax.app.runs import SearchRun, evaluate
    from qedjax.config import from_dict

    wd = Path(workdir)
    manifest = json.loads((wd / "manifest.json").read_text())
    cfg = from_dict(IterateConfig, manifest["config"], f"{wd}/manifest.json")
    k = max(int(s.split(".")[0][4:]) for s in manifest["steps"] if s.startswith("iter") and s.endswith(".train"))
    cal = dict(manifest["steps"].get(f"iter{k}.calibrate") or {})
    chosen = manifest["steps"].get(f"iter{k}.select_t") or {}  # T_ebm chosen on the validation split
    if "t_ebm" in chosen:
        cal["t_ebm"] = chosen["t_ebm"]
    it = cfg.iterate
    search = dataclasses.replace(cfg.search, max_nodes=max(it.budgets), t_llm=cal.get("t_llm", cfg.search.t_llm),
                                 t_ebm=cal.get("t_ebm", cfg.search.t_ebm), **MODES[mode])
    spec = PartsSpec(env=it.env, policy_seed=it.seed, policy_noise=it.policy_noise, ebm=str(wd / f"iter{k}" / "ebm"))
    job = SearchRun.prepare(spec=spec, config=search, theorems=it.theorems or None, split=it.eval_split,
                            max_theorems=it.max_eval_theorems)
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        result = evaluate(job, Path(d) / "eval.json", it.budgets, progress=False)
        wall = time.perf_counter() - t0
    Path(out).write_text(json.dumps({"budgets": result["budgets"], "stats": result["search_stats"], "wall_s": wall}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workdir", help="a finished `qed demo` / `qed iterate` output directory")
    ap.add_argument("--repeats", type=int, default=3, help="repeats of the pooled row (spread)")
    ap.add_argument("--rows", default=",".join(str(i) for i in range(len(MODES))),
                    help="which rows to run, by number from 0 (" + "; ".join(f"{i}: {m}" for i, m in enumerate(MODES))
                    + "); the first is the baseline, the last is repeated")
    ap.add_argument("--_row", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._row:
        one_row(args.workdir, args._row[0], args._row[1])
        return 0

    import jax
    import torch

    print(f"device cpu ({platform.machine()}, {os.cpu_count()} cores) | jax {jax.__version__} | torch "
          f"{torch.__version__} ({torch.get_num_threads()} threads) | python {platform.python_version()}")
    rows = {}
    with tempfile.TemporaryDirectory() as d:
        try:
            chosen = [list(MODES)[int(i)] for i in args.rows.split(",")]
        except (ValueError, IndexError):
            ap.error(f"--rows takes numbers 0–{len(MODES) - 1}, comma-separated")
        plan = chosen + [chosen[-1]] * (args.repeats - 1)
        for i, mode in enumerate(plan):
            out = Path(d) / f"{i}.json"
            subprocess.run([sys.executable, __file__, args.workdir, "--_row", mode, str(out)], check=True)
            rows.setdefault(mode, []).append(json.loads(out.read_text()))
    base = rows[chosen[0]][0]
    budgets = [b["budget"] for b in base["budgets"]]
    print(f"\nheld-out EBM eval of {args.workdir}: solved at budgets {budgets}; wall time includes encoder load")
    head = (f"{'mode':<38}{'solved':>18}{'expanded':>9}{'encoded':>9}{'per exp.':>9}{'encode s':>10}"
            f"{'wall s':>9}{'vs first':>10}")
    print(head)
    for mode, runs in rows.items():
        r = runs[0]
        walls = [x["wall_s"] for x in runs]
        wall = statistics.median(walls)
        solved = "/".join(str(b["solved"]) for b in r["budgets"])
        st = r["stats"]
        spread = f" [{min(walls):.0f}–{max(walls):.0f}]" if len(walls) > 1 else ""
        exp, enc = st.get("expanded", 0), st.get("states_encoded", 0)
        print(f"{mode:<38}{solved:>18}{exp:>9}{enc:>9}{enc / max(exp, 1):>9.2f}{st.get('encode_s', 0.0):>10.1f}"
              f"{wall:>9.1f}{base['wall_s'] / wall:>9.2f}x{spread}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
