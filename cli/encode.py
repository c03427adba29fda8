"""``qed encode``: states → embedding cache (incremental, resumable, provenance-checked)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import fail, user_errors


@click.command("encode")
@click.option("--input", "inputs", multiple=True, required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Trajectory Parquet, or JSON/JSONL records with 'state_pp' (repeatable).")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Embedding-cache Parquet; extended in place when it exists.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Encoder TOML (default: configs/encoder.toml values).")
@click.option("--model", help="Packaged model name, local HF directory, or hub id.")
@click.option("--template", help="Prompt template id (raw, deepseek-prover, reprover).")
@click.option("--normalizer", help="Text normaliser id (lean-ascii, none).")
@click.option("--dtype", type=click.Choice(["float32", "bfloat16", "float16"]))
@click.option("--quantize", type=click.Choice(["none", "int8-dynamic"]),
              help="int8-dynamic: faster CPU encoding (recorded in provenance; never mixed with float32).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]))
@click.option("--batch-size", type=click.IntRange(1))
@click.option("--max-length", type=click.IntRange(8))
@click.option("--overwrite", is_flag=True,
              help="Start a fresh cache even if OUTPUT was made by another encoder configuration.")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: split the states over Ray encoder actors (one per GPU; one per node without GPUs).")
@click.option("--ray-address", help="Join this Ray cluster (HOST:PORT, or auto) with --executor ray.")
@click.option("--devices", type=click.IntRange(1), help="Encoder actors with --executor ray (default: every "
                                                          "GPU of the cluster, or one per node).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@user_errors
def encode(inputs, output, config_path, model, template, normalizer, dtype, quantize, device, batch_size,
           max_length, overwrite, executor, ray_address, devices, quiet) -> None:
    """Embed proof states with a frozen encoder into a Parquet cache.

    Cached states are skipped; a killed run resumes from its last shard; a cache made by another
    encoder (model, revision, dtype, pooling, template, normaliser, max_length, dim) is refused.
    With --executor ray the states are split over encoder actors into the same cache.
    """
    from tqdm import tqdm

    from encoder_bridge.cache import encode_to_cache, read_states
    from encoder_bridge.encoder import HFEncoder, load_encoder_config

    cfg = load_encoder_config(config_path, model=model, template=template, normalizer=normalizer,
                              dtype=dtype, quantize=quantize, device=device, batch_size=batch_size,
                              max_length=max_length)
    if executor == "local" and (ray_address or devices):
        fail("--ray-address and --devices need --executor ray")
    states = read_states(inputs)
    if executor == "ray":
        from encoder_bridge.distributed import RayEncoderPool

        encoder = RayEncoderPool(cfg, actors=devices, address=ray_address,
                                 log=lambda s: click.echo(s, err=True))
    else:
        encoder = HFEncoder(cfg)
    distinct = len(set(states))
    bar = tqdm(total=distinct, desc="encode", unit="state", disable=True if quiet else None,
               dynamic_ncols=True)
    summary = encode_to_cache(encoder, states, output, overwrite=overwrite,
                              checkpoint_every=cfg.checkpoint_every, progress=bar.update)
    bar.close()
    click.echo(summary.line())
