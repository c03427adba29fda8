"""Train the energy head on distance targets: interval regression and distance-aware ranking.

A research trainer on a plain (N, D) table: the product trains the same objectives through
:mod:`qedjax.ebm.train` (``[ebm.loss] kind = "distance"``), with checkpoints, sharding and hooks.

Where contrastive training (``qedjax.ebm.train``) only knows "on the found proof path or not", here
each training state carries an interval ``[lower, upper]`` on its remaining proof length: exact
distances (``lower == upper``), hindsight upper bounds from proofs found in search (``lower`` = 1),
or only a lower bound (``upper = inf``: nothing proved below it). Objectives, on energies in units
of proof steps:

* ``interval``: squared distance of the energy to the interval, ``relu(lower − E)² + relu(E − upper)²``
  (plain MSE when the interval is a point; one-sided for censored states);
* ``rank``: for every pair in the batch that the intervals order (``upper_i < lower_j``), the logistic
  loss ``softplus(E_i − E_j + margin)``, averaged over such pairs;
* ``interval+rank``: their sum (the rank term weighted by ``rank_weight``).

Batches are uniform over training states (so pairs mix theorems, as best-first search compares
nodes across the whole frontier); one jitted, donated ``lax.scan`` runs many steps per call, with
the embedding table as an argument. The result plugs into :class:`qedjax.ebm.scoring.EnergyScorer`.
"""

from __future__ import annotations

import dataclasses
import time
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from qedjax.ebm.config import ModelConfig
from qedjax.ebm.losses import interval_loss, interval_rank
from qedjax.ebm.model import apply, create_head, split
from qedjax.ebm.scoring import EnergyScorer

OBJECTIVES = ("interval", "rank", "interval+rank")


@dataclasses.dataclass(frozen=True)
class RegressConfig:
    objective: str = "interval+rank"
    cap: float = 12.0  # targets and bounds are clipped to [0, cap]; inf upper bounds stay open
    margin: float = 0.0  # rank: required energy gap (in steps) between ordered pairs
    rank_weight: float = 1.0
    steps: int = 3000
    batch_size: int = 256
    lr: float = 1e-3
    warmup_steps: int = 100
    weight_decay: float = 0.01
    steps_per_call: int = 100
    seed: int = 0
    model: ModelConfig = ModelConfig()

    def validate(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"unknown objective {self.objective!r} (known: {', '.join(OBJECTIVES)})")
        if self.steps < 1 or self.batch_size < 2 or self.steps_per_call < 1:
            raise ValueError("steps, batch_size (>= 2) and steps_per_call must be positive")
        if self.cap <= 0 or self.lr <= 0:
            raise ValueError("cap and lr must be > 0")


class _State(NamedTuple):
    params: object
    pstate: object
    opt_state: object
    step: jax.Array


def rank_loss(energy_B: jax.Array, lower_B: jax.Array, upper_B: jax.Array, margin: float
              ) -> tuple[jax.Array, jax.Array]:
    """RankNet over the pairs the intervals order; returns (loss, fraction of pairs ordered)."""
    loss, ordered, _ = interval_rank(energy_B, lower_B, upper_B, margin)
    return loss, ordered


def objective_loss(energy_B, lower_B, upper_B, cfg: RegressConfig) -> jax.Array:
    total = jnp.zeros((), jnp.float32)
    if cfg.objective in ("interval", "interval+rank"):
        total = total + interval_loss(energy_B, lower_B, upper_B)
    if cfg.objective in ("rank", "interval+rank"):
        total = total + cfg.rank_weight * rank_loss(energy_B, lower_B, upper_B, cfg.margin)[0]
    return total


@dataclasses.dataclass
class RegressResult:
    scorer: EnergyScorer
    seconds: float
    final_loss: float
    train_energy_std: float  # over all training states (used to calibrate T_ebm)


