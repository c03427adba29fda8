"""The encoder's numeric precision: torch dtypes by name, what the CPU says it computes natively, int8
dynamic quantisation, and ``dtype = "auto"``: the dtype measured fastest on the machine at hand.

Importing this module is cheap: torch is imported where it is used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import random
import time
import warnings
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from encoder_bridge.models import cache_root
from qedjax.errors import ConfigError, DataError
from qedjax.io import atomic_write_json, read_json

DTYPES = ("float32", "bfloat16", "float16")


def torch_dtype(name: str):
    """The torch dtype called ``name`` (one of :data:`DTYPES`)."""
    import torch

    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


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


def warn_if_emulated(dtype: str, device: str) -> None:
    """A reduced precision on a CPU that does not compute it natively is usually slower than float32."""
    if device == "cpu" and dtype != "float32" and not cpu_has_native(dtype):
        warnings.warn(f"dtype = {dtype!r} on a CPU without native {dtype} arithmetic "
                      f"(AVX512-BF16 / AMX) is usually slower than float32", RuntimeWarning, stacklevel=3)


def quantize_int8_dynamic(model):
    """int8 dynamic quantisation of every Linear layer (weights int8, activations quantised per batch),
    through torch's eager-mode API; a torch without it is a one-line ConfigError."""
    import torch

    quantize = getattr(getattr(getattr(torch, "ao", None), "quantization", None), "quantize_dynamic", None)
    if quantize is None:
        raise ConfigError(f"quantize = int8-dynamic needs torch.ao.quantization.quantize_dynamic, which torch "
                          f"{torch.__version__} lacks; use quantize = \"none\"")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # deprecated upstream in favour of torchao
        return quantize(model, {torch.nn.Linear}, dtype=torch.qint8)


# -- choosing the encoder's dtype by measurement ----------------------------------------------------
#
# A CPU flag does not say whether bfloat16 pays: on CPUs with AMX, bfloat16 encoding ran about twice as
# fast as float32, on CPUs with AVX512-BF16 but no AMX about 0.6x as fast, and both report native
# bfloat16. So ``dtype = "auto"`` times a few batches in each candidate dtype on the machine at hand,
# keeps bfloat16 only when it is clearly faster and its embeddings stay close to float32's, and caches
# the measurement per machine, torch version and model.

CANDIDATES = ("float32", "bfloat16")
MIN_SPEEDUP = 1.15  # bfloat16 must encode at least this much faster than float32 (timing noise aside)
MIN_COSINE = 0.99  # and its embeddings stay this close to float32's on every probe state
MEASURE_VERSION = 2  # bump when the measurement changes: older cached measurements are then retaken
BUSY_LOAD = 1.5  # a 1-minute load average above this many times the CPUs: a timing taken now is not trusted


@dataclasses.dataclass(frozen=True)
class PrecisionChoice:
    """The dtype an encoder runs in, and why. ``how``: ``measured`` (just now), ``cached`` (an earlier
    measurement on this machine), ``busy`` (float32 for now: other work keeps the CPUs busy, so no
    timing is taken; measured on a later run), ``forced`` (the config names a dtype), ``model`` (the
    dtype of a model handed in), ``quantize`` (int8 runs in float32)."""

    dtype: str
    reason: str
    how: str
    seconds_per_state: dict = dataclasses.field(default_factory=dict)  # median, per candidate dtype
    cosine: float | None = None  # min cosine of bfloat16 to float32 embeddings over the probe states
    machine: dict = dataclasses.field(default_factory=dict)

    def line(self) -> str:
        """One line for logs and reports: ``bfloat16 (measured: ...)``."""
        return f"{self.dtype} ({self.how}: {self.reason})"

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def decide(seconds_per_state: dict, cosine: float | None) -> tuple[str, str]:
    """(dtype, reason) from measured seconds per state (float32 and, where it ran, bfloat16) and the
    min cosine of bfloat16's embeddings to float32's."""
    f32, bf16 = seconds_per_state.get("float32"), seconds_per_state.get("bfloat16")
    if f32 is None or bf16 is None or not (f32 > 0 and bf16 > 0):
        return "float32", "bfloat16 could not be measured on this device"
    speedup = f32 / bf16
    rates = f"{1 / bf16:.3g} vs {1 / f32:.3g} states/s"
    if cosine is None or cosine < MIN_COSINE:
        return "float32", (f"bfloat16 embeddings differ too much from float32's (min cosine "
                           f"{cosine if cosine is not None else float('nan'):.4f} < {MIN_COSINE})")
    if speedup >= MIN_SPEEDUP:
        return "bfloat16", (f"bfloat16 encodes {speedup:.2f}x as fast as float32 here ({rates}; "
                            f"min cosine {cosine:.5f} to float32)")
    return "float32", (f"bfloat16 encodes {speedup:.2f}x as fast as float32 here ({rates}; "
                       f"needs >= {MIN_SPEEDUP}x)")


