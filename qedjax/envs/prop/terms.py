"""Proof terms for ``exact``/``apply``/``have``/``obtain``: parser and bidirectional type checker.

Supported: hypotheses, application ``h₁ h₂``, projections (``h.1``, ``h.left``, ``h.mp``, ``h.symm``,
``h.elim``), anonymous constructors ``⟨a, b⟩``, ``fun x ⟨y, z⟩ => e``, and the constants ``trivial``,
``True.intro``, ``Or.inl``, ``Or.inr``, ``Or.elim``, ``And.intro``, ``And.left``, ``And.right``,
``Iff.intro``, ``Iff.mp``, ``Iff.mpr``, ``Iff.rfl``, ``Iff.refl``, ``absurd``, ``False.elim``,
``id``, ``Classical.em``/``em``, ``Classical.byContradiction`` and the ``.symm`` lemmas.
Definitional equality unfolds ``¬a`` to ``a → False``, as Lean's ``isDefEq`` does.
"""

from __future__ import annotations

import dataclasses
from typing import Union

from qedjax.envs.prop.syntax import (
    FALSE,
    TRUE,
    And,
    Bot,
    Formula,
    Iff,
    Imp,
    Not,
    Or,
    Token,
    Top,
    parse_formula_tokens,
    pp,
)
from qedjax.errors import ParseError


