"""Propositional formulas in Lean 4 notation: AST and printer.

Precedences follow Lean 4 core (``Init/Core.lean``, ``Init/Prelude.lean``):

=============  =========================  ==============================================
notation       Lean declaration           associativity
=============  =========================  ==============================================
``¬ p``        ``notation:max "¬" p:40``  prefix (``¬p = q`` is ``¬(p = q)``)
``p = q``      ``infix:50``               none
``p ∧ q``      ``infixr:35``              right
``p ∨ q``      ``infixr:30``              right
``p → q``      arrow, 25                  right
``p ↔ q``      ``infix:20``               none (``p ↔ q ↔ r`` is a parse error, as in Lean)
``∀ (p : Prop), φ``  binder notation     extends as far right as possible
=============  =========================  ==============================================

``=`` is equality of propositions; ``∀`` binds proposition variables only. The printer inserts
exactly the parentheses Lean's parenthesizer would, groups ``∀`` binders (``∀ (p q : Prop), …``)
and prints a binder its body does not use as ``Prop → …``. ``parse(pp(f))`` gives ``f`` back (up to
the names of bound variables); ASCII spellings (``/\\``, ``\\/``, ``->``, ``<->``, ``~``) are
accepted on input. Metavariables (:class:`MVar`) appear while a term is elaborated and, as ``?a``,
in proof states that an ``apply`` left undetermined.

:func:`to_formula` reads a parsed term (``terms.py``) as a proposition; :func:`parse_formula` parses
text with Lean's term grammar and reads it so.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Union

from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.lexer import IDENT_RE, KEYWORDS, Token, is_ident, tokenize
from qedjax.envs.prop.parser import text_stream
from qedjax.envs.prop.term_parser import parse_term
from qedjax.envs.prop.terms import TApp, TAscribe, TBin, Term, TForall, THole, TIdent, TNot, TSynth
from qedjax.errors import ParseError

__all__ = [
    "Atom", "Top", "Bot", "Not", "And", "Or", "Imp", "Iff", "Eq", "Forall", "MVar", "Let", "Formula",
    "TRUE", "FALSE", "parse_formula", "pp", "atoms", "tokenize", "Token", "is_ident", "IDENT_RE",
    "subst", "alpha_norm", "free_in", "depth", "to_formula", "unlet",
]


def _CACHE():
    """A slot that caches the printed form; not part of equality, hashing or the constructor."""
    return dataclasses.field(default=None, init=False, compare=False, repr=False)


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
    _pp: str | None = _CACHE()


@dataclasses.dataclass(frozen=True, slots=True)
class And:
    left: Formula
    right: Formula
    _pp: str | None = _CACHE()


@dataclasses.dataclass(frozen=True, slots=True)
class Or:
    left: Formula
    right: Formula
    _pp: str | None = _CACHE()


@dataclasses.dataclass(frozen=True, slots=True)
class Imp:
    left: Formula
    right: Formula
    _pp: str | None = _CACHE()


@dataclasses.dataclass(frozen=True, slots=True)
class Iff:
    left: Formula
    right: Formula
    _pp: str | None = _CACHE()


@dataclasses.dataclass(frozen=True, slots=True)
class Eq:
    """Equality of two propositions (``p = q``), equivalent to ``p ↔ q`` by propositional extensionality."""

    left: Formula
    right: Formula
    _pp: str | None = _CACHE()


@dataclasses.dataclass(frozen=True, slots=True)
class Forall:
    """``∀ (var : Prop), body``; ``implicit`` for ``∀ {var : Prop}, body`` (the binder annotation does
    not take part in equality: Lean's ``Expr.eqv`` and definitional equality ignore it)."""

    var: str
    body: Formula
    implicit: bool = dataclasses.field(default=False, compare=False)
    _pp: str | None = _CACHE()


@dataclasses.dataclass(frozen=True, slots=True)
class MVar:
    """A metavariable standing for an unknown proposition. A positive ``id`` lives while one term is
    elaborated (printed ``?m.id``); a negative one belongs to the proof state, shared by its goals,
    and is printed with the binder name it stands for (``?a``): ``apply And.right`` leaves one."""

    id: int
    name: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Let:
    """A local definition of a proposition (``let x := v`` or ``set x := v``), printed as its name and
    definitionally equal to ``value`` (Lean unfolds a `let` variable's value: zeta-delta)."""

    name: str
    value: Formula


Formula = Union[Atom, Top, Bot, Not, And, Or, Imp, Iff, Eq, Forall, MVar, Let]


def unlet(f: Formula) -> Formula:
    """``f`` past the local definitions at its head (Lean's ``whnf`` unfolds a `let` variable)."""
    while isinstance(f, Let):
        f = f.value
    return f
TRUE = Top()
FALSE = Bot()
BINARY = (And, Or, Imp, Iff, Eq)

# class -> (symbol, precedence, lhs precedence, rhs precedence)
_BINARY = {
    Eq: ("=", 50, 51, 51),
    And: ("∧", 35, 36, 35),
    Or: ("∨", 30, 31, 30),
    Imp: ("→", 25, 26, 25),
    Iff: ("↔", 20, 21, 21),
}
_MAX = 1024
_NOT_ARG = 40


def has_let(f: Formula) -> bool:
    """True when a ``let`` occurs anywhere in ``f``."""
    if isinstance(f, Let):
        return True
    if isinstance(f, Not):
        return has_let(f.arg)
    if isinstance(f, BINARY):
        return has_let(f.left) or has_let(f.right)
    if isinstance(f, Forall):
        return has_let(f.body)
    return False


def free_in(name: str, f: Formula) -> bool:
    """True when the proposition variable ``name`` occurs free in ``f``."""
    if isinstance(f, Atom):
        return f.name == name
    if isinstance(f, Not):
        return free_in(name, f.arg)
    if isinstance(f, BINARY):
        return free_in(name, f.left) or free_in(name, f.right)
    if isinstance(f, Forall):
        return f.var != name and free_in(name, f.body)
    if isinstance(f, Let):
        return free_in(name, f.value)
    return False


def pp(f: Formula, prec: int = 0, follow: int | None = None) -> str:
    """Lean 4's pretty-print of ``f`` at precedence ``prec``.

    ``follow`` is the precedence of the infix operator printed right after ``f`` (None when nothing
    follows); it decides whether a trailing ``¬``/``∀`` would swallow that operator and so needs
    parentheses, as Lean's parenthesizer decides.
    """
    t = type(f)  # the formula classes have no subclasses: dispatch on the exact type, commonest first
    if t is Atom:
        return f.name
    spec = _BINARY.get(t)
    if spec is not None:
        sym, p, lp, rp = spec
        if p < prec:
            return f"({pp(f.left, lp, p)} {sym} {pp(f.right, rp, None)})"
        return f"{pp(f.left, lp, p)} {sym} {pp(f.right, rp, follow)}"
    if t is Not:
        if follow is not None and follow >= _NOT_ARG:
            return "(¬" + pp(f.arg, _NOT_ARG, None) + ")"
        return "¬" + pp(f.arg, _NOT_ARG, follow)
    if t is Top:
        return "True"
    if t is Bot:
        return "False"
    if t is Forall:
        if not free_in(f.var, f.body):  # a binder the body does not use prints as an arrow
            if prec > 25:
                return f"(Prop → {pp(f.body, 25, None)})"
            return f"Prop → {pp(f.body, 25, follow)}"
        if follow is not None:
            return "(" + _pp_forall(f) + ")"
        return _pp_forall(f)
    if t is MVar:
        return f"?{f.name}" if f.name else f"?m.{f.id}"
    if t is Let:
        return f.name
    raise TypeError(f"not a formula: {f!r}")


def pp_cached(f: Formula) -> str:
    """``pp(f)``, memoised on the formula object (states print the same hypotheses many times)."""
    text = getattr(f, "_pp", None)
    if text is None:
        text = pp(f)
        if hasattr(f, "_pp"):
            object.__setattr__(f, "_pp", text)
    return text


def _pp_forall(f: Forall) -> str:
    names = [f.var]
    groups = [(f.implicit, names)]  # Lean groups consecutive binders: `∀ {p : Prop} (q r : Prop), …`
    body = f.body
    while isinstance(body, Forall) and free_in(body.var, body.body) and \
            all(body.var not in g for _, g in groups):
        if body.implicit != groups[-1][0]:
            groups.append((body.implicit, []))
        groups[-1][1].append(body.var)
        body = body.body
    binders = " ".join(("{%s : Prop}" if imp else "(%s : Prop)") % " ".join(g) for imp, g in groups)
    return f"∀ {binders}, {pp(body, 0, None)}"


def atoms(f: Formula, acc: dict[str, None] | None = None) -> list[str]:
    """Free proposition variables in order of first appearance."""
    out: dict[str, None] = {} if acc is None else acc
    stack: list[tuple[Formula, frozenset]] = [(f, frozenset())]
    while stack:
        g, bound = stack.pop()
        if isinstance(g, Atom):
            if g.name not in bound:
                out.setdefault(g.name, None)
        elif isinstance(g, Not):
            stack.append((g.arg, bound))
        elif isinstance(g, BINARY):
            stack.append((g.right, bound))
            stack.append((g.left, bound))
        elif isinstance(g, Forall):
            stack.append((g.body, bound | {g.var}))
        elif isinstance(g, Let):
            stack.append((g.value, bound))
    return list(out)


def depth(f: Formula) -> int:
    """Nesting depth of ``f`` (an atom has depth 1)."""
    best, stack = 0, [(f, 1)]
    while stack:
        g, d = stack.pop()
        best = max(best, d)
        if isinstance(g, Not):
            stack.append((g.arg, d + 1))
        elif isinstance(g, BINARY):
            stack.append((g.left, d + 1))
            stack.append((g.right, d + 1))
        elif isinstance(g, Forall):
            stack.append((g.body, d + 1))
    return best


_fresh = itertools.count()


def subst(f: Formula, env: dict) -> Formula:
    """Capture-avoiding substitution of free atoms (``env``: name -> Formula) and assigned metavariables
    (``env``: int -> Formula, followed transitively)."""
    if not env:
        return f
    if isinstance(f, Atom):
        return env.get(f.name, f)
    if isinstance(f, MVar):
        g = env.get(f.id)
        return f if g is None else subst(g, env)
    if isinstance(f, (Top, Bot)):
        return f
    if isinstance(f, Not):
        a = subst(f.arg, env)
        return f if a is f.arg else Not(a)
    if isinstance(f, BINARY):
        a, b = subst(f.left, env), subst(f.right, env)
        return f if (a is f.left and b is f.right) else type(f)(a, b)
    if isinstance(f, Let):
        v = subst(f.value, env)
        return f if v is f.value else Let(f.name, v)
    assert isinstance(f, Forall)
    inner = {k: v for k, v in env.items() if k != f.var}
    captured = any(isinstance(k, str) and free_in(f.var, v) and free_in(k, f.body)
                   for k, v in inner.items())
    var, body = f.var, f.body
    if captured:
        var = f"{f.var}✝{next(_fresh)}"
        body = subst(body, {f.var: Atom(var)})
    b = subst(body, inner)
    return f if (b is f.body and var == f.var) else Forall(var, b, f.implicit)


def alpha_norm(f: Formula, bound: tuple[str, ...] = (), unfold_not: bool = True) -> Formula:
    """``f`` with bound variables renamed canonically and (by default) ``¬a`` unfolded to ``a → False``,
    so that definitional equality of propositions is plain ``==`` of normal forms; with
    ``unfold_not=False`` it decides syntactic equality up to bound names (Lean's reducible ``rfl``)."""
    if isinstance(f, Atom):
        if f.name in bound:
            return Atom(f"#{bound[::-1].index(f.name)}")
        return f
    if isinstance(f, Not):
        a = alpha_norm(f.arg, bound, unfold_not)
        return Imp(a, FALSE) if unfold_not else Not(a)
    if isinstance(f, BINARY):
        return type(f)(alpha_norm(f.left, bound, unfold_not), alpha_norm(f.right, bound, unfold_not))
    if isinstance(f, Forall):
        return Forall("#", alpha_norm(f.body, bound + (f.var,), unfold_not))
    if isinstance(f, Let):
        return alpha_norm(f.value, bound, unfold_not)
    return f


# ------------------------------------------------------------------------- terms as formulas

def to_formula(term: Term, is_var, fresh_mvar=None, bound: frozenset = frozenset(),
               mvars: dict | None = None) -> Formula:
    """Read ``term`` as a proposition. ``is_var(name)`` says whether ``name`` is a proposition
    variable in scope; ``fresh_mvar()`` (if given) makes ``_`` a metavariable; ``mvars`` (if given)
    reads a printed proof-state metavariable ``?a`` (shared through the dict, name -> MVar)."""
    if isinstance(term, TIdent):
        name = term.name
        if name == "True":
            return TRUE
        if name == "False":
            return FALSE
        if name in bound:
            return Atom(name)
        var = is_var(name)
        if var is True:
            return Atom(name)
        if var:  # a local definition: its `Let`
            return var
        raise TacticError(f"Unknown identifier `{name}`", term.pos)
    if isinstance(term, TNot):
        return Not(to_formula(term.arg, is_var, fresh_mvar, bound, mvars))
    if isinstance(term, TBin):
        cls = {"∧": And, "∨": Or, "→": Imp, "↔": Iff, "=": Eq}.get(term.op)
        if cls is None:
            raise TacticError(f"type expected, got\n  ({term.src})", term.pos)
        if cls is Imp and isinstance(term.left, TIdent) and term.left.name == "Prop":
            body = to_formula(term.right, is_var, fresh_mvar, bound, mvars)
            return Forall("a✝", body)
        if cls is Imp and isinstance(term.left, TAscribe) and isinstance(term.left.term, TIdent) and \
                isinstance(term.left.type, TIdent) and term.left.type.name == "Prop":  # `(p : Prop) → φ`
            name = term.left.term.name
            return Forall(name, to_formula(term.right, is_var, fresh_mvar, bound | {name}, mvars))
        return cls(to_formula(term.left, is_var, fresh_mvar, bound, mvars),
                   to_formula(term.right, is_var, fresh_mvar, bound, mvars))
    if isinstance(term, TForall):
        body = to_formula(term.body, is_var, fresh_mvar, bound | set(term.names), mvars)
        for name in reversed(term.names):
            body = Forall(name, body, name in term.implicit)
        return body
    if isinstance(term, TApp) and isinstance(term.fn, TIdent):
        cls = {"Not": Not, "And": And, "Or": Or, "Iff": Iff}.get(term.fn.name)
        if cls is not None:
            arity = 1 if cls is Not else 2
            if len(term.args) == arity:
                return cls(*(to_formula(a, is_var, fresh_mvar, bound, mvars) for a in term.args))
    if isinstance(term, TSynth) and mvars is not None and term.name != "_":
        if term.name not in mvars:
            mvars[term.name] = MVar(-(len(mvars) + 1), term.name)
        return mvars[term.name]
    if isinstance(term, THole) and fresh_mvar is not None:
        return fresh_mvar()
    if isinstance(term, TAscribe):
        return to_formula(term.term, is_var, fresh_mvar, bound, mvars)
    raise TacticError(f"type expected, got\n  ({term.src})", term.pos)


def _free_var(name: str) -> bool:
    return name not in ("True", "False") and name not in KEYWORDS


def parse_formula(text: str, mvars: dict | None = None) -> Formula:
    """Parse a Lean 4 proposition (``p ∧ q → q ∧ p``); every identifier is a proposition variable.
    With ``mvars``, a proof state's metavariable ``?a`` is read too (see :func:`to_formula`)."""
    ts = text_stream(text)
    if ts.done():
        raise ParseError("unexpected end of input; expected term", pos=len(text))
    term = parse_term(ts)
    if not ts.done():
        raise ts.error_here("expected end of input")
    try:
        return to_formula(term, _free_var, mvars=mvars)
    except TacticError as e:
        raise ParseError(e.message, e.pos) from None
