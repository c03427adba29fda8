"""`qed demo` as a user runs it: the table, report.md and the plots; a bad config is one line."""

import json

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from tests.app.test_iterate import SMALL


@pytest.mark.slow
def test_demo_cli_writes_report(tmp_path, tiny_bert):
    cfg = tmp_path / "demo.toml"
    cfg.write_text(SMALL.replace("{model}", str(tiny_bert)).replace("max_train_theorems = 60", "max_train_theorems = 25")
                   .replace("max_eval_theorems = 30", "max_eval_theorems = 12"))
    res = CliRunner().invoke(qed, ["demo", "--output", str(tmp_path / "d"), "--config", str(cfg), "--dtype", "float32"])
    assert res.exit_code == 0, res.output
    assert "policy + EBM" in res.output and "AUC" in res.output and "−len(state)" in res.output
    assert "encoder precision: float32 (forced: dtype = 'float32' in the encoder config)" in res.output
    times = res.output[res.output.index("step times"):].splitlines()
    assert times[1].strip().startswith("start: encoder_precision")
    assert times[2].strip().startswith("references: eval_policy_only") and "iter1: search" in times[3]
    assert "encode" in times[3] and "train" in times[3] and "select_t" in times[3]
    for f in ("report.md", "training_curves.png", "solved_vs_budget.png", "energy_histogram.png"):
        assert (tmp_path / "d" / f).stat().st_size > 0, f
    report = (tmp_path / "d" / "report.md").read_text()
    assert "| budget | policy only |" in report and "states scored" in report and "## Step times" in report
    assert "Encoder precision: float32 (forced" in report
    assert json.loads((tmp_path / "d" / "iter1" / "ebm" / "meta.json").read_text())["provenance"]["dtype"] == "float32"
    bad = tmp_path / "bad.toml"
    bad.write_text("[iterate]\nbudget = [1]\n")
    res = CliRunner().invoke(qed, ["demo", "--output", str(tmp_path / "e"), "--config", str(bad)])
    assert res.exit_code == 2 and "unknown key 'budget'" in res.output
    assert len(res.output.strip().splitlines()) == 1
    res = CliRunner().invoke(qed, ["demo", "--output", str(tmp_path / "f"), "--dtype", "float64"])
    assert res.exit_code == 2 and "float64" in res.output and "int8-dynamic" in res.output
