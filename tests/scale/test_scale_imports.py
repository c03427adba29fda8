"""Ray stays optional and lazy: importing the executors, the runner or the Ray encoder pool pulls
neither Ray nor a framework the module may not use."""

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_search_executors_import_neither_ray_nor_frameworks():
    mods = _modules_after("import qedjax.search.executors, qedjax.search.runner, qedjax.app.runs")
    assert not {"ray", "jax", "torch"} & mods


def test_ray_encoder_pool_never_imports_jax_or_ray_at_import():
    mods = _modules_after("import encoder_bridge.distributed")
    assert not {"ray", "jax"} & mods


def test_sharding_module_never_imports_torch():
    mods = _modules_after("import qedjax.ebm.sharding, qedjax.ebm.train")
    assert "jax" in mods and "torch" not in mods and "ray" not in mods
