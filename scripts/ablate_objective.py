"""Retrain a finished run's first round with other EBM objectives, on the same data, and compare.

Takes a finished `qed demo` / `qed iterate` workdir (``--source``) and, per row, copies what does not
depend on the objective — round 1's policy-only training search, its embeddings, the held-out
references (policy only, −len(state), the perfect-distance ceiling) and their validation searches —
then runs round 1's training, temperature selection on the validation split, held-out evaluation and
value-quality measurement with that row's ``[ebm.loss]``. The ``info_nce`` row (the contrastive
objective alone) is the baseline, retrained in the same run. Every row sees the same states, seeds and
budgets; only the loss differs.

    python scripts/ablate_objective.py --source runs/demo_seed0 --seed 0 --root runs/objective
    python scripts/ablate_objective.py --source runs/demo_bf16 --config configs/demo_bf16.toml --seed 0

Rows: ``info_nce`` (InfoNCE + 0.3 × depth regression), ``+dist<w>`` (plus w × the distance loss on
hindsight bounds), ``distance`` (the distance loss alone, on states drawn uniformly); ``truth:<row>``
feeds that row's distance loss the true distance of every state instead of hindsight bounds (the
upper bound for this encoder and head; measurement only, the labels come from the environment's
shortest-proof search); a row may end in
modifiers of the head and its training, e.g. ``+dist10~drop0.3~wd0.1~steps1500`` (dropout, AdamW
weight decay, optimizer steps). Files are
hard-linked from the source where possible (nothing in the source is modified).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# steps of the source's manifest that do not depend on the EBM objective
REUSED_STEPS = ("eval_policy_only", "valid_policy_only", "eval_value_", "ref_", "iter1.search", "iter1.encode")


TRUTH = "truth:"


def row_config(name: str, base):
    """The row's config: its objective, then any ``~`` modifiers of the head and its training."""
    head, *mods = name.removeprefix(TRUTH).split("~")
    ebm = dataclasses.replace(base.ebm, loss=row_loss(head, base.ebm.loss))
    for mod in mods:
        for prefix, section, key, kind in (("drop", "model", "dropout", float), ("wd", "train", "weight_decay", float),
                                           ("steps", "train", "total_steps", int)):
            if mod.startswith(prefix):
                try:
                    value = kind(mod[len(prefix):])
                except ValueError:
                    raise SystemExit(f"row {name!r}: {mod!r} needs a number after {prefix!r}") from None
                ebm = dataclasses.replace(ebm, **{section: dataclasses.replace(getattr(ebm, section), **{key: value})})
                break
        else:
            raise SystemExit(f"row {name!r}: unknown modifier {mod!r} (drop<rate>, wd<decay>, steps<n>)")
    return dataclasses.replace(base, ebm=ebm)


def row_loss(name: str, base):
    if name == "info_nce":
        return dataclasses.replace(base, kind="info_nce", distance_weight=0.0)
    if name == "distance":
        return dataclasses.replace(base, kind="distance", distance_weight=0.0)
    if name.startswith("+dist"):
        return dataclasses.replace(base, kind="info_nce", distance_weight=float(name[len("+dist"):]))
    raise SystemExit(f"unknown row {name!r} (info_nce, +dist<weight>, distance)")


def fork(source: Path, dest: Path, config) -> None:
    """A workdir holding the source's objective-independent steps, for ``config``."""
    from qedjax.config import to_dict

    if dest.exists():
        shutil.rmtree(dest)

    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    dest.mkdir(parents=True)
    for name in ("eval_policy", "eval_length", "eval_distance", "eval_embeddings.parquet.partial",
                 "valid_embeddings.parquet.partial"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, copy_function=link)
    for name in ("embeddings.parquet", "eval_policy.json", "eval_length.json", "eval_distance.json",
                 "eval_embeddings.parquet", "valid_embeddings.parquet"):
        if (source / name).exists():
            link(source / name, dest / name)
    valid = source / "valid"
    if valid.is_dir():
        for sub in valid.iterdir():
            if not sub.name.startswith("iter"):
                shutil.copytree(sub, dest / "valid" / sub.name, copy_function=link)
    (dest / "iter1").mkdir()
    for f in (source / "iter1").iterdir():
        if f.is_file() and f.name.startswith(("search.parquet", "train_traj.parquet")):
            link(f, dest / "iter1" / f.name)
    manifest = json.loads((source / "manifest.json").read_text())
    manifest["steps"] = {k: v for k, v in manifest["steps"].items() if k.startswith(REUSED_STEPS)}
    manifest["config"] = to_dict(config)
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1))


