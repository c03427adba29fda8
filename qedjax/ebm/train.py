"""EBM training: one immutable train state, one jitted + donated multi-step function (``lax.scan``).

The step functions are pure, module-level functions of (statics, state, batch); :class:`Trainer` binds
the statics (graph definition, optimizer, loss and model settings) once and jits them. The embedding
table lives on the device and is an *argument* of the jitted functions (a closure would be baked into
the program as a constant). Each call runs ``steps_per_call`` optimizer steps; steps past a hook
boundary are masked, so the step is traced exactly once. NaN/Inf steps are skipped (parameters,
optimizer and power-iteration state kept) and counted.

Periodic work (logging, validation, checkpoints) runs as :class:`Hook` objects between device calls,
so :func:`train` is only the loop.

Data parallelism (:mod:`qedjax.ebm.sharding`): the jitted functions take their inputs on a 1-D mesh
over every visible device (or ``devices`` of them, on every host): the batch axis is sharded, the
train state is replicated and XLA adds the gradient all-reduce. ``batch_size`` is the global batch,
so one device and N devices run the same steps on the same batches.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from tqdm import tqdm

from qedjax.config import available_memory, to_dict
from qedjax.config import check_memory as refuse_over
from qedjax.data.embeddings import check_provenance
from qedjax.ebm import checkpoint as ckpt
from qedjax.ebm.config import EBMConfig, LossConfig, ModelConfig
from qedjax.ebm.data import (
    ContrastiveData,
    data_fingerprint,
    sample_batch,
    sample_state_batch,
    sample_uniform_batch,
    step_rng,
)
from qedjax.ebm.losses import batch_metrics, distance_loss, distance_metrics, total_loss
from qedjax.ebm.model import apply, create_head, num_params, split
from qedjax.ebm.sharding import Layout, TableLayout, initialize_distributed, make_layout
from qedjax.errors import ConfigError, DataError
from qedjax.io import atomic_write_lines, jsonl_lines
from qedjax.paths import missing_dirs, remove_empty_dirs
from qedjax.seeds import derive


class TrainState(NamedTuple):
    params: Any
    pstate: Any  # power-iteration vectors
    opt_state: Any
    step: jax.Array  # int32 scalar
    key: jax.Array  # base PRNG key; per-step keys are fold_in(key, step)
    skipped: jax.Array  # int32: non-finite steps skipped so far


class Statics(NamedTuple):
    """What the pure step functions need besides arrays (bound once per run with functools.partial)."""

    graphdef: Any
    tx: optax.GradientTransformation
    loss: LossConfig
    model: ModelConfig
    gather: Callable = lambda table, idx: jnp.take(table, idx, axis=0)  # (table, idx_M) -> rows (M, D)


# -- schedule and optimizer ----------------------------------------------------------------------

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


def uses_bounds(loss: LossConfig) -> bool:
    """Whether training needs hindsight distance bounds on its states."""
    return loss.kind == "distance" or loss.distance_weight > 0


# -- pure step functions -------------------------------------------------------------------------

# A batch is (idx_BxC, target_BxCx3). Contrastive kinds: column 0 of idx is the positive and
# target[:, 0, 0] its remaining depth (−1 unknown). Every slot's target[..., 1:] is its state's
# [lower, upper] remaining proof length when the loss uses distance bounds (zeros otherwise).
# Distance: every slot a state drawn uniformly.

def _objective(lc: LossConfig, energy, raw, target_BxCx3):
    e, lo, up = energy.reshape(-1), target_BxCx3[..., 1].reshape(-1), target_BxCx3[..., 2].reshape(-1)
    if lc.kind == "distance":
        loss, parts = distance_loss(e, lo, up, rank_weight=lc.rank_weight)
        return loss, parts, distance_metrics(e, lo, up)
    loss, parts = total_loss(energy, raw, target_BxCx3[:, 0, 0], kind=lc.kind, margin=lc.margin,
                             depth_weight=lc.depth_weight)
    if lc.distance_weight > 0:
        dist, dparts = distance_loss(e, lo, up, rank_weight=lc.rank_weight)
        loss = loss + lc.distance_weight * dist
        parts = {**parts, "interval_loss": dparts["interval_loss"], "rank_loss": dparts["rank_loss"],
                 "distance_loss": dist, "loss": loss}
    return loss, parts, batch_metrics(energy, raw, lc.margin)


def _loss(statics: Statics, params, pstate, table, idx_BxC, target_BxCx3, key):
    B, C = idx_BxC.shape
    x = statics.gather(table, idx_BxC.reshape(-1))
    out, new_pstate = apply(statics.graphdef, params, pstate, x, train=True, key=key)
    energy = out.energy.reshape(B, C)
    raw = out.raw.reshape(B, C)
    loss, parts, metrics = _objective(statics.loss, energy, raw, target_BxCx3)
    return loss, (parts, metrics, new_pstate)


def train_chunk(statics: Statics, state: TrainState, table, idx_SxBxC, target_SxBxCx3, active_S):
    """``S`` optimizer steps in one ``lax.scan``; inactive steps leave the state untouched."""

    def body(st: TrainState, xs):
        idx, target, active = xs
        key = jax.random.fold_in(st.key, st.step)
        loss_of = lambda params: _loss(statics, params, st.pstate, table, idx, target, key)
        (loss, (parts, batch_m, new_pstate)), grads = jax.value_and_grad(loss_of, has_aux=True)(st.params)
        updates, new_opt = statics.tx.update(grads, st.opt_state, st.params)
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
        metrics.update(batch_m)
        metrics["grad_norm"] = optax.global_norm(grads)
        m = statics.model
        metrics["temperature"] = jnp.exp(jnp.clip(jnp.asarray(st.params["log_temperature"]),
                                                  m.log_temperature_min, m.log_temperature_max))
        metrics["finite"] = finite.astype(jnp.float32)
        return nxt, metrics

    return jax.lax.scan(body, state, (idx_SxBxC, target_SxBxCx3, active_S))


def eval_batch(statics: Statics, params, pstate, table, idx_BxC, target_BxCx3):
    """Validation metrics of one batch in inference mode (no dropout, stored power-iteration state)."""
    B, C = idx_BxC.shape
    x = statics.gather(table, idx_BxC.reshape(-1))
    out, _ = apply(statics.graphdef, params, pstate, x, train=False, key=None)
    energy, raw = out.energy.reshape(B, C), out.raw.reshape(B, C)
    _, parts, metrics = _objective(statics.loss, energy, raw, target_BxCx3)
    return {**parts, **metrics}


class Trainer:
    """The jitted step functions and initial state for a (config, input dim, schedule), laid out on
    ``layout``'s mesh (default: every visible device, table replicated)."""

    def __init__(self, cfg: EBMConfig, input_dim: int, total_steps: int, warmup_steps: int,
                 layout: Layout | None = None, input_stats: tuple | None = None):
        self.cfg = cfg
        self.input_dim = input_dim
        self.total_steps = total_steps
        self.warmup_steps = warmup_steps
        self.layout = layout = layout or make_layout()
        layout.check_batch(cfg.train.batch_size)
        model = create_head(input_dim, cfg.model, cfg.train.seed, input_stats)
        graphdef, params, pstate = split(model)
        self.tx = make_optimizer(cfg, total_steps, warmup_steps)
        self.schedule = make_schedule(cfg, total_steps, warmup_steps)
        self.statics = Statics(graphdef, self.tx, cfg.loss, cfg.model, layout.gather())
        rep = layout.replicated
        self.init_state = layout.put_tree(TrainState(
            params=params, pstate=pstate, opt_state=self.tx.init(params),
            step=jnp.zeros((), jnp.int32), key=jax.random.PRNGKey(derive(cfg.train.seed, "train-key")),
            skipped=jnp.zeros((), jnp.int32)), rep)
        self.n_params = num_params(params)
        table = layout.table_sharding
        self.run_chunk = jax.jit(
            functools.partial(train_chunk, self.statics), donate_argnums=(0,),
            in_shardings=(rep, table, layout.batch(3, axis=1), layout.batch(4, axis=1), rep),
            out_shardings=(rep, rep))
        self._eval = jax.jit(functools.partial(eval_batch, self.statics),
                             in_shardings=(rep, rep, table, layout.batch(2), layout.batch(3)),
                             out_shardings=rep)

    def put_table(self, table: np.ndarray) -> jax.Array:
        return self.layout.put_table(table)

    def put_chunk(self, idx_SxBxC: np.ndarray, target_SxBxCx3: np.ndarray, active_S: np.ndarray):
        """Host arrays of one chunk → the mesh (batch axis split over the devices)."""
        lay = self.layout
        return (lay.put(idx_SxBxC, lay.batch(3, axis=1)), lay.put(target_SxBxCx3, lay.batch(4, axis=1)),
                lay.put(active_S, lay.replicated))

    def put_batch(self, idx_BxC: np.ndarray, target_BxCx3: np.ndarray):
        lay = self.layout
        return lay.put(idx_BxC, lay.batch(2)), lay.put(target_BxCx3, lay.batch(3))

    @property
    def graphdef(self):
        return self.statics.graphdef

    @property
    def compiled_train_programs(self) -> int:
        """How many programs the train step compiled (1 for a whole run: it never retraces)."""
        return self.run_chunk._cache_size()

    @property
    def compiled_eval_programs(self) -> int:
        return self._eval._cache_size()

    def evaluate(self, state: TrainState, table_dev, batches) -> dict[str, float]:
        outs = [self._eval(state.params, state.pstate, table_dev, i, d) for i, d in batches]
        stacked = jax.device_get(outs)
        return {k: float(np.mean([o[k] for o in stacked])) for k in stacked[0]}


