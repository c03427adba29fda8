"""Lean 4's term grammar (and the patterns of ``fun``/``match``/``rcases``) as a Pratt parser.

Supported syntax: identifiers (``h``, ``And.intro``, ``h.left``), application, projections
(``h.1``, ``(e).mp``), anonymous constructors ``⟨a, b⟩``, ``fun`` with patterns and typed binders,
``fun | pat => e``, ``match``, ``nomatch``, ``have``/``show … from``/``show … by``/``suffices``,
``by`` blocks, ``(e : t)``, ``‹t›``, ``_``, ``?_``, leading-dot constructors (``.inl h``), ``¬``,
``∧``, ``∨``, ``→``, ``↔``, ``=`` and ``∀ (p : Prop), …``. Parsing is layout-aware (see
``lexer.py``) and refuses nesting deeper than ``TokenStream.MAX_DEPTH`` with a one-line error instead
of recursing.

Terms contain tactic blocks (``by …``) and tactics contain terms, so the two grammars call each other:
a ``by`` block is parsed by the stream's ``tactic_block`` (``blocks.parse_seq``; ``parser.stream``
builds streams with it).
"""

from __future__ import annotations

from qedjax.envs.prop.lexer import KEYWORDS, TokenStream
from qedjax.envs.prop.terms import (
    BINOPS,
    CANONICAL_OPS,
    Alt,
    Binder,
    PAlts,
    Pattern,
    PCtor,
    PTuple,
    PTyped,
    PVar,
    TAnon,
    TApp,
    TAscribe,
    TAssum,
    TBin,
    TBy,
    TDot,
    Term,
    TForall,
    TFun,
    TFunAlts,
    THave,
    THole,
    TIdent,
    TMatch,
    TNamed,
    TNomatch,
    TNot,
    TProj,
    TShow,
    TSuffices,
    TSynth,
    TUnsupported,
    abstract_have,
    pi_over,
)
from qedjax.errors import ParseError

__all__ = ["BINOPS", "parse_term", "parse_by", "parse_have_decl", "parse_pattern", "parse_pattern_atom",
           "parse_pattern_rows"]

_MAX = 1024
_CLOSE_OF = {"(": ")", "{": "}", "⦃": "⦄"}
_ARG_START_SYMS = {"(", "⟨", "_", "‹", "@", ".", "¬"}  # `¬` is `notation:max "¬" p:40` (Init/Core.lean)
_NOT_ARG = KEYWORDS - {"Prop", "Type", "Sort"}


def _span(ts: TokenStream, start: int) -> tuple[int, str]:
    return ts.toks[start].pos, ts.src(start, ts.i)


def parse_term(ts: TokenStream, prec: int = 0) -> Term:
    """Parse a term at precedence ``prec`` (Pratt parser over Lean's notation table)."""
    ts.enter()
    try:
        start = ts.i
        lhs = _leading(ts)
        lhs_prec = _MAX
        while True:
            t = ts.peek()
            if t is None or t.kind != "sym" or t.text not in BINOPS:
                return lhs
            p, lp, rp = BINOPS[t.text]
            if p < prec or lhs_prec < lp:
                return lhs
            ts.take()
            rhs = parse_term(ts, rp)
            pos, src = _span(ts, start)
            lhs = TBin(pos, src, CANONICAL_OPS.get(t.text, t.text), lhs, rhs)
            lhs_prec = p
    finally:
        ts.leave()


def _is_arg_start(ts: TokenStream) -> bool:
    t = ts.peek()
    if t is None:
        return False
    if t.kind == "ident":
        return t.text not in _NOT_ARG and t.text not in ts.notations
    if t.kind in ("hole", "num"):
        return True
    if t.text in (".", "·"):
        return bool(ts.cdots) or _dot_ident(t, ts.peek(1))
    return t.text in _ARG_START_SYMS


def _dot_ident(t, nxt) -> bool:
    """`.name` (a leading-dot constructor, `nxt` right after the dot) rather than a `·` placeholder."""
    return t.text == "." and nxt is not None and nxt.kind == "ident" and nxt.pos == t.end


