"""Lean 4 tokens with source positions and the layout rule of tactic blocks.

Every token knows its offset, 0-based line, column (in code points, as Lean counts them) and
whether it is the first token on its line. Comments (``--`` and nested ``/- -/``) are skipped.
With ``strict_whitespace`` (a file's text, a record's proof), a tab or an isolated carriage return
between tokens is refused as Lean's ``whitespace`` refuses it.

Layout (Lean's ``withPosition``/``checkColGt``): inside a tactic block whose first tactic sits at
column ``C``, a token that starts a new line at a column ``<= C`` cannot continue the current tactic
or term; the block's own sequencing then decides whether it starts the next tactic (column ``== C``)
or ends the block. :class:`TokenStream` hides such tokens behind its ``stop_col``.
"""

from __future__ import annotations

import bisect
import re
import types
from typing import Callable, Mapping

from qedjax.errors import ParseError
from qedjax.lean_syntax import block_comment_end

__all__ = ["Token", "TokenStream", "tokenize", "IDENT_RE", "is_ident", "KEYWORDS", "LineMap", "NO_NOTATIONS",
           "TAB_ERROR", "CR_ERROR"]

# Identifier characters as Lean's `isLetterLike`/`isSubScriptAlnum` (λ, Π and Σ are not letters).
_LETTER = "A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u03b1-\u03ba\u03bc-\u03c9\u0391-\u039f\u03a1\u03a2\u03a4-\u03a9" \
          "\u03ca-\u03fb\u1f00-\u1ffe\u2100-\u214f"
_REST = _LETTER + "0-9'!?\u2080-\u2089\u2090-\u209c\u1d62-\u1d6a"
_ATOM = f"[{_LETTER}][{_REST}]*"
IDENT_RE = re.compile(f"{_ATOM}(?:\\.{_ATOM})*")

KEYWORDS = frozenset({
    "fun", "λ", "by", "with", "at", "from", "have", "show", "suffices", "match", "then", "else", "if",
    "let", "do", "theorem", "lemma", "example", "def", "in", "end", "open", "section", "namespace",
    "variable", "universe", "Prop", "Type", "Sort", "calc", "nomatch", "using", "only", "deriving",
    "where", "instance", "abbrev", "axiom", "noncomputable", "private", "protected", "import",
})


def is_ident(text: str) -> bool:
    """True for a plain Lean identifier that is not a keyword (``hp``, ``h₁``, ``And.intro``)."""
    return IDENT_RE.fullmatch(text) is not None and text not in KEYWORDS and text != "_"


class Token:
    """A token: ``kind`` is ``ident``, ``sym``, ``num``, ``str`` or ``hole`` (``?_``/``?x``)."""

    __slots__ = ("kind", "text", "pos", "line", "col", "bol")

    def __init__(self, kind: str, text: str, pos: int, line: int, col: int, bol: bool):
        self.kind, self.text, self.pos, self.line, self.col, self.bol = kind, text, pos, line, col, bol

    @property
    def end(self) -> int:
        return self.pos + len(self.text)

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r}, {self.line}:{self.col})"


_SYMBOLS = sorted([
    "<;>", "<->", "<|>", ":=", "->", "<-", "=>", "/\\", "\\/", "<|", "|>", "⟨", "⟩", "(", ")", "{", "}",
    "[", "]", "¬", "∧", "∨", "→", "↔", "←", "↦", "∀", "∃", "λ", "=", "≠", "▸", "∘", ",", ":", "|", "~",
    ";", "·", ".", "_", "-", "@", "*", "⊢", "$", "!", "%", "+", "<", ">", "^", "&", "#", "‹", "›", "?",
    "•", "×", "∈", "∉", "≤", "≥", "⁻¹",
], key=len, reverse=True)
_SPACE_RE = re.compile(r"[ \t\r\n]+")
_NUM_RE = re.compile(r"[0-9]+")
_HOLE_RE = re.compile(f"\\?(?:_|{_ATOM})")

# Lean's `whitespace` (src/Lean/Parser/Basic.lean) stops at a tab or a carriage return with a parse error;
# comments, string and character literals and `«»` names may hold them. Lean's frontend reads a file
# through `String.crlfToLf` first, which drops the `\r` of each `\r\n` (left to right, so `\r\r\n` keeps
# one): the `\r` it refuses are those not followed by `\n`, at the same line and column.
TAB_ERROR = "tabs are not allowed; please configure your editor to expand them"
CR_ERROR = "isolated carriage returns are not allowed"
_TAB_OR_CR_RE = re.compile(r"\t|\r(?!\n)")
_RAW_STR_RE = re.compile(r'r(#*)"')
_CHAR_ESCAPES = {"x": 2, "u": 4}  # hex digits after `\x`, `\u` (`quotedCharCoreFn`); others: none


