"""Evaluation summaries and comparisons: the one eval JSON shape, the one compare, and trajectory tools.

Every eval JSON (``qed eval``, the demo's, ``qed iterate``'s) has burn-qed's ``IterationResult`` shape:
``solved``/``total``/``rate`` at the largest budget, ``budgets`` (solved/total/rate per budget),
``per_theorem`` rows (``name``, ``proved``, ``expansions_to_proof``, ``proof``, …), ``ebm_path``,
``llm_path``, pass@n, and search statistics.

Comparison rule (one rule, everywhere): two evals are compared on the theorems **both** contain;
theorems present in only one file are reported as ``only_in_a``/``only_in_b`` and never counted as
gained or lost. Per-budget counts are recomputed over the common theorems from the per-theorem rows.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from qedjax.data.trajectory import read_trajectories
from qedjax.errors import DataError
from qedjax.interfaces import ProofComplete
from qedjax.io import read_json

# -- eval result ----------------------------------------------------------------------------------


def solved_within(row: dict, budget: int) -> bool:
    """Whether a per-theorem row (ours or burn-qed's) was proved within ``budget`` expansions."""
    if not row.get("proved"):
        return False
    used = row.get("expansions_to_proof")
    return used is None or used <= budget


def eval_result(rows_by_attempt: Sequence[Sequence[dict]], budgets: Sequence[int], meta: dict,
                stats: dict | None = None) -> dict:
    """burn-qed's IterationResult shape, plus solved/total/rate per budget, pass@n and search stats.

    ``rows_by_attempt``: per attempt (pass@n), the runner's per-theorem rows (``theorem``, ``proved``,
    ``expansions_to_proof``, ``nodes_expanded``, ``wall_time_ms``, ``failure_reason``, ``proof``)."""
    budgets = sorted(set(int(b) for b in budgets))
    if not budgets:
        raise DataError("no budgets given")
    names = [r["theorem"] for r in rows_by_attempt[0]]
    per: dict[str, list[dict]] = {n: [] for n in names}
    for rows in rows_by_attempt:
        for r in rows:
            per.setdefault(r["theorem"], []).append(r)

    def solved_at(rs: list[dict], b: int) -> bool:
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
        "value": meta.get("value"), "benchmark": meta.get("benchmark", ""), "total_theorems": total,
        "max_rounds": budgets[-1], "solved": top["solved"], "total": total, "rate": top["rate"],
        "avg_nodes": statistics.fmean(nodes) if nodes else 0.0,
        "avg_time_secs": statistics.fmean(times) if times else 0.0,
        "median_time_secs": statistics.median(times) if times else 0.0,
        "pass_n": len(rows_by_attempt), "budgets": per_budget, "per_theorem": per_theorem,
        "search_stats": stats or {}, "config": meta.get("config", {}),
    }