def _leading(ts: TokenStream) -> Term:
    t = ts.peek()
    if t is None:
        raise ts.error_here("expected term")
    start = ts.i
    text = t.text
    if t.kind == "ident":
        if text in ("fun", "λ"):
            return _fun(ts)
        if text in ts.notations:  # a keyword of an imported library's notation (notations.py)
            return ts.notations[text](ts)
        if text == "have" or text == "let" and not (ts.peek(1) is not None and ts.peek(1).text in ("rec", "mut")):
            return _have(ts)  # a `let` of a proof acts as a `have` (see terms.let_of_a_proposition)
        if text == "show":
            return _show(ts)
        if text == "suffices":
            return _suffices(ts)
        if text == "match":
            return _match(ts)
        if text == "nomatch":
            ts.take()
            d = parse_term(ts)
            pos, src = _span(ts, start)
            return TNomatch(pos, src, d)
        if text == "by":
            return parse_by(ts)
        if text in ("if", "let", "do", "calc"):
            raise ParseError(f"'{text}' terms are not supported by the prop environment", pos=t.pos)
        if text in KEYWORDS and text not in ("Prop", "Type", "Sort"):
            raise ts.error_here("expected term")
    # `~`: ASCII input outside a file (syntax.py); Lean 4 has no `~` (src/Init/Notation.lean: `¬`, `/\`, `\/`)
    if text == "¬" or text == "~" and ts.macros is None:
        ts.take()
        arg = parse_term(ts, 40)
        pos, src = _span(ts, start)
        return TNot(pos, src, arg)
    if text == "∀":
        return _forall(ts)
    if text in ("∃", "λ"):
        if text == "λ":
            return _fun(ts)
        raise ParseError("'∃' is not supported by the prop environment (propositions only)", pos=t.pos)
    head = _arg(ts)
    if isinstance(head, (TIdent, TProj, TDot, TApp, TAssum)) or ts.toks[start].text == "(":  # `‹¬p› ‹p›` too
        args = []
        while _is_arg_start(ts) or ts.at("fun", "λ"):
            fun = ts.at("fun", "λ")
            args.append(_fun(ts) if fun else _leading(ts) if ts.at("¬") else _arg(ts))  # `f ¬a b`: `f ¬(a b)`
            if fun and not isinstance(args[-1], TFunAlts):  # `fun x => body` takes the rest; `fun | …` ends
                break  # with its alternatives (the first `|`'s column), and more arguments may follow
        if args:
            pos, src = _span(ts, start)
            return TApp(pos, src, head, tuple(args))
    return head


