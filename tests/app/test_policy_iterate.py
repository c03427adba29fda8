"""Expert iteration over policy and value (``[policy] train = true``) end to end with tiny models: the
tactic LM is trained on every proof so far, searched with when it is adopted, refused when it solves
fewer validation theorems; the head reads the kept policy's features; every step is recorded and
skipped on a re-run, and ``--iterations`` continues a finished run."""

import json

import pytest

from qedjax.app.iterate import run_iterate
from qedjax.app.iterate_config import load_iterate_config
from qedjax.data.trajectory import read_trajectories
from qedjax.errors import ConfigError
from tests.app.test_iterate import SMALL

POLICY = """
[policy]
train = true
compare_encoders = true
compare_model = "{compare}"
probe_states = 60
feature_layers = [-1]
hard_theorems = "hard"
[policy.lm.model]
hidden_size = 32
num_layers = 2
num_heads = 2
intermediate_size = 64
max_positions = 256
[policy.lm.tokenizer]
vocab_size = 320
[policy.lm.train]
epochs = 3.0
batch_size = 16
lr = 3e-3
warmup_steps = 2
max_valid_pairs = 32
device = "cpu"
[policy.lm.sample]
device = "cpu"
"""


@pytest.fixture
def policy_config(tmp_path, tiny_bert):
    """The head reads the policy's features; a second head on a (tiny) Hugging Face encoder beside it."""
    p = tmp_path / "it.toml"
    p.write_text(SMALL.replace("{model}", "policy") + POLICY.replace("{compare}", str(tiny_bert)))
    return p


