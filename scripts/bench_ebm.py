#!/usr/bin/env python3
"""EBM training throughput: the jitted JAX step (lax.scan, donated, table on device) against a PyTorch
eager implementation of the same head + loss + AdamW on the same data, in one run.

Cases: (a) D=384, hidden 512/256, batch 32, K=4; (b) D=4096, hidden 512/256, batch 256, K=7.
Both sides get identical pre-sampled index batches (host sampling is excluded from both), the same
persistent spectral norm (one power iteration per step), dropout, temperature, InfoNCE + 0.3 × depth
MSE, global-norm clipping and AdamW with warmup-cosine. Also prints achieved FLOP/s as a fraction
of a square-matmul peak measured in the same run on the same device.

Targets: (a) >= 3x torch eager; (b) >= 1.0x torch eager fp32 and >= 60% of the measured peak.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import sys
import time

os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")

import numpy as np


def flops_per_step(d: int, hidden: tuple[int, ...], rows: int) -> float:
    dims = [d, *hidden, 1]
    mac = sum(a * b for a, b in zip(dims[:-1], dims[1:]))
    # forward 2·rows·mac, backward 4·rows·mac, power iteration + σ: ~6·mac per step
    return 6.0 * rows * mac + 6.0 * mac


def jax_peak(n: int, repeats: int) -> float:
    import jax
    import jax.numpy as jnp

    a = jax.random.normal(jax.random.PRNGKey(0), (n, n), jnp.float32)
    f = jax.jit(lambda x: x @ x)
    f(a).block_until_ready()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        f(a).block_until_ready()
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n**3 / best


def torch_peak(n: int, repeats: int, device: str) -> float:
    import torch

    a = torch.randn(n, n, device=device)
    (a @ a).sum().item()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        b = a @ a
        if device == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
        del b
    return 2.0 * n**3 / best


def make_batches(n_states: int, steps: int, batch: int, k: int, seed: int):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n_states, (steps, batch, k + 1)).astype(np.int32)
    depth = rng.integers(-1, 6, (steps, batch)).astype(np.float32)
    return idx, depth


def bench_jax(table, idx, depth, d, hidden, k, batch, steps_per_call, warm_calls, calls):
    import jax
    import jax.numpy as jnp

    from qedjax.ebm.config import EBMConfig
    from qedjax.ebm.train import Trainer

    cfg = EBMConfig()
    cfg = dataclasses.replace(
        cfg, model=dataclasses.replace(cfg.model, hidden_dims=hidden),
        sampler=dataclasses.replace(cfg.sampler, k_negatives=k),
        train=dataclasses.replace(cfg.train, batch_size=batch, steps_per_call=steps_per_call,
                                  total_steps=10**6, warmup_steps=100))
    tr = Trainer(cfg, d, 10**6, 100)
    table_dev = jax.device_put(jnp.asarray(table))
    S = steps_per_call
    active = np.ones(S, bool)
    state = tr.init_state
    target = np.zeros(depth.shape + (k + 1, 3), np.float32)  # the trainer's targets: depth at [:, :, 0, 0]
    target[:, :, 0, 0] = depth
    chunks = [(jax.device_put(idx[i * S:(i + 1) * S]), jax.device_put(target[i * S:(i + 1) * S]))
              for i in range(warm_calls + calls)]
    t0 = time.perf_counter()
    state, m = tr.run_chunk(state, table_dev, *chunks[0], active)
    jax.block_until_ready(state.params)
    compile_s = time.perf_counter() - t0
    for i in range(1, warm_calls):
        state, m = tr.run_chunk(state, table_dev, *chunks[i], active)
    jax.block_until_ready(state.params)
    t0 = time.perf_counter()
    for i in range(warm_calls, warm_calls + calls):
        state, m = tr.run_chunk(state, table_dev, *chunks[i], active)
    jax.block_until_ready(state.params)
    elapsed = time.perf_counter() - t0
    loss = float(np.asarray(m["loss"])[-1])
    return calls * S / elapsed, compile_s, loss, tr.compiled_train_programs


def bench_torch(table, idx, depth, d, hidden, k, batch, steps, warm, device):
    import torch
    import torch.nn.functional as F

    class SNLinear(torch.nn.Module):
        def __init__(self, din, dout, bias=True):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.randn(din, dout) / din**0.5)
            self.bias = torch.nn.Parameter(torch.zeros(dout)) if bias else None
            u = torch.randn(dout)
            self.register_buffer("u", u / u.norm())

        def forward(self, x):
            if self.training:
                with torch.no_grad():
                    v = F.normalize(self.weight @ self.u, dim=0)
                    self.u.copy_(F.normalize(self.weight.t() @ v, dim=0))
            sigma = torch.linalg.vector_norm(self.weight @ self.u)
            y = x @ (self.weight / sigma)
            return y + self.bias if self.bias is not None else y

    class Head(torch.nn.Module):
        def __init__(self):
            super().__init__()
            dims = [d, *hidden, 1]
            self.layers = torch.nn.ModuleList(
                SNLinear(dims[i], dims[i + 1], bias=i < len(dims) - 2) for i in range(len(dims) - 1))
            self.log_t = torch.nn.Parameter(torch.zeros(()))

        def forward(self, x):
            for i, layer in enumerate(self.layers):
                x = layer(x)
                if i < len(self.layers) - 1:
                    x = F.dropout(F.silu(x), 0.1, self.training)
            return x[:, 0] / torch.exp(self.log_t.clamp(-5, 2))

    torch.manual_seed(0)
    model = Head().to(device).train()
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)
    import math

    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / 100 if s < 100 else 0.5 * (1 + math.cos(math.pi * (s - 100) / (10**6 - 100))))
    tab = torch.from_numpy(table).to(device)
    idx_t = torch.from_numpy(idx.astype(np.int64)).to(device)
    dep_t = torch.from_numpy(depth).to(device)
    C = k + 1

    def step(i):
        x = tab[idx_t[i].reshape(-1)]
        e = model(x).reshape(batch, C)
        ce = F.cross_entropy(-e, torch.zeros(batch, dtype=torch.long, device=device))
        dd = dep_t[i]
        mask = dd >= 0
        target = torch.where(mask, dd, 0.0) / torch.clamp(torch.where(mask, dd, 0.0).max(), min=1.0)
        depth_loss = (torch.where(mask, (e[:, 0] - target) ** 2, 0.0)).sum() / mask.sum().clamp(min=1)
        loss = ce + 0.3 * depth_loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        return loss.detach()

    for i in range(warm):
        step(i)
    if device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for i in range(warm, warm + steps):
        loss = step(i)
    float(loss)
    if device == "cuda":
        torch.cuda.synchronize()
    return steps / (time.perf_counter() - t0), float(loss)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer steps (a smoke run, noisier)")
    ap.add_argument("--cases", default="a,b")
    ap.add_argument("--repeats", type=int, default=5, help="alternating jax/torch measurements per case")
    args = ap.parse_args()

    import statistics

    import jax
    import torch

    import qedjax

    def spread(vals, fmt):
        return f"{fmt(statistics.median(vals))} [{fmt(min(vals))}–{fmt(max(vals))}]"

    torch.set_num_threads(os.cpu_count() or 1)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    jdev = jax.devices()[0]
    print(f"jax {jax.__version__} on {jdev.platform}:{jdev.device_kind} | torch {torch.__version__} on "
          f"{device} ({torch.get_num_threads()} threads) | qedjax {qedjax.__version__} | "
          f"{platform.machine()} | cpus {os.cpu_count()}")
    peak_n = 2048 if jdev.platform == "cpu" else 8192
    jpeak = jax_peak(peak_n, 5)
    tpeak = torch_peak(peak_n, 5, device)
    print(f"measured fp32 matmul peak ({peak_n}x{peak_n}): jax {jpeak / 1e9:,.1f} GFLOP/s, "
          f"torch {tpeak / 1e9:,.1f} GFLOP/s")
    cases = {
        "a": dict(d=384, hidden=(512, 256), batch=32, k=4, n_states=20000),
        "b": dict(d=4096, hidden=(512, 256), batch=256, k=7, n_states=20000),
    }
    print(f"\nmedian [min–max] over {args.repeats} alternating repeats (each: {'quick' if args.quick else 'full'} "
          "warm-up + timed steps)")
    print(f"{'case':<34}{'jax steps/s':>20}{'torch steps/s':>22}{'ratio':>24}{'% of peak':>18}")
    for name in args.cases.split(","):
        c = cases[name]
        spc = 50 if name == "a" else 10
        calls = (4 if args.quick else 20) if name == "a" else (2 if args.quick else 6)
        warm_calls = 2
        total = (warm_calls + calls) * spc
        rng = np.random.default_rng(0)
        table = rng.normal(size=(c["n_states"], c["d"])).astype(np.float32)
        idx, depth = make_batches(c["n_states"], total, c["batch"], c["k"], 1)
        rows = c["batch"] * (c["k"] + 1)
        j_rates, t_rates, ratios, peaks = [], [], [], []
        for _ in range(args.repeats):
            j_rate, compile_s, j_loss, traces = bench_jax(table, idx, depth, c["d"], c["hidden"], c["k"],
                                                          c["batch"], spc, warm_calls, calls)
            t_rate, t_loss = bench_torch(table, idx, depth, c["d"], c["hidden"], c["k"], c["batch"],
                                         calls * spc, warm_calls * spc, device)
            assert traces == 1, "the JAX step was traced more than once"
            if not (np.isfinite(j_loss) and np.isfinite(t_loss)):
                print(f"  warning: non-finite loss (jax {j_loss}, torch {t_loss})")
            j_rates.append(j_rate)
            t_rates.append(t_rate)
            ratios.append(j_rate / t_rate)
            peaks.append(100 * j_rate * flops_per_step(c["d"], c["hidden"], rows) / jpeak)
        label = f"({name}) D={c['d']} h={'/'.join(map(str, c['hidden']))} B={c['batch']} K={c['k']}"
        print(f"{label:<34}{spread(j_rates, lambda v: f'{v:,.0f}'):>20}{spread(t_rates, lambda v: f'{v:,.0f}'):>22}"
              f"{spread(ratios, lambda v: f'{v:.2f}x'):>24}{spread(peaks, lambda v: f'{v:.0f}%'):>18}")
    print("\ntargets: (a) >= 3x torch eager; (b) >= 1.0x torch eager and >= 60% of the measured peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
