"""``qed encode``: states → embedding cache (incremental, resumable, provenance-checked)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import claim_output, fail, int_range, on_interrupt, output_file, setting_type, user_errors


def _kept(output: Path) -> tuple[str, bool]:
    """What an interrupted encode keeps: the shards finished so far (the same command resumes)."""
    import pyarrow.parquet as pq

    from qedjax.data.embeddings import shard_dir

    partial = shard_dir(output)
    n = sum(pq.read_metadata(p).num_rows for p in partial.glob("shard-*.parquet")) if partial.is_dir() else 0
    if not n:
        return "no new embeddings were stored", False
    return f"{n} new embeddings stored for {output}; the same command continues from them", True


@click.command("encode")
@click.option("--input", "inputs", multiple=True, required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Trajectory Parquet, or JSON/JSONL records with 'state_pp' (repeatable).")
@click.option("--output", required=True, type=output_file(),
              help="Embedding-cache Parquet; extended in place when it exists.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Encoder TOML (default: configs/encoder.toml values).")
@click.option("--model", help="Packaged model name, local HF directory, or hub id.")
@click.option("--template", help="Prompt template id (raw, deepseek-prover, reprover).")
@click.option("--normalizer", help="Text normaliser id (lean-ascii, none).")
@click.option("--dtype", type=click.Choice(["auto", "float32", "bfloat16", "float16"]),
              help="auto (the default): the dtype measured fastest on this machine (cached per machine).")
@click.option("--quantize", type=click.Choice(["none", "int8-dynamic"]),
              help="int8-dynamic: faster CPU encoding (recorded in provenance; never mixed with float32).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]))
@click.option("--batch-size", type=setting_type("encoder_bridge.encoder:EncoderConfig", "batch_size", "integer"))
@click.option("--max-length", type=setting_type("encoder_bridge.encoder:EncoderConfig", "max_length", "integer"))
@click.option("--overwrite", is_flag=True,
              help="Start a fresh cache even if OUTPUT was made by another encoder configuration.")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: split the states over Ray encoder actors (one per GPU; one per node without GPUs).")
@click.option("--ray-address", help="Join this Ray cluster (HOST:PORT, or auto) with --executor ray.")
@click.option("--devices", type=int_range(1), help="Encoder actors with --executor ray (default: every "
                                                          "GPU of the cluster, or one per node).")
@click.option("--allow-pickle", is_flag=True,
              help="Load a model whose weights are pickled (pytorch_model.bin): this runs code from the "
                   "file, so only for weights you trust. Default: safetensors only.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@user_errors
def encode(inputs, output, config_path, model, template, normalizer, dtype, quantize, device, batch_size,
           max_length, overwrite, executor, ray_address, devices, allow_pickle, quiet) -> None:
    """Embed proof states with a frozen encoder into a Parquet cache.

    Cached states are skipped; a killed run resumes from its last shard; a cache made by another
    encoder (model, revision, dtype, pooling, template, normaliser, max_length, dim) is refused.
    With --executor ray the states are split over encoder actors into the same cache.
    """
    from tqdm import tqdm

    from encoder_bridge.cache import check_cache_output, encode_to_cache, read_states
    from encoder_bridge.encoder import HFEncoder, load_encoder_config

    claim_output(output)  # never an input; one encode into a cache at a time
    check_cache_output(output, inputs)  # never a file that is not a cache
    cfg = load_encoder_config(config_path, model=model, template=template, normalizer=normalizer,
                              dtype=dtype, quantize=quantize, device=device, batch_size=batch_size,
                              max_length=max_length, allow_pickle=allow_pickle or None)
    if executor == "local" and (ray_address or devices):
        fail("--ray-address and --devices need --executor ray")
    states = read_states(inputs)
    if executor == "ray":
        from encoder_bridge.distributed import RayEncoderPool

        encoder = RayEncoderPool(cfg, actors=devices, address=ray_address,
                                 log=lambda s: click.echo(s, err=True))
    else:
        encoder = HFEncoder(cfg)
        if not quiet:
            click.echo(f"precision: {encoder.precision.line()}", err=True)
    on_interrupt(lambda: _kept(output), resume_flag=None)
    distinct = len(set(states))
    bar = tqdm(total=distinct, desc="encode", unit="state", disable=True if quiet else None,
               dynamic_ncols=True)
    summary = encode_to_cache(encoder, states, output, overwrite=overwrite,
                              checkpoint_every=cfg.checkpoint_every, progress=bar.update)
    bar.close()
    click.echo(summary.line())
