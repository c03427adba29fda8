"""A start that fails leaves nothing behind that blocks the corrected command (issue 14, item 4)."""

import json
import shutil

import pytest

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot

FAST = ["--split", "train", "--max-theorems", "4", "--max-nodes", "5", "--quiet"]


def _broken_ebm(d):
    (d / "meta.json").parent.mkdir(parents=True, exist_ok=True)
    (d / "meta.json").write_text("{}")  # looks like a checkpoint directory, is not one
    return d


def test_search_whose_parts_cannot_be_built_leaves_nothing(tmp_path):
    out = tmp_path / "sub" / "t.parquet"
    for bad in (["--policy", "hf", "--hf-model", str(tmp_path / "no-model")],
                ["--ebm", str(_broken_ebm(tmp_path / "ebm"))]):
        before = snapshot(tmp_path)
        assert_refused(qed_run("search", "--output", out, *FAST, *bad))
        assert_unchanged(tmp_path, before)
        assert not (tmp_path / "sub").exists()
    run = qed_run("search", "--output", out, *FAST)  # the corrected command, without --resume
    assert run.code == 0, run.text
    assert out.is_file()


@pytest.mark.multiprocess
def test_failed_start_with_worker_processes_leaves_nothing(tmp_path):
    out = tmp_path / "t.parquet"
    ebm = _broken_ebm(tmp_path / "ebm")
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--output", out, *FAST, "--workers", "2", "--ebm", ebm), "meta.json")
    assert_unchanged(tmp_path, before)
    assert qed_run("search", "--output", out, *FAST, "--workers", "2").code == 0


def test_failed_eval_start_leaves_nothing_and_overwrite_keeps_the_old_results(tmp_path):
    out = tmp_path / "e.json"
    common = ["eval", "--output", out, "--split", "test", "--max-theorems", "4", "--budgets", "3,5", "--quiet"]
    bad = ["--ebm", _broken_ebm(tmp_path / "ebm")]
    before = snapshot(tmp_path)
    assert_refused(qed_run(*common, *bad))
    assert_unchanged(tmp_path, before)
    assert not (tmp_path / "e.json.work").exists()
    assert qed_run(*common).code == 0
    before = snapshot(tmp_path)
    assert_refused(qed_run(*common, "--overwrite", *bad))  # a failed --overwrite destroys nothing
    assert_unchanged(tmp_path, before)
    assert qed_run(*common, "--overwrite").code == 0
    assert json.loads(out.read_text())["total"] == 4


def test_failed_start_of_a_resume_keeps_what_was_there(tmp_path):
    out = tmp_path / "t.parquet"
    assert qed_run("search", "--output", out, *FAST).code == 0
    shutil.copy(out, tmp_path / "copy.parquet")
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--output", out, *FAST, "--resume", "--theorems", tmp_path / "none.json"),
                   "none.json")
    assert_unchanged(tmp_path, before)
