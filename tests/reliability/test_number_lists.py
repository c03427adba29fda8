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
