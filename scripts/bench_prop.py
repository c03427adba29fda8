#!/usr/bin/env python3
"""Throughput of the prop environment and the heuristic policy (one core, pure Python).

Replays every shipped proof and also applies each policy candidate at every state on the way
(successful and failing tactics alike, as search does). Prints tactic applications/s and policy
proposals/s with the machine and versions. Target: >= 20,000 tactic applications/s on one core.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--theorems", type=int, default=2400, help="how many shipped theorems to use")
    ap.add_argument("--candidates", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--index", help="theorem index JSON (default: the shipped benchmark)")
    args = ap.parse_args()

    import qedjax
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.envs.prop.bench import load_index
    from qedjax.envs.prop.tactics import parse_tactic
    from qedjax.interfaces import Success, Theorem

    rows = load_index(args.index)[: args.theorems]
    env = PropEnvironment()
    policy = HeuristicPolicy(seed=0)
    # Collect (session, state, tactic) work items: proof steps plus policy candidates per state.
    work, states = [], []
    for r in rows:
        s = env.start(Theorem(r["name"], r["statement"]))
        st = s.initial_state
        for tac in r["proof"]:
            states.append(st)
            for c in policy.propose([st], args.candidates)[0]:
                work.append((s, st, c.tactic))
            work.append((s, st, tac))
            res = s.apply(st, tac)
            if isinstance(res, Success):
                st = res.state

    print(f"machine: {platform.machine()} {platform.processor() or ''} | python {platform.python_version()}"
          f" | qedjax {qedjax.__version__} | cpus {os.cpu_count()} (benchmark uses 1)")
    print(f"workload: {len(rows)} theorems, {len(states)} states, {len(work)} tactic applications "
          f"(proof steps + {args.candidates} policy candidates per state)")

    def timed(fn):
        best = float("inf")
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best

    def apply_all():
        for s, st, tac in work:
            s.apply(st, tac)

    apply_all()  # warm the tactic-parse cache, as a long search would
    t_warm = timed(apply_all)
    parse_tactic.cache_clear()
    t0 = time.perf_counter()
    apply_all()
    t_cold = time.perf_counter() - t0

    def propose_all():
        policy.propose(states, args.candidates)

    t_pol = timed(propose_all)
    warm_rate = len(work) / t_warm
    print(f"{'measure':<44}{'per second':>14}")
    print(f"{'tactic applications (parse cache warm)':<44}{warm_rate:>14,.0f}")
    print(f"{'tactic applications (cold parse cache)':<44}{len(work) / t_cold:>14,.0f}")
    print(f"{'policy proposals (states, n=' + str(args.candidates) + ')':<44}{len(states) / t_pol:>14,.0f}")
    print(f"target >= 20,000 applications/s: ratio {warm_rate / 20000:.2f}x "
          f"({'met' if warm_rate >= 20000 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
