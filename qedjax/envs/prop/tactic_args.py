"""The arguments of Lean 4's atomic tactics, one small grammar per tactic.

Each grammar reads what follows the tactic's name (``intro`` and ``cases … with`` read alternatives
and live in ``blocks.py`` with the other nested grammars) and returns the argument tuple the tactic
runs with: terms, patterns, names, a location ``at h ⊢`` or rewrite rules. :data:`ARGUMENT_PARSERS`
maps tactic names to them.
"""

from __future__ import annotations

from qedjax.envs.prop.lexer import KEYWORDS, TokenStream
from qedjax.envs.prop.libraries import MATHLIB, outside
from qedjax.envs.prop.term_parser import (
    parse_by,
    parse_have_decl,
    parse_pattern,
    parse_pattern_atom,
    parse_term,
)
from qedjax.envs.prop.terms import PTuple, PTyped, PVar, abstract_have
from qedjax.errors import ParseError

__all__ = ["ARGUMENT_PARSERS", "parse_names", "pattern_start"]


def _no_args(ts: TokenStream) -> tuple:
    return ()


def _term_arg(ts: TokenStream) -> tuple:
    return (parse_term(ts),)


def pattern_start(ts: TokenStream) -> bool:
    t = ts.peek()
    return t is not None and (t.kind == "ident" and t.text not in KEYWORDS or t.text in ("⟨", "(", "_", "-", "@"))


def parse_names(ts: TokenStream) -> tuple:
    out = []
    while True:
        t = ts.peek()
        if t is None or not (t.kind == "ident" and t.text not in KEYWORDS or t.text == "_"):
            return tuple(out)
        out.append(ts.take().text)


def _rintro_pats(ts: TokenStream) -> list:
    """One ``rintroPat``: an rcases pattern, or ``(p₁ p₂ … (: t)?)`` binding several in turn (Mathlib's
    ``rintroPat.binder``); ``(h₁ | h₂)`` is the rcases pattern with alternatives."""
    if ts.at("("):
        start = ts.i
        ts.take()
        with ts.no_layout():
            group: list = []
            while pattern_start(ts) and not ts.at("-"):
                group.extend(_rintro_pats(ts))
            if group and ts.at(")", ":"):
                if ts.at(":"):
                    ts.take()
                    ty = parse_term(ts)
                    group = [PTyped(p, ty) for p in group]
                ts.expect(")", "')'")
                return group
        ts.i = start
    return [parse_pattern_atom(ts)]


def _rintro(ts: TokenStream) -> tuple:
    pats = []
    while pattern_start(ts):
        pats.extend(_rintro_pats(ts))
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
    if ts.at("at") and outside(ts, MATHLIB):  # `apply … at` is Mathlib's (Mathlib/Tactic/ApplyAt.lean)
        raise ts.error_here("unexpected token 'at'; expected command")
    loc = _at_loc(ts)
    return (term, loc)


def _exacts(ts: TokenStream) -> tuple:
    ts.expect("[", "'['")
    terms = []
    with ts.no_layout():
        if not ts.at("]"):
            terms.append(parse_term(ts))
            while ts.at(","):
                ts.take()
                terms.append(parse_term(ts))
        ts.expect("]", "',' or ']'")
    return tuple(terms)


def _cases_prime(ts: TokenStream) -> tuple:
    target = parse_term(ts)
    names: tuple = ()
    if ts.at("with"):
        ts.take()
        names = parse_names(ts)
    return (target, names)


def _rcases(ts: TokenStream) -> tuple:
    target = parse_term(ts)
    # without `with`, the pattern is the empty tuple `⟨⟩` (src/Lean/Elab/Tactic/RCases.lean, `evalRCases`:
    # `none => pure $ RCasesPatt.tuple tk []`): `rcases h` on `h : False` closes the goal, on `a ∧ b` splits
    pat = PTuple(())
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


def _by_contra_bang(ts: TokenStream) -> tuple:
    """``by_contra! h``, ``by_contra! h : t`` (``_`` or nothing: ``this``)."""
    name = _by_contra(ts)
    ty = None
    if ts.at(":"):
        ts.take()
        ty = parse_term(ts)
    return (name[0] if name and name[0] != "_" else None, ty)


def _contrapose(ts: TokenStream) -> tuple:
    """``contrapose``, ``contrapose h``, ``contrapose h with h'`` (also with ``!``)."""
    t = ts.peek()
    if t is None or t.kind != "ident" or t.text in KEYWORDS:
        return (None, None)
    name = ts.take().text
    if not ts.at("with"):
        return (name, None)
    ts.take()
    t = ts.peek()
    if t is None or t.kind != "ident" or t.text in KEYWORDS:
        raise ts.error_here("expected identifier")
    return (name, ts.take().text)


