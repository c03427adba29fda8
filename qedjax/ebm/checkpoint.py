"""Orbax checkpoints of the train state, with config + encoder provenance as JSON beside them.

Layout of an EBM directory::

    DIR/meta.json         model/train config, input dim, steps, encoder provenance, versions
    DIR/checkpoints/<step>/   orbax (params, power-iteration state, optimizer state, step, RNG key)
    DIR/metrics.jsonl     training and validation metrics
    DIR/summary.json      final figures
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

import jax

from qedjax.errors import DataError

META = "meta.json"


def versions() -> dict[str, str]:
    import flax
    import optax
    import orbax.checkpoint as ocp

    import qedjax

    return {"qedjax": qedjax.__version__, "jax": jax.__version__, "flax": flax.__version__,
            "optax": optax.__version__, "orbax": getattr(ocp, "__version__", "?"),
            "python": platform.python_version()}


def atomic_write_json(path: Path, obj: Any) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_meta(directory: Path) -> dict | None:
    p = Path(directory) / META
    if not p.exists():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(f"{p}: corrupt metadata ({e})") from None


def write_meta(directory: Path, meta: dict) -> None:
    atomic_write_json(Path(directory) / META, meta)


def manager(directory: Path, max_to_keep: int = 3):
    import orbax.checkpoint as ocp

    path = (Path(directory) / "checkpoints").absolute()  # orbax needs absolute paths
    options = ocp.CheckpointManagerOptions(max_to_keep=max_to_keep, create=True)
    return ocp.CheckpointManager(path, options=options)


def _to_saveable(state) -> dict:
    return {"params": state.params, "pstate": state.pstate, "opt_state": state.opt_state,
            "step": state.step, "key": state.key, "skipped": state.skipped}


def save(mngr, state, force: bool = False) -> None:
    import orbax.checkpoint as ocp

    step = int(state.step)
    if step in mngr.all_steps():
        return
    mngr.save(step, args=ocp.args.StandardSave(_to_saveable(state)), force=force)


def restore_latest(mngr, template):
    """Restore the newest checkpoint into the structure of ``template`` (a TrainState), or None."""
    import orbax.checkpoint as ocp

    step = mngr.latest_step()
    if step is None:
        return None
    abstract = jax.tree.map(ocp.utils.to_shape_dtype_struct, _to_saveable(template))
    restored = mngr.restore(step, args=ocp.args.StandardRestore(abstract))
    return type(template)(**restored)


def latest_step(directory: Path) -> int | None:
    ckdir = Path(directory) / "checkpoints"
    if not ckdir.is_dir():
        return None
    steps = [int(p.name) for p in ckdir.iterdir() if p.name.isdigit()]
    return max(steps) if steps else None