def _arg(ts: TokenStream) -> Term:
    """A maximal-precedence term: identifier, parenthesised term, ⟨…⟩, hole, ‹t›, then projections."""
    start = ts.i
    t = ts.take()
    if t.kind == "ident":
        if t.text in _NOT_ARG:
            raise ParseError(f"unexpected token '{t.text}'; expected term", pos=t.pos)
        term: Term = TIdent(t.pos, t.text, t.text)
    elif t.kind == "hole":
        term = TSynth(t.pos, t.text, t.text[1:])
    elif t.kind == "num":
        term = TUnsupported(t.pos, t.text, "numeric literal")
    elif t.text == "_":
        term = THole(t.pos, "_")
    elif t.text == "@":
        nxt = ts.take()
        if nxt.kind != "ident":
            raise ParseError(f"unexpected token '{nxt.text}'; expected identifier", pos=nxt.pos)
        term = TIdent(t.pos, "@" + nxt.text, nxt.text, explicit=True)
    elif t.text in ("·", ".") and not _dot_ident(t, ts.peek()):
        if not ts.cdots:
            raise ParseError(f"unexpected token '{t.text}'; expected term", pos=t.pos)
        group = ts.cdots[-1]  # Lean's `·` function: a parameter of the enclosing parentheses
        name = f"x✝·{len(ts.cdots)}.{len(group) + 1}"
        group.append(name)
        term = TIdent(t.pos, t.text, name)
    elif t.text == ".":
        nxt = ts.take()
        term = TDot(t.pos, "." + nxt.text, nxt.text)
    elif t.text == "(":
        saved, ts.stop_col = ts.stop_col, -1  # inside brackets, layout does not apply
        ts.cdots.append([])
        try:
            if ts.at(")"):
                ts.take()
                term = TUnsupported(t.pos, "()", "unit value")
            elif ts.peek(1) is not None and ts.peek(1).text == ":=" and ts.peek().kind == "ident":
                name = ts.take().text  # a named argument `(x := e)` (Lean's `namedArgument`)
                ts.take()
                term = TNamed(t.pos, name, parse_term(ts))
                ts.expect(")", "')'")
            else:
                inner = parse_term(ts)
                if ts.at(":"):
                    ts.take()
                    ty = parse_term(ts)
                    ts.expect(")", "')'")
                    pos, src = _span(ts, start)
                    term = TAscribe(pos, src, inner, ty)
                else:
                    ts.expect(")", "')'")
                    term = inner
            params = ts.cdots[-1]
            if params:  # `(f · b)` is `fun x => f x b`
                pos, src = _span(ts, start)
                term = TFun(pos, src, tuple(Binder(PVar(n), None) for n in params), term)
        finally:
            ts.stop_col = saved
            ts.cdots.pop()
    elif t.text == "⟨":
        saved, ts.stop_col = ts.stop_col, -1
        try:
            items = []
            if not ts.at("⟩"):
                items.append(parse_term(ts))
                # `sepBy termParser ", " (allowTrailingSep := true)`: `⟨a, b,⟩`
                while ts.at(",") and ts.take() and not ts.at("⟩"):
                    items.append(parse_term(ts))
            ts.expect("⟩", "',' or '⟩'")
        finally:
            ts.stop_col = saved
        pos, src = _span(ts, start)
        term = TAnon(pos, src, tuple(items))
    elif t.text == "‹":
        saved, ts.stop_col = ts.stop_col, -1
        try:
            ty = parse_term(ts)
            ts.expect("›", "'›'")
        finally:
            ts.stop_col = saved
        pos, src = _span(ts, start)
        term = TAssum(pos, src, ty)
    else:
        raise ParseError(f"unexpected token '{t.text}'; expected term", pos=t.pos)
    # projections `.1`, `.mp` written right after the term (no space)
    while True:
        dot = ts.peek()
        nxt = ts.peek(1)
        if (dot is None or dot.text != "." or nxt is None or dot.pos != ts.toks[ts.i - 1].end
                or nxt.pos != dot.end or nxt.kind not in ("ident", "num")):
            break
        ts.take()
        ts.take()
        for field in nxt.text.split("."):
            pos, src = _span(ts, start)
            term = TProj(pos, src, term, field)
    return term


def _typed_group_colon(ts: TokenStream, opens: tuple = ("(",), after: str = ":") -> int:
    """Index of the ``:`` (or of ``after``) ending the names of a group ``(x y : t)`` of ``opens``, else -1."""
    j = ts.i + 1
    while j < ts.end and (ts.toks[j].kind == "ident" or ts.toks[j].text == "_"):
        j += 1
    return j if ts.at(*opens) and j > ts.i + 1 and j < ts.end and ts.toks[j].text == after else -1


def _binder_group(ts: TokenStream) -> list[Binder]:
    """One binder group of `fun`: ``x``, ``_``, ``⟨a, b⟩``, ``(x y : t)``, ``(⟨a, b⟩ : t)``, ``{x y : t}``,
    ``⦃x : t⦄``, ``{x y}`` (Lean's ``funImplicitBinder``); annotations do not matter to defeq."""
    j = _typed_group_colon(ts, ("(", "{", "⦃"))
    if j > 0:
        names, close = [tok.text for tok in ts.toks[ts.i + 1:j]], _CLOSE_OF[ts.toks[ts.i].text]
        ts.i = j + 1
        with ts.no_layout():
            ty = parse_term(ts)
            ts.expect(close, f"'{close}'")
        return [Binder(PVar(n), ty, close != ")") for n in names]
    if (j := _typed_group_colon(ts, ("{", "⦃"), _CLOSE_OF.get(ts.peek().text, ":"))) > 0:
        names, ts.i = [tok.text for tok in ts.toks[ts.i + 1:j]], j + 1
        return [Binder(PVar(n), None, True) for n in names]
    return [Binder(parse_pattern_atom(ts, term_ctor=True), None)]


