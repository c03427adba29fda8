"""Theorem sources, and what each environment would send to Lean for them.

Sources (:func:`load_theorems`):

* our prop index / burn-qed's index ``{"theorems": [{"name", "statement"}]}`` (JSON or JSONL rows);
* LeanDojo Benchmark 4 records (``url, commit, file_path, full_name, start, end, traced_tactics``);
* miniF2F JSONL rows ``{name, split, header, formal_statement}`` (DeepSeek-Prover's and
  yangky11/miniF2F-lean4's layouts): ``header`` carries the imports and ``open``s the problem needs;
* a ``.lean`` file: every ``theorem``/``lemma``/``example`` in it, with the file's other commands
  before it (imports, ``open``, ``namespace``, ``def`` …) as its header.

:func:`dry_run` turns every theorem into the exact text an environment would send to Lean, without
Lean, and counts those it cannot handle with the reason (``qed search --dry-run``).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from qedjax.errors import DataError, ParseError
from qedjax.interfaces import Theorem

SPLITS = ("train", "valid", "test")
DRY_RUN_ENVS = ("prop", "lean-repl", "leandojo")


def _rows_from_file(p: Path) -> list:
    if p.suffix == ".lean":
        from qedjax.envs.lean_text import lean_file_theorems

        try:
            return lean_file_theorems(p)
        except UnicodeDecodeError as e:
            raise DataError(f"{p}: not UTF-8 text ({e})") from None
    try:
        text = p.read_text(encoding="utf-8")
        data = ([json.loads(x) for x in text.splitlines() if x.strip()] if p.suffix == ".jsonl"
                else json.loads(text))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataError(f"{p}: not valid JSON ({e})") from None
    except RecursionError:
        raise DataError(f"{p}: JSON nested too deeply") from None
    rows = data.get("theorems") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise DataError(f"{p}: expected a list of theorems or an object with 'theorems'")
    return rows


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
            out.append(Theorem(name, statement, extra=r))
        elif "name" in r and "formal_statement" in r:  # miniF2F
            if not isinstance(r["formal_statement"], str):
                raise DataError(f"{p}: theorem #{i + 1}: 'formal_statement' must be a string")
            out.append(Theorem(str(r["name"]), str(r["formal_statement"]), extra=r))
        elif "name" in r and "statement" in r:
            if not isinstance(r["statement"], str):
                raise DataError(f"{p}: theorem #{i + 1}: 'statement' must be a string")
            out.append(Theorem(str(r["name"]), str(r["statement"]), extra=r))
        else:
            raise DataError(f"{p}: theorem #{i + 1} has neither name/statement, miniF2F nor LeanDojo "
                            "fields")
    if split is not None:
        present = sorted({str(t.extra["split"]) for t in out if "split" in t.extra})
        if not present:
            raise DataError(f"{p}: records carry no 'split' field; drop --split {split}")
        out = [t for t in out if t.extra.get("split") == split]
        if not out:
            raise DataError(f"{p}: no theorems in split '{split}' (the file's splits: {', '.join(present)})")
    names = [t.name for t in out]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise DataError(f"{p}: duplicate theorem name '{dup}'")
    if max_theorems is not None:
        out = out[:max_theorems]
    if not out:
        raise DataError(f"{p}: no theorems selected")
    return out


@dataclasses.dataclass(frozen=True)
class DryRunRow:
    name: str
    requests: list[dict] | None  # what would be sent, in order; None when it cannot be handled
    reason: str = ""  # why not


@dataclasses.dataclass(frozen=True)
class DryRun:
    env: str
    rows: list[DryRunRow]

    @property
    def handled(self) -> int:
        return sum(r.requests is not None for r in self.rows)

    @property
    def unhandled(self) -> int:
        return len(self.rows) - self.handled

    def reasons(self) -> dict[str, int]:
        """Why theorems cannot be sent, with counts (most common first)."""
        counts: dict[str, int] = {}
        for r in self.rows:
            if r.requests is None:
                counts[r.reason] = counts.get(r.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def summary(self) -> str:
        lines = [f"{self.handled}/{len(self.rows)} theorems can be sent to {self.env}; "
                 f"{self.unhandled} cannot"]
        lines += [f"  {n:5d}  {reason}" for reason, n in self.reasons().items()]
        return "\n".join(lines)

    def jsonl(self) -> str:
        """One line per theorem: ``{"name", "requests"}`` or ``{"name", "error"}``."""
        return "".join(json.dumps({"name": r.name, "requests": r.requests} if r.requests is not None
                                  else {"name": r.name, "error": r.reason}, ensure_ascii=False) + "\n"
                       for r in self.rows)


def dry_run(theorems: list[Theorem], env: str, lean_repl_settings=None) -> DryRun:
    """What ``env`` would send to Lean for each theorem, without Lean.

    ``lean-repl``: the header command and ``<statement> := by sorry`` (see
    :func:`qedjax.envs.lean_text.repl_input`; ``lean_repl_settings`` gives ``project_dir`` for
    LeanDojo records and ``default_header``). ``leandojo``: the Dojo's repository, commit, file and
    full name. ``prop``: the parsed statement.
    """
    rows = []
    if env == "lean-repl":
        from qedjax.envs.lean_config import LeanREPLSettings
        from qedjax.envs.lean_text import repl_input

        s = lean_repl_settings or LeanREPLSettings()
        for t in theorems:
            try:
                rows.append(DryRunRow(t.name, repl_input(t, s.project_dir, s.default_header).requests()))
            except ParseError as e:
                rows.append(DryRunRow(t.name, None, e.message))
    elif env == "leandojo":
        need = ("url", "commit", "file_path", "full_name")
        for t in theorems:
            missing = [k for k in need if not t.extra.get(k)]
            if missing:
                rows.append(DryRunRow(t.name, None, "not a LeanDojo record (no " + ", ".join(missing) + ")"))
            else:
                rows.append(DryRunRow(t.name, [{"dojo": {k: t.extra[k] for k in need}}]))
    elif env == "prop":
        from qedjax.envs.prop.env import parse_statement

        for t in theorems:
            try:
                parse_statement(t.statement, t.name)
                rows.append(DryRunRow(t.name, [{"statement": t.statement}]))
            except ParseError as e:
                rows.append(DryRunRow(t.name, None, f"prop cannot parse it: {e.message}"))
    else:
        raise DataError(f"unknown environment '{env}' ({', '.join(DRY_RUN_ENVS)})")
    return DryRun(env, rows)
