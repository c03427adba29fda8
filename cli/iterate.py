"""``qed iterate``, ``qed demo``, ``qed separation-probe``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from qedjax.app.iterate_config import DTYPE_CHOICES

from .common import claim_output, int_range, on_interrupt, output_dir, seed_type, user_errors, workers_type


def _kept_steps(workdir: Path) -> tuple[str, bool]:
    """What an interrupted iterate/demo keeps: its finished steps (the same command continues)."""
    try:
        steps = json.loads((workdir / "manifest.json").read_text(encoding="utf-8")).get("steps", {})
    except (OSError, ValueError):
        return "nothing finished", False
    return f"{len(steps)} finished steps in {workdir} (the same command continues)", True


def _is_workdir(path: Path) -> bool:
    return (path / "manifest.json").is_file()


def _nothing_finished(path: Path) -> bool:
    """Only the manifest of a start that finished no step (a failed start leaves that, and a corrected
    config would be refused as another run's)."""
    files = [p for p in path.rglob("*") if p.is_file()]
    if any(p != path / "manifest.json" for p in files):
        return False
    try:
        return not json.loads((path / "manifest.json").read_text(encoding="utf-8")).get("steps")
    except (OSError, ValueError, AttributeError):
        return not files


SHORT = {"policy_only": "policy only", "length": "−len(state)", "ebm": "policy + EBM",
         "distance": "ceiling (distance)"}


def _print_results(results: dict) -> None:
    if results.get("policy_learning"):  # policy and value learned together: its own tables
        from qedjax.app.policy_report import report_lines

        click.echo("\n" + "\n".join(report_lines(results)))
        return
    for it in results["iterations"]:
        table = it["table"]
        keys = [k for k in ("policy_only", "length", "ebm", "distance") if all(r.get(k) is not None for r in table)]
        click.echo(f"\niteration {it['iteration']}: held-out theorems solved at equal node budgets")
        click.echo(f"{'budget':>7}" + "".join(f"  {SHORT[k]:>18}" for k in keys) + "  headroom")
        for r in table:
            cells = "".join(f"  {r[k]:>5}/{r['total']:<3} {100 * r[k] / r['total']:>5.1f}%" for k in keys)
            h = r.get("headroom")
            click.echo(f"{r['budget']:>7}{cells}  {'—' if h is None else f'{100 * h:.0f}%':>8}")
        q = it["quality"]
        if "spearman_distance" in q:
            click.echo(f"value vs true distance: Spearman {q['spearman_distance']:.3f} on "
                       f"{q['distance_states']} held-out states (provable only: "
                       f"{q['spearman_distance_provable']:.3f})")
        click.echo(f"value vs oracle: AUC {q['auc']:.3f} on {q['states']} held-out states "
                   f"({q['provable']} provable / {q['unprovable']} unprovable)")
        click.echo(f"sibling rank-1 at {q['decision_points']} decision points: energy "
                   f"{q['rank1_energy']:.3f}, log-prob {q['rank1_log_prob']:.3f}, combined "
                   f"{q['rank1_combined']:.3f}, random {q['rank1_random']:.3f}")
        st = it.get("search_stats") or {}
        click.echo(f"gained {len(it['compare']['gained'])}, lost {len(it['compare']['lost'])}; "
                   f"T_llm {it['t_llm']:.3g}, T_ebm {it['t_ebm']:.3g}; EBM eval: {st.get('expanded', 0)} "
                   f"expansions, {st.get('states_encoded', 0)} states encoded, {st.get('value_s', 0.0):.1f} s "
                   "in the value function")


def _print_times(results: dict) -> None:
    from qedjax.app.report import step_time_lines

    if results.get("encoder_precision"):
        click.echo(f"\nencoder precision: {results['encoder_precision']['line']}")
    if results.get("seconds"):
        click.echo("\nstep times (s), as recorded (a step done in an earlier run keeps its time):")
        for line in step_time_lines(results["seconds"]):
            click.echo(f"  {line}")


@click.command("iterate")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Iterate TOML (default: built-in demo settings, as configs/demo.toml).")
@click.option("--workdir", required=True, type=output_dir())
@click.option("--iterations", type=int_range(1), help="Overrides iterate.iterations; more rounds on a finished --workdir continue it (earlier rounds are reused).")
@click.option("--calibrate/--no-calibrate", default=None,
              help="Set T_llm and T_ebm from training statistics (default: the config's).")
@click.option("--seed", type=seed_type(), help="Run seed (policy, theorem sample, sampler, EBM).")
@click.option("--workers", type=workers_type(), help="Parallel searchers (processes or Ray actors).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where searches run: local processes, or Ray actors (a local Ray or --ray-address).")
@click.option("--ray-address", help="Join this Ray cluster (HOST:PORT, or auto) with --executor ray.")
@click.option("--devices", type=int_range(1),
              help="EBM training devices (default: every visible device; results do not depend on it).")
@click.option("--force", is_flag=True,
              help="[policy] train = true: adopt a new policy even when it collapses the separation probe.")
@click.option("--dtype", type=click.Choice(DTYPE_CHOICES),
              help="The encoder's precision (default: the config's; auto = float32 or bfloat16, whichever "
                   "encodes faster on this machine, measured once and cached; int8-dynamic = quantised).")
@user_errors
def iterate(config_path, workdir, iterations, calibrate, seed, workers, executor, ray_address, devices,
            force, dtype) -> None:
    """Expert iteration: search → encode → train EBM → held-out eval against policy-only, a hand-made
    value and (prop) the perfect-distance ceiling.

    Every step is resumable and skipped when its output exists; WORKDIR/manifest.json records
    versions, configs, seeds and timings.
    """
    from qedjax.app.iterate import run_iterate
    from qedjax.app.iterate_config import load_iterate_config
    from qedjax.search.executors import make_executor

    claim_output(workdir, kind="dir", owned=_is_workdir, owner="qed iterate run (manifest.json)",
                 leftovers=_nothing_finished)
    cfg = load_iterate_config(config_path, seed=seed, calibrate=calibrate, workers=workers, dtype=dtype)
    if force and not cfg.policy.train:
        raise click.UsageError("--force applies to a run that learns the policy ([policy] train = true)")
    if devices is not None:  # the training stage comes after the searches: check the count before them
        from qedjax.ebm.sharding import select_devices

        select_devices(devices)
    runner = make_executor(executor, cfg.iterate.workers, ray_address)
    on_interrupt(lambda: _kept_steps(workdir), resume_flag=None)
    results = run_iterate(cfg, workdir, executor=runner, devices=devices, log=lambda s: click.echo(s, err=True),
                          iterations=iterations, force=force)
    _print_results(results)
    _print_times(results)


@click.command("demo")
@click.option("--output", default="demo_out", show_default=True, type=output_dir())
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Override the built-in demo settings (see configs/demo.toml).")
@click.option("--seed", type=seed_type(), help="Seed for the policy, the EBM and the sampler.")
@click.option("--calibrate/--no-calibrate", default=None, show_default=True)
@click.option("--dtype", type=click.Choice(DTYPE_CHOICES),
              help="The encoder's precision (default: the config's; auto = float32 or bfloat16, whichever "
                   "encodes faster on this machine, measured once and cached; int8-dynamic = quantised).")
@user_errors
def demo(output, config_path, seed, calibrate, dtype) -> None:
    """The main job on the embedded default: expert iteration on the shipped prop benchmark with the
    MiniLM encoder; prints the results table and writes OUTPUT/report.md with PNG plots."""
    from qedjax.app.iterate import run_iterate
    from qedjax.app.iterate_config import load_iterate_config
    from qedjax.app.report import write_report

    claim_output(output, kind="dir", owned=_is_workdir, owner="qed demo run (manifest.json)",
                 leftovers=_nothing_finished)
    t0 = time.perf_counter()
    cfg = load_iterate_config(config_path, seed=seed, calibrate=calibrate, dtype=dtype)
    on_interrupt(lambda: _kept_steps(output), resume_flag=None)
    results = run_iterate(cfg, output, log=lambda s: click.echo(s, err=True))
    _print_results(results)
    report = write_report(Path(output), results, seconds=time.perf_counter() - t0)
    _print_times(results)
    click.echo(f"\nreport -> {report}  ({time.perf_counter() - t0:.0f}s)")


@click.command("separation-probe")
@click.option("--states", "states_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSON list of {state_pp, label} (positive/negative), or a trajectory Parquet "
                   "with oracle_provable (prop).")
@click.option("--encoder", "encoder_config", type=click.Path(dir_okay=False, path_type=Path),
              help="Encoder TOML (default: configs/encoder.toml values).")
@click.option("--model", help="Override the encoder model.")
@click.option("--max-states", type=int_range(10), default=2000, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@user_errors
def separation_probe(states_path, encoder_config, model, max_states, as_json) -> None:
    """Centroid L2, norm gap, delta cosine and 5-fold logistic-regression accuracy of frozen
    embeddings for labelled states."""
    from encoder_bridge.encoder import HFEncoder, load_encoder_config
    from qedjax.app.separation import labelled_states, separation_metrics

    states, labels = labelled_states(states_path, max_states)
    enc = HFEncoder(load_encoder_config(encoder_config, model=model))
    m = separation_metrics(enc.encode(states), labels)
    m["encoder"] = enc.provenance
    m["source"] = str(states_path)
    if as_json:
        click.echo(json.dumps(m, indent=1))
        return
    click.echo(f"{states_path}: {m['n_positive']} positive / {m['n_negative']} negative states, "
               f"encoder {enc.provenance['model']} ({m['dim']}-d)")
    for k in ("centroid_l2", "norm_gap", "delta_cosine"):
        click.echo(f"{k:>22}: {m[k]:.4f}")
    click.echo(f"{'logistic regression':>22}: {m['logreg_cv_accuracy']:.3f} ± {m['logreg_cv_std']:.3f} "
               f"(5-fold; majority baseline {m['majority_baseline']:.3f})")
