"""Contrastive and depth losses, and the batch metrics computed inside the training step.

Shapes: ``energy_BxC`` holds the positive in column 0 and K negatives in columns 1..K (C = K + 1).
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
