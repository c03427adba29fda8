"""``qed prop``: generate the prop benchmark and replay proofs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import fail, user_errors


@click.group()
def prop() -> None:
    """The embedded propositional-logic environment (Lean 4 syntax, truth-table oracle)."""


@prop.command("gen")
@click.option("--output", "output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write benchmark.json into (created if missing).")
@click.option("--seed", default=0, show_default=True, help="Generator seed (same seed, same benchmark).")
@click.option("--count", default=2400, show_default=True, help="Number of theorems, spread evenly "
              "over the difficulties.")
@click.option("--max-difficulty", default=8, show_default=True, type=click.IntRange(1, 12),
              help="Largest shortest-proof length to include.")
@click.option("--min-difficulty", default=1, show_default=True, type=click.IntRange(1, 12))
@click.option("--overwrite", is_flag=True, help="Replace an existing benchmark.json.")
@user_errors
def gen(output: Path, seed: int, count: int, max_difficulty: int, min_difficulty: int,
        overwrite: bool) -> None:
    """Generate a seeded benchmark: theorems, difficulty (shortest proof), split and one proof.

    Output is a burn-qed theorem index (`{"theorems": [{"name", "statement", ...}]}`) with the extra
    fields `difficulty`, `split` (train/valid/test, by theorem) and `proof`.
    """
    from tqdm import tqdm

    from qedjax.envs.prop.bench import generate, iter_difficulties, write_index
    from qedjax.paths import check_output_dir

    check_output_dir(output)
    target = output / "benchmark.json"
    if target.exists() and not overwrite:
        fail(f"{target} exists; pass --overwrite to replace it")
    if min_difficulty > max_difficulty:
        fail("--min-difficulty must not exceed --max-difficulty")
    bar = tqdm(total=count, desc="theorems", unit="thm", disable=None)
    last = [0]

    def progress(n: int) -> None:
        bar.update(n - last[0])
        last[0] = n

    theorems = generate(seed=seed, count=count, max_difficulty=max_difficulty,
                        min_difficulty=min_difficulty, progress=progress)
    bar.close()
    meta = {"generator": "qedjax.envs.prop.bench", "seed": seed, "count": count,
            "min_difficulty": min_difficulty, "max_difficulty": max_difficulty}
    write_index(theorems, target, meta)
    hist = ", ".join(f"d{d}: {n}" for d, n in iter_difficulties(theorems))
    splits = {s: sum(t.split == s for t in theorems) for s in ("train", "valid", "test")}
    click.echo(f"wrote {len(theorems)} theorems to {target} ({hist}; "
               f"train {splits['train']}, valid {splits['valid']}, test {splits['test']})")
    if len(theorems) < count:
        click.echo(f"note: only {len(theorems)} of {count} requested theorems were found within "
                   "the attempt budget", err=True)


def _read_records(path: Path) -> list[dict]:
    if not path.exists():
        fail(f"file not found: {path}")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            fail(f"{path}: not valid JSON ({e.msg} at line {e.lineno})")
        rows = data.get("theorems") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            fail(f"{path}: expected a list of records or an object with 'theorems'")
        return rows
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            fail(f"{path}:{lineno}: not valid JSON ({e.msg})")
    return records


@prop.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record on stdout.")
@click.option("--allow-tauto", is_flag=True, help="Enable the `tauto` tactic (off by default).")
@user_errors
def check(file: Path, as_json: bool, allow_tauto: bool) -> None:
    """Replay proofs: FILE holds records {"statement": "...", "tactics": ["...", ...]}.

    FILE is JSONL (one record per line) or a theorem-index JSON whose records carry `proof`.
    Prints `proved` or the failing step with its Lean-style message per record; exits 0 when all
    records are proved, 1 otherwise, 2 when the file itself is malformed.
    """
    from qedjax.envs.prop.env import PropEnvironment
    from qedjax.errors import ParseError
    from qedjax.interfaces import Failed, ProofComplete, Success, Theorem

    records = _read_records(file)
    env = PropEnvironment(allow_tauto=allow_tauto)
    n_ok = 0
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not isinstance(rec.get("statement"), str):
            fail(f"{file}: record #{i + 1} has no 'statement' string")
        tactics = rec.get("tactics", rec.get("proof"))
        if not isinstance(tactics, list) or not all(isinstance(t, str) for t in tactics):
            fail(f"{file}: record #{i + 1} has no 'tactics' list of strings")
        name = rec.get("name", f"#{i + 1}")
        result: dict = {"name": name, "statement": rec["statement"]}
        try:
            session = env.start(Theorem(name, rec["statement"]))
        except ParseError as e:
            result.update(status="error", step=None, message=f"cannot parse statement: {e.message}")
        else:
            state = session.initial_state
            result.update(status="incomplete", step=None,
                          message=f"unsolved goals ({state.num_goals})\n{state.pp}")
            for k, tac in enumerate(tactics):
                r = session.apply(state, tac)
                if isinstance(r, Success):
                    state = r.state
                    result["message"] = f"unsolved goals\n{state.pp}"
                    continue
                if isinstance(r, ProofComplete):
                    if k == len(tactics) - 1:
                        result.update(status="proved", message=None)
                    else:
                        result.update(status="failed", step=k + 1, tactic=tactics[k + 1],
                                      message="no goals to be proved")
                    break
                assert isinstance(r, Failed)
                result.update(status="failed", step=k + 1, tactic=tac, message=r.error)
                break
        n_ok += result["status"] == "proved"
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        elif result["status"] == "proved":
            click.echo(f"{name}: proved")
        else:
            where = f" at step {result['step']} ({result.get('tactic')!r})" if result.get("step") else ""
            msg = (result.get("message") or "").replace("\n", "\n    ")
            click.echo(f"{name}: {result['status']}{where}\n    {msg}")
    if not as_json:
        click.echo(f"{n_ok}/{len(records)} proved", err=True)
    sys.exit(0 if n_ok == len(records) else 1)
