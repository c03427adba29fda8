"""Lean 4 source text without Lean: comments, strings and brackets tracked, a file split into its
top-level commands, a declaration's keyword, name and proof found.

This is a lexer, not a parser: a top-level command starts at column 0. Theorem sources
(:mod:`qedjax.search.theorems`) read ``.lean`` files with it and the REPL backend
(:mod:`qedjax.envs.lean_text`) builds the text it sends with it; it knows neither.
"""

from __future__ import annotations

import re

from qedjax.errors import ParseError

THEOREM_KEYWORDS = ("theorem", "lemma", "example")
_MODIFIERS = ("private", "protected", "noncomputable", "unsafe", "partial", "nonrec", "public")
# Lines at column 0 that continue the previous command rather than start one.
_CONTINUATIONS = ("termination_by", "decreasing_by", "where", "deriving", "|", ")", "]", "}", "⟩",
                  "with", "·", ".", ",", ":=", "=>")
_OPEN = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "⦃": "⦄", "⟦": "⟧"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_MODIFIER_RE = re.compile(r"(?:" + "|".join(_MODIFIERS) + r")\b")
# ``open Foo in`` / ``set_option maxHeartbeats 400000 in`` … before a declaration: Lean's ``in``
# combinator scopes the first command to the second, so the pair is one command.
_IN_PREFIX_HEAD_RE = re.compile(r"(?:open|set_option|variable|include|omit|unseal|attribute\s*\[[^\]\n]*\])"
                                r"(?![\w.'])")
_IN_WORD_RE = re.compile(r"\sin(?=\s|$)")


CODE, OPENER = 1, 2
_CHAR_RE = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)|[^\\'\n])'")


_BINDER_RE = re.compile(r"(?:let|have|letI|haveI)(?=\s)")


def _ident_char(c: str) -> bool:
    """A character that can end an identifier (``h'``, ``x₁``, ``a!``): a ``'`` after it is a prime."""
    return c.isalnum() or c in "_'!?.»" or "\u2080" <= c <= "\u209c" or "\u1d62" <= c <= "\u1d6a"


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
        elif c == "'" and (i == 0 or not _ident_char(text[i - 1])) and (m := _CHAR_RE.match(text, i)):
            i = m.end()  # a char literal such as '"' or '-': not the start of a string or comment
        else:
            mask[i] = CODE
            i += 1
    return mask


def in_prefix_end(text: str, i: int = 0) -> int | None:
    """Index just past the ``in`` of an ``open … in`` / ``set_option … in`` / ``variable … in``
    prefix starting at ``i`` (on that line), or None when there is none. The ``in`` must be code:
    ``variable (x : Nat) -- nonzero in`` or ``open Foo /- in -/`` is a command of its own."""
    m = _IN_PREFIX_HEAD_RE.match(text, i)
    if not m:
        return None
    eol = text.find("\n", m.end())
    line = text[i:len(text) if eol < 0 else eol]
    mask = code_mask(line)  # the line starts in code: its comments and strings are found in it alone
    for w in _IN_WORD_RE.finditer(line, m.end() - i):
        if mask[w.start() + 1] == CODE:
            return i + w.end()
    return None


def proof_separator(decl: str) -> int:
    """Index of the ``:=`` that starts a declaration's proof (the first one outside brackets,
    comments and strings). Raises ParseError when there is none or the proof is by equations."""
    mask = code_mask(decl)
    depth = 0
    binders = 0  # `let x := v; …` / `have h := v; …` in the statement, each owning one `:=`
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
        elif c in "lh" and depth == 0 and (i == 0 or not _ident_char(decl[i - 1])) \
                and _BINDER_RE.match(decl, i):
            binders += 1
        elif c == ":" and depth == 0 and decl.startswith(":=", i):
            if binders:
                binders -= 1
                continue
            return i
    raise ParseError("no `:=` separating the statement from its proof")


def skip_prelude(text: str) -> int:
    """Index after leading whitespace, doc comments, attributes ``@[...]``, ``open … in`` /
    ``set_option … in`` prefixes and modifiers."""
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
        j = in_prefix_end(text, i)
        if j is not None:
            i = j
            continue
        return i


def declaration_head(text: str) -> tuple[str, str | None] | None:
    """(keyword, declared name or None) of a command, e.g. ``("theorem", "foo")``; None when the
    command is only comments, attributes or modifiers."""
    i = skip_prelude(text)
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
    line_of = {0: 1}  # start offset -> its line number (counted as we go: recounting is quadratic)
    pos, line_no = 0, 1
    for line in text.splitlines(keepends=True):
        if line.strip() and not line[0].isspace() and mask[pos] and not line.startswith(_CONTINUATIONS):
            starts.append(pos)
            line_of[pos] = line_no
        pos += len(line)
        line_no += line.count("\n")
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    chunks = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    out: list[tuple[int, str]] = []
    pending = ""
    pending_line = None
    for a, chunk in zip(starts, chunks):
        line_no = line_of[a]
        if not chunk.strip():
            if pending:
                pending += chunk
            elif out:
                out[-1] = (out[-1][0], out[-1][1] + chunk)
            continue
        stripped = chunk.lstrip()
        # a doc comment, attribute or ``open … in`` alone: glue it to what follows
        if skip_prelude(chunk) >= len(chunk.rstrip()) and (stripped.startswith("/--")
                                                            or stripped.startswith("@[")
                                                            or in_prefix_end(stripped) is not None):
            pending += chunk
            pending_line = pending_line or line_no
            continue
        out.append((pending_line or line_no, pending + chunk))
        pending, pending_line = "", None
    if pending:
        out.append((pending_line or 1, pending))
    return out
