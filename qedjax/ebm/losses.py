"""Contrastive, depth and distance losses, and the batch metrics computed inside the training step.

Shapes: for the contrastive kinds ``energy_BxC`` holds the positive in column 0 and K negatives in
columns 1..K (C = K + 1). For ``distance`` the B×C states are drawn uniformly and each carries an
interval ``[lower, upper]`` on its remaining proof length (``bounds_BxCx2``; ``upper`` may be +inf):
the energy is fitted to the interval (in proof steps) and ranked against every other state of the
batch that the intervals order.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def info_nce(energy_BxC: jax.Array) -> jax.Array:
    """Cross-entropy of logits −E over 1 positive + K negatives with target 0 (= ln(K+1) at equal E)."""
    logits = -energy_BxC
    return jnp.mean(jax.nn.logsumexp(logits, axis=-1) - logits[:, 0])


def margin_ranking(energy_BxC: jax.Array, margin: float) -> tuple[jax.Array, jax.Array]:
    """mean over *active* pairs of max(0, margin + E_pos − E_neg); returns (loss, active fraction).

    Averaging over active pairs only keeps the gradient from vanishing as most pairs get satisfied.
    Zero when no pair is active.
    """
    hinge = margin + energy_BxC[:, :1] - energy_BxC[:, 1:]
    active = hinge > 0
    n_active = jnp.sum(active)
    loss = jnp.sum(jnp.where(active, hinge, 0.0)) / jnp.maximum(n_active, 1)
    return loss, n_active / hinge.size


def depth_regression(energy_pos_B: jax.Array, remaining_depth_B: jax.Array) -> jax.Array:
    """MSE of positive energies against remaining_depth / batch max, over rows with depth ≥ 0."""
    mask = remaining_depth_B >= 0
    depth = jnp.where(mask, remaining_depth_B, 0.0).astype(jnp.float32)
    target = depth / jnp.maximum(jnp.max(depth), 1.0)
    err = jnp.where(mask, (energy_pos_B - target) ** 2, 0.0)
    return jnp.sum(err) / jnp.maximum(jnp.sum(mask), 1)


def batch_metrics(energy_BxC: jax.Array, raw_BxC: jax.Array, margin: float) -> dict[str, jax.Array]:
    """Energy gap, rank/pairwise accuracy, spread, and the margin loss's active fraction — the latter
    on pre-temperature energies, exactly as :func:`margin_ranking` sees them."""
    pos = energy_BxC[:, 0]
    neg = energy_BxC[:, 1:]
    k = neg.shape[1]
    return {
        "energy_gap": jnp.mean(neg) - jnp.mean(pos),
        "rank_accuracy": jnp.mean(jnp.all(pos[:, None] < neg, axis=1)),
        "pairwise_accuracy": jnp.mean(pos[:, None] < neg),
        "energy_std": jnp.std(energy_BxC),
        "active_fraction": jnp.mean(margin + raw_BxC[:, :1] - raw_BxC[:, 1:] > 0),
        "pos_energy_mean": jnp.mean(pos),
        "neg_energy_mean": jnp.mean(neg),
        "rank_random_baseline": jnp.asarray(1.0 / (k + 1), jnp.float32),
    }


def interval_loss(energy_N: jax.Array, lower_N: jax.Array, upper_N: jax.Array) -> jax.Array:
    """mean of relu(lower − E)² + relu(E − upper)²: zero inside the interval, MSE when it is a point,
    one-sided when ``upper`` is +inf (nothing was proved below the state)."""
    below = jax.nn.relu(lower_N - energy_N)
    above = jnp.where(jnp.isfinite(upper_N), jax.nn.relu(energy_N - jnp.where(jnp.isfinite(upper_N), upper_N, 0.0)),
                      0.0)
    return jnp.mean(below ** 2 + above ** 2)


def interval_rank(energy_N: jax.Array, lower_N: jax.Array, upper_N: jax.Array, margin: float = 0.0
                  ) -> tuple[jax.Array, jax.Array, jax.Array]:
    """RankNet over the pairs the intervals order (``upper_i < lower_j``: i is provably closer to QED):
    mean of softplus(E_i − E_j + margin) over those pairs (ln 2 at equal energies). Returns (loss,
    fraction of all pairs that are ordered, fraction of ordered pairs the energies get right)."""
    ordered = upper_N[:, None] < lower_N[None, :]
    diff = energy_N[:, None] - energy_N[None, :]
    n = jnp.sum(ordered)
    loss = jnp.sum(jnp.where(ordered, jax.nn.softplus(diff + margin), 0.0)) / jnp.maximum(n, 1)
    right = jnp.sum(ordered & (diff < 0)) / jnp.maximum(n, 1)
    return loss, n / ordered.size, right


def distance_metrics(energy_N: jax.Array, lower_N: jax.Array, upper_N: jax.Array) -> dict[str, jax.Array]:
    """What the progress bar, the health checks and the report read, for the distance objective:
    ``energy_gap`` = mean energy of states nothing was proved below − mean energy of proved ones,
    ``rank_accuracy`` = ``pairwise_accuracy`` = share of interval-ordered pairs ordered right."""
    proved = jnp.isfinite(upper_N)
    n_p, n_u = jnp.sum(proved), jnp.sum(~proved)
    mean_p = jnp.sum(jnp.where(proved, energy_N, 0.0)) / jnp.maximum(n_p, 1)
    mean_u = jnp.sum(jnp.where(proved, 0.0, energy_N)) / jnp.maximum(n_u, 1)
    _, ordered, right = interval_rank(energy_N, lower_N, upper_N)
    return {
        "energy_gap": mean_u - mean_p,
        "rank_accuracy": right,
        "pairwise_accuracy": right,
        "ordered_pairs": ordered,
        "energy_std": jnp.std(energy_N),
        "pos_energy_mean": mean_p,
        "neg_energy_mean": mean_u,
        "proved_fraction": n_p / energy_N.size,
    }


def distance_loss(energy_N: jax.Array, lower_N: jax.Array, upper_N: jax.Array, *, rank_weight: float,
                  margin: float = 0.0) -> tuple[jax.Array, dict[str, jax.Array]]:
    """interval + rank_weight × rank, on energies in units of proof steps."""
    interval = interval_loss(energy_N, lower_N, upper_N)
    rank, _, _ = interval_rank(energy_N, lower_N, upper_N, margin)
    loss = interval + rank_weight * rank
    return loss, {"loss": loss, "interval_loss": interval, "rank_loss": rank}


def total_loss(energy_BxC: jax.Array, raw_BxC: jax.Array, remaining_depth_B: jax.Array, *,
               kind: str, margin: float, depth_weight: float) -> tuple[jax.Array, dict[str, jax.Array]]:
    """contrastive + depth_weight × depth. Margin ranking uses pre-temperature energies (``raw``):
    with a learnable temperature a margin on scaled energies could be met by shrinking τ alone."""
    if kind == "info_nce":
        contrastive = info_nce(energy_BxC)
    elif kind == "margin_ranking":
        contrastive, _ = margin_ranking(raw_BxC, margin)
    else:
        raise ValueError(f"unknown loss kind {kind!r}")
    depth = depth_regression(energy_BxC[:, 0], remaining_depth_B)
    loss = contrastive + depth_weight * depth
    return loss, {"loss": loss, "contrastive_loss": contrastive, "depth_loss": depth}
