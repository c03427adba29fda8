#!/usr/bin/env python3
"""Energies from an exported head (`qed export-ebm`) in pure numpy — no jax, no qedjax.

    python scripts/numpy_energy.py head.npz embeddings.parquet [--out energies.npy]
    python scripts/numpy_energy.py head.npz embeddings.npy

energy = f(z) / exp(log_temperature), f(z) = w_{n-1}ᵀ silu(… silu(w0ᵀ z + b0) …), z = (x − input_mean) /
input_scale (the head's input standardisation); low = provable.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def energy(arrays, x: np.ndarray) -> np.ndarray:
    n = sum(1 for k in arrays.keys() if k.startswith("w"))
    h = np.asarray(x, np.float64)
    if "input_mean" in arrays:  # heads exported before input standardisation existed lack it
        h = (h - np.asarray(arrays["input_mean"], np.float64)) / np.asarray(arrays["input_scale"], np.float64)
    for i in range(n):
        h = h @ np.asarray(arrays[f"w{i}"], np.float64)
        if i < n - 1:
            h = h + np.asarray(arrays[f"b{i}"], np.float64)
            h = h / (1.0 + np.exp(-h))  # SiLU
    return (h[:, 0] / np.exp(float(arrays["log_temperature"]))).astype(np.float32)


def load_embeddings(path: str) -> np.ndarray:
    if path.endswith(".npy"):
        return np.load(path)
    import pyarrow.parquet as pq  # only for Parquet caches

    col = pq.read_table(path, columns=["embedding"]).column("embedding").combine_chunks()
    flat = col.flatten().to_numpy(zero_copy_only=False).astype(np.float32)
    return flat.reshape(len(col), -1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("head")
    ap.add_argument("embeddings", help=".npy (N, D) array or embedding-cache Parquet")
    ap.add_argument("--out", help="write energies to this .npy instead of printing them")
    args = ap.parse_args()
    arrays = np.load(args.head)
    x = load_embeddings(args.embeddings)
    if x.ndim != 2 or x.shape[1] != arrays["w0"].shape[0]:
        print(f"error: embeddings have shape {x.shape}, head expects dim {arrays['w0'].shape[0]}",
              file=sys.stderr)
        return 2
    e = energy(arrays, x)
    if args.out:
        np.save(args.out, e)
    else:
        for v in e:
            print(f"{v:.7g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