def _literal_end(text: str, i: int) -> int:
    """End of the literal Lean's ``tokenFn`` reads at ``i`` whose contents are not whitespace to it
    (a character literal ``'c'``, a raw string ``r#"…"#``, an escaped name part ``«…»``), else -1."""
    n, ch = len(text), text[i]
    if ch == "'" and i + 1 < n and text[i + 1] != "'":  # `charLitFnAux`
        j = i + 2
        if text[i + 1] == "\\" and j < n:
            j += 1 + _CHAR_ESCAPES.get(text[j], 0)
        return j + 1 if j < n and text[j] == "'" else -1
    if ch == "r" and (m := _RAW_STR_RE.match(text, i)):  # `rawStrLitFnAux`
        j = text.find('"' + m.group(1), m.end())
        return -1 if j < 0 else j + 1 + len(m.group(1))
    if ch == "\u00ab":  # `identFnAux`: an escaped part runs to the next `»`
        j = text.find("\u00bb", i + 1)
        return -1 if j < 0 else j + 1
    return -1


class LineMap:
    """Offset -> (line, column) for one source text (both 0-based; Lean prints line + 1)."""

    def __init__(self, text: str):
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def locate(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, pos) - 1
        return line, pos - self.starts[line]


def tokenize(text: str, base: int = 0, *, strict_whitespace: bool = False) -> list[Token]:
    """Tokens of ``text`` (comments dropped); ``base`` is added to offsets (for slices of a file).

    ``strict_whitespace``: a tab, or a carriage return not followed by a line feed, where Lean skips
    whitespace is a ParseError with Lean's message; a character literal, a raw string or a ``«…»``
    name part is then one ``sym`` token, as its contents may hold them."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    line, line_start = 0, 0
    last_line = -1
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            m = _SPACE_RE.match(text, i)
            j = m.end()
            if strict_whitespace and (bad := _TAB_OR_CR_RE.search(text, i, j)):
                raise ParseError(TAB_ERROR if bad.group() == "\t" else CR_ERROR, pos=base + bad.start())
            k = text.count("\n", i, j)
            if k:
                line += k
                line_start = text.rindex("\n", i, j) + 1
            i = j
            continue
        if ch == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == "/" and text.startswith("/-", i):
            j = block_comment_end(text, i)
            if j < 0:
                raise ParseError("unterminated comment", pos=n)
            k = text.count("\n", i, j)
            if k:
                line += k
                line_start = text.rindex("\n", i, j) + 1
            i = j
            continue
        col = i - line_start
        bol = line != last_line
        m = IDENT_RE.match(text, i)
        if strict_whitespace and ch in "'r\u00ab" and (j := _literal_end(text, i)) > 0:
            kind = "sym"
        elif m and not (ch == "_" and m.end() == i + 1):
            kind, j = "ident", m.end()
            # `h.1`: the regex stops before `.1`; `h.` followed by a letter was consumed as one name
        elif ch == "?" and (m := _HOLE_RE.match(text, i)):
            kind, j = "hole", m.end()
        elif "0" <= ch <= "9":  # ASCII only: str.isdigit() is true for '²', which no number starts with
            kind, j = "num", _NUM_RE.match(text, i).end()
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise ParseError("unterminated string literal", pos=base + i)
            kind, j = "str", j + 1
        else:
            for sym in _SYMBOLS:
                if text.startswith(sym, i):
                    kind, j = "sym", i + len(sym)
                    break
            else:  # a symbol of some other notation (`⊥`, `∑`): a token the grammars will refuse in place
                kind, j = "sym", i + 1
        word = text[i:j]
        if word == "by?":  # Lean core's `by? tac` is `show_term by tac` (Init/Tactics.lean): a `by` block
            word = "by"
        tokens.append(Token(kind, word, base + i, line, col, bol))
        last_line = line
        i = j
    return tokens


NO_NOTATIONS: Mapping = types.MappingProxyType({})  # a stream without library notation


class TokenStream:
    """A cursor over tokens with Lean's layout rule (``stop_col``) and a nesting-depth guard.

    ``tactic_block`` parses the tactic sequence of a ``by`` term. The term grammar and the tactic
    grammar call each other (terms hold ``by`` blocks, tactics hold terms); the stream carries the
    tactic grammar's entry so that the term grammar need not import it (``parser.stream`` sets it).
    ``notations`` maps the keywords of the term notation that the file's imports bring to their
    parsers (``notations.py``); it is empty unless a file imports such a library. ``macros`` is the
    file's table of tactic macros (``macros.py``), or None.
    """

    __slots__ = ("toks", "i", "text", "stop_col", "depth", "end", "anchor", "tactic_block", "cdots",
                 "notations", "macros")

    MAX_DEPTH = 100  # documented limit on nesting (formulas, terms, tactic blocks)

    def __init__(self, toks: list[Token], text: str, start: int = 0, end: int | None = None,
                 tactic_block: Callable[[TokenStream], object] | None = None,
                 notations: Mapping[str, Callable[[TokenStream], object]] = NO_NOTATIONS,
                 macros: object = None):
        self.tactic_block = tactic_block
        self.notations = notations
        self.macros = macros
        self.cdots: list[list[str]] = []  # `·` placeholders of the enclosing parentheses (term parser)
        self.toks = toks
        self.i = start
        self.end = len(toks) if end is None else end
        self.text = text
        self.stop_col = -1
        self.depth = 0
        self.anchor = -1  # index of the token that starts the current tactic (always visible)

    # -- visibility under the layout rule
    def no_layout(self) -> _NoLayout:
        """``with ts.no_layout():`` inside brackets, where Lean's layout rule stops nothing: every token
        is visible until the block ends, and the enclosing stop column comes back after it."""
        return _NoLayout(self)

    def visible(self, tok: Token) -> bool:
        return not (tok.bol and tok.col <= self.stop_col)

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        if j >= self.end:
            return None
        for t in range(self.i, j + 1):
            if t != self.anchor and not self.visible(self.toks[t]):
                return None
        return self.toks[j]

    def raw(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.toks[j] if j < self.end else None

    def at(self, *texts: str) -> bool:
        t = self.peek()
        return t is not None and t.text in texts

    def take(self) -> Token:
        t = self.peek()
        if t is None:
            raise self.error_here("unexpected end of input")
        self.i += 1
        return t

    def expect(self, text: str, what: str | None = None) -> Token:
        t = self.peek()
        if t is None or t.text != text:
            raise self.error_here(f"expected '{text}'" if what is None else f"expected {what}")
        self.i += 1
        return t

    def alt_bar(self, first_col: int | None) -> Token | None:
        """The next ``|`` of an alternatives list (Lean's ``withPosition(colGe "|" …)+``): the first bar
        may sit at any column, later bars that start a line must not sit left of the first."""
        t = self.raw()
        if t is None or t.text != "|":
            return None
        if first_col is not None and t.bol and t.col < first_col:
            return None
        return t

    def done(self) -> bool:
        return self.peek() is None

    def error_here(self, expected: str) -> ParseError:
        """Lean's parse error at the next token: ``unexpected token 'x'; expected ...``."""
        t = self.raw()
        if t is None:
            return ParseError(f"unexpected end of input; {expected}", pos=self.end_pos())
        return ParseError(f"unexpected token '{t.text}'; {expected}", pos=t.pos)

    def end_pos(self) -> int:
        return self.toks[self.end - 1].end if self.end > 0 else 0

    def src(self, start_tok: int, end_tok: int) -> str:
        """Source text of tokens ``[start_tok, end_tok)`` with runs of whitespace collapsed."""
        if end_tok <= start_tok:
            return ""
        a = self.toks[start_tok].pos
        b = self.toks[end_tok - 1].end
        return " ".join(self.text[a:b].split())

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.MAX_DEPTH:
            t = self.raw()
            raise ParseError(f"maximum nesting depth exceeded (the prop environment accepts at most "
                             f"{self.MAX_DEPTH} nested levels)", pos=t.pos if t else self.end_pos())

    def leave(self) -> None:
        self.depth -= 1


class _NoLayout:
    """:meth:`TokenStream.no_layout`'s context (a plain class: the parser enters it for every bracket)."""

    __slots__ = ("ts", "saved")

    def __init__(self, ts: TokenStream):
        self.ts = ts

    def __enter__(self) -> None:
        self.saved = self.ts.stop_col
        self.ts.stop_col = -1

    def __exit__(self, *exc) -> None:
        self.ts.stop_col = self.saved
