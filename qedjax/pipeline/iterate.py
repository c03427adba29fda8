"""Expert iteration: search → trajectories → encode → train the EBM → eval policy-only vs policy+EBM.

This module never imports torch: the CLI injects ``encode_fn`` (states → embedding cache) and
``parts`` (a picklable search-parts factory builder), so the orchestration is testable on its own.
Every step writes its output atomically and is skipped when that output exists, so a killed run
resumes where it stopped; ``manifest.json`` records versions, configs, seeds, calibration and timings.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path
from typing import Callable

import numpy as np

from qedjax.config import to_dict
from qedjax.ebm.config import EBMConfig, TrainConfig
from qedjax.errors import ConfigError
from qedjax.search.config import SearchConfig


@dataclasses.dataclass(frozen=True)
class IterateSettings:
    theorems: str = ""  # "" = the shipped prop benchmark
    env: str = "prop"
    iterations: int = 1
    train_split: str = "train"
    eval_split: str = "test"
    max_train_theorems: int = 1000
    max_eval_theorems: int = 240
    train_max_nodes: int = 30
    budgets: tuple[int, ...] = (3, 5, 10, 20)
    negatives_per_theorem: int = 12  # besides the positives' siblings, encoded for training
    seed: int = 0  # policy seeds, theorem sample and EBM seed derive from it
    policy_noise: float = 0.8
    calibrate: bool = True
    workers: int = 1

    def validate(self) -> None:
        if self.iterations < 1 or self.max_train_theorems < 1 or self.max_eval_theorems < 1:
            raise ValueError("iterations and theorem counts must be >= 1")
        if not self.budgets or min(self.budgets) < 1:
            raise ValueError("budgets must be positive")
        if self.train_split == self.eval_split:
            raise ValueError("train_split and eval_split must differ (held-out evaluation)")


@dataclasses.dataclass(frozen=True)
class IterateConfig:
    iterate: IterateSettings = IterateSettings()
    search: SearchConfig = SearchConfig(max_nodes=20, num_candidates=8, probe_tactics="none")
    encoder: dict = dataclasses.field(default_factory=dict)  # encoder_bridge EncoderConfig keys
    ebm: EBMConfig = EBMConfig(train=TrainConfig(
        total_steps=3000, warmup_steps=100, batch_size=64, lr=1e-3, log_every=100, val_every=500,
        checkpoint_every=3000))


def _atomic_json(path: Path, obj) -> None:
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class Manifest:
    def __init__(self, path: Path, config: IterateConfig):
        self.path = path
        self.data = json.loads(path.read_text()) if path.exists() else {}
        cfg = to_dict(config)
        if self.data.get("config") not in (None, cfg):
            raise ConfigError(f"{path.parent} holds a run with a different config or seed; use another "
                              "directory (--workdir / --output)")
        self.data.setdefault("config", cfg)
        self.data.setdefault("created", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        self.data.setdefault("steps", {})
        self.data["versions"] = _versions()
        self.save()

    def step(self, name: str) -> dict | None:
        return self.data["steps"].get(name)

    def record(self, name: str, **info) -> None:
        self.data["steps"][name] = {**info, "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.save()

    def save(self) -> None:
        _atomic_json(self.path, self.data)


def _versions() -> dict:
    from qedjax.versions import versions

    return versions()


def subsample_for_training(cols: dict, negatives_per_theorem: int, seed: int) -> np.ndarray:
    """Rows to encode for EBM training: every positive, every negative sibling of a positive (hard
    negatives), and up to N other negatives per theorem (seeded). Terminal rows are kept (unused)."""
    rng = np.random.default_rng(seed)
    names = cols["theorem_name"].astype(str)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    label = cols["label"]
    keep = label == "positive"
    pos_parents = {(names[i], int(parent[i])) for i in np.nonzero(keep)[0] if parent[i] >= 0}
    sib = np.array([(names[i], int(parent[i])) in pos_parents for i in range(len(names))])
    keep |= sib & (label == "negative")
    for name in np.unique(names):
        idx = np.nonzero((names == name) & (label == "negative") & ~keep & (cols["state_pp"] != ""))[0]
        if len(idx):
            keep[rng.choice(idx, size=min(negatives_per_theorem, len(idx)), replace=False)] = True
    return np.nonzero(keep)[0]


def calibrate_temperatures(cols: dict, energy_std: float) -> tuple[float, float, dict]:
    """T_llm, T_ebm so that α·cumlogp/T_llm and β·value/T_ebm have unit std over search nodes."""
    names = cols["theorem_name"].astype(str)
    sid = cols["state_id"].astype(np.int64)
    parent = np.where(cols["parent_state_id_is_null"], -1, cols["parent_state_id"].astype(np.int64))
    lp = dict(((n, s), v) for n, s, v in zip(names, sid, cols["llm_log_prob"]))
    par = dict(((n, s), p) for n, s, p in zip(names, sid, parent))
    cum = []
    for n, s in zip(names, sid):
        total, cur, guard = 0.0, int(s), 0
        while cur >= 0 and guard < 1000:
            total += lp.get((n, cur), 0.0) if par.get((n, cur), -1) >= 0 else 0.0
            cur = int(par.get((n, cur), -1))
            guard += 1
        cum.append(total)
    std_lp = float(np.std(cum)) if cum else 1.0
    t_llm = max(std_lp, 1e-3)
    t_ebm = max(float(energy_std), 1e-3) if math.isfinite(energy_std) else 1.0
    return t_llm, t_ebm, {"cum_log_prob_std": std_lp, "energy_std": energy_std}


def run_iterate(cfg: IterateConfig, workdir: Path, *, encode_fn: Callable, parts: Callable,
                log: Callable[[str], None] = print, iterations: int | None = None) -> dict:
    """Run (or resume) expert iteration in ``workdir``; returns the results summary."""
    from qedjax.data.trajectory import read_trajectories, write_subset
    from qedjax.ebm.data import load_contrastive_data
    from qedjax.ebm.train import train
    from qedjax.search.runner import read_rows, run_search
    from qedjax.search.theorems import load_theorems

    it = cfg.iterate
    workdir = Path(workdir).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(workdir / "manifest.json", cfg)
    theorem_file = it.theorems or _shipped()
    train_thms = _sample(load_theorems(theorem_file, it.train_split), it.max_train_theorems, it.seed)
    eval_thms = _sample(load_theorems(theorem_file, it.eval_split), it.max_eval_theorems, 12345)
    budgets = sorted(set(it.budgets))
    eval_cfg = dataclasses.replace(cfg.search, max_nodes=budgets[-1])
    train_cfg = dataclasses.replace(cfg.search, max_nodes=it.train_max_nodes)
    embeddings = workdir / "embeddings.parquet"
    results = {"iterations": []}

    def timed(name: str, fn):
        t0 = time.perf_counter()
        log(f"[{name}] …")
        out = fn()
        dt = time.perf_counter() - t0
        log(f"[{name}] done in {dt:.1f}s")
        return out, dt

    def search_step(name, theorems, scfg, out_path, spec_kw):
        done = manifest.step(name)
        if done is not None and out_path.exists():
            log(f"[{name}] already done, skipped")
            return read_rows(out_path.with_name(out_path.name + ".theorems.jsonl"))
        resume = out_path.exists() or out_path.with_name(out_path.name + ".theorems.jsonl").exists()
        meta = {"search_config": dataclasses.asdict(scfg), "parts": spec_kw, "step": name,
                "versions": _versions()}
        summary, dt = timed(name, lambda: run_search(theorems, parts(**spec_kw), scfg, out_path,
                                                      resume=resume, workers=it.workers, metadata=meta))
        manifest.record(name, seconds=dt, solved=summary.solved, total=len(theorems),
                        policy_seed=spec_kw.get("policy_seed"), ebm=spec_kw.get("ebm"))
        return summary.rows

    # policy-only evaluation: the same for every iteration
    base_rows = search_step("eval_policy_only", eval_thms, eval_cfg, workdir / "eval_policy" / "traj.parquet",
                            dict(policy_seed=it.seed, policy_noise=it.policy_noise))
    base_eval = _eval_json(base_rows, budgets)
    _atomic_json(workdir / "eval_policy.json", base_eval)

    prev_ebm: Path | None = None
    t_llm, t_ebm = cfg.search.t_llm, cfg.search.t_ebm
    n_iter = iterations or it.iterations
    for k in range(1, n_iter + 1):
        d = workdir / f"iter{k}"
        spec = dict(policy_seed=it.seed + 1000 * k, policy_noise=it.policy_noise,
                    ebm=str(prev_ebm) if prev_ebm else None)
        scfg = dataclasses.replace(train_cfg, t_llm=t_llm, t_ebm=t_ebm)
        search_step(f"iter{k}.search", train_thms, scfg, d / "search.parquet", spec)
        # -- training data: cumulative trajectories, subsampled, encoded
        sub = d / "train_traj.parquet"
        if not sub.exists():
            searched = [workdir / f"iter{j}" / "search.parquet" for j in range(1, k + 1)]
            keep = subsample_for_training(read_trajectories(searched), it.negatives_per_theorem,
                                          it.seed + k)
            write_subset(searched, keep, sub, {"iteration": k})
        if manifest.step(f"iter{k}.encode") is None:
            cols = read_trajectories([sub])
            states = [s for s in cols["state_pp"] if s]
            summary, dt = timed(f"iter{k}.encode", lambda: encode_fn(states, embeddings))
            manifest.record(f"iter{k}.encode", seconds=dt, **summary)
        ebm_dir = d / "ebm"
        if manifest.step(f"iter{k}.train") is None:
            data = load_contrastive_data([sub], embeddings, cfg.ebm.sampler, cfg.ebm.train.seed)
            from qedjax.ebm import checkpoint as ckpt

            resume = ckpt.read_meta(ebm_dir) is not None
            res, dt = timed(f"iter{k}.train", lambda: train(cfg.ebm, data, ebm_dir, resume=resume,
                                                           progress=False, log=log))
            manifest.record(f"iter{k}.train", seconds=dt, steps=res.steps, skipped=res.skipped,
                            final_val=res.final_val, final_val_uniform=res.final_val_uniform,
                            data=data.stats)
        train_info = manifest.step(f"iter{k}.train")
        if it.calibrate and manifest.step(f"iter{k}.calibrate") is None:
            cols = read_trajectories([d / "search.parquet"])
            std = (train_info.get("final_val") or {}).get("energy_std", float("nan"))
            t_llm, t_ebm, stats = calibrate_temperatures(cols, std)
            manifest.record(f"iter{k}.calibrate", t_llm=t_llm, t_ebm=t_ebm, **stats)
        if it.calibrate:
            cal = manifest.step(f"iter{k}.calibrate")
            t_llm, t_ebm = cal["t_llm"], cal["t_ebm"]
        ecfg = dataclasses.replace(eval_cfg, t_llm=t_llm, t_ebm=t_ebm)
        ebm_rows = search_step(f"iter{k}.eval_ebm", eval_thms, ecfg, d / "eval_ebm" / "traj.parquet",
                               dict(policy_seed=it.seed, policy_noise=it.policy_noise, ebm=str(ebm_dir)))
        ebm_eval = _eval_json(ebm_rows, budgets)
        _atomic_json(d / "eval_ebm.json", ebm_eval)
        quality = _quality(d / "eval_ebm" / "traj.parquet", ecfg)
        _atomic_json(d / "quality.json", quality)
        comparison = _compare(base_eval, ebm_eval)
        _atomic_json(d / "compare.json", comparison)
        results["iterations"].append({"iteration": k, "compare": comparison, "quality": quality,
                                      "t_llm": t_llm, "t_ebm": t_ebm, "train": train_info})
        prev_ebm = ebm_dir
    results["policy_only"] = base_eval["budgets"]
    _atomic_json(workdir / "results.json", results)
    return results


def _sample(theorems: list, n: int, seed: int) -> list:
    """A seeded sample (index files are often sorted by difficulty: the first n would be easy)."""
    if len(theorems) <= n:
        return theorems
    order = np.random.default_rng(seed).permutation(len(theorems))[:n]
    return [theorems[i] for i in sorted(order)]


def _shipped() -> str:
    from qedjax.envs.prop.bench import shipped_benchmark_path

    return str(shipped_benchmark_path())


def _eval_json(rows: list[dict], budgets: list[int]) -> dict:
    total = len(rows)
    out = []
    for b in budgets:
        n = sum(bool(r["proved"]) and r["expansions_to_proof"] is not None and r["expansions_to_proof"] <= b
                for r in rows)
        out.append({"budget": b, "solved": n, "total": total, "rate": n / total if total else 0.0})
    return {"budgets": out, "solved": out[-1]["solved"], "total": total, "rate": out[-1]["rate"],
            "per_theorem": [{"name": r["theorem"], "proved": r["proved"],
                             "expansions_to_proof": r["expansions_to_proof"]} for r in rows]}


def _compare(base: dict, ebm: dict) -> dict:
    rows = []
    for a, b in zip(base["budgets"], ebm["budgets"]):
        rows.append({"budget": a["budget"], "policy_only": a["rate"], "policy_ebm": b["rate"],
                     "policy_only_solved": a["solved"], "policy_ebm_solved": b["solved"],
                     "total": a["total"], "delta_pp": 100.0 * (b["rate"] - a["rate"])})
    pa = {t["name"]: t["proved"] for t in base["per_theorem"]}
    pb = {t["name"]: t["proved"] for t in ebm["per_theorem"]}
    return {"rows": rows, "gained": sorted(n for n in pb if pb[n] and not pa.get(n)),
            "lost": sorted(n for n in pb if pa.get(n) and not pb[n])}


def _quality(traj: Path, scfg: SearchConfig) -> dict:
    from qedjax.data.trajectory import read_trajectories
    from qedjax.pipeline.quality import oracle_auc, sibling_rank1

    cols = read_trajectories([traj])
    out = oracle_auc(cols)
    out.update(sibling_rank1(cols, scfg.alpha, scfg.beta, scfg.t_llm, scfg.t_ebm))
    return out
