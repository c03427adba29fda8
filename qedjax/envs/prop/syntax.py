"""Propositional formulas in Lean 4 notation: AST, parser and printer.

Precedences follow Lean 4 core (`Init/Core.lean`, `Init/Prelude.lean`):

=========  =====================  ===============
notation   Lean declaration       associativity
=========  =====================  ===============
``¬ p``    ``notation:max "¬" p:40``  prefix
``p ∧ q``  ``infixr:35``          right
``p ∨ q``  ``infixr:30``          right
``p → q``  arrow, prec 25         right
``p ↔ q``  ``infix:20``           none (``p ↔ q ↔ r`` is a parse error, as in Lean)
=========  =====================  ===============

The printer inserts exactly the parentheses Lean's parenthesizer would, so that
``parse(pp(f)) == f`` for every formula and ``pp(parse(s))`` is Lean's canonical spelling.
ASCII spellings (``/\\``, ``\\/``, ``->``, ``<->``, ``~``) are accepted on input.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Union

from qedjax.errors import ParseError

__all__ = [
    "Atom", "Top", "Bot", "Not", "And", "Or", "Imp", "Iff", "Formula",
    "TRUE", "FALSE", "parse_formula", "pp", "atoms", "tokenize", "Token",
    "is_ident", "IDENT_RE",
]


@dataclasses.dataclass(frozen=True, slots=True)
class Atom:
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class Top:
    pass


@dataclasses.dataclass(frozen=True, slots=True)
class Bot:
    pass


@dataclasses.dataclass(frozen=True, slots=True)
class Not:
    arg: Formula


@dataclasses.dataclass(frozen=True, slots=True)
class And:
    left: Formula
    right: Formula


@dataclasses.dataclass(frozen=True, slots=True)
class Or:
    left: Formula
    right: Formula


@dataclasses.dataclass(frozen=True, slots=True)
class Imp:
    left: Formula
    right: Formula


@dataclasses.dataclass(frozen=True, slots=True)
class Iff:
    left: Formula
    right: Formula


Formula = Union[Atom, Top, Bot, Not, And, Or, Imp, Iff]
TRUE = Top()
FALSE = Bot()

# (precedence, lhs precedence, rhs precedence)
_BINARY = {
    And: ("∧", 35, 36, 35),
    Or: ("∨", 30, 31, 30),
    Imp: ("→", 25, 26, 25),
    Iff: ("↔", 20, 21, 21),
}
_MAX = 1024

# Identifier characters: letters (Greek too), digits, `_`, `'`, `!`, `?`, subscripts.
IDENT_RE = re.compile(r"[A-Za-z_\u03b1-\u03c9\u0391-\u03a9\u1d62-\u1d6a][A-Za-z0-9_'!?\u03b1-\u03c9\u0391-\u03a9\u2080-\u209c\u1d62-\u1d6a]*(?:\.[A-Za-z_][A-Za-z0-9_'!?\u2080-\u2089]*)*")
_RESERVED = {"fun", "λ", "theorem", "lemma", "example", "by", "with", "at", "Prop", "Type", "Sort"}


def is_ident(text: str) -> bool:
    m = IDENT_RE.fullmatch(text)
    return m is not None and text not in _RESERVED


def pp(f: Formula, prec: int = 0) -> str:
    """Lean 4's pretty-print of ``f`` (parenthesised when its precedence is below ``prec``)."""
    if isinstance(f, Atom):
        return f.name
    if isinstance(f, Top):
        return "True"
    if isinstance(f, Bot):
        return "False"
    if isinstance(f, Not):
        text = "¬" + pp(f.arg, 40)
        return text if prec <= _MAX else f"({text})"
    sym, p, lp, rp = _BINARY[type(f)]
    text = f"{pp(f.left, lp)} {sym} {pp(f.right, rp)}"
    return f"({text})" if p < prec else text


def atoms(f: Formula, acc: dict[str, None] | None = None) -> list[str]:
    """Atom names in order of first appearance."""
    out: dict[str, None] = {} if acc is None else acc
    stack = [f]
    while stack:
        g = stack.pop()
        if isinstance(g, Atom):
            out.setdefault(g.name, None)
        elif isinstance(g, Not):
            stack.append(g.arg)
        elif isinstance(g, (And, Or, Imp, Iff)):
            stack.append(g.right)
            stack.append(g.left)
    return list(out)


