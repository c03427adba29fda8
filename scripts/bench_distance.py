"""How fast can every state of a held-out evaluation be labelled with its exact distance to QED?

Builds the policy-only evaluation trees of the 240 test theorems (20 expansions, 8 candidates, no
probes), then labels every unique state with ``PropDistance`` (per-goal iterative deepening with a
memo shared across states). Baseline in the same run: the generator's per-state breadth-first
``shortest_proof`` (one BFS per goal, no memo) on a seeded sample of the same states, with
``PropDistance`` timed again on that sample from a cold memo. Both must agree on every sampled state.

    python scripts/bench_distance.py [--sample 300]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--max-distance", type=int, default=12)
    args = ap.parse_args()

    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.envs.prop.bench import shipped_benchmark_path, shortest_proof
    from qedjax.envs.prop.distance import PropDistance
    from qedjax.envs.prop.oracle import goal_provable
    from qedjax.envs.prop.state import parse_state
    from qedjax.search.config import SearchConfig
    from qedjax.search.engine import search_theorem
    from qedjax.search.theorems import load_theorems

    print(f"# device: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}, "
          f"single process")
    thms = load_theorems(str(shipped_benchmark_path()), "test")
    env, policy = PropEnvironment(), HeuristicPolicy(seed=0, noise=0.8)
    cfg = SearchConfig(max_nodes=20, num_candidates=8, probe_tactics="none", t_llm=2.13)
    states: list[str] = []
    for t in thms:
        states += [n.pp for n in search_theorem(t, env, policy, None, cfg).nodes if not n.terminal]
    states = list(dict.fromkeys(states))
    cap = args.max_distance

    t0 = time.perf_counter()
    dist = PropDistance(cap)
    d_all = dist.many(states)
    full_s = time.perf_counter() - t0
    n_inf = int((d_all == math.inf).sum())
    n_cap = int((d_all > cap).sum()) - n_inf
    print(f"PropDistance, all {len(states)} unique states of the 240 evaluation trees: {full_s:.1f} s "
          f"({len(states) / full_s:.0f} states/s; {n_inf} unprovable, {n_cap} goals beyond the cap "
          f"{cap}; {dist.expansions} goal expansions)")

    sample = random.Random(0).sample(states, min(args.sample, len(states)))
    t0 = time.perf_counter()
    cold = PropDistance(cap)
    d_new = [cold.pp(s) for s in sample]
    new_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    d_bfs, gave_up = [], 0
    for s in sample:
        total = 0.0
        for g in parse_state(s):
            proof = shortest_proof(g, max_depth=cap)
            if proof is None and goal_provable(g):  # beyond the cap, or the BFS hit its state limit
                total = None
                break
            total += len(proof) if proof is not None else math.inf
        gave_up += total is None
        d_bfs.append(total)
    bfs_s = time.perf_counter() - t0
    compared = [(a, b) for a, b in zip(d_new, d_bfs) if b is not None]
    agree = sum(a == b for a, b in compared)
    print(f"sample of {len(sample)} states: per-state BFS (baseline) {bfs_s:.1f} s, PropDistance from a "
          f"cold memo {new_s:.1f} s -> {bfs_s / new_s:.1f}x; agree on {agree}/{len(compared)} "
          f"(the BFS gave up on {gave_up}: a provable goal beyond its depth or state limit)")
    print(f"baseline extrapolated to all {len(states)} states: {bfs_s / len(sample) * len(states) / 60:.1f} "
          f"min vs {full_s:.1f} s measured -> {bfs_s / len(sample) * len(states) / full_s:.0f}x")
    if agree != len(compared):
        sys.exit("error: PropDistance disagrees with shortest_proof")


if __name__ == "__main__":
    main()