class TacticError(Exception):
    """A tactic failed; ``message`` is worded like Lean's error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------------------------- AST

@dataclasses.dataclass(frozen=True)
class TName:
    name: str
    src: str


@dataclasses.dataclass(frozen=True)
class THole:
    src: str


@dataclasses.dataclass(frozen=True)
class TApp:
    fn: Term
    args: tuple[Term, ...]
    src: str


@dataclasses.dataclass(frozen=True)
class TAnon:
    items: tuple[Term, ...]
    src: str


@dataclasses.dataclass(frozen=True)
class TProj:
    term: Term
    field: str
    src: str


@dataclasses.dataclass(frozen=True)
class TFun:
    binders: tuple[Pattern, ...]
    body: Term
    src: str


@dataclasses.dataclass(frozen=True)
class TProp:
    """A proposition in argument position (``Classical.em (p ∨ q)``); parsed lazily."""

    tokens: tuple[Token, ...]
    src: str


Term = Union[TName, THole, TApp, TAnon, TProj, TFun, TProp]


# rcases patterns (shared with rcases/obtain/intro/fun binders)
@dataclasses.dataclass(frozen=True)
class PName:
    name: str  # "_" = inaccessible, "-" = clear


@dataclasses.dataclass(frozen=True)
class PTuple:
    items: tuple[Pattern, ...]


@dataclasses.dataclass(frozen=True)
class PAlts:
    alts: tuple[Pattern, ...]


Pattern = Union[PName, PTuple, PAlts]


# ----------------------------------------------------------------------------------- parser

class TokenStream:
    def __init__(self, tokens: list[Token], text: str):
        self.toks = tokens
        self.i = 0
        self.text = text

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def at(self, *texts: str) -> bool:
        t = self.peek()
        return t is not None and t.text in texts

    def take(self) -> Token:
        t = self.peek()
        if t is None:
            raise ParseError("unexpected end of input", pos=len(self.text))
        self.i += 1
        return t

    def expect(self, text: str) -> Token:
        t = self.peek()
        if t is None or t.text != text:
            got = "end of input" if t is None else f"token '{t.text}'"
            raise ParseError(f"unexpected {got}; expected '{text}'", pos=t.pos if t else len(self.text))
        self.i += 1
        return t

    def done(self) -> bool:
        return self.i >= len(self.toks)

    def src(self, start_tok: int, end_tok: int) -> str:
        if end_tok <= start_tok:
            return ""
        a = self.toks[start_tok].pos
        last = self.toks[end_tok - 1]
        return self.text[a:last.pos + len(last.text)]


_TERM_STOP = {",", "⟩", ")", ";", "<;>", "|", "=>", "↦", ":=", "with", "at"}
_PROP_HEAD = {"¬", "~", "True", "False"}


def parse_term(ts: TokenStream) -> Term:
    start = ts.i
    t = ts.peek()
    if t is None:
        raise ParseError("unexpected end of input; expected term", pos=len(ts.text))
    if t.text in ("fun", "λ"):
        ts.take()
        binders = []
        while not ts.at("=>", "↦"):
            binders.append(parse_pattern_atom(ts))
        if not binders:
            raise ParseError("expected binder after 'fun'", pos=t.pos)
        ts.take()
        body = parse_term(ts)
        return TFun(tuple(binders), body, ts.src(start, ts.i))
    head = parse_arg(ts)
    args = []
    while not ts.done() and ts.peek().text not in _TERM_STOP:
        args.append(parse_arg(ts))
    if not args:
        return head
    return TApp(head, tuple(args), ts.src(start, ts.i))


def parse_arg(ts: TokenStream) -> Term:
    start = ts.i
    t = ts.take()
    if t.text == "(":
        # A parenthesised proposition (contains a connective) or a term.
        depth, j = 1, ts.i
        is_prop = False
        while j < len(ts.toks) and depth:
            x = ts.toks[j].text
            if x in ("(", "⟨"):
                depth += 1
            elif x in (")", "⟩"):
                depth -= 1
            elif depth == 1 and x in ("∧", "∨", "→", "↔", "¬", "/\\", "\\/", "->", "<->", "~"):
                is_prop = True
            j += 1
        if is_prop:
            inner = tuple(ts.toks[ts.i:j - 1])
            ts.i = j
            if depth:
                raise ParseError("unexpected end of input; expected ')'", pos=len(ts.text))
            term: Term = TProp(inner, ts.src(start, ts.i))
        else:
            term = parse_term(ts)
            ts.expect(")")
    elif t.text == "⟨":
        items = []
        if not ts.at("⟩"):
            items.append(parse_term(ts))
            while ts.at(","):
                ts.take()
                items.append(parse_term(ts))
        ts.expect("⟩")
        term = TAnon(tuple(items), ts.src(start, ts.i))
    elif t.text == "_":
        term = THole("_")
    elif t.kind == "ident":
        if t.text in ("True", "False"):
            term = TProp((t,), t.text)
        else:
            term = TName(t.text, t.text)
    elif t.text in ("¬", "~"):
        raise ParseError("unexpected token '¬'; expected term", pos=t.pos)
    else:
        raise ParseError(f"unexpected token '{t.text}'; expected term", pos=t.pos)
    while ts.at(".") and ts.peek(1) is not None and ts.peek(1).kind in ("num", "ident"):
        ts.take()
        field = ts.take().text
        term = TProj(term, field, ts.src(start, ts.i))
    return term


def parse_pattern(ts: TokenStream) -> Pattern:
    alts = [parse_pattern_atom(ts)]
    while ts.at("|"):
        ts.take()
        alts.append(parse_pattern_atom(ts))
    return alts[0] if len(alts) == 1 else PAlts(tuple(alts))


def parse_pattern_atom(ts: TokenStream) -> Pattern:
    t = ts.take()
    if t.text == "⟨":
        items = []
        if not ts.at("⟩"):
            items.append(parse_pattern(ts))
            while ts.at(","):
                ts.take()
                items.append(parse_pattern(ts))
        ts.expect("⟩")
        return PTuple(tuple(items))
    if t.text == "(":
        p = parse_pattern(ts)
        ts.expect(")")
        return p
    if t.text in ("_", "-"):
        return PName(t.text)
    if t.kind == "ident" and "." not in t.text and t.text not in ("fun", "with", "at"):
        return PName(t.text)
    raise ParseError(f"unexpected token '{t.text}'; expected pattern", pos=t.pos)


# ------------------------------------------------------------------------------ type checker

def unfold(f: Formula) -> Formula:
    """Weak-head unfolding of ``¬a`` to ``a → False``."""
    return Imp(f.arg, FALSE) if isinstance(f, Not) else f


def norm(f: Formula) -> Formula:
    if isinstance(f, Not):
        return Imp(norm(f.arg), FALSE)
    if isinstance(f, (And, Or, Imp, Iff)):
        return type(f)(norm(f.left), norm(f.right))
    return f


def defeq(a: Formula, b: Formula) -> bool:
    return a == b or norm(a) == norm(b)


def mismatch(src: str, has: Formula, expected: Formula) -> TacticError:
    return TacticError(
        f"type mismatch\n  {src}\nhas type\n  {pp(has)} : Prop\nbut is expected to have type\n"
        f"  {pp(expected)} : Prop")


class Elaborator:
    """Checks terms against a goal's context. ``lookup(name) -> Formula | None``."""

    def __init__(self, lookup, var_names: set[str]):
        self._lookup = lookup
        self.var_names = var_names
        self.locals: list[tuple[str, Formula]] = []

    def lookup(self, name: str) -> Formula | None:
        for n, t in reversed(self.locals):
            if n == name:
                return t
        return self._lookup(name)

    def prop(self, term: Term) -> Formula:
        """Interpret ``term`` as a proposition (argument of ``em``, ``Iff.refl`` …)."""
        if isinstance(term, TProp):
            f = parse_formula_tokens(list(term.tokens), _join(term.tokens))
        elif isinstance(term, TName) and "." not in term.name:
            from qedjax.envs.prop.syntax import Atom
            f = Atom(term.name)
        else:
            raise TacticError(f"type expected, got\n  ({term.src})")
        self.check_atoms(f)
        return f

    def check_atoms(self, f: Formula) -> None:
        from qedjax.envs.prop.syntax import atoms
        for a in atoms(f):
            if a not in self.var_names:
                raise TacticError(f"unknown identifier '{a}'")

    # -- entry point
    def elab(self, term: Term, expected: Formula | None) -> Formula:
        got = self._elab(term, expected)
        if expected is not None and not defeq(got, expected):
            raise mismatch(term.src, got, expected)
        return got if expected is None else expected

    def _elab(self, term: Term, expected: Formula | None) -> Formula:
        if isinstance(term, THole):
            raise TacticError("don't know how to synthesize placeholder\ncontext:\n" if expected is None
                              else f"don't know how to synthesize placeholder for argument\n"
                              f"expected type\n  {pp(expected)}")
        if isinstance(term, TProp):
            raise TacticError(f"type mismatch\n  {term.src}\nhas type\n  Prop : Type\n"
                              "but is expected to have type\n  "
                              f"{pp(expected) if expected is not None else '?'} : Prop")
        if isinstance(term, TAnon):
            return self._anon(term, expected)
        if isinstance(term, TFun):
            return self._fun(term, expected)
        if isinstance(term, TProj):
            return self._proj(self.elab(term.term, None), term.field, term, expected)
        if isinstance(term, TName):
            return self._app(term, (), term, expected)
        if isinstance(term, TApp):
            if isinstance(term.fn, TName):
                return self._app(term.fn, term.args, term, expected)
            fn_type = self.elab(term.fn, None)
            return self._apply_args(fn_type, term.fn.src, term.args, term, expected)
        raise TypeError(term)

    def _anon(self, term: TAnon, expected: Formula | None) -> Formula:
        if expected is None:
            raise TacticError("invalid constructor ⟨...⟩, expected type must be known")
        items = term.items
        if isinstance(expected, And) and items:
            self.elab(items[0], expected.left)
            rest = items[1:]
            if not rest:
                raise TacticError("invalid constructor ⟨...⟩, insufficient number of arguments, "
                                  "constructs 'And.intro' has #2 explicit fields, but only #1 provided")
            self.elab(rest[0] if len(rest) == 1 else TAnon(rest, term.src), expected.right)
            return expected
        if isinstance(expected, Iff) and len(items) == 2:
            self.elab(items[0], Imp(expected.left, expected.right))
            self.elab(items[1], Imp(expected.right, expected.left))
            return expected
        if isinstance(expected, Top) and not items:
            return expected
        raise TacticError(
            "invalid constructor ⟨...⟩, expected type must be an inductive type with only one "
            f"constructor \n  {pp(expected)}")

    def _fun(self, term: TFun, expected: Formula | None) -> Formula:
        if expected is None:
            raise TacticError("failed to infer binder type")
        target = unfold(expected)
        if not isinstance(target, Imp):
            raise TacticError(f"type mismatch\n  {term.src}\nhas type\n  ?a → ?b : Sort ?u\n"
                              f"but is expected to have type\n  {pp(expected)} : Prop")
        mark = len(self.locals)
        try:
            self._bind(term.binders[0], target.left)
            body = term.body if len(term.binders) == 1 else TFun(term.binders[1:], term.body, term.src)
            self.elab(body, target.right)
        finally:
            del self.locals[mark:]
        return expected

    def _bind(self, pat: Pattern, ty: Formula) -> None:
        if isinstance(pat, PName):
            self.locals.append((pat.name if pat.name not in ("_", "-") else "\0", ty))
        elif isinstance(pat, PTuple):
            if isinstance(ty, And) and len(pat.items) >= 2:
                self._bind(pat.items[0], ty.left)
                rest = pat.items[1:]
                self._bind(rest[0] if len(rest) == 1 else PTuple(rest), ty.right)
            elif isinstance(ty, Iff) and len(pat.items) == 2:
                self._bind(pat.items[0], Imp(ty.left, ty.right))
                self._bind(pat.items[1], Imp(ty.right, ty.left))
            elif len(pat.items) == 1:
                self._bind(pat.items[0], ty)
            else:
                raise TacticError(f"invalid pattern, constructor or constant marked with "
                                  f"'[match_pattern]' expected for type\n  {pp(ty)}")
        else:
            raise TacticError("alternative patterns are not allowed in 'fun' binders")

    def _proj(self, ty: Formula, field: str, term: Term, expected: Formula | None) -> Formula:
        if isinstance(ty, And):
            table = {"1": ty.left, "left": ty.left, "2": ty.right, "right": ty.right,
                     "symm": And(ty.right, ty.left)}
        elif isinstance(ty, Iff):
            table = {"1": Imp(ty.left, ty.right), "mp": Imp(ty.left, ty.right),
                     "2": Imp(ty.right, ty.left), "mpr": Imp(ty.right, ty.left),
                     "symm": Iff(ty.right, ty.left)}
        elif isinstance(ty, Or):
            table = {"symm": Or(ty.right, ty.left)}
        elif isinstance(ty, Bot) and field == "elim":
            if expected is None:
                raise TacticError("don't know how to synthesize implicit argument 'C'")
            return expected
        else:
            table = {}
        if field in table:
            return table[field]
        head = {And: "And", Or: "Or", Iff: "Iff", Imp: "", Not: "Not", Top: "True", Bot: "False"}
        name = head.get(type(ty), "")
        if not name:
            raise TacticError(f"invalid field notation, type is not of the form (C ...) where C is "
                              f"a constant\n  {getattr(term, 'src', '')}\nhas type\n  {pp(ty)}")
        raise TacticError(f"invalid field '{field}', the environment does not contain "
                          f"'{name}.{field}'\n  {getattr(term, 'src', '')}\nhas type\n  {pp(ty)}")

    def _apply_args(self, fn_type: Formula, fn_src: str, args, term: Term,
                    expected: Formula | None) -> Formula:
        ty = fn_type
        for _i, arg in enumerate(args):
            u = unfold(ty)
            if not isinstance(u, Imp):
                raise TacticError(f"function expected\n  {fn_src}\nterm has type\n  {pp(ty)}")
            # `h.elim` style dot-call on Or: handled in _app; here only plain arrows.
            self.elab(arg, u.left)
            ty = u.right
        return ty

    def _app(self, fn: TName, args: tuple, term: Term, expected: Formula | None) -> Formula:
        name = fn.name
        local = self.lookup(name)
        if local is not None:
            return self._apply_args(local, fn.src, args, term, expected)
        if "." in name:
            base, *fields = name.split(".")
            base_type = self.lookup(base)
            if base_type is not None:
                ty = base_type
                for k, fld in enumerate(fields):
                    last = k == len(fields) - 1
                    if last and fld == "elim" and isinstance(ty, Or):
                        return self._or_elim(ty, args, term, expected)
                    ty = self._proj(ty, fld, TName(".".join([base, *fields[:k]]), fn.src),
                                    expected if (last and not args) else None)
                return self._apply_args(ty, fn.src, args, term, expected)
        const = _CONSTANTS.get(name)
        if const is None:
            if name in self.var_names:
                raise TacticError(f"type mismatch\n  {name}\nhas type\n  Prop : Type\n"
                                  "but is expected to have type\n  "
                                  f"{pp(expected) if expected is not None else '?'} : Prop")
            raise TacticError(f"unknown identifier '{name}'")
        arity, rule = const
        if len(args) < arity:
            # Eta-expand a partial application against an arrow: `Or.inl` : p → p ∨ q.
            target = unfold(expected) if expected is not None else None
            if isinstance(target, Imp):
                self.locals.append(("\1eta", target.left))
                try:
                    rule(self, tuple(args) + (TName("\1eta", "x"),), target.right, term)
                finally:
                    self.locals.pop()
                return expected
            raise TacticError(f"don't know how to synthesize implicit argument for '{name}'")
        result = rule(self, tuple(args[:arity]), expected if len(args) == arity else None, term)
        return self._apply_args(result, fn.src, args[arity:], term, expected)

    def _or_elim(self, ty: Or, args, term, expected):
        if expected is None:
            raise TacticError("don't know how to synthesize implicit argument 'c'")
        if len(args) != 2:
            raise TacticError("function expected")
        self.elab(args[0], Imp(ty.left, expected))
        self.elab(args[1], Imp(ty.right, expected))
        return expected