@pytest.mark.slow
def test_policy_rounds_train_keep_record_and_continue(tmp_path, policy_config, tiny_bert):
    w = tmp_path / "w"
    asked = []

    def bfloat16_here(table):  # the precision is measured for the comparison head's encoder, not the policy
        asked.append(table)
        return {"dtype": "bfloat16", "how": "measured", "reason": "faster here", "line": "bfloat16 (measured)"}

    res = run_iterate(load_iterate_config(policy_config, iterations=1), w, log=lambda s: None,
                      precision=bfloat16_here)
    assert [t["model"] for t in asked] == [str(tiny_bert)] and res["encoder_precision"]["dtype"] == "bfloat16"
    assert res["encoder_precision"]["line"].startswith("bfloat16 (measured) for the comparison head's")
    assert res["policy_learning"] and len(res["iterations"]) == 1
    r1 = res["iterations"][0]
    # round 1 searched with the heuristic and trained the LM on its proofs
    assert r1["policy"]["train"]["pairs"] > 0 and (w / "iter1" / "policy" / "model.safetensors").exists()
    proofs = read_trajectories([w / "iter1" / "search.parquet"])
    assert (proofs["label"] == "positive").any()
    assert len(r1["policy"]["candidate_valid_solved"]) == 2
    adopted = r1["policy"]["adopted"]
    assert adopted == (r1["policy"]["candidate_valid_solved"][-1] >= r1["policy"]["kept_valid_solved"][-1])
    assert r1["policy"]["from_iteration"] == (1 if adopted else 0)
    rows = r1["table"]
    assert [r["budget"] for r in rows] == [2, 5] and all({"heuristic", "policy"} <= set(r) for r in rows)
    assert "ebm_policy" in rows[0] and len([k for k in rows[0] if k.startswith("ebm_")]) == 2  # and the other
    # the shipped hard tier's held-out sample has a table of its own, and every difficulty a row
    hard = r1["hard_table"]
    assert [r["budget"] for r in hard] == [2, 5] and hard[0]["total"] == 30 and "ebm_policy" in hard[0]
    tiers = {t["difficulty"]: t for t in r1["tiers"]}
    assert set(tiers) <= set(range(1, 13)) and sum(t["total"] for d, t in tiers.items() if d > 8) == 30
    assert sum(t["total"] for d, t in tiers.items() if d <= 8) == rows[0]["total"]
    easy, hard_tiers = [t for d, t in tiers.items() if d <= 8], [t for d, t in tiers.items() if d > 8]
    for arm in ("heuristic", "policy", "ebm_policy"):
        assert [sum(t[arm][i] for t in easy) for i in range(2)] == [r[arm] for r in rows]
        assert [sum(t[arm][i] for t in hard_tiers) for i in range(2)] == [r[arm] for r in hard]
    # the policy head reads the features of the LM it names: its provenance is that checkpoint's
    from encoder_bridge.policy.features import PolicyEncoder

    head = r1["heads"]["policy"]
    prov = json.loads((w / "iter1" / "ebm" / "meta.json").read_text())["provenance"]
    assert head["features"] == str(w / "iter1" / "policy") and prov["kind"] == "policy"
    assert prov["revision"] == PolicyEncoder(head["features"], [-1]).provenance["revision"]
    assert (w / "embeddings-policy-iter1.parquet").exists() and (w / "embeddings.parquet").exists()
    other = json.loads((w / "iter1" / "ebm_other" / "meta.json").read_text())["provenance"]
    assert other["dtype"] == "bfloat16" and prov.get("dtype", "float32") == "float32"
    assert "centroid_l2" in r1["probe"]["candidate"] and "logreg_cv_accuracy" in r1["probe"]["candidate"]
    assert (w / "report_policy.md").read_text().count("## Round 1") == 1
    man = json.loads((w / "manifest.json").read_text())
    for step in ("iter1.search", "iter1.policy", "iter1.policy_valid", "iter1.policy_keep", "iter1.encode",
                 "iter1.train"):
        assert step in man["steps"], step
    # --iterations 2 continues: round 1 is reused, round 2 searches with the kept policy and trains on
    # the proofs of both rounds
    before = {k: v["finished"] for k, v in man["steps"].items()}
    res = run_iterate(load_iterate_config(policy_config, iterations=2), w, log=lambda s: None)
    man = json.loads((w / "manifest.json").read_text())
    assert all(man["steps"][k]["finished"] == v for k, v in before.items())
    r2 = res["iterations"][1]
    assert r2["policy"]["train"]["pairs"] >= r1["policy"]["train"]["pairs"]
    searched = read_trajectories([w / "iter2" / "search.parquet"])
    if adopted:  # the learned policy's log-probs (the heuristic's are its own noisy scores)
        assert man["steps"]["iter2.search"]["fingerprint"] != man["steps"]["iter1.search"]["fingerprint"]
    assert len(searched["state_pp"]) > 0
    h2 = r2["heads"]["policy"]
    if r2["policy"]["adopted"]:  # a new policy: its states re-encoded into its own cache, a new head on them
        assert h2["features"] == str(w / "iter2" / "policy") and h2["iteration"] == 2
        assert (w / "embeddings-policy-iter2.parquet").exists()
    assert "kept" in r2["probe"] or r1["policy"]["from_iteration"] == 0
    # a new policy is searched with only when, with its head, it does as well on validation as the kept pair
    from qedjax.app.temperatures import validation_score

    h1 = r1["heads"]["policy"]
    if r2["policy"]["from_iteration"] == 2:
        assert validation_score(h2["valid_solved"]) >= validation_score(h1["valid_solved"])
    elif any("with its head" in r for r in r2["policy"]["reasons"]):
        assert r2["heads"] == r1["heads"] and r2["policy"]["from_iteration"] == r1["policy"]["from_iteration"]
    # a re-run skips everything
    before = {k: v["finished"] for k, v in man["steps"].items()}
    run_iterate(load_iterate_config(policy_config, iterations=2), w, log=lambda s: None)
    after = json.loads((w / "manifest.json").read_text())["steps"]
    assert {k: v["finished"] for k, v in after.items()} == before


