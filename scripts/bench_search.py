#!/usr/bin/env python3
"""Search throughput on the prop benchmark: nodes expanded per second and the share of wall time
spent in the engine itself (everything but policy, environment and value calls).

Runs the heuristic policy with a value scorer over cached embeddings (a JAX head; hashed character
n-gram vectors stand in for encoder output, since encoding cost is not the engine's), after a warm-up
pass that fills the cache and compiles the head's buckets. Also prints the policy-only run as the
baseline measured in the same process. Target: engine share <= 10%.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def featurize(states, dim=384):
    out = np.zeros((len(states), dim), np.float32)
    for i, s in enumerate(states):
        for k in range(len(s) - 2):
            h = int.from_bytes(hashlib.blake2b(s[k:k + 3].encode(), digest_size=4).digest(), "little")
            out[i, h % dim] += 1.0
        out[i, 0] += 1.0  # never an all-zero vector
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--theorems", type=int, default=240)
    ap.add_argument("--max-nodes", type=int, default=100)
    args = ap.parse_args()

    import jax

    import qedjax
    from qedjax.app.scorers import CachedEmbeddingScorer
    from qedjax.data.embeddings import write_embeddings
    from qedjax.ebm.scoring import EnergyScorer
    from qedjax.ebm.synthetic import SYNTHETIC_PROVENANCE
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.envs.prop.bench import load_index
    from qedjax.interfaces import Theorem
    from qedjax.search.config import SearchConfig
    from qedjax.search.engine import SearchStats, search_theorem
    from qedjax.search.records import to_records

    rows = load_index(split="test")[: args.theorems]
    theorems = [Theorem(r["name"], r["statement"]) for r in rows]
    env = PropEnvironment()
    policy = HeuristicPolicy(seed=0)
    cfg = SearchConfig(max_nodes=args.max_nodes)

    def run(scorer):
        total = SearchStats()
        t0 = time.perf_counter()
        solved = 0
        states = []
        for th in theorems:
            res = search_theorem(th, env, policy, scorer, cfg)
            total.merge(res.stats)
            solved += res.proved
            states += [r["state_pp"] for r in to_records(res) if r["state_pp"]]
        return total, time.perf_counter() - t0, solved, states

    base, base_wall, base_solved, states = run(None)
    # cache embeddings for every state search can reach with the value term on
    with tempfile.TemporaryDirectory() as d:
        from qedjax.data.trajectory import write_trajectory
        from qedjax.ebm.config import EBMConfig
        from qedjax.ebm.data import load_contrastive_data
        from qedjax.ebm.train import train

        recs = []
        for th in theorems[:60]:
            recs += to_records(search_theorem(th, env, policy, None, cfg))
        write_trajectory(Path(d) / "t.parquet", recs)
        uniq = sorted(set(states) | {r["state_pp"] for r in recs if r["state_pp"]})
        prov = dict(SYNTHETIC_PROVENANCE, dim=384)
        write_embeddings(Path(d) / "e.parquet", uniq, featurize(uniq), prov)
        import dataclasses

        ecfg = EBMConfig()
        ecfg = dataclasses.replace(ecfg, train=dataclasses.replace(
            ecfg.train, total_steps=50, warmup_steps=5, log_every=50, val_every=50, checkpoint_every=50))
        data = load_contrastive_data([Path(d) / "t.parquet"], Path(d) / "e.parquet", ecfg.sampler, 0)
        train(ecfg, data, Path(d) / "ebm", progress=False, log=lambda s: None)
        head = EnergyScorer.from_checkpoint(Path(d) / "ebm")

        cache = {}

        class LazyCache(CachedEmbeddingScorer):
            def score(self, states_pp):
                missing = [s for s in states_pp if s not in cache]
                if missing:  # a state first seen now: featurise once (counted as value time)
                    for s, v in zip(missing, featurize(missing)):
                        cache[s] = v
                return -self.head.energies(np.stack([cache[s] for s in states_pp]), self.provenance)

        scorer = LazyCache(uniq, featurize(uniq), head, prov)
        for s, v in zip(uniq, scorer.embeddings):
            cache[s] = v
        run(scorer)  # warm-up: compiles every bucket, fills the cache
        stats, wall, solved, _ = run(scorer)

    print(f"python {platform.python_version()} | jax {jax.__version__} on {jax.devices()[0].platform} | "
          f"qedjax {qedjax.__version__} | {platform.machine()} | cpus {os.cpu_count()}")
    print(f"{len(theorems)} test theorems, max_nodes {args.max_nodes}, heuristic policy\n")
    print(f"{'run':<28}{'solved':>8}{'expanded':>10}{'nodes/s':>10}{'policy':>8}{'env':>8}"
          f"{'value':>8}{'engine':>8}")
    for name, st, _wall, sv in (("policy only (baseline)", base, base_wall, base_solved),
                            ("policy + value (cached)", stats, wall, solved)):
        tot = max(st.total_s, 1e-9)
        print(f"{name:<28}{sv:>8}{st.expanded:>10}{st.expanded / tot:>10,.0f}"
              f"{100 * st.policy_s / tot:>7.1f}%{100 * st.env_s / tot:>7.1f}%"
              f"{100 * st.value_s / tot:>7.1f}%{100 * st.engine_s / tot:>7.1f}%")
    share = stats.engine_s / max(stats.total_s, 1e-9)
    print(f"\nengine share with the value scorer: {100 * share:.1f}% (target <= 10%: "
          f"{'met' if share <= 0.10 else 'NOT met'}); value p50 "
          f"{stats.summary()['value_p50_ms']:.2f} ms, p95 {stats.summary()['value_p95_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
