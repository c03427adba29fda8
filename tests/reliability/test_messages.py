"""Error texts name the user's files, never internal working paths, and say what to do."""

import pyarrow.parquet as pq

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot

FAST = ["--split", "test", "--max-theorems", "6", "--max-nodes", "5", "--quiet"]


def test_public_text_hides_internal_paths():
    from qedjax_cli.common import public_text

    assert public_text("cannot write /a/b/.t.parquet.tmp-1234: disk full") == "cannot write /a/b/t.parquet: disk full"
    assert public_text("runs/x.parquet.parts/000003.parquet: bad magic") == "runs/x.parquet: bad magic"
    assert public_text("'e.parquet.partial/shard-000001.parquet' is damaged") == "'e.parquet' is damaged"
    assert public_text("line one\n  line two\n") == "line one; line two"
    assert public_text("keep out.parquet.theorems.jsonl and e.json.work") == \
        "keep out.parquet.theorems.jsonl and e.json.work"


def test_existing_run_message_names_the_output_and_the_remedy(tmp_path):
    out = tmp_path / "t.parquet"
    assert qed_run("search", "--output", out, *FAST).code == 0
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--output", out, *FAST), str(out), "--resume", "another --output")
    assert_unchanged(tmp_path, before)


def test_a_damaged_part_at_merge_names_the_output(tmp_path):
    out = tmp_path / "t.parquet"
    assert qed_run("search", "--output", out, *FAST).code == 0
    parts = tmp_path / "t.parquet.parts"
    parts.mkdir()  # a finished theorem's part from an interrupted resume, damaged on disk
    pq.write_table(pq.read_table(out).slice(0, 1), parts / "000000.parquet")
    (parts / "000000.parquet").write_bytes(b"PAR1 damaged")
    line = assert_refused(qed_run("search", "--output", out, *FAST, "--resume"), str(out), "damaged")
    assert "000000" not in line