def training_input_stats(data: ContrastiveData) -> tuple[np.ndarray, np.ndarray]:
    """Per-dimension mean and std of the embeddings of the training split's states (validation
    states excluded), for the head's input standardisation."""
    nodes = np.concatenate([data.train.positives, data.train.all_negs])
    rows = np.unique(data.node_row[nodes])
    x = data.table[rows[rows >= 0]].astype(np.float64)
    return x.mean(axis=0).astype(np.float32), x.std(axis=0).astype(np.float32)


# -- health --------------------------------------------------------------------------------------

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


# -- hooks ---------------------------------------------------------------------------------------

@dataclasses.dataclass
class Loop:
    """What hooks see: the state after the last device call and the metrics not yet fetched."""

    trainer: Trainer
    state: TrainState
    table_dev: Any
    step: int
    total: int
    pending: list  # [(metrics pytree on device, active step count)]
    metrics_file: Any
    log: Callable[[str], None]
    bar: Any = None
    last_train: dict | None = None
    t0: float = dataclasses.field(default_factory=time.perf_counter)

    def write_metrics(self, row: dict) -> None:
        self.metrics_file.write(json.dumps(row) + "\n")
        self.metrics_file.flush()


@dataclasses.dataclass
class Hook:
    """``fn(loop)`` runs after every device call that ends on a multiple of ``every`` (and at the end
    when ``at_end``)."""

    every: int
    fn: Callable[[Loop], None]
    at_end: bool = False

    def due(self, step: int, total: int) -> bool:
        return step % self.every == 0 and (step != total or self.at_end)