def _join(tokens) -> str:
    return " ".join(t.text for t in tokens)


def _need(expected, what: str):
    if expected is None:
        raise TacticError(f"don't know how to synthesize implicit argument '{what}'")
    return expected


def _or_inl(el: Elaborator, args, expected, term):
    e = _need(expected, "b")
    if not isinstance(e, Or):
        raise mismatch(term.src, Or(el.elab(args[0], None), Top()), e)
    el.elab(args[0], e.left)
    return e


def _or_inr(el: Elaborator, args, expected, term):
    e = _need(expected, "a")
    if not isinstance(e, Or):
        raise mismatch(term.src, Or(Top(), el.elab(args[0], None)), e)
    el.elab(args[0], e.right)
    return e


def _and_intro(el, args, expected, term):
    if isinstance(expected, And):
        el.elab(args[0], expected.left)
        el.elab(args[1], expected.right)
        return expected
    return And(el.elab(args[0], None), el.elab(args[1], None))


def _iff_intro(el, args, expected, term):
    if isinstance(expected, Iff):
        el.elab(args[0], Imp(expected.left, expected.right))
        el.elab(args[1], Imp(expected.right, expected.left))
        return expected
    f = unfold(el.elab(args[0], None))
    if not isinstance(f, Imp):
        raise TacticError(f"type mismatch\n  {args[0].src}\nhas type\n  {pp(f)} : Prop\n"
                          "but is expected to have type\n  ?a → ?b : Prop")
    el.elab(args[1], Imp(f.right, f.left))
    return Iff(f.left, f.right)


