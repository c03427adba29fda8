"""The energy head: spectrally normalised SiLU MLP with a learnable temperature (flax nnx).

``EnergyHead``: SpectralDense(D→h₁) → SiLU → Dropout → … → SpectralDense(h_k→1, no bias), divided by
``exp(clip(log_temperature, min, max))``. Low energy = provable.

``SpectralDense`` never mutates its kernel (unlike ``nnx.SpectralNorm``, google/flax#5576). It keeps
the power-iteration vector ``u`` in its own non-trainable variable type :class:`PowerIterState`:

* ``persistent`` (default): ``u`` is warmed up with ``warmup_iterations`` at construction, advanced one
  iteration per training step under ``stop_gradient``; inference uses the stored ``u`` so scoring is
  deterministic and leaves the state untouched.
* ``reinit`` (burn-qed parity): a fresh random ``u`` and ``power_iterations`` iterations per forward.

The hot loops never call the module directly: :func:`split` / :func:`apply` give a pure function of
(params, power-iteration state, x, key) for ``jax.jit``.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from flax import nnx

from qedjax.ebm.config import ModelConfig

_EPS = 1e-12


class HeadState(nnx.Variable):
    """Non-trainable state of the head (everything besides the parameters the optimizer sees)."""


class PowerIterState(HeadState):
    """Non-trainable power-iteration vector of a spectrally normalised layer."""


class InputStats(HeadState):
    """Per-dimension mean and scale of the training embeddings: the head z-scores its input.

    Frozen sentence embeddings of proof states sit close together (MiniLM vectors of prop states:
    norm ≈ 3, mean pairwise distance ≈ 2.4), and a spectrally normalised first layer cannot stretch
    them, so the energies barely spread. Standardising the input with statistics of the training
    states (fixed at construction, stored in the checkpoint, used as stored at inference) fixes that."""


def _normalize(x: jax.Array) -> jax.Array:
    return x / (jnp.linalg.norm(x) + _EPS)


def power_iterate(kernel: jax.Array, u: jax.Array, n: int) -> jax.Array:
    """``n`` power iterations for the top right-singular vector of ``kernel`` (in, out); returns u (out,)."""

    def body(_, u):
        v = _normalize(kernel @ u)
        return _normalize(kernel.T @ v)

    return jax.lax.fori_loop(0, n, body, u)


def sigma_from_u(kernel: jax.Array, u: jax.Array) -> jax.Array:
    """σ̂ = ‖W u‖ with ``u`` held constant (gradient v uᵀ, as in Miyato et al.)."""
    u = jax.lax.stop_gradient(u)
    return jnp.linalg.norm(kernel @ u)


class SpectralDense(nnx.Module):
    def __init__(self, in_features: int, out_features: int, *, use_bias: bool = True,
                 mode: str = "persistent", power_iterations: int = 5, warmup_iterations: int = 30,
                 rngs: nnx.Rngs):
        if mode not in ("persistent", "reinit"):
            raise ValueError(f"unknown spectral mode {mode!r}")
        init = nnx.initializers.lecun_normal()
        self.kernel = nnx.Param(init(rngs.params(), (in_features, out_features), jnp.float32))
        self.bias = nnx.Param(jnp.zeros((out_features,), jnp.float32)) if use_bias else None
        u0 = _normalize(jax.random.normal(rngs.params(), (out_features,), jnp.float32))
        self.u = PowerIterState(power_iterate(self.kernel[...], u0, warmup_iterations))
        self.mode = mode
        self.power_iterations = power_iterations

    def sigma(self, *, train: bool, key: jax.Array | None) -> jax.Array:
        w = self.kernel[...]
        if self.mode == "reinit":
            if key is None:
                key = jax.random.PRNGKey(0)
            u = _normalize(jax.random.normal(key, self.u[...].shape, w.dtype))
            u = jax.lax.stop_gradient(power_iterate(jax.lax.stop_gradient(w), u, self.power_iterations))
            return sigma_from_u(w, u)
        u = self.u[...]
        if train:
            u = jax.lax.stop_gradient(power_iterate(jax.lax.stop_gradient(w), u, 1))
            self.u[...] = u
        return sigma_from_u(w, u)

    def effective_kernel(self, *, key: jax.Array | None = None) -> jax.Array:
        """W/σ̂ as used at inference (stored u, or the fixed-key reinit estimate)."""
        return self.kernel[...] / self.sigma(train=False, key=key)

    def __call__(self, x: jax.Array, *, train: bool, key: jax.Array | None = None) -> jax.Array:
        y = x @ (self.kernel[...] / self.sigma(train=train, key=key))
        if self.bias is not None:
            y = y + self.bias[...]
        return y


class HeadOutput(NamedTuple):
    energy: jax.Array  # f(x) / τ
    raw: jax.Array  # f(x), before the temperature


class EnergyHead(nnx.Module):
    def __init__(self, input_dim: int, config: ModelConfig, *, rngs: nnx.Rngs):
        self.config = config
        self.input_dim = input_dim
        dims = [input_dim, *config.hidden_dims, 1]
        self.layers = nnx.List([
            SpectralDense(dims[i], dims[i + 1], use_bias=i < len(dims) - 2, mode=config.spectral_mode,
                          power_iterations=config.power_iterations,
                          warmup_iterations=config.warmup_iterations, rngs=rngs)
            for i in range(len(dims) - 1)
        ])
        self.log_temperature = nnx.Param(jnp.asarray(config.log_temperature_init, jnp.float32))
        self.input_mean = InputStats(jnp.zeros((input_dim,), jnp.float32))
        self.input_scale = InputStats(jnp.ones((input_dim,), jnp.float32))

    def set_input_stats(self, mean, scale) -> None:
        """Fix the z-scoring of the input (``scale`` is floored to keep constant dimensions finite)."""
        self.input_mean[...] = jnp.asarray(mean, jnp.float32).reshape(self.input_dim)
        self.input_scale[...] = jnp.maximum(jnp.asarray(scale, jnp.float32).reshape(self.input_dim), 1e-6)

    def clamped_log_temperature(self) -> jax.Array:
        c = self.config
        return jnp.clip(self.log_temperature[...], c.log_temperature_min, c.log_temperature_max)

    def __call__(self, x: jax.Array, *, train: bool = False, key: jax.Array | None = None) -> HeadOutput:
        n = len(self.layers)
        keys = (jax.random.split(key, 2 * n) if key is not None else [None] * (2 * n))
        h = (x - self.input_mean[...]) / self.input_scale[...]
        for i, layer in enumerate(self.layers):
            # In reinit mode at inference, a fixed key keeps scoring deterministic.
            sn_key = keys[2 * i] if (train and key is not None) else jax.random.PRNGKey(i)
            h = layer(h, train=train, key=sn_key)
            if i < n - 1:
                h = jax.nn.silu(h)
                rate = self.config.dropout
                if train and rate > 0.0:
                    keep = jax.random.bernoulli(keys[2 * i + 1], 1.0 - rate, h.shape)
                    h = jnp.where(keep, h / (1.0 - rate), 0.0)
        raw = h[..., 0]
        return HeadOutput(raw / jnp.exp(self.clamped_log_temperature()), raw)


def create_head(input_dim: int, config: ModelConfig, seed: int, input_stats=None) -> EnergyHead:
    """A fresh head; ``input_stats`` = (mean, std) of the training embeddings when
    ``config.standardize`` (ignored otherwise: the head then sees raw embeddings)."""
    head = EnergyHead(input_dim, config, rngs=nnx.Rngs(params=seed))
    if config.standardize and input_stats is not None:
        head.set_input_stats(*input_stats)
    return head


def split(model: EnergyHead):
    """(graphdef, params, head state): pure pytrees of arrays for the jitted functions; the head
    state holds the power-iteration vectors and the input statistics."""
    graphdef, params, pstate = nnx.split(model, nnx.Param, HeadState)
    return graphdef, nnx.as_pure(params), nnx.as_pure(pstate)


def apply(graphdef, params, pstate, x: jax.Array, *, train: bool, key: jax.Array | None):
    """Pure forward: returns (HeadOutput, new head state)."""
    model = nnx.merge(graphdef, params, pstate)
    out = model(x, train=train, key=key)
    _, _, new_pstate = nnx.split(model, nnx.Param, HeadState)
    return out, nnx.as_pure(new_pstate)


def merge(graphdef, params, pstate) -> EnergyHead:
    return nnx.merge(graphdef, params, pstate)


def num_params(params) -> int:
    return int(sum(x.size for x in jax.tree.leaves(params)))