def _fun(ts: TokenStream) -> Term:
    start = ts.i
    ts.take()
    if ts.alt_bar(None) is not None:
        alts = _term_alts(ts)
        pos, src = _span(ts, start)
        return TFunAlts(pos, src, alts)
    binders: list[Binder] = []
    while not ts.at("=>", "↦", ":"):
        if ts.done():
            raise ts.error_here("expected '=>'")
        binders.extend(_binder_group(ts))
    if not binders:
        raise ts.error_here("expected binder")
    if ts.at(":"):  # `fun x y : t => e` types every binder of the group
        ts.take()
        ty = parse_term(ts)
        binders = [Binder(b.pat, ty, b.implicit) for b in binders]
    if not ts.at("=>", "↦"):
        raise ts.error_here("expected '=>'")
    ts.take()
    body = parse_term(ts)
    pos, src = _span(ts, start)
    return TFun(pos, src, tuple(binders), body)


def _term_alts(ts: TokenStream) -> tuple:
    alts = []
    col = None
    original = outer = ts.stop_col
    while (t := ts.alt_bar(col)) is not None:
        if col is None:
            col = t.col
            ts.stop_col = outer = col - 1
        ts.i += 1
        rows = parse_pattern_rows(ts)
        ts.expect("=>", "'=>'")
        ts.stop_col = max(outer, col)
        try:
            rhs = parse_term(ts)
        finally:
            ts.stop_col = outer
        alts.extend(Alt(row, rhs, t.pos) for row in rows)
    ts.stop_col = original
    if not alts:
        raise ts.error_here("expected '|'")
    return tuple(alts)


def _match(ts: TokenStream) -> Term:
    start = ts.i
    ts.take()
    discrs = [parse_term(ts)]
    while ts.at(","):
        ts.take()
        discrs.append(parse_term(ts))
    ts.expect("with", "'with'")
    alts = _term_alts(ts)
    pos, src = _span(ts, start)
    return TMatch(pos, src, tuple(discrs), alts)


def _with_position(ts: TokenStream, col: int):
    """Raise the layout stop column to ``col`` (Lean's ``withPosition``)."""
    saved = ts.stop_col
    ts.stop_col = max(saved, col)
    return saved


def _have(ts: TokenStream) -> Term:
    start = ts.i
    kw = ts.take()
    pat, ty, binders = parse_have_decl(ts)
    if not ts.at(":="):
        if ts.at("|"):
            raise ParseError("pattern-matching `have` alternatives are not supported", pos=ts.peek().pos)
        raise ts.error_here("expected ':=' or '|'")
    ts.take()
    saved, anchor, ts.anchor = _with_position(ts, kw.col), ts.anchor, ts.i  # `:= term`: no column check
    try:
        value = abstract_have(binders, parse_term(ts))
    finally:
        ts.stop_col, ts.anchor = saved, anchor
    if ts.at(";"):
        ts.take()
    body = parse_term(ts)
    pos, src = _span(ts, start)
    return THave(pos, src, pat, ty, value, body, kw.text == "let")


