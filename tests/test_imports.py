"""Import hygiene: cheap top-level imports; torch never in qedjax; neither torch nor jax in search."""

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", ["qedjax", "encoder_bridge", "qedjax.search.engine",
                                    "qedjax.search.runner", "qedjax.envs.prop", "qedjax.interfaces",
                                    "qedjax.scorer"])
def test_light_imports(module):
    mods = _modules_after(f"import {module}")
    assert "torch" not in mods and "jax" not in mods and "lean_dojo" not in mods, module


def test_qedjax_ebm_never_imports_torch():
    mods = _modules_after("import qedjax.ebm.train, qedjax.ebm.scoring, qedjax.pipeline.iterate")
    assert "jax" in mods and "torch" not in mods


def test_encoder_bridge_never_imports_jax():
    mods = _modules_after("import encoder_bridge.encoder, encoder_bridge.cache, encoder_bridge.generator\n"
                          "from encoder_bridge.encoder import HFEncoder, EncoderConfig\n"
                          "HFEncoder(EncoderConfig()).encode(['⊢ p'])")
    assert "torch" in mods and "jax" not in mods


def test_cli_help_is_fast_and_lists_commands():
    out = subprocess.run([sys.executable, "-m", "qedjax_cli.main", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for cmd in ("demo", "iterate", "search", "eval", "compare", "summary", "probe", "export-proof-paths",
                "encode", "train-ebm", "score", "export-ebm", "prop", "separation-probe"):
        assert cmd in out
    mods = _modules_after("import qedjax_cli.main")
    assert "torch" not in mods and "jax" not in mods
