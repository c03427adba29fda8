"""Theorem sources: the files a search reads its theorems from.

Sources (:func:`load_theorems`):

* our prop index / burn-qed's index ``{"theorems": [{"name", "statement"}]}`` (JSON or JSONL rows);
* LeanDojo Benchmark 4 records (``url, commit, file_path, full_name, start, end, traced_tactics``);
* miniF2F JSONL rows ``{name, split, header, formal_statement}`` (DeepSeek-Prover's and
  yangky11/miniF2F-lean4's layouts): ``header`` carries the imports and ``open``s the problem needs;
* a ``.lean`` file: every ``theorem``/``lemma``/``example`` in it, with the file's other commands
  before it (imports, ``open``, ``namespace``, ``def`` …) as its header.

What each environment would send to Lean for them is the application layer's business
(:mod:`qedjax.app.dryrun`).
"""

from __future__ import annotations

import json
from pathlib import Path

from qedjax.errors import DataError
from qedjax.interfaces import Theorem
from qedjax.io import not_text, read_json, read_text
from qedjax.lean_syntax import THEOREM_KEYWORDS, declaration_head, split_commands

SPLITS = ("train", "valid", "test")


def _rows_from_file(p: Path) -> list:
    if p.suffix.lower() == ".lean":
        try:
            return lean_file_theorems(p)
        except UnicodeDecodeError as e:
            raise DataError(f"{p}: {not_text(p, e)}") from None
    data = read_json(p, lines=p.suffix.lower() == ".jsonl")
    rows = data.get("theorems") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise DataError(f"{p}: expected a list of theorems or an object with 'theorems'")
    return rows


def lean_file_theorems(path: str | Path) -> list[dict]:
    """Every ``theorem``/``lemma``/``example`` of a ``.lean`` file as a record
    ``{name, statement, header, line, source_path}``. ``header`` is the file's context before it:
    every command that is not a theorem (imports, ``open``, ``namespace``, ``variable``, ``def``, …);
    earlier theorems are left out (their proofs are the problems themselves)."""
    p = Path(path)
    text = read_text(p)
    context: list[str] = []
    namespaces: list[str | None] = []
    rows = []
    first_line: dict[str, int] = {}  # name -> the line declaring it first
    for line_no, chunk in split_commands(text):
        head = declaration_head(chunk)
        kw, name = head if head else (None, None)
        if kw in THEOREM_KEYWORDS:
            full = name or f"example_{line_no}"
            prefix = ".".join(n for n in namespaces if n)
            if prefix and name and not name.startswith("_root_."):
                full = f"{prefix}.{name}"
            first = first_line.setdefault(full, line_no)
            if first != line_no:
                raise DataError(f"{p}:{line_no}: '{full}' is declared twice (first at line {first}); Lean "
                                "refuses a file that declares a name twice")
            rows.append({"name": full, "statement": chunk.strip(), "header": "".join(context).strip(),
                         "line": line_no, "source_path": str(p)})
            continue
        if kw == "namespace" and name:
            namespaces.append(name)
        elif kw == "section":
            namespaces.append(None)
        elif kw == "end" and namespaces:
            namespaces.pop()
        context.append(chunk if chunk.endswith("\n") else chunk + "\n")
    return rows


def _name(value, p: Path, i: int, key: str = "name") -> str:
    """A theorem's name: a non-empty string (``null`` or a number would become "None" or "7")."""
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{p}: theorem #{i + 1}: '{key}' must be a non-empty string, got {json.dumps(value)}")
    return value


def load_theorems(path: str | Path, split: str | None = None, max_theorems: int | None = None
                  ) -> list[Theorem]:
    p = Path(path)
    if not p.exists():
        raise DataError(f"theorem file not found: {p}")
    if p.is_dir():
        raise DataError(f"{p}: expected a theorem file, got a directory")
    out: list[Theorem] = []
    for i, r in enumerate(_rows_from_file(p)):
        if not isinstance(r, dict):
            raise DataError(f"{p}: theorem #{i + 1} is not an object")
        if "full_name" in r and "file_path" in r:  # LeanDojo Benchmark 4
            name = r["full_name"]
            try:
                statement = r.get("statement") or (r["traced_tactics"][0]["state_before"]
                                                   if r.get("traced_tactics") else name)
            except (KeyError, IndexError, TypeError):
                raise DataError(f"{p}: theorem #{i + 1} has malformed 'traced_tactics'") from None
            if not isinstance(name, str) or not isinstance(statement, str):
                raise DataError(f"{p}: theorem #{i + 1}: 'full_name' and its statement must be strings")
            out.append(Theorem(_name(name, p, i, "full_name"), statement, extra=r))
        elif "name" in r and "formal_statement" in r:  # miniF2F
            if not isinstance(r["formal_statement"], str):
                raise DataError(f"{p}: theorem #{i + 1}: 'formal_statement' must be a string")
            out.append(Theorem(_name(r["name"], p, i), str(r["formal_statement"]), extra=r))
        elif "name" in r and "statement" in r:
            if not isinstance(r["statement"], str):
                raise DataError(f"{p}: theorem #{i + 1}: 'statement' must be a string")
            out.append(Theorem(_name(r["name"], p, i), str(r["statement"]), extra=r))
        else:
            raise DataError(f"{p}: theorem #{i + 1} has neither name/statement, miniF2F nor LeanDojo "
                            "fields")
    if split is not None:
        odd = next((t for t in out if not isinstance(t.extra.get("split", ""), (str, type(None)))), None)
        if odd is not None:  # 1 would be listed as a split that no --split can select (null is no split)
            raise DataError(f"{p}: theorem '{odd.name}': 'split' must be a string (train, valid, test, ...), "
                            f"got {json.dumps(odd.extra['split'])}")
        present = sorted({t.extra["split"] for t in out if t.extra.get("split") is not None})
        if not present:
            raise DataError(f"{p}: records carry no 'split' field, so it has no '{split}' split (with "
                            "--split: drop it)")
        out = [t for t in out if t.extra.get("split") == split]
        if not out:
            shown = ", ".join(s if s.strip() == s and s else repr(s) for s in present)  # ' test' shows its space
            raise DataError(f"{p}: no theorems in split '{split}' (the file's splits: {shown})")
    empty = next((i for i, t in enumerate(out) if not t.statement.strip()), None)
    if empty is not None:
        raise DataError(f"{p}: theorem '{out[empty].name}' has an empty statement")
    seen: set[str] = set()
    for t in out:  # one pass: counting each name (quadratic) took minutes on a benchmark of 100,000
        if t.name in seen:
            raise DataError(f"{p}: duplicate theorem name '{t.name}'")
        seen.add(t.name)
    if max_theorems is not None:
        out = out[:max_theorems]
    if not out:
        raise DataError(f"{p}: no theorems selected")
    return out