def parse_have_decl(ts: TokenStream) -> tuple[Pattern, Term | None, tuple]:
    """``h : t``, ``h``, ``: t``, ``⟨a, b⟩ : t`` or nothing (the name defaults to ``this``); after a
    name, binders ``h (x : a) (y z : b) : t`` (Lean's ``haveIdLhs``), returned with the type over them
    (:func:`~qedjax.envs.prop.terms.pi_over`) for :func:`~qedjax.envs.prop.terms.abstract_have`."""
    pat: Pattern = PVar("this")
    t = ts.peek()
    if t is not None and (t.kind == "ident" and t.text not in KEYWORDS or t.text in ("⟨", "_")):
        pat = parse_pattern_atom(ts)
    binders: list[Binder] = []
    while isinstance(pat, PVar) and _typed_group_colon(ts) > 0:
        binders.extend(_binder_group(ts))
    ty = None
    if ts.at(":"):
        ts.take()
        ty = parse_term(ts)
    if binders and ty is None:
        raise ts.error_here("expected ':' (a `have` with binders needs its type here)")
    return pat, pi_over(binders, ty) if binders else ty, tuple(binders)


def _show(ts: TokenStream) -> Term:
    start = ts.i
    kw = ts.take()
    saved = _with_position(ts, kw.col)
    try:
        ty = parse_term(ts)
    finally:
        ts.stop_col = saved
    if ts.at("from"):
        ts.take()
        proof = parse_term(ts)
    elif ts.at("by"):
        proof = parse_by(ts)
    else:
        raise ts.error_here("expected 'from' or 'by'")
    pos, src = _span(ts, start)
    return TShow(pos, src, ty, proof)


def _suffices(ts: TokenStream) -> Term:
    start = ts.i
    kw = ts.take()
    name = "this"
    if ts.peek(1) is not None and ts.peek(1).text == ":" and ts.peek().kind == "ident":
        name = ts.take().text
    if ts.at(":"):
        ts.take()
    saved = _with_position(ts, kw.col)
    try:
        ty = parse_term(ts)
        # `withPosition ("suffices " >> sufficesDecl)` (Lean/Parser/Term.lean) does not bound `from`
        if (rhs := ts.raw()) is not None and rhs.text == "from" and not (rhs.bol and rhs.col <= saved):
            ts.i += 1
            proof = parse_term(ts)
        elif ts.at("by"):
            proof = parse_by(ts)
        else:
            raise ts.error_here("expected 'from' or 'by'")
    finally:
        ts.stop_col = saved
    if ts.at(";"):
        ts.take()
    body = parse_term(ts)
    pos, src = _span(ts, start)
    return TSuffices(pos, src, name, ty, proof, body)


def parse_by(ts: TokenStream) -> Term:
    """``by tacticSeq``; the sequence is parsed by the stream's ``tactic_block``."""
    start = ts.i
    ts.take()
    if ts.tactic_block is None:
        raise ParseError("'by' blocks are not allowed here", pos=ts.toks[start].pos)
    if ts.raw() is not None and ts.raw().text == "{":  # `"by " tacticSeqIndentGt`: `{` at any column
        ts.anchor = ts.i
    outer, ts.cdots = ts.cdots, []  # a `by` block's terms have their own `·` scopes
    try:
        block = ts.tactic_block(ts)
    finally:
        ts.cdots = outer
    pos, src = _span(ts, start)
    return TBy(pos, src, block)


def _forall(ts: TokenStream) -> Term:
    start = ts.i
    ts.take()
    names: list[str] = []
    implicit: list[str] = []
    while not ts.at(","):
        t = ts.peek()
        if t is None:
            raise ts.error_here("expected ','")
        if t.text in ("(", "{"):
            close = ")" if ts.take().text == "(" else "}"
            group = []
            while ts.peek() is not None and (ts.peek().kind == "ident" or ts.at("_")):
                group.append(ts.take().text)
            ts.expect(":", "':'")
            _expect_prop(ts)
            ts.expect(close, f"'{close}'")
            names.extend(group)
            implicit.extend(group if close == "}" else ())
        elif t.kind == "ident" or t.text == "_":
            names.append(ts.take().text)
            if ts.at(":"):
                ts.take()
                _expect_prop(ts)
        else:
            raise ts.error_here("expected binder")
    ts.take()
    if not names:
        raise ts.error_here("expected binder")
    body = parse_term(ts)
    pos, src = _span(ts, start)
    return TForall(pos, src, tuple(names), body, tuple(implicit))


