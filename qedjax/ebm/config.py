"""EBM configuration (frozen dataclasses; TOML files in ``configs/``; unknown keys are errors).

Each number's range is on its field (``setting``), checked by :mod:`qedjax.config` for TOML keys and
command-line flags alike; ``validate`` checks combinations and ``memory_needed`` what a training run
would allocate."""

from __future__ import annotations

import dataclasses
from typing import Literal

from qedjax.config import setting

STEP_END = 2**31  # the train state counts steps in int32


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    hidden_dims: tuple[int, ...] = setting((512, 256), ge=1)
    dropout: float = setting(0.1, ge=0.0, lt=1.0)
    spectral_mode: Literal["persistent", "reinit"] = "persistent"
    power_iterations: int = setting(5, ge=1, le=10_000)  # per forward in `reinit` mode (burn-qed parity)
    warmup_iterations: int = setting(30, ge=1, le=10_000)  # at construction in `persistent` mode
    log_temperature_init: float = setting(0.0, ge=-20.0, le=20.0)  # exp(±20) stays far inside float32
    log_temperature_min: float = setting(-5.0, ge=-20.0, le=20.0)
    log_temperature_max: float = setting(2.0, ge=-20.0, le=20.0)
    standardize: bool = True  # z-score the input with the training embeddings' mean and std

    def validate(self) -> None:
        if not self.hidden_dims or any(h <= 0 for h in self.hidden_dims):
            raise ValueError("hidden_dims must be a non-empty list of positive sizes")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        if self.power_iterations < 1 or self.warmup_iterations < 1:
            raise ValueError("power_iterations and warmup_iterations must be >= 1")
        if self.log_temperature_min > self.log_temperature_max:
            raise ValueError("log_temperature_min must not exceed log_temperature_max")


@dataclasses.dataclass(frozen=True)
class LossConfig:
    """``info_nce`` / ``margin_ranking``: the proof-path state against K negatives, plus
    ``depth_weight`` × a regression of the positive's energy on its remaining depth. ``distance``:
    hindsight intervals on every state's remaining proof length (:mod:`qedjax.ebm.labels`), fitted
    by interval regression plus ``rank_weight`` × a ranking over the pairs they order; targets are
    clipped to ``cap`` steps (``margin`` and ``depth_weight`` unused)."""

    kind: Literal["info_nce", "margin_ranking", "distance"] = "info_nce"
    margin: float = setting(1.0, ge=0.0, le=1e6)
    depth_weight: float = setting(0.3, ge=0.0, le=1e6)
    rank_weight: float = setting(1.0, ge=0.0, le=1e6)
    cap: float = setting(12.0, gt=0.0, le=1e6)
    distance_weight: float = setting(0.0, ge=0.0, le=1e6)  # contrastive kinds: + this × the distance loss

    def validate(self) -> None:
        if self.kind not in ("info_nce", "margin_ranking", "distance"):
            raise ValueError(f"unknown loss kind {self.kind!r} (known: info_nce, margin_ranking, distance)")
        if min(self.margin, self.depth_weight, self.rank_weight, self.distance_weight) < 0:
            raise ValueError("margin, depth_weight, rank_weight and distance_weight must be >= 0")
        if not self.cap > 0:
            raise ValueError("cap must be > 0")


@dataclasses.dataclass(frozen=True)
class SamplerConfig:
    k_negatives: int = setting(4, ge=1)
    hard_ratio: float = setting(0.5, ge=0.0, le=1.0)
    medium_ratio: float = setting(0.3, ge=0.0, le=1.0)
    val_fraction: float = setting(0.1, ge=0.0, lt=1.0)

    def validate(self) -> None:
        if self.k_negatives < 1:
            raise ValueError("k_negatives must be >= 1")
        if self.hard_ratio < 0 or self.medium_ratio < 0 or self.hard_ratio + self.medium_ratio > 1 + 1e-9:
            raise ValueError("hard_ratio and medium_ratio must be >= 0 and sum to at most 1")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError("val_fraction must be in [0, 1)")

    def tier_counts(self) -> tuple[int, int, int]:
        k = self.k_negatives
        hard = int(round(k * self.hard_ratio))
        medium = min(int(round(k * self.medium_ratio)), k - hard)
        return hard, medium, k - hard - medium


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    lr: float = setting(1e-4, gt=0.0, le=10.0)
    weight_decay: float = setting(0.01, ge=0.0, le=100.0)
    batch_size: int = setting(32, ge=1)
    warmup_steps: int = setting(1000, ge=0, lt=STEP_END)
    total_steps: int = setting(50_000, ge=1, lt=STEP_END)
    clip_norm: float = setting(1.0, gt=0.0, le=1e6)
    steps_per_call: int = setting(50, ge=1, lt=STEP_END)
    log_every: int = setting(100, ge=1, lt=STEP_END)
    val_every: int = setting(1000, ge=1, lt=STEP_END)
    val_batches: int = setting(20, ge=1)
    checkpoint_every: int = setting(5000, ge=1, lt=STEP_END)
    max_to_keep: int = setting(3, ge=1)
    seed: int = 0

    def validate(self) -> None:
        for name in ("batch_size", "total_steps", "steps_per_call", "log_every", "val_every",
                     "val_batches", "checkpoint_every", "max_to_keep"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.lr <= 0 or self.weight_decay < 0 or self.clip_norm <= 0 or self.warmup_steps < 0:
            raise ValueError("lr and clip_norm must be > 0, weight_decay and warmup_steps >= 0")


@dataclasses.dataclass(frozen=True)
class EBMConfig:
    model: ModelConfig = ModelConfig()
    loss: LossConfig = LossConfig()
    sampler: SamplerConfig = SamplerConfig()
    train: TrainConfig = TrainConfig()

    def memory_terms(self, input_dim: int = 1, steps: int | None = None) -> list[tuple[str, float]]:
        """Bytes a training run allocates, by what causes them (float32 and int64 arrays; activations
        counted three times for the backward pass). ``input_dim`` 1 gives a lower bound before the
        embeddings are read."""
        m, t, k = self.model, self.train, self.sampler.k_negatives
        dims = [input_dim, *m.hidden_dims, 1]
        params = sum(a * b + b for a, b in zip(dims, dims[1:]))
        rows = t.batch_size * (k + 1)
        per_row = 8 + 12  # a gathered row's index and its (label, depth, bound) targets
        chunk = min(t.steps_per_call, steps or t.total_steps, t.log_every, t.val_every, t.checkpoint_every)
        hidden = ", ".join(map(str, m.hidden_dims))
        return [
            (f"the head's parameters and optimizer state (model.hidden_dims [{hidden}])", 4.0 * 4 * params),
            (f"one training batch (train.batch_size {t.batch_size} × (sampler.k_negatives {k} + 1) rows "
             f"through model.hidden_dims [{hidden}])", 3.0 * 4 * rows * sum(dims)),
            (f"the sampled batches of one device call (train.steps_per_call {t.steps_per_call})",
             float(chunk) * rows * per_row),
            (f"the validation batches (train.val_batches {t.val_batches})", float(t.val_batches) * rows * per_row),
        ]

    def memory_needed(self, input_dim: int = 1, steps: int | None = None) -> tuple[str, float]:
        """(the largest cause, the total bytes) of :meth:`memory_terms`."""
        terms = self.memory_terms(input_dim, steps)
        return max(terms, key=lambda t: t[1])[0], sum(b for _, b in terms)
