"""Inference: a jitted, deterministic energy function on padded, bucketed batches, and ``.npz`` export.

Batch sizes are rounded up to a power of two (≥ 8, ≤ ``max_bucket``; larger inputs are chunked), so a
search that scores batches of every size compiles at most a handful of programs and never again.
Scoring uses the stored power-iteration vectors and leaves every state untouched.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jax
import numpy as np
from flax import nnx

from qedjax.config import from_dict
from qedjax.data.embeddings import check_provenance
from qedjax.ebm import checkpoint as ckpt
from qedjax.ebm.config import EBMConfig
from qedjax.ebm.model import HeadState, apply, create_head, merge
from qedjax.errors import DataError
from qedjax.io import atomic_write

MIN_BUCKET = 8


def bucket_size(n: int, max_bucket: int) -> int:
    b = MIN_BUCKET
    while b < n and b < max_bucket:
        b *= 2
    return b


def energy_fn(graphdef, params, pstate, x_BxD):
    """Pure inference: energies of a batch (stored power-iteration state, no dropout)."""
    out, _ = apply(graphdef, params, pstate, x_BxD, train=False, key=None)
    return out.energy


class EnergyScorer:
    """The JAX half of ``EBMScorer``: embeddings (N, D) → energies (N,). Higher score = −energy."""

    def __init__(self, graphdef, params, pstate, cfg: EBMConfig, input_dim: int,
                 provenance: dict | None, max_bucket: int = 1024):
        self.graphdef = graphdef
        self.params = params
        self.pstate = pstate
        self.cfg = cfg
        self.input_dim = input_dim
        self.provenance = provenance
        self.max_bucket = max_bucket
        self._fn = jax.jit(functools.partial(energy_fn, graphdef))

    @classmethod
    def from_checkpoint(cls, directory: str | Path, max_bucket: int = 1024) -> EnergyScorer:
        """Restore params and power-iteration state only, against an abstract head built from
        ``meta.json`` (no optimizer, schedule or step count involved)."""
        directory = Path(directory)
        if not directory.is_dir():
            raise DataError(f"checkpoint directory not found: {directory}")
        meta = ckpt.read_meta(directory)
        if meta is None:
            raise DataError(f"{directory}: not an EBM checkpoint directory (no {ckpt.META})")
        cfg = from_dict(EBMConfig, meta["config"], f"{directory}/{ckpt.META}")
        try:
            input_dim = int(meta["input_dim"])
        except (TypeError, ValueError):
            raise DataError(f"{directory}/{ckpt.META}: input_dim is not an integer") from None
        abstract = nnx.eval_shape(lambda: create_head(input_dim, cfg.model, 0))
        graphdef, params, pstate = nnx.split(abstract, nnx.Param, HeadState)
        target = {"params": nnx.as_pure(params), "pstate": nnx.as_pure(pstate)}
        restored, _ = ckpt.restore_model(directory, target)
        return cls(graphdef, restored["params"], restored["pstate"], cfg, input_dim,
                   meta.get("provenance"), max_bucket)

    @property
    def compiled_programs(self) -> int:
        """Programs compiled so far: one per bucket size used, never more (no retracing)."""
        return self._fn._cache_size()

    def check(self, emb: np.ndarray, provenance: dict | None = None, what: str = "embeddings") -> None:
        if emb.ndim != 2:
            raise DataError(f"{what}: expected a 2-D (N, D) array, got shape {emb.shape}")
        if emb.shape[1] != self.input_dim:
            raise DataError(f"{what}: embedding dim {emb.shape[1]} does not match the checkpoint's "
                            f"input dim {self.input_dim}")
        check_provenance(self.provenance, provenance, what, missing_ok=True)

    def energies(self, emb: np.ndarray, provenance: dict | None = None) -> np.ndarray:
        emb = np.ascontiguousarray(emb, dtype=np.float32)
        self.check(emb, provenance)
        if not np.isfinite(emb).all():
            raise DataError("embeddings contain NaN/Inf")
        out = np.empty(len(emb), np.float32)
        for start in range(0, len(emb), self.max_bucket):
            chunk = emb[start:start + self.max_bucket]
            b = bucket_size(len(chunk), self.max_bucket)
            padded = np.zeros((b, self.input_dim), np.float32)
            padded[:len(chunk)] = chunk
            e = self._fn(self.params, self.pstate, padded)
            out[start:start + len(chunk)] = np.asarray(e)[:len(chunk)]
        return out

    def score(self, emb: np.ndarray, provenance: dict | None = None) -> np.ndarray:
        """−energy (higher = more provable)."""
        return -self.energies(emb, provenance)

    def export_arrays(self) -> dict[str, np.ndarray]:
        """Input mean and scale, effective inference kernels W/σ̂ (in, out), biases and the clamped
        log-temperature."""
        model = merge(self.graphdef, self.params, self.pstate)
        arrays: dict[str, np.ndarray] = {"input_mean": np.asarray(model.input_mean[...], np.float32),
                                         "input_scale": np.asarray(model.input_scale[...], np.float32)}
        n = len(model.layers)
        for i, layer in enumerate(model.layers):
            key = jax.random.PRNGKey(i)  # the fixed key inference uses in `reinit` mode
            arrays[f"w{i}"] = np.asarray(layer.effective_kernel(key=key), np.float32)
            if i < n - 1:
                arrays[f"b{i}"] = np.asarray(layer.bias[...], np.float32)
        arrays["log_temperature"] = np.asarray(model.clamped_log_temperature(), np.float32)
        return arrays


def export_npz(scorer: EnergyScorer, path: str | Path) -> Path:
    arrays = scorer.export_arrays()

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:  # a file object: np.savez would append ".npz" to a bare name
            np.savez(f, **arrays)

    return atomic_write(path, write)