def _absurd(el, args, expected, term):
    e = _need(expected, "b")
    a = el.elab(args[0], None)
    el.elab(args[1], Not(a))
    return e


def _false_elim(el, args, expected, term):
    e = _need(expected, "C")
    el.elab(args[0], FALSE)
    return e


def _em(el, args, expected, term):
    p = el.prop(args[0])
    return Or(p, Not(p))


def _by_contradiction(el, args, expected, term):
    e = _need(expected, "p")
    el.elab(args[0], Imp(Not(e), FALSE))
    return e


def _id(el, args, expected, term):
    return el.elab(args[0], expected)


def _or_elim_const(el, args, expected, term):
    h = el.elab(args[0], None)
    if not isinstance(h, Or):
        raise mismatch(args[0].src, h, Or(Top(), Top()))
    return el._or_elim(h, args[1:], term, expected)


def _projection(kind: str, field: str):
    def rule(el, args, expected, term):
        h = el.elab(args[0], None)
        ok = {"And": And, "Iff": Iff, "Or": Or}[kind]
        if not isinstance(h, ok):
            raise TacticError(f"application type mismatch\n  {term.src}\nargument\n  {args[0].src}\n"
                              f"has type\n  {pp(h)} : Prop")
        return el._proj(h, field, args[0], expected)
    return rule


