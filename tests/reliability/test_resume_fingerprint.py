"""``--resume`` continues the same run or refuses: a changed search config, theorem source or parts is
named in one line and leaves every file as it was (issue 14, item 1)."""

import json
import shutil

import pytest

from qedjax.search.runner import read_rows

from .conftest import assert_no_traceback, assert_refused, assert_unchanged, qed_run, snapshot

FAST = ["--max-nodes", "5", "--num-candidates", "4", "--quiet"]


def _theorem_file(path, n=6, offset=0):
    from qedjax.envs.prop.bench import shipped_benchmark_path

    rows = json.loads(shipped_benchmark_path().read_text())["theorems"]
    rows = [r for r in rows if r["split"] == "train"][offset:offset + n]
    path.write_text(json.dumps({"theorems": rows}))
    return path


@pytest.fixture()
def first_run(tmp_path):
    thms = _theorem_file(tmp_path / "thms.json")
    out = tmp_path / "t.parquet"
    run = qed_run("search", "--theorems", thms, "--output", out, *FAST)
    assert run.code == 0, run.text
    return tmp_path, thms, out


@pytest.mark.parametrize("change, fragments", [
    (["--max-nodes", "20", "--num-candidates", "8", "--quiet"],
     ["search config differs", "max_nodes: 5 → 20", "num_candidates: 4 → 8"]),
    ([*FAST, "--t-llm", "2.0"], ["search config differs", "t_llm: 1.0 → 2.0"]),
    ([*FAST, "--max-theorems", "3"], ["theorem source differs", "count: 6 → 3"]),
    ([*FAST, "--seed", "7"], ["search parts differ ", "policy_seed: 0 → 7"]),
])
def test_resume_refuses_a_changed_run(first_run, change, fragments):
    d, thms, out = first_run
    before = snapshot(d)
    run = qed_run("search", "--theorems", thms, "--output", out, "--resume", *change)
    assert_refused(run, "--resume", str(out), *fragments)
    assert_unchanged(d, before)


def test_resume_refuses_another_theorem_file_and_edited_content(first_run):
    d, thms, out = first_run
    other = _theorem_file(d / "other.json", offset=100)
    before = snapshot(d)
    assert_refused(qed_run("search", "--theorems", other, "--output", out, "--resume", *FAST),
                   "theorem source differs", "other.json")
    data = json.loads(thms.read_text())  # same path, one statement edited
    data["theorems"][2]["statement"] = "theorem x (p q : Prop) : p → q → p"
    thms.write_text(json.dumps(data))
    before = snapshot(d)
    assert_refused(qed_run("search", "--theorems", thms, "--output", out, "--resume", *FAST),
                   "theorem source differs", "sha256")
    assert_unchanged(d, before)


def test_resume_refuses_an_added_or_retrained_ebm(first_run, synthetic):
    d, thms, out = first_run
    before = snapshot(d)
    ebm = ["--ebm", synthetic["ebm"], "--embeddings", synthetic["emb"]]
    assert_refused(qed_run("search", "--theorems", thms, "--output", out, "--resume", *FAST, *ebm),
                   "search parts differ ", "ebm")
    assert_unchanged(d, before)
    # a run with an EBM, then the checkpoint is trained further in place: another head
    out2 = d / "e.parquet"
    ebm_copy = d / "ebm"
    shutil.copytree(synthetic["ebm"], ebm_copy)
    ebm = ["--ebm", ebm_copy, "--embeddings", synthetic["emb"]]
    assert qed_run("search", "--theorems", thms, "--output", out2, *FAST, *ebm).code == 0
    assert qed_run("search", "--theorems", thms, "--output", out2, "--resume", *FAST, *ebm).code == 0
    retrain = qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"],
                      "--output", ebm_copy, "--config", synthetic["cfg"], "--steps", "40", "--quiet")
    assert retrain.code == 2  # a changed --steps is refused by train-ebm itself; change the weights directly
    model_files = sorted(p for p in (ebm_copy / "checkpoints").rglob("*") if p.is_file() and "model" in p.parts
                         and p.parent.name == "d")
    model_files[0].write_bytes(model_files[0].read_bytes()[::-1])
    before = snapshot(d)
    assert_refused(qed_run("search", "--theorems", thms, "--output", out2, "--resume", *FAST, *ebm),
                   "search parts differ ", "ebm.sha256")
    assert_unchanged(d, before)


def test_resume_of_the_same_run_is_accepted_and_keeps_one_row_per_theorem(first_run):
    d, thms, out = first_run
    run = qed_run("search", "--theorems", thms, "--output", out, "--resume", *FAST)
    assert run.code == 0 and "6 finished earlier" in run.out
    rows = read_rows(out.with_name(out.name + ".theorems.jsonl"))
    assert sorted(r["index"] for r in rows) == list(range(6))


def test_fingerprint_survives_in_the_output_when_its_json_is_lost(first_run):
    d, thms, out = first_run
    (d / "t.parquet.fingerprint.json").unlink()
    before = snapshot(d)
    assert_refused(qed_run("search", "--theorems", thms, "--output", out, "--resume", "--max-nodes", "9",
                           "--num-candidates", "4", "--quiet"), "max_nodes: 5 → 9")
    assert_unchanged(d, before)
    assert qed_run("search", "--theorems", thms, "--output", out, "--resume", *FAST).code == 0


def test_a_run_without_any_fingerprint_is_not_resumed_blindly(first_run):
    d, thms, out = first_run
    (d / "t.parquet.fingerprint.json").unlink()
    out.unlink()  # only the finished-theorem record is left, as an older qedjax left it
    before = snapshot(d)
    assert_refused(qed_run("search", "--theorems", thms, "--output", out, "--resume", *FAST),
                   "no fingerprint")
    assert_unchanged(d, before)


def test_eval_resume_refuses_a_larger_budget(tmp_path):
    thms = _theorem_file(tmp_path / "thms.json")
    out = tmp_path / "e.json"
    common = ["eval", "--theorems", thms, "--output", out, "--quiet", "--num-candidates", "4"]
    assert qed_run(*common, "--budgets", "3,5").code == 0
    before = snapshot(tmp_path)
    assert_refused(qed_run(*common, "--budgets", "3,5,10", "--resume"), "max_nodes: 5 → 10")
    assert_unchanged(tmp_path, before)
    run = qed_run(*common, "--budgets", "2,5", "--resume")  # same search, other summary budgets
    assert_no_traceback(run)
    assert run.code == 0, run.text


def test_workers_check_the_fingerprint_before_starting(first_run):
    d, thms, out = first_run
    before = snapshot(d)
    assert_refused(qed_run("search", "--theorems", thms, "--output", out, "--resume", "--workers", "2",
                           "--max-nodes", "6", "--num-candidates", "4", "--quiet"), "max_nodes: 5 → 6")
    assert_unchanged(d, before)


def test_the_fingerprint_is_checked_before_any_executor_starts(first_run):
    ray = pytest.importorskip("ray")
    d, thms, out = first_run
    before = snapshot(d)
    assert_refused(qed_run("search", "--theorems", thms, "--output", out, "--resume", "--executor", "ray",
                           "--workers", "2", "--max-nodes", "7", "--num-candidates", "4", "--quiet"),
                   "max_nodes: 5 → 7")
    assert not ray.is_initialized()
    assert_unchanged(d, before)
