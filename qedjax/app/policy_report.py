"""The report of expert iteration over policy and value (``[policy] train = true``): per round and per
tier, theorems solved at equal node budgets by the heuristic alone, the learned policy alone, the
learned policy + each encoder's head, and the perfect-distance ceiling with the learned policy; the
headroom in theorems (ceiling − learned policy) and the share each head captures; the policy decision;
the separation probe; the round's step times. :func:`seeds_lines` gives the same over several seeds
(``scripts/demo_seeds.py``)."""

from __future__ import annotations

import statistics
from pathlib import Path

from qedjax.io import atomic_write_text

NAMES = {"heuristic": "heuristic", "policy": "learned policy", "ceiling": "ceiling (distance)"}


def _columns(rows: list[dict]) -> tuple[list[tuple[str, str]], list[str]]:
    heads = [k for k in rows[0] if k.startswith("ebm_")]
    cols = [("heuristic", NAMES["heuristic"]), ("policy", NAMES["policy"])]
    cols += [(h, f"policy + head ({h[4:]})") for h in heads]
    if "ceiling" in rows[0]:
        cols.append(("ceiling", NAMES["ceiling"]))
    return cols, heads


def table_lines(rows: list[dict], title: str) -> list[str]:
    """One tier of one round as a markdown table."""
    if not rows:
        return []
    cols, heads = _columns(rows)
    ceiling = "ceiling" in rows[0]
    extra_heads = ["headroom (theorems)"] + [f"captured ({h[4:]})" for h in heads] if ceiling else []
    lines = [title, "", "| budget | " + " | ".join([c[1] for c in cols] + extra_heads) + " |",
             "|---:|" + "---:|" * (len(cols) + len(extra_heads))]
    for r in rows:
        cells = [f"{r[c]}/{r['total']}" for c, _ in cols]
        if ceiling:
            cells.append(str(r["headroom_theorems"]))
            cells += ["—" if r.get(f"captured_{h[4:]}") is None else f"{100 * r[f'captured_{h[4:]}']:.0f}%"
                      for h in heads]
        lines.append(f"| {r['budget']} | " + " | ".join(cells) + " |")
    return lines


def _tier_columns(row: dict) -> list[tuple[str, str]]:
    """A per-difficulty row's arms in the budget tables' order: heuristic, learned policy, the heads,
    the ceiling."""
    heads = [a for a in row if a.startswith("ebm_")]
    arms = [a for a in ("heuristic", "policy") if a in row] + heads + (["ceiling"] if "ceiling" in row else [])
    return [(a, NAMES.get(a, f"policy + head ({a[4:]})")) for a in arms]


def tier_lines(tiers: list[dict], title: str) -> list[str]:
    """Per difficulty (rows), each arm's theorems solved at every budget ("3/5/10/20" order) out of the
    tier's total, so a saturated easy tier hides nothing."""
    if not tiers:
        return []
    cols = _tier_columns(tiers[0])
    budgets = "/".join(str(b) for b in tiers[0]["budgets"])
    lines = [title + f" theorems solved at budgets {budgets}", "",
             "| difficulty | theorems | " + " | ".join(c[1] for c in cols) + " |",
             "|---:|---:|" + "---:|" * len(cols)]
    for t in tiers:
        lines.append(f"| {t['difficulty']} | {t['total']} | "
                     + " | ".join("/".join(str(v) for v in t[a]) for a, _ in cols) + " |")
    return lines