def log_hook(every: int) -> Hook:
    """Fetch the pending device metrics (only now: the device never waits for Python), aggregate the
    finite steps, write a metrics.jsonl row, warn on unhealthy values, update the progress bar."""

    def fn(loop: Loop) -> None:
        if not loop.pending:
            return
        fetched = jax.device_get([m for m, _ in loop.pending])
        rows: dict[str, list] = {}
        for m, n_act in zip(fetched, [n for _, n in loop.pending]):
            for k, v in m.items():
                rows.setdefault(k, []).extend(np.asarray(v)[:n_act].tolist())
        finite = np.asarray(rows.pop("finite"), bool)
        agg = {k: float(np.mean(np.asarray(v)[finite])) if finite.any() else float("nan")
               for k, v in rows.items()}
        agg.update(step=loop.step, split="train", skipped=int(loop.state.skipped),
                   lr=float(loop.trainer.schedule(loop.step)),
                   elapsed_s=round(time.perf_counter() - loop.t0, 3))
        loop.pending.clear()
        loop.last_train = agg
        loop.write_metrics(agg)
        for w in health_warnings({k: v for k, v in agg.items() if k in ("energy_std", "energy_gap", "loss")}):
            loop.log(f"warning (step {loop.step}): {w}")
        if loop.bar is not None:
            loop.bar.set_postfix(loss=f"{agg['loss']:.3f}", gap=f"{agg['energy_gap']:.2f}",
                                 rank=f"{agg['rank_accuracy']:.2f}", refresh=False)

    return Hook(every, fn, at_end=True)