def _push_neg(ts: TokenStream) -> tuple:
    return (_at_loc(ts),)


def _push(ts: TokenStream) -> tuple:
    """Mathlib's ``push (+distrib)? head (at loc)?``; ``push_neg`` is the macro ``push Not``. Returns
    (location, head, distrib) with ``distrib`` None when not given."""
    distrib = None
    if ts.at("+", "-") and ts.peek(1) is not None and ts.peek(1).text == "distrib":
        distrib = ts.take().text == "+"
        ts.take()
    t = ts.take()
    if t.kind != "ident":
        raise ParseError(f"unexpected token '{t.text}'; expected term", pos=t.pos)
    return (_at_loc(ts), t.text, distrib)


def _have(ts: TokenStream) -> tuple:
    pat, ty, binders = parse_have_decl(ts)
    value = None
    if ts.at(":="):
        ts.take()
        # `haveIdDecl` ends in `" := " term` with no column check (src/Lean/Parser/Term.lean): the value
        # may start a line at any column
        anchor, ts.anchor = ts.anchor, ts.i
        try:
            value = abstract_have(binders, parse_term(ts))
        finally:
            ts.anchor = anchor
    elif binders:
        raise ts.error_here("expected ':='")
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
        proof = parse_by(ts)
    return (name, ty, proof)


def _show(ts: TokenStream) -> tuple:
    ty = parse_term(ts)
    proof = None
    if ts.at("from"):
        ts.take()
        proof = parse_term(ts)
    elif ts.at("by"):
        proof = parse_by(ts)
    return (ty, proof)


def _rename(ts: TokenStream) -> tuple:
    ty = parse_term(ts)
    ts.expect("=>", "'=>'")
    t = ts.take()
    if t.kind != "ident" or t.text in KEYWORDS:
        raise ParseError(f"unexpected token '{t.text}'; expected identifier", pos=t.pos)
    return (ty, t.text)


def _let(ts: TokenStream) -> tuple:
    """``let x (: t)? := v`` (a local definition; patterns and parameters are not supported)."""
    t = ts.take()
    if t.kind != "ident" or t.text in KEYWORDS:
        raise ParseError("`let` with a pattern or without a name is not supported by the prop environment",
                         pos=t.pos)
    ty = None
    if ts.at(":"):
        ts.take()
        ty = parse_term(ts)
    if not ts.at(":="):
        raise ts.error_here("expected ':='")
    ts.take()
    return (t.text, ty, parse_term(ts))


def _set(ts: TokenStream) -> tuple:
    """Mathlib's ``set x (: t)? := e (with (←)? h)?``."""
    name, ty, value = _let(ts)
    rev, hyp = False, None
    if ts.at("with"):
        ts.take()
        if ts.at("←", "<-"):
            ts.take()
            rev = True
        h = ts.take()
        if h.kind != "ident" or h.text in KEYWORDS:
            raise ParseError(f"unexpected token '{h.text}'; expected identifier", pos=h.pos)
        hyp = h.text
    return (name, ty, value, rev, hyp)


def _unfold(ts: TokenStream) -> tuple:
    names = []
    while ts.peek() is not None and ts.peek().kind == "ident" and ts.peek().text not in KEYWORDS:
        names.append(ts.take().text)
    if not names:
        raise ts.error_here("expected identifier")
    return (tuple(names), _at_loc(ts))


def _change(ts: TokenStream) -> tuple:
    ty = parse_term(ts)
    return (ty, _at_loc(ts))


_OCCS_CONFIG = ("(", "config", ":=", "{", "occs", ":=", ".", "pos", "[", None, "]", "}", ")")


def _rw(ts: TokenStream) -> tuple:
    n = None
    if ts.peek() is not None and ts.peek().kind == "num":
        n = int(ts.take().text)
    elif ts.at("(") and ts.peek(1) is not None and ts.peek(1).text == "config":
        # `rw (config := {occs := .pos [n]}) [rules]`: Lean's kabstract rewrites only the n-th match,
        # as `nth_rw n` (Mathlib's nth_rewrite passes the same `occs`); other configurations are refused
        for want in _OCCS_CONFIG:
            t = ts.peek()
            if t is None or (want is None and t.kind != "num") or (want is not None and t.text != want):
                raise ParseError("the prop environment supports `rw (config := …)` only as "
                                 "`(config := {occs := .pos [n]})`", pos=ts.raw().pos if ts.raw() else None)
            ts.take()
            if want is None:
                n = int(t.text)
    rules = _rule_list(ts)
    return (n, rules, _at_loc(ts))


