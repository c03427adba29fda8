"""EBM configuration (frozen dataclasses; TOML files in ``configs/``; unknown keys are errors)."""

from __future__ import annotations

import dataclasses
from typing import Literal


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    hidden_dims: tuple[int, ...] = (512, 256)
    dropout: float = 0.1
    spectral_mode: Literal["persistent", "reinit"] = "persistent"
    power_iterations: int = 5  # per forward in `reinit` mode (burn-qed parity)
    warmup_iterations: int = 30  # at construction in `persistent` mode
    log_temperature_init: float = 0.0
    log_temperature_min: float = -5.0
    log_temperature_max: float = 2.0
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
    margin: float = 1.0
    depth_weight: float = 0.3
    rank_weight: float = 1.0
    cap: float = 12.0
    distance_weight: float = 0.0  # contrastive kinds: + this × the distance loss on the batch's states

    def validate(self) -> None:
        if self.kind not in ("info_nce", "margin_ranking", "distance"):
            raise ValueError(f"unknown loss kind {self.kind!r} (known: info_nce, margin_ranking, distance)")
        if min(self.margin, self.depth_weight, self.rank_weight, self.distance_weight) < 0:
            raise ValueError("margin, depth_weight, rank_weight and distance_weight must be >= 0")
        if not self.cap > 0:
            raise ValueError("cap must be > 0")


@dataclasses.dataclass(frozen=True)
class SamplerConfig:
    k_negatives: int = 4
    hard_ratio: float = 0.5
    medium_ratio: float = 0.3
    val_fraction: float = 0.1

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
    lr: float = 1e-4
    weight_decay: float = 0.01
    batch_size: int = 32
    warmup_steps: int = 1000
    total_steps: int = 50_000
    clip_norm: float = 1.0
    steps_per_call: int = 50
    log_every: int = 100
    val_every: int = 1000
    val_batches: int = 20
    checkpoint_every: int = 5000
    max_to_keep: int = 3
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
