"""Expert iteration end to end on a small slice: every step runs, is recorded, and is skipped on a
re-run; `qed demo` writes its report and plots."""

import hashlib
import json
from functools import partial
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from qedjax_cli.main import qed
from qedjax_cli.wiring import PartsSpec, build_parts

from qedjax.config import load_toml
from qedjax.pipeline.iterate import IterateConfig, run_iterate

SMALL = """
[iterate]
max_train_theorems = 60
max_eval_theorems = 30
train_max_nodes = 10
budgets = [2, 5]
negatives_per_theorem = 4
[search]
max_nodes = 5
num_candidates = 6
probe_tactics = "none"
[ebm.model]
hidden_dims = [32, 16]
[ebm.train]
total_steps = 60
warmup_steps = 5
batch_size = 16
log_every = 20
val_every = 60
checkpoint_every = 60
steps_per_call = 20
val_batches = 2
"""


def hashed(states, dim=32):
    out = np.zeros((len(states), dim), np.float32)
    for i, s in enumerate(states):
        for k in range(len(s) - 2):
            out[i, int(hashlib.md5(s[k:k + 3].encode()).hexdigest(), 16) % dim] += 1
        out[i, 0] += 1
    return out


def test_iterate_runs_records_and_resumes(tmp_path):
    cfg_path = tmp_path / "it.toml"
    cfg_path.write_text(SMALL)
    cfg = load_toml(IterateConfig, cfg_path)
    calls = []

    def encode_fn(states, out):
        from qedjax.data.embeddings import read_embeddings, write_embeddings

        calls.append(len(states))
        uniq = sorted(set(states))
        if Path(out).exists():
            old, vec, _ = read_embeddings(out)
            uniq = sorted(set(uniq) | set(old))
        write_embeddings(out, uniq, hashed(uniq), {"model": "hashed", "dim": 32})
        return {"encoded": len(uniq)}

    parts = lambda **kw: partial(build_parts, PartsSpec(**{k: v for k, v in kw.items() if k != "ebm"}))
    # (policy+EBM eval needs an encoder rebuilt from provenance; here the hashed "encoder" has none,
    # so the EBM arm runs policy-only: this test checks orchestration, not uplift)
    res = run_iterate(cfg, tmp_path / "w", encode_fn=encode_fn, parts=parts, log=lambda s: None,
                      iterations=2)
    w = tmp_path / "w"
    for f in ("manifest.json", "eval_policy.json", "results.json", "iter1/compare.json",
              "iter1/quality.json", "iter2/eval_ebm.json", "iter2/ebm/meta.json", "embeddings.parquet"):
        assert (w / f).exists(), f
    man = json.loads((w / "manifest.json").read_text())
    for step in ("eval_policy_only", "iter1.search", "iter1.encode", "iter1.train", "iter1.calibrate",
                 "iter1.eval_ebm", "iter2.search", "iter2.train"):
        assert step in man["steps"], step
    assert "jax" in man["versions"] and man["config"]["iterate"]["seed"] == 0
    assert len(res["iterations"]) == 2 and [r["budget"] for r in res["policy_only"]] == [2, 5]
    n_calls = len(calls)
    run_iterate(cfg, w, encode_fn=encode_fn, parts=parts, log=lambda s: None, iterations=2)
    assert len(calls) == n_calls  # everything skipped on the re-run


def test_demo_cli_writes_report(tmp_path):
    cfg = tmp_path / "demo.toml"
    cfg.write_text(SMALL.replace("max_train_theorems = 60", "max_train_theorems = 25")
                   .replace("max_eval_theorems = 30", "max_eval_theorems = 12"))
    res = CliRunner().invoke(qed, ["demo", "--output", str(tmp_path / "d"), "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    assert "policy + EBM" in res.output and "AUC" in res.output
    for f in ("report.md", "training_curves.png", "solved_vs_budget.png", "energy_histogram.png"):
        assert (tmp_path / "d" / f).stat().st_size > 0, f
    bad = tmp_path / "bad.toml"
    bad.write_text("[iterate]\nbudget = [1]\n")
    res = CliRunner().invoke(qed, ["demo", "--output", str(tmp_path / "e"), "--config", str(bad)])
    assert res.exit_code == 2 and "unknown key 'budget'" in res.output