@contextlib.contextmanager
def truth_bounds(workdir: Path, cap: float):
    """Row (a) of the issue: the distance loss fed the true remaining distance of every state of round
    1's search trees (the environment's shortest-proof search) instead of hindsight bounds: what this
    encoder and head could learn with perfect labels. Measurement only: the distances are computed
    here, before training starts, and handed to it in place of ``search_bounds``."""
    import qedjax.app.iterate as iterate
    from qedjax.data.trajectory import read_trajectories
    from qedjax.envs.prop.distance import PropDistance

    states = sorted({s for s in read_trajectories([workdir / "iter1" / "search.parquet"])["state_pp"] if s})
    d = PropDistance().many(states)
    truth = {s: ((float(min(x, cap)), float(x)) if np.isfinite(x) and x <= cap else (float(cap), math.inf))
             for s, x in zip(states, d)}
    real = iterate.search_bounds
    iterate.search_bounds = lambda paths: truth
    try:
        yield
    finally:
        iterate.search_bounds = real


def same_run(source_cfg: dict, cfg) -> bool:
    from qedjax.app.iterate import _identity
    from qedjax.config import to_dict

    a, b = _identity(source_cfg), _identity(to_dict(cfg))
    for d in (a, b):
        d.get("ebm", {}).pop("loss", None)
    return a == b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, required=True, help="a finished qed demo / qed iterate workdir")
    ap.add_argument("--config", help="the config the source was run with (default: the built-in demo)")
    ap.add_argument("--seed", type=int, default=0, help="the seed the source was run with")
    ap.add_argument("--rows", default="info_nce,+dist1,+dist3,+dist10,distance")
    ap.add_argument("--root", type=Path, default=Path("runs/objective"))
    args = ap.parse_args()

    from qedjax.app.iterate import load_iterate_config, run_iterate
    from qedjax.versions import versions

    src = args.source
    if not (src / "manifest.json").exists() or not (src / "iter1" / "search.parquet").exists():
        raise SystemExit(f"{src}: not a finished qed demo / qed iterate workdir (no manifest.json or iter1/)")
    base = load_iterate_config(args.config, seed=args.seed, iterations=1)
    source_cfg = json.loads((src / "manifest.json").read_text())["config"]
    if not same_run(source_cfg, base):
        raise SystemExit(f"{src} was run with other settings than --config {args.config or '(built-in)'} "
                         f"--seed {args.seed} (apart from the loss)")
    v = versions()
    print(f"# {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; jax {v.get('jax')}, torch {v.get('torch')}; source {src}, seed {args.seed}")
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    configs = {name: row_config(name, base) for name in rows}  # every row checked before any runs
    for name, cfg in configs.items():
        if name.startswith(TRUTH):
            from qedjax.ebm.train import uses_bounds

            if not uses_bounds(cfg.ebm.loss):
                raise SystemExit(f"row {name!r}: a truth row needs a distance term (+dist<w> or distance)")
    out = {}
    for name in rows:
        cfg = configs[name]
        dest = args.root / f"seed{args.seed}" / name
        t0 = time.perf_counter()
        fork(src, dest, cfg)
        if name.startswith(TRUTH):
            with truth_bounds(dest, cfg.ebm.loss.cap):
                res = run_iterate(cfg, dest, log=lambda s: None)
        else:
            res = run_iterate(cfg, dest, log=lambda s: None)
        it = res["iterations"][0]
        out[name] = {"table": it["table"], "spearman": it["quality"].get("spearman_distance"),
                     "spearman_provable": it["quality"].get("spearman_distance_provable"),
                     "sibling_rank1": it["quality"].get("rank1_energy"),
                     "valid_solved": it["valid_solved"], "t_ebm": it["t_ebm"],
                     "seconds": round(time.perf_counter() - t0, 1)}
        print(f"  {name}: {[r['ebm'] for r in it['table']]} in {out[name]['seconds']} s", flush=True)
    (args.root / f"seed{args.seed}" / "results.json").write_text(json.dumps(out, indent=1))
    first = next(iter(out.values()))["table"]
    budgets = [r["budget"] for r in first]
    print()
    print("references: " + "; ".join(
        f"{key} {'/'.join(str(r[key]) for r in first)}" for key in ("policy_only", "length", "distance")
        if key in first[0]) + f" (budgets {'/'.join(map(str, budgets))})")
    w = max(10, *(len(r) for r in rows))
    print(f"{'objective':<{w}} {'solved at ' + '/'.join(map(str, budgets)):>22} {'headroom @' + str(budgets[-1]):>13} "
          f"{'Spearman':>9} {'(provable)':>10} {'sib. rank-1':>11} {'valid @' + str(budgets[-1]):>9} {'vs ' + rows[0] + ' @' + str(budgets[-1]):>16}")
    ref = out[rows[0]]["table"][-1]["ebm"]
    for name, r in out.items():
        t = r["table"]
        hr = t[-1].get("headroom")
        print(f"{name:<{w}} {'/'.join(str(x['ebm']) for x in t):>22} "
              f"{(f'{100 * hr:.0f}%' if hr is not None else '–'):>13} {r['spearman']:>9.3f} "
              f"{r['spearman_provable']:>10.3f} {r.get('sibling_rank1') or float('nan'):>11.3f} {r['valid_solved'][-1]:>9} {t[-1]['ebm'] - ref:>+16d}")


if __name__ == "__main__":
    main()
