"""EBM training: one immutable train state, one jitted + donated multi-step function (``lax.scan``).

The embedding table lives on the device and is an *argument* of the jitted functions (a closure
would be baked into the program as a constant). Each call runs ``steps_per_call`` optimizer steps;
steps past a logging/validation/checkpoint boundary are masked, so the step is traced exactly once.
NaN/Inf steps are skipped (parameters, optimizer and power-iteration state kept) and counted.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from qedjax.config import to_dict
from qedjax.ebm import checkpoint as ckpt
from qedjax.ebm.config import EBMConfig
from qedjax.ebm.data import ContrastiveData, sample_batch, sample_uniform_batch, step_rng
from qedjax.ebm.losses import batch_metrics, total_loss
from qedjax.ebm.model import apply, create_head, num_params, split
from qedjax.errors import ConfigError, DataError


def _value(x):
    return x.value if hasattr(x, "value") else x


class TrainState(NamedTuple):
    params: Any
    pstate: Any  # power-iteration vectors
    opt_state: Any
    step: jax.Array  # int32 scalar
    key: jax.Array  # base PRNG key; per-step keys are fold_in(key, step)
    skipped: jax.Array  # int32: non-finite steps skipped so far


def effective_warmup(cfg: EBMConfig, steps: int | None) -> tuple[int, int, str | None]:
    """(total_steps, warmup_steps, note). A ``--steps`` shorter than the warmup shrinks it proportionally."""
    t = cfg.train
    total = t.total_steps if steps is None else steps
    warmup = t.warmup_steps
    note = None
    if steps is not None and steps <= t.warmup_steps:
        warmup = max(1, int(round(t.warmup_steps * steps / t.total_steps)))
        note = (f"--steps {steps} is not longer than the configured warmup ({t.warmup_steps}); warmup "
                f"shortened proportionally to {warmup} steps ({t.warmup_steps}/{t.total_steps} of the run)")
    return total, min(warmup, max(total - 1, 0)), note


def make_schedule(cfg: EBMConfig, total_steps: int, warmup_steps: int):
    # optax counts the warmup inside decay_steps: cosine reaches 0 exactly at total_steps.
    return optax.warmup_cosine_decay_schedule(
        init_value=0.0, peak_value=cfg.train.lr, warmup_steps=warmup_steps,
        decay_steps=max(total_steps, warmup_steps + 1), end_value=0.0)


def make_optimizer(cfg: EBMConfig, total_steps: int, warmup_steps: int) -> optax.GradientTransformation:
    t = cfg.train
    schedule = make_schedule(cfg, total_steps, warmup_steps)
    decay_mask = lambda params: jax.tree.map(lambda x: x.ndim > 1, params)  # kernels only
    return optax.chain(
        optax.clip_by_global_norm(t.clip_norm),
        optax.adamw(schedule, weight_decay=t.weight_decay, mask=decay_mask),
    )


class Trainer:
    """Builds the jitted functions once for a (config, input dim) pair."""

    def __init__(self, cfg: EBMConfig, input_dim: int, total_steps: int, warmup_steps: int):
        self.cfg = cfg
        self.input_dim = input_dim
        self.total_steps = total_steps
        self.warmup_steps = warmup_steps
        model = create_head(input_dim, cfg.model, cfg.train.seed)
        self.graphdef, params, pstate = split(model)
        self.tx = make_optimizer(cfg, total_steps, warmup_steps)
        self.tx_schedule = make_schedule(cfg, total_steps, warmup_steps)
        self.init_state = TrainState(
            params=params, pstate=pstate, opt_state=self.tx.init(params),
            step=jnp.zeros((), jnp.int32), key=jax.random.PRNGKey(cfg.train.seed + 1),
            skipped=jnp.zeros((), jnp.int32))
        self.n_params = num_params(params)
        self.trace_count = 0
        self.eval_trace_count = 0
        self._chunk = jax.jit(self._train_chunk, donate_argnums=(0,))
        self._eval = jax.jit(self._eval_batch)

    # -- pure functions --------------------------------------------------------------------
    def _loss(self, params, pstate, table, idx_BxC, depth_B, key):
        B, C = idx_BxC.shape
        x = jnp.take(table, idx_BxC.reshape(-1), axis=0)
        out, new_pstate = apply(self.graphdef, params, pstate, x, train=True, key=key)
        energy = out.energy.reshape(B, C)
        raw = out.raw.reshape(B, C)
        lc = self.cfg.loss
        loss, parts = total_loss(energy, raw, depth_B, kind=lc.kind, margin=lc.margin,
                                 depth_weight=lc.depth_weight)
        return loss, (parts, energy, new_pstate)

    def _train_chunk(self, state: TrainState, table, idx_SxBxC, depth_SxB, active_S):
        self.trace_count += 1  # Python side effect: runs once per trace
        margin = self.cfg.loss.margin

        def body(st: TrainState, xs):
            idx, depth, active = xs
            key = jax.random.fold_in(st.key, st.step)
            (loss, (parts, energy, new_pstate)), grads = jax.value_and_grad(self._loss, has_aux=True)(
                st.params, st.pstate, table, idx, depth, key)
            updates, new_opt = self.tx.update(grads, st.opt_state, st.params)
            new_params = optax.apply_updates(st.params, updates)
            finite = jnp.isfinite(loss) & jnp.isfinite(optax.global_norm(grads))
            ok = finite & active
            keep = lambda new, old: jax.tree.map(lambda a, b: jnp.where(ok, a, b), new, old)
            nxt = TrainState(
                params=keep(new_params, st.params), pstate=keep(new_pstate, st.pstate),
                opt_state=keep(new_opt, st.opt_state),
                step=st.step + active.astype(jnp.int32), key=st.key,
                skipped=st.skipped + (active & ~finite).astype(jnp.int32))
            metrics = dict(parts)
            metrics.update(batch_metrics(energy, margin))
            metrics["grad_norm"] = optax.global_norm(grads)
            metrics["temperature"] = jnp.exp(jnp.clip(
                _value(st.params["log_temperature"]), self.cfg.model.log_temperature_min,
                self.cfg.model.log_temperature_max))
            metrics["finite"] = finite.astype(jnp.float32)
            metrics["active"] = active.astype(jnp.float32)
            return nxt, metrics

        return jax.lax.scan(body, state, (idx_SxBxC, depth_SxB, active_S))

    def _eval_batch(self, params, pstate, table, idx_BxC, depth_B):
        self.eval_trace_count += 1
        B, C = idx_BxC.shape
        x = jnp.take(table, idx_BxC.reshape(-1), axis=0)
        out, _ = apply(self.graphdef, params, pstate, x, train=False, key=None)
        energy = out.energy.reshape(B, C)
        lc = self.cfg.loss
        _, parts = total_loss(energy, out.raw.reshape(B, C), depth_B, kind=lc.kind, margin=lc.margin,
                              depth_weight=lc.depth_weight)
        m = dict(parts)
        m.update(batch_metrics(energy, lc.margin))
        return m

    # -- host helpers ------------------------------------------------------------------------
    def run_chunk(self, state: TrainState, table_dev, idx, depth, active):
        return self._chunk(state, table_dev, idx, depth, active)

    def evaluate(self, state: TrainState, table_dev, batches) -> dict[str, float]:
        outs = [self._eval(state.params, state.pstate, table_dev, i, d) for i, d in batches]
        stacked = jax.device_get(outs)
        return {k: float(np.mean([o[k] for o in stacked])) for k in stacked[0]}


def health_warnings(m: dict[str, float]) -> list[str]:
    out = []
    if not all(math.isfinite(v) for v in m.values()):
        out.append("NaN/Inf in metrics")
    std = m.get("energy_std", float("nan"))
    if math.isfinite(std) and std < 0.1:
        out.append(f"energy std {std:.3g} < 0.1: energies collapsing")
    if math.isfinite(std) and std > 50:
        out.append(f"energy std {std:.3g} > 50: energies exploding")
    gap = m.get("energy_gap", float("nan"))
    if math.isfinite(gap) and gap < 0:
        out.append(f"energy gap {gap:.3g} < 0: positives score worse than negatives (inverted)")
    return out


@dataclasses.dataclass
class TrainResult:
    output: Path
    steps: int
    skipped: int
    final_val: dict | None
    final_val_uniform: dict | None
    last_train: dict | None
    trainer: Trainer
    state: TrainState
    notes: list[str]


def _rows(data: ContrastiveData, node_ids: np.ndarray) -> np.ndarray:
    rows = data.node_row[node_ids]
    if (rows < 0).any() or (rows >= len(data.table)).any():
        # JAX clamps out-of-range gathers silently; never let that happen.
        raise DataError("internal error: sampled a node without an embedding row")
    return rows.astype(np.int32)


def _val_batches(data: ContrastiveData, cfg: EBMConfig, uniform: bool):
    if data.val is None:
        return []
    out = []
    t = cfg.train
    for b in range(t.val_batches):
        rng = step_rng(t.seed, "val_uniform" if uniform else "val", b)
        if uniform:
            ids, depth = sample_uniform_batch(data.val, cfg.sampler.k_negatives, t.batch_size, rng)
        else:
            ids, depth = sample_batch(data.val, cfg.sampler, t.batch_size, rng)
        out.append((jnp.asarray(_rows(data, ids)), jnp.asarray(depth)))
    return out


def train(cfg: EBMConfig, data: ContrastiveData, output: Path, *, steps: int | None = None,
          resume: bool = False, progress: bool = True, log: Callable[[str], None] | None = None,
          extra_meta: dict | None = None) -> TrainResult:
    """Train (or resume) and write checkpoints, metrics.jsonl and summary.json under ``output``."""
    log = log or (lambda s: print(s, file=sys.stderr))
    output = Path(output).absolute()
    notes: list[str] = []
    total, warmup, note = effective_warmup(cfg, steps)
    if note:
        notes.append(note)
        log(f"note: {note}")
    saved = ckpt.read_meta(output)
    meta = {"config": to_dict(cfg), "input_dim": data.dim, "total_steps": total,
            "warmup_steps": warmup, "provenance": data.provenance, "data_stats": data.stats,
            "versions": ckpt.versions(), **(extra_meta or {})}
    if saved is not None and not resume:
        raise ConfigError(f"{output} already holds a trained EBM; pass --resume to continue it or "
                          "choose another --output")
    if resume and saved is not None:
        for key in ("config", "input_dim", "total_steps", "warmup_steps"):
            if saved.get(key) != meta[key]:
                raise ConfigError(f"--resume: {key} differs from the run in {output}; use the same "
                                  "config, data and --steps")
        from qedjax.data.embeddings import check_provenance
        check_provenance(saved.get("provenance"), data.provenance, "--resume")
    trainer = Trainer(cfg, data.dim, total, warmup)
    manager = ckpt.manager(output, cfg.train.max_to_keep)
    state = trainer.init_state
    if resume and saved is not None:
        restored = ckpt.restore_latest(manager, state)
        if restored is not None:
            state = restored
            log(f"resumed from step {int(state.step)}")
    ckpt.write_meta(output, meta)

    t = cfg.train
    table_dev = jax.device_put(jnp.asarray(data.table))
    val_tiered = _val_batches(data, cfg, uniform=False)
    metrics_path = output / "metrics.jsonl"
    step = int(state.step)
    if step == 0 and metrics_path.exists():
        metrics_path.unlink()
    S, B, C = t.steps_per_call, t.batch_size, cfg.sampler.k_negatives + 1

    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=total, initial=step, desc="train-ebm", unit="step", disable=None,
                   dynamic_ncols=True)
    pending: list[dict] = []
    last_train: dict | None = None
    t0 = time.perf_counter()
    with open(metrics_path, "a", encoding="utf-8") as mlog:
        while step < total:
            boundaries = [total] + [
                (step // every + 1) * every for every in (t.log_every, t.val_every, t.checkpoint_every)]
            end = min(min(boundaries), step + S)
            n = end - step
            idx = np.zeros((S, B, C), np.int32)
            depth = np.full((S, B), -1.0, np.float32)
            active = np.zeros((S,), bool)
            for j in range(n):
                ids, d = sample_batch(data.train, cfg.sampler, B, step_rng(t.seed, "train", step + j))
                idx[j] = _rows(data, ids)
                depth[j] = d
                active[j] = True
            state, metrics = trainer.run_chunk(state, table_dev, idx, depth, active)
            pending.append((metrics, n))
            step = end
            if bar is not None:
                bar.update(n)
            if step % t.log_every == 0 or step == total:
                fetched = jax.device_get([m for m, _ in pending])
                rows = {}
                for (m, n_act) in zip(fetched, [k for _, k in pending]):
                    for k, v in m.items():
                        rows.setdefault(k, []).extend(np.asarray(v)[:n_act].tolist())
                finite_rows = np.asarray(rows.pop("finite"), bool)
                rows.pop("active", None)
                agg = {k: float(np.mean(np.asarray(v)[finite_rows])) if finite_rows.any() else float("nan")
                       for k, v in rows.items()}
                agg.update(step=step, split="train", skipped=int(state.skipped),
                           lr=float(trainer.tx_schedule(step)),
                           elapsed_s=round(time.perf_counter() - t0, 3))
                pending.clear()
                last_train = agg
                mlog.write(json.dumps(agg) + "\n")
                mlog.flush()
                for w in health_warnings({k: v for k, v in agg.items()
                                          if k in ("energy_std", "energy_gap", "loss")}):
                    log(f"warning (step {step}): {w}")
                if bar is not None:
                    bar.set_postfix(loss=f"{agg['loss']:.3f}", gap=f"{agg['energy_gap']:.2f}",
                                    rank=f"{agg['rank_accuracy']:.2f}", refresh=False)
            if val_tiered and (step % t.val_every == 0 and step != total):
                vm = trainer.evaluate(state, table_dev, val_tiered)
                vm.update(step=step, split="val")
                mlog.write(json.dumps(vm) + "\n")
                mlog.flush()
            if step % t.checkpoint_every == 0 and step != total:
                ckpt.save(manager, state)
    if bar is not None:
        bar.close()
    ckpt.save(manager, state, force=True)
    manager.wait_until_finished()
    manager.close()
    final_val = final_uniform = None
    if data.val is not None:
        final_val = trainer.evaluate(state, table_dev, val_tiered)
        final_uniform = trainer.evaluate(state, table_dev, _val_batches(data, cfg, uniform=True))
        with open(metrics_path, "a", encoding="utf-8") as mlog:
            mlog.write(json.dumps({**final_val, "step": step, "split": "val_final"}) + "\n")
            mlog.write(json.dumps({**final_uniform, "step": step, "split": "val_final_uniform"}) + "\n")
        for w in health_warnings(final_val):
            log(f"warning (final validation): {w}")
    summary = {"steps": step, "skipped_steps": int(state.skipped), "params": trainer.n_params,
               "final_train": last_train, "final_val": final_val, "final_val_uniform": final_uniform,
               "notes": notes}
    ckpt.atomic_write_json(output / "summary.json", summary)
    return TrainResult(output, step, int(state.skipped), final_val, final_uniform, last_train,
                       trainer, state, notes)
