"""Where parsing starts: token streams that know both grammars, and the cached tactic-block parser.

The term grammar (``term_parser.py``) and the tactic grammar (``blocks.py``, ``tactic_args.py``) call
each other. Every stream built here carries the tactic grammar's entry, ``blocks.parse_seq``, which
the term grammar uses for ``by`` blocks (see :class:`~qedjax.envs.prop.lexer.TokenStream`).
"""

from __future__ import annotations

import functools
from typing import Callable, Mapping

from qedjax.envs.prop.blocks import Seq, parse_seq
from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.lexer import NO_NOTATIONS, LineMap, Token, TokenStream, tokenize
from qedjax.errors import ParseError

__all__ = ["stream", "text_stream", "parse_tactic"]


def stream(toks: list[Token], text: str, start: int = 0, end: int | None = None,
           notations: Mapping[str, Callable[[TokenStream], object]] = NO_NOTATIONS,
           macros: object = None) -> TokenStream:
    """A stream over ``toks[start:end]`` of ``text`` that parses terms and the tactic blocks inside them
    (and the library notation ``notations``: see ``notations.py``; the file's tactic macros ``macros``:
    see ``macros.py``)."""
    return TokenStream(toks, text, start, end, tactic_block=parse_seq, notations=notations, macros=macros)


def text_stream(text: str) -> TokenStream:
    """:func:`stream` over all of ``text`` (raises ParseError on a bad character or comment)."""
    return stream(tokenize(text), text)


@functools.lru_cache(maxsize=65536)
def parse_tactic(text: str) -> Seq:
    """Parse a tactic block (cached: search applies the same strings often). Raises TacticError
    with Lean's ``<input>:line:col: message`` on a syntax error."""
    try:
        ts = text_stream(text)
        if ts.done():
            raise ParseError("unknown tactic", pos=0)
        seq = parse_seq(ts)
        if ts.raw() is not None:
            t = ts.raw()
            raise ParseError(f"unexpected token '{t.text}'; expected command", pos=t.pos)
        return seq
    except ParseError as e:
        line, col = LineMap(text).locate(e.pos or 0)
        raise TacticError(f"<input>:{line + 1}:{col}: {e.message}") from None
