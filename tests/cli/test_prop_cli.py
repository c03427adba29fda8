"""`qed prop check` and `qed prop gen` as a user runs them: exit codes, JSON output, no clobbering."""

import json

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from qedjax.envs.prop.bench import load_index


def test_every_shipped_proof_replays_through_prop_check(tmp_path):
    rows = load_index()
    path = tmp_path / "all.jsonl"
    with open(path, "w") as f:
        for r in rows:
            assert len(r["proof"]) == r["difficulty"]
            f.write(json.dumps({"name": r["name"], "statement": r["statement"], "tactics": r["proof"]},
                               ensure_ascii=False) + "\n")
    res = CliRunner().invoke(qed, ["prop", "check", str(path), "--json"])
    assert res.exit_code == 0, res.output[-2000:]
    statuses = [json.loads(line)["status"] for line in res.output.strip().splitlines()]
    assert statuses == ["proved"] * len(rows)


@pytest.mark.parametrize("content,code", [
    ('{"statement": "theorem t (p : Prop) : p → p", "tactics": ["intro h", "exact h"]}\n', 0),
    ('{"statement": "theorem t (p : Prop) : p → p", "tactics": ["intro h"]}\n', 1),
    ('{"statement": "theorem t (p : Prop) : p → p", "tactics": ["exact h"]}\n', 1),
    ('{"statement": "theorem t (p : Prop) : p ⊕ p", "tactics": []}\n', 1),
    ('not json\n', 2),
    ('{"tactics": []}\n', 2),
])
def test_prop_check_exit_codes(tmp_path, content, code):
    f = tmp_path / "r.jsonl"
    f.write_text(content)
    res = CliRunner().invoke(qed, ["prop", "check", str(f)])
    assert res.exit_code == code, res.output
    if code == 2:
        assert res.output.strip().count("\n") == 0 and res.output.startswith("error:")


def test_prop_check_reports_failing_step_json(tmp_path):
    f = tmp_path / "r.jsonl"
    f.write_text('{"statement": "theorem t (p q : Prop) (h : p) : q", "tactics": ["exact h"]}\n')
    res = CliRunner().invoke(qed, ["prop", "check", str(f), "--json"])
    rec = json.loads(res.output)
    assert rec["status"] == "failed" and rec["step"] == 1 and rec["message"].startswith("Type mismatch")


def test_prop_gen_cli_refuses_to_overwrite(tmp_path):
    res = CliRunner().invoke(qed, ["prop", "gen", "--output", str(tmp_path), "--count", "6",
                                   "--max-difficulty", "3", "--seed", "5"])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "benchmark.json").read_text())
    assert len(data["theorems"]) == 6 and data["meta"]["seed"] == 5
    res = CliRunner().invoke(qed, ["prop", "gen", "--output", str(tmp_path), "--count", "6"])
    assert res.exit_code == 2 and "exists" in res.output
