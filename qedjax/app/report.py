"""The demo report: report.md with PNG plots (matplotlib, Agg backend)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from qedjax.data.trajectory import read_trajectories
from qedjax.io import atomic_write_text


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_training(metrics_path: Path, out: Path) -> None:
    plt = _plt()
    rows = [json.loads(x) for x in metrics_path.read_text().splitlines() if x.strip()]
    tr = [r for r in rows if r.get("split") == "train"]
    va = [r for r in rows if r.get("split") == "val"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, key, title in zip(axes, ("loss", "energy_gap", "rank_accuracy"),
                              ("loss", "energy gap (neg − pos)", "rank accuracy")):
        ax.plot([r["step"] for r in tr], [r[key] for r in tr], label="train")
        if va:
            ax.plot([r["step"] for r in va], [r[key] for r in va], "o-", label="validation")
        if key == "rank_accuracy" and tr and "rank_random_baseline" in tr[-1]:
            ax.axhline(tr[-1]["rank_random_baseline"], color="gray", ls="--", label="random")
        ax.set_title(title)
        ax.set_xlabel("step")
        ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


LABELS = {"policy_only": "policy only", "length": "−len(state) (hand-made)", "ebm": "policy + EBM",
          "distance": "perfect distance (ceiling)"}


def plot_budgets(table: list[dict], out: Path) -> None:
    plt = _plt()
    b = [r["budget"] for r in table]
    fig, ax = plt.subplots(figsize=(6.0, 4.0))
    for key, marker in (("policy_only", "o-"), ("length", "^--"), ("ebm", "s-"), ("distance", "k:")):
        if all(r.get(key) is not None for r in table):
            ax.plot(b, [100 * r[key] / r["total"] for r in table], marker, label=LABELS[key])
    for r in table:
        if r.get("headroom") is not None:
            ax.annotate(f"{100 * r['headroom']:.0f}%", (r["budget"], 100 * r["ebm"] / r["total"]),
                        textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xticks(b)
    ax.set_xticklabels([str(x) for x in b])
    ax.xaxis.set_minor_locator(__import__("matplotlib").ticker.NullLocator())
    ax.set_xlabel("node expansions per theorem")
    ax.set_ylabel("held-out theorems solved (%)")
    ax.set_title("labels on the EBM curve: headroom captured", fontsize=9)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def table_lines(table: list[dict]) -> list[str]:
    """The held-out results as a markdown table (the same columns the CLI prints)."""
    keys = [k for k in ("policy_only", "length", "ebm", "distance") if all(r.get(k) is not None for r in table)]
    head = "| budget | " + " | ".join(LABELS[k] for k in keys) + " | headroom captured |"
    lines = [head, "|---:|" + "---:|" * (len(keys) + 1)]
    for r in table:
        cells = [f"{r[k]}/{r['total']} ({100 * r[k] / r['total']:.1f}%)" for k in keys]
        h = r.get("headroom")
        lines.append(f"| {r['budget']} | " + " | ".join(cells) + f" | {'—' if h is None else f'{100 * h:.0f}%'} |")
    return lines


def plot_energy_hist(traj: Path, out: Path) -> None:
    plt = _plt()
    c = read_trajectories([traj])
    mask = (c["state_pp"] != "") & ~np.isnan(c["ebm_score"])
    prov = np.array([v is True for v in c["oracle_provable"]])
    unprov = np.array([v is False for v in c["oracle_provable"]])
    energy = -c["ebm_score"]
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    if not mask.any():
        ax.text(0.5, 0.5, "no scored states", ha="center", va="center")
        fig.savefig(out, dpi=110)
        plt.close(fig)
        return
    bins = np.linspace(np.nanmin(energy[mask]), np.nanmax(energy[mask]), 40)
    ax.hist(energy[mask & prov], bins=bins, alpha=0.6, density=True, label="oracle: provable")
    ax.hist(energy[mask & unprov], bins=bins, alpha=0.6, density=True, label="oracle: unprovable")
    ax.set_xlabel("energy (low = provable)")
    ax.set_ylabel("density")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def step_time_lines(seconds: dict[str, float]) -> list[str]:
    """One line per part of the run (its start, the references, then each round): its steps' seconds and
    their sum."""
    groups: dict[str, list[tuple[str, float]]] = {}
    for name, s in seconds.items():
        head, _, rest = name.partition(".")
        group, step = (head, rest) if (head.startswith("iter") or head == "start") and rest else ("references", name)
        groups.setdefault(group, []).append((step, s))
    return [f"{group}: " + ", ".join(f"{step} {s:.1f}" for step, s in steps) + f" = {sum(s for _, s in steps):.0f} s"
            for group, steps in groups.items()]


def write_report(workdir: Path, results: dict, seconds: float | None = None) -> Path:
    it = results["iterations"][-1]
    k = it["iteration"]
    d = workdir / f"iter{k}"
    plot_training(d / "ebm" / "metrics.jsonl", workdir / "training_curves.png")
    plot_budgets(it["table"], workdir / "solved_vs_budget.png")
    plot_energy_hist(d / "eval_ebm" / "traj.parquet", workdir / "energy_histogram.png")
    q = it["quality"]
    manifest = json.loads((workdir / "manifest.json").read_text())
    lines = ["# qedjax demo report", ""]
    if seconds is not None:
        lines += [f"Wall time: {seconds:.0f} s. Versions: "
                  + ", ".join(f"{a} {b}" for a, b in manifest.get("versions", {}).items()), ""]
    lines += ["## Held-out theorems solved at equal node budgets", "",
              "Same policy, seeds and budgets in every column. The hand-made value and the perfect distance "
              "(length of a shortest proof, from the environment's own search) are measurement references: "
              "headroom captured = (EBM − policy) / (ceiling − policy).", ""]
    lines += table_lines(it["table"])
    for i in results["iterations"][:-1]:
        lines += ["", f"Iteration {i['iteration']}:", ""] + table_lines(i["table"])
    lines += ["", "![solved vs budget](solved_vs_budget.png)", "",
              "## Value function against the truth", "",
              f"Spearman correlation of energy with the true remaining distance on {q.get('distance_states', 0)} "
              f"held-out search states: **{q.get('spearman_distance', float('nan')):.3f}** "
              f"(provable states only: {q.get('spearman_distance_provable', float('nan')):.3f}).", "",
              f"AUC of −energy for provable vs unprovable held-out states: **{q['auc']:.3f}** "
              f"({q['states']} states, {q['provable']} provable, {q['unprovable']} unprovable).", "",
              f"Sibling rank-1 accuracy at {q['decision_points']} decision points on proof paths: "
              f"energy {q['rank1_energy']:.3f}, log-prob {q['rank1_log_prob']:.3f}, combined "
              f"{q['rank1_combined']:.3f}, random {q['rank1_random']:.3f}.", ""]
    by_depth = q.get("spearman_distance_by_depth") or {}
    if by_depth:
        lines += ["| depth from root | states | Spearman |", "|---:|---:|---:|"]
        lines += [f"| {dd} | {v['states']} | {v['spearman']:.3f} |" for dd, v in by_depth.items()]
        lines.append("")
    lines += ["![energy histogram](energy_histogram.png)", "", "## EBM training", "",
              "![training curves](training_curves.png)", ""]
    tv = (it.get("train") or {}).get("final_val") or {}
    if tv:
        lines.append(f"Final validation: rank accuracy {tv['rank_accuracy']:.3f}, pairwise "
                     f"{tv['pairwise_accuracy']:.3f}, energy gap {tv['energy_gap']:.3f}.")
    st = it.get("search_stats") or {}
    if st:
        lines += ["", f"EBM eval cost: {st.get('expanded', 0)} expansions, {st.get('states_scored', 0)} states "
                  f"scored, {st.get('states_encoded', 0)} of them encoded (the rest from the memo), "
                  f"{st.get('value_s', 0.0):.1f} s in the value function of {st.get('total_s', 0.0):.1f} s "
                  f"search; a theorem's value request took p50 {st.get('value_p50_ms') or 0:.1f} ms "
                  "(its share of the pooled call)."]
    if results.get("seconds"):
        lines += ["", "## Step times", "", "Seconds of each step, as this run recorded them:", ""]
        lines += [f"- {line}" for line in step_time_lines(results["seconds"])]
    if results.get("encoder_precision"):
        lines += ["", f"Encoder precision: {results['encoder_precision']['line']}."]
    lines += ["", f"Temperatures used at evaluation: T_llm {it['t_llm']:.3g}, T_ebm {it['t_ebm']:.3g}.",
              "", "Everything above was measured in this run; inputs and settings are in "
              "`manifest.json`, per-theorem results in `eval_policy.json`, `eval_length.json`, "
              f"`eval_distance.json` and `iter{k}/eval_ebm.json`."]
    out = workdir / "report.md"
    atomic_write_text(out, "\n".join(lines) + "\n")
    return out