def _iff_rfl(el, args, expected, term):
    e = _need(expected, "a")
    if not (isinstance(e, Iff) and defeq(e.left, e.right)):
        raise mismatch("Iff.rfl", Iff(e.left, e.left) if isinstance(e, Iff) else Iff(Top(), Top()), e)
    return e


def _iff_refl(el, args, expected, term):
    p = el.prop(args[0])
    return Iff(p, p)


def _true_intro(el, args, expected, term):
    return TRUE


_CONSTANTS = {
    "trivial": (0, _true_intro),
    "True.intro": (0, _true_intro),
    "Or.inl": (1, _or_inl),
    "Or.inr": (1, _or_inr),
    "Or.intro_left": (1, _or_inl),
    "Or.intro_right": (1, _or_inr),
    "Or.elim": (3, _or_elim_const),
    "And.intro": (2, _and_intro),
    "And.left": (1, _projection("And", "left")),
    "And.right": (1, _projection("And", "right")),
    "And.symm": (1, _projection("And", "symm")),
    "Or.symm": (1, _projection("Or", "symm")),
    "Iff.intro": (2, _iff_intro),
    "Iff.mp": (1, _projection("Iff", "mp")),
    "Iff.mpr": (1, _projection("Iff", "mpr")),
    "Iff.symm": (1, _projection("Iff", "symm")),
    "Iff.rfl": (0, _iff_rfl),
    "Iff.refl": (1, _iff_refl),
    "absurd": (2, _absurd),
    "False.elim": (1, _false_elim),
    "id": (1, _id),
    "Classical.em": (1, _em),
    "em": (1, _em),
    "Classical.byContradiction": (1, _by_contradiction),
}
