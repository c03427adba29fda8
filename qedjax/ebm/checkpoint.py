"""Orbax checkpoints of the train state, with config + encoder provenance as JSON beside them.

Layout of an EBM directory::

    DIR/meta.json              model/train config, input dim, steps, encoder provenance, versions
    DIR/checkpoints/<step>/model   orbax: params and power-iteration state (all inference needs)
    DIR/checkpoints/<step>/train   orbax: optimizer state, step, RNG key, skipped-step count
    DIR/metrics.jsonl          training and validation metrics
    DIR/summary.json           final figures

Inference restores only the ``model`` item, against an abstract target, so scoring never builds an
optimizer. A damaged or mismatched checkpoint is a one-line :class:`DataError` naming the directory.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import platform
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import jax
import numpy as np

import qedjax
from qedjax.errors import DataError
from qedjax.io import atomic_write_json as _atomic_write_json
from qedjax.io import read_json

META = "meta.json"
MAX_INPUT_DIM = 2**20  # an embedding width no encoder comes near


def versions() -> dict[str, str]:
    import flax
    import optax
    import orbax.checkpoint as ocp

    return {"qedjax": qedjax.__version__, "jax": jax.__version__, "flax": flax.__version__,
            "optax": optax.__version__, "orbax": getattr(ocp, "__version__", "?"),
            "python": platform.python_version()}


def atomic_write_json(path: Path, obj: Any) -> None:
    _atomic_write_json(path, obj)


def read_meta(directory: Path) -> dict | None:
    p = Path(directory) / META
    if not p.exists():
        return None
    meta = read_json(p)
    if not isinstance(meta, dict) or "config" not in meta or "input_dim" not in meta:
        raise DataError(f"{p}: not EBM metadata (no 'config' or 'input_dim')")
    dim = meta["input_dim"]
    if isinstance(dim, bool) or not isinstance(dim, int) or not 1 <= dim <= MAX_INPUT_DIM:
        raise DataError(f"{p}: input_dim must be an integer in [1, {MAX_INPUT_DIM}], got {json.dumps(dim)}")
    if not isinstance(meta["config"], dict):
        raise DataError(f"{p}: 'config' must be a table of EBM settings, got {type(meta['config']).__name__}")
    if meta.get("provenance") is not None and not isinstance(meta["provenance"], dict):
        raise DataError(f"{p}: 'provenance' must be an object or null")
    return meta


def saved_steps(directory: Path) -> list[int]:
    """The steps of the checkpoints saved in ``directory`` (none: nothing was trained yet)."""
    d = Path(directory) / "checkpoints"
    return sorted(int(p.name) for p in d.glob("*") if p.name.isdigit() and p.is_dir()) if d.is_dir() else []


def write_meta(directory: Path, meta: dict) -> None:
    atomic_write_json(Path(directory) / META, meta)


def manager(directory: Path, max_to_keep: int = 3, create: bool = True):
    import orbax.checkpoint as ocp

    path = (Path(directory) / "checkpoints").absolute()  # orbax needs absolute paths
    if not create and not path.is_dir():
        raise DataError(f"{directory}: no checkpoints saved yet (no checkpoints/ folder)")
    options = ocp.CheckpointManagerOptions(max_to_keep=max_to_keep, create=create)
    return ocp.CheckpointManager(path, options=options)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM/SIGHUP where the command line turns them into interrupts) until the block
    ends: a save cut in half leaves orbax's background writer to die with a traceback at exit, and no
    whole checkpoint. Only the main thread can handle signals; an ignored or default signal is left so."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple] = []
    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        handler = signal.getsignal(sig) if sig is not None else None
        if callable(handler):  # a Python handler that interrupts the run
            previous[sig] = handler
            signal.signal(sig, lambda signum, frame: caught.append((signum, frame)))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        signum, frame = caught[0]
        previous[signum](signum, frame)  # raises, as it would have


@contextlib.contextmanager
def finish_on_interrupt(mngr) -> Iterator[None]:
    """An interrupted run (Ctrl-C, an error) waits for an asynchronous save in flight before it goes on
    unwinding, so its newest checkpoint is whole and no background writer dies with a traceback at exit."""
    try:
        yield
    except BaseException:
        with _interrupts_deferred(), contextlib.suppress(Exception):
            mngr.wait_until_finished()
            mngr.close()
        raise


def _items(state) -> tuple[dict, dict]:
    model = {"params": state.params, "pstate": state.pstate}
    train = {"opt_state": state.opt_state, "step": state.step, "key": state.key, "skipped": state.skipped}
    return model, train


def check_finite(tree, where: str) -> None:
    """Refuse parameters with NaN/Inf: they would score every state NaN."""
    bad = sum(int(np.size(x) - np.isfinite(np.asarray(x)).sum()) for x in jax.tree.leaves(tree))
    if bad:
        raise DataError(f"{where}: {bad} parameter values are NaN/Inf; this checkpoint cannot score states "
                        "(lower the learning rate and retrain)")


def save(mngr, state, force: bool = False, where: str = "checkpoint") -> None:
    import orbax.checkpoint as ocp

    step = int(state.step)
    if step in mngr.all_steps():
        return
    check_finite(state.params, where)
    model, train = _items(state)
    with _interrupts_deferred():
        mngr.save(step, args=ocp.args.Composite(model=ocp.args.StandardSave(model),
                                                train=ocp.args.StandardSave(train)), force=force)


_FAILED_RESTORES: set[str] = set()  # checkpoint directories whose restore failed in this process


def _closed_loop(exc) -> bool:
    return isinstance(exc, RuntimeError) and str(exc) == "Event loop is closed"


def _about_failed_restore(exc) -> bool:
    """An error of a failed restore's stray reads: the event loop orbax closed, or a read of a damaged
    checkpoint this process already reported (tensorstore names the directory it read from)."""
    if exc is None:
        return False
    return _closed_loop(exc) or any(d in str(exc) for d in _FAILED_RESTORES)


class _StrayReadFilter:
    """Drop asyncio's "Task exception was never retrieved" for a failed restore's stray reads: the
    restore already raised one line saying why; these are its other reads, reported when collected."""

    def filter(self, record) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and isinstance(getattr(record, "args", None), dict):
            exc = record.args.get("exception")
        return not _about_failed_restore(exc)


def _drop_closed_loop_noise(directory: str | None = None) -> None:
    """After a failed restore, reads that complete later report into orbax's closed event loop from
    background threads, or as never-retrieved task exceptions when their tasks are collected; under load
    that can be after the held window. Drop exactly those errors from the unraisable and thread hooks
    and the asyncio logger, pass everything else on."""
    if directory:
        _FAILED_RESTORES.add(str(Path(directory).absolute()))
    if getattr(sys.unraisablehook, "_qedjax", False):
        return
    unraisable, thread_hook = sys.unraisablehook, threading.excepthook

    def on_unraisable(u):
        if not _about_failed_restore(u.exc_value):
            unraisable(u)

    def on_thread(a):
        if not _about_failed_restore(a.exc_value):
            thread_hook(a)

    on_unraisable._qedjax = True
    sys.unraisablehook, threading.excepthook = on_unraisable, on_thread
    logging.getLogger("asyncio").addFilter(_StrayReadFilter())


@contextlib.contextmanager
def _background_noise_held(step_dir: Path | str | None = None) -> Iterator[io.StringIO]:
    """While orbax restores, hold what its background readers print. When one array of a damaged
    checkpoint fails, tensorstore's other reads still complete into an event loop orbax has closed, and
    each prints a traceback from a background thread (dozens of lines around the one-line error).
    Held output is passed on when the restore succeeds and dropped when it fails (the error says why).
    The stray reads' errors are filtered from the start: a failed read's task can be collected, and
    asyncio's logger report it through a handler that kept the real stderr, before the restore's error
    reaches this window's end."""
    held = io.StringIO()
    real, absl = sys.stderr, logging.getLogger("absl")
    level = absl.level
    sys.stderr = held
    absl.setLevel(logging.ERROR)
    watched = str(Path(step_dir).absolute()) if step_dir else None
    already = watched in _FAILED_RESTORES
    _drop_closed_loop_noise(step_dir)
    failed = False
    try:
        yield held
    except BaseException:
        failed = True
        raise
    finally:
        if failed:
            time.sleep(0.5)  # let stragglers finish printing into the held buffer
        elif watched and not already:
            _FAILED_RESTORES.discard(watched)  # restored: its later errors, if any, are news
        sys.stderr = real
        absl.setLevel(level)
        if not failed and held.getvalue():
            real.write(held.getvalue())