def validation_hook(every: int, batches: list) -> Hook:
    def fn(loop: Loop) -> None:
        vm = loop.trainer.evaluate(loop.state, loop.table_dev, batches)
        loop.write_metrics({**vm, "step": loop.step, "split": "val"})

    return Hook(every, fn)


def checkpoint_hook(every: int, manager) -> Hook:
    return Hook(every, lambda loop: ckpt.save(manager, loop.state))


# -- data → device batches -----------------------------------------------------------------------

def _rows(data: ContrastiveData, node_ids: np.ndarray) -> np.ndarray:
    rows = data.node_row[node_ids]
    if (rows < 0).any() or (rows >= len(data.table)).any():
        # JAX clamps out-of-range gathers silently; never let that happen.
        raise DataError("internal error: sampled a node without an embedding row")
    return rows.astype(np.int32)


def _draw(data: ContrastiveData, cfg: EBMConfig, split, rng: np.random.Generator, uniform: bool = False
          ) -> tuple[np.ndarray, np.ndarray]:
    """One batch of ``split``: (node ids (B, C), targets (B, C, 3)) for the configured loss."""
    B, C = cfg.train.batch_size, cfg.sampler.k_negatives + 1
    target = np.zeros((B, C, 3), np.float32)
    if cfg.loss.kind == "distance":
        ids = sample_state_batch(split, (B, C), rng)
    else:
        if uniform:
            ids, depth = sample_uniform_batch(split, cfg.sampler.k_negatives, B, rng)
        else:
            ids, depth = sample_batch(split, cfg.sampler, B, rng)
        target[:, 0, 0] = depth
    if data.bounds is not None:
        target[..., 1:] = data.bounds[ids]
    return ids, target


def _val_batches(data: ContrastiveData, cfg: EBMConfig, uniform: bool, trainer: Trainer):
    if data.val is None:
        return []
    out = []
    for b in range(cfg.train.val_batches):
        rng = step_rng(cfg.train.seed, "val_uniform" if uniform else "val", b)
        ids, target = _draw(data, cfg, data.val, rng, uniform)
        out.append(trainer.put_batch(_rows(data, ids), target))
    return out


def host_chunk(data: ContrastiveData, cfg: EBMConfig, step: int, n: int):
    """Index, target and activity arrays for the next ``n`` ≤ steps_per_call steps (padded, masked)."""
    t = cfg.train
    S, B, C = t.steps_per_call, t.batch_size, cfg.sampler.k_negatives + 1
    idx = np.zeros((S, B, C), np.int32)
    target = np.zeros((S, B, C, 3), np.float32)
    target[:, :, 0, 0] = -1.0
    active = np.zeros((S,), bool)
    for j in range(n):
        ids, tg = _draw(data, cfg, data.train, step_rng(t.seed, "train", step + j))
        idx[j] = _rows(data, ids)
        target[j] = tg
        active[j] = True
    return idx, target, active


def _truncate_metrics(path: Path, step: int) -> None:
    """Drop metrics rows past ``step`` (a resumed run redoes them) so no step is logged twice."""
    if not path.exists():
        return
    keep = []
    for line in jsonl_lines(path.read_text(encoding="utf-8", errors="replace")):
        try:
            row = json.loads(line)
            if int(row.get("step", 0)) <= step and not str(row.get("split", "")).startswith("val_final"):
                keep.append(line)
        except (ValueError, TypeError, AttributeError, RecursionError, OverflowError):
            continue  # a line cut short by a kill, or one that is no metrics row: dropped
    atomic_write_lines(path, keep)


# -- the loop ------------------------------------------------------------------------------------

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


