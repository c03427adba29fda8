"""Nothing a user owns is overwritten by surprise, a failed start leaves nothing that blocks the rerun,
and a resume checks the content it depends on (issue 29, items 3, 5 and 6)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot

SEARCH = ["--split", "test", "--max-theorems", "2", "--max-nodes", "3", "--quiet"]


@pytest.fixture()
def inputs(tmp_path, synthetic):
    """Copies of the inputs in a folder of their own (so that snapshots see every change)."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(synthetic["traj"], d / "traj.parquet")
    shutil.copy(synthetic["emb"], d / "emb.parquet")
    shutil.copytree(synthetic["ebm"], d / "ebm")
    (d / "thms.json").write_text(json.dumps({"theorems": [
        {"name": "a", "statement": "theorem a (p : Prop) : p → p"}]}))
    return d


def _input_as_output(d, synthetic):
    emb, traj, ebm, thms = d / "emb.parquet", d / "traj.parquet", d / "ebm", d / "thms.json"
    return [
        ["score", "--checkpoint", ebm, "--embeddings", emb, "--output", emb, "--overwrite"],
        ["score", "--checkpoint", ebm, "--embeddings", emb, "--output", ebm / "x.csv", "--overwrite"],
        ["export-proof-paths", traj, "--output", traj, "--overwrite"],
        ["eval", "--theorems", thms, "--budgets", "3", "--quiet", "--output", thms, "--overwrite"],
        ["probe", "--theorems", thms, "--output", thms, "--overwrite"],
        ["search", "--theorems", thms, "--max-nodes", "3", "--quiet", "--output", thms],
        ["search", "--dry-run", "--theorems", thms, "--dry-run-output", thms, "--overwrite"],
        ["search", *SEARCH, "--ebm", ebm, "--embeddings", emb, "--output", emb],
        ["export-ebm", "--checkpoint", ebm, "--output", ebm / "model.npz", "--overwrite"],
        ["search", *SEARCH, "--config", d / "s.toml", "--output", d / "s.toml"],
        ["export-proof-paths", traj, "--output", d / "link.jsonl", "--overwrite"],
    ]


def test_an_input_is_never_the_output_even_with_overwrite(inputs, synthetic):
    (inputs / "s.toml").write_text("max_nodes = 3\n")
    (inputs / "link.jsonl").symlink_to(inputs / "traj.parquet")
    before = snapshot(inputs)
    for args in _input_as_output(inputs, synthetic):
        line = assert_refused(qed_run(*args))
        assert "input" in line and "never replaced" in line or "inside the input" in line, line
        assert_unchanged(inputs, before)


def test_an_existing_file_is_never_replaced_without_overwrite(tmp_path, synthetic):
    mine = tmp_path / "mine.jsonl"
    mine.write_text("my notes\n")
    before = snapshot(tmp_path)
    for args in (["search", "--dry-run", "--split", "test", "--max-theorems", "2", "--dry-run-output", mine],
                 ["export-proof-paths", synthetic["traj"], "--output", mine],
                 ["score", "--checkpoint", synthetic["ebm"], "--embeddings", synthetic["emb"], "--output", mine],
                 ["probe", "--split", "test", "--max-theorems", "2", "--output", mine]):
        assert_refused(qed_run(*args), "mine.jsonl", "--overwrite")
    assert_unchanged(tmp_path, before)
    run = qed_run("search", "--dry-run", "--split", "test", "--max-theorems", "2", "--dry-run-output", mine,
                  "--overwrite")
    assert run.code == 0 and mine.read_text() != "my notes\n"


@pytest.mark.parametrize("value", ["", "out/", "sub/out.parquet/", ".", ".."])
def test_an_output_path_that_names_no_file(tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    for args in (["search", *SEARCH, "--output", value], ["eval", *SEARCH, "--budgets", "3", "--output", value],
                 ["export-proof-paths", "t.parquet", "--output", value],
                 ["search", "--dry-run", "--split", "test", "--dry-run-output", value]):
        assert_refused(qed_run(*args), "--")
    assert_refused(qed_run("train-ebm", "--trajectories", "t.parquet", "--embeddings", "e.parquet", "--output", ""),
                   "--output", "empty")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_the_commands_own(tmp_path, synthetic):
    for name in ("w", "demo", "run"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "thesis.tex").write_text("mine\n")
    before = snapshot(tmp_path)
    assert_refused(qed_run("iterate", "--workdir", tmp_path / "w"), "--workdir", "not empty", "qed iterate")
    assert_refused(qed_run("demo", "--output", tmp_path / "demo"), "--output", "not empty")
    assert_refused(qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"],
                           "--output", tmp_path / "run", "--quiet"), "--output", "not empty", "EBM")
    assert_unchanged(tmp_path, before)