def _path_key(path) -> str:
    return "/".join(str(getattr(k, "key", getattr(k, "idx", getattr(k, "name", k)))) for k in path)


def check_stored_shapes(item_dir: Path, abstract, directory, step) -> None:
    """Compare the stored arrays with what ``meta.json`` describes, from the checkpoint's metadata alone
    (restoring a mismatch fails inside orbax's asynchronous readers): one line naming the first difference."""
    import orbax.checkpoint as ocp

    try:
        stored_tree = ocp.StandardCheckpointer().metadata(Path(item_dir).absolute()).item_metadata
        stored = {_path_key(p): leaf for p, leaf in jax.tree_util.tree_leaves_with_path(stored_tree)}
    except Exception as e:  # noqa: BLE001 - unreadable metadata: the restore would fail the same way
        raise _damaged(directory, step, e) from None
    if not stored:
        raise DataError(f"{directory}: checkpoint at step {step} is damaged (its arrays cannot be read); "
                        "retrain, or restore the directory from a copy")
    wanted = {_path_key(p): leaf for p, leaf in jax.tree_util.tree_leaves_with_path(abstract)}
    for key in sorted(set(stored) | set(wanted)):
        if key not in stored or key not in wanted:
            where = "checkpoint" if key in stored else META
            raise DataError(f"{directory}: checkpoint at step {step} does not match {META}: '{key}' exists only "
                            f"in the {where}; retrain, or restore the directory from a copy")
        a, b = tuple(getattr(stored[key], "shape", ()) or ()), tuple(wanted[key].shape)
        if a != b:
            raise DataError(f"{directory}: checkpoint at step {step} does not match {META}: '{key}' has shape "
                            f"{a} in the checkpoint and {b} by {META}; retrain, or restore the directory from a copy")