def _check_resume(output: Path, saved: dict | None, meta: dict, resume: bool, data: ContrastiveData) -> None:
    if saved is not None and not resume:
        raise ConfigError(f"{output} already holds a trained EBM; pass --resume to continue it or "
                          "choose another --output")
    if resume and saved is not None:
        for key in ("config", "input_dim", "total_steps", "warmup_steps"):
            if saved.get(key) != meta[key]:
                raise ConfigError(f"--resume: {key} differs from the run in {output}; use the same "
                                  "config, data and --steps")
        check_provenance(saved.get("provenance"), data.provenance, "--resume")
        if saved.get("data_sha256") not in (None, meta["data_sha256"]):
            raise ConfigError(f"--resume: the training data differs from the run in {output} (the "
                              "trajectories or the embeddings changed since it started, e.g. re-encoded in "
                              "place); train into another --output")


def check_memory(cfg: EBMConfig, dim: int, table_bytes: int, steps: int | None, layout: Layout) -> None:
    """Refuse a run whose arrays cannot fit (host memory, or a device's where JAX reports it) before
    anything is allocated, with the amount it would need."""
    what, need = cfg.memory_needed(dim, steps)
    need += table_bytes
    limit = available_memory()
    try:
        stats = jax.local_devices()[0].memory_stats() or {}
        if stats.get("bytes_limit"):
            limit = min(limit, int(stats["bytes_limit"]) * max(1, layout.n_devices))
    except Exception:  # noqa: BLE001 - a device that reports nothing is judged by host memory
        pass
    refuse_over(f"training ({what}, with {dim}-d embeddings)", need, "train-ebm", limit)


def _remove_failed_start(output: Path, new_dirs: list[Path]) -> None:
    """What a fresh run that saved no checkpoint wrote, removed: nothing then blocks the corrected rerun."""
    if ckpt.saved_steps(output):
        return
    for name in (ckpt.META, "metrics.jsonl", "summary.json"):
        (output / name).unlink(missing_ok=True)
    shutil.rmtree(output / "checkpoints", ignore_errors=True)
    remove_empty_dirs(new_dirs)


def train(cfg: EBMConfig, data: ContrastiveData, output: Path, *, steps: int | None = None,
          resume: bool = False, progress: bool = True, log: Callable[[str], None] | None = None,
          extra_meta: dict | None = None, devices: int | None = None,
          table_layout: TableLayout = "auto") -> TrainResult:
    """Train (or resume) and write checkpoints, metrics.jsonl and summary.json under ``output``.

    ``devices`` limits the data-parallel mesh (default: every visible device of every process);
    ``table_layout`` forces the embedding table ``replicated`` or sharded by ``rows`` (default: by
    size, see :mod:`qedjax.ebm.sharding`). Neither changes the numbers, only where they are computed.
    In a multi-host run every process calls this; process 0 writes the metrics and JSON files."""
    initialize_distributed()
    if uses_bounds(cfg.loss) and data.bounds is None:
        raise ConfigError("this loss needs distance bounds on the training data (load it with "
                          "distance_cap = loss.cap)")
    primary = jax.process_index() == 0
    log = (log or (lambda s: print(s, file=sys.stderr))) if primary else (lambda s: None)
    output = Path(output).absolute()
    notes: list[str] = []
    total, warmup, note = effective_warmup(cfg, steps)
    if note:
        notes.append(note)
        log(f"note: {note}")
    saved = ckpt.read_meta(output)
    if saved is not None and not ckpt.saved_steps(output):
        saved = None  # a start that saved no checkpoint trained nothing: it is started afresh
    meta = {"config": to_dict(cfg), "input_dim": data.dim, "total_steps": total,
            "warmup_steps": warmup, "provenance": data.provenance, "data_stats": data.stats,
            "data_sha256": data_fingerprint(data), "versions": ckpt.versions(), **(extra_meta or {})}
    _check_resume(output, saved, meta, resume, data)
    layout = make_layout(devices, table_bytes=data.table.size * 4, table=table_layout)
    meta["layout"] = layout.describe()
    check_memory(cfg, data.dim, data.table.size * 4, steps, layout)
    if layout.n_devices > 1 or layout.table == "rows":
        log(f"data parallel over {layout.n_devices} {layout.describe()['platform']} device(s) "
            f"({jax.process_count()} process(es)), {cfg.train.batch_size // layout.n_devices} rows each; "
            f"embedding table {layout.table}")
    new_dirs = missing_dirs(output / ckpt.META)
    try:
        return _train(cfg, data, output, saved=saved, meta=meta, total=total, warmup=warmup, layout=layout,
                      resume=resume, progress=progress, log=log, notes=notes, primary=primary)
    except BaseException:
        if primary and saved is None:
            _remove_failed_start(output, new_dirs)
        raise


