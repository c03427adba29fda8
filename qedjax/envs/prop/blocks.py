"""Lean 4's tactic-block grammar: sequences by layout, bullets, combinators and structured tactics.

``parse_seq`` reads a ``tacticSeq`` the way Lean does: the first tactic fixes the block's column;
``;`` or a new line starting exactly at that column separates tactics; a line starting further
right continues the current tactic (a term argument, a ``<;>`` operand); a line starting further
left ends the block. Supported structure: ``·``/``.`` bullets, ``{ … }``, ``( … )``, ``t <;> s``,
``first | … | …``, ``try``, ``repeat``, ``repeat'``, ``iterate n``, ``all_goals``, ``any_goals``,
``focus``, ``case tag x y => …`` (several tags with ``|``), ``next x => …``, ``on_goal n => …``,
``open … in``, and the alternatives of ``cases``/``induction … with | inl h => …``, ``match … with``
and ``intro | pat => …``. The arguments of each atomic tactic are parsed by its own small grammar;
an identifier that is no tactic at all is Lean's parse error ``unknown tactic``.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.lexer import TokenStream, tokenize
from qedjax.envs.prop.libraries import MATHLIB, outside, tactic_available
from qedjax.envs.prop.tactic_args import ARGUMENT_PARSERS, parse_names, pattern_start
from qedjax.envs.prop.term_parser import parse_pattern_atom, parse_pattern_rows, parse_term
from qedjax.envs.prop.terms import Alt, PCtor, PVar
from qedjax.errors import ParseError

__all__ = ["Node", "Seq", "Tac", "Then", "Focus", "Paren", "First", "Comb", "SetOption", "parse_seq",
           "MODELLED", "UNSUPPORTED", "is_tactic_word", "skip_args"]


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Node:
    pos: int


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Seq(Node):
    items: tuple


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Tac(Node):
    name: str
    args: tuple
    src: str


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Then(Node):
    first: Node
    rest: Node


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Focus(Node):
    """``·`` / ``{}`` / ``case`` / ``next`` / ``focus`` / ``on_goal``: work on one goal, then close it."""

    kind: str
    seq: Seq
    tags: tuple = ()  # case: ((tag, names), ...); next: (("_", names),); on_goal: ((n, ()),)
    ref: int = 0  # where Lean reports "unsolved goals" for this block


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Says(Node):
    """Mathlib's ``tac says seq`` (``seq`` None when nothing follows ``says``)."""

    first: Node
    seq: Seq | None


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Paren(Node):
    seq: Seq


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class First(Node):
    alts: tuple


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Comb(Node):
    name: str  # try / repeat / repeat' / all_goals / any_goals / iterate / open
    seq: Node
    count: int = 0


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class SetOption(Node):
    """``set_option name value in tacticSeq``."""

    name: str
    value: str
    seq: Seq


_CLOSERS = {")", "}", "]", "⟩", "|", ",", ":=", "=>"}

