"""``qed prop``: generate the prop benchmark and replay proofs."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

from .common import claim_output, fail, int_range, output_dir, seed_type, user_errors


@click.group()
def prop() -> None:
    """The embedded propositional-logic environment (Lean 4 syntax, truth-table oracle)."""


@prop.command("gen")
@click.option("--output", "output", required=True, type=output_dir(),
              help="Directory to write benchmark.json into (created if missing).")
@click.option("--seed", default=0, show_default=True, type=seed_type(),
              help="Generator seed (same seed, same benchmark).")
@click.option("--count", default=2400, show_default=True, type=int_range(1, 10_000_000),
              help="Number of theorems, spread evenly over the difficulties.")
@click.option("--max-difficulty", default=8, show_default=True, type=click.IntRange(1, 12),
              help="Largest shortest-proof length to include.")
@click.option("--min-difficulty", default=1, show_default=True, type=click.IntRange(1, 12))
@click.option("--solver", type=click.Choice(["bfs", "distance"]), default="bfs", show_default=True,
              help="How shortest proofs are found: bfs (the shipped tiers 1-8) or distance (AND/OR search "
                   "with a shared memo, the same lengths; for difficulties 9-12, the hard tier).")
@click.option("--split-fractions", default="0.8,0.1,0.1", show_default=True,
              help="train,valid,test shares of each difficulty (the hard tier: 1,1,1 for equal thirds).")
@click.option("--overwrite", is_flag=True, help="Replace an existing benchmark.json.")
@user_errors
def gen(output: Path, seed: int, count: int, max_difficulty: int, min_difficulty: int, solver: str,
        split_fractions: str, overwrite: bool) -> None:
    """Generate a seeded benchmark: theorems, difficulty (shortest proof), split and one proof.

    Output is a burn-qed theorem index (`{"theorems": [{"name", "statement", ...}]}`) with the extra
    fields `difficulty`, `split` (train/valid/test, by theorem) and `proof`.
    """
    from tqdm import tqdm

    from qedjax.envs.prop.bench import generate, iter_difficulties, write_index

    # a failed run leaves no folder it made (benchmark.json is written last, whole)
    claim_output(output, kind="dir", leftovers=lambda folder: not (folder / "benchmark.json").exists())
    target = output / "benchmark.json"
    if target.exists() and not overwrite:
        fail(f"{target} exists; pass --overwrite to replace it")
    if min_difficulty > max_difficulty:
        fail("--min-difficulty must not exceed --max-difficulty")
    try:
        shares = [float(x) for x in split_fractions.split(",")]
    except ValueError:
        shares = []
    if len(shares) != 3 or not math.isfinite(sum(shares)) or min(shares) < 0 or sum(shares) <= 0:  # NaN, inf
        fail(f"--split-fractions {split_fractions!r}: expected three non-negative numbers (train,valid,test)")
    fractions = tuple(x / sum(shares) for x in shares)
    bar = tqdm(total=count, desc="theorems", unit="thm", disable=None)
    last = [0]

    def progress(n: int) -> None:
        bar.update(n - last[0])
        last[0] = n

    theorems = generate(seed=seed, count=count, max_difficulty=max_difficulty,
                        min_difficulty=min_difficulty, progress=progress, solver=solver, fractions=fractions)
    bar.close()
    # the key order of the shipped data/benchmark.json, so `qed prop gen --seed 0 --count 2400` rewrites it
    # byte for byte
    meta = {"generator": "qedjax.envs.prop.bench", "seed": seed, "count": count,
            "max_difficulty": max_difficulty, "min_difficulty": min_difficulty,
            **({"solver": solver} if solver != "bfs" else {}),
            **({"split_fractions": list(fractions)} if split_fractions != "0.8,0.1,0.1" else {})}
    write_index(theorems, target, meta)
    hist = ", ".join(f"d{d}: {n}" for d, n in iter_difficulties(theorems))
    splits = {s: sum(t.split == s for t in theorems) for s in ("train", "valid", "test")}
    click.echo(f"wrote {len(theorems)} theorems to {target} ({hist}; "
               f"train {splits['train']}, valid {splits['valid']}, test {splits['test']})")
    if len(theorems) < count:
        click.echo(f"note: only {len(theorems)} of {count} requested theorems were found within "
                   "the attempt budget", err=True)


@prop.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per declaration on stdout.")
@click.option("--allow-tauto", is_flag=True, help="Enable the `tauto` tactic (off by default).")
@click.option("--auto-implicit/--no-auto-implicit", default=None,
              help="The project's `autoImplicit` option, as its lakefile sets it (default: not known, so "
                   "unbound names in headers are refused); a `set_option` in the file overrides it.")
@click.option("--relaxed-auto-implicit/--no-relaxed-auto-implicit", default=None,
              help="The project's `relaxedAutoImplicit` (default: not known, so only lower-case names "
                   "are auto-bound).")
@user_errors
def check(file: Path, as_json: bool, allow_tauto: bool, auto_implicit: bool | None,
          relaxed_auto_implicit: bool | None) -> None:
    """Check proofs in FILE: a `.lean` file, JSONL records or a theorem-index JSON.

    A `.lean` file may hold several `theorem`/`lemma`/`example` declarations with `variable`,
    `section`/`namespace` and `open` lines; errors print as `FILE:line:col: error: ...`, like
    `lake env lean FILE`. JSONL records are {"statement", "tactics": [...]} (one element per
    top-level step) or {"statement", "proof": "by ..."}. Exits 0 when every declaration is proved,
    1 otherwise, 2 when the file itself is missing or malformed.
    """
    from qedjax.envs.prop.check import check_path

    results, file_diags = check_path(file, allow_tauto=allow_tauto, auto_implicit=auto_implicit,
                                     relaxed_auto_implicit=relaxed_auto_implicit)
    for d in file_diags:
        click.echo(d.format(str(file)))
    for r in results:
        if as_json:
            click.echo(json.dumps(r.to_json(), ensure_ascii=False))
        elif file.suffix.lower() == ".lean":
            for d in r.diagnostics:
                click.echo(d.format(str(file)))
        elif r.proved:
            click.echo(f"{r.name}: proved")
            for d in r.diagnostics:  # warnings only (an ignored set_option)
                click.echo(f"    {d.severity}: {d.message}")
        else:
            where = f" at step {r.step} ({r.tactic!r})" if r.step else ""
            for d in r.diagnostics[:1]:
                loc = f" [{d.line}:{d.column}]" if d.line else ""
                msg = d.message.replace("\n", "\n    ")
                click.echo(f"{r.name}: {r.status}{where}{loc}\n    {msg}")
    n_ok = sum(r.proved for r in results)
    if not as_json:
        click.echo(f"{n_ok}/{len(results)} proved", err=True)
    file_errors = [d for d in file_diags if d.severity == "error"]
    sys.exit(0 if n_ok == len(results) and not file_errors else 1)
