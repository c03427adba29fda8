"""A pipeline's ``manifest.json``: its config, versions, and every finished step with its record.

A step recorded here is done: the pipeline skips it on a re-run (its output files exist beside the
manifest), so a killed run resumes where it stopped. A workdir holds one run: opening it with another
config is refused, except for the number of rounds (round k depends only on rounds before it, so a
finished run can be continued).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable

from qedjax.config import from_dict, to_dict
from qedjax.errors import ConfigError, DataError
from qedjax.io import atomic_write_json, read_json
from qedjax.versions import versions


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _read(path: Path) -> dict:
    """A manifest as a pipeline wrote it; a damaged one (not JSON, or not of its shape) is a DataError:
    which steps are done is then unknown, so the run is not continued on a guess."""
    try:
        data = read_json(path)
    except DataError as e:
        data = e
    if isinstance(data, dict) and isinstance(data.get("steps", {}), dict) and all(
            isinstance(v, dict) for v in data.get("steps", {}).values()) and isinstance(data.get("config", {}), dict):
        return data
    why = str(data).removeprefix(f"{path}: ") if isinstance(data, DataError) else "not a manifest's shape"
    raise DataError(f"{path} is damaged ({why}): it records which steps of this run are done; restore it, or "
                    "start again in another directory (--workdir / --output)")


class Manifest:
    """``path``'s steps for the run of ``config`` (a config dataclass, e.g. ``IterateConfig``)."""

    def __init__(self, path: Path, config: Any):
        self.path = Path(path)
        self.config_class = type(config)
        self.data = _read(self.path) if self.path.exists() else {}
        cfg = to_dict(config)
        recorded = self.data.get("config")
        if recorded is not None and self.identity(recorded) != self.identity(cfg):
            raise ConfigError(f"{self.path.parent} holds a run with a different config or seed; use another "
                              "directory (--workdir / --output)")
        self.data["config"] = cfg  # the number of rounds may grow: round k depends only on rounds < k
        self.data.setdefault("created", now())
        self.data.setdefault("steps", {})
        self.data["versions"] = versions()
        self.save()

    def identity(self, config: dict) -> dict:
        """What makes two runs the same run: every setting but the number of rounds. A recorded config
        is read with today's defaults, so a setting added since (at its default) does not orphan a
        workdir."""
        try:
            out = to_dict(from_dict(self.config_class, config, "manifest.json"))
        except (ConfigError, TypeError, ValueError):
            out = json.loads(json.dumps(config))
        out.get("iterate", {}).pop("iterations", None)
        return out

    def step(self, name: str) -> dict | None:
        return self.data["steps"].get(name)

    def record(self, name: str, **info) -> dict:
        self.data["steps"][name] = {**info, "finished": now()}
        self.save()
        return self.data["steps"][name]

    def forget(self, names: list[str]) -> None:
        for name in names:
            self.data["steps"].pop(name, None)
        self.save()

    def save(self) -> None:
        atomic_write_json(self.path, self.data)


class Steps:
    """Runs a pipeline's named steps once each: a step recorded in the manifest is skipped and its
    record returned; otherwise it runs, is timed, logged and recorded."""

    def __init__(self, manifest: Manifest, log: Callable[[str], None] = print):
        self.manifest = manifest
        self.log = log

    def once(self, name: str, fn: Callable[[], dict], *, present: Path | None = None, part_of: str | None = None,
             quiet: bool = False, done: Callable[[dict], str] | None = None) -> dict:
        """``fn()`` → the step's record (a JSON-able dict; ``seconds`` is added). ``present``: the step
        counts as done only while this output exists. ``part_of``: a sub-step of that step (not logged,
        not counted in :meth:`times`). ``quiet``: not logged. ``done`` formats the line logged at the end
        (default: the time)."""
        quiet = quiet or part_of is not None
        rec = self.manifest.step(name)
        if rec is not None and (present is None or present.exists()):
            if present is not None and not quiet:
                self.log(f"[{name}] already done, skipped")
            return rec
        t0 = time.perf_counter()
        if not quiet:
            self.log(f"[{name}] …")
        info = fn()
        dt = time.perf_counter() - t0
        rec = self.manifest.record(name, seconds=dt, **info, **({"part_of": part_of} if part_of else {}))
        if not quiet:
            self.log(f"[{name}] {done(rec) + ' in' if done else 'done in'} {dt:.1f}s")
        return rec

    def times(self) -> dict[str, float]:
        """Seconds of every recorded step (sub-steps counted in theirs), in the order they finished."""
        steps = [(v["finished"], i, k, float(v["seconds"]))
                 for i, (k, v) in enumerate(self.manifest.data["steps"].items())
                 if isinstance(v, dict) and isinstance(v.get("seconds"), (int, float)) and "part_of" not in v]
        return {k: s for _, _, k, s in sorted(steps)}  # steps finished within one tick: in recorded order