# tactics the prop environment models; everything else that Lean knows is UNSUPPORTED below
MODELLED = frozenset({
    "intro", "intros", "rintro", "exact", "apply", "refine", "refine'", "exacts", "constructor", "left",
    "right", "exfalso", "assumption", "contradiction", "trivial", "triv", "rfl", "decide", "done", "skip",
    "sorry", "admit", "cases", "cases'", "induction", "induction'", "rcases", "obtain", "by_cases",
    "by_contra", "have", "replace", "suffices", "show", "change", "clear", "revert", "rename_i",
    "specialize", "absurd", "rw", "rewrite", "rwa", "nth_rewrite", "nth_rw", "simp", "simp_all",
    "simpa", "norm_num", "tauto", "symm", "swap", "pick_goal", "rotate_left", "rotate_right", "match",
    "exact_mod_cast", "apply_assumption", "unfold", "dsimp", "rename", "let", "set", "guard_target",
    "guard_hyp", "itauto", "itauto!",
})
UNSUPPORTED = frozenset({
    "aesop", "omega", "linarith", "nlinarith", "ring", "ring_nf", "field_simp", "positivity", "push_neg",
    "contrapose", "contrapose!", "exact?", "apply?", "rw?", "grind",
    "bv_decide", "simp_arith", "subst", "ext", "funext", "congr", "gcongr", "calc",
    "split", "split_ifs", "use", "exists", "existsi", "nofun", "nomatch",
    "infer_instance", "norm_cast", "push_cast", "zify", "lift", "choose", "conv", "trans", "constructorm",
    "casesm", "rcases?", "solve_by_elim", "apply_rules", "fconstructor", "econstructor", "injection",
    "fin_cases", "interval_cases", "by_contra!", "rename'", "wlog", "generalize", "haveI", "letI",
    "exfalso!", "cc", "finish", "tidy", "simp_intro", "unfold_let", "delta", "native_decide",
    "norm_num1", "abel", "noncomm_ring", "polyrith", "hint", "clear_except", "mono", "peel",
    "filter_upwards", "observe", "fail", "trace_state", "trace",
    "dsimp only", "change'", "apply_fun", "assumption'", "eapply", "fapply",
    "intro!", "refine_lift", "erw", "rwa?", "subst_vars", "clear_value", "induction'?", "cases_type",
    "constructor!", "exact!", "by_cases!", "decreasing_tactic", "simp_wf", "unreachable!",
})


def parse_seq(ts: TokenStream) -> Seq:
    """Parse a ``tacticSeq`` at the current position (the first tactic fixes the block column)."""
    ts.enter()
    try:
        first = ts.peek()
        if first is None or first.text in _CLOSERS:
            raise ts.error_here("expected '{' or tactic")
        col = first.col
        # a `{` the layout hides was let through by `by` (`"by " tacticSeqIndentGt`): that bracketed
        # sequence is the whole block
        bracketed = first.text == "{" and not ts.visible(first)
        saved = ts.stop_col
        ts.stop_col = col
        items: list[Node] = []
        try:
            while True:
                ts.anchor = ts.i
                items.append(parse_tactic(ts))
                if bracketed:
                    break
                nxt = ts.raw()
                if nxt is None:
                    break
                if nxt.text == ";" and (not nxt.bol or nxt.col > col):
                    ts.i += 1
                    after = ts.raw()
                    if after is None or after.text in _CLOSERS or (after.bol and after.col < col):
                        break
                    if after.bol and after.col == col:
                        continue
                    if after.bol and after.col > col:
                        raise ParseError(f"unexpected token '{after.text}'; expected command", pos=after.pos)
                    continue
                if nxt.bol and nxt.col == col and nxt.text not in _CLOSERS:
                    continue
                if nxt.bol and nxt.col > col and nxt.text not in _CLOSERS:
                    raise ParseError(f"unexpected token '{nxt.text}'; expected command", pos=nxt.pos)
                break
        finally:
            ts.stop_col = saved
        return Seq(first.pos, tuple(items))
    finally:
        ts.leave()


def parse_tactic(ts: TokenStream) -> Node:
    """One tactic with its ``<;>`` continuations (left-associative, as ``t <;> s`` is in Lean)."""
    node = _atomic(ts)
    while _then_follows(ts):
        ts.i += 1
        ts.anchor = ts.i  # `t <;>` then `s` on the next line: no column check on the operand (Lean's `t <;> t'`)
        rest = _atomic(ts)
        node = Then(node.pos, node, rest)
    return node


def _then_follows(ts: TokenStream) -> bool:
    """Whether ``<;>`` continues the tactic just parsed. ``t <;> s`` is a trailing parser of the tactic
    category with no column check (Lean's ``macro:1 x:tactic " <;> " y:tactic:2``, Init/Tactics.lean), so
    a line of the block may start with it: ``constructor`` then ``<;> simp`` at the block's column.
    A ``<;>`` left of the block column is not taken here (it ends the block)."""
    t = ts.raw()
    return t is not None and t.text == "<;>" and (ts.visible(t) or (t.bol and t.col == ts.stop_col))


def _src(ts: TokenStream, start: int) -> str:
    return ts.src(start, ts.i)


