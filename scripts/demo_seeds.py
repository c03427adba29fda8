#!/usr/bin/env python3
"""Run `qed demo` for several seeds and average policy+EBM − policy-only per budget.

    python scripts/demo_seeds.py --seeds 0,1,2 --root runs/demo_seeds
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--root", default="runs/demo_seeds")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    per_seed = {}
    for s in seeds:
        out = Path(args.root) / f"seed{s}"
        if not (out / "results.json").exists():
            subprocess.run(["qed", "demo", "--output", str(out), "--seed", str(s)], check=True)
        per_seed[s] = json.loads((out / "results.json").read_text())["iterations"][-1]
    budgets = [r["budget"] for r in per_seed[seeds[0]]["compare"]["rows"]]
    print(f"{'budget':>7}" + "".join(f"{'seed ' + str(s):>22}" for s in seeds) + f"{'mean Δ (pp)':>14}")
    for i, b in enumerate(budgets):
        cells, deltas = [], []
        for s in seeds:
            r = per_seed[s]["compare"]["rows"][i]
            deltas.append(r["delta_pp"])
            cells.append(f"{100 * r['policy_only']:5.1f}→{100 * r['policy_ebm']:5.1f} ({r['delta_pp']:+.1f})")
        print(f"{b:>7}" + "".join(f"{c:>22}" for c in cells) + f"{sum(deltas) / len(deltas):>+14.1f}")
    aucs = [per_seed[s]["quality"]["auc"] for s in seeds]
    print("AUC of −energy vs oracle: " + ", ".join(f"{a:.3f}" for a in aucs)
          + f" (mean {sum(aucs) / len(aucs):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
