"""``qed train-ebm``, ``qed score``, ``qed export-ebm``: the energy-based value head."""

from __future__ import annotations

from pathlib import Path

import click

from qedjax.ebm.config import EBMConfig

from .common import (
    claim_output,
    fail,
    int_range,
    on_interrupt,
    output_dir,
    output_file,
    setting_type,
    user_errors,
)


def _kept_checkpoint(output: Path) -> tuple[str, bool]:
    """What an interrupted train-ebm keeps: its newest checkpoint (resumable with --resume)."""
    steps = [int(p.name) for p in (output / "checkpoints").glob("*") if p.name.isdigit()]
    if not steps:
        if (output / "meta.json").exists():
            return f"no checkpoint was saved yet in {output} (--resume starts it from step 0)", True
        return "nothing was saved yet", False
    return f"the checkpoint at step {max(steps)} in {output}", True

def _is_ebm_dir(path: Path) -> bool:
    """A folder of ``qed train-ebm`` (its meta.json, or its checkpoints)."""
    return (path / "meta.json").is_file() or (path / "checkpoints").is_dir()


_OVERRIDES = {
    "loss": "loss.kind", "k_negatives": "sampler.k_negatives", "hard_ratio": "sampler.hard_ratio",
    "medium_ratio": "sampler.medium_ratio", "dropout": "model.dropout", "lr": "train.lr",
    "batch_size": "train.batch_size", "seed": "train.seed",
}