def _rule_list(ts: TokenStream) -> tuple:
    ts.expect("[", "'['")
    rules = []
    with ts.no_layout():
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
        with ts.no_layout():
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
    loc = _at_loc(ts)
    using = None
    if ts.at("using"):
        ts.take()
        using = parse_term(ts)
    return (only, tuple(args), loc, using)


_GUARD_KINDS = {"": "reducible", "~": "default", "ₛ": "syntactic", "ₐ": "alpha"}


def _specifier(ts: TokenStream, lead: str) -> str | None:
    """The matching kind of ``lead`` followed (without a space) by ``~``, ``ₛ`` or ``ₐ``, or None."""
    t = ts.peek()
    if t is None or t.text != lead:
        return None
    ts.take()
    nxt = ts.peek()
    if nxt is not None and nxt.pos == t.pos + len(lead) and nxt.text in ("~", "ₛ", "ₐ"):
        ts.take()
        return _GUARD_KINDS[nxt.text]
    return "reducible"


def _guard_target(ts: TokenStream) -> tuple:
    kind = _specifier(ts, "=")
    if kind is None:
        raise ts.error_here("expected '='")
    return (kind, parse_term(ts))


def _guard_hyp(ts: TokenStream) -> tuple:
    t = ts.take()
    if t.kind != "ident" or t.text in KEYWORDS:
        raise ParseError(f"unexpected token '{t.text}'; expected term", pos=t.pos)
    kind = _specifier(ts, ":")
    ty = parse_term(ts) if kind is not None else None
    value = None
    if ts.at(":="):
        ts.take()
        value = parse_term(ts)
    return (t.text, kind, ty, value)



def _clear(ts: TokenStream) -> tuple:
    """``clear h₁ …`` or Mathlib's ``clear * - h₁ …`` (``("*", h₁, …)``)."""
    if ts.at("*") and outside(ts, MATHLIB):  # Mathlib/Tactic/ClearExcept.lean
        raise ts.error_here("expected term")
    if ts.at("*"):
        ts.take()
        ts.expect("-", "'-'")
        return ("*",) + parse_names(ts)
    return parse_names(ts)


def _itauto(ts: TokenStream) -> tuple:
    """``itauto``/``itauto!`` and, not modelled, their case-split forms ``*`` and ``[a, …]``."""
    if ts.at("*"):
        ts.take()
        return ("*",)
    if ts.at("["):
        depth = 0
        while True:
            t = ts.take()
            depth += {"[": 1, "]": -1}.get(t.text, 0)
            if depth == 0:
                return ("[]",)
    return ()


def _symm(ts: TokenStream) -> tuple:
    return (_at_loc(ts),)


def _num_arg(ts: TokenStream) -> tuple:
    t = ts.peek()
    if t is not None and t.kind == "num":
        return (int(ts.take().text),)
    return ()


ARGUMENT_PARSERS = {
    "intros": parse_names, "rintro": _rintro, "rintros": _rintro,
    "exact": _term_arg, "apply": _apply, "refine": _term_arg, "refine'": _term_arg, "exacts": _exacts,
    "specialize": _term_arg, "absurd": _term_arg, "exact_mod_cast": _term_arg,
    "constructor": _no_args, "left": _no_args, "right": _no_args, "exfalso": _no_args,
    "assumption": _no_args, "contradiction": _no_args, "trivial": _no_args, "triv": _no_args,
    "rfl": _no_args, "decide": _no_args, "done": _no_args, "skip": _no_args, "sorry": _no_args,
    "admit": _no_args, "tauto": _no_args, "symm": _symm, "swap": _no_args, "apply_assumption": _no_args,
    "cases'": _cases_prime, "induction'": _cases_prime,
    "rcases": _rcases, "obtain": _obtain, "by_cases": _by_cases, "by_contra": _by_contra,
    "by_contra!": _by_contra_bang, "contrapose": _contrapose, "contrapose!": _contrapose,
    "push_neg": _push_neg, "push": _push,
    "have": _have, "replace": _have, "suffices": _suffices, "show": _show, "change": _change,
    "unfold": _unfold, "dsimp": _simp, "rename": _rename, "let": _let, "set": _set,
    "clear": _clear, "revert": parse_names, "rename_i": parse_names,
    "rw": _rw, "rewrite": _rw, "rwa": _rw, "nth_rewrite": _rw, "nth_rw": _rw,
    "simp": _simp, "simp_all": _simp, "simpa": _simp, "norm_num": _simp, "simp?": _simp,
    "simp_all?": _simp,
    "guard_target": _guard_target, "guard_hyp": _guard_hyp, "itauto": _itauto, "itauto!": _itauto,
    "pick_goal": _num_arg, "rotate_left": _num_arg, "rotate_right": _num_arg,
}
