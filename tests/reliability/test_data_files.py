"""Damaged, odd and hostile input files give one ``error:`` line naming the file, never a traceback, and
change nothing (issue 14, item 6 and the readers behind every command)."""

import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot

RANDOM = os.urandom(4096)


def _bad_files(d, synthetic):
    """name → path of one hostile input each."""
    files = {}
    files["random.parquet"] = RANDOM
    files["empty.parquet"] = b""
    raw = synthetic["emb"].read_bytes()
    files["truncated_emb.parquet"] = raw[: len(raw) // 2]
    raw = synthetic["traj"].read_bytes()
    files["truncated_traj.parquet"] = raw[: len(raw) - 100]
    files["random.json"] = RANDOM
    files["deep.json"] = b"[" * 100_000 + b"]" * 100_000
    files["deep.jsonl"] = b'{"state_pp": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    files["null.json"] = b"null"
    out = {}
    for name, data in files.items():
        (d / name).write_bytes(data)
        out[name] = d / name
    # valid Parquet, invalid content
    fixed = pa.list_(pa.float32(), 4)
    pq.write_table(pa.table({"state_pp": ["a", "b", "c"],
                             "embedding": pa.array([[1, 2, 3, 4], None, [1, 0, 0, 1]], fixed)}),
                   d / "null_row.parquet")
    pq.write_table(pa.table({"state_pp": ["a", None, "c"],
                             "embedding": pa.array([[1, 2, 3, 4], [1, 1, 1, 1], [1, 0, 0, 1]], fixed)}),
                   d / "null_state.parquet")
    pq.write_table(pa.table({"state_pp": ["a", "b"],
                             "embedding": pa.array([[1.0, None, 3.0, 4.0], [1, 1, 1, 1]], fixed)}),
                   d / "null_value.parquet")
    pq.write_table(pa.table({"state_pp": [1, 2], "embedding": pa.array([[1, 2], [3, 4]], pa.list_(pa.int64()))}),
                   d / "int_emb.parquet")
    pq.write_table(pa.table({"state_pp": ["a", "b"], "embedding": [[[1.0]], [[2.0]]]}), d / "nested_emb.parquet")
    t = pq.read_table(synthetic["traj"])
    labels = t.column("label").to_pylist()
    labels[3] = None
    pq.write_table(t.set_column(t.column_names.index("label"), "label", pa.array(labels, pa.utf8())),
                   d / "null_label.parquet")
    names = t.column("theorem_name").to_pylist()
    names[0] = None
    pq.write_table(t.set_column(0, "theorem_name", pa.array(names, pa.utf8())), d / "null_name.parquet")
    pq.write_table(t.set_column(t.column_names.index("state_id"), "state_id",
                                pa.array(["x"] * len(t), pa.utf8())), d / "string_ids.parquet")
    for name in ("null_row", "null_state", "null_value", "int_emb", "nested_emb", "null_label", "null_name",
                 "string_ids"):
        out[f"{name}.parquet"] = d / f"{name}.parquet"
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, synthetic):
    d = tmp_path_factory.mktemp("hostile")
    return d, _bad_files(d, synthetic)


EMB_BAD = ["random.parquet", "empty.parquet", "truncated_emb.parquet", "null_row.parquet", "null_state.parquet",
           "null_value.parquet", "int_emb.parquet", "nested_emb.parquet"]
TRAJ_BAD = ["random.parquet", "empty.parquet", "truncated_traj.parquet", "null_label.parquet",
            "null_name.parquet", "string_ids.parquet"]
JSON_BAD = ["random.json", "deep.json", "deep.jsonl", "null.json"]


@pytest.mark.slow
@pytest.mark.parametrize("name", EMB_BAD)
def test_bad_embedding_caches(hostile, synthetic, name, tmp_path):
    d, files = hostile
    before = snapshot(d)
    bad = files[name]
    assert_refused(qed_run("score", "--checkpoint", synthetic["ebm"], "--embeddings", bad), name)
    assert_refused(qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", bad,
                           "--output", tmp_path / "run", "--quiet"), name)
    assert_refused(qed_run("search", "--split", "test", "--max-theorems", "2", "--quiet", "--ebm", synthetic["ebm"],
                           "--embeddings", bad, "--output", tmp_path / "t.parquet"), name)
    assert not any(tmp_path.iterdir())
    assert_unchanged(d, before)


