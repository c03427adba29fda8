"""Expert iteration: search → collect → encode → train the head → calibrate → choose T_ebm → keep the
better head → held-out eval → measure, round after round, against references measured once.

Every round's head is evaluated on the held-out split at equal node budgets against:
* policy-only search (the baseline the head must beat),
* reference values, measured once with the same policy, seeds and budgets: the hand-made −len(state)
  and, for prop, the perfect distance −(shortest proof length) — the ceiling,
and the report gives **headroom captured** = (EBM − policy) / (ceiling − policy) per budget.

The oracle and the perfect distance are measurement tools: they label held-out search states for
quality metrics and guide only the ceiling's own search; they never enter training, calibration or an
EBM's search (``tests/app/test_no_oracle_in_training.py`` fails if they do).

Each stage is a function of :mod:`qedjax.app.stages`; this module only says which runs when, with
what. A round is :func:`run_round`: adding a stage is adding a function there and a line here. Every
stage writes its output atomically and is recorded in ``manifest.json`` (:mod:`qedjax.app.manifest`),
so a killed run resumes where it stopped.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable

from qedjax.app import policy_round, stages
from qedjax.app.evaluation import compare, headroom
from qedjax.app.fork import PRECISION
from qedjax.app.iterate_config import IterateConfig
from qedjax.app.iterate_run import Baseline, Run
from qedjax.app.manifest import Manifest, Steps
from qedjax.app.parts import PartsSpec, build_scorer
from qedjax.app.policy_report import write_report
from qedjax.app.quality import quality_sample
from qedjax.app.runs import theorem_source
from qedjax.app.stages import TheoremSet, sample_theorems
from qedjax.app.temperatures import validation_score, value_scale, value_spread
from qedjax.app.training_data import BoundsSource, collect, search_bounds
from qedjax.data.trajectory import read_trajectories
from qedjax.envs.prop.bench import shipped_benchmark_path
from qedjax.io import atomic_write_json
from qedjax.search.executors import Executor, make_executor
from qedjax.search.theorems import load_theorems
from qedjax.seeds import derive


@dataclasses.dataclass(frozen=True)
class Head:
    """A trained head with the temperatures it searches at and how it did on the validation split."""

    ebm: str | None
    t_llm: float
    t_ebm: float
    valid_solved: list[int] = dataclasses.field(default_factory=list)
    iteration: int = 0


def run_iterate(cfg: IterateConfig, workdir: Path, *, executor: Executor | None = None, devices: int | None = None,
                bounds: BoundsSource = search_bounds, log: Callable[[str], None] = print,
                iterations: int | None = None, force: bool = False,
                precision: Callable[[dict], dict] = stages.measured_precision) -> dict:
    """Run (or resume) expert iteration in ``workdir``; returns the results summary.

    ``executor``: where searches run (default: this process, or ``iterate.workers`` local processes);
    ``devices``: how many devices train the head (default: all; results do not depend on it);
    ``bounds``: the distance loss's bounds from the search trees of every round so far (default: the
    hindsight bounds of the proofs found; an ablation may pass others); ``force``: adopt a learned
    policy that collapses the separation probe ([policy] train = true); ``precision``: the encoder's
    precision from the ``[encoder]`` table, chosen once when the run starts (default: measured when the
    table says ``dtype = "auto"``; with ``encoder.model = "policy"``, the comparison head's encoder's)."""
    it = cfg.iterate
    workdir = Path(workdir).absolute()
    sets = theorem_sets(cfg)  # a bad theorem source is refused before anything is written
    workdir.mkdir(parents=True, exist_ok=True)
    steps = Steps(Manifest(workdir / "manifest.json", cfg), log)
    table, what = policy_round.precision_table(cfg)

    def measure(t: dict) -> dict:
        rec = precision(t)
        return {**rec, "line": f"{rec['line']} for {what}"} if what else rec

    chosen = stages.choose_precision(steps, PRECISION, table, measure)
    cfg = dataclasses.replace(cfg, encoder={**cfg.encoder, "dtype": chosen["dtype"]})  # every encoding uses it
    run = Run(cfg, workdir, steps, executor or make_executor("local", it.workers), devices, bounds,
              *sets, sorted(set(it.budgets)))
    baseline = measure_baseline(run)
    head = Head(None, cfg.search.t_llm, cfg.search.t_ebm)
    rounds = []
    if cfg.policy.train:  # expert iteration over the policy too: qedjax.app.policy_round
        state = policy_round.start(run, baseline)
        for k in range(1, (iterations or it.iterations) + 1):
            state, result = policy_round.run_policy_round(run, k, state, baseline, force)
            rounds.append(result)
    else:
        for k in range(1, (iterations or it.iterations) + 1):
            head, result = run_round(run, k, head, baseline)
            rounds.append(result)
    results = {"iterations": rounds, "budgets": run.budgets, "policy_only": baseline.policy["budgets"],
               "references": {v: {"budgets": r["budgets"], "t_ebm": r["t_ebm"]}
                              for v, r in baseline.references.items()},
               "seconds": steps.times(), "encoder_precision": chosen,
               **({"policy_learning": True} if cfg.policy.train else {})}
    atomic_write_json(workdir / "results.json", results)
    if cfg.policy.train:
        write_report(workdir, results)
    return results


def theorem_sets(cfg: IterateConfig) -> tuple[TheoremSet, TheoremSet, TheoremSet]:
    """The training sample (it depends on the run seed), the validation and the held-out samples (they
    do not: every seed is judged on the same theorems)."""
    it = cfg.iterate
    source = str(theorem_source(it.theorems, it.env)) if it.theorems else _shipped()

    def take(split: str, n: int, seed: int) -> TheoremSet:
        return TheoremSet(sample_theorems(load_theorems(source, split), n, seed), source, split)

    return (take(it.train_split, it.max_train_theorems, derive(it.seed, "train-theorems")),
            take(it.valid_split, it.max_valid_theorems, derive(0, "valid-theorems")),
            take(it.eval_split, it.max_eval_theorems, derive(0, "eval-theorems")))


def measure_baseline(run: Run) -> Baseline:
    """Policy-only on the held-out split (the same for every round; same policy seed as the heads'), a
    fixed sample of its states, and each reference value at its own validated temperature."""
    it = run.cfg.iterate
    policy = run.spec(policy_seed=it.seed)
    base_eval = stages.evaluate(run.steps, "eval_policy_only", run.held_out, run.budgets, run.eval_config, policy,
                                run.path("eval_policy"), run.executor)
    cols = read_trajectories([run.path("eval_policy", "traj.parquet")])
    quality_states = quality_sample(cols, it.quality_states, derive(0, "quality-states"))
    references = {}
    if it.references:
        stages.search(run.steps, "valid_policy_only", run.valid, run.eval_config, policy,
                      run.path("valid", "policy", "traj.parquet"), run.executor)

    def spread(spec: PartsSpec) -> float:  # the value's std over the validation policy-only search's states
        states = read_trajectories([run.path("valid", "policy", "traj.parquet")])["state_pp"]
        return value_spread(build_scorer(spec).score, states, derive(0, "spread-states"))

    for value in it.references:
        spec = run.spec(policy_seed=it.seed, value=value)
        chosen = stages.choose_temperature(run.steps, f"ref_{value}.select_t", run.valid, run.budgets,
                                           run.eval_config, spec, lambda spec=spec: spread(spec), it.t_value_grid,
                                           run.path("valid", f"ref_{value}"), run.executor)
        references[value] = stages.evaluate(run.steps, f"eval_value_{value}", run.held_out, run.budgets,
                                            dataclasses.replace(run.eval_config, t_ebm=chosen["t_ebm"]), spec,
                                            run.path(f"eval_{value}"), run.executor)
        references[value]["t_ebm"] = chosen["t_ebm"]
    return Baseline(base_eval, references, quality_states, cols)


def run_round(run: Run, k: int, head: Head, baseline: Baseline) -> tuple[Head, dict]:
    """Round ``k``: search the training theorems guided by the kept ``head``, train a new head on every
    round's trees so far, keep the better of the two on the validation split, evaluate and measure it.
    Returns the head kept and the round's results."""
    cfg, it, steps = run.cfg, run.cfg.iterate, run.steps
    d = run.path(f"iter{k}")
    embeddings = run.path("embeddings.parquet")  # every round's training states (and its searches' encodings)
    memo = str(embeddings) if head.ebm else None
    stages.search(steps, f"iter{k}.search", run.train,
                  dataclasses.replace(cfg.search, max_nodes=it.train_max_nodes, t_llm=head.t_llm, t_ebm=head.t_ebm),
                  run.spec(policy_seed=derive(it.seed, "train-search", k), ebm=head.ebm, embedding_memo=memo),
                  d / "search.parquet", run.executor)
    searched = [run.path(f"iter{j}", "search.parquet") for j in range(1, k + 1)]
    states = collect(searched, d / "train_traj.parquet", it.negatives_per_theorem, derive(it.seed, "subsample", k),
                     {"iteration": k})
    stages.encode(steps, f"iter{k}.encode", states, embeddings, cfg.encoder)
    trained = stages.train_head(steps, f"iter{k}.train", cfg.ebm, d / "train_traj.parquet", embeddings, d / "ebm",
                                lambda: run.bounds(searched), run.devices)
    t_llm = cfg.search.t_llm
    if it.calibrate:
        t_llm = stages.calibrate(steps, f"iter{k}.calibrate", d / "search.parquet", stages.energy_std(trained))["t_llm"]
    chosen = stages.choose_temperature(
        steps, f"iter{k}.select_t", run.valid, run.budgets, dataclasses.replace(run.eval_config, t_llm=t_llm),
        run.spec(policy_seed=it.seed, ebm=str(d / "ebm"), embedding_memo=str(run.path("valid_embeddings.parquet"))),
        lambda: value_scale(stages.energy_std(trained)), it.t_value_grid, run.path("valid", f"iter{k}"),
        run.executor)
    challenger = Head(str(d / "ebm"), t_llm, chosen["t_ebm"], chosen["valid_solved"], k)
    kept, adopted = keep_better(head, challenger, it.keep_best)
    if not adopted:
        steps.log(f"[iter{k}] its head solves {challenger.valid_solved} on the validation split, the head of "
                  f"iteration {kept.iteration} {kept.valid_solved}: keeping the earlier head")
    eval_cfg = dataclasses.replace(run.eval_config, t_llm=kept.t_llm, t_ebm=kept.t_ebm)
    eval_memo = run.path("eval_embeddings.parquet")  # held-out states, shared by every round's eval
    ebm_eval = stages.evaluate(steps, f"iter{k}.eval_ebm", run.held_out, run.budgets, eval_cfg,
                               run.spec(policy_seed=it.seed, ebm=kept.ebm, embedding_memo=str(eval_memo)),
                               d / "eval_ebm", run.executor)
    quality = stages.measure(steps, f"iter{k}.quality", Path(kept.ebm), baseline.quality_states, eval_memo,
                             baseline.quality_cols, eval_cfg, it.env, d / "quality.json")
    return kept, report_round(d, k, baseline, ebm_eval, quality, kept, challenger, adopted, trained)


def keep_better(kept: Head, challenger: Head, keep_best: bool) -> tuple[Head, bool]:
    """The head the next round and the held-out eval use: the challenger unless ``keep_best`` and the
    kept head did better on the validation split (no head yet: the challenger)."""
    if kept.ebm is None or not keep_best:
        return challenger, True
    if validation_score(challenger.valid_solved) >= validation_score(kept.valid_solved):
        return challenger, True
    return kept, False


def report_round(d: Path, k: int, baseline: Baseline, ebm_eval: dict, quality: dict, kept: Head,
                 challenger: Head, adopted: bool, trained: dict) -> dict:
    """Round ``k``'s comparison with policy-only, its table (written to ``compare.json``) and summary."""
    comparison = compare(baseline.policy, ebm_eval)
    table = budget_table(baseline.policy, ebm_eval, baseline.references)
    atomic_write_json(d / "compare.json", {**comparison, "table": table})
    return {"iteration": k, "compare": comparison, "table": table, "quality": quality,
            "t_llm": kept.t_llm, "t_ebm": kept.t_ebm, "head_from_iteration": kept.iteration,
            "valid_solved": challenger.valid_solved, "adopted": adopted, "train": trained,
            "search_stats": ebm_eval["search_stats"]}


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


def _shipped() -> str:
    return str(shipped_benchmark_path())