def load_eval(path: str | Path) -> dict:
    """Read an eval JSON (ours or burn-qed's IterationResult); one-line DataError when it is not one."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"eval file not found: {p}")
    data = read_json(p)
    if not isinstance(data, dict) or not isinstance(data.get("per_theorem"), list):
        raise DataError(f"{p}: not an eval result (no 'per_theorem' list)")
    for i, t in enumerate(data["per_theorem"]):
        if not isinstance(t, dict) or "name" not in t or "proved" not in t:
            raise DataError(f"{p}: per_theorem #{i + 1} lacks 'name' or 'proved'")
        if not isinstance(t["name"], str):
            raise DataError(f"{p}: per_theorem #{i + 1}: 'name' is not a string")
    budgets = data.get("budgets") or []
    if not isinstance(budgets, list) or not all(
            not isinstance(b, dict) or "budget" not in b
            or (isinstance(b["budget"], int) and not isinstance(b["budget"], bool)) for b in budgets):
        raise DataError(f"{p}: 'budgets' must be a list of {{budget: integer, …}} rows")
    if data.get("max_rounds") is not None and not isinstance(data["max_rounds"], int):
        raise DataError(f"{p}: 'max_rounds' must be an integer")
    return data


def _budgets_of(result: dict) -> list[int]:
    bs = [int(b["budget"]) for b in result.get("budgets") or [] if isinstance(b, dict) and "budget" in b]
    if not bs and result.get("max_rounds") is not None:
        bs = [int(result["max_rounds"])]
    return sorted(set(bs))


def compare(a: dict, b: dict) -> dict:
    """B relative to A on their common theorems: solved per shared budget, Δ pp, gained and lost."""
    pa = {t["name"]: t for t in a["per_theorem"]}
    pb = {t["name"]: t for t in b["per_theorem"]}
    common = sorted(set(pa) & set(pb))
    budgets = sorted(set(_budgets_of(a)) & set(_budgets_of(b)))
    rows = []
    n = len(common)
    for budget in budgets:
        sa = sum(solved_within(pa[t], budget) for t in common)
        sb = sum(solved_within(pb[t], budget) for t in common)
        rows.append({"budget": budget, "a_solved": sa, "b_solved": sb, "total": n,
                     "a_rate": sa / n if n else 0.0, "b_rate": sb / n if n else 0.0,
                     "delta_pp": 100.0 * (sb - sa) / n if n else 0.0})
    top = budgets[-1] if budgets else None
    won = (lambda t, r: solved_within(r[t], top)) if top is not None else (lambda t, r: bool(r[t]["proved"]))
    return {
        "rows": rows, "common_theorems": n,
        "gained": [t for t in common if won(t, pb) and not won(t, pa)],
        "lost": [t for t in common if won(t, pa) and not won(t, pb)],
        "only_in_a": sorted(set(pa) - set(pb)), "only_in_b": sorted(set(pb) - set(pa)),
    }


def headroom(policy: int, value: int, ceiling: int) -> float | None:
    """(value − policy) / (ceiling − policy): the share of the gap to a perfect value that is closed."""
    if ceiling <= policy:
        return None
    return (value - policy) / (ceiling - policy)


def solved_by_tier(result: dict, tiers: dict[str, object], budgets: Sequence[int]) -> dict[str, list[int]]:
    """Per tier (each theorem's tier from ``tiers``, e.g. its difficulty), the theorems of ``result``'s
    per-theorem rows solved within each of ``budgets``. Theorems without a tier are left out."""
    out: dict[str, list[int]] = {}
    for row in result.get("per_theorem") or []:
        tier = tiers.get(row["name"])
        if tier is None:
            continue
        counts = out.setdefault(str(tier), [0] * len(budgets))
        for i, b in enumerate(budgets):
            counts[i] += solved_within(row, b)
    return out


# -- trajectories ---------------------------------------------------------------------------------


def trajectory_stats(paths: Sequence[str | Path]) -> dict:
    """Counts and means over trajectory Parquet files (ours or burn-qed's)."""
    c = read_trajectories(paths)
    names = c["theorem_name"].astype(str)
    proved = set(names[c["is_proof_complete"].astype(bool)])
    nonterm = c["state_pp"] != ""
    pos = (c["label"] == "positive") & nonterm
    neg = (c["label"] == "negative") & nonterm
    scored = ~np.isnan(c["ebm_score"])
    n = len(names)
    out = {
        "files": [str(p) for p in paths], "theorems": int(len(set(names))),
        "proved": len(proved), "nodes": int(n), "positives": int(pos.sum()),
        "negatives": int(neg.sum()), "terminal": int((~nonterm).sum()),
        "max_depth": int(c["depth_from_root"].max()) if n else 0,
        "mean_depth": float(c["depth_from_root"].mean()) if n else 0.0,
        "ebm_scored_fraction": float(scored.mean()) if n else 0.0,
        "mean_llm_log_prob": float(np.nanmean(c["llm_log_prob"])) if n else 0.0,
    }
    prov = c["oracle_provable"]
    known = np.array([v is not None for v in prov], bool)
    if known.any():
        out["oracle_provable_fraction"] = float(np.mean([bool(v) for v in prov[known]]))
        kn = known & neg
        out["negatives_provable_fraction"] = (float(np.mean([bool(v) for v in prov[kn]]))
                                              if kn.any() else None)
    return out


def probe_theorems(env, theorems, tactics: Sequence[str]) -> tuple[list[dict], list[dict]]:
    """Try each probe tactic alone on each theorem's initial state: (easy rows, hard rows). A theorem
    whose session cannot start is hard, with ``probe_error``."""
    easy, hard = [], []
    for t in theorems:
        base = {**t.extra, "name": t.name, "statement": t.statement}
        try:
            session = env.start(t)
        except Exception as e:  # noqa: BLE001 - a theorem that cannot start is hard, with the reason
            hard.append({**base, "probe_error": f"{type(e).__name__}: {e}"})
            continue
        try:
            closer = next((tac for tac in tactics
                           if isinstance(session.apply(session.initial_state, tac), ProofComplete)), None)
        finally:
            session.close()
        (easy if closer else hard).append({**base, **({"probe_proof": closer} if closer else {})})
    return easy, hard
