import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")


from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


def shared_lean4() -> Path:
    """The shared real-Lean-data folder (../shared beside the checkout, shared/ inside it, or
    $QEDJAX_SHARED_DATA); tests that need it skip when it is absent."""
    root = Path(__file__).resolve().parents[1]
    for cand in (os.environ.get("QEDJAX_SHARED_DATA"), root.parent / "shared" / "data" / "lean4",
                 root / "shared" / "data" / "lean4"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    pytest.skip("shared Lean 4 data (shared/data/lean4) not available")
