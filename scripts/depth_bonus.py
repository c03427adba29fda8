#!/usr/bin/env python3
"""How the best-first depth bonus (``[search] depth_bonus``, γ nats per level added to the cumulative
log-prob) changes policy-only search, on the validation split, for the heuristic and any tactic LMs.

Each (policy, γ) pair is one ``qed eval`` (policy only, no value head) at the same node budgets, with
the search settings of an iterate config (``--config``: its ``[search]`` table, as its rounds evaluate),
so the rows differ only in γ; the γ = 0 row (burn-qed's priority) is the baseline measured in the same run, and
every other row prints its difference from it. A search with a fixed policy seed is deterministic (the
LM decodes by beam search), so one run per pair is the figure, not a sample.

    python scripts/depth_bonus.py --workdir runs/depth_bonus --lm runs/ip/seed0/iter3/policy \\
        [--lm ...] [--bonuses 0,1,2,3] [--no-heuristic] [--seeds 0,1,2] [--config configs/iterate_policy.toml]

Every eval writes into WORKDIR and is reused when its JSON exists (rerun the same command to resume).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

SAMPLE = """[sample]
threads = 1
"""


def search_toml(iterate_config: Path, out: Path) -> Path:
    """The ``[search]`` table of an iterate config (its base files resolved), as a search TOML."""
    import dataclasses

    from qedjax.app.iterate_config import load_iterate_config

    table = dataclasses.asdict(load_iterate_config(iterate_config).search)
    lines = [f"{k} = {json.dumps(v)}" for k, v in table.items() if v is not None and k != "depth_bonus"]
    out.write_text("\n".join(lines) + "\n")
    return out


def evaluate(out: Path, policy: list[str], bonus: float, seed: int, args) -> list[int]:
    if not out.exists():
        cmd = ["qed", "eval", *policy, "--split", args.split, "--config", str(args.search_toml),
               "--budgets", ",".join(map(str, args.budgets)), "--max-nodes", str(max(args.budgets)),
               "--depth-bonus", str(bonus), "--seed", str(seed), "--quiet", "--output", str(out)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return [b["solved"] for b in json.loads(out.read_text())["budgets"]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--lm", action="append", default=[], help="a tactic LM directory (repeatable)")
    ap.add_argument("--no-heuristic", action="store_true", help="leave out the heuristic policy")
    ap.add_argument("--bonuses", default="0,1,2,3")
    ap.add_argument("--split", default="valid")
    ap.add_argument("--budgets", default="3,5,10,20")
    ap.add_argument("--config", type=Path, default=Path("configs/iterate_policy.toml"),
                    help="iterate config whose [search] table the evals use (its depth_bonus aside)")
    ap.add_argument("--seeds", default="0", help="policy seeds (the heuristic's noise; an LM's are all alike)")
    args = ap.parse_args()
    args.budgets = [int(b) for b in args.budgets.split(",")]
    bonuses = [float(b) for b in args.bonuses.split(",")]
    if 0.0 not in bonuses:
        bonuses.insert(0, 0.0)  # the baseline
    seeds = [int(x) for x in args.seeds.split(",")]
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.search_toml = search_toml(args.config, args.workdir / "search.toml")
    sample = args.workdir / "sample.toml"
    sample.write_text(SAMPLE)
    policies = [] if args.no_heuristic else [("heuristic", ["--policy", "heuristic"])]
    for lm in args.lm:
        if not Path(lm).is_dir():
            print(f"error: not a model directory: {lm}", file=sys.stderr)
            return 2
        policies.append((lm, ["--policy", "hf", "--hf-model", lm, "--policy-config", str(sample)]))
    import torch

    import qedjax

    print(f"# device: cpu ({platform.processor() or platform.machine()}, {os.cpu_count()} cores); qedjax "
          f"{qedjax.__version__}, torch {torch.__version__}, python {platform.python_version()}")
    print(f"# {args.split} split, policy only, the [search] settings of {args.config}; theorems solved at budgets "
          f"{'/'.join(map(str, args.budgets))} (Δ: against γ = 0 in this run)")
    print(f"| policy | seed | γ | {' | '.join(f'@{b}' for b in args.budgets)} | Δ@{args.budgets[-1]} |")
    print("|---|---:|---:|" + "---:|" * len(args.budgets) + "---:|")
    for i, (name, flags) in enumerate(policies):
        for seed in (seeds if name == "heuristic" else seeds[:1]):
            base = None
            for g in sorted(bonuses):
                solved = evaluate(args.workdir / f"p{i}_s{seed}_g{g:g}.json", flags, g, seed, args)
                base = solved if g == 0 else base
                print(f"| {name} | {seed} | {g:g} | {' | '.join(map(str, solved))} | {solved[-1] - base[-1]:+d} |",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