@pytest.mark.parametrize("name", TRAJ_BAD)
def test_bad_trajectory_files(hostile, synthetic, name, tmp_path):
    d, files = hostile
    before = snapshot(d)
    bad = files[name]
    assert_refused(qed_run("summary", bad), name)
    assert_refused(qed_run("export-proof-paths", bad, "--output", tmp_path / "p.jsonl"), name)
    assert_refused(qed_run("train-ebm", "--trajectories", bad, "--embeddings", synthetic["emb"],
                           "--output", tmp_path / "run", "--quiet"), name)
    if name not in ("null_label.parquet", "null_name.parquet", "string_ids.parquet"):  # encode reads state_pp only
        assert_refused(qed_run("encode", "--input", bad, "--output", tmp_path / "e.parquet", "--quiet"), name)
    assert not any(tmp_path.iterdir())
    assert_unchanged(d, before)


@pytest.mark.parametrize("name", JSON_BAD)
def test_bad_json_inputs(hostile, name, tmp_path):
    d, files = hostile
    before = snapshot(d)
    bad = files[name]
    assert_refused(qed_run("search", "--theorems", bad, "--output", tmp_path / "t.parquet", "--quiet"), name)
    assert_refused(qed_run("probe", "--theorems", bad, "--output", tmp_path / "h.json"), name)
    assert_refused(qed_run("compare", bad, bad), name)
    assert_refused(qed_run("encode", "--input", bad, "--output", tmp_path / "e.parquet", "--quiet"), name)
    assert_refused(qed_run("separation-probe", "--states", bad))
    assert_refused(qed_run("prop", "check", bad))
    assert not any(tmp_path.iterdir())
    assert_unchanged(d, before)


@pytest.mark.parametrize("record, fragment", [
    ({"full_name": "x", "file_path": "a.lean", "traced_tactics": "oops"}, "traced_tactics"),
    ({"full_name": "x", "file_path": "a.lean", "traced_tactics": [{"tactic": "simp"}]}, "traced_tactics"),
    ({"full_name": ["x"], "file_path": "a.lean", "statement": "p"}, "strings"),
    ({"name": "x", "statement": None}, "statement"),
    ({"name": "x"}, "neither"),
    ("just a string", "not an object"),
])
def test_malformed_theorem_records(tmp_path, record, fragment):
    f = tmp_path / "thms.json"
    f.write_text(json.dumps({"theorems": [record]}))
    assert_refused(qed_run("search", "--theorems", f, "--output", tmp_path / "t.parquet", "--quiet"), fragment,
                   "thms.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thms.json"]


def test_split_is_named_with_the_file(tmp_path):
    from qedjax.envs.prop.bench import shipped_benchmark_path

    assert_refused(qed_run("search", "--split", "banana", "--output", tmp_path / "t.parquet", "--quiet"),
                   "'banana'", shipped_benchmark_path().name, "train", "test")
    f = tmp_path / "nosplit.json"
    f.write_text(json.dumps({"theorems": [{"name": "a", "statement": "theorem a (p : Prop) : p → p"}]}))
    assert_refused(qed_run("search", "--theorems", f, "--split", "valid", "--output", tmp_path / "t.parquet"),
                   "nosplit.json", "no 'split' field", "valid")
    f.write_text(json.dumps({"theorems": [{"name": "a", "statement": "theorem a (p : Prop) : p → p",
                                           "split": "train"}]}))
    assert_refused(qed_run("search", "--theorems", f, "--split", "test", "--output", tmp_path / "t.parquet"),
                   "nosplit.json", "'test'", "train")
    assert_refused(qed_run("probe", "--theorems", f, "--split", "test", "--output", tmp_path / "h.json"),
                   "nosplit.json", "'test'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nosplit.json"]


def test_damaged_eval_json_for_compare(tmp_path):
    good = {"per_theorem": [{"name": "a", "proved": True}], "budgets": [{"budget": 5, "solved": 1}]}
    a = tmp_path / "a.json"
    a.write_text(json.dumps(good))
    for bad in ({"per_theorem": [{"name": ["a"], "proved": True}]},
                {"per_theorem": [{"name": "a", "proved": True}], "budgets": [{"budget": "five"}]},
                {"per_theorem": "no"}, [1, 2]):
        b = tmp_path / "b.json"
        b.write_text(json.dumps(bad))
        assert_refused(qed_run("compare", a, b), "b.json")


def test_embedding_cache_with_damaged_provenance(tmp_path, synthetic):
    t = pq.read_table(synthetic["emb"])
    for raw in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        p = tmp_path / "bad_prov.parquet"
        pq.write_table(t.replace_schema_metadata({b"qedjax.encoder_provenance": raw}), p)
        assert_refused(qed_run("score", "--checkpoint", synthetic["ebm"], "--embeddings", p), "bad_prov.parquet",
                       "provenance")


def test_null_rows_are_counted(hostile, synthetic):
    d, files = hostile
    line = assert_refused(qed_run("score", "--checkpoint", synthetic["ebm"], "--embeddings",
                                  files["null_row.parquet"]))
    assert "1 of 3 embeddings are null" in line
    assert np.isfinite(1.0)
