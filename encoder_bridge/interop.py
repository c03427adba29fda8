"""numpy ↔ torch ↔ jax without needless copies (the only module of encoder_bridge that may import jax).

dlpack is used where the two sides can share memory (same device, supported dtype); bfloat16 and
float16 torch tensors are cast to float32 on the torch side first (``.numpy()`` refuses bf16, and
the energy head consumes float32). Arrays handed to numpy are C-contiguous.
"""

from __future__ import annotations

import numpy as np


def torch_to_numpy(t) -> np.ndarray:
    import torch

    t = t.detach()
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.to(torch.float32)
    if t.device.type != "cpu":
        t = t.cpu()
    return np.ascontiguousarray(t.numpy())


def numpy_to_torch(a: np.ndarray, device: str = "cpu"):
    import torch

    t = torch.from_numpy(np.ascontiguousarray(a))  # shares memory on the CPU
    return t if device == "cpu" else t.to(device)


def torch_to_jax(t):
    """Zero-copy via dlpack when possible (CPU↔CPU, CUDA↔GPU); float32 for half precision."""
    import jax
    import torch

    t = t.detach()
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.to(torch.float32)
    t = t.contiguous()
    try:
        return jax.dlpack.from_dlpack(t)
    except Exception:  # different device or unsupported layout: one host copy
        return jax.numpy.asarray(torch_to_numpy(t))


def jax_to_torch(x):
    import torch

    try:
        return torch.from_dlpack(x)
    except Exception:
        return torch.from_numpy(np.ascontiguousarray(np.asarray(x)))
