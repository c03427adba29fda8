"""Lean source text without Lean: split a ``.lean`` file into top-level commands, find a
declaration's proof, and build the exact text the REPL backend sends for a theorem.

The REPL backend opens a theorem with two commands: the *header* (imports, ``open``s, options and any
context the statement needs; sent alone when non-empty, as Lean wants imports first) and the
*declaration* ``<statement> := by sorry`` in the header's environment. :func:`repl_input` builds both
from any theorem source and raises :class:`~qedjax.errors.ParseError` with the reason when it cannot;
``qed search --dry-run`` counts those reasons.

The lexing is :mod:`qedjax.lean_syntax`'s. It handles miniF2F, LeanDojo records and Mathlib-style
files, and says so plainly when a declaration is outside that (equation-compiler ``| pat => …``
proofs, no ``:=``).
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from qedjax.errors import ParseError
from qedjax.interfaces import Theorem
from qedjax.lean_syntax import (
    CODE,
    THEOREM_KEYWORDS,
    code_mask,
    declaration_head,
    proof_separator,
    skip_prelude,
    split_commands,
)

_SORRY = re.compile(r"(?<![\w.'])(sorry|admit)(?![\w'])")


@dataclasses.dataclass(frozen=True)
class ReplInput:
    """What the REPL backend sends to open a theorem: ``header`` alone first (when non-empty), then
    ``command`` in the header's environment; the ``sorry`` in ``command`` is the root proof state."""

    header: str
    command: str

    def requests(self) -> list[dict]:
        """The commands as REPL requests (``env`` of the second is the header's, named symbolically)."""
        if not self.header:
            return [{"cmd": self.command}]
        return [{"cmd": self.header}, {"cmd": self.command, "env": "<header>"}]


def statement_to_command(decl: str) -> str:
    """``theorem t … := <proof>`` (or without ``:=``) → ``theorem t … := by sorry``."""
    text = decl.strip()
    i = skip_prelude(text)
    head = declaration_head(text)
    if head is None or head[0] not in THEOREM_KEYWORDS:
        if "⊢" in text:
            raise ParseError("a goal state, not a Lean declaration (the REPL needs `theorem …`)")
        raise ParseError("not a `theorem`/`lemma`/`example` declaration")
    try:
        stmt = text[:proof_separator(text)].rstrip()
    except ParseError as e:
        if "no `:=`" not in e.message:
            raise
        stmt = text
    mask = code_mask(stmt)
    m = next((m for m in _SORRY.finditer(stmt) if mask[m.start()] == CODE), None)
    if m is not None:
        raise ParseError(f"the statement itself contains `{m.group(1)}`")
    if len(stmt) <= i + len(head[0]):
        raise ParseError("empty declaration")
    return f"{stmt} := by sorry"


def leandojo_source(record: dict, project_dir: str | Path) -> tuple[str, str]:
    """(file prefix, declaration) of a LeanDojo Benchmark 4 record, read from its ``file_path`` in
    the Lean project checked out at the record's commit. ``start`` is LeanDojo's 1-based
    ``[line, column]`` of the declaration."""
    rel = record["file_path"]
    if not isinstance(rel, str) or not rel.strip():
        raise ParseError(f"LeanDojo record: 'file_path' must be a non-empty path, got {rel!r}")
    norm = os.path.normpath(rel)  # lexically: a symlinked folder inside the project is fine
    if os.path.isabs(norm) or norm == ".." or norm.startswith(".." + os.sep):
        raise ParseError(f"LeanDojo record: 'file_path' {rel} is not inside the Lean project "
                         "(it must be relative to lean_repl.project_dir, as in LeanDojo Benchmark 4)")
    src = Path(project_dir) / norm
    if not src.is_file():
        raise ParseError(f"LeanDojo record needs its source {rel} inside the Lean "
                         f"project (lean_repl.project_dir = {project_dir or '(none)'})")
    try:
        text = src.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ParseError(f"{rel}: not UTF-8 text (Lean reads its sources as UTF-8)") from None
    except OSError as e:
        raise ParseError(f"{rel}: cannot be read ({e.strerror or e})") from None
    start = record["start"]
    if (not isinstance(start, (list, tuple)) or len(start) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in start)):
        raise ParseError(f"LeanDojo record: 'start' must be [line, column] (two integers), got {start!r}")
    line, col = start
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)  # Lean's lines end at \n only (not at \f, U+2028, ...)
    if not 1 <= line <= len(lines):
        raise ParseError(f"{record['file_path']}: start line {line} is outside the file")
    offset = sum(len(x) for x in lines[:line - 1])
    candidates = [offset + max(col - 1, 0), offset + col, offset]
    for at in candidates:
        head = declaration_head(text[at:])
        if head and head[0] in THEOREM_KEYWORDS:
            break
    else:
        raise ParseError(f"{record['file_path']}:{line}: no theorem declaration at the recorded start "
                         "(is the project at the record's commit?)")
    prefix, rest = text[:at], text[at:]
    # doc comments / attributes just before the declaration belong to it
    chunks = split_commands(prefix)
    while chunks:
        _, last = chunks[-1]
        if skip_prelude(last) >= len(last.rstrip()) and last.strip():
            prefix = prefix[: len(prefix) - len(last)] if prefix.endswith(last) else prefix
            rest = last + rest
            chunks.pop()
            continue
        break
    decl_chunks = split_commands(rest)
    return prefix.strip(), decl_chunks[0][1] if decl_chunks else rest


def repl_input(theorem: Theorem, project_dir: str | Path = "", default_header: str = "") -> ReplInput:
    """The exact text the REPL backend sends for ``theorem`` (see :class:`ReplInput`).

    Sources: miniF2F rows (``formal_statement`` + ``header``), records from a ``.lean`` file
    (``statement`` + ``header``), LeanDojo Benchmark 4 records (read from ``project_dir``), and plain
    ``{"name", "statement"}`` rows whose statement is a declaration (``default_header`` is used).
    Raises ParseError with the reason when the theorem cannot be sent.
    """
    extra = theorem.extra or {}
    if "formal_statement" in extra:
        decl, header = extra["formal_statement"], extra.get("header", default_header)
    elif "file_path" in extra and "full_name" in extra and "start" in extra:
        if not project_dir:
            raise ParseError("LeanDojo record: needs the Lean project with its source files "
                             "(set lean_repl.project_dir)")
        header, decl = leandojo_source(extra, project_dir)
    else:
        decl, header = theorem.statement, extra.get("header", default_header)
    if header is None:  # "header": null in a JSON row, as no header
        header = default_header
    if not isinstance(decl, str) or not isinstance(header, str):
        raise ParseError("statement and header must be strings")
    return ReplInput(header=header.strip(), command=statement_to_command(decl))