def measure(encoders: dict[str, Callable[[Sequence[str]], np.ndarray]], states: Sequence[str], *,
            repeats: int = 3, timer: Callable[[], float] = time.perf_counter) -> tuple[dict, float | None]:
    """(median seconds per state of each encoder, min cosine of bfloat16's embeddings to float32's).

    Each encoder encodes ``states`` once untimed (warm-up; its output is the one compared), then
    ``repeats`` timed passes, interleaved in the order of ``encoders`` so that machine noise hits them
    alike: ``timer()`` is read before and after each pass. The fastest pass counts (noise only ever
    adds time)."""
    outputs = {name: np.asarray(fn(states), np.float64) for name, fn in encoders.items()}
    times: dict[str, list[float]] = {name: [] for name in encoders}
    for _ in range(repeats):
        for name, fn in encoders.items():
            t0 = timer()
            fn(states)
            times[name].append(timer() - t0)
    seconds = {name: min(t) / max(len(states), 1) for name, t in times.items()}
    cosine = None
    if "float32" in outputs and "bfloat16" in outputs:
        a, b = outputs["float32"], outputs["bfloat16"]
        norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
        cosine = float(np.min(np.sum(a * b, axis=1) / np.maximum(norms, 1e-30)))
    return seconds, cosine


def system_load() -> float | None:
    """The 1-minute load average per CPU, or None where the OS does not report one."""
    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1)
    except (AttributeError, OSError):
        return None


def busy_reason(load: float | None) -> str | None:
    """Why a timing taken now would mislead (other processes compete for the CPUs), or None."""
    if load is None or load <= BUSY_LOAD:
        return None
    return (f"the CPUs are busy (load {load:.1f} per CPU), so no timing is taken now; float32 until a "
            f"run finds the machine idle enough to measure")


def probe_states(n: int = 32, seed: int = 0) -> list[str]:
    """``n`` proof states in Lean 4's pretty-print, of the sizes a propositional search meets
    (hypotheses over a few variables, one goal, sometimes a case tag or a second goal)."""
    rng = random.Random(seed)

    def formula(depth: int) -> str:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice(["p", "q", "r", "s", "True", "False"])
        op = rng.choice(["∧", "∨", "→", "↔", "¬"])
        if op == "¬":
            return f"¬{formula(depth - 1)}"
        return f"({formula(depth - 1)} {op} {formula(depth - 1)})"

    def goal() -> str:
        hyps = [f"h{i} : {formula(rng.randint(1, 3))}" for i in range(rng.randint(0, 5))]
        return "\n".join(["p q r s : Prop", *hyps, f"⊢ {formula(rng.randint(1, 4))}"])

    out = []
    for _ in range(n):
        text = goal()
        if rng.random() < 0.2:
            text = f"case {rng.choice(['inl', 'inr', 'intro', 'h'])}\n{text}\n\n{goal()}"
        out.append(text)
    return out


def machine_identity(device: str) -> dict:
    """What the measurement depends on besides the model: the processor (its model name and a hash
    of its feature flags), the GPU for ``cuda``, torch's version and its thread count."""
    import torch

    cpu, flags = "", ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and not cpu:
                    cpu = value.strip()
                elif key.strip() in ("flags", "Features") and not flags:
                    flags = " ".join(sorted(value.split()))
    except OSError:  # not Linux: what the platform module says
        pass
    cpu = cpu or platform.processor() or platform.machine()
    ident = {"cpu": cpu, "cpu_flags": hashlib.sha256(flags.encode()).hexdigest()[:16],
             "torch": torch.__version__, "threads": torch.get_num_threads(), "device": device}
    if device == "cuda":
        ident["gpu"] = torch.cuda.get_device_name(0)
        ident["capability"] = ".".join(map(str, torch.cuda.get_device_capability(0)))
    return ident


def precision_cache_dir() -> Path:
    return cache_root() / "precision"


def cache_key(machine: dict, model: str, revision: str) -> str:
    blob = json.dumps({"machine": machine, "model": model, "revision": revision, "version": MEASURE_VERSION},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def read_measurement(key: str, directory: Path | None = None) -> dict | None:
    """The cached measurement under ``key``, or None when absent, unreadable or damaged (remeasured)."""
    path = (directory or precision_cache_dir()) / f"{key}.json"
    if not path.exists():
        return None
    try:
        rec = read_json(path)
    except DataError:
        return None
    ok = (isinstance(rec, dict) and rec.get("key") == key and isinstance(rec.get("seconds_per_state"), dict)
          and all(isinstance(v, (int, float)) and v > 0 for v in rec["seconds_per_state"].values())
          and (rec.get("cosine") is None or isinstance(rec.get("cosine"), (int, float))))
    return rec if ok else None


def write_measurement(key: str, record: dict, directory: Path | None = None) -> Path:
    return atomic_write_json((directory or precision_cache_dir()) / f"{key}.json", {**record, "key": key})
