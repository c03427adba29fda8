"""What each environment would send to Lean for a list of theorems, without Lean (``qed search
--dry-run``): the exact requests per theorem, and those it cannot handle with the reason.

The environments are named here, in the application layer, beside the wiring that builds them
(:mod:`qedjax.app.parts`); the theorem sources (:mod:`qedjax.search.theorems`) know none of them.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Callable

from qedjax.envs.lean_config import LeanREPLSettings
from qedjax.envs.lean_text import repl_input
from qedjax.envs.prop.env import parse_statement
from qedjax.errors import DataError, ParseError
from qedjax.interfaces import Theorem


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


def _lean_repl_row(t: Theorem, settings: LeanREPLSettings) -> DryRunRow:
    try:
        return DryRunRow(t.name, repl_input(t, settings.project_dir, settings.default_header).requests())
    except ParseError as e:
        return DryRunRow(t.name, None, e.message)


def _leandojo_row(t: Theorem, settings: LeanREPLSettings) -> DryRunRow:
    need = ("url", "commit", "file_path", "full_name")
    missing = [k for k in need if not t.extra.get(k)]
    if missing:
        return DryRunRow(t.name, None, "not a LeanDojo record (no " + ", ".join(missing) + ")")
    return DryRunRow(t.name, [{"dojo": {k: t.extra[k] for k in need}}])


def _prop_row(t: Theorem, settings: LeanREPLSettings) -> DryRunRow:
    try:
        parse_statement(t.statement, t.name)
        return DryRunRow(t.name, [{"statement": t.statement}])
    except ParseError as e:
        return DryRunRow(t.name, None, f"prop cannot parse it: {e.message}")


DRY_RUNS: dict[str, Callable[[Theorem, LeanREPLSettings], DryRunRow]] = {
    "prop": _prop_row, "lean-repl": _lean_repl_row, "leandojo": _leandojo_row}


def dry_run(theorems: list[Theorem], env: str, lean_repl_settings: LeanREPLSettings | None = None) -> DryRun:
    """What ``env`` would send to Lean for each theorem, without Lean.

    ``lean-repl``: the header command and ``<statement> := by sorry`` (see
    :func:`qedjax.envs.lean_text.repl_input`; ``lean_repl_settings`` gives ``project_dir`` for
    LeanDojo records and ``default_header``). ``leandojo``: the Dojo's repository, commit, file and
    full name. ``prop``: the parsed statement.
    """
    row = DRY_RUNS.get(env)
    if row is None:
        raise DataError(f"unknown environment '{env}' ({', '.join(DRY_RUNS)})")
    settings = lean_repl_settings or LeanREPLSettings()
    return DryRun(env, [row(t, settings) for t in theorems])


def searchable(theorems: list[Theorem], env: str, lean_repl_settings: LeanREPLSettings | None = None
               ) -> tuple[list[Theorem], list[tuple[str, str]]]:
    """(the theorems ``env`` can start, [(name, why not)] for the others): a statement that does not
    parse is the input's fault, to be reported and counted apart from searches that fail."""
    report = dry_run(theorems, env, lean_repl_settings)
    ok = [t for t, r in zip(theorems, report.rows) if r.requests is not None]
    return ok, [(r.name, r.reason) for r in report.rows if r.requests is None]
