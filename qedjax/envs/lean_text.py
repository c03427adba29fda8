"""Lean source text without Lean: split a ``.lean`` file into top-level commands, find a
declaration's proof, and build the exact text the REPL backend sends for a theorem.

The REPL backend opens a theorem with two commands: the *header* (imports, ``open``s, options and any
context the statement needs; sent alone when non-empty, as Lean wants imports first) and the
*declaration* ``<statement> := by sorry`` in the header's environment. :func:`repl_input` builds both
from any theorem source and raises :class:`~qedjax.errors.ParseError` with the reason when it cannot;
``qed search --dry-run`` counts those reasons.

This is a lexer, not a parser: comments, strings and bracket depth are tracked; a top-level command
starts at column 0. It handles miniF2F, LeanDojo records and Mathlib-style files, and says so plainly
when a declaration is outside that (equation-compiler ``| pat => …`` proofs, no ``:=``).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from qedjax.errors import DataError, ParseError
from qedjax.interfaces import Theorem

THEOREM_KEYWORDS = ("theorem", "lemma", "example")
_MODIFIERS = ("private", "protected", "noncomputable", "unsafe", "partial", "nonrec", "public")
# Lines at column 0 that continue the previous command rather than start one.
_CONTINUATIONS = ("termination_by", "decreasing_by", "where", "deriving", "|", ")", "]", "}", "⟩",
                  "with", "·", ".", ",", ":=", "=>")
_OPEN = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "⦃": "⦄", "⟦": "⟧"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_MODIFIER_RE = re.compile(r"(?:" + "|".join(_MODIFIERS) + r")\b")
_SORRY = re.compile(r"(?<![\w.'])(sorry|admit)(?![\w'])")


CODE, OPENER = 1, 2


def block_comment_end(text: str, i: int) -> int:
    """Index just past the ``-/`` that closes the block comment opening at ``i`` (Lean's nest:
    ``/- /- -/ -/``), or -1 when it is never closed."""
    depth, n = 0, len(text)
    while i < n:
        if text.startswith("/-", i):
            depth += 1
            i += 2
        elif text.startswith("-/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return -1


def code_mask(text: str) -> bytearray:
    """Per character: CODE (1) for code, OPENER (2) for the first character of a comment that starts
    in code, 0 inside comments (``--``, nested ``/- -/``) and string literals."""
    mask = bytearray(len(text))
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/-", i):
            mask[i] = OPENER
            j = block_comment_end(text, i)
            i = n if j < 0 else j
        elif text.startswith("--", i):
            mask[i] = OPENER
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        else:
            mask[i] = CODE
            i += 1
    return mask


def proof_separator(decl: str) -> int:
    """Index of the ``:=`` that starts a declaration's proof (the first one outside brackets,
    comments and strings). Raises ParseError when there is none or the proof is by equations."""
    mask = code_mask(decl)
    depth = 0
    at_line_start = True
    for i, c in enumerate(decl):
        if c == "\n":
            at_line_start = True
            continue
        if mask[i] != CODE:
            continue
        if at_line_start and not c.isspace():
            at_line_start = False
            line = decl[i:decl.find("\n", i) if "\n" in decl[i:] else len(decl)]
            if c == "|" and depth == 0 and "=>" in line:
                raise ParseError("the proof is by equations (`| pattern => ...`), not `:= proof`")
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c == ":" and depth == 0 and decl.startswith(":=", i):
            return i
    raise ParseError("no `:=` separating the statement from its proof")


def _skip_prelude(text: str) -> int:
    """Index after leading whitespace, doc comments, attributes ``@[...]`` and modifiers."""
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if text.startswith("/-", i):  # doc comment or comment
            depth, i = 1, i + 2
            while i < len(text) and depth:
                if text.startswith("/-", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("-/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            continue
        if text.startswith("--", i):
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
            continue
        if text.startswith("@[", i):
            depth, i = 1, i + 2
            while i < len(text) and depth:
                depth += {"[": 1, "]": -1}.get(text[i], 0)
                i += 1
            continue
        m = _MODIFIER_RE.match(text, i)
        if m:
            i = m.end()
            continue
        return i


def declaration_head(text: str) -> tuple[str, str | None] | None:
    """(keyword, declared name or None) of a command, e.g. ``("theorem", "foo")``; None when the
    command is only comments, attributes or modifiers."""
    i = _skip_prelude(text)
    m = re.match(r"([^\s(\[{:]+)(?:\s+([^\s(\[{:]+))?", text[i:])
    if not m:
        return None
    kw = m.group(1)
    if kw == "example":
        return kw, None
    return kw, m.group(2)


def split_commands(text: str) -> list[tuple[int, str]]:
    """Top-level commands of a Lean file as ``(first line number, text)``. A command starts at a
    column-0 line that is code (not a continuation such as ``|`` or ``termination_by``); doc comments
    and attributes on their own lines are joined to the declaration that follows them."""
    mask = code_mask(text)
    starts = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip() and not line[0].isspace() and mask[pos] and not line.startswith(_CONTINUATIONS):
            starts.append(pos)
        pos += len(line)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    chunks = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    out: list[tuple[int, str]] = []
    pending = ""
    pending_line = None
    for a, chunk in zip(starts, chunks):
        line_no = text.count("\n", 0, a) + 1
        if not chunk.strip():
            if pending:
                pending += chunk
            elif out:
                out[-1] = (out[-1][0], out[-1][1] + chunk)
            continue
        stripped = chunk.lstrip()
        # a doc comment or attribute alone: glue it to what follows
        if _skip_prelude(chunk) >= len(chunk.rstrip()) and (stripped.startswith("/--")
                                                            or stripped.startswith("@[")):
            pending += chunk
            pending_line = pending_line or line_no
            continue
        out.append((pending_line or line_no, pending + chunk))
        pending, pending_line = "", None
    if pending:
        out.append((pending_line or 1, pending))
    return out


def lean_file_theorems(path: str | Path) -> list[dict]:
    """Every ``theorem``/``lemma``/``example`` of a ``.lean`` file as a record
    ``{name, statement, header, line, source_path}``. ``header`` is the file's context before it:
    every command that is not a theorem (imports, ``open``, ``namespace``, ``variable``, ``def``, …);
    earlier theorems are left out (their proofs are the problems themselves)."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    context: list[str] = []
    namespaces: list[str | None] = []
    rows = []
    for line_no, chunk in split_commands(text):
        head = declaration_head(chunk)
        kw, name = head if head else (None, None)
        if kw in THEOREM_KEYWORDS:
            full = name or f"example_{line_no}"
            prefix = ".".join(n for n in namespaces if n)
            if prefix and name and not name.startswith("_root_."):
                full = f"{prefix}.{name}"
            first = next((r["line"] for r in rows if r["name"] == full), None)
            if first is not None:
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
    i = _skip_prelude(text)
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
    src = Path(project_dir) / record["file_path"]
    if not src.is_file():
        raise ParseError(f"LeanDojo record needs its source {record['file_path']} inside the Lean "
                         f"project (lean_repl.project_dir = {project_dir or '(none)'})")
    text = src.read_text(encoding="utf-8")
    line, col = (int(x) for x in record["start"])
    lines = text.splitlines(keepends=True)
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
        if _skip_prelude(last) >= len(last.rstrip()) and last.strip():
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
    if not isinstance(decl, str) or not isinstance(header, str):
        raise ParseError("statement and header must be strings")
    return ReplInput(header=header.strip(), command=statement_to_command(decl))
