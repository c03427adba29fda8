"""Case tags, goals and messages against transcripts of the real Lean REPL (Lean v4.33).

The propositional transcripts are vendored (tests/data/repl_transcripts, see SOURCE.md); when the
shared Lean data is present every propositional transcript there is replayed too.
"""

import json
import re
from pathlib import Path

import pytest

from qedjax.envs.prop.check import check_lean_text
from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.state import pp_goal
from qedjax.envs.prop.tactics import TacticError, run_tactic
from qedjax.errors import ParseError

from ...conftest import shared_lean4

VENDORED = Path(__file__).resolve().parents[2] / "data" / "repl_transcripts"


def _blocks(path: Path) -> list[dict]:
    """The JSON objects of a transcript, one after another (strings may hold raw newlines)."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder(strict=False)
    out, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = decoder.raw_decode(text, i)
        out.append(obj)


def _statement(cmd: str) -> str | None:
    """The header of a propositional `theorem`/`example … := by sorry` command, else None."""
    m = re.match(r"\s*((?:theorem|example)\b.*?):=\s*by\s+sorry\s*$", cmd, re.S)
    if not m or len(re.findall(r"\b(?:theorem|example|def|lemma)\b", cmd)) != 1:
        return None
    try:
        parse_statement(m.group(1))
    except ParseError:
        return None
    return m.group(1)


def replay(inp: Path) -> int:
    """Replay a transcript; returns how many goal lists were compared."""
    commands = _blocks(inp)
    replies = _blocks(inp.with_name(inp.name[:-3] + ".expected.out"))
    states: dict[int, tuple] = {}
    compared = 0
    for cmd, reply in zip(commands, replies):
        if "cmd" in cmd:
            stmt = _statement(cmd["cmd"])
            if stmt is not None:
                goal = parse_statement(stmt).goal
                sorry = reply["sorries"][0]
                assert pp_goal(goal) == sorry["goal"]
                states[sorry["proofState"]] = (goal,)
                compared += 1
            elif "Prop" in cmd["cmd"] and "sorry" not in cmd["cmd"] and "import" not in cmd["cmd"]:
                results, diags = check_lean_text(cmd["cmd"])
                if results and not diags:
                    errors = [m for m in reply.get("messages", []) if m["severity"] == "error"]
                    assert results[0].proved == (not errors)
                    for t in reply.get("tactics", []):
                        goal = parse_statement(cmd["cmd"].split(":= by")[0]).goal
                        assert pp_goal(goal) == t["goals"]
                        compared += 1
                    compared += 1
        elif "tactic" in cmd and cmd.get("proofState") in states:
            before = states[cmd["proofState"]]
            try:
                after = run_tactic(before, cmd["tactic"])
            except TacticError as e:
                assert "message" in reply or reply.get("messages"), e.message
                continue
            assert [pp_goal(g) for g in after] == reply["goals"], cmd["tactic"]
            assert (reply["proofStatus"] == "Completed") == (not after)
            states[reply["proofState"]] = after
            compared += 1
    return compared


@pytest.mark.parametrize("name", ["proof_branching", "proof_branching2", "all_tactics-20250622"])
def test_vendored_propositional_transcripts(name):
    assert replay(VENDORED / f"{name}.in") >= 1


def test_every_propositional_transcript_in_the_shared_data():
    root = shared_lean4() / "repl_transcripts" / "test"
    compared = sum(replay(p) for p in sorted(root.rglob("*.in"))
                   if p.with_name(p.name[:-3] + ".expected.out").exists())
    assert compared >= 12


def test_case_tags_follow_lean():
    """The tag rules the transcripts exercise, and those issue 10 lists: binder names of the applied
    constant when it makes several metavariables, appended to the parent's tag."""
    g = parse_statement("theorem t (p q : Prop) (h : p ∨ q) : q ∨ p").goal
    after = run_tactic((g,), "cases h\napply Or.inr")
    assert [x.tag for x in after] == ["inl.h", "inr"]
    after = run_tactic((g,), "cases h\nright")
    assert [x.tag for x in after] == ["inl.h", "inr"]
    g = parse_statement("theorem t (p q : Prop) (hp : p) : p ∨ q").goal
    for tac in ("left", "apply Or.inl", "constructor"):
        (x,) = run_tactic((g,), tac)
        assert x.tag == "h", tac
    g = parse_statement("theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q").goal
    assert [x.tag for x in run_tactic((g,), "constructor")] == ["left", "right"]
    assert [x.tag for x in run_tactic((g,), "apply And.intro hp")] == [""]  # one new goal: parent's tag
    g = parse_statement("theorem t (p q r : Prop) (h : p ∨ q) (a : p → r) (b : q → r) : r").goal
    assert [x.tag for x in run_tactic((g,), "apply Or.elim h")] == ["left", "right"]
    g = parse_statement("theorem t (p q r : Prop) (h : p → q → r) : r").goal
    assert [x.tag for x in run_tactic((g,), "apply h")] == ["a", "a"]
    g = parse_statement("theorem t (p q : Prop) (h : p ∧ q) : q").goal
    assert [x.tag for x in run_tactic((g,), "obtain ⟨hp, hq⟩ := h")] == ["intro"]
    assert [x.tag for x in run_tactic((g,), "by_cases hp : p")] == ["pos", "neg"]
    g = parse_statement("theorem t (p : Prop) (hp : p) : p ∧ p").goal
    assert [x.tag for x in run_tactic((g,), "refine ⟨?_, ?_⟩")] == ["refine_1", "refine_2"]
    # inside `case`, the focused goal has no tag, so `left` there shows `case h`
    g = parse_statement("theorem t (p q : Prop) (hp : p) : (p ∨ q) ∧ (p ∨ q)").goal
    after = run_tactic((g,), "constructor\ncase right => left; exact hp")
    assert [x.tag for x in after] == ["left"]
    assert pp_goal(run_tactic((after[0],), "left")[0]).startswith("case left.h\n")
