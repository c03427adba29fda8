"""The stages a pipeline is made of: search, collect, encode, train, calibrate, choose the temperature,
evaluate, measure. Each is a function of what it needs — the workspace it records its step in, the
executor its searches run on, the devices training uses, the bounds it trains on — and returns what the
next stage needs. None reads hidden state; a stage recorded in the manifest is not run again.

:mod:`qedjax.app.iterate` composes them into expert iteration.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from qedjax.app.evaluation import eval_result
from qedjax.app.fingerprint import run_fingerprint
from qedjax.app.manifest import Steps
from qedjax.app.parts import PartsSpec, build_scorer, parts_factory
from qedjax.app.quality import prop_distance, value_quality
from qedjax.app.temperatures import best_choice, calibrate_temperatures, climb, multiplier
from qedjax.app.training_data import Bounds
from qedjax.data.trajectory import read_trajectories
from qedjax.ebm.config import EBMConfig
from qedjax.ebm.data import load_contrastive_data
from qedjax.guard import forbid_measurement
from qedjax.interfaces import Theorem
from qedjax.io import atomic_write_json
from qedjax.search.config import SearchConfig
from qedjax.search.executors import Executor
from qedjax.search.runner import read_rows, run_exists, run_search
from qedjax.versions import versions


@dataclasses.dataclass(frozen=True)
class TheoremSet:
    """A split's theorems as a pipeline uses them: the sample, its source file and split name."""

    theorems: list[Theorem]
    source: str
    split: str


def sample_theorems(theorems: list, n: int, seed: int) -> list:
    """A seeded sample of ``n`` in file order (index files are often sorted by difficulty: the first n
    would be easy)."""
    if len(theorems) <= n:
        return theorems
    order = np.random.default_rng(seed).permutation(len(theorems))[:n]
    return [theorems[i] for i in sorted(order)]


def search(steps: Steps, name: str, theorems: TheoremSet, config: SearchConfig, spec: PartsSpec, output: Path,
           executor: Executor, *, part_of: str | None = None) -> tuple[list[dict], dict]:
    """Search ``theorems`` into the trajectory file ``output`` (resumed if a killed run left part of
    it); returns the per-theorem rows and the search statistics."""
    rows_path = output.with_name(output.name + ".theorems.jsonl")
    summary = None

    def run() -> dict:
        nonlocal summary
        meta = {"search_config": dataclasses.asdict(config), "parts": dataclasses.asdict(spec), "step": name,
                "versions": versions()}
        summary = run_search(theorems.theorems, parts_factory(spec), config, output, resume=run_exists(output),
                             executor=executor, metadata=meta,
                             fingerprint=run_fingerprint(config, theorems.theorems, theorems.source, spec))
        return {"solved": summary.solved, "total": len(theorems.theorems), "policy_seed": spec.policy_seed,
                "ebm": spec.ebm, "value": spec.value, "stats": summary.stats.summary()}

    rec = steps.once(name, run, present=output, part_of=part_of)
    return (summary.rows if summary is not None else read_rows(rows_path)), rec.get("stats", {})


def evaluate(steps: Steps, name: str, theorems: TheoremSet, budgets: Sequence[int], config: SearchConfig,
             spec: PartsSpec, out_dir: Path, executor: Executor) -> dict:
    """Search ``theorems`` at the largest budget and write the eval JSON ``out_dir``.json (qed eval's
    shape: solved per budget, per-theorem rows, search statistics); returns it."""
    rows, stats = search(steps, name, theorems, config, spec, out_dir / "traj.parquet", executor)
    result = eval_result([rows], budgets, {
        "benchmark": theorems.source, "ebm_path": spec.ebm, "value": spec.value,
        "llm_path": spec.describe_policy(),
        "config": {"search": dataclasses.asdict(config), "parts": dataclasses.asdict(spec),
                   "split": theorems.split}}, stats)
    atomic_write_json(out_dir.with_name(out_dir.name + ".json"), result, sort_keys=False)
    return result


def choose_temperature(steps: Steps, name: str, theorems: TheoremSet, budgets: Sequence[int], config: SearchConfig,
                       spec: PartsSpec, spread: Callable[[], float], grid: Sequence[float], out_dir: Path,
                       executor: Executor) -> dict:
    """T_ebm for ``spec``'s value from searches of the validation ``theorems`` at the value's ``spread()``
    × multipliers of ``grid``, the ones :func:`~qedjax.app.temperatures.climb` walks to (a pick at the
    grid's edge widens it); :func:`~qedjax.app.temperatures.best_choice` picks. The record holds every
    try."""
    def run() -> dict:
        tried = []
        scale = spread()

        def solved_at(i: int) -> list[int]:
            mult = multiplier(grid, i)
            t = max(float(scale) * mult, 1e-4)
            rows, _ = search(steps, f"{name}.{i}", theorems,
                             dataclasses.replace(config, max_nodes=budgets[-1], t_ebm=t), spec,
                             out_dir / f"t{i}" / "traj.parquet", executor, part_of=name)
            solved = [b["solved"] for b in eval_result([rows], budgets, {})["budgets"]]
            tried.append({"t_ebm": t, "multiplier": mult, "solved": solved})
            return solved

        climb(grid, solved_at)
        best = best_choice(tried)
        return {"t_ebm": best["t_ebm"], "valid_solved": best["solved"], "tried": tried, "scale": scale,
                "valid_total": len(theorems.theorems)}

    return steps.once(name, run, done=lambda r: f"T_ebm {r['t_ebm']:.3g} (validation solved {r['valid_solved']}, "
                                                f"{len(r['tried'])} searches)")