def train_regression(table: np.ndarray, lower: np.ndarray, upper: np.ndarray, cfg: RegressConfig,
                     provenance: dict | None = None) -> RegressResult:
    """Fit the energy head to the intervals ``[lower, upper]`` of the rows of ``table`` (N, D)."""
    cfg.validate()
    t0 = time.perf_counter()
    table = np.ascontiguousarray(table, np.float32)
    lo = np.clip(np.asarray(lower, np.float32), 0.0, cfg.cap)
    up = np.asarray(upper, np.float32)
    up = np.where(np.isfinite(up), np.clip(up, 0.0, cfg.cap), np.inf).astype(np.float32)
    if len(table) != len(lo) or len(lo) != len(up):
        raise ValueError("table, lower and upper must have the same length")
    if (lo > up).any():
        raise ValueError("some lower bounds exceed their upper bounds")
    model = create_head(table.shape[1], cfg.model, cfg.seed)
    graphdef, params, pstate = split(model)
    schedule = optax.warmup_cosine_decay_schedule(0.0, cfg.lr, min(cfg.warmup_steps, cfg.steps - 1),
                                                  max(cfg.steps, cfg.warmup_steps + 1), 0.0)
    tx = optax.chain(optax.clip_by_global_norm(1.0),
                     optax.adamw(schedule, weight_decay=cfg.weight_decay,
                                 mask=lambda p: jax.tree.map(lambda x: x.ndim > 1, p)))
    state = _State(params, pstate, tx.init(params), jnp.zeros((), jnp.int32))
    key = jax.random.PRNGKey(cfg.seed + 1)

    def loss_fn(params, pstate, x, lower_B, upper_B, k):
        out, new_pstate = apply(graphdef, params, pstate, x, train=True, key=k)
        return objective_loss(out.energy, lower_B, upper_B, cfg), new_pstate

    def chunk(st: _State, table_dev, lo_dev, up_dev, idx_SxB):
        def body(s: _State, idx):
            k = jax.random.fold_in(key, s.step)
            x = jnp.take(table_dev, idx, axis=0)
            (loss, new_pstate), grads = jax.value_and_grad(loss_fn, has_aux=True)(
                s.params, s.pstate, x, lo_dev[idx], up_dev[idx], k)
            updates, opt = tx.update(grads, s.opt_state, s.params)
            ok = jnp.isfinite(loss)
            keep = lambda a, b: jax.tree.map(lambda u, v: jnp.where(ok, u, v), a, b)
            return _State(keep(optax.apply_updates(s.params, updates), s.params),
                          keep(new_pstate, s.pstate), keep(opt, s.opt_state), s.step + 1), loss

        return jax.lax.scan(body, st, idx_SxB)

    run = jax.jit(chunk, donate_argnums=(0,))
    table_dev, lo_dev, up_dev = jnp.asarray(table), jnp.asarray(lo), jnp.asarray(up)
    rng = np.random.default_rng([cfg.seed, 4242])
    losses = []
    done = 0
    while done < cfg.steps:
        n = min(cfg.steps_per_call, cfg.steps - done)
        idx = rng.integers(0, len(table), (n, cfg.batch_size)).astype(np.int32)
        state, loss = run(state, table_dev, lo_dev, up_dev, jnp.asarray(idx))
        losses.append(np.asarray(loss))
        done += n
    from qedjax.ebm.config import EBMConfig

    scorer = EnergyScorer(graphdef, state.params, state.pstate, EBMConfig(model=cfg.model),
                          table.shape[1], provenance)
    energies = scorer.energies(table, provenance)
    tail = np.concatenate(losses)[-100:]
    return RegressResult(scorer, time.perf_counter() - t0, float(np.mean(tail[np.isfinite(tail)])),
                         float(np.std(energies)))


class Standardized:
    """Per-dimension z-scoring of frozen embeddings in front of a head: ``head((x − mean) / scale)``.

    The frozen MiniLM vectors of prop states sit close together (mean pairwise distance ≈ 2.4 for
    norms ≈ 3.1), and a spectrally normalised head is 1-Lipschitz up to its learnable temperature,
    so on raw vectors its energies can barely spread. The statistics come from training states only
    and travel with the head (they are part of what was trained).
    """

    def __init__(self, head, mean: np.ndarray, scale: np.ndarray):
        self.head = head
        self.mean = np.asarray(mean, np.float32)
        self.scale = np.asarray(scale, np.float32)
        self.provenance = getattr(head, "provenance", None)

    @classmethod
    def statistics(cls, table: np.ndarray, eps: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
        table = np.asarray(table, np.float64)
        return table.mean(0).astype(np.float32), (table.std(0) + eps).astype(np.float32)

    def transform(self, emb: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray((np.asarray(emb, np.float32) - self.mean) / self.scale)

    def energies(self, emb: np.ndarray, provenance: dict | None = None) -> np.ndarray:
        return self.head.energies(self.transform(emb), provenance)

    def score(self, emb: np.ndarray, provenance: dict | None = None) -> np.ndarray:
        return -self.energies(emb, provenance)