def _damaged(directory, step, e: Exception) -> DataError:
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return DataError(f"{directory}: checkpoint at step {step} is damaged or does not match {META} "
                     f"({first[:160]}); retrain, or restore the directory from a copy")


def restore_latest(mngr, template, directory: Path | str = "checkpoint"):
    """Restore the newest checkpoint into the structure of ``template`` (a TrainState), or None."""
    import orbax.checkpoint as ocp

    step = mngr.latest_step()
    if step is None:
        return None
    model, train = _items(template)
    abstract = lambda tree: jax.tree.map(ocp.utils.to_shape_dtype_struct, tree)
    with _background_noise_held(Path(mngr.directory) / str(step)):
        check_stored_shapes(Path(mngr.directory) / str(step) / "model", abstract(model), directory, step)
        try:
            got = mngr.restore(step, args=ocp.args.Composite(model=ocp.args.StandardRestore(abstract(model)),
                                                            train=ocp.args.StandardRestore(abstract(train))))
        except Exception as e:  # noqa: BLE001 - orbax/tensorstore raise many types; the user needs one line
            raise _damaged(directory, step, e) from None
    return type(template)(**got["model"], **got["train"])


def restore_model(directory: Path | str, abstract_model: dict) -> tuple[dict, int]:
    """(``{"params", "pstate"}``, step) of the newest checkpoint, restored against ``abstract_model``
    (shape/dtype structs) — only what inference needs."""
    import orbax.checkpoint as ocp

    mngr = manager(directory, create=False)
    # Place every array on this process's first device, whatever mesh the checkpoint was trained on.
    here = jax.sharding.SingleDeviceSharding(jax.local_devices()[0])
    abstract_model = jax.tree.map(
        lambda x: x if getattr(x, "sharding", None) is not None else
        jax.ShapeDtypeStruct(x.shape, x.dtype, sharding=here), abstract_model)
    try:
        step = mngr.latest_step()
        if step is None:
            raise DataError(f"{directory}: no checkpoint saved yet")
        with _background_noise_held(Path(mngr.directory) / str(step)):
            check_stored_shapes(Path(mngr.directory) / str(step) / "model", abstract_model, directory, step)
            try:
                got = mngr.restore(step, args=ocp.args.Composite(model=ocp.args.StandardRestore(abstract_model)))
            except Exception as e:  # noqa: BLE001
                raise _damaged(directory, step, e) from None
        check_finite(got["model"]["params"], f"{directory} (step {step})")
        return got["model"], step
    finally:
        mngr.close()

