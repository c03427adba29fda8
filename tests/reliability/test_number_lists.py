"""Numbers given as a comma-separated list in one flag (``qed prop gen --split-fractions``) are checked as
a single number flag is: NaN, infinities and a total that overflows are refused before any work."""

from __future__ import annotations

import pytest

from .conftest import assert_refused, qed_run


@pytest.mark.parametrize("fractions", ["nan,1,1", "1,inf,1", "-inf,1,1", "1e308,1e308,1e308", "nan,nan,nan"])
def test_split_fractions_that_are_no_finite_shares(tmp_path, fractions):
    run = qed_run("prop", "gen", "--output", tmp_path / "bench", "--count", "3", "--split-fractions", fractions)
    assert_refused(run, "--split-fractions", fractions)
    assert not (tmp_path / "bench" / "benchmark.json").exists()


@pytest.mark.parametrize("command", ["search", "eval"])
def test_a_puct_weight_given_to_a_best_first_search(tmp_path, command):
    """``--c-puct`` is read by PUCT alone: given to a best-first search it is refused, as ``--depth-bonus``
    is with PUCT, not silently ignored."""
    out = tmp_path / ("out.parquet" if command == "search" else "out.json")
    run = qed_run(command, "--max-theorems", "1", "--max-nodes", "2", "--quiet", "--c-puct", "2", "--output", out)
    assert_refused(run, "--c-puct", "--algorithm puct")
    assert not out.exists()
    run = qed_run(command, "--max-theorems", "1", "--max-nodes", "2", "--quiet", "--c-puct", "2",
                  "--algorithm", "puct", "--output", out)
    assert run.code == 0, run.text
