"""A stand-in for the Lean REPL (leanprover-community/repl) that replays recorded transcripts.

It speaks the REPL's protocol on stdin/stdout: a JSON request ended by a blank line in, a JSON reply
ended by a blank line out. Its replies are the recorded replies of real Lean (the ``X.in`` /
``X.expected.out`` pairs of the REPL's test suite, Lean v4.33), merged into one tree keyed by the
request path (command, then the tactics applied from the sorry's proof state). Like Lean, it hands out
environment and proof-state ids per process, in order (a reply's sorries first, then its proof state),
so an id from another (dead) process is ``Unknown proof state.`` here — or, if that number exists in
this process, a different state, exactly the hazard the real REPL has.

Requests it has no recording for get ``{"message": "stand-in REPL: no recorded reply ..."}``.
``sleep N`` (a real Lean tactic) sleeps N ms. Faults for tests come from ``--faults FILE``: a JSON list
of rules ``{"when": "tactic"|"cmd", "match": TEXT, "action": "die"|"hang"|"garbage"|"reply"|"prefix"|"stderr",
"process": K}`` (``process`` = only the K-th process started with this ``--state-dir``; absent = all);
``reply`` answers with the rule's ``"reply"`` object as given, ``prefix`` prints the rule's ``"text"``
on stdout before the recorded reply, ``stderr`` writes ``"bytes"`` of PANIC lines to stderr before it
(what a real REPL or its launcher can do; never recorded here).
Every process appends its pid to ``STATE_DIR/starts`` so tests can count starts and check for leaks.

Standard library only; runs as ``python -S repl_standin.py --transcripts DIR [...]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import time
from pathlib import Path


class Node:
    __slots__ = ("reply", "children")

    def __init__(self, reply=None):
        self.reply = reply
        self.children = {}

    def child(self, key, reply=None):
        node = self.children.get(key)
        if node is None:
            node = self.children[key] = Node(reply)
        return node


# Command options that change what the reply contains (lean-interact's ``incrementality`` and
# ``setOptions`` do not, so they are not part of a command's key).
SHAPING_OPTIONS = ("allTactics", "rootGoals", "infotree", "declarations")


def cmd_key(req: dict) -> tuple:
    return ("cmd", req["cmd"], tuple(sorted(k for k in SHAPING_OPTIONS if req.get(k))))


def read_objects(text: str) -> list:
    dec = json.JSONDecoder(strict=False)  # the REPL accepts raw line breaks inside strings
    out, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = dec.raw_decode(text, i)
        out.append(obj)


def load_tree(dirs: list[Path]) -> tuple[Node, int]:
    """Merge every transcript under ``dirs`` into one tree; returns (root, files used)."""
    root = Node()
    used = 0
    for d in dirs:
        for inp in sorted(Path(d).rglob("*.in")):
            out = inp.with_name(inp.name[: -len(".in")] + ".expected.out")
            if not out.is_file():
                continue
            try:
                reqs = read_objects(inp.read_text(encoding="utf-8"))
                reps = read_objects(out.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            if len(reqs) != len(reps):
                continue
            used += 1
            envs: dict[int, Node] = {}
            states: dict[int, Node] = {}
            for req, rep in zip(reqs, reps):
                if "cmd" in req:
                    if "env" in req:
                        parent = envs.get(req["env"])
                        if parent is None:
                            continue  # e.g. a test of an unknown environment: answered generically
                    else:
                        parent = root
                    node = parent.child(cmd_key(req), rep)
                    if "env" in rep and isinstance(rep["env"], int):
                        envs[rep["env"]] = node
                elif "tactic" in req and "proofState" in req:
                    src = states.get(req["proofState"])
                    if src is None:
                        continue
                    node = src.child(("tactic", req["tactic"]), rep)
                    if isinstance(rep.get("proofState"), int):
                        states[rep["proofState"]] = node
                else:
                    continue  # pickling, files: not replayed
                for field in ("sorries", "tactics"):
                    for k, s in enumerate(rep.get(field, [])):
                        if isinstance(s.get("proofState"), int):
                            states[s["proofState"]] = node.child((field, k))
    return root, used


class Repl:
    def __init__(self, root: Node, faults: list[dict], ordinal: int):
        self.root = root
        self.faults = faults
        self.ordinal = ordinal
        self.envs: dict[int, Node] = {}
        self.states: dict[int, Node] = {}
        self.next_env = 0
        self.next_state = 0
        self.prefix = ""
        self.injected = None

    def _fault(self, when: str, text: str) -> str | None:
        for rule in self.faults:
            if rule.get("when") == when and rule.get("match") == text and \
                    rule.get("process") in (None, self.ordinal):
                action = rule.get("action")
                if action == "reply":  # answer with this exact reply (no renumbering)
                    self.injected = rule["reply"]
                elif action == "prefix":  # print this text on stdout before the real reply
                    self.prefix = rule["text"]
                    return None
                elif action == "stderr":  # write this much to stderr first (Lean's PANIC messages)
                    chunk = b"PANIC at Lean.Expr.bindingBody! Lean.Expr:1: binding expected\n"
                    sys.stderr.flush()
                    sys.stderr.buffer.write(b"\xff\n" + chunk * (int(rule["bytes"]) // len(chunk) + 1))
                    sys.stderr.buffer.flush()  # a byte that is not UTF-8 first, as a crashing process may
                    return None
                return action
        return None

    def _renumber(self, node: Node, reply: dict, kind: str) -> dict:
        out = copy.deepcopy(reply)
        if set(out) == {"message"}:
            return out
        for field in ("sorries", "tactics"):  # Lean numbers sorries first, then tactics
            for k, s in enumerate(out.get(field, [])):
                if "proofState" in s:
                    s["proofState"] = self.next_state
                    self.states[self.next_state] = node.child((field, k))
                    self.next_state += 1
        if kind == "tactic" and "proofState" in out:
            out["proofState"] = self.next_state
            self.states[self.next_state] = node
            self.next_state += 1
        if kind == "cmd" and "env" in out:
            out["env"] = self.next_env
            self.envs[self.next_env] = node
            self.next_env += 1
        return out

    def handle(self, req: dict) -> dict:
        if "cmd" in req:
            action = self._fault("cmd", req["cmd"])
            if action:
                return {"__fault__": action}
            if "env" in req and req["env"] is not None:
                parent = self.envs.get(req["env"])
                if parent is None:
                    return {"message": "Unknown environment."}
            else:
                parent = self.root
            node = parent.children.get(cmd_key(req))
            if node is None or node.reply is None:
                return {"message": "stand-in REPL: no recorded reply for this command"}
            return self._renumber(node, node.reply, "cmd")
        if "tactic" in req and "proofState" in req:
            src = self.states.get(req["proofState"])
            if src is None:
                return {"message": "Unknown proof state."}
            tactic = req["tactic"]
            action = self._fault("tactic", tactic)
            if action:
                return {"__fault__": action}
            m = re.fullmatch(r"\s*sleep\s+(\d+)\s*", tactic)
            if m:
                time.sleep(int(m.group(1)) / 1000)
            node = src.children.get(("tactic", tactic))
            if node is None or node.reply is None:
                return {"message": f"stand-in REPL: no recorded reply for tactic `{tactic}` here"}
            return self._renumber(node, node.reply, "tactic")
        return {"message": "stand-in REPL: unsupported request"}


def emit(reply: dict) -> None:
    sys.stdout.write(json.dumps(reply, ensure_ascii=False, indent=1) + "\n\n")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", action="append", default=[])
    ap.add_argument("--faults")
    ap.add_argument("--state-dir")
    args = ap.parse_args()
    ordinal = 0
    if args.state_dir:
        with open(os.path.join(args.state_dir, "starts"), "a+", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
            f.flush()
            f.seek(0)
            ordinal = len(f.read().split())
    faults = json.loads(Path(args.faults).read_text()) if args.faults else []
    root, _ = load_tree([Path(d) for d in args.transcripts])
    repl = Repl(root, faults, ordinal)
    buf: list[str] = []
    while True:
        line = sys.stdin.readline()
        if line.strip():
            buf.append(line)
            continue
        if not buf:
            if not line:
                return 0  # EOF
            continue
        text = "".join(buf)
        buf = []
        try:
            req = json.loads(text)
        except json.JSONDecodeError as e:
            emit({"message": f"Could not parse JSON:\n{e}"})
            continue
        reply = repl.handle(req)
        action = reply.get("__fault__")
        if action == "hang":
            while True:
                time.sleep(3600)
        if action == "die":
            sys.stderr.write("stand-in REPL: simulated crash (Stack overflow detected. Aborting.)\n")
            sys.stderr.flush()
            os._exit(134)
        if action == "garbage":
            sys.stdout.write('{"proofStatus": "Compl\n\n')
            sys.stdout.flush()
            continue
        if action == "reply":
            reply, repl.injected = repl.injected, None
        if repl.prefix:
            sys.stdout.write(repl.prefix)
            repl.prefix = ""
        emit(reply)
        if not line:
            return 0


if __name__ == "__main__":
    sys.exit(main())
