"""Installed versions of the packages that shape results (read from metadata: imports nothing heavy)."""

from __future__ import annotations

import platform
from importlib import metadata

PACKAGES = ("qedjax", "jax", "jaxlib", "flax", "optax", "orbax-checkpoint", "numpy", "pyarrow", "torch",
            "transformers", "lean-dojo")


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out