# ---------------------------------------------------------------------------------------------
# Tokenizer shared by formulas, terms and tactics.

@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "ident" | "sym" | "num"
    text: str
    pos: int


_SYMBOLS = [
    "<;>", "<->", ":=", "->", "/\\", "\\/", "=>", "⟨", "⟩", "(", ")", "{", "}", "¬", "∧", "∨", "→", "↔",
    ",", ":", "|", "~", ";", "·", ".", "_", "-", "@", "←", "↦", "[", "]", "*",
]
_SPACE_RE = re.compile(r"\s+")
_NUM_RE = re.compile(r"[0-9]+")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        m = _SPACE_RE.match(text, i)
        if m:
            i = m.end()
            continue
        m = IDENT_RE.match(text, i)
        if m and not (m.group() == "_" or m.group().startswith("_") and len(m.group()) == 1):
            tokens.append(Token("ident", m.group(), i))
            i = m.end()
            continue
        m = _NUM_RE.match(text, i)
        if m:
            tokens.append(Token("num", m.group(), i))
            i = m.end()
            continue
        for sym in _SYMBOLS:
            if text.startswith(sym, i):
                tokens.append(Token("sym", sym, i))
                i += len(sym)
                break
        else:
            raise ParseError(f"unexpected character '{text[i]}'", pos=i)
    return tokens


_ASCII = {"/\\": "∧", "\\/": "∨", "->": "→", "<->": "↔", "~": "¬"}
_BIN_TOKENS = {"∧": And, "∨": Or, "→": Imp, "↔": Iff}


class _Parser:
    def __init__(self, tokens: list[Token], text: str):
        self.toks = tokens
        self.i = 0
        self.text = text

    def peek(self) -> Token | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def sym(self) -> str | None:
        t = self.peek()
        if t is None:
            return None
        if t.kind == "sym":
            return _ASCII.get(t.text, t.text)
        return None

    def error(self, msg: str) -> ParseError:
        t = self.peek()
        pos = t.pos if t else len(self.text)
        return ParseError(msg, pos=pos)

    def formula(self, min_prec: int = 0) -> Formula:
        lhs = self.prefix()
        while True:
            s = self.sym()
            if s not in _BIN_TOKENS:
                return lhs
            cls = _BIN_TOKENS[s]
            _, p, lp, rp = _BINARY[cls]
            if p < min_prec:
                return lhs
            # lhs precedence check: `a ↔ b ↔ c` is not Lean syntax.
            if cls is Iff and isinstance(lhs, Iff) and self._last_unparenthesised_iff:
                raise self.error("unexpected token '↔'; expected term")
            self.i += 1
            rhs = self.formula(rp)
            lhs = cls(lhs, rhs)
            self._last_unparenthesised_iff = cls is Iff

    _last_unparenthesised_iff = False

    def prefix(self) -> Formula:
        t = self.peek()
        if t is None:
            raise self.error("unexpected end of input; expected term")
        s = self.sym()
        self._last_unparenthesised_iff = False
        if s == "¬":
            self.i += 1
            return Not(self.formula(40))
        if s == "(":
            self.i += 1
            f = self.formula(0)
            if self.sym() != ")":
                raise self.error("unexpected token; expected ')'")
            self.i += 1
            self._last_unparenthesised_iff = False
            return f
        if t.kind == "ident":
            self.i += 1
            if t.text == "True":
                return TRUE
            if t.text == "False":
                return FALSE
            if t.text == "Not":
                return Not(self.formula(_MAX + 1))
            if t.text in _RESERVED:
                raise ParseError(f"unexpected token '{t.text}'; expected term", pos=t.pos)
            return Atom(t.text)
        raise self.error(f"unexpected token '{t.text}'; expected term")


def parse_formula(text: str) -> Formula:
    """Parse a Lean 4 proposition (``p ∧ q → q ∧ p``)."""
    parser = _Parser(tokenize(text), text)
    f = parser.formula(0)
    if parser.peek() is not None:
        raise parser.error(f"unexpected token '{parser.peek().text}'; expected end of input")
    return f


def parse_formula_tokens(parser_tokens: list[Token], text: str) -> Formula:
    parser = _Parser(parser_tokens, text)
    f = parser.formula(0)
    if parser.peek() is not None:
        raise parser.error(f"unexpected token '{parser.peek().text}'")
    return f