@pytest.mark.slow
def test_policy_settings_are_checked(tmp_path, tiny_bert):
    bad = tmp_path / "bad.toml"
    refused = [('[encoder]\nmodel = "policy"\n', "train = true"),
               ('[policy]\ntrain = true\n[policy.lm.model]\nhiden_size = 3\n', "hiden_size"),
               ('[policy]\ndepth_bonus_grid = [1.0, -1.0]\n', "depth_bonus_grid"),
               ('[search]\nalgorithm = "puct"\n[policy]\ntrain = true\ndepth_bonus_grid = [1.0]\n', "PUCT"),
               ('[policy]\ninit = "warm"\n', "init"),
               # a missing hard tier file is refused when the config is read, not after the first round's searches
               (f'[policy]\ntrain = true\nhard_theorems = "{tmp_path / "nope.json"}"\n', "nope.json"),
               ('[policy]\ntrain = true\nhard_train = true\n', "hard_train")]
    for text, match in refused:
        bad.write_text(text)
        with pytest.raises(ConfigError, match=match):
            load_iterate_config(bad)
    bad.write_text('[policy]\ntrain = true\nhard_theorems = "hard"\nhard_train = true\n')
    assert load_iterate_config(bad).policy.hard_theorems == "hard"


@pytest.mark.slow
def test_each_policy_searches_at_the_depth_bonus_its_validation_search_chose(tmp_path, tiny_bert):
    """``[policy] depth_bonus_grid``: the heuristic and each new LM are searched policy-only on the
    validation split at every bonus of the grid and keep the best (the earlier on a tie); every later
    search with that policy (training, temperatures, held-out arms, ceiling) runs at its own bonus."""
    import pyarrow.parquet as pq

    from qedjax.app.temperatures import validation_score
    from qedjax.data.trajectory import METADATA_KEY

    text = (SMALL.replace("{model}", "policy").replace('references = ["length"]', 'references = ["distance"]')
            + POLICY.replace("{compare}", str(tiny_bert)).replace("compare_encoders = true", "compare_encoders = false")
            .replace('hard_theorems = "hard"\n', "").replace("train = true\n", "train = true\ndepth_bonus_grid = [1.0, 3.0]\n", 1))
    (tmp_path / "it.toml").write_text(text)
    cfg = load_iterate_config(tmp_path / "it.toml", iterations=1)
    assert cfg.policy.depth_bonus_grid == (1.0, 3.0) and cfg.search.depth_bonus == 0.0  # never [search]'s
    w = tmp_path / "w"
    r1 = run_iterate(cfg, w, log=lambda s: None)["iterations"][0]
    db = r1["policy"]["depth_bonus"]

    def best(tried):  # the most solved summed over the budgets, then at the largest; the first on a tie
        return max(tried, key=lambda t: validation_score(t[1]))[0]

    assert [b for b, _ in db["heuristic_tried"]] == [1.0, 3.0] == [b for b, _ in db["candidate_tried"]]
    assert db["heuristic"] == best(db["heuristic_tried"]) and db["candidate"] == best(db["candidate_tried"])
    man = json.loads((w / "manifest.json").read_text())["steps"]
    for step in ("valid_policy_only.db1", "valid_policy_only.db3", "iter1.policy_valid.db1", "iter1.policy_valid.db3"):
        assert step in man, step

    def bonus(path):
        return json.loads(pq.read_schema(path).metadata[METADATA_KEY])["search_config"]["depth_bonus"]

    assert bonus(w / "iter1" / "search.parquet") == db["heuristic"]  # round 1 searches with the heuristic
    heuristic_arm = w / f"eval_heuristic_db{db['heuristic']:g}"  # not the baseline's eval_policy (bonus 0)
    assert bonus(heuristic_arm / "traj.parquet") == db["heuristic"]
    by_budget = {b["budget"]: b["solved"] for b in json.loads(heuristic_arm.with_suffix(".json").read_text())["budgets"]}
    assert [row["heuristic"] for row in r1["table"]] == [by_budget[b] for b in (2, 5)]
    kept = db["kept"]
    assert kept == (db["candidate"] if r1["policy"]["from_iteration"] == 1 else db["heuristic"])
    tag = "r1" if r1["policy"]["from_iteration"] == 1 else "heuristic"
    assert bonus(w / "iter1" / "eval_ebm" / "traj.parquet") == kept
    ceiling = f"eval_ceiling_{tag}" if tag == "r1" else f"eval_ceiling_heuristic_db{kept:g}"
    assert bonus(w / ceiling / "traj.parquet") == kept
    if tag == "r1":
        assert bonus(w / "eval_policy_r1" / "traj.parquet") == kept
    assert "Depth bonus chosen on the validation split" in (w / "report_policy.md").read_text()
