"""The Lean modules stay cheap to import: lean-interact and lean-dojo load only when a session starts."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["qedjax.envs.lean_repl", "qedjax.envs.leandojo", "qedjax.envs.lean_common",
                                    "qedjax.envs.lean_text", "qedjax.envs.lean_doctor",
                                    "qedjax.search.theorems", "qedjax_cli.lean"])
def test_lean_modules_import_no_heavy_dependency(module):
    code = f"import {module}, sys; print(' '.join(sys.modules))"
    mods = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.split())
    assert not mods & {"lean_interact", "lean_dojo", "ray", "torch", "jax", "pydantic"}, module
