"""Expert iteration: search → trajectories → encode → train the EBM → held-out eval, with references.

Every iteration's EBM is evaluated on the held-out split at equal node budgets against:
* policy-only search (the baseline the EBM must beat),
* reference values, measured once with the same policy, seeds and budgets: the hand-made −len(state)
  and, for prop, the perfect distance −(shortest proof length) — the ceiling,
and the report gives **headroom captured** = (EBM − policy) / (ceiling − policy) per budget.

The oracle and the perfect distance are measurement tools: they label held-out search states for
quality metrics and guide only the ceiling's own search; they never enter training, calibration or an
EBM's search (``tests/app/test_no_oracle_in_training.py`` fails if they do).

The pipeline builds its own parts from a :class:`~qedjax.app.parts.PartsSpec` and its own encoder from
the ``[encoder]`` table (the torch side is imported lazily, only to encode). Every step writes its output
atomically and is skipped when that output exists, so a killed run resumes where it stopped;
``manifest.json`` records versions, configs, seeds, calibration and timings.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path
from typing import Callable

import numpy as np

from qedjax.app.evaluation import compare, eval_result, headroom
from qedjax.app.parts import PartsSpec, parts_factory
from qedjax.app.quality import quality_sample
from qedjax.config import to_dict
from qedjax.ebm.config import EBMConfig, LossConfig, TrainConfig
from qedjax.errors import ConfigError
from qedjax.io import atomic_write_json
from qedjax.search.config import SearchConfig
from qedjax.seeds import derive

REFERENCE_VALUES = ("length", "distance")
DEFAULT_REFERENCES = REFERENCE_VALUES


@dataclasses.dataclass(frozen=True)
class IterateSettings:
    theorems: str = ""  # "" = the shipped prop benchmark
    env: str = "prop"
    iterations: int = 1
    train_split: str = "train"
    valid_split: str = "valid"  # temperatures and the kept head are chosen here, never on eval_split
    eval_split: str = "test"
    max_train_theorems: int = 1000
    max_eval_theorems: int = 240
    max_valid_theorems: int = 240
    train_max_nodes: int = 30
    budgets: tuple[int, ...] = (3, 5, 10, 20)
    negatives_per_theorem: int = 12  # besides the positives' siblings, encoded for training
    seed: int = 0  # policy seeds, theorem sample and EBM seed derive from it
    policy_noise: float = 0.8
    calibrate: bool = True  # T_llm from the training search's cumulative log-probs
    t_value_grid: tuple[float, ...] = (0.5, 0.25, 0.125, 0.0625, 0.03125)  # × the value's spread
    keep_best: bool = True  # a round whose head does worse on the validation split keeps the previous head
    references: tuple[str, ...] = DEFAULT_REFERENCES  # measurement-only values evaluated once
    quality_states: int = 1000  # held-out search states every iteration's head is measured on
    workers: int = 1

    def validate(self) -> None:
        if self.iterations < 1 or self.max_train_theorems < 1 or self.max_eval_theorems < 1:
            raise ValueError("iterations and theorem counts must be >= 1")
        if self.train_max_nodes < 1 or self.negatives_per_theorem < 0 or self.workers < 1:
            raise ValueError("train_max_nodes and workers must be >= 1, negatives_per_theorem >= 0")
        if not self.budgets or min(self.budgets) < 1:
            raise ValueError("budgets must be positive")
        if len({self.train_split, self.valid_split, self.eval_split}) < 3:
            raise ValueError("train_split, valid_split and eval_split must all differ (held-out evaluation)")
        if not self.t_value_grid or min(self.t_value_grid) <= 0:
            raise ValueError("t_value_grid must hold positive multipliers")
        if self.max_valid_theorems < 1:
            raise ValueError("max_valid_theorems must be >= 1")
        unknown = set(self.references) - set(REFERENCE_VALUES)
        if unknown:
            raise ValueError(f"unknown reference value(s) {sorted(unknown)} (known: {', '.join(REFERENCE_VALUES)})")
        if self.env != "prop" and "distance" in self.references:
            raise ValueError("the perfect-distance reference exists only for env = \"prop\"")


# What the demo and expert iteration change from EncoderConfig's defaults (a TOML [encoder] table is laid
# over these): the mean of MiniLM's last four layers, concatenated (4 × 384-d), ranks held-out states by
# distance to QED better than the last layer's mean (scripts/ablate_value.py, encoder rows).
ENCODER_DEFAULTS = {"pooling": "mean-last4"}
# InfoNCE + this × the distance loss on hindsight bounds (every proof the searches found bounds the
# remaining length of its ancestors): the energy also ranks states of different theorems by distance
# to QED (scripts/ablate_value.py, README "How good is the value").
DISTANCE_WEIGHT = 10.0


@dataclasses.dataclass(frozen=True)
class IterateConfig:
    iterate: IterateSettings = IterateSettings()
    search: SearchConfig = SearchConfig(max_nodes=20, num_candidates=8, probe_tactics="none", value_mode="lazy",
                                        concurrent_theorems=256, batch_encode_size=256)
    encoder: dict = dataclasses.field(default_factory=lambda: dict(ENCODER_DEFAULTS))  # EncoderConfig keys
    ebm: EBMConfig = EBMConfig(loss=LossConfig(distance_weight=DISTANCE_WEIGHT), train=TrainConfig(
        total_steps=3000, warmup_steps=100, batch_size=64, lr=1e-3, log_every=100, val_every=500,
        checkpoint_every=3000))


def load_iterate_config(path: str | Path | None, *, seed: int | None = None, calibrate: bool | None = None,
                        workers: int | None = None, iterations: int | None = None) -> IterateConfig:
    """Strict TOML (unknown keys are errors, the ``[encoder]`` table included) plus CLI overrides.
    ``seed`` sets the run seed and the EBM's training seed together."""
    from qedjax.config import load_toml

    cfg = load_toml(IterateConfig, path)
    cfg = dataclasses.replace(cfg, encoder={**ENCODER_DEFAULTS, **cfg.encoder})
    encoder_defaults_check(cfg.encoder, f"{path or 'defaults'}: [encoder]")
    it = cfg.iterate
    if calibrate is not None:
        it = dataclasses.replace(it, calibrate=calibrate)
    if workers is not None:
        it = dataclasses.replace(it, workers=workers)
    if iterations is not None:
        it = dataclasses.replace(it, iterations=iterations)
    if seed is not None:
        it = dataclasses.replace(it, seed=seed)
        cfg = dataclasses.replace(cfg, ebm=dataclasses.replace(
            cfg.ebm, train=dataclasses.replace(cfg.ebm.train, seed=seed)))
    try:
        it.validate()
    except ValueError as e:
        raise ConfigError(f"{path or 'defaults'}: [iterate] {e}") from None
    return dataclasses.replace(cfg, iterate=it)


