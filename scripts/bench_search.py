#!/usr/bin/env python3
"""Search throughput on the prop benchmark: nodes expanded per second and the share of wall time
spent in the engine itself (everything but policy, environment and value calls).

Runs the heuristic policy with a value scorer over cached embeddings (a JAX head; hashed character
n-gram vectors stand in for encoder output, since encoding cost is not the engine's), after a warm-up
pass that fills the cache and compiles the head's buckets. The policy-only run is the baseline, measured
in the same process the same way: both are warmed up once (parse caches, buckets), then repeated
(--repeats, alternating) on the same theorems; each figure is the median with min–max over the repeats.
Both search algorithms run (``--algorithms``): PUCT's engine share includes its descents from the root
and backups. Target: engine share <= 10% for each.
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
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--algorithms", default="best-first,puct")
    args = ap.parse_args()

    import dataclasses
    import statistics

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
    base_cfg = cfg = SearchConfig(max_nodes=args.max_nodes)
    algorithms = [a.strip() for a in args.algorithms.split(",") if a.strip()]

    def run(scorer, algorithm="best-first"):
        cfg = dataclasses.replace(base_cfg, algorithm=algorithm)
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
        names = {}
        for algorithm in algorithms:
            prefix = "" if algorithm == "best-first" else "PUCT, "
            names[f"{prefix}policy only" + (" (baseline)" if not prefix else "")] = (None, algorithm)
            names[f"{prefix}policy + value (cached)"] = (scorer, algorithm)
        for sc, algorithm in names.values():  # warm-up: parse caches, every bucket compiled, the cache filled
            run(sc, algorithm)
        runs = {name: [] for name in names}
        for _ in range(args.repeats):
            for name, (sc, algorithm) in names.items():
                runs[name].append(run(sc, algorithm))

    def spread(vals, fmt):
        return f"{fmt(statistics.median(vals))} [{fmt(min(vals))}–{fmt(max(vals))}]"

    print(f"python {platform.python_version()} | jax {jax.__version__} on {jax.devices()[0].platform} | "
          f"qedjax {qedjax.__version__} | {platform.machine()} | cpus {os.cpu_count()}")
    print(f"{len(theorems)} test theorems, max_nodes {args.max_nodes}, heuristic policy, both runs warm, "
          f"median [min–max] over {args.repeats} repeats\n")
    print(f"{'run':<32}{'solved':>7}{'expanded':>9}{'nodes/s':>24}{'engine share':>22}{'value share':>22}")
    shares = {}
    for name, rs in runs.items():
        nps = [st.expanded / max(st.total_s, 1e-9) for st, *_ in rs]
        eng = [100 * st.engine_s / max(st.total_s, 1e-9) for st, *_ in rs]
        val = [100 * st.value_s / max(st.total_s, 1e-9) for st, *_ in rs]
        shares[name] = eng
        st, _wall, sv, _ = rs[0]
        print(f"{name:<32}{sv:>7}{st.expanded:>9}{spread(nps, lambda v: f'{v:,.0f}'):>24}"
              f"{spread(eng, lambda v: f'{v:.1f}%'):>22}{spread(val, lambda v: f'{v:.1f}%'):>22}")
    for algorithm in algorithms:
        prefix = "" if algorithm == "best-first" else "PUCT, "
        base_name = f"{prefix}policy only" + (" (baseline)" if not prefix else "")
        value_runs = runs[f"{prefix}policy + value (cached)"]
        base_nps = statistics.median(st.expanded / max(st.total_s, 1e-9) for st, *_ in runs[base_name])
        val_nps = statistics.median(st.expanded / max(st.total_s, 1e-9) for st, *_ in value_runs)
        share = statistics.median(shares[f"{prefix}policy + value (cached)"]) / 100
        p50 = statistics.median(st.summary()["value_p50_ms"] for st, *_ in value_runs)
        p95 = statistics.median(st.summary()["value_p95_ms"] for st, *_ in value_runs)
        print(f"\n{algorithm}: engine share with the value scorer: {100 * share:.1f}% (target <= 10%: "
              f"{'met' if share <= 0.10 else 'NOT met'}); nodes/s with the value scorer / policy-only: "
              f"{val_nps / base_nps:.2f}x; value call p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