@click.command("train-ebm")
@click.option("--trajectories", "trajectories", multiple=True, required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Trajectory Parquet file(s) (repeat the option for several).")
@click.option("--embeddings", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Embedding-cache Parquet covering every non-terminal state of the trajectories.")
@click.option("--output", required=True, type=output_dir(),
              help="Directory for checkpoints, metrics.jsonl and summary.json.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="EBM config TOML (default: built-in values of configs/ebm.toml).")
@click.option("--resume", is_flag=True, help="Continue the run in --output from its last checkpoint.")
@click.option("--steps", type=setting_type(EBMConfig, "train.total_steps"),
              help="Total optimizer steps (overrides train.total_steps).")
@click.option("--loss", type=click.Choice(["info_nce", "margin_ranking"]))
@click.option("--k-negatives", type=setting_type(EBMConfig, "sampler.k_negatives"))
@click.option("--hard-ratio", type=setting_type(EBMConfig, "sampler.hard_ratio"))
@click.option("--medium-ratio", type=setting_type(EBMConfig, "sampler.medium_ratio"))
@click.option("--dropout", type=setting_type(EBMConfig, "model.dropout"))
@click.option("--lr", type=setting_type(EBMConfig, "train.lr"))
@click.option("--batch-size", type=setting_type(EBMConfig, "train.batch_size"))
@click.option("--seed", type=setting_type(EBMConfig, "train.seed"))
@click.option("--devices", type=int_range(1),
              help="Data-parallel over this many devices (default: every visible device, on every host). "
                   "--batch-size stays the global batch, so results do not depend on it.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@user_errors
def train_ebm(trajectories, embeddings, output, config_path, resume, steps, devices, quiet,
              **overrides) -> None:
    """Train the energy head on search trajectories (contrastive + depth regression; with
    [loss] distance_weight > 0 or kind = "distance" also on hindsight bounds of each state's remaining
    proof length, computed from these trajectories: pass whole search trees, one file per search).

    Validation is split by theorem. Metrics go to OUTPUT/metrics.jsonl; orbax checkpoints to
    OUTPUT/checkpoints; the encoder provenance of the embeddings is recorded so that scoring and
    search refuse embeddings from another encoder. Each batch is split over every visible device;
    launched on several hosts (JAX_COORDINATOR_ADDRESS, JAX_NUM_PROCESSES, JAX_PROCESS_ID) it trains
    on all of them.
    """
    from qedjax.config import load_toml, replace_path

    claim_output(output, kind="dir", owned=_is_ebm_dir, owner="EBM checkpoint (meta.json)")
    cfg = load_toml(EBMConfig, config_path)
    for name, dotted in _OVERRIDES.items():
        if overrides.get(name) is not None:
            cfg = replace_path(cfg, dotted, overrides[name], where=f"--{name.replace('_', '-')}")
    from qedjax.ebm.data import load_contrastive_data  # JAX starts here, once the settings are known good
    from qedjax.ebm.train import train, uses_bounds
    data = load_contrastive_data(list(trajectories), embeddings, cfg.sampler, cfg.train.seed,
                                 distance_cap=cfg.loss.cap if uses_bounds(cfg.loss) else None)
    s = data.stats
    click.echo(f"data: {s['theorems']} theorems ({s['train_theorems']} train / {s['val_theorems']} val), "
               f"{s['positives']} positives, {s['negatives']} negatives, {s['unique_states']} states, "
               f"dim {data.dim}", err=True)
    on_interrupt(lambda: _kept_checkpoint(output))
    result = train(cfg, data, output, steps=steps, resume=resume, progress=not quiet, devices=devices,
                   extra_meta={"trajectories": [str(p) for p in trajectories],
                               "embeddings": str(embeddings)})
    click.echo(f"trained {result.steps} steps ({result.skipped} skipped as non-finite); "
               f"checkpoint in {result.output}")
    if result.final_val and cfg.loss.kind == "distance":
        v = result.final_val
        click.echo(f"validation: {v['rank_accuracy']:.3f} of the pairs the bounds order are ordered right, "
                   f"interval loss {v['interval_loss']:.3f}, energy gap (unproved − proved) {v['energy_gap']:.3f}")
    elif result.final_val:
        v, u = result.final_val, result.final_val_uniform
        k = cfg.sampler.k_negatives
        click.echo(f"validation: rank accuracy {v['rank_accuracy']:.3f} (random {1 / (k + 1):.3f}), "
                   f"pairwise {v['pairwise_accuracy']:.3f}, energy gap {v['energy_gap']:.3f}; "
                   f"uniform negatives: rank {u['rank_accuracy']:.3f}")


@click.command("score")
@click.option("--checkpoint", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="EBM directory written by `qed train-ebm`.")
@click.option("--embeddings", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Embedding-cache Parquet to score.")
@click.option("--output", type=output_file(),
              help="Write state_pp, energy to .csv/.jsonl/.parquet (default: a table on stdout).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --output file.")
@user_errors
def score(checkpoint: Path, embeddings: Path, output: Path | None, overwrite: bool) -> None:
    """Energies of the states in an embedding cache (low = provable)."""
    from qedjax.data.embeddings import check_provenance, read_embeddings
    from qedjax.data.energies import check_format, write_energies
    from qedjax.ebm.scoring import EnergyScorer

    if output is not None:
        check_format(output)
        claim_output(output, overwrite=overwrite)
    scorer = EnergyScorer.from_checkpoint(checkpoint)
    states, emb, prov = read_embeddings(embeddings)
    scorer.check(emb, prov, str(embeddings))  # shape first: the most telling mismatch
    check_provenance(scorer.provenance, prov, str(embeddings))
    energies = scorer.energies(emb, prov)
    if output is not None:
        write_energies(output, states, energies)
        click.echo(f"scored {len(states)} states -> {output}", err=True)
        return
    click.echo(f"{'energy':>12}  state_pp")
    for s, e in zip(states, energies):
        click.echo(f"{float(e):12.6f}  {s.replace(chr(10), ' ⏎ ')}")


@click.command("export-ebm")
@click.option("--checkpoint", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--output", required=True, type=output_file(),
              help="Destination .npz (keys w0.., b0.., log_temperature).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --output file.")
@user_errors
def export_ebm(checkpoint: Path, output: Path, overwrite: bool) -> None:
    """Export the head for numpy: effective kernels W/σ̂ (in, out), biases, clamped log-temperature.

    energy = f(x) / exp(log_temperature), f the SiLU MLP; see scripts/numpy_energy.py.
    """
    from qedjax.ebm.scoring import EnergyScorer, export_npz

    if output.suffix.lower() != ".npz":
        fail(f"--output {output}: expected a .npz file name")
    claim_output(output, overwrite=overwrite)
    scorer = EnergyScorer.from_checkpoint(checkpoint)
    export_npz(scorer, output)
    click.echo(f"exported {checkpoint} -> {output}")
