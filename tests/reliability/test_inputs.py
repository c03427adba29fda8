"""Nothing is silently wrong about the inputs (issue 29, item 2): theorem files and Parquet files that no
search writes are refused with one line naming the file; a theorem that does not parse is reported on
stderr and counted apart from the searches."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .conftest import assert_no_traceback, assert_refused, assert_unchanged, qed_run, snapshot

FAST = ["--max-nodes", "3", "--quiet"]
GOOD = [{"name": "swap", "statement": "theorem swap (p q : Prop) : p ∧ q → q ∧ p"},
        {"name": "id", "statement": "theorem id' (p : Prop) : p → p"}]


def _theorems(path, rows):
    path.write_text(json.dumps({"theorems": rows}))
    return path


# -- theorem files -----------------------------------------------------------------------------------

def test_an_unparsable_theorem_is_reported_and_counted_apart(tmp_path):
    thms = _theorems(tmp_path / "t.json", GOOD + [{"name": "bad", "statement": "theorem bad (p : Prop) : p ∧∧ p"}])
    run = qed_run("search", "--theorems", thms, "--output", tmp_path / "t.parquet", *FAST)
    assert_no_traceback(run)
    assert run.code == 0, run.text
    warned = [ln for ln in run.err.splitlines() if ln.startswith("warning:")]
    assert len(warned) == 1 and "t.json" in warned[0] and "'bad'" in warned[0], run.err
    assert run.out.startswith("solved ") and "/2 (" in run.out and "1 theorem not searched" in run.out, run.out
    rows = (tmp_path / "t.parquet.theorems.jsonl").read_text().splitlines()
    assert sorted(json.loads(r)["theorem"] for r in rows) == ["id", "swap"]
    ev = qed_run("eval", "--theorems", thms, "--output", tmp_path / "e.json", "--budgets", "3", "--quiet")
    assert ev.code == 0 and "'bad'" in ev.err, ev.text
    result = json.loads((tmp_path / "e.json").read_text())
    assert result["total"] == 2 and [r["name"] for r in result["config"]["not_searched"]] == ["bad"]


def test_a_file_where_nothing_parses_is_refused(tmp_path):
    thms = _theorems(tmp_path / "t.json", [{"name": "x", "statement": "theorem x : ((("},
                                            {"name": "y", "statement": "p ∧"}])
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--theorems", thms, "--output", tmp_path / "t.parquet", *FAST),
                   "t.json", "none of its 2", "'x'")
    assert_unchanged(tmp_path, before)


@pytest.mark.parametrize("record, fragment", [
    ({"name": None, "statement": GOOD[0]["statement"]}, "'name' must be a non-empty string, got null"),
    ({"name": "", "statement": GOOD[0]["statement"]}, "'name' must be a non-empty string"),
    ({"name": 7, "statement": GOOD[0]["statement"]}, "got 7"),
    ({"name": "a", "statement": "  "}, "empty statement"),
    ({"name": None, "formal_statement": "theorem a : True", "split": "test", "header": ""}, "'name'"),
    ({"full_name": None, "file_path": "a.lean", "statement": "x"}, "'full_name'"),
])
def test_theorem_names_and_statements_must_be_real(tmp_path, record, fragment):
    thms = _theorems(tmp_path / "t.json", [GOOD[1], record])
    before = snapshot(tmp_path)
    for cmd in (["search", "--theorems", thms, "--output", tmp_path / "t.parquet", *FAST],
                ["probe", "--theorems", thms, "--output", tmp_path / "h.json"]):
        assert_refused(qed_run(*cmd), "t.json", fragment)
    assert_unchanged(tmp_path, before)


def test_a_lean_file_that_declares_a_name_twice(tmp_path):
    f = tmp_path / "t.lean"
    f.write_text("theorem dup (p : Prop) : p → p := by\n  intro h\n  exact h\n\n"
                 "theorem other (p : Prop) : p → p := by\n  sorry\n\n"
                 "theorem dup (p q : Prop) : p → q → p := by\n  sorry\n")
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--theorems", f, "--output", tmp_path / "t.parquet", *FAST),
                   "t.lean:8", "'dup' is declared twice", "line 1")
    assert_unchanged(tmp_path, before)


# -- Parquet inputs ----------------------------------------------------------------------------------

def _traj(tmp_path, synthetic, name, change):
    t = pq.read_table(synthetic["traj"])
    out = tmp_path / name
    pq.write_table(change(t), out)
    return out


def _set(t, col, values):
    return t.set_column(t.column_names.index(col), col, pa.array(values, t.schema.field(col).type))


def _cycle(t):
    par, ids, names = (t.column(c).to_pylist() for c in ("parent_state_id", "state_id", "theorem_name"))
    root = next(i for i, p in enumerate(par) if p is None)
    child = next(i for i, p in enumerate(par) if p == ids[root] and names[i] == names[root])
    par[root] = ids[child]
    return _set(t, "parent_state_id", par)


def _self_parent(t):
    par, ids = t.column("parent_state_id").to_pylist(), t.column("state_id").to_pylist()
    par[5] = ids[5]
    return _set(t, "parent_state_id", par)


def _log_prob(value):
    def change(t):
        lp = t.column("llm_log_prob").to_pylist()
        lp[7] = value
        return _set(t, "llm_log_prob", lp)
    return change


def _duplicate_id(t):
    ids = t.column("state_id").to_pylist()
    ids[2] = ids[1]
    return _set(t, "state_id", ids)


BAD_TRAJECTORIES = {
    "cycle.parquet": (_cycle, "form a cycle"),
    "self_parent.parquet": (_self_parent, "form a cycle"),
    "no_rows.parquet": (lambda t: t.slice(0, 0), "no rows"),
    "nan_log_prob.parquet": (_log_prob(float("nan")), "non-finite llm_log_prob (NaN)"),
    "neg_inf_log_prob.parquet": (_log_prob(float("-inf")), "non-finite llm_log_prob (-inf)"),
    "pos_inf_log_prob.parquet": (_log_prob(float("inf")), "non-finite llm_log_prob (+inf)"),
    "duplicate_id.parquet": (_duplicate_id, "two rows with state_id"),
}


@pytest.mark.parametrize("name", list(BAD_TRAJECTORIES))
def test_trajectories_no_search_writes(tmp_path, synthetic, name):
    change, fragment = BAD_TRAJECTORIES[name]
    bad = _traj(tmp_path, synthetic, name, change)
    before = snapshot(tmp_path)
    for args in (["summary", bad], ["export-proof-paths", bad, "--output", tmp_path / "p.jsonl"],
                 ["train-ebm", "--trajectories", bad, "--embeddings", synthetic["emb"], "--output", tmp_path / "r",
                  "--config", synthetic["cfg"], "--steps", "5", "--quiet"]):
        assert_refused(qed_run(*args), name, fragment)
    assert_unchanged(tmp_path, before)


def test_a_trajectory_subset_with_missing_parents_is_still_read(tmp_path, synthetic):
    """Training subsets keep some nodes of a tree and not others: a parent absent from the file is fine."""
    sub = _traj(tmp_path, synthetic, "sub.parquet", lambda t: t.filter(pa.array(np.arange(len(t)) % 3 != 0)))
    run = qed_run("summary", sub)
    assert run.code == 0, run.text


def test_the_same_file_given_twice(tmp_path, synthetic):
    traj = tmp_path / "a.parquet"
    shutil.copy(synthetic["traj"], traj)
    (tmp_path / "link.parquet").symlink_to(traj)
    before = snapshot(tmp_path)
    for second in (traj, tmp_path / "." / "a.parquet", tmp_path / "link.parquet"):
        assert_refused(qed_run("train-ebm", "--trajectories", traj, "--trajectories", second, "--embeddings",
                               synthetic["emb"], "--output", tmp_path / "r", "--quiet"), "given twice")
        assert_refused(qed_run("summary", traj, second), "a.parquet", "given twice")
        assert_refused(qed_run("export-proof-paths", traj, second, "--output", tmp_path / "p.jsonl"), "given twice")
        assert_refused(qed_run("encode", "--input", traj, "--input", second, "--output", tmp_path / "e.parquet",
                               "--quiet"), "given twice")
    assert_unchanged(tmp_path, before)


def _cache(tmp_path, synthetic, name, change):
    t = pq.read_table(synthetic["emb"])
    out = tmp_path / name
    pq.write_table(change(t).replace_schema_metadata(t.schema.metadata), out)
    return out


def _second_vector(t, same: bool):
    row = t.slice(3, 1)
    vec = np.asarray(row.column("embedding").to_pylist(), np.float32)
    if not same:
        vec = vec + 1.0
    row = row.set_column(1, "embedding", pa.array(vec.tolist(), t.schema.field("embedding").type))
    return pa.concat_tables([t, row])


def test_an_embedding_cache_with_one_state_under_two_vectors(tmp_path, synthetic):
    bad = _cache(tmp_path, synthetic, "two.parquet", lambda t: _second_vector(t, same=False))
    empty = _cache(tmp_path, synthetic, "empty.parquet", lambda t: t.slice(0, 0))
    before = snapshot(tmp_path)
    for cache, fragment in ((bad, "appear twice with different vectors"), (empty, "no rows")):
        assert_refused(qed_run("score", "--checkpoint", synthetic["ebm"], "--embeddings", cache), cache.name, fragment)
        assert_refused(qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", cache, "--output",
                               tmp_path / "r", "--config", synthetic["cfg"], "--steps", "5", "--quiet"),
                       cache.name, fragment)
        assert_refused(qed_run("search", "--split", "test", "--max-theorems", "1", *FAST, "--ebm", synthetic["ebm"],
                               "--embeddings", cache, "--output", tmp_path / "t.parquet"), cache.name, fragment)
    assert_unchanged(tmp_path, before)
    same = _cache(tmp_path, synthetic, "same.parquet", lambda t: _second_vector(t, same=True))
    assert qed_run("score", "--checkpoint", synthetic["ebm"], "--embeddings", same).code == 0
