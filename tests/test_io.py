"""qedjax.io.read_json: the value, or one DataError line that names the file (and the line)."""

import pytest

from qedjax.errors import DataError
from qedjax.io import atomic_write_json, read_json


def test_read_json_returns_what_was_written(tmp_path):
    obj = {"a": [1, 2.5, None], "b": "⊢ p ∧ q"}
    path = atomic_write_json(tmp_path / "x.json", obj)
    assert read_json(path) == obj


def test_read_json_lines_skips_blank_lines(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"a": 1}\n\n  \n[2]\n', encoding="utf-8")
    assert read_json(p, lines=True) == [{"a": 1}, [2]]


@pytest.mark.parametrize("content, lines, expected", [
    (None, False, "file not found: "),
    ("dir", False, "expected a file, got a directory"),
    (b"\xff\xfe{}", False, "not UTF-8 text"),
    ('{"a": 1,\n "b": }', False, "not valid JSON (Expecting value at line 2 column 7)"),
    ('{"a": 1}\n\n{"b": 2\n', True, "not valid JSON (Expecting ',' delimiter at line 3)"),
    ("[" * 100_000 + "]" * 100_000, False, "JSON nested too deeply"),
])
def test_read_json_failures_are_one_data_error_line(tmp_path, content, lines, expected):
    p = tmp_path / "bad.json"
    if content == "dir":
        p.mkdir()
    elif isinstance(content, bytes):
        p.write_bytes(content)
    elif content is not None:
        p.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_json(p, lines=lines)
    msg = str(info.value)
    assert expected in msg and str(p) in msg and "\n" not in msg
