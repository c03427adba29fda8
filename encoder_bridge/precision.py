"""The encoder's numeric precision: torch dtypes by name, what the CPU says it computes natively, and
int8 dynamic quantisation.

Importing this module is cheap: torch is imported where it is used.
"""

from __future__ import annotations

import warnings

from qedjax.errors import ConfigError

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
