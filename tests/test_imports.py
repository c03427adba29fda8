"""What importing really loads (run in fresh interpreters): cheap top-level imports; torch never in qedjax;
neither torch nor jax in search. The static layering (every import against ARCHITECTURE.md) is
test_layering.py's."""

import subprocess
import sys
from pathlib import Path

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", ["qedjax", "encoder_bridge", "qedjax.search.engine",
                                    "qedjax.search.runner", "qedjax.envs.prop", "qedjax.interfaces",
                                    "qedjax.app.scorers", "qedjax.app.parts", "qedjax.app.evaluation",
                                    "qedjax.io", "qedjax.seeds", "encoder_bridge.encoder", "encoder_bridge.models",
                                    "encoder_bridge.precision"])
def test_light_imports(module):
    mods = _modules_after(f"import {module}")
    assert "torch" not in mods and "jax" not in mods and "lean_dojo" not in mods, module


def test_qedjax_ebm_never_imports_torch():
    mods = _modules_after("import qedjax.ebm.train, qedjax.ebm.scoring, qedjax.app.iterate, qedjax.app.runs, "
                          "qedjax.app.report, qedjax.app.quality")
    assert "jax" in mods and "torch" not in mods


@pytest.mark.slow
def test_every_qedjax_module_imports_without_torch():
    """Importing any module of the library never pulls torch (the app layer reaches the torch side
    only by calling encoder_bridge lazily, when a spec asks for an encoder or an HF policy)."""
    root = Path(__file__).resolve().parents[1]
    names = sorted(".".join(p.relative_to(root).with_suffix("").parts) for p in (root / "qedjax").rglob("*.py")
                   if p.name != "__init__.py")
    mods = _modules_after("import " + ", ".join(names))
    assert "torch" not in mods and "qedjax_cli" not in mods


@pytest.mark.slow
def test_encoder_bridge_never_imports_jax():
    mods = _modules_after("import encoder_bridge.encoder, encoder_bridge.cache, encoder_bridge.policy.sample\n"
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