def measured_precision(encoder_table: dict) -> dict:
    """The encoder's precision for ``encoder_table`` (``dtype = "auto"``: float32 or bfloat16, whichever
    encodes faster here, timed once per machine and model and cached; float32 while the CPUs are busy;
    any other dtype: as given), as ``PrecisionChoice.as_dict()`` plus its ``line``."""
    from encoder_bridge.encoder import EncoderConfig, choose_precision

    if encoder_table.get("model") == "policy":  # the learned policy's own features (float32), no HF encoder
        reason = "the value head reads the policy's own hidden states, kept in float32"
        return {"dtype": "float32", "reason": reason, "how": "policy", "line": f"float32 (policy: {reason})"}
    choice = choose_precision(EncoderConfig(**encoder_table))
    return {**choice.as_dict(), "line": choice.line()}


def choose_precision(steps: Steps, name: str, encoder_table: dict,
                     measure: Callable[[dict], dict] = measured_precision) -> dict:
    """The dtype every encoding of the run uses, chosen once when it starts (before other work loads the
    CPUs) and recorded in the manifest: a resumed run keeps it, as its caches and heads were made in it.
    Returns ``measure(encoder_table)``'s record (``dtype``, ``how``, ``reason``, ``line``...)."""
    rec = steps.once(name, lambda: {"precision": measure(encoder_table)},
                     done=lambda r: f"encoder in {r['precision']['line']};")
    return rec["precision"]


def encode(steps: Steps, name: str, states: list[str], cache: Path, encoder_table: dict) -> dict:
    """Encode ``states`` into the provenance-checked embedding cache ``cache`` (states already there
    are not encoded again). The torch side is imported here, only when there is work."""
    def run() -> dict:
        from encoder_bridge.cache import encode_to_cache
        from encoder_bridge.encoder import EncoderConfig, HFEncoder

        enc = HFEncoder(EncoderConfig(**encoder_table))
        s = encode_to_cache(enc, states, cache, checkpoint_every=enc.config.checkpoint_every)
        return {"encoded": s.encoded, "cached": s.cached, "truncated": s.truncated, "rejected": s.rejected}

    return steps.once(name, run)


def train_head(steps: Steps, name: str, config: EBMConfig, train_file: Path, embeddings: Path, out_dir: Path,
               bounds: Callable[[], Bounds | None], devices: int | None) -> dict:
    """Train the energy head on the trajectories ``train_file`` and their ``embeddings`` into
    ``out_dir`` (resumed from its last checkpoint) on ``devices`` (None: every visible one).
    ``bounds()`` gives the hindsight bounds the distance loss needs (called only when it does)."""
    def run() -> dict:
        from qedjax.ebm import checkpoint as ckpt
        from qedjax.ebm.train import train, uses_bounds

        with forbid_measurement("EBM training"):
            labels = bounds() if uses_bounds(config.loss) else None
            data = load_contrastive_data([train_file], embeddings, config.sampler, config.train.seed,
                                         distance_cap=config.loss.cap if labels is not None else None,
                                         bounds=labels)
            res = train(config, data, out_dir, resume=ckpt.read_meta(out_dir) is not None, progress=False,
                        log=steps.log, devices=devices)
        return {"steps": res.steps, "skipped": res.skipped, "final_val": res.final_val,
                "final_val_uniform": res.final_val_uniform, "data": data.stats}

    return steps.once(name, run)


def energy_std(train_record: dict) -> float:
    """The trained head's validation energy std (NaN when there was no validation split)."""
    return float((train_record.get("final_val") or {}).get("energy_std", float("nan")))


def calibrate(steps: Steps, name: str, search_file: Path, energy_spread: float) -> dict:
    """T_llm (and the rule-of-thumb T_ebm) from the training search's trajectories, blind to the oracle."""
    def run() -> dict:
        with forbid_measurement("calibration"):
            t_llm, t_ebm, stats = calibrate_temperatures(read_trajectories([search_file]), energy_spread)
        return {"t_llm": t_llm, "t_ebm": t_ebm, **stats}

    return steps.once(name, run, quiet=True)


def measure(steps: Steps, name: str, head_dir: Path, states: list[str], memo: Path, cols: dict,
            config: SearchConfig, env: str, output: Path) -> dict:
    """Score the fixed held-out ``states`` with the head in ``head_dir`` (encodings shared through
    ``memo``) and measure them against the oracle, the true distance (prop) and sibling choices;
    written to ``output``."""
    def run() -> dict:
        scorer = build_scorer(PartsSpec(env=env, ebm=str(head_dir), embedding_memo=str(memo)))
        values = dict(zip(states, (float(v) for v in scorer.score(states)))) if states else {}
        scorer.flush()
        out = value_quality(cols, values, config.alpha, config.beta, config.t_llm, config.t_ebm,
                            prop_distance() if env == "prop" else None)
        out["states_encoded"] = scorer.encoded
        out["encode_s"] = scorer.encode_s
        atomic_write_json(output, out)
        return {"states": len(states)}

    steps.once(name, run)
    return json.loads(output.read_text())
