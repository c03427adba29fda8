"""`qed prop gen` regenerates the shipped benchmark and the shipped hard tier byte for byte from their
recorded settings: the hard tier's options (--solver, --split-fractions) change nothing in the first."""

import json
import os

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from qedjax.envs.prop.bench import shipped_benchmark_path, shipped_hard_tier_path


def _regenerates(path, tmp_path, extra: list[str]):
    meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
    args = ["prop", "gen", "--output", str(tmp_path), "--seed", str(meta["seed"]), "--count", str(meta["count"]),
            "--min-difficulty", str(meta["min_difficulty"]), "--max-difficulty", str(meta["max_difficulty"]), *extra]
    res = CliRunner().invoke(qed, args)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "benchmark.json").read_bytes() == path.read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("QEDJAX_REGENERATE_BENCHMARK") != "1",
                    reason="regenerating all 2,400 theorems takes over ten minutes on 2 cores; "
                           "QEDJAX_REGENERATE_BENCHMARK=1 runs it")
def test_the_shipped_benchmark_is_regenerated_byte_for_byte(tmp_path):
    _regenerates(shipped_benchmark_path(), tmp_path, [])


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("QEDJAX_REGENERATE_BENCHMARK") != "1",
                    reason="regenerating the hard tier takes about three minutes on 2 cores; "
                           "QEDJAX_REGENERATE_BENCHMARK=1 runs it")
def test_the_shipped_hard_tier_is_regenerated_byte_for_byte(tmp_path):
    _regenerates(shipped_hard_tier_path(), tmp_path, ["--solver", "distance", "--split-fractions", "1,1,1"])
