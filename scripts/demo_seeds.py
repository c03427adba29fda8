#!/usr/bin/env python3
"""`qed demo` (or `qed iterate`) over several seeds: solved per budget for policy-only, the hand-made
value, the EBM and the perfect-distance ceiling, headroom captured, and the value head's Spearman
correlation with the true distance — per seed and as the mean, from each run's results.json.

    python scripts/demo_seeds.py --seeds 0,1,2 --root runs/demo_seeds
    python scripts/demo_seeds.py --seeds 0,1,2 --root runs/iterate --command iterate --config configs/iterate.toml
    python scripts/demo_seeds.py --seeds 0,1,2 --root runs/iter_policy --command iterate \
        --config configs/iterate_policy.toml     # the policy learned too: its report per round and tier
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path


def run_seed(command: str, out: Path, seed: int, config: str | None) -> dict:
    if not (out / "results.json").exists():
        cmd = ["qed", command, "--seed", str(seed)]
        cmd += ["--output", str(out)] if command == "demo" else ["--workdir", str(out)]
        if config:
            cmd += ["--config", config]
        subprocess.run(cmd, check=True)
    return json.loads((out / "results.json").read_text())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--root", default="runs/demo_seeds")
    ap.add_argument("--command", choices=["demo", "iterate"], default="demo")
    ap.add_argument("--config", help="config TOML passed to the command")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    results = {s: run_seed(args.command, Path(args.root) / f"seed{s}", s, args.config) for s in seeds}
    if results[seeds[0]].get("policy_learning"):  # policy and value learned together ([policy] train = true)
        from qedjax.app.policy_report import seeds_lines

        print("\n".join(seeds_lines(results)))
        return 0
    n_iter = len(results[seeds[0]]["iterations"])
    for k in range(n_iter):
        tables = {s: results[s]["iterations"][k]["table"] for s in seeds}
        keys = [c for c in ("policy_only", "length", "ebm", "distance") if c in tables[seeds[0]][0]]
        print(f"\niteration {k + 1}: held-out theorems solved (per seed; mean), headroom = (EBM − policy) / "
              f"(ceiling − policy)")
        print(f"{'budget':>7}" + "".join(f"{c:>22}" for c in keys) + f"{'headroom':>22}")
        for i, row in enumerate(tables[seeds[0]]):
            cells = []
            for c in keys + ["headroom"]:
                vals = [tables[s][i].get(c) for s in seeds]
                if any(v is None for v in vals):
                    cells.append(f"{'—':>22}")
                elif c == "headroom":
                    cells.append(f"{' '.join(f'{100 * v:.0f}' for v in vals) + f' ; {100 * statistics.fmean(vals):.0f}%':>22}")
                else:
                    cells.append(f"{' '.join(str(v) for v in vals) + f' ; {statistics.fmean(vals):.1f}':>22}")
            print(f"{row['budget']:>7}" + "".join(cells))
        q = [results[s]["iterations"][k]["quality"] for s in seeds]
        if all("spearman_distance" in x for x in q):
            sp = [x["spearman_distance"] for x in q]
            print("Spearman(energy, true distance): " + ", ".join(f"{v:.3f}" for v in sp)
                  + f" (mean {statistics.fmean(sp):.3f})")
        aucs = [x["auc"] for x in q]
        print("AUC of −energy vs oracle: " + ", ".join(f"{a:.3f}" for a in aucs)
              + f" (mean {statistics.fmean(aucs):.3f})")
        best_hand = [tables[s] for s in seeds]
        if "length" in keys:
            beats = all(r["ebm"] > r["length"] for t in best_hand for r in t)
            print(f"EBM beats −len(state) at every budget and seed: {'yes' if beats else 'no'}")
        times = {s: round_seconds(Path(args.root) / f"seed{s}", k + 1) for s in seeds}
        if all(times.values()):
            print("round's step times (s) per seed, as the command printed them: " + ", ".join(
                f"seed {s}: " + " + ".join(f"{name} {t:.0f}" for name, t in times[s].items())
                + f" = {sum(times[s].values()):.0f}" for s in seeds))
    return 0


def round_seconds(workdir: Path, k: int) -> dict[str, float]:
    """The seconds of each step of round ``k`` (search, encode, train, select_t, eval_ebm, quality), from
    the run's manifest; empty when the manifest lacks them (a resumed step records no time)."""
    steps = json.loads((workdir / "manifest.json").read_text()).get("steps", {})
    out = {}
    for name in ("search", "encode", "train", "select_t", "eval_ebm", "quality"):
        rec = steps.get(f"iter{k}.{name}")
        if isinstance(rec, dict) and isinstance(rec.get("seconds"), (int, float)):
            out[name] = float(rec["seconds"])
    return out


if __name__ == "__main__":
    sys.exit(main())