def _expect_prop(ts: TokenStream) -> None:
    t = ts.peek()
    if t is None or t.text != "Prop":
        where = "end of input" if t is None else f"'{t.text}'"
        raise ParseError(f"the prop environment quantifies over propositions only (`Prop`), not {where}",
                         pos=t.pos if t else ts.end_pos())
    ts.take()


# ------------------------------------------------------------------------------------ patterns

def parse_pattern(ts: TokenStream, term_ctor: bool = False) -> Pattern:
    """``p₁ | p₂ | …`` (rcases alternatives) over :func:`parse_pattern_atom`."""
    ts.enter()
    try:
        first = parse_pattern_atom(ts, term_ctor)
        if term_ctor or not ts.at("|"):
            return first
        alts = [first]
        while ts.at("|"):
            ts.take()
            alts.append(parse_pattern_atom(ts, term_ctor))
        return PAlts(tuple(alts))
    finally:
        ts.leave()


def parse_pattern_rows(ts: TokenStream) -> list[tuple]:
    """``p, q | p', q'`` before an alternative's ``=>``, a tuple per ``|`` (``matchAlt``'s ``sepBy1 (sepBy1
    term ", ") " | "``; Lean/Elab/MatchAltView.lean ``expandMatchAlt`` gives each the right side)."""
    rows = [[parse_pattern(ts, term_ctor=True)]]
    while ts.at(",", "|"):
        if ts.take().text == "|":
            rows.append([])
        rows[-1].append(parse_pattern(ts, term_ctor=True))
    return [tuple(r) for r in rows]


def parse_pattern_atom(ts: TokenStream, term_ctor: bool = False) -> Pattern:
    ts.enter()
    try:
        t = ts.take()
        if t.text == "⟨":
            saved, ts.stop_col = ts.stop_col, -1
            try:
                items = []
                if not ts.at("⟩"):
                    items.append(parse_pattern(ts, term_ctor))
                    while ts.at(","):
                        ts.take()
                        items.append(parse_pattern(ts, term_ctor))
                ts.expect("⟩", "',' or '⟩'")
            finally:
                ts.stop_col = saved
            return PTuple(tuple(items))
        if t.text == "(":
            saved, ts.stop_col = ts.stop_col, -1
            try:
                p = _ctor_pattern(ts) if term_ctor else parse_pattern(ts)
                if ts.at(":"):
                    ts.take()
                    p = PTyped(p, parse_term(ts))
                ts.expect(")", "')'")
            finally:
                ts.stop_col = saved
            return p
        if t.text in ("_", "-"):
            return PVar(t.text)
        if t.text == "@":
            return parse_pattern_atom(ts, term_ctor)
        if t.text == "." and ts.peek() is not None and ts.peek().kind == "ident":
            name = "." + ts.take().text
            return PCtor(name, tuple(_ctor_args(ts)) if term_ctor else ())
        if t.kind == "ident" and t.text not in KEYWORDS:
            if term_ctor and ("." in t.text and t.text.split(".")[-1] in _CTOR_NAMES or t.text in _CTOR_NAMES):
                return PCtor(t.text, tuple(_ctor_args(ts)))
            return PVar(t.text)
        raise ParseError(f"unexpected token '{t.text}'; expected pattern", pos=t.pos)
    finally:
        ts.leave()


_CTOR_NAMES = {"inl", "inr", "intro", "refl", "Or.inl", "Or.inr", "And.intro", "Iff.intro", "True.intro"}


def _ctor_pattern(ts: TokenStream) -> Pattern:
    first = parse_pattern_atom(ts, term_ctor=True)
    if isinstance(first, PVar) and not ts.at(":", ")", ","):
        return PCtor(first.name, tuple(_ctor_args(ts)))
    return first


def _ctor_args(ts: TokenStream) -> list[Pattern]:
    args = []
    while True:
        t = ts.peek()
        if t is None or not (t.kind == "ident" and t.text not in KEYWORDS or t.text in ("⟨", "(", "_")):
            return args
        args.append(parse_pattern_atom(ts, term_ctor=True))


