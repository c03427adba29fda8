#!/usr/bin/env python3
"""Round 0 of policy learning on prop: the heuristic's own search proofs train the tactic LM, and the
LM is compared with the heuristic on the held-out test split at equal node budgets.

1. search: the heuristic policy on a seeded sample of the train split, as `qed iterate`'s first round
   searches (1000 theorems, 30 expansions, the demo's search settings; policy seed derived as there);
2. train: `qed train-policy`'s library call on the proof-path pairs of that search (timed);
   with ``--proof-corpus`` a second LM also sees the benchmark's reference proofs of the train split,
   reported in its own labelled row ("with a proof corpus"), never mixed into the first;
3. eval: heuristic and LM, policy only, on the test split at budgets 3/5/10/20 for each seed, and the
   LM's sampling time (policy seconds and expansions per second inside those searches);
4. ``--sweep``: on the validation split only, how the search settings interact with the LM: tactics
   per expansion (num_candidates) × how they are drawn (beam search; sampling, with 4× oversampling
   and a higher temperature). T_llm only divides the policy term: without a value it changes no order,
   so a policy-only search is blind to it (it matters against the value head: the next issue).

Every step writes into WORKDIR and is skipped when its output exists (rerun the same command to resume).

    python scripts/policy_round0.py --workdir runs/policy_round0 --seeds 0 1 2 [--proof-corpus] [--sweep]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")


def sample(theorems: list, n: int, seed: int) -> list:
    """A seeded sample, as `qed iterate` draws its training theorems."""
    import numpy as np

    if len(theorems) <= n:
        return theorems
    order = np.random.default_rng(seed).permutation(len(theorems))[:n]
    return [theorems[i] for i in sorted(order)]


def search(theorems, spec, config, out: Path, label: str) -> dict:
    """Run (or resume, or reuse) one search; returns {rows, stats, seconds}."""
    from qedjax.app.fingerprint import run_fingerprint
    from qedjax.app.parts import parts_factory
    from qedjax.search.runner import paths_for, read_rows, run_exists, run_search

    done = out.with_name(out.name + ".done.json")
    if done.exists():
        info = json.loads(done.read_text())
        return {"rows": read_rows(paths_for(out)[1]), **info}
    t0 = time.perf_counter()
    summary = run_search(theorems, parts_factory(spec), config, out, resume=run_exists(out),
                         fingerprint=run_fingerprint(config, theorems, "benchmark", spec))
    info = {"stats": summary.stats.summary(), "seconds": time.perf_counter() - t0}
    done.write_text(json.dumps(info))
    print(f"  {label}: solved {summary.solved}/{len(theorems)} in {info['seconds']:.1f}s", flush=True)
    return {"rows": summary.rows, **info}


def solved_at(rows: list[dict], budgets: list[int]) -> dict[int, int]:
    from qedjax.app.evaluation import eval_result

    return {b["budget"]: b["solved"] for b in eval_result([rows], budgets, {})["budgets"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", required=True, type=Path)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--budgets", type=int, nargs="+", default=[3, 5, 10, 20])
    ap.add_argument("--train-theorems", type=int, default=1000)
    ap.add_argument("--train-max-nodes", type=int, default=30)
    ap.add_argument("--config", type=Path, help="policy TOML for training and sampling (configs/policy.toml)")
    ap.add_argument("--proof-corpus", action="store_true",
                    help="also train an LM with the benchmark's reference proofs (its own labelled row)")
    ap.add_argument("--sweep", action="store_true", help="validation-split sweep of sampling settings")
    ap.add_argument("--split", default="test", help="held-out split of the table")
    args = ap.parse_args()

    from encoder_bridge.policy.config import load_policy_config
    from encoder_bridge.policy.data import prepare, read_steps
    from encoder_bridge.policy.train import train_policy
    from qedjax.app.iterate_config import IterateConfig
    from qedjax.app.parts import PartsSpec
    from qedjax.app.policy_data import reference_steps
    from qedjax.envs.prop.bench import shipped_benchmark_path
    from qedjax.search.theorems import load_theorems
    from qedjax.seeds import derive
    from qedjax.versions import versions

    wd = args.workdir.absolute()
    wd.mkdir(parents=True, exist_ok=True)
    bench = str(shipped_benchmark_path())
    budgets = sorted(set(args.budgets))
    demo = IterateConfig().search  # the demo's search settings (8 candidates, no probes)
    pcfg = load_policy_config(args.config)
    print(f"device: {platform.processor() or platform.machine()}, cpu count {os.cpu_count()}, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; versions: {json.dumps(versions())}", flush=True)

    # 1. the heuristic's search of the train split (as qed iterate's first round)
    train_thms = sample(load_theorems(bench, "train"), args.train_theorems, derive(0, "train-theorems"))
    search(train_thms, PartsSpec(policy_seed=derive(0, "train-search", 1)),
                dataclasses.replace(demo, max_nodes=args.train_max_nodes), wd / "round0_search.parquet",
                "round-0 search (heuristic, train split)")

    # 2. train the LM(s)
    lms = {"LM (round 0)": (wd / "lm", [])}
    if args.proof_corpus:
        lms["LM (round 0, with a proof corpus)"] = (wd / "lm_corpus", reference_steps(bench, "train"))
    steps = read_steps([wd / "round0_search.parquet"])
    train_info = {}
    for label, (out, extra) in lms.items():
        if not (out / "qedjax_policy.json").exists():
            data = prepare(steps + extra, pcfg.train.valid_fraction, pcfg.train.seed)
            print(f"  training {label}: {data.stats}", flush=True)
            t0 = time.perf_counter()
            train_policy(data, out, pcfg, progress=False, log=lambda m: print("   ", m, flush=True))
            print(f"  {label}: trained in {time.perf_counter() - t0:.1f}s", flush=True)
        rec = json.loads((out / "qedjax_policy.json").read_text())
        train_info[label] = {"seconds": rec["train"]["seconds"], "final_valid": rec["train"]["final_valid"],
                             "cpu_seconds": rec["train"].get("cpu_seconds_this_run"),
                             "threads": rec["train"].get("threads"), "steps": rec["train"]["steps"],
                             "pairs": rec["train"]["pairs"]}

    # 3. held-out table
    config_path = str(args.config.absolute()) if args.config else None
    test_thms = load_theorems(bench, args.split)
    eval_cfg = dataclasses.replace(demo, max_nodes=budgets[-1])
    table: dict[str, dict] = {}
    rows_spec = {"heuristic": lambda s: PartsSpec(policy_seed=s)}
    for label, (out, _) in lms.items():
        rows_spec[label] = lambda s, out=out: PartsSpec(policy="hf", hf_model=str(out), policy_seed=s,
                                                        policy_config=config_path)
    for label, make in rows_spec.items():
        per_seed, sampling = [], []
        for s in args.seeds:
            name = label.split(" (")[0].lower().replace(" ", "_") + ("_corpus" if "corpus" in label else "")
            got = search(test_thms, make(s), eval_cfg, wd / f"eval_{name}_seed{s}.parquet", f"{label}, seed {s}")
            per_seed.append(solved_at(got["rows"], budgets))
            st = got["stats"]
            sampling.append({"policy_s": st["policy_s"], "expanded": st["expanded"], "total_s": st["total_s"]})
        table[label] = {"per_seed": per_seed, "sampling": sampling,
                        "mean": {b: statistics.mean(p[b] for p in per_seed) for b in budgets}}

    print(f"\n{args.split} split, {len(test_thms)} theorems, policy only, mean of seeds {args.seeds}:")
    print(f"{'':40}" + "".join(f"{'budget ' + str(b):>13}" for b in budgets) + f"{'train s':>9}{'sampling':>22}")
    for label, r in table.items():
        samp = r["sampling"]
        pol = sum(x["policy_s"] for x in samp)
        exp = sum(x["expanded"] for x in samp)
        t = train_info.get(label, {}).get("seconds")
        cells = "".join(f"{r['mean'][b]:>13.1f}" for b in budgets)
        print(f"{label:40}{cells}{'' if t is None else f'{t:9.0f}':>9}"
              f"{f'{pol:.0f}s, {exp / max(pol, 1e-9):.0f} exp/s':>22}")
        print(f"{'':40}" + "".join(f"{'/'.join(str(p[b]) for p in r['per_seed']):>13}" for b in budgets))
    if pcfg.sample.decode == "beam":
        print("(the LM decodes by beam search, [sample] decode = \"beam\": its candidates do not depend on the seed)")
    for label, info in train_info.items():
        fv = info["final_valid"] or {}
        cpu = "" if info.get("cpu_seconds") is None else f", {info['cpu_seconds']:.0f} CPU s on {info['threads']} threads"
        print(f"{label}: {info['pairs']} training pairs, {info.get('steps')} steps in {info['seconds']:.0f}s{cpu}; "
              f"validation loss {fv.get('loss')}, top-1 {fv.get('top1')}")

    if args.sweep:
        sweep(wd, bench, lms["LM (round 0)"][0], demo, budgets, args.seeds[0], pcfg)
    (wd / "table.json").write_text(json.dumps({"table": table, "train": train_info, "budgets": budgets,
                                               "seeds": args.seeds, "versions": versions()}, indent=1))


def sweep(wd: Path, bench: str, lm: Path, demo, budgets: list[int], seed: int, pcfg) -> None:
    """Validation split only: num_candidates × oversample and the sampling temperature, policy only."""
    from qedjax.app.parts import PartsSpec
    from qedjax.search.theorems import load_theorems

    valid = load_theorems(bench, "valid")
    print(f"\nvalidation split ({len(valid)} theorems), seed {seed}, solved at budgets {budgets}:")
    for n_cand in (4, 8, 16):
        for decode, oversample, temperature in (("beam", 1.0, 1.0), ("sample", 1.0, 1.0), ("sample", 4.0, 1.0),
                                                ("sample", 4.0, 1.5)):
            name = f"n{n_cand}_{decode}_o{oversample}_t{temperature}"
            toml = wd / "sweep" / f"{name}.toml"
            toml.parent.mkdir(exist_ok=True)
            toml.write_text(f"[sample]\ndecode = \"{decode}\"\noversample = {oversample}\n"
                            f"temperature = {temperature}\n")
            spec = PartsSpec(policy="hf", hf_model=str(lm), policy_seed=seed, policy_config=str(toml))
            got = search(valid, spec, dataclasses.replace(demo, max_nodes=budgets[-1], num_candidates=n_cand),
                         toml.with_suffix(".parquet"), name)
            s = solved_at(got["rows"], budgets)
            print(f"  num_candidates {n_cand:>2}, {decode:6} oversample {oversample}, temperature {temperature}: "
                  + " ".join(f"{s[b]:>4}" for b in budgets)
                  + f"   policy {got['stats']['policy_s']:.0f}s", flush=True)


if __name__ == "__main__":
    main()
