"""Search and evaluation runs: config + theorems + parts → trajectories, eval JSON and statistics.

The CLI (``qed search``, ``qed eval``), the pipelines and scripts all start searches here, so that a
run's metadata, its statistics and its failure rules are the same wherever it was started.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Sequence

from tqdm import tqdm

from qedjax.app.dryrun import dry_run as make_dry_run
from qedjax.app.dryrun import searchable
from qedjax.app.evaluation import eval_result
from qedjax.app.fingerprint import run_fingerprint
from qedjax.app.parts import PartsSpec, check_spec, parts_factory
from qedjax.config import check_value, load_toml, replace_path
from qedjax.envs.lean_config import load_lean_config
from qedjax.envs.prop.bench import HARD_TIER, shipped_benchmark_path, shipped_hard_tier_path
from qedjax.errors import ConfigError, DataError
from qedjax.interfaces import Theorem
from qedjax.io import atomic_write_json, atomic_write_text
from qedjax.paths import check_output_dir, check_output_file
from qedjax.search.config import SearchConfig
from qedjax.search.engine import SearchStats
from qedjax.search.executors import Executor
from qedjax.search.runner import RunSummary, run_search
from qedjax.search.theorems import load_theorems
from qedjax.versions import versions

SEARCH_OVERRIDES = ("max_nodes", "num_candidates", "alpha", "depth_bonus", "beta", "t_llm", "t_ebm",
                    "batch_expansion_size", "algorithm", "c_puct")


def load_search_config(path: str | Path | None, overrides: dict | None = None) -> SearchConfig:
    """``configs/search.toml``-style TOML (defaults when None) with command-line overrides applied."""
    cfg = load_toml(SearchConfig, path)
    for key, value in (overrides or {}).items():
        if value is not None:
            cfg = replace_path(cfg, key, value)
    return cfg


def default_theorem_source(env: str) -> Path:
    if env != "prop":
        raise ConfigError(f"--theorems is required with --env {env}")
    return shipped_benchmark_path()


def theorem_source(theorems: str | Path | None, env: str) -> Path:
    """The theorem file a command reads: ``theorems``; with the embedded ``prop``, none means the shipped
    benchmark and ``hard`` (when no such file exists) the shipped hard tier (difficulties 9-12)."""
    if theorems is None:
        return default_theorem_source(env)
    if env == "prop" and str(theorems) == HARD_TIER and not Path(theorems).exists():
        return shipped_hard_tier_path()
    return Path(theorems)


@dataclasses.dataclass(frozen=True)
class SearchRun:
    """Everything that determines a search run's results (and its resume fingerprint)."""

    theorems: tuple[Theorem, ...]
    source: str
    split: str | None
    config: SearchConfig
    spec: PartsSpec
    not_searched: tuple[tuple[str, str], ...] = ()  # (name, why): theorems the environment cannot start

    @classmethod
    def prepare(cls, *, spec: PartsSpec, config: SearchConfig, theorems: str | Path | None = None,
                split: str | None = None, max_theorems: int | None = None) -> SearchRun:
        """Validate the parts and select the theorems (before any output is created). Theorems the
        environment cannot start (a statement that does not parse) are set apart in ``not_searched``,
        to be reported and counted apart from failed searches; none startable is an error."""
        check_spec(spec)
        source = theorem_source(theorems, spec.env)
        selected = load_theorems(source, split, max_theorems)
        selected, skipped = searchable(selected, spec.env, load_lean_config(spec.lean_config).lean_repl)
        if not selected:
            name, why = skipped[0]
            raise DataError(f"{source}: none of its {len(skipped)} selected theorem(s) can be searched "
                            f"(e.g. '{name}': {why})")
        spec = dataclasses.replace(spec, tactic_timeout=config.tactic_timeout)
        return cls(tuple(selected), str(source), split, config, spec, tuple(skipped))

    def metadata(self) -> dict:
        return {"search_config": dataclasses.asdict(self.config), "parts": dataclasses.asdict(self.spec),
                "theorems": self.source, "split": self.split, "versions": versions()}


def run(job: SearchRun, output: str | Path, *, resume: bool = False, workers: int = 1,
        progress: bool = True, desc: str = "search", spec: PartsSpec | None = None,
        executor: Executor | None = None) -> RunSummary:
    """Search every theorem of ``job`` into the trajectory Parquet ``output`` (flushed per theorem) on
    ``executor`` (default: this process, or ``workers`` local processes); every executor gives the
    same trajectories."""
    spec = spec or job.spec
    bar = None
    callback = None
    if progress:
        bar = tqdm(total=len(job.theorems), desc=desc, unit="thm", disable=None, dynamic_ncols=True)
        solved = [0]

        def callback(row: dict) -> None:
            solved[0] += bool(row["proved"])
            bar.update(1)
            bar.set_postfix(solved=solved[0], refresh=False)

    meta = {**job.metadata(), "parts": dataclasses.asdict(spec)}
    fingerprint = run_fingerprint(job.config, job.theorems, job.source, spec, job.split)
    try:
        return run_search(list(job.theorems), parts_factory(spec), job.config, Path(output), resume=resume,
                          workers=workers, metadata=meta, progress=callback, executor=executor,
                          fingerprint=fingerprint)
    finally:
        if bar is not None:
            bar.close()


