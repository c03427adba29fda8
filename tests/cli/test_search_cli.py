"""`qed search/eval/compare/summary/probe/export-proof-paths` as a user runs them: resume after kill -9,
strict configs, eval JSON shape, compare, summaries and proof-path export."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from qedjax.search.runner import read_rows


def run(args):
    res = CliRunner().invoke(qed, [str(a) for a in args])
    return res.exit_code, res.output


@pytest.mark.multiprocess
def test_resume_after_kill_9_loses_nothing_finished(tmp_path):
    out = tmp_path / "t.parquet"
    rows_path = tmp_path / "t.parquet.theorems.jsonl"
    cmd = [sys.executable, "-m", "qedjax_cli.main", "search", "--output", str(out), "--split", "train",
           "--max-theorems", "1500", "--max-nodes", "600", "--quiet"]
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        if rows_path.exists() and len(rows_path.read_text().splitlines()) >= 40:
            break
        if proc.poll() is not None:
            pytest.fail("search finished before it could be killed: " + proc.stderr.read().decode()[-500:])
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    before = {r["theorem"]: r for r in read_rows(rows_path)}
    assert len(before) >= 40
    code, text = run(["search", "--output", out, "--split", "train", "--max-theorems", "1500",
                      "--max-nodes", "600", "--quiet"])
    assert code == 2 and "--resume" in text  # refuses to clobber
    code, text = run(["search", "--output", out, "--split", "train", "--max-theorems", "1500",
                      "--max-nodes", "600", "--quiet", "--resume"])
    assert code == 0, text
    assert f"{len(before)} finished earlier" in text
    rows = read_rows(rows_path)
    names = [r["theorem"] for r in rows]
    assert len(names) == len(set(names)) == 1500  # nothing duplicated, nothing missing
    for r in rows:
        if r["theorem"] in before:
            assert r == before[r["theorem"]]  # finished work kept as it was
    table = pq.read_table(out)
    per_thm = {}
    for name, sid in zip(table.column("theorem_name").to_pylist(), table.column("state_id").to_pylist()):
        per_thm.setdefault(name, []).append(sid)
    assert len(per_thm) == 1500
    assert all(len(v) == len(set(v)) for v in per_thm.values())  # no theorem written twice
    assert not (tmp_path / "t.parquet.parts").exists()


def test_search_config_is_strict(tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text("max_nodez = 10\n")
    code, text = run(["search", "--output", tmp_path / "o.parquet", "--config", cfg, "--max-theorems", "2"])
    assert code == 2 and "unknown key 'max_nodez'" in text and "s.toml" in text


def test_eval_compare_summary_export(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    common = ["--split", "test", "--max-theorems", "60", "--budgets", "5,20,100", "--quiet"]
    assert run(["eval", "--output", a, *common])[0] == 0
    assert run(["eval", "--output", b, "--pass-n", "2", *common])[0] == 0
    ra = json.loads(a.read_text())
    for key in ("iteration", "timestamp", "llm_path", "ebm_path", "benchmark", "total_theorems",
                "max_rounds", "solved", "total", "rate", "avg_nodes", "avg_time_secs",
                "median_time_secs", "per_theorem", "budgets"):
        assert key in ra
    rates = [x["rate"] for x in ra["budgets"]]
    assert rates == sorted(rates) and ra["budgets"][-1]["solved"] == ra["solved"]
    assert {"name", "proved", "nodes_used", "time_secs", "failure_reason"} <= set(ra["per_theorem"][0])
    rb = json.loads(b.read_text())
    assert rb["pass_n"] == 2 and rb["solved"] >= ra["solved"]  # pass@2 ⊇ pass@1 (seed 0 is attempt 0)
    code, text = run(["compare", a, b])
    assert code == 0 and "gained" in text and "lost 0" in text
    code, text = run(["eval", "--output", a, *common])
    assert code == 2 and "exists" in text
    code, text = run(["summary", tmp_path / "a.json.work" / "attempt0.parquet", "--json"])
    s = json.loads(text)
    assert s["theorems"] == 60 and s["proved"] == ra["solved"]
    out = tmp_path / "paths.jsonl"
    code, text = run(["export-proof-paths", tmp_path / "a.json.work" / "attempt0.parquet", "--output", out])
    assert code == 0
    steps = [json.loads(x) for x in out.read_text().splitlines()]
    assert {"state", "tactic", "theorem", "depth"} == set(steps[0])
    assert len(steps) == sum(len(t["proof"]) for t in ra["per_theorem"] if t["proved"])


def test_eval_with_puct_records_its_algorithm_visits_and_resumes(tmp_path):
    out = tmp_path / "p.json"
    common = ["--split", "test", "--max-theorems", "60", "--budgets", "3,10", "--quiet", "--algorithm", "puct",
              "--c-puct", "0.5"]
    code, text = run(["eval", "--output", out, *common])
    assert code == 0, text
    result = json.loads(out.read_text())
    assert result["config"]["search"]["algorithm"] == "puct" and result["config"]["search"]["c_puct"] == 0.5
    table = pq.read_table(tmp_path / "p.json.work" / "attempt0.parquet")
    assert max(table.column("visits").to_pylist()) > 1 and any(q is not None for q in table.column("q_value").to_pylist())
    code, text = run(["eval", "--output", out, *common[:-1], "0.25", "--resume"])
    assert code == 2 and "c_puct: 0.5 → 0.25" in text  # the fingerprint names PUCT's settings
    code, text = run(["eval", "--output", out, *common[:-4], "--resume"])
    assert code == 2 and 'algorithm: "puct" → (absent)' in text  # a best-first resume of a PUCT run is refused
    code, text = run(["eval", "--output", out, *common, "--resume"])
    assert code == 0 and json.loads(out.read_text())["budgets"] == result["budgets"]


def test_probe_splits_easy_and_hard(tmp_path):
    out = tmp_path / "hard.json"
    code, text = run(["probe", "--output", out, "--split", "test", "--max-theorems", "80"])
    assert code == 0, text
    hard = json.loads(out.read_text())
    assert 0 < len(hard["theorems"]) < 80
    assert hard["meta"]["easy"] + hard["meta"]["hard"] == 80
    code, _ = run(["search", "--theorems", out, "--output", tmp_path / "h.parquet", "--max-nodes", "50",
                   "--quiet"])
    assert code == 0  # the hard list is itself a theorem index


@pytest.mark.slow
def test_hf_policy_runs_a_real_search_on_prop(tmp_path, tiny_llama):
    """`--policy hf` end to end on a tiny causal LM built from a config: generated tactics are applied
    to prop states, the policy never fails, and the trajectory records its log-probs."""
    out = tmp_path / "hf.parquet"
    code, text = run(["search", "--policy", "hf", "--hf-model", tiny_llama, "--split", "test",
                      "--max-theorems", "2", "--max-nodes", "2", "--num-candidates", "3", "--output", out,
                      "--quiet"])
    assert code == 0, text
    assert "policy: " in text and " 0 failed" in text.split("policy: ")[1].splitlines()[0]
    t = pq.read_table(out)
    assert set(t.column("theorem_name").to_pylist()) and t.num_rows >= 2
    logps = [x for x, parent in zip(t.column("llm_log_prob").to_pylist(), t.column("parent_state_id").to_pylist())
             if parent is not None]
    assert all(x <= 0 for x in logps)


@pytest.mark.slow
def test_an_ebm_eval_that_scores_nothing_is_an_error(tmp_path):
    """A wrong --embeddings file would silently make an 'EBM' eval policy-only: refuse it."""
    import numpy as np

    from qedjax.data.embeddings import write_embeddings
    from qedjax.ebm.synthetic import SYNTHETIC_PROVENANCE, write_synthetic

    traj, emb = write_synthetic(tmp_path, n_theorems=20, dim=16, separation=5.0)
    cfg = tmp_path / "tiny.toml"
    cfg.write_text("[model]\nhidden_dims = [16]\n[train]\nlog_every = 10\nval_every = 20\n"
                   "checkpoint_every = 20\nsteps_per_call = 10\nval_batches = 1\n")
    assert run(["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", tmp_path / "ebm",
                "--config", cfg, "--steps", "20", "--quiet"])[0] == 0
    unrelated = tmp_path / "unrelated.parquet"  # covers none of the prop states search will meet
    write_embeddings(unrelated, ["⊢ nothing"], np.ones((1, 16), np.float32), dict(SYNTHETIC_PROVENANCE, dim=16))
    out = tmp_path / "e.json"
    code, text = run(["eval", "--ebm", tmp_path / "ebm", "--embeddings", unrelated, "--split", "test",
                      "--max-theorems", "3", "--budgets", "2", "--output", out, "--quiet"])
    assert code == 2 and "scored none of the" in text and not out.exists()
    code, text = run(["eval", "--embeddings", unrelated, "--split", "test", "--max-theorems", "3",
                      "--budgets", "2", "--output", out, "--quiet"])
    assert code == 2 and "--embeddings needs --ebm" in text


def test_dry_run_shows_what_would_be_sent_to_lean(tmp_path):
    data = Path(__file__).resolve().parents[1] / "data" / "minif2f" / "yangky11_minif2f_lean4.head6.jsonl"
    out = tmp_path / "dry.jsonl"
    code, text = run(["search", "--env", "lean-repl", "--theorems", data, "--dry-run", "--dry-run-output", out])
    assert code == 0, text
    assert text.startswith("6/6 theorems can be sent to lean-repl; 0 cannot")
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 6 and all(r["requests"] for r in rows)
    sent = json.dumps(rows[0]["requests"])
    assert "import Mathlib" in sent and ":= by sorry" in sent
    dojo = tmp_path / "dojo.json"  # a LeanDojo record: lean-repl needs the project's sources to send it
    dojo.write_text(json.dumps([{"url": "https://github.com/x/y", "commit": "abc", "file_path": "Y.lean",
                                 "full_name": "y", "start": [1, 1], "end": [2, 1], "traced_tactics": []}]))
    code, text = run(["search", "--env", "lean-repl", "--theorems", dojo, "--dry-run"])
    assert code == 1 and text.startswith("0/1 theorems can be sent to lean-repl; 1 cannot")
    code, text = run(["search", "--split", "test", "--max-theorems", "2"])
    assert code == 2 and "--output is required" in text


def test_hard_names_the_shipped_hard_tier_unless_a_file_is_called_so(tmp_path, monkeypatch):
    out = tmp_path / "h.json"
    code, text = run(["eval", "--theorems", "hard", "--split", "test", "--max-theorems", "3", "--budgets", "2",
                      "--output", out, "--quiet"])
    assert code == 0, text
    from qedjax.envs.prop.bench import shipped_hard_tier_path
    res = json.loads(out.read_text())
    assert res["benchmark"] == str(shipped_hard_tier_path()) and res["total"] == 3
    hard = {r["name"] for r in json.loads(shipped_hard_tier_path().read_text())["theorems"]}
    assert {r["name"] for r in res["per_theorem"]} <= hard
    monkeypatch.chdir(tmp_path)  # a file named "hard" in the working directory is that file
    (tmp_path / "hard").write_text("not json")
    code, text = run(["eval", "--theorems", "hard", "--output", tmp_path / "h2.json", "--quiet"])
    assert code != 0 and "hard" in text and "JSON" in text
