"""`qed encode` as a user runs it on real Lean states: encode, cache hits, provenance refusal, errors."""

import json

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from tests.encoder_bridge.conftest import lean_states


@pytest.mark.slow
def test_qed_encode_cli_on_real_states(tmp_path):
    states = lean_states(30)
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"state_pp": s}) + "\n" for s in states))
    out = tmp_path / "e.parquet"
    res = CliRunner().invoke(qed, ["encode", "--input", str(inp), "--output", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "30 encoded" in res.output
    res = CliRunner().invoke(qed, ["encode", "--input", str(inp), "--output", str(out), "--quiet"])
    assert "0 encoded, 30 cached" in res.output
    res = CliRunner().invoke(qed, ["encode", "--input", str(inp), "--output", str(out), "--quiet",
                                   "--template", "reprover"])
    assert res.exit_code == 2 and res.output.startswith("error:") and "template" in res.output
    res = CliRunner().invoke(qed, ["encode", "--input", str(tmp_path / "nope.json"), "--output", str(out)])
    assert res.exit_code == 2 and "not found" in res.output


def test_qed_encode_dtype_forces_the_precision_and_provenance_records_it(tmp_path, tiny_bert, monkeypatch):
    from qedjax.data.embeddings import read_provenance

    monkeypatch.setenv("QEDJAX_CACHE", str(tmp_path / "cache"))
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"state_pp": s}) + "\n" for s in ["⊢ p", "h : p\n⊢ p ∧ p"]))
    for dtype in ("bfloat16", "float32"):
        out = tmp_path / f"{dtype}.parquet"
        res = CliRunner().invoke(qed, ["encode", "--input", str(inp), "--output", str(out), "--quiet",
                                       "--model", str(tiny_bert), "--dtype", dtype])
        assert res.exit_code == 0, res.output
        assert read_provenance(out)["dtype"] == dtype
    assert not (tmp_path / "cache" / "precision").exists()  # a named dtype is never measured