def probe_lines(probe: dict) -> list[str]:
    lines = ["| features | states (pos+neg) | centroid L2 | norm gap | delta cosine | linear probe |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, m in probe.items():
        if "centroid_l2" in m:
            lines.append(f"| {name} | {m['n_positive']}+{m['n_negative']} | {m['centroid_l2']:.3f} | "
                         f"{m['norm_gap']:.3f} | {m['delta_cosine']:.4f} | {100 * m['logreg_cv_accuracy']:.1f}% |")
    return lines


def round_seconds(seconds: dict[str, float], k: int) -> dict[str, float]:
    """Round ``k``'s recorded steps and their seconds (the references and per-policy evaluations that
    round first needed are in ``results['seconds']`` under their own names)."""
    return {name.split(".", 1)[1]: s for name, s in seconds.items() if name.startswith(f"iter{k}.")}


def report_lines(results: dict) -> list[str]:
    """Markdown: per round, the held-out table (and the hard tier's), the policy decision, the probe
    and the round's step times."""
    lines = []
    for r in results["iterations"]:
        k = r["iteration"]
        p = r["policy"]
        kept = f"the new LM of round {k}" if p["adopted"] else (
            "the heuristic" if p["from_iteration"] == 0 else f"the LM of round {p['from_iteration']}")
        lines += [f"## Round {k}", "",
                  f"Policy searching from now on: {kept}. Validation solved policy-only (per budget): new LM "
                  f"{p['candidate_valid_solved']}, kept {p['kept_valid_solved']}"
                  + ("" if p["adopted"] else "; the new LM was refused: " + "; ".join(p["reasons"]))
                  + ("; adopted with --force past the probe" if p.get("forced") else "") + ".", ""]
        if p.get("depth_bonus"):
            db = p["depth_bonus"]
            tried = lambda t: ", ".join(f"{b:g}: {v}" for b, v in t)  # noqa: E731
            lines += [f"Depth bonus chosen on the validation split: searching with {db['kept']:g}; the heuristic "
                      f"{db['heuristic']:g} ({tried(db['heuristic_tried'])}), the new LM {db['candidate']:g} "
                      f"({tried(db['candidate_tried'])}).", ""]
        lines += table_lines(r["table"], "Held-out test split, theorems solved at equal node budgets:") + [""]
        if r.get("hard_table"):
            lines += table_lines(r["hard_table"], "Hard tier (difficulty 9–12), test split:") + [""]
        if r.get("tiers"):
            lines += tier_lines(r["tiers"], "Per difficulty (test splits):") + [""]
        lines += ["Separation probe (search labels: positive vs negative training states):", ""]
        lines += probe_lines(r["probe"])
        q = r.get("quality") or {}
        if q:
            lines += ["", "Value vs the true distance (Spearman on held-out states): " + ", ".join(
                f"{name} head {v.get('spearman_distance', float('nan')):.3f}" for name, v in q.items())]
        secs = round_seconds(results.get("seconds") or {}, k)
        if secs:
            lines += ["", f"Round {k} step times (s): " + ", ".join(f"{n} {s:.0f}" for n, s in secs.items())
                      + f" = {sum(secs.values()):.0f} s"]
        lines.append("")
    rest = {n: s for n, s in (results.get("seconds") or {}).items() if not n.startswith("iter")}
    if rest:
        lines += ["Measured once per run or per policy (s): " + ", ".join(f"{n} {s:.0f}" for n, s in rest.items())
                  + f" = {sum(rest.values()):.0f} s", ""]
    return lines


def write_report(workdir: Path, results: dict) -> Path:
    out = Path(workdir) / "report_policy.md"
    atomic_write_text(out, "\n".join(["# Expert iteration over policy and value", ""] + report_lines(results)) + "\n")
    return out


def _cell(values: list) -> str:
    if any(v is None for v in values):
        return "—"
    return " / ".join(str(v) for v in values) + f" ({statistics.fmean(values):.1f})"


def seeds_lines(results: dict[int, dict]) -> list[str]:
    """Per round and tier, every arm per seed with the mean, headroom captured per head, the probe's
    linear-probe accuracy and each seed's round time (markdown)."""
    seeds = sorted(results)
    lines = []
    n_rounds = min(len(results[s]["iterations"]) for s in seeds)
    for k in range(n_rounds):
        its = {s: results[s]["iterations"][k] for s in seeds}
        for key, title in (("table", "held-out test split"), ("hard_table", "hard tier, test split")):
            if not all(its[s].get(key) for s in seeds):
                continue
            rows = {s: its[s][key] for s in seeds}
            cols, heads = _columns(rows[seeds[0]])
            lines += ["", f"Round {k + 1}, {title}: theorems solved, seeds {' / '.join(map(str, seeds))} (mean)", "",
                      "| budget | " + " | ".join(c[1] for c in cols)
                      + "".join(f" | captured ({h[4:]})" for h in heads if "ceiling" in rows[seeds[0]][0]) + " |",
                      "|---:|" + "---:|" * (len(cols) + (len(heads) if "ceiling" in rows[seeds[0]][0] else 0))]
            for i, row in enumerate(rows[seeds[0]]):
                cells = [_cell([rows[s][i].get(c) for s in seeds]) for c, _ in cols]
                if "ceiling" in row:
                    for h in heads:
                        caps = [rows[s][i].get(f"captured_{h[4:]}") for s in seeds]
                        cells.append("—" if any(c is None for c in caps) else
                                     " / ".join(f"{100 * c:.0f}" for c in caps) + f" ({100 * statistics.fmean(caps):.0f}%)")
                lines.append(f"| {row['budget']} | " + " | ".join(cells) + " |")
        if all(its[s].get("tiers") for s in seeds):
            lines += ["", f"Round {k + 1}, per difficulty at budget {its[seeds[0]]['tiers'][0]['budgets'][-1]}: "
                      f"theorems solved, seeds {' / '.join(map(str, seeds))} (mean)", ""]
            lines += _tier_seed_lines({s: its[s]["tiers"] for s in seeds})
        kept = [its[s]["policy"]["from_iteration"] for s in seeds]
        probe = [its[s]["probe"].get("candidate", {}).get("logreg_cv_accuracy") for s in seeds]
        secs = [sum(round_seconds(results[s].get("seconds") or {}, k + 1).values()) for s in seeds]
        lines += ["", f"Policy used after round {k + 1}: " + ", ".join("heuristic" if j == 0 else f"r{j}" for j in kept)
                  + "; new LM's linear probe: " + ", ".join("—" if a is None else f"{100 * a:.1f}%" for a in probe)
                  + "; round time (s): " + ", ".join(f"{t:.0f}" for t in secs)]
    return lines


def _tier_seed_lines(tiers: dict[int, list[dict]]) -> list[str]:
    """Per difficulty, each arm's solved count at the largest budget per seed with the mean (seeds whose
    runs share the theorem files have the same difficulties)."""
    seeds = sorted(tiers)
    first = tiers[seeds[0]]
    cols = _tier_columns(first[0])
    arms = [a for a, _ in cols]
    lines = ["| difficulty | theorems | " + " | ".join(c[1] for c in cols) + " |",
             "|---:|---:|" + "---:|" * len(arms)]
    for i, row in enumerate(first):
        cells = [_cell([tiers[s][i][a][-1] if a in tiers[s][i] else None for s in seeds]) for a in arms]
        lines.append(f"| {row['difficulty']} | {row['total']} | " + " | ".join(cells) + " |")
    return lines
