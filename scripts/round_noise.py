#!/usr/bin/env python3
"""How far a round's change of policy is from the noise of the splits that judge it, in finished
``qed iterate`` runs with ``[policy] train = true``.

For every round's keep-or-refuse decision on the policy, the validation searches the decision read
(policy only, the candidate at its chosen depth bonus against the kept policy at its own; "refused with
its head": adopted alone, then refused because the new policy with its new head ranked below the kept
pair on validation) are compared
theorem by theorem at the largest budget: ``b`` theorems only the candidate solves, ``c`` only the kept
policy, and the sign-test statistic z = (b − c) / √(b + c) (|z| < 1.96: a difference a coin would make
one time in twenty). For an adopted policy the same is printed for the held-out test split (the round's
"learned policy alone" arm against the arm before it), so one reads whether the test split's change
agrees in sign with the validation split's, and whether either is past the noise. Nothing is searched:
the script reads the trajectories the runs kept.

    python scripts/round_noise.py RUN [RUN ...]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")


def solved(traj: Path, budget: int) -> set[str]:
    """The theorems a search's trajectory proves within ``budget`` expansions."""
    from qedjax.search.runner import paths_for, read_rows

    rows = read_rows(paths_for(traj)[1])
    if not rows:
        raise SystemExit(f"error: {traj}: no per-theorem rows (not a finished search)")
    return {r["theorem"] for r in rows
            if r.get("proved") and r.get("expansions_to_proof") is not None and r["expansions_to_proof"] <= budget}


def counts(traj: Path, budgets: list[int]) -> list[int]:
    return [len(solved(traj, b)) for b in budgets]


def valid_traj(run: Path, tag: int, grid: list[float], budgets: list[int]) -> Path:
    """The validation search a decision read for the policy of round ``tag`` (0: the heuristic): with a
    depth-bonus grid, the bonus the run chose (most solved over the budgets, then at the largest; the
    first on a tie), as :func:`qedjax.app.temperatures.validation_score` ranks."""
    from qedjax.app.temperatures import validation_score

    name = "policy" if tag == 0 else f"policy_r{tag}"
    if not grid:
        return run / "valid" / name / "traj.parquet"
    tried = [(run / "valid" / f"{name}_db{g:g}" / "traj.parquet") for g in grid]
    return max(tried, key=lambda t: validation_score(counts(t, budgets)))


def test_traj(run: Path, tag: int, grid: list[float], steps: dict) -> Path | None:
    """The held-out "learned policy alone" search of round ``tag``'s policy (0: the heuristic)."""
    if tag:
        return run / f"eval_policy_r{tag}" / "traj.parquet"
    if grid:
        named = sorted(k for k in steps if k.startswith("eval_heuristic_db"))
        return run / named[0] / "traj.parquet" if named else None
    return run / "eval_policy" / "traj.parquet"


def paired(new: set[str], old: set[str]) -> str:
    b, c = len(new - old), len(old - new)
    z = (b - c) / math.sqrt(b + c) if b + c else 0.0
    return f"{len(new):3d} vs {len(old):3d}  b {b:2d}  c {c:2d}  z {z:+.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", type=Path, help="qed iterate workdirs ([policy] train = true)")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}; largest budget of each run; b: solved only by the new policy, "
          "c: only by the kept one")
    for run in args.runs:
        try:
            manifest = json.loads((run / "manifest.json").read_text())
        except (OSError, ValueError):
            print(f"error: {run}: not a qed iterate workdir (no readable manifest.json)", file=sys.stderr)
            return 2
        cfg, steps = manifest.get("config", {}), manifest.get("steps", {})
        budgets = sorted(int(b) for b in cfg.get("iterate", {}).get("budgets", [3, 5, 10, 20]))
        grid = [float(g) for g in cfg.get("policy", {}).get("depth_bonus_grid", [])]
        top = budgets[-1]
        print(f"\n{run}  (budget {top}{', depth bonus per policy' if grid else ''})")
        k = 1
        while (d := steps.get(f"iter{k}.policy_keep")) is not None:
            kept = int(d["kept_from"])
            adopted, how = bool(d["adopted"]), "adopted" if d["adopted"] else "refused"
            try:  # the round's final word: a policy adopted alone may lose with its head (the pair rule)
                final = json.loads((run / f"iter{k}" / "policy_round.json").read_text())["policy"]
            except (OSError, ValueError, KeyError, TypeError):
                final = None
            if final is not None and adopted and not final.get("adopted", True):
                adopted, how = False, "refused with its head"
            v = paired(solved(valid_traj(run, k, grid, budgets), top), solved(valid_traj(run, kept, grid, budgets), top))
            line = f"  round {k}: {how} (against round {kept}'s policy)  validation {v}"
            if adopted:
                new_t, old_t = test_traj(run, k, grid, steps), test_traj(run, kept, grid, steps)
                if new_t is not None and old_t is not None and new_t.parent.exists() and old_t.parent.exists():
                    line += f"  |  test {paired(solved(new_t, top), solved(old_t, top))}"
            print(line)
            k += 1
        if k == 1:
            print("  no policy decisions (not a [policy] train = true run, or round 1 unfinished)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