def _train(cfg: EBMConfig, data: ContrastiveData, output: Path, *, saved: dict | None, meta: dict, total: int,
           warmup: int, layout: Layout, resume: bool, progress: bool, log: Callable[[str], None],
           notes: list[str], primary: bool) -> TrainResult:
    trainer = Trainer(cfg, data.dim, total, warmup, layout, input_stats=training_input_stats(data))
    manager = ckpt.manager(output, cfg.train.max_to_keep)
    state = trainer.init_state
    if resume and saved is not None:
        restored = ckpt.restore_latest(manager, state, output)
        if restored is not None:
            state = restored
            log(f"resumed from step {int(state.step)}")
    if primary:
        ckpt.write_meta(output, meta)

    t = cfg.train
    step = int(state.step)
    metrics_path = output / "metrics.jsonl"
    if primary and step == 0:
        metrics_path.unlink(missing_ok=True)
    elif primary:
        _truncate_metrics(metrics_path, step)
    val_tiered = _val_batches(data, cfg, uniform=False, trainer=trainer)
    hooks = [log_hook(t.log_every), checkpoint_hook(t.checkpoint_every, manager)]
    if val_tiered:
        hooks.insert(1, validation_hook(t.val_every, val_tiered))

    bar = None
    if progress and primary:
        bar = tqdm(total=total, initial=step, desc="train-ebm", unit="step", disable=None, dynamic_ncols=True)
    with ckpt.finish_on_interrupt(manager), open(metrics_path if primary else os.devnull, "a",
                                                  encoding="utf-8") as mfile:
        loop = Loop(trainer, state, trainer.put_table(data.table), step, total, [], mfile, log, bar)
        while loop.step < total:
            next_boundary = min(min((loop.step // h.every + 1) * h.every for h in hooks), total)
            n = min(next_boundary, loop.step + t.steps_per_call) - loop.step
            chunk = trainer.put_chunk(*host_chunk(data, cfg, loop.step, n))
            loop.state, metrics = trainer.run_chunk(loop.state, loop.table_dev, *chunk)
            loop.pending.append((metrics, n))
            loop.step += n
            if bar is not None:
                bar.update(n)
            for h in hooks:
                if h.due(loop.step, total) or (h.at_end and loop.step == total):
                    h.fn(loop)
    if bar is not None:
        bar.close()
    state = loop.state
    ckpt.save(manager, state, force=True)
    manager.wait_until_finished()
    manager.close()
    final_val = final_uniform = None
    if data.val is not None:
        final_val = trainer.evaluate(state, loop.table_dev, val_tiered)
        final_uniform = trainer.evaluate(state, loop.table_dev, _val_batches(data, cfg, uniform=True,
                                                                             trainer=trainer))
        with open(metrics_path if primary else os.devnull, "a", encoding="utf-8") as mfile:
            mfile.write(json.dumps({**final_val, "step": loop.step, "split": "val_final"}) + "\n")
            mfile.write(json.dumps({**final_uniform, "step": loop.step, "split": "val_final_uniform"}) + "\n")
        for w in health_warnings(final_val):
            log(f"warning (final validation): {w}")
    summary = {"steps": loop.step, "skipped_steps": int(state.skipped), "params": trainer.n_params,
               "final_train": loop.last_train, "final_val": final_val, "final_val_uniform": final_uniform,
               "notes": notes, "layout": layout.describe()}
    if primary:
        ckpt.atomic_write_json(output / "summary.json", summary)
    return TrainResult(output, loop.step, int(state.skipped), final_val, final_uniform, loop.last_train,
                       trainer, state, notes)