# -- a failed start ----------------------------------------------------------------------------------

def _train(synthetic, out, *extra):
    return qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"],
                   "--output", out, "--config", synthetic["cfg"], "--steps", "20", "--quiet", *extra)


@pytest.mark.slow
def test_training_that_fails_before_its_first_checkpoint_leaves_nothing(tmp_path, synthetic, monkeypatch):
    """A run that dies on its first step (here: the step raises) removes its meta.json and folders."""
    from click.testing import CliRunner
    from qedjax_cli.main import qed

    from qedjax.ebm import train as train_module

    def diverged(self, *args, **kwargs):
        raise FloatingPointError("loss is NaN at step 1")

    out = tmp_path / "sub" / "run"
    monkeypatch.setattr(train_module.Trainer, "put_chunk", diverged)
    res = CliRunner().invoke(qed, ["train-ebm", "--trajectories", str(synthetic["traj"]), "--embeddings",
                                   str(synthetic["emb"]), "--output", str(out), "--config", str(synthetic["cfg"]),
                                   "--steps", "20", "--quiet"])
    assert isinstance(res.exception, FloatingPointError)
    assert not (tmp_path / "sub").exists(), sorted(str(p) for p in tmp_path.rglob("*"))
    monkeypatch.undo()
    assert _train(synthetic, out).code == 0  # the corrected rerun, without --resume
    # a run killed before its first checkpoint (SIGKILL: no cleanup) leaves meta.json: it trained nothing
    shutil.rmtree(out / "checkpoints")
    run = _train(synthetic, out)
    assert run.code == 0, run.text
    assert (out / "checkpoints").is_dir()


# -- resume checks content -----------------------------------------------------------------------

def _reencode_in_place(cache):
    """The same states and provenance, other vectors (e.g. the encoder's weights changed on disk)."""
    t = pq.read_table(cache)
    emb = np.asarray(t.column("embedding").to_pylist(), np.float32)
    emb = emb[::-1].copy()  # same values, other states
    col = pa.FixedSizeListArray.from_arrays(pa.array(emb.reshape(-1), pa.float32()), emb.shape[1])
    pq.write_table(t.set_column(1, "embedding", col).replace_schema_metadata(t.schema.metadata), cache)


@pytest.mark.slow
def test_train_resume_refuses_a_cache_reencoded_in_place(tmp_path, synthetic):
    emb = tmp_path / "emb.parquet"
    shutil.copy(synthetic["emb"], emb)
    out = tmp_path / "run"
    args = ["train-ebm", "--trajectories", synthetic["traj"], "--embeddings", emb, "--output", out,
            "--config", synthetic["cfg"], "--steps", "40", "--quiet"]
    assert qed_run(*args).code == 0
    assert qed_run(*args, "--resume").code == 0  # the same data: continues
    _reencode_in_place(emb)
    before = snapshot(tmp_path)
    assert_refused(qed_run(*args, "--resume"), "--resume", "training data differs", "re-encoded")
    assert_unchanged(tmp_path, before)


def test_search_resume_refuses_a_cache_changed_inside(tmp_path, synthetic):
    emb = tmp_path / "emb.parquet"
    shutil.copy(synthetic["emb"], emb)
    args = ["search", *SEARCH, "--ebm", synthetic["ebm"], "--embeddings", emb, "--output", tmp_path / "t.parquet"]
    assert qed_run(*args).code == 0
    _reencode_in_place(emb)
    before = snapshot(tmp_path)
    assert_refused(qed_run(*args, "--resume"), "search parts differ ", "embeddings")
    assert_unchanged(tmp_path, before)


def test_an_iterate_start_that_fails_leaves_no_manifest(tmp_path):
    """A failed start wrote manifest.json with its config, and the corrected config was then refused as
    another run's: a folder that was new or empty is left as it was."""
    cfg = tmp_path / "it.toml"
    cfg.write_text(f'[iterate]\ntheorems = "{tmp_path / "missing.json"}"\n')
    (tmp_path / "empty").mkdir()
    for workdir in (tmp_path / "new" / "w", tmp_path / "empty"):
        assert_refused(qed_run("iterate", "--config", cfg, "--workdir", workdir), "missing.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "it.toml"]
    assert list((tmp_path / "empty").iterdir()) == []
