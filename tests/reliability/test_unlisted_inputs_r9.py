"""Legitimate but unusual inputs that no earlier list named: each either works as its plain form does,
or is refused with one ``error:`` line, no traceback, and every file left as it was."""

from __future__ import annotations

import json

import pytest

from .conftest import qed_run

FAST = ["--max-nodes", "2", "--quiet"]
ROWS = [{"name": "a", "statement": "theorem a (p : Prop) : p → p", "split": "test"},
        {"name": "b", "statement": "theorem b (p q : Prop) : p ∧ q → q ∧ p", "split": "test"}]
LEAN = ("theorem a (p : Prop) : p → p := by\n  intro h\n  exact h\n\n"
        "theorem b (p q : Prop) : p ∧ q → q ∧ p := by\n  sorry\n")
BOM = "\ufeff"


def _searched(output) -> list[str]:
    rows = (output.parent / (output.name + ".theorems.jsonl")).read_text().splitlines()
    return sorted(json.loads(r)["theorem"] for r in rows if r.strip())


# -- a byte-order mark first in a text file ----------------------------------------------------------

@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".lean"])
def test_a_theorem_file_that_starts_with_a_byte_order_mark(tmp_path, suffix):
    """Some Windows editors write U+FEFF first in a UTF-8 file. It is no character of the text: a JSON
    file was refused at column 1, and a ``.lean`` file lost its first theorem (glued to the mark, it
    was read as a header command, so it was never searched and was sent to Lean before the next)."""
    text = {".json": json.dumps({"theorems": ROWS}, ensure_ascii=False),
            ".jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), ".lean": LEAN}[suffix]
    plain, marked = tmp_path / f"plain{suffix}", tmp_path / f"marked{suffix}"
    plain.write_text(text, encoding="utf-8")
    marked.write_text(BOM + text, encoding="utf-8")
    for src in (plain, marked):
        run = qed_run("search", "--theorems", src, *FAST, "--output", tmp_path / f"{src.stem}.parquet")
        assert run.code == 0, run.text
    assert _searched(tmp_path / "marked.parquet") == _searched(tmp_path / "plain.parquet") == ["a", "b"]


def test_a_config_that_starts_with_a_byte_order_mark(tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text(BOM + "max_nodes = 2\nnum_candidates = 3\n", encoding="utf-8")
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS[:1]}))
    run = qed_run("search", "--theorems", thms, "--config", cfg, "--quiet", "--output", tmp_path / "o.parquet")
    assert run.code == 0, run.text
    assert "expanded 2 nodes" in run.text, run.text