def _atomic(ts: TokenStream) -> Node:
    ts.enter()
    try:
        node = _atomic_inner(ts)
        if ts.at("says") and outside(ts, MATHLIB):
            raise ts.error_here("unexpected identifier; expected command")
        if ts.at("says"):  # Mathlib/Tactic/Says.lean: `tactic " says" (colGt tacticSeq)?`
            tok = ts.take()
            seq = parse_seq(ts) if ts.peek() is not None and ts.peek().text not in _CLOSERS else None
            node = Says(tok.pos, node, seq)
        return node
    finally:
        ts.leave()


def _closing(ts: TokenStream, text: str) -> int:
    """Consume the closing bracket ``text`` even when it starts a line left of the block column."""
    t = ts.raw()
    if t is None or t.text != text:
        raise ts.error_here(f"expected '{text}'")
    ts.i += 1
    return t.pos


def _atomic_inner(ts: TokenStream) -> Node:
    t = ts.peek()
    if t is None:
        raise ts.error_here("expected tactic")
    start = ts.i
    if t.text in ("·", "."):
        ts.take()
        seq = parse_seq(ts)
        return Focus(t.pos, "·", seq, ref=t.pos)
    if t.text == "(":
        ts.take()
        with ts.no_layout():
            seq = parse_seq(ts)
        _closing(ts, ")")
        return Paren(t.pos, seq)
    if t.text == "{":
        ts.take()
        with ts.no_layout():
            if ts.raw() is not None and ts.raw().text == "}":
                seq = Seq(t.pos, ())
            else:
                seq = parse_seq(ts)
        close = _closing(ts, "}")
        return Focus(t.pos, "{}", seq, ref=close)
    if t.kind != "ident":
        if t.text == "_":
            ts.take()
            return Tac(t.pos, "done", (), "_")
        raise ParseError("unknown tactic", pos=t.pos)
    name = t.text
    ts.take()
    if ts.macros is not None and name in ts.macros.heads:  # a tactic the file's macros define
        return ts.macros.parse_use(ts, t)
    if ts.macros is not None and not tactic_available(name, ts.macros.library):
        # a word only a library the file does not import declares: no tactic to Lean (libraries.py)
        raise ParseError("unknown tactic", pos=t.pos)
    if name == "let" and ts.at("⟨"):
        # `let pat := e` is `match e with | pat => _` (src/Init/Tactics.lean, the `let` tactic's
        # docstring; `letPatDecl`), as `have pat := e` is: on a proof the two are the same
        name = "have"
    fn = _PARSERS.get(name)
    if fn is not None:
        args = fn(ts)
        node = args if isinstance(args, Node) else Tac(t.pos, name, args, _src(ts, start))
        return node
    if name in MODELLED or name in UNSUPPORTED:
        _skip_args(ts)
        return Tac(t.pos, name if name in MODELLED else "?unsupported", (name,), _src(ts, start))
    raise ParseError("unknown tactic", pos=t.pos)


def is_tactic_word(name: str) -> bool:
    """Whether ``name`` starts a tactic Lean knows (modelled here or not)."""
    return name in _PARSERS or name in MODELLED or name in UNSUPPORTED


def skip_args(ts: TokenStream) -> None:
    _skip_args(ts)


def _skip_args(ts: TokenStream) -> None:
    """Skip the arguments of a tactic the prop environment does not model (up to ``;``, ``<;>``,
    a closing bracket or the end of the line's layout)."""
    depth = 0
    while True:
        t = ts.peek()
        if t is None:
            return
        if depth == 0 and t.text in (";", "<;>", ")", "}", "]", "⟩", "|", "says"):
            return
        if t.text in ("(", "[", "{", "⟨"):
            depth += 1
        elif t.text in (")", "]", "}", "⟩"):
            depth -= 1
        ts.take()


def _intro(ts: TokenStream) -> object:
    if ts.alt_bar(None) is not None:
        alts = _tactic_alts(ts, term_ctor=True)
        return ("|", alts)
    pats = []
    while pattern_start(ts) and not ts.at("-"):
        pats.append(parse_pattern_atom(ts, term_ctor=True))
    return tuple(pats)


