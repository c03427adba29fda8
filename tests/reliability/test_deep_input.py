"""A statement nested 1,000 levels deep is parsed or refused with a clean message, per record, in
``qed prop check`` and in a search (issue 14, item 6)."""

import json

from .conftest import assert_no_traceback, qed_run

DEPTH = 1000


def _deep_statements() -> dict[str, str]:
    return {
        "parens": "theorem parens (p : Prop) : " + "(" * DEPTH + "p" + ")" * DEPTH + " → p",
        "negations": "theorem negations (p : Prop) : " + "¬" * DEPTH + "p → " + "¬" * DEPTH + "p",
        "arrows": "theorem arrows (p : Prop) : " + "p → " * DEPTH + "p",
    }


def _clean(message: str) -> bool:
    return "RecursionError" not in message and "recursion" not in message.lower()


def test_prop_check_on_deep_statements(tmp_path):
    f = tmp_path / "deep.jsonl"
    recs = [{"name": k, "statement": s, "tactics": ["intro h", "exact h"]} for k, s in _deep_statements().items()]
    f.write_text("".join(json.dumps(r) + "\n" for r in recs))
    run = qed_run("prop", "check", f, "--json")
    assert_no_traceback(run)
    assert run.code in (0, 1), run.text  # a verdict per record; the file itself is fine
    rows = [json.loads(x) for x in run.out.splitlines()]
    assert [r["name"] for r in rows] == list(_deep_statements())
    for r in rows:
        assert r["status"] in ("proved", "error", "failed"), r
        assert _clean(r.get("message") or ""), r


def test_search_on_deep_statements(tmp_path):
    f = tmp_path / "deep.json"
    thms = [{"name": k, "statement": s} for k, s in _deep_statements().items()]
    f.write_text(json.dumps({"theorems": thms + [{"name": "easy", "statement": "theorem e (p : Prop) : p → p"}]}))
    out = tmp_path / "t.parquet"
    run = qed_run("search", "--theorems", f, "--output", out, "--max-nodes", "5", "--quiet")
    assert_no_traceback(run)
    assert run.code == 0, run.text
    rows = [json.loads(x) for x in (tmp_path / "t.parquet.theorems.jsonl").read_text().splitlines()]
    assert [r["theorem"] for r in rows] == ["easy"] and rows[0]["proved"]
    # the deep ones cannot be started: reported on stderr, one line each, counted apart
    warned = [ln for ln in run.err.splitlines() if ln.startswith("warning:")]
    assert len(warned) == 3 and all(_clean(ln) for ln in warned), run.err
    assert "solved 1/1" in run.out and "3 theorems not searched" in run.out


def test_deep_json_is_never_a_traceback(tmp_path):
    """Nothing deep reaches the user as a traceback (one ``error:`` line at worst)."""
    f = tmp_path / "deep.jsonl"
    f.write_text(json.dumps({"statement": _deep_statements()["parens"], "tactics": ["intro h"]}) + "\n")
    run = qed_run("prop", "check", f)
    assert_no_traceback(run)
    assert run.code in (0, 1, 2)
