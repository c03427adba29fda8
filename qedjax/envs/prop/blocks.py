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

from qedjax.envs.prop.lexer import KEYWORDS, TokenStream
from qedjax.envs.prop.terms import (
    Alt,
    PCtor,
    PVar,
    _have_decl,
    parse_pattern,
    parse_pattern_atom,
    parse_term,
)
from qedjax.errors import ParseError

__all__ = ["Node", "Seq", "Tac", "Then", "Focus", "Paren", "First", "Comb", "parse_seq", "MODELLED",
           "UNSUPPORTED"]


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


_CLOSERS = {")", "}", "]", "⟩", "|", ",", ":=", "=>"}

# tactics the prop environment models; everything else that Lean knows is UNSUPPORTED below
MODELLED = frozenset({
    "intro", "intros", "rintro", "exact", "apply", "refine", "refine'", "exacts", "constructor", "left",
    "right", "exfalso", "assumption", "contradiction", "trivial", "triv", "rfl", "decide", "done", "skip",
    "sorry", "admit", "cases", "cases'", "induction", "induction'", "rcases", "obtain", "by_cases",
    "by_contra", "have", "replace", "suffices", "show", "change", "clear", "revert", "rename_i",
    "specialize", "absurd", "rw", "rewrite", "rwa", "nth_rewrite", "nth_rw", "simp", "simp_all",
    "simpa", "norm_num", "tauto", "symm", "swap", "pick_goal", "rotate_left", "rotate_right", "match",
    "exact_mod_cast", "apply_assumption",
})
UNSUPPORTED = frozenset({
    "aesop", "omega", "linarith", "nlinarith", "ring", "ring_nf", "field_simp", "positivity", "push_neg",
    "contrapose", "contrapose!", "exact?", "apply?", "rw?", "simp?", "simp_all?", "itauto", "grind",
    "bv_decide", "simp_arith", "subst", "ext", "funext", "congr", "gcongr", "calc", "unfold", "dsimp",
    "split", "split_ifs", "use", "exists", "existsi", "set", "let", "show_term", "nofun", "nomatch",
    "infer_instance", "norm_cast", "push_cast", "zify", "lift", "choose", "conv", "trans", "constructorm",
    "casesm", "rcases?", "solve_by_elim", "apply_rules", "fconstructor", "econstructor", "injection",
    "fin_cases", "interval_cases", "by_contra!", "rename'", "wlog", "generalize", "haveI", "letI",
    "exfalso!", "cc", "finish", "tidy", "simp_intro", "unfold_let", "delta", "native_decide",
    "norm_num1", "abel", "noncomm_ring", "polyrith", "hint", "clear_except", "mono", "peel",
    "filter_upwards", "observe", "says", "fail", "guard_target", "guard_hyp", "trace_state", "trace",
    "dsimp only", "change'", "rename", "set_option", "apply_fun", "assumption'", "eapply", "fapply",
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
        saved = ts.stop_col
        ts.stop_col = col
        items: list[Node] = []
        try:
            while True:
                ts.anchor = ts.i
                items.append(parse_tactic(ts))
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
    while ts.at("<;>"):
        ts.take()
        rest = _atomic(ts)
        node = Then(node.pos, node, rest)
    return node


def _src(ts: TokenStream, start: int) -> str:
    return ts.src(start, ts.i)


def _atomic(ts: TokenStream) -> Node:
    ts.enter()
    try:
        return _atomic_inner(ts)
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
        saved = ts.stop_col
        ts.stop_col = -1
        try:
            seq = parse_seq(ts)
        finally:
            ts.stop_col = saved
        _closing(ts, ")")
        return Paren(t.pos, seq)
    if t.text == "{":
        ts.take()
        saved = ts.stop_col
        ts.stop_col = -1
        try:
            if ts.raw() is not None and ts.raw().text == "}":
                seq = Seq(t.pos, ())
            else:
                seq = parse_seq(ts)
        finally:
            ts.stop_col = saved
        close = _closing(ts, "}")
        return Focus(t.pos, "{}", seq, ref=close)
    if t.kind != "ident":
        if t.text == "_":
            ts.take()
            return Tac(t.pos, "done", (), "_")
        raise ParseError("unknown tactic", pos=t.pos)
    name = t.text
    ts.take()
    fn = _PARSERS.get(name)
    if fn is not None:
        args = fn(ts)
        node = args if isinstance(args, Node) else Tac(t.pos, name, args, _src(ts, start))
        return node
    if name in MODELLED or name in UNSUPPORTED:
        _skip_args(ts)
        return Tac(t.pos, name if name in MODELLED else "?unsupported", (name,), _src(ts, start))
    raise ParseError("unknown tactic", pos=t.pos)


def _skip_args(ts: TokenStream) -> None:
    """Skip the arguments of a tactic the prop environment does not model (up to ``;``, ``<;>``,
    a closing bracket or the end of the line's layout)."""
    depth = 0
    while True:
        t = ts.peek()
        if t is None:
            return
        if depth == 0 and t.text in (";", "<;>", ")", "}", "]", "⟩", "|"):
            return
        if t.text in ("(", "[", "{", "⟨"):
            depth += 1
        elif t.text in (")", "]", "}", "⟩"):
            depth -= 1
        ts.take()


# ------------------------------------------------------------------------- per-tactic grammars

def _no_args(ts: TokenStream) -> tuple:
    return ()


def _term_arg(ts: TokenStream) -> tuple:
    return (parse_term(ts),)


def _pattern_start(ts: TokenStream) -> bool:
    t = ts.peek()
    return t is not None and (t.kind == "ident" and t.text not in KEYWORDS or t.text in ("⟨", "(", "_", "-", "@"))


def _intro(ts: TokenStream) -> object:
    if ts.alt_bar(None) is not None:
        alts = _tactic_alts(ts, term_ctor=True)
        return ("|", alts)
    pats = []
    while _pattern_start(ts) and not ts.at("-"):
        pats.append(parse_pattern_atom(ts, term_ctor=True))
    return tuple(pats)


def _names(ts: TokenStream) -> tuple:
    out = []
    while True:
        t = ts.peek()
        if t is None or not (t.kind == "ident" and t.text not in KEYWORDS or t.text == "_"):
            return tuple(out)
        out.append(ts.take().text)


def _rintro(ts: TokenStream) -> tuple:
    pats = []
    while _pattern_start(ts):
        pats.append(parse_pattern_atom(ts))
    if not pats:
        raise ts.error_here("expected pattern")
    if ts.at(":"):
        raise ParseError("`rintro … : type` is not supported by the prop environment", pos=ts.peek().pos)
    return tuple(pats)


def _at_loc(ts: TokenStream) -> tuple | None:
    """``at h₁ h₂ ⊢`` / ``at *`` -> tuple of names ("⊢" for the goal, "*" for all), or None."""
    if not ts.at("at"):
        return None
    ts.take()
    if ts.at("*"):
        ts.take()
        return ("*",)
    locs = []
    while True:
        t = ts.peek()
        if t is None:
            break
        if t.text == "⊢" or t.text == "|-":
            ts.take()
            locs.append("⊢")
        elif t.kind == "ident" and t.text not in KEYWORDS:
            locs.append(ts.take().text)
        else:
            break
    if not locs:
        raise ts.error_here("expected location")
    return tuple(locs)


def _apply(ts: TokenStream) -> tuple:
    term = parse_term(ts)
    loc = _at_loc(ts)
    return (term, loc)


def _exacts(ts: TokenStream) -> tuple:
    ts.expect("[", "'['")
    terms = []
    saved = ts.stop_col
    ts.stop_col = -1
    try:
        if not ts.at("]"):
            terms.append(parse_term(ts))
            while ts.at(","):
                ts.take()
                terms.append(parse_term(ts))
        ts.expect("]", "',' or ']'")
    finally:
        ts.stop_col = saved
    return tuple(terms)


def _cases(ts: TokenStream) -> tuple:
    target = parse_term(ts)
    if ts.at("using"):
        raise ParseError("`using` eliminators are not supported by the prop environment", pos=ts.peek().pos)
    alts = None
    if ts.at("with"):
        ts.take()
        alts = _tactic_alts(ts, term_ctor=False, cases_style=True)
    return (target, alts)


def _cases_prime(ts: TokenStream) -> tuple:
    target = parse_term(ts)
    names: tuple = ()
    if ts.at("with"):
        ts.take()
        names = _names(ts)
    return (target, names)


def _rcases(ts: TokenStream) -> tuple:
    target = parse_term(ts)
    pat = None
    if ts.at(","):
        raise ParseError("`rcases` on several terms is not supported by the prop environment",
                         pos=ts.peek().pos)
    if ts.at("with"):
        ts.take()
        pat = parse_pattern(ts)
    return (target, pat)


def _obtain(ts: TokenStream) -> tuple:
    pat = parse_pattern(ts) if not ts.at(":", ":=") else PVar("this")
    ty = None
    if ts.at(":"):
        ts.take()
        ty = parse_term(ts)
    value = None
    if ts.at(":="):
        ts.take()
        value = parse_term(ts)
    return (pat, ty, value)


def _by_cases(ts: TokenStream) -> tuple:
    name = None
    if ts.peek(1) is not None and ts.peek(1).text == ":" and ts.peek().kind == "ident":
        name = ts.take().text
        ts.take()
    return (name, parse_term(ts))


def _by_contra(ts: TokenStream) -> tuple:
    t = ts.peek()
    if t is not None and (t.kind == "ident" and t.text not in KEYWORDS or t.text == "_"):
        return (ts.take().text,)
    return ()


def _have(ts: TokenStream) -> tuple:
    pat, ty = _have_decl(ts)
    value = None
    if ts.at(":="):
        ts.take()
        value = parse_term(ts)
    elif ts.at("|"):
        raise ParseError("pattern-matching `have` alternatives are not supported", pos=ts.peek().pos)
    return (pat, ty, value)


def _suffices(ts: TokenStream) -> tuple:
    name = "this"
    if ts.peek(1) is not None and ts.peek(1).text == ":" and ts.peek().kind == "ident":
        name = ts.take().text
        ts.take()
    elif ts.at(":"):
        ts.take()
    ty = parse_term(ts)
    proof = None
    if ts.at("from"):
        ts.take()
        proof = parse_term(ts)
    elif ts.at("by"):
        from qedjax.envs.prop.terms import _by
        proof = _by(ts)
    return (name, ty, proof)


def _show(ts: TokenStream) -> tuple:
    ty = parse_term(ts)
    proof = None
    if ts.at("from"):
        ts.take()
        proof = parse_term(ts)
    elif ts.at("by"):
        from qedjax.envs.prop.terms import _by
        proof = _by(ts)
    return (ty, proof)


def _change(ts: TokenStream) -> tuple:
    ty = parse_term(ts)
    return (ty, _at_loc(ts))


def _rw(ts: TokenStream) -> tuple:
    n = None
    if ts.peek() is not None and ts.peek().kind == "num":
        n = int(ts.take().text)
    rules = _rule_list(ts)
    return (n, rules, _at_loc(ts))


def _rule_list(ts: TokenStream) -> tuple:
    ts.expect("[", "'['")
    rules = []
    saved = ts.stop_col
    ts.stop_col = -1
    try:
        while not ts.at("]"):
            rev = False
            if ts.at("←", "<-"):
                ts.take()
                rev = True
            rules.append((rev, parse_term(ts)))
            if not ts.at(","):
                break
            ts.take()
        ts.expect("]", "',' or ']'")
    finally:
        ts.stop_col = saved
    return tuple(rules)


def _simp(ts: TokenStream) -> tuple:
    if ts.at("("):
        raise ParseError("simp configuration is not supported by the prop environment", pos=ts.peek().pos)
    if ts.peek() is not None and ts.peek().text in ("+", "-") and ts.peek(1) is not None \
            and ts.peek(1).kind == "ident" and ts.peek(1).pos == ts.peek().end:
        raise ParseError("simp configuration is not supported by the prop environment", pos=ts.peek().pos)
    only = False
    if ts.at("only"):
        ts.take()
        only = True
    args = []
    if ts.at("["):
        ts.take()
        saved = ts.stop_col
        ts.stop_col = -1
        try:
            while not ts.at("]"):
                t = ts.peek()
                if t is None:
                    raise ts.error_here("expected ']'")
                if t.text == "*":
                    ts.take()
                    args.append(("*", None))
                elif t.text == "-":
                    ts.take()
                    args.append(("-", ts.take().text))
                else:
                    rev = False
                    if ts.at("←", "<-"):
                        ts.take()
                        rev = True
                    args.append(("←" if rev else "+", parse_term(ts)))
                if not ts.at(","):
                    break
                ts.take()
            ts.expect("]", "',' or ']'")
        finally:
            ts.stop_col = saved
    loc = _at_loc(ts)
    using = None
    if ts.at("using"):
        ts.take()
        using = parse_term(ts)
    return (only, tuple(args), loc, using)


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
        tags.append((t.text, _names(ts)))
        if not ts.at("|"):
            break
        ts.take()
    arrow = ts.expect("=>", "'=>'")
    seq = parse_seq(ts)
    return Focus(tok.pos, "case", seq, tuple(tags), ref=arrow.pos)


def _next(ts: TokenStream) -> Node:
    tok = ts.toks[ts.i - 1]
    names = _names(ts)
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


def _num_arg(ts: TokenStream) -> tuple:
    t = ts.peek()
    if t is not None and t.kind == "num":
        return (int(ts.take().text),)
    return ()


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
            pats = tuple(heads)
        else:
            pats = [parse_pattern(ts, term_ctor=True)]
            while ts.at(","):
                ts.take()
                pats.append(parse_pattern(ts, term_ctor=True))
            pats = tuple(pats)
        ts.expect("=>", "'=>'")
        rhs = parse_seq(ts)
        alts.append(Alt(pats, rhs, t.pos))
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
    return PCtor(t.text, tuple(PVar(n) for n in _names(ts)))


_PARSERS = {
    "intro": _intro, "intros": _names, "rintro": _rintro, "rintros": _rintro,
    "exact": _term_arg, "apply": _apply, "refine": _term_arg, "refine'": _term_arg, "exacts": _exacts,
    "specialize": _term_arg, "absurd": _term_arg, "exact_mod_cast": _term_arg,
    "constructor": _no_args, "left": _no_args, "right": _no_args, "exfalso": _no_args,
    "assumption": _no_args, "contradiction": _no_args, "trivial": _no_args, "triv": _no_args,
    "rfl": _no_args, "decide": _no_args, "done": _no_args, "skip": _no_args, "sorry": _no_args,
    "admit": _no_args, "tauto": _no_args, "symm": _no_args, "swap": _no_args, "apply_assumption": _no_args,
    "cases": _cases, "induction": _cases, "cases'": _cases_prime, "induction'": _cases_prime,
    "rcases": _rcases, "obtain": _obtain, "by_cases": _by_cases, "by_contra": _by_contra,
    "have": _have, "replace": _have, "suffices": _suffices, "show": _show, "change": _change,
    "clear": _names, "revert": _names, "rename_i": _names,
    "rw": _rw, "rewrite": _rw, "rwa": _rw, "nth_rewrite": _rw, "nth_rw": _rw,
    "simp": _simp, "simp_all": _simp, "simpa": _simp, "norm_num": _simp,
    "first": _first, "try": _comb("try"), "repeat": _comb("repeat"), "repeat'": _comb("repeat'"),
    "iterate": _comb("iterate"), "all_goals": _comb("all_goals"), "any_goals": _comb("any_goals"),
    "focus": _focus, "case": _case, "next": _next, "on_goal": _on_goal, "open": _open_in,
    "pick_goal": _num_arg, "rotate_left": _num_arg, "rotate_right": _num_arg,
    "match": _match,
}