def _cases(ts: TokenStream) -> tuple:
    target = parse_term(ts)
    if ts.at("using"):
        raise ParseError("`using` eliminators are not supported by the prop environment", pos=ts.peek().pos)
    alts = None
    if ts.at("with"):
        ts.take()
        alts = _tactic_alts(ts, term_ctor=False, cases_style=True)
    return (target, alts)


def _first(ts: TokenStream) -> Node:
    start_tok = ts.toks[ts.i - 1]
    alts = []
    col = None
    saved = ts.stop_col
    try:
        while (t := ts.alt_bar(col)) is not None:
            if col is None:
                col = t.col
                ts.stop_col = col - 1  # the alternatives' position (Lean's `withPosition`)
            ts.i += 1
            alts.append(parse_seq(ts))
    finally:
        ts.stop_col = saved
    if not alts:
        raise ts.error_here("expected '|'")
    return First(start_tok.pos, tuple(alts))


def _comb(name: str):
    def parse(ts: TokenStream) -> Node:
        tok = ts.toks[ts.i - 1]
        count = 0
        if name == "iterate":
            if ts.peek() is not None and ts.peek().kind == "num":
                count = int(ts.take().text)
            else:
                count = -1
        seq = parse_seq(ts)
        return Comb(tok.pos, name, seq, count)
    return parse


def _and_intros(ts: TokenStream) -> Node:
    """``and_intros``: Lean core's ``macro_rules | `(tactic| and_intros) => `(tactic| repeat' refine
    And.intro ?_ ?_)`` (src/Init/Tactics.lean), parsed as that expansion, every node at the word."""
    tok = ts.toks[ts.i - 1]
    sub = TokenStream(tokenize(_AND_INTRO), _AND_INTRO)
    term = _placed(parse_term(sub), tok.pos)
    refine = Tac(tok.pos, "refine", (term,), "and_intros")
    return Comb(tok.pos, "repeat'", Seq(tok.pos, (refine,)), 0)


_AND_INTRO = "And.intro ?_ ?_"