def parse_budgets(text: str | Sequence[int]) -> list[int]:
    """``"5,10,20"`` → [5, 10, 20] (sorted, unique, positive)."""
    try:
        values = [int(b) for b in (text.split(",") if isinstance(text, str) else text) if str(b).strip()]
    except ValueError:
        raise ConfigError(f"--budgets {text!r}: expected comma-separated integers") from None
    if not values or min(values) < 1:
        raise ConfigError("--budgets must be positive integers")
    for b in values:  # each budget is a max_nodes: the same rule
        check_value(SearchConfig, "max_nodes", b, f"--budgets {b}")
    return sorted(set(values))


def check_value_used(spec: PartsSpec, stats: SearchStats) -> None:
    """A value-guided run whose scorer never produced a value is policy-only in disguise: refuse it."""
    guided = spec.ebm is not None or spec.value is not None
    if guided and stats.generated > 0 and stats.states_scored == 0:
        what = f"--ebm {spec.ebm}" if spec.ebm else f"value '{spec.value}'"
        raise DataError(f"{what} scored none of the {stats.scorer_failures} states it was asked for; "
                        "the results would be policy-only (check --embeddings and the encoder)")


def evaluate(job: SearchRun, output: str | Path, budgets: Sequence[int], *, pass_n: int = 1,
             resume: bool = False, overwrite: bool = False, workers: int = 1, progress: bool = True,
             extra_meta: dict | None = None, executor: Executor | None = None) -> dict:
    """Search at the largest budget (pass@n with policy seeds seed..seed+n−1) and summarise solved per
    budget in the eval JSON shape; trajectories are kept in ``OUTPUT.work/``. Returns the result dict
    (also written atomically to ``output``)."""
    output = Path(output)
    budgets = parse_budgets(budgets)
    if job.config.max_nodes != budgets[-1]:
        job = dataclasses.replace(job, config=dataclasses.replace(job.config, max_nodes=budgets[-1]))
    if output.exists() and not (overwrite or resume):
        raise DataError(f"{output} exists; pass --overwrite (or --resume to continue its attempts)")
    work = output.with_name(output.name + ".work")
    check_output_file(output)
    check_output_dir(work, "eval trajectories folder")
    # --overwrite: the earlier trajectories are set aside, and put back if this start fails before
    # finishing a theorem (a failed start never destroys what was there).
    replaced = work.with_name(f".{work.name}.replaced") if overwrite and not resume and work.exists() else None
    if replaced is not None:
        shutil.rmtree(replaced, ignore_errors=True)
        work.rename(replaced)
    rows_by_attempt = []
    stats = SearchStats()
    try:
        for k in range(pass_n):
            spec_k = dataclasses.replace(job.spec, policy_seed=job.spec.policy_seed + k)
            summary = run(job, work / f"attempt{k}.parquet", resume=resume, workers=workers,
                          progress=progress, desc=f"eval {k + 1}/{pass_n}", spec=spec_k, executor=executor)
            rows_by_attempt.append(summary.rows)
            stats.merge(summary.stats)
    except BaseException:
        if replaced is not None and not work.exists():
            replaced.rename(work)
        raise
    finally:
        if replaced is not None and replaced.exists() and work.exists():
            shutil.rmtree(replaced, ignore_errors=True)
    check_value_used(job.spec, stats)
    meta = {"benchmark": job.source, "ebm_path": job.spec.ebm, "value": job.spec.value,
            "llm_path": job.spec.describe_policy(),
            "config": {"search": dataclasses.asdict(job.config), "parts": dataclasses.asdict(job.spec),
                       "split": job.split}, **(extra_meta or {})}
    if job.not_searched:  # theorems the environment cannot start: kept apart, never counted as failures
        meta["config"]["not_searched"] = [{"name": n, "reason": why} for n, why in job.not_searched]
    result = eval_result(rows_by_attempt, budgets, meta, stats.summary())
    atomic_write_json(output, result, sort_keys=False)
    return result


def dry_run(*, env: str, theorems: str | Path | None, split: str | None = None,
            max_theorems: int | None = None, lean_config: str | Path | None = None,
            output: str | Path | None = None):
    """The exact text each theorem would send to ``env``, without Lean; ``output`` gets one JSON line
    per theorem. Returns the :class:`~qedjax.app.dryrun.DryRun` report."""
    source = theorem_source(theorems, env)
    selected = load_theorems(source, split, max_theorems)
    report = make_dry_run(selected, env, load_lean_config(lean_config).lean_repl)
    if output is not None:
        atomic_write_text(output, report.jsonl())
    return report
