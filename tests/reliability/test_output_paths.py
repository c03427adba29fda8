"""An output path through an existing file, or a directory where a file is needed (and the reverse),
is one line and creates nothing (issue 14, item 6)."""

import pytest

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot


@pytest.fixture()
def blocker(tmp_path):
    (tmp_path / "afile").write_text("keep me\n")
    (tmp_path / "adir").mkdir()
    (tmp_path / "adir" / "inside.txt").write_text("keep me too\n")
    return tmp_path


def _cases(d, synthetic):
    emb, traj, ebm = synthetic["emb"], synthetic["traj"], synthetic["ebm"]
    search = ["--split", "train", "--max-theorems", "2", "--max-nodes", "3", "--quiet"]
    return [
        (["search", *search, "--output", d / "afile" / "t.parquet"], "afile"),
        (["search", *search, "--output", d / "adir"], "adir"),
        (["eval", "--split", "test", "--max-theorems", "2", "--budgets", "3", "--quiet",
          "--output", d / "afile" / "e.json"], "afile"),
        (["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", d / "afile" / "run"], "afile"),
        (["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", d / "afile"], "afile"),
        (["iterate", "--workdir", d / "afile" / "w"], "afile"),
        (["demo", "--output", d / "afile" / "demo"], "afile"),
        (["prop", "gen", "--output", d / "afile" / "bench", "--count", "4"], "afile"),
        (["score", "--checkpoint", ebm, "--embeddings", emb, "--output", d / "afile" / "s.csv"], "afile"),
        (["score", "--checkpoint", ebm, "--embeddings", emb, "--output", d / "adir"], "adir"),
        (["export-ebm", "--checkpoint", ebm, "--output", d / "afile" / "h.npz"], "afile"),
        (["encode", "--input", traj, "--output", d / "afile" / "e.parquet"], "afile"),
        (["probe", "--split", "test", "--max-theorems", "2", "--output", d / "afile" / "hard.json"], "afile"),
        (["export-proof-paths", traj, "--output", d / "afile" / "p.jsonl"], "afile"),
        (["summary", d / "adir"], "adir"),
        (["compare", d / "adir", d / "afile"], "adir"),
        (["train-ebm", "--trajectories", d / "adir", "--embeddings", emb, "--output", d / "run"], "adir"),
        (["score", "--checkpoint", ebm, "--embeddings", d / "adir"], "adir"),
        (["search", "--theorems", d / "adir", "--output", d / "t.parquet"], "adir"),
    ]


def test_misplaced_outputs_and_inputs_are_one_line(blocker, synthetic):
    before = snapshot(blocker)
    for args, name in _cases(blocker, synthetic):
        assert_refused(qed_run(*args), name)
        assert_unchanged(blocker, before)