def _placed(node, pos: int):
    """``node`` (a term of an expansion) with every source offset set to ``pos``."""
    if isinstance(node, tuple):
        return tuple(_placed(x, pos) for x in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    fields = dataclasses.fields(node)
    changes = {f.name: pos if f.name == "pos" else _placed(getattr(node, f.name), pos) for f in fields}
    return dataclasses.replace(node, **changes)


def _focus(ts: TokenStream) -> Node:
    tok = ts.toks[ts.i - 1]
    seq = parse_seq(ts)
    return Focus(tok.pos, "focus", seq, ref=tok.pos)


def _case(ts: TokenStream) -> Node:
    tok = ts.toks[ts.i - 1]
    tags = []
    while True:
        t = ts.take()
        if not (t.kind == "ident" or t.text == "_"):
            raise ParseError(f"unexpected token '{t.text}'; expected identifier", pos=t.pos)
        tags.append((t.text, parse_names(ts)))
        if not ts.at("|"):
            break
        ts.take()
    arrow = ts.expect("=>", "'=>'")
    seq = parse_seq(ts)
    return Focus(tok.pos, "case", seq, tuple(tags), ref=arrow.pos)


def _next(ts: TokenStream) -> Node:
    tok = ts.toks[ts.i - 1]
    names = parse_names(ts)
    arrow = ts.expect("=>", "'=>'")
    seq = parse_seq(ts)
    return Focus(tok.pos, "case", seq, (("_", names),), ref=arrow.pos)


def _on_goal(ts: TokenStream) -> Node:
    tok = ts.toks[ts.i - 1]
    neg = False
    if ts.at("-"):
        ts.take()
        neg = True
    t = ts.take()
    if t.kind != "num":
        raise ParseError(f"unexpected token '{t.text}'; expected numeral", pos=t.pos)
    n = -int(t.text) if neg else int(t.text)
    arrow = ts.expect("=>", "'=>'")
    seq = parse_seq(ts)
    return Focus(tok.pos, "on_goal", seq, ((n, ()),), ref=arrow.pos)


def _open_in(ts: TokenStream) -> Node:
    tok = ts.toks[ts.i - 1]
    names = []
    while ts.peek() is not None and ts.peek().kind == "ident" and ts.peek().text != "in":
        names.append(ts.take().text)
    ts.expect("in", "'in'")
    inner = parse_tactic(ts)
    return Comb(tok.pos, "open", Seq(inner.pos, (inner,)), count=0) if names else inner


def _set_option(ts: TokenStream) -> Node:
    tok = ts.toks[ts.i - 1]
    name = ts.take()
    if name.kind != "ident":
        raise ParseError(f"unexpected token '{name.text}'; expected identifier", pos=name.pos)
    value = ts.take()
    ts.expect("in", "'in'")
    ts.anchor = ts.i  # the sequence may start on the next line, at the block's column
    return SetOption(tok.pos, name.text, value.text, parse_seq(ts))


def _match(ts: TokenStream) -> tuple:
    discrs = [parse_term(ts)]
    while ts.at(","):
        ts.take()
        discrs.append(parse_term(ts))
    ts.expect("with", "'with'")
    return (tuple(discrs), _tactic_alts(ts, term_ctor=True))


def _tactic_alts(ts: TokenStream, term_ctor: bool, cases_style: bool = False) -> tuple:
    """``| pat => tacticSeq`` alternatives; for ``cases … with`` a pattern is ``ctor names*`` and one
    alternative may list several constructors (``| inl h | inr h => …``)."""
    alts = []
    col = None
    saved = ts.stop_col
    while (t := ts.alt_bar(col)) is not None:
        if col is None:
            col = t.col
            ts.stop_col = col - 1  # the alternatives' position (Lean's `withPosition`)
        ts.i += 1
        if cases_style:
            heads = [_cases_head(ts)]
            while ts.at("|"):
                ts.take()
                heads.append(_cases_head(ts))
            rows = [tuple(heads)]
        else:
            rows = parse_pattern_rows(ts)  # `| p₁ | p₂ => rhs` is `| p₁ => rhs | p₂ => rhs`
        if cases_style and not ts.at("=>"):
            rhs = None  # Init/Tactics.lean: `inductionAlt := inductionAltLHS+ (" => " …)?`; no `=>` leaves
        else:       # the case's goal open, as `=> ?_` does
            ts.expect("=>", "'=>'")
            nxt = ts.peek()
            after = ts.peek(1)
            if cases_style and nxt is not None and nxt.kind == "hole" and nxt.text == "?_" and \
                    (after is None or after.bol or after.text in ("|", ")", "}")):
                ts.take()
                rhs = None
            else:
                rhs = parse_seq(ts)
        alts.extend(Alt(row, rhs, t.pos) for row in rows)
    ts.stop_col = saved
    if not alts:
        raise ts.error_here("expected '|'")
    return tuple(alts)


def _cases_head(ts: TokenStream) -> PCtor:
    t = ts.take()
    if t.text == "@":
        t = ts.take()
    if not (t.kind == "ident" or t.text == "_"):
        raise ParseError(f"unexpected token '{t.text}'; expected identifier", pos=t.pos)
    return PCtor(t.text, tuple(PVar(n) for n in parse_names(ts)))


_PARSERS = {
    **ARGUMENT_PARSERS,
    "intro": _intro, "cases": _cases, "induction": _cases,
    "first": _first, "try": _comb("try"), "repeat": _comb("repeat"), "repeat'": _comb("repeat'"),
    "iterate": _comb("iterate"), "all_goals": _comb("all_goals"), "any_goals": _comb("any_goals"),
    "focus": _focus, "case": _case, "next": _next, "on_goal": _on_goal, "open": _open_in,
    "set_option": _set_option, "show_term": _comb("show_term"),
    "fail_if_success": _comb("fail_if_success"),
    "match": _match, "and_intros": _and_intros,
}