def encoder_defaults_check(table: dict, where: str) -> None:
    """Validate the ``[encoder]`` table strictly without importing torch (the keys of EncoderConfig)."""
    from qedjax.config import from_dict

    from_dict(_encoder_config_class(), table, where)


def _encoder_config_class():
    from encoder_bridge.encoder import EncoderConfig  # light: encoder_bridge.encoder imports torch lazily

    return EncoderConfig


class Manifest:
    def __init__(self, path: Path, config: IterateConfig):
        self.path = path
        self.data = json.loads(path.read_text()) if path.exists() else {}
        cfg = to_dict(config)
        if self.data.get("config") is not None and _identity(self.data["config"]) != _identity(cfg):
            raise ConfigError(f"{path.parent} holds a run with a different config or seed; use another "
                              "directory (--workdir / --output)")
        self.data["config"] = cfg  # the number of rounds may grow: round k depends only on rounds < k
        self.data.setdefault("created", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        self.data.setdefault("steps", {})
        self.data["versions"] = _versions()
        self.save()

    def step(self, name: str) -> dict | None:
        return self.data["steps"].get(name)

    def record(self, name: str, **info) -> None:
        self.data["steps"][name] = {**info, "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.save()

    def save(self) -> None:
        atomic_write_json(self.path, self.data)


def _identity(config: dict) -> dict:
    """What makes two runs the same run: every setting but the number of rounds, so that a finished run
    can be continued (`--iterations 5` on a 3-round workdir runs rounds 4 and 5). A recorded config is
    read with today's defaults, so a setting added since (at its default) does not orphan a workdir."""
    from qedjax.config import from_dict, to_dict

    try:
        out = to_dict(from_dict(IterateConfig, config, "manifest.json"))
    except (ConfigError, TypeError, ValueError):
        out = json.loads(json.dumps(config))
    out.get("iterate", {}).pop("iterations", None)
    return out


def _versions() -> dict:
    from qedjax.versions import versions

    return versions()


def subsample_for_training(cols: dict, negatives_per_theorem: int, seed: int) -> np.ndarray:
    """Rows to encode for EBM training: every positive, every negative sibling of a positive (hard
    negatives), and up to N other negatives per theorem (seeded). Terminal rows are kept (unused)."""
    rng = np.random.default_rng(seed)
    names = cols["theorem_name"].astype(str)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    label = cols["label"]
    keep = label == "positive"
    pos_parents = {(names[i], int(parent[i])) for i in np.nonzero(keep)[0] if parent[i] >= 0}
    sib = np.array([(names[i], int(parent[i])) in pos_parents for i in range(len(names))], bool)
    keep |= sib & (label == "negative")
    for name in np.unique(names):
        idx = np.nonzero((names == name) & (label == "negative") & ~keep & (cols["state_pp"] != ""))[0]
        if len(idx):
            keep[rng.choice(idx, size=min(negatives_per_theorem, len(idx)), replace=False)] = True
    return np.nonzero(keep)[0]


def search_bounds(paths: list[Path]) -> dict[str, tuple[float, float]]:
    """State text → (lower, upper) on its remaining proof length from the search trees in ``paths``
    (every proof found bounds its ancestors; a state proved in any tree or round is proved in all):
    what a real Lean run has, never the oracle."""
    from qedjax.data.trajectory import read_trajectories
    from qedjax.ebm.labels import hindsight_bounds

    cols = read_trajectories(paths)
    states = cols["state_pp"].astype(str)
    lower, upper = hindsight_bounds(cols)
    return {s: (float(lo), float(up)) for s, lo, up in zip(states, lower, upper) if s}


def cumulative_log_probs(cols: dict) -> np.ndarray:
    """Each node's cumulative log-prob from its root (the policy term of the search priority)."""
    names = cols["theorem_name"].astype(str)
    sid = cols["state_id"].astype(np.int64)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    row = {(n, s): i for i, (n, s) in enumerate(zip(names, sid))}
    cum = np.full(len(sid), np.nan)

    def resolve(i: int) -> float:
        chain = []
        while math.isnan(cum[i]):
            p = parent[i]
            j = row.get((names[i], int(p))) if p >= 0 else None
            if j is None:
                cum[i] = 0.0 if p < 0 else float(cols["llm_log_prob"][i])
                break
            chain.append(i)
            i = j
        total = cum[i]
        for k in reversed(chain):
            total += float(cols["llm_log_prob"][k])
            cum[k] = total
        return total

    for i in range(len(sid)):
        resolve(i)
    return cum


def calibrate_temperatures(cols: dict, energy_std: float) -> tuple[float, float, dict]:
    """T_llm, T_ebm so that α·cumlogp/T_llm and β·value/T_ebm have unit std over the training search's
    nodes and the EBM's validation energies (search trajectories only; never the oracle)."""
    cum = cumulative_log_probs(cols)
    std_lp = float(np.std(cum)) if len(cum) else 1.0
    t_llm = max(std_lp, 1e-3)
    t_ebm = max(float(energy_std), 1e-3) if math.isfinite(energy_std) else 1.0
    return t_llm, t_ebm, {"cum_log_prob_std": std_lp, "energy_std": energy_std}


def encode_states(states: list[str], output: Path, encoder_table: dict) -> dict:
    """Encode ``states`` into the provenance-checked cache ``output`` (the torch side, imported here)."""
    from encoder_bridge.cache import encode_to_cache
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    enc = HFEncoder(EncoderConfig(**encoder_table))
    s = encode_to_cache(enc, states, output, checkpoint_every=enc.config.checkpoint_every)
    return {"encoded": s.encoded, "cached": s.cached, "truncated": s.truncated, "rejected": s.rejected}


def run_iterate(cfg: IterateConfig, workdir: Path, *, log: Callable[[str], None] = print,
                iterations: int | None = None) -> dict:
    """Run (or resume) expert iteration in ``workdir``; returns the results summary.

    Every value that guides a held-out search — each round's EBM, −len(state) and the perfect distance
    — gets its temperature T_ebm from searches on the validation split (the value's spread times each
    multiplier of ``t_value_grid``; most theorems solved at the largest budget wins, then the most over
    all budgets). With ``keep_best``, a round whose head does worse there than the head it replaces is
    not adopted: the earlier head stays for the held-out eval and the next round's search."""
    from qedjax.app.fingerprint import run_fingerprint
    from qedjax.app.parts import build_scorer
    from qedjax.data.trajectory import read_trajectories, write_subset
    from qedjax.ebm.data import load_contrastive_data
    from qedjax.ebm.train import train, uses_bounds
    from qedjax.guard import forbid_measurement
    from qedjax.search.runner import read_rows, run_exists, run_search
    from qedjax.search.theorems import load_theorems

    it = cfg.iterate
    workdir = Path(workdir).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(workdir / "manifest.json", cfg)
    theorem_file = it.theorems or _shipped()
    train_thms = _sample(load_theorems(theorem_file, it.train_split), it.max_train_theorems,
                         derive(it.seed, "train-theorems"))
    # The held-out samples do not depend on the run seed: every seed is judged on the same theorems.
    eval_thms = _sample(load_theorems(theorem_file, it.eval_split), it.max_eval_theorems,
                        derive(0, "eval-theorems"))
    valid_thms = _sample(load_theorems(theorem_file, it.valid_split), it.max_valid_theorems,
                         derive(0, "valid-theorems"))
    budgets = sorted(set(it.budgets))
    eval_cfg = dataclasses.replace(cfg.search, max_nodes=budgets[-1])
    train_cfg = dataclasses.replace(cfg.search, max_nodes=it.train_max_nodes)
    embeddings = workdir / "embeddings.parquet"  # training states (and what training searches encode)
    eval_memo = workdir / "eval_embeddings.parquet"  # held-out states, shared by every eval
    valid_memo = workdir / "valid_embeddings.parquet"  # validation states, shared by every selection
    results: dict = {"iterations": [], "budgets": budgets}

    def timed(name: str, fn):
        t0 = time.perf_counter()
        log(f"[{name}] …")
        out = fn()
        dt = time.perf_counter() - t0
        log(f"[{name}] done in {dt:.1f}s")
        return out, dt

    def spec_for(**kw) -> PartsSpec:
        return PartsSpec(env=it.env, policy_noise=it.policy_noise, **kw)

    def search_step(name, theorems, scfg, out_path, spec: PartsSpec, quiet: bool = False):
        done = manifest.step(name)
        rows_path = out_path.with_name(out_path.name + ".theorems.jsonl")
        if done is not None and out_path.exists():
            if not quiet:
                log(f"[{name}] already done, skipped")
            return read_rows(rows_path), done.get("stats", {})
        resume = run_exists(out_path)
        meta = {"search_config": dataclasses.asdict(scfg), "parts": dataclasses.asdict(spec), "step": name,
                "versions": _versions()}
        fingerprint = run_fingerprint(scfg, theorems, theorem_file, spec)
        run = lambda: run_search(theorems, parts_factory(spec), scfg, out_path, resume=resume, workers=it.workers,
                                 metadata=meta, fingerprint=fingerprint)
        summary, dt = (run(), 0.0) if quiet else timed(name, run)
        stats = summary.stats.summary()
        manifest.record(name, seconds=dt, solved=summary.solved, total=len(theorems),
                        policy_seed=spec.policy_seed, ebm=spec.ebm, value=spec.value, stats=stats)
        return summary.rows, stats

    def eval_step(name: str, spec: PartsSpec, scfg: SearchConfig, out_dir: Path, json_path: Path) -> dict:
        rows, stats = search_step(name, eval_thms, scfg, out_dir / "traj.parquet", spec)
        result = eval_result([rows], budgets, {
            "benchmark": theorem_file, "ebm_path": spec.ebm, "value": spec.value,
            "llm_path": spec.describe_policy(),
            "config": {"search": dataclasses.asdict(scfg), "parts": dataclasses.asdict(spec),
                       "split": it.eval_split}}, stats)
        atomic_write_json(json_path, result, sort_keys=False)
        return result

    def select_t(name: str, spec: PartsSpec, scfg: SearchConfig, scale: float) -> dict:
        """T_ebm for ``spec``'s value from searches on the validation split (cached in the manifest)."""
        step = f"{name}.select_t"
        if manifest.step(step) is not None:
            return manifest.step(step)
        t0 = time.perf_counter()
        log(f"[{step}] …")
        tried = []
        for j, mult in enumerate(it.t_value_grid):
            t = max(float(scale) * mult, 1e-4)
            rows, _ = search_step(f"{step}.{j}", valid_thms, dataclasses.replace(scfg, max_nodes=budgets[-1], t_ebm=t),
                                  workdir / "valid" / name / f"t{j}" / "traj.parquet", spec, quiet=True)
            solved = eval_result([rows], budgets, {})["budgets"]
            tried.append({"t_ebm": t, "multiplier": mult, "solved": [b["solved"] for b in solved]})
        best = max(tried, key=lambda r: (r["solved"][-1], sum(r["solved"]), r["t_ebm"]))
        info = {"t_ebm": best["t_ebm"], "valid_solved": best["solved"], "tried": tried, "scale": scale,
                "valid_total": len(valid_thms)}
        manifest.record(step, seconds=time.perf_counter() - t0, **info)
        log(f"[{step}] T_ebm {best['t_ebm']:.3g} (validation solved {best['solved']}) in "
            f"{time.perf_counter() - t0:.1f}s")
        return manifest.step(step)

    # Policy-only: the same for every iteration (same policy seed as the EBM's).
    base_eval = eval_step("eval_policy_only", spec_for(policy_seed=it.seed), eval_cfg,
                          workdir / "eval_policy", workdir / "eval_policy.json")
    # A fixed sample of held-out search states on which every iteration's head is measured.
    base_cols = read_trajectories([workdir / "eval_policy" / "traj.parquet"])
    quality_states = quality_sample(base_cols, it.quality_states, derive(0, "quality-states"))
    # The references: hand-made and perfect values, each at its own validated temperature.
    references = {}
    if it.references:
        valid_rows, _ = search_step("valid_policy_only", valid_thms, eval_cfg,
                                    workdir / "valid" / "policy" / "traj.parquet", spec_for(policy_seed=it.seed))
        valid_states = [s for s in read_trajectories([workdir / "valid" / "policy" / "traj.parquet"])["state_pp"] if s]
    for value in it.references:
        spec = spec_for(policy_seed=it.seed, value=value)
        scale = float(np.std(build_scorer(spec).score(valid_states))) or 1.0
        chosen = select_t(f"ref_{value}", spec, eval_cfg, scale)
        references[value] = eval_step(f"eval_value_{value}", spec,
                                      dataclasses.replace(eval_cfg, t_ebm=chosen["t_ebm"]),
                                      workdir / f"eval_{value}", workdir / f"eval_{value}.json")
        references[value]["t_ebm"] = chosen["t_ebm"]

    champion: dict | None = None  # {"ebm", "t_llm", "t_ebm", "valid_solved", "iteration"}
    t_llm = cfg.search.t_llm
    for k in range(1, (iterations or it.iterations) + 1):
        d = workdir / f"iter{k}"
        guide = champion or {"ebm": None, "t_llm": t_llm, "t_ebm": cfg.search.t_ebm}
        spec = spec_for(policy_seed=derive(it.seed, "train-search", k), ebm=guide["ebm"],
                        embedding_memo=str(embeddings) if guide["ebm"] else None)
        scfg = dataclasses.replace(train_cfg, t_llm=guide["t_llm"], t_ebm=guide["t_ebm"])
        search_step(f"iter{k}.search", train_thms, scfg, d / "search.parquet", spec)
        # -- training data: cumulative trajectories of every round, subsampled, encoded; blind to the oracle
        sub = d / "train_traj.parquet"
        with forbid_measurement("training-data selection"):
            if not sub.exists():
                searched = [workdir / f"iter{j}" / "search.parquet" for j in range(1, k + 1)]
                keep = subsample_for_training(read_trajectories(searched), it.negatives_per_theorem,
                                              derive(it.seed, "subsample", k))
                write_subset(searched, keep, sub, {"iteration": k})
        if manifest.step(f"iter{k}.encode") is None:
            cols = read_trajectories([sub])
            states = [s for s in cols["state_pp"] if s]
            summary, dt = timed(f"iter{k}.encode", lambda: encode_states(states, embeddings, cfg.encoder))
            manifest.record(f"iter{k}.encode", seconds=dt, **summary)
        ebm_dir = d / "ebm"
        if manifest.step(f"iter{k}.train") is None:
            from qedjax.ebm import checkpoint as ckpt

            with forbid_measurement("EBM training"):
                bounds = None
                if uses_bounds(cfg.ebm.loss):  # hindsight bounds over the whole trees of every round
                    bounds = search_bounds([workdir / f"iter{j}" / "search.parquet" for j in range(1, k + 1)])
                data = load_contrastive_data([sub], embeddings, cfg.ebm.sampler, cfg.ebm.train.seed,
                                             distance_cap=cfg.ebm.loss.cap if bounds is not None else None,
                                             bounds=bounds)
                resume = ckpt.read_meta(ebm_dir) is not None
                res, dt = timed(f"iter{k}.train", lambda: train(cfg.ebm, data, ebm_dir, resume=resume,
                                                               progress=False, log=log))
            manifest.record(f"iter{k}.train", seconds=dt, steps=res.steps, skipped=res.skipped,
                            final_val=res.final_val, final_val_uniform=res.final_val_uniform,
                            data=data.stats)
        train_info = manifest.step(f"iter{k}.train")
        if it.calibrate and manifest.step(f"iter{k}.calibrate") is None:
            with forbid_measurement("calibration"):
                cols = read_trajectories([d / "search.parquet"])
                std = (train_info.get("final_val") or {}).get("energy_std", float("nan"))
                t_llm_k, t_ebm_rule, stats = calibrate_temperatures(cols, std)
            manifest.record(f"iter{k}.calibrate", t_llm=t_llm_k, t_ebm=t_ebm_rule, **stats)
        cal = manifest.step(f"iter{k}.calibrate") or {"t_llm": t_llm}
        ebm_spec = spec_for(policy_seed=it.seed, ebm=str(ebm_dir), embedding_memo=str(valid_memo))
        energy_std = float((train_info.get("final_val") or {}).get("energy_std", float("nan")))
        scale = energy_std if math.isfinite(energy_std) and energy_std > 0 else 1.0
        chosen = select_t(f"iter{k}", ebm_spec, dataclasses.replace(eval_cfg, t_llm=cal["t_llm"]), scale)
        challenger = {"ebm": str(ebm_dir), "t_llm": cal["t_llm"], "t_ebm": chosen["t_ebm"],
                      "valid_solved": chosen["valid_solved"], "iteration": k}
        adopted = (champion is None or not it.keep_best
                   or (challenger["valid_solved"][-1], sum(challenger["valid_solved"]))
                   >= (champion["valid_solved"][-1], sum(champion["valid_solved"])))
        if adopted:
            champion = challenger
        else:
            log(f"[iter{k}] its head solves {challenger['valid_solved']} on the validation split, the head of "
                f"iteration {champion['iteration']} {champion['valid_solved']}: keeping the earlier head")
        ecfg = dataclasses.replace(eval_cfg, t_llm=champion["t_llm"], t_ebm=champion["t_ebm"])
        head_dir = Path(champion["ebm"])
        ebm_eval = eval_step(f"iter{k}.eval_ebm", spec_for(policy_seed=it.seed, ebm=str(head_dir),
                                                           embedding_memo=str(eval_memo)),
                             ecfg, d / "eval_ebm", d / "eval_ebm.json")
        if manifest.step(f"iter{k}.quality") is None:
            quality, dt = timed(f"iter{k}.quality", lambda: measure_value(
                head_dir, quality_states, eval_memo, base_cols, ecfg, it.env))
            atomic_write_json(d / "quality.json", quality)
            manifest.record(f"iter{k}.quality", seconds=dt, states=len(quality_states))
        quality = json.loads((d / "quality.json").read_text())
        comparison = compare(base_eval, ebm_eval)
        table = budget_table(base_eval, ebm_eval, references)
        atomic_write_json(d / "compare.json", {**comparison, "table": table})
        results["iterations"].append({
            "iteration": k, "compare": comparison, "table": table, "quality": quality,
            "t_llm": champion["t_llm"], "t_ebm": champion["t_ebm"], "head_from_iteration": champion["iteration"],
            "valid_solved": challenger["valid_solved"], "adopted": adopted, "train": train_info,
            "search_stats": ebm_eval["search_stats"]})
    results["policy_only"] = base_eval["budgets"]
    results["references"] = {v: {"budgets": r["budgets"], "t_ebm": r["t_ebm"]} for v, r in references.items()}
    atomic_write_json(workdir / "results.json", results)
    return results


def budget_table(policy: dict, ebm: dict, references: dict[str, dict]) -> list[dict]:
    """Per budget: solved by policy-only, the EBM and each reference value, and the headroom captured."""
    rows = []
    by = lambda result: {b["budget"]: b["solved"] for b in result["budgets"]}
    p, e = by(policy), by(ebm)
    refs = {v: by(r) for v, r in references.items()}
    for b in sorted(p):
        row = {"budget": b, "total": next(x["total"] for x in policy["budgets"] if x["budget"] == b),
               "policy_only": p[b], "ebm": e.get(b)}
        for v, r in refs.items():
            row[v] = r.get(b)
        if "distance" in refs and e.get(b) is not None:
            row["headroom"] = headroom(p[b], e[b], refs["distance"][b])
        rows.append(row)
    return rows


def _sample(theorems: list, n: int, seed: int) -> list:
    """A seeded sample (index files are often sorted by difficulty: the first n would be easy)."""
    if len(theorems) <= n:
        return theorems
    order = np.random.default_rng(seed).permutation(len(theorems))[:n]
    return [theorems[i] for i in sorted(order)]


def _shipped() -> str:
    from qedjax.envs.prop.bench import shipped_benchmark_path

    return str(shipped_benchmark_path())


def measure_value(ebm_dir: Path, states: list[str], memo: Path, cols: dict, scfg: SearchConfig,
                  env: str) -> dict:
    """Score the fixed held-out ``states`` with the head in ``ebm_dir`` (encodings shared through
    ``memo``) and measure them against the oracle, the true distance (prop) and sibling choices."""
    from qedjax.app.parts import build_scorer
    from qedjax.app.quality import prop_distance, value_quality

    scorer = build_scorer(PartsSpec(env=env, ebm=str(ebm_dir), embedding_memo=str(memo)))
    values = dict(zip(states, (float(v) for v in scorer.score(states)))) if states else {}
    scorer.flush()
    out = value_quality(cols, values, scfg.alpha, scfg.beta, scfg.t_llm, scfg.t_ebm,
                        prop_distance() if env == "prop" else None)
    out["states_encoded"] = scorer.encoded
    out["encode_s"] = scorer.encode_s
    return out
