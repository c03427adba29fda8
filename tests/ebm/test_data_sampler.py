"""Parquet formats and the contrastive sampler."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from qedjax.data.embeddings import read_embeddings, write_embeddings
from qedjax.data.trajectory import BURNQED_COLUMNS, read_trajectories, write_trajectory
from qedjax.ebm.config import SamplerConfig
from qedjax.ebm.data import load_contrastive_data, sample_batch, sample_uniform_batch
from qedjax.ebm.synthetic import make_synthetic, write_synthetic
from qedjax.errors import DataError


def node(theorem, sid, pp, parent, label, rd=-1, terminal=False):
    return dict(theorem_name=theorem, state_id=sid, state_pp=pp, tactic_applied="t",
                parent_state_id=parent, label=label, depth_from_root=0, remaining_depth=rd,
                llm_log_prob=-1.0, ebm_score=None, is_proof_complete=terminal, timestamp_ms=sid)


def test_reads_burnqed_12_column_file(tmp_path):
    records, _, _ = make_synthetic(n_theorems=2, dim=4)
    table = pa.table({c: [r[c] for r in records] for c in BURNQED_COLUMNS})
    table = table.set_column(table.column_names.index("ebm_score"), "ebm_score",
                             pa.array([0.0] * len(records), pa.float64()))
    pq.write_table(table, tmp_path / "old.parquet")
    cols = read_trajectories([tmp_path / "old.parquet"])
    assert len(cols["state_pp"]) == len(records)
    assert np.isnan(cols["q_value"]).all()  # missing optional column → nulls


def test_trajectory_round_trip_keeps_null_scores(tmp_path):
    records, _, _ = make_synthetic(n_theorems=2, dim=4)
    write_trajectory(tmp_path / "t.parquet", records, {"run": 1})
    cols = read_trajectories([tmp_path / "t.parquet"])
    assert np.isnan(cols["ebm_score"]).all()  # null, never a 0.0 sentinel
    assert list(cols["label"]) == [r["label"] for r in records]
    assert cols["parent_state_id_is_null"].sum() == 7  # 2 proved + 5 unproved roots


@pytest.mark.parametrize("value_type", [pa.float16(), pa.float32(), pa.float64()])
def test_reads_burnqed_embedding_lists(tmp_path, value_type):
    vecs = np.random.default_rng(0).normal(size=(3, 5)).astype(np.float32)
    col = pa.array([list(map(float, v)) for v in vecs], pa.list_(value_type))
    pq.write_table(pa.table({"state_pp": ["a", "b", "c"], "embedding": col}), tmp_path / "e.parquet")
    states, emb, prov = read_embeddings(tmp_path / "e.parquet")
    assert states == ["a", "b", "c"] and emb.dtype == np.float32 and prov is None
    np.testing.assert_allclose(emb, vecs, rtol=1e-2 if value_type == pa.float16() else 1e-6)
    assert emb.flags["C_CONTIGUOUS"]


def test_embedding_guards(tmp_path):
    v = np.ones((3, 4), np.float32)
    v[1] = 0.0
    with pytest.raises(DataError, match="all-zero"):
        write_embeddings(tmp_path / "z.parquet", ["a", "b", "c"], v, None)
    v[1] = np.nan
    with pytest.raises(DataError, match="NaN"):
        write_embeddings(tmp_path / "n.parquet", ["a", "b", "c"], v, None)


def _data(tmp_path, **kw):
    traj, emb = write_synthetic(tmp_path, **kw)
    return traj, emb


def test_split_by_theorem_is_disjoint_and_seeded(tmp_path):
    traj, emb = _data(tmp_path, n_theorems=30, dim=8)
    cfg = SamplerConfig(val_fraction=0.2)
    a = load_contrastive_data([traj], emb, cfg, seed=0)
    b = load_contrastive_data([traj], emb, cfg, seed=0)
    c = load_contrastive_data([traj], emb, cfg, seed=1)
    assert set(a.train.theorems).isdisjoint(a.val.theorems)
    assert a.val.theorems == b.val.theorems and a.val.theorems != c.val.theorems
    # terminal rows (empty state_pp) are never sampled
    ids, _ = sample_batch(a.train, cfg, 256, np.random.default_rng(0))
    cols = read_trajectories([traj])
    assert all(cols["state_pp"][i] != "" for i in ids.ravel())


def test_sampler_honours_ratios(tmp_path):
    # 6 siblings per node: hard pool always large enough for 2 of K=4
    traj, emb = _data(tmp_path, n_theorems=20, dim=8, siblings=6, path_len=4)
    cfg = SamplerConfig(k_negatives=4, hard_ratio=0.5, medium_ratio=0.25, val_fraction=0.0)
    data = load_contrastive_data([traj], emb, cfg, seed=0)
    cols = read_trajectories([traj])
    ids, depth = sample_batch(data.train, cfg, 512, np.random.default_rng(1))
    tiers = _tiers(cols, ids)
    roots = cols["parent_state_id_is_null"][ids[:, 0]]
    non_root = ~roots
    assert (tiers[non_root] == ["hard", "hard", "medium", "easy"]).all()
    # root positives have no siblings: hard overflows into medium
    assert (tiers[roots] == ["medium", "medium", "medium", "easy"]).all()
    assert (depth >= 0).all()
    for row in ids:  # negatives distinct within a row
        assert len(set(row[1:])) == 4


def _tiers(cols, ids):
    out = np.empty(ids[:, 1:].shape, dtype=object)
    for b, row in enumerate(ids):
        p = row[0]
        for j, n in enumerate(row[1:]):
            same_thm = cols["theorem_name"][n] == cols["theorem_name"][p]
            sib = same_thm and cols["parent_state_id"][n] == cols["parent_state_id"][p] \
                and not cols["parent_state_id_is_null"][p]
            assert cols["label"][n] == "negative"
            out[b, j] = "hard" if sib else ("medium" if same_thm else "easy")
    return out


def test_sampler_overflows_to_easy_when_theorem_runs_short(tmp_path):
    # 1 sibling per node, path of 1: each theorem has only 1 negative
    traj, emb = _data(tmp_path, n_theorems=10, dim=8, siblings=1, path_len=1, n_unproved=0)
    cfg = SamplerConfig(k_negatives=4, hard_ratio=0.5, medium_ratio=0.5, val_fraction=0.0)
    data = load_contrastive_data([traj], emb, cfg, seed=0)
    cols = read_trajectories([traj])
    ids, _ = sample_batch(data.train, cfg, 64, np.random.default_rng(0))
    tiers = _tiers(cols, ids)
    for row in tiers:
        assert sum(t in ("hard", "medium") for t in row) <= 1
        assert sum(t == "easy" for t in row) >= 3


def test_uniform_validation_batch(tmp_path):
    traj, emb = _data(tmp_path, n_theorems=10, dim=8)
    data = load_contrastive_data([traj], emb, SamplerConfig(val_fraction=0.3), seed=0)
    ids, _ = sample_uniform_batch(data.val, 4, 32, np.random.default_rng(0))
    assert set(ids[:, 1:].ravel()) <= set(data.val.all_negs)


def test_bad_inputs(tmp_path):
    cfg = SamplerConfig()
    records = [node("a", 0, "s0", None, "negative"), node("a", 1, "s1", 0, "negative")]
    write_trajectory(tmp_path / "nopos.parquet", records)
    write_embeddings(tmp_path / "e.parquet", ["s0", "s1"], np.ones((2, 4), np.float32), None)
    with pytest.raises(DataError, match="no positive"):
        load_contrastive_data([tmp_path / "nopos.parquet"], tmp_path / "e.parquet", cfg, 0)
    records = [node("a", 0, "s0", None, "positive", 1), node("a", 1, "", 0, "positive", 0, True)]
    write_trajectory(tmp_path / "noneg.parquet", records)
    with pytest.raises(DataError, match="no negative"):
        load_contrastive_data([tmp_path / "noneg.parquet"], tmp_path / "e.parquet", cfg, 0)
    records = [node("a", 0, "s0", None, "positive", 1), node("a", 1, "s9", 0, "negative")]
    write_trajectory(tmp_path / "miss.parquet", records)
    with pytest.raises(DataError, match="no embedding"):
        load_contrastive_data([tmp_path / "miss.parquet"], tmp_path / "e.parquet", cfg, 0)
    with pytest.raises(DataError, match="dim"):
        load_contrastive_data([tmp_path / "nopos.parquet"], tmp_path / "e.parquet", cfg, 0, expected_dim=8)


def _two_rounds(tmp_path):
    """Two searches of theorem T, as two rounds write them: both number their nodes from 0. Round 1
    proves T by root → a1 → x1 (b1 is a1's negative sibling); round 2 by root → c2 → d2, with e2 a dead
    end beside d2, f2 beside c2, and g2 a child of the dead end e2 (node 3, as x1 is in round 1)."""
    r1 = [node("T", 0, "root", None, "positive", 3), node("T", 1, "a1", 0, "positive", 2),
          node("T", 2, "b1", 0, "negative"), node("T", 3, "x1", 1, "positive", 1),
          node("T", 4, "", 3, "positive", 0, terminal=True)]
    r2 = [node("T", 0, "root", None, "positive", 3), node("T", 1, "c2", 0, "positive", 2),
          node("T", 2, "d2", 1, "positive", 1), node("T", 3, "e2", 1, "negative"),
          node("T", 4, "f2", 0, "negative"), node("T", 5, "", 2, "positive", 0, terminal=True),
          node("T", 6, "g2", 3, "negative")]
    paths = [tmp_path / "r1.parquet", tmp_path / "r2.parquet"]
    write_trajectory(paths[0], r1)
    write_trajectory(paths[1], r2)
    return paths


def test_merging_rounds_keeps_every_node_in_its_own_tree(tmp_path):
    from qedjax.data.trajectory import write_subset

    paths = _two_rounds(tmp_path)
    write_subset(paths, np.arange(12), tmp_path / "merged.parquet")
    want = [None, "root", "root", "a1", "x1", None, "root", "c2", "c2", "root", "d2", "e2"]
    # the two files read together, and the one file they were merged into
    for cols in (read_trajectories(paths), read_trajectories([tmp_path / "merged.parquet"])):
        ids = cols["state_id"]
        assert len(set(ids.tolist())) == 12  # distinct across the files
        text_of = dict(zip(ids.tolist(), cols["state_pp"].tolist()))
        parent_text = [None if null else text_of[int(p)]
                       for p, null in zip(cols["parent_state_id"], cols["parent_state_id_is_null"])]
        assert parent_text == want
    # a single file is written as it was
    write_subset(paths[:1], np.arange(5), tmp_path / "one.parquet")
    assert read_trajectories([tmp_path / "one.parquet"])["state_id"].tolist() == [0, 1, 2, 3, 4]


def test_hard_negatives_are_siblings_in_the_positives_own_tree(tmp_path):
    from qedjax.app.training_data import subsample_for_training
    from qedjax.data.trajectory import write_subset

    paths = _two_rounds(tmp_path)
    states = ["root", "a1", "b1", "x1", "c2", "d2", "e2", "f2", "g2"]
    write_embeddings(tmp_path / "e.parquet", states,
                     np.random.default_rng(0).normal(size=(len(states), 4)).astype(np.float32), None)
    cfg = SamplerConfig(val_fraction=0.0)

    def siblings(traj_paths):
        data = load_contrastive_data(traj_paths, tmp_path / "e.parquet", cfg, seed=0)
        cols = read_trajectories(traj_paths)
        split = data.train
        return {cols["state_pp"][p]: sorted(cols["state_pp"][split.hard_ids[split.hard_off[i]:split.hard_off[i + 1]]])
                for i, p in enumerate(split.positives)}

    want = {"root": [], "a1": ["b1"], "x1": [], "c2": ["f2"], "d2": ["e2"]}
    assert siblings(paths) == want  # two files
    write_subset(paths, np.arange(12), tmp_path / "merged.parquet")
    assert siblings([tmp_path / "merged.parquet"]) == want  # one merged file
    # the training subsample keeps a positive's siblings from its own round only: with no other
    # negatives, g2 (under round 2's dead end 3) is not taken for a sibling of round 1's proof under x1
    cols = read_trajectories(paths)
    kept = sorted(cols["state_pp"][i] for i in subsample_for_training(cols, 0, seed=0))
    assert kept == sorted(["root", "a1", "b1", "x1", "", "root", "c2", "d2", "e2", "f2", ""])
