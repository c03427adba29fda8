"""Expert iteration end to end on a small slice with a tiny real encoder: every step runs, the EBM arm
really scores states with the EBM, every step is recorded and skipped on a re-run."""

import json

import numpy as np
import pytest

from qedjax.app import stages
from qedjax.app.iterate import budget_table, run_iterate
from qedjax.app.iterate_config import IterateConfig, load_iterate_config, with_dtype
from qedjax.config import load_toml
from qedjax.data.trajectory import read_trajectories
from qedjax.errors import ConfigError

SMALL = """
[iterate]
max_train_theorems = 60
max_eval_theorems = 30
max_valid_theorems = 12
t_value_grid = [1.0, 0.25]
train_max_nodes = 10
budgets = [2, 5]
negatives_per_theorem = 4
references = ["length"]
[search]
max_nodes = 5
num_candidates = 6
probe_tactics = "none"
value_mode = "eager"
[encoder]
model = "{model}"
batch_size = 16
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


@pytest.fixture
def small_config(tmp_path, tiny_bert):
    p = tmp_path / "it.toml"
    p.write_text(SMALL.replace("{model}", str(tiny_bert)))
    return p


@pytest.mark.slow
def test_iterate_runs_records_and_resumes(tmp_path, small_config, monkeypatch):
    import qedjax.ebm.train as train_mod
    from qedjax.app import stages
    from qedjax.search.executors import InProcess

    cfg = load_toml(IterateConfig, small_config)
    w = tmp_path / "w"
    # the executor and the device count given to run_iterate reach every search and every training
    executor, seen = InProcess(), {"executors": [], "devices": []}
    real_search, real_train = stages.run_search, train_mod.train

    def spy_search(*args, executor, **kw):
        seen["executors"].append(executor)
        return real_search(*args, executor=executor, **kw)

    def spy_train(*args, devices, **kw):
        seen["devices"].append(devices)
        return real_train(*args, devices=devices, **kw)

    monkeypatch.setattr(stages, "run_search", spy_search)
    monkeypatch.setattr(train_mod, "train", spy_train)
    # the encoder's precision is chosen once, when the run starts, and every encoding runs in it
    asked = []

    def bfloat16_here(table):
        asked.append(table)
        return {"dtype": "bfloat16", "how": "measured", "reason": "faster here", "line": "bfloat16 (measured)"}

    res = run_iterate(cfg, w, log=lambda s: None, iterations=2, executor=executor, devices=1,
                      precision=bfloat16_here)
    assert asked == [cfg.encoder] and res["encoder_precision"]["dtype"] == "bfloat16"
    for k in (1, 2):
        assert json.loads((w / f"iter{k}" / "ebm" / "meta.json").read_text())["provenance"]["dtype"] == "bfloat16"
    assert len(seen["executors"]) >= 8 and all(e is executor for e in seen["executors"])
    assert seen["devices"] == [1, 1]
    for f in ("manifest.json", "eval_policy.json", "eval_length.json", "results.json", "iter1/compare.json",
              "iter1/quality.json", "iter2/eval_ebm.json", "iter2/ebm/meta.json", "embeddings.parquet"):
        assert (w / f).exists(), f
    man = json.loads((w / "manifest.json").read_text())
    for step in ("eval_policy_only", "eval_value_length", "iter1.search", "iter1.encode", "iter1.train",
                 "iter1.calibrate", "iter1.eval_ebm", "iter2.search", "iter2.train"):
        assert step in man["steps"], step
    assert "jax" in man["versions"] and man["config"]["iterate"]["seed"] == 0
    assert len(res["iterations"]) == 2 and [r["budget"] for r in res["policy_only"]] == [2, 5]
    # The EBM arm is guided by the EBM: every non-terminal node of its eval trajectories has a value,
    # and round 2's training search (guided by round 1's EBM) too.
    for traj in (w / "iter1" / "eval_ebm" / "traj.parquet", w / "iter2" / "search.parquet"):
        c = read_trajectories([traj])
        nonterm = c["state_pp"] != ""
        assert np.isfinite(c["ebm_score"][nonterm]).all(), traj
    assert man["steps"]["iter1.eval_ebm"]["stats"]["states_scored"] > 0
    assert np.isnan(read_trajectories([w / "eval_policy" / "traj.parquet"])["ebm_score"]).all()
    # Every eval JSON has qed eval's shape.
    for f in ("eval_policy.json", "iter1/eval_ebm.json", "eval_length.json"):
        r = json.loads((w / f).read_text())
        assert {"ebm_path", "llm_path", "budgets", "per_theorem", "search_stats", "pass_n"} <= set(r), f
    assert json.loads((w / "iter1/eval_ebm.json").read_text())["ebm_path"].endswith("iter1/ebm")
    before = {k: v["finished"] for k, v in man["steps"].items()}
    def refuse(table):
        raise AssertionError("a resumed run keeps the precision it started with")

    again = run_iterate(cfg, w, log=lambda s: None, iterations=2, precision=refuse)
    assert again["encoder_precision"]["dtype"] == "bfloat16"
    after = json.loads((w / "manifest.json").read_text())["steps"]
    assert {k: v["finished"] for k, v in after.items()} == before  # everything skipped on the re-run


@pytest.mark.slow
def test_a_changed_config_is_refused_in_the_same_workdir(tmp_path, small_config):
    cfg = load_toml(IterateConfig, small_config)
    run_iterate(cfg, tmp_path / "w", log=lambda s: None)
    other = load_iterate_config(small_config, seed=3)
    with pytest.raises(ConfigError, match="different config"):
        run_iterate(other, tmp_path / "w", log=lambda s: None)


@pytest.mark.slow
def test_a_finished_run_continues_with_more_rounds(tmp_path, small_config):
    w = tmp_path / "w"
    run_iterate(load_iterate_config(small_config, iterations=1), w, log=lambda s: None)
    man = json.loads((w / "manifest.json").read_text())
    first = man["steps"]
    del man["config"]["search"]["value_bound_margin"]  # a run recorded before that setting existed
    (w / "manifest.json").write_text(json.dumps(man))
    res = run_iterate(load_iterate_config(small_config, iterations=2), w, log=lambda s: None)
    man = json.loads((w / "manifest.json").read_text())
    assert len(res["iterations"]) == 2 and "iter2.train" in man["steps"]
    assert all(man["steps"][k]["finished"] == v["finished"] for k, v in first.items())  # round 1 reused
    assert man["config"]["iterate"]["iterations"] == 2


def test_dtype_sets_the_encoder_table():
    base = {"pooling": "mean-last4", "dtype": "bfloat16", "quantize": "int8-dynamic"}
    assert with_dtype(base, "auto") == {"pooling": "mean-last4"}  # the defaults are left out
    assert with_dtype(base, "float32") == {"pooling": "mean-last4", "dtype": "float32"}
    assert with_dtype({}, "int8-dynamic") == {"dtype": "float32", "quantize": "int8-dynamic"}
    with pytest.raises(ConfigError, match="dtype must be one of"):
        with_dtype({}, "float64")
    assert load_iterate_config(None, dtype="bfloat16").encoder == {"pooling": "mean-last4", "dtype": "bfloat16"}
    assert load_iterate_config(None, dtype="auto") == load_iterate_config(None)  # the same run as no flag
    assert load_iterate_config(None, dtype="int8-dynamic").encoder["quantize"] == "int8-dynamic"
    # the policy's own features are no HF encoder: nothing to measure
    assert stages.measured_precision({"model": "policy"})["how"] == "policy"


def test_budget_table_headroom():
    ev = lambda solved: {"budgets": [{"budget": 5, "solved": solved, "total": 10}]}
    rows = budget_table(ev(4), ev(7), {"length": ev(5), "distance": ev(10)})
    assert rows == [{"budget": 5, "total": 10, "policy_only": 4, "ebm": 7, "length": 5, "distance": 10,
                     "headroom": 0.5}]
    assert "headroom" not in budget_table(ev(4), ev(7), {"length": ev(5)})[0]


def test_unknown_keys_and_bad_references_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[iterate]\nbudget = [1]\n")
    with pytest.raises(ConfigError, match="unknown key 'budget'"):
        load_iterate_config(bad)
    bad.write_text('[iterate]\nreferences = ["oracle"]\n')
    with pytest.raises(ConfigError, match="unknown reference"):
        load_iterate_config(bad)
    bad.write_text('[encoder]\nmodle = "x"\n')
    with pytest.raises(ConfigError, match="unknown key 'modle'"):
        load_iterate_config(bad)


def test_training_bounds_come_from_every_round_and_every_tree(tmp_path):
    """A state left unproved in round 1 and proved (in another theorem's tree) in round 2 gets the
    round-2 proof's bound wherever it occurs: hindsight relabelling across rounds and theorems."""
    import math

    from qedjax.app.training_data import search_bounds
    from qedjax.data.trajectory import write_trajectory

    def rec(thm, sid, parent, pp, label, depth, visits):
        return dict(theorem_name=thm, state_id=sid, state_pp=pp, tactic_applied="t", parent_state_id=parent,
                    label=label, depth_from_root=depth, remaining_depth=-1, llm_log_prob=-1.0, ebm_score=None,
                    is_proof_complete=pp == "", timestamp_ms=0, q_value=None, visits=visits,
                    num_goals=1, oracle_provable=None)

    r1 = [rec("a", 0, None, "A", "negative", 0, 1), rec("a", 1, 0, "S", "negative", 1, 0)]
    r2 = [rec("b", 0, None, "B", "positive", 0, 1), rec("b", 1, 0, "S", "positive", 1, 1),
          rec("b", 2, 1, "", "positive", 2, 0)]
    write_trajectory(tmp_path / "r1.parquet", r1)
    write_trajectory(tmp_path / "r2.parquet", r2)
    only_r1 = search_bounds([tmp_path / "r1.parquet"])
    assert math.isinf(only_r1["S"][1]) and math.isinf(only_r1["A"][1])
    both = search_bounds([tmp_path / "r1.parquet", tmp_path / "r2.parquet"])
    assert both["S"] == (1.0, 1.0) and both["B"] == (2.0, 2.0)
    assert both["A"][1] == 2.0  # and the bound flows up round 1's tree to S's parent
    # every round searches the same theorems and numbers states from 0: trees are told apart by round
    r3 = [rec("b", 0, None, "B", "negative", 0, 1), rec("b", 1, 0, "Q", "negative", 1, 0)]
    write_trajectory(tmp_path / "r3.parquet", r3)
    three = search_bounds([tmp_path / f"r{k}.parquet" for k in (1, 2, 3)])
    assert math.isinf(three["Q"][1]) and three["S"] == (1.0, 1.0)
    assert "" not in both
