"""click's own usage, range and type errors read like every other refusal: one ``error:`` line, exit 2."""

import pytest

from .conftest import assert_refused, qed_proc, qed_run


@pytest.mark.parametrize("args, fragments", [
    (["search", "--output", "o.parquet", "--max-nodes", "-1"], ["--max-nodes", "-1", "qed search --help"]),
    (["search", "--output", "o.parquet", "--workers", "0"], ["--workers"]),
    (["search", "--output", "o.parquet", "--alpha", "abc"], ["--alpha", "abc"]),
    (["search", "--output", "o.parquet", "--env", "coq"], ["--env", "coq"]),
    (["search"], ["--output"]),
    (["search", "--output"], ["--output"]),
    (["search", "--output", "o.parquet", "--max-nodez", "5"], ["--max-nodez"]),
    (["serch"], ["serch", "search"]),
    (["eval", "--output", "e.json", "--pass-n", "0"], ["--pass-n"]),
    (["train-ebm", "--trajectories", "t.parquet", "--embeddings", "e.parquet", "--output", "o",
      "--lr", "-1"], ["--lr"]),
    (["train-ebm", "--trajectories", "t.parquet", "--embeddings", "e.parquet", "--output", "o",
      "--dropout", "1"], ["--dropout"]),
    (["prop", "gen", "--output", "b", "--max-difficulty", "99"], ["--max-difficulty", "qed prop gen"]),
    (["prop", "nope"], ["nope"]),
    (["encode", "--input", "a.parquet", "--output", "e.parquet", "--dtype", "int8"], ["--dtype"]),
    (["iterate", "--workdir", "w", "--iterations", "0"], ["--iterations"]),
])
def test_usage_errors_are_one_line(tmp_path, monkeypatch, args, fragments):
    monkeypatch.chdir(tmp_path)
    line = assert_refused(qed_run(*args), *fragments)
    assert "Usage:" not in line and "Try '" not in line


def test_a_file_where_click_wants_a_directory_and_the_reverse(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x")
    assert_refused(qed_run("iterate", "--workdir", f), "afile")
    assert_refused(qed_run("prop", "gen", "--output", f), "afile")
    assert_refused(qed_run("search", "--output", tmp_path), str(tmp_path))
    assert f.read_text() == "x"


def test_help_and_version_still_exit_0():
    for args in (["--help"], ["search", "--help"], ["prop", "gen", "--help"], ["--version"]):
        run = qed_run(*args)
        assert run.code == 0 and run.err == "", run.text
    assert "Usage:" in qed_run("search", "--help").out


def test_usage_error_in_a_real_process():
    run = qed_proc("search", "--output", "o.parquet", "--num-candidates", "0")
    assert_refused(run, "--num-candidates")
    assert run.out == ""
