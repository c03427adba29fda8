"""Term notation that a library declares and a file gets by importing it.

A Lean library may extend the term grammar (``@[term_parser] def …`` with ``macro_rules``); a file
has that notation exactly when it imports the library, directly or through another of its modules.
``qed prop check`` reads a file's ``import`` lines and gives its token streams the notation of the
libraries below (:func:`notations_of_imports`); without the import the words stay plain identifiers,
as in Lean. Sessions and JSONL records have no imports, hence no library notation.

LoVe, the course "Logical Verification" (blanchette/logical_verification_2023 @
0b9ca22d512230ca1932f08ebb459f676438c64d, ``lean/LoVe/LoVelib.lean`` lines 30-39, which every LoVe module
imports), declares::

    @[term_parser] def «fix» :=
      leading_parser withPosition ("fix " >> many1 Term.ident >> " : " >> termParser)
      >> optSemicolon termParser
    @[term_parser] def «assume» :=
      leading_parser withPosition ("assume " >> Term.ident >> " : " >> termParser)
      >> optSemicolon termParser
    macro_rules
    | `(fix $x* : $ty; $y) => `(fun $x* : $ty ↦ $y)
    | `(assume $h : $ty; $y) => `(fun $h : $ty ↦ $y)
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from qedjax.envs.prop.lexer import KEYWORDS, NO_NOTATIONS, TokenStream
from qedjax.envs.prop.term_parser import parse_term
from qedjax.envs.prop.terms import Binder, PVar, Term, TFun

__all__ = ["LIBRARY_NOTATIONS", "notations_of_imports"]

_NOT_NAME = KEYWORDS - {"Prop", "Type", "Sort"}


def _love_binder(ts: TokenStream) -> Term:
    """``fix x* : t`` / ``assume h : t``, then ``;`` or a new line, then the body: ``fun x* : t ↦ body``.
    ``withPosition``: the type ends before a line that starts at or left of the keyword's column."""
    start = ts.i
    kw = ts.take()
    names: list[str] = []
    while (t := ts.peek()) is not None and t.kind == "ident" and t.text not in _NOT_NAME \
            and t.text not in ts.notations:
        names.append(ts.take().text)
        if kw.text == "assume":  # `Term.ident`, one name
            break
    if not names:
        raise ts.error_here("expected identifier")
    ts.expect(":", "':'")
    saved = ts.stop_col
    ts.stop_col = max(saved, kw.col)
    try:
        ty = parse_term(ts)
    finally:
        ts.stop_col = saved
    if ts.at(";"):
        ts.take()
    body = parse_term(ts)
    return TFun(ts.toks[start].pos, ts.src(start, ts.i), tuple(Binder(PVar(n), ty) for n in names), body)


# library -> (prefix of the modules that bring it, its keywords and their parsers)
LIBRARY_NOTATIONS: dict[str, tuple[str, Mapping[str, Callable[[TokenStream], object]]]] = {
    "LoVe": ("LoVe.", {"fix": _love_binder, "assume": _love_binder}),
}


def notations_of_imports(modules: Iterable[str]) -> Mapping[str, Callable[[TokenStream], object]]:
    """The keywords and parsers of the notation that importing ``modules`` brings."""
    modules = list(modules)
    out: dict[str, Callable[[TokenStream], object]] = {}
    for prefix, parsers in LIBRARY_NOTATIONS.values():
        if any(m.startswith(prefix) for m in modules):
            out.update(parsers)
    return out or NO_NOTATIONS
