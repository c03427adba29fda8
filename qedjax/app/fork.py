"""Start a run from another run's finished steps: what a change of settings touches runs again, the
rest is reused. Ablations use it to change one thing at a time without redoing the searches and the
encoding that the change leaves alone.

:data:`REUSABLE` says which settings each reusable step of :mod:`qedjax.app.iterate` reads (directly
or through the steps before it); a step of the source is kept only when none of them changed. A stage
added before round 1's training that changes what these steps compute must add its settings here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

from qedjax.app.iterate_config import IterateConfig
from qedjax.app.manifest import now
from qedjax.config import from_dict, to_dict
from qedjax.data.embeddings import read_provenance
from qedjax.errors import ConfigError, DataError
from qedjax.io import atomic_write_json


@dataclasses.dataclass(frozen=True)
class Reusable:
    steps: tuple[str, ...]  # manifest step names (a name and its sub-steps ``name.*``)
    files: tuple[str, ...]  # what they wrote, as globs relative to the workdir
    settings: tuple[str, ...]  # dotted config keys they read (a table: all of it)


PRECISION = "start.encoder_precision"  # the step that records the precision every encoding of a run uses
_COMMON = ("iterate.theorems", "iterate.env", "iterate.policy_noise", "iterate.seed", "search")
HELD_OUT = _COMMON + ("iterate.eval_split", "iterate.max_eval_theorems", "iterate.budgets")
VALID = _COMMON + ("iterate.valid_split", "iterate.max_valid_theorems", "iterate.budgets")
REFERENCE = HELD_OUT + VALID + ("iterate.t_value_grid",)  # T chosen on validation, evaluated held out
TRAIN_SEARCH = _COMMON + ("iterate.train_split", "iterate.max_train_theorems", "iterate.train_max_nodes")
REUSABLE = (
    Reusable(("eval_policy_only",), ("eval_policy", "eval_policy.json"), HELD_OUT),
    Reusable(("valid_policy_only",), ("valid/policy",), VALID),
    Reusable(("ref_length.select_t", "eval_value_length"), ("valid/ref_length", "eval_length", "eval_length.json"),
             REFERENCE),
    Reusable(("ref_distance.select_t", "eval_value_distance"),
             ("valid/ref_distance", "eval_distance", "eval_distance.json"), REFERENCE),
    Reusable(("iter1.search",), ("iter1/search.parquet*",), TRAIN_SEARCH),
    Reusable(("iter1.encode",), ("iter1/train_traj.parquet",), TRAIN_SEARCH + ("iterate.negatives_per_theorem", "encoder")),
    # the encoder's precision and the embedding caches (state text → vector, provenance-checked) made in it:
    # whatever the rest, a state is not encoded twice
    Reusable((PRECISION,), ("embeddings.parquet*", "eval_embeddings.parquet*", "valid_embeddings.parquet*"),
             ("encoder",)),
)


def fork(source: Path, dest: Path, cfg: IterateConfig) -> list[str]:
    """Make ``dest`` (replaced if it exists) a run of ``cfg`` that holds the finished steps of the run in
    ``source`` that ``cfg`` computes the same way, hard-linked where possible (nothing in ``source`` is
    modified; the pipeline replaces files, it never writes into them). Returns the steps reused."""
    source, dest = Path(source), Path(dest)
    try:
        recorded = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError):
        raise DataError(f"{source}: not a qed demo / qed iterate workdir (no readable manifest.json)") from None
    try:
        old = to_dict(from_dict(IterateConfig, recorded.get("config") or {}, f"{source}/manifest.json"))
    except ConfigError:
        old = recorded.get("config") or {}
    new = to_dict(cfg)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    done = dict(recorded.get("steps", {}))
    if PRECISION not in done:  # a run from before its precision was recorded: its caches say which it was
        done.update(_cached_precision(source))
    kept: dict = {}
    reused: list[str] = []
    for group in REUSABLE:
        if any(_get(old, key) != _get(new, key) for key in group.settings):
            continue
        names = {k: v for k, v in done.items() if any(k == s or k.startswith(s + ".") for s in group.steps)}
        if any(s not in done for s in group.steps):
            continue  # the source did not finish it
        for pattern in group.files:
            for path in source.glob(pattern):
                _link(path, dest / path.relative_to(source))
        kept.update(names)
        reused += group.steps
    atomic_write_json(dest / "manifest.json", {"config": new, "created": now(), "steps": kept,
                                               "forked_from": str(source.absolute())})
    return reused


def _cached_precision(source: Path) -> dict:
    """The precision step of a run that did not record one, read from its training embeddings' provenance
    (nothing when it has none)."""
    path = source / "embeddings.parquet"
    prov = read_provenance(path) if path.is_file() else None
    if not prov or not prov.get("dtype"):
        return {}
    reason = "the dtype of the embeddings of the run forked from"
    return {PRECISION: {"precision": {"dtype": prov["dtype"], "how": "recorded", "reason": reason,
                                      "line": f"{prov['dtype']} (recorded: {reason})"},
                        "seconds": 0.0, "finished": now()}}


def _get(table: dict, dotted: str):
    for part in dotted.split("."):
        table = table.get(part, "<unset>") if isinstance(table, dict) else "<unset>"
    return table


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst, copy_function=_link_file)
    else:
        _link_file(src, dst)


def _link_file(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
