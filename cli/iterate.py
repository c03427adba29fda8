"""``qed iterate``, ``qed demo``, ``qed separation-probe``."""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from pathlib import Path

import click

from .common import fail, user_errors


def _load_config(path: Path | None, calibrate: bool, seed: int | None, workers: int | None):
    from encoder_bridge.encoder import EncoderConfig
    from qedjax.config import from_dict, load_toml
    from qedjax.pipeline.iterate import IterateConfig

    cfg = load_toml(IterateConfig, path)
    from_dict(EncoderConfig, cfg.encoder, f"{path or 'defaults'}: [encoder]")  # strict check
    it = cfg.iterate
    if calibrate:
        it = dataclasses.replace(it, calibrate=True)
    if seed is not None:
        it = dataclasses.replace(it, seed=seed)
        cfg = dataclasses.replace(cfg, ebm=dataclasses.replace(
            cfg.ebm, train=dataclasses.replace(cfg.ebm.train, seed=seed)))
    if workers is not None:
        it = dataclasses.replace(it, workers=workers)
    return dataclasses.replace(cfg, iterate=it)


def _injected(cfg):
    from encoder_bridge.cache import encode_to_cache
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    from .wiring import PartsSpec, build_parts

    encoder_holder = {}

    def encode_fn(states, output):
        if "enc" not in encoder_holder:
            encoder_holder["enc"] = HFEncoder(EncoderConfig(**cfg.encoder))
        enc = encoder_holder["enc"]
        s = encode_to_cache(enc, states, output, checkpoint_every=enc.config.checkpoint_every)
        return {"encoded": s.encoded, "cached": s.cached, "truncated": s.truncated, "rejected": s.rejected}

    def parts(**kw):
        return functools.partial(build_parts, PartsSpec(env=cfg.iterate.env, **kw))

    return encode_fn, parts


def _print_results(results: dict) -> None:
    for it in results["iterations"]:
        click.echo(f"\niteration {it['iteration']}: solved on the held-out split at equal node budgets")
        click.echo(f"{'budget':>8}  {'policy only':>14}  {'policy + EBM':>14}  {'Δ (pp)':>8}")
        for r in it["compare"]["rows"]:
            click.echo(f"{r['budget']:>8}  {r['policy_only_solved']:>5}/{r['total']:<3} "
                       f"{100 * r['policy_only']:>5.1f}%  {r['policy_ebm_solved']:>5}/{r['total']:<3} "
                       f"{100 * r['policy_ebm']:>5.1f}%  {r['delta_pp']:>+8.1f}")
        q = it["quality"]
        click.echo(f"value vs oracle: AUC {q['auc']:.3f} on {q['states']} held-out states "
                   f"({q['provable']} provable / {q['unprovable']} unprovable)")
        click.echo(f"sibling rank-1 at {q['decision_points']} decision points: energy "
                   f"{q['rank1_energy']:.3f}, log-prob {q['rank1_log_prob']:.3f}, combined "
                   f"{q['rank1_combined']:.3f}, random {q['rank1_random']:.3f}")
        click.echo(f"gained {len(it['compare']['gained'])}, lost {len(it['compare']['lost'])}; "
                   f"T_llm {it['t_llm']:.3g}, T_ebm {it['t_ebm']:.3g}")


@click.command("iterate")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Iterate TOML (default: built-in demo settings, as configs/demo.toml).")
@click.option("--workdir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--iterations", type=click.IntRange(1), help="Overrides iterate.iterations.")
@click.option("--calibrate", is_flag=True, help="Set T_llm and T_ebm from validation statistics.")
@click.option("--seed", type=int)
@click.option("--workers", type=click.IntRange(1))
@user_errors
def iterate(config_path, workdir, iterations, calibrate, seed, workers) -> None:
    """Expert iteration: search → encode → train EBM → eval policy-only vs policy+EBM → compare.

    Every step is resumable and skipped when its output exists; WORKDIR/manifest.json records
    versions, configs, seeds and timings.
    """
    from qedjax.pipeline.iterate import run_iterate

    cfg = _load_config(config_path, calibrate, seed, workers)
    encode_fn, parts = _injected(cfg)
    results = run_iterate(cfg, workdir, encode_fn=encode_fn, parts=parts,
                          log=lambda s: click.echo(s, err=True), iterations=iterations)
    _print_results(results)


@click.command("demo")
@click.option("--output", default="demo_out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Override the built-in demo settings (see configs/demo.toml).")
@click.option("--seed", type=int, help="Seed for the policy, the EBM and the sampler.")
@click.option("--calibrate/--no-calibrate", default=True, show_default=True)
@user_errors
def demo(output, config_path, seed, calibrate) -> None:
    """The main job on the embedded default: one expert iteration on the shipped prop benchmark with
    the MiniLM encoder; prints the results table and writes OUTPUT/report.md with PNG plots."""
    from qedjax.pipeline.iterate import run_iterate
    from qedjax.pipeline.report import write_report

    t0 = time.perf_counter()
    cfg = _load_config(config_path, calibrate, seed, None)
    encode_fn, parts = _injected(cfg)
    results = run_iterate(cfg, output, encode_fn=encode_fn, parts=parts,
                          log=lambda s: click.echo(s, err=True))
    _print_results(results)
    report = write_report(Path(output), results, seconds=time.perf_counter() - t0)
    click.echo(f"\nreport -> {report}  ({time.perf_counter() - t0:.0f}s)")


@click.command("separation-probe")
@click.option("--states", "states_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSON list of {state_pp, label} (positive/negative), or a trajectory Parquet "
                   "with oracle_provable (prop).")
@click.option("--encoder", "encoder_config", type=click.Path(dir_okay=False, path_type=Path),
              help="Encoder TOML (default: configs/encoder.toml values).")
@click.option("--model", help="Override the encoder model.")
@click.option("--max-states", type=click.IntRange(10), default=2000, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@user_errors
def separation_probe(states_path, encoder_config, model, max_states, as_json) -> None:
    """Centroid L2, norm gap, delta cosine and 5-fold logistic-regression accuracy of frozen
    embeddings for labelled states."""
    import numpy as np

    from encoder_bridge.encoder import HFEncoder, load_encoder_config
    from qedjax.pipeline.separation import separation_metrics

    if not states_path.exists():
        fail(f"file not found: {states_path}")
    if states_path.suffix == ".parquet":
        from qedjax.data.trajectory import read_trajectories

        c = read_trajectories([states_path])
        pairs = {s: bool(v) for s, v in zip(c["state_pp"], c["oracle_provable"]) if s and v is not None}
        if not pairs:
            fail(f"{states_path}: no states with oracle_provable labels")
    else:
        try:
            recs = json.loads(states_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            fail(f"{states_path}: not valid JSON ({e.msg})")
        if not isinstance(recs, list) or not all(isinstance(r, dict) and "state_pp" in r and "label" in r
                                                 for r in recs):
            fail(f"{states_path}: expected a list of {{state_pp, label}} records")
        pairs = {r["state_pp"]: r["label"] in ("positive", True, 1, "provable") for r in recs}
    states = list(pairs)
    if len(states) > max_states:
        rng = np.random.default_rng(0)
        states = [states[i] for i in sorted(rng.choice(len(states), max_states, replace=False))]
    labels = np.array([pairs[s] for s in states])
    enc = HFEncoder(load_encoder_config(encoder_config, model=model))
    emb = enc.encode(states)
    try:
        m = separation_metrics(emb, labels)
    except ValueError as e:
        fail(str(e))
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
