"""Lean 4 terms over propositions: the syntax tree of terms and of the patterns they bind.

One term language serves proofs and propositions, as in Lean: ``p ∧ q → r`` and ``⟨hp, hq⟩`` are both
terms. ``term_parser.py`` builds these nodes from tokens, ``syntax.to_formula`` reads a term as a
proposition and the elaborator (``elab.py``) reads it as a proof. Every node keeps its source offset
``pos`` and its source text ``src`` (whitespace collapsed) for Lean's error messages.
"""

from __future__ import annotations

import dataclasses
from typing import Union

from qedjax.envs.prop.errors import TacticError
from qedjax.errors import ParseError

# Lean's notation table for the binary operators of terms (term_parser.py).
# op -> (precedence, required precedence of the left operand, precedence of the right operand)
BINOPS = {
    "∧": (35, 36, 35), "/\\": (35, 36, 35),
    "∨": (30, 31, 30), "\\/": (30, 31, 30),
    "→": (25, 26, 25), "->": (25, 26, 25),
    "↔": (20, 21, 21), "<->": (20, 21, 21),
    "=": (50, 51, 51), "≠": (50, 51, 51),
    "▸": (75, 76, 75), "∘": (90, 91, 90),
    "<|": (10, 11, 10), "$": (10, 11, 10), "|>": (10, 10, 11),
}
CANONICAL_OPS = {"/\\": "∧", "\\/": "∨", "->": "→", "<->": "↔", "$": "<|"}

# ------------------------------------------------------------------------------------------ AST

@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Term:
    pos: int
    src: str


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TIdent(Term):
    name: str
    explicit: bool = False  # written with `@`


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TApp(Term):
    fn: Term
    args: tuple


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TProj(Term):
    term: Term
    field: str


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TAnon(Term):
    items: tuple


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Binder:
    pat: Pattern
    type: Term | None
    implicit: bool = False  # `{x}`/`⦃x⦄`: blocks Lean's implicit lambda (`blockImplicitLambda`)


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TNamed(Term):
    """A named argument ``(name := value)`` of an application (``src`` is the name)."""
    value: Term


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TFun(Term):
    binders: tuple  # of Binder
    body: Term


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Alt:
    pats: tuple  # one pattern per discriminant
    rhs: object  # Term (term-level match) or a tactic block (tactic-level match)
    pos: int


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TFunAlts(Term):
    alts: tuple


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TMatch(Term):
    discrs: tuple
    alts: tuple


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TNomatch(Term):
    discr: Term


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class THole(Term):
    pass


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TSynth(Term):
    name: str  # "_" for `?_`


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TBy(Term):
    block: object  # blocks.Seq


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TShow(Term):
    type: Term
    proof: Term  # `from e` or a TBy


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class THave(Term):
    pat: Pattern
    type: Term | None
    value: Term
    body: Term
    let: bool = False  # written `let`: the value stays visible, which only a proposition's value shows


def let_of_a_proposition(term: THave, to_prop) -> bool:
    """Whether a `let` term binds a proposition (its type is a sort, or its value reads as a proposition
    by ``to_prop``). A `let` of a proof is a `have` whose value stays visible, and no proof can tell
    (proofs of a proposition are definitionally equal); a proposition's visible value is not modelled."""
    if term.type is not None:
        return isinstance(term.type, TIdent) and term.type.name in ("Prop", "Sort", "Type")
    try:
        to_prop(term.value)
    except (TacticError, ParseError):
        return False
    return True


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TSuffices(Term):
    name: str
    type: Term
    proof: Term  # proves the original goal using `name`
    body: Term  # proves `type`


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TAscribe(Term):
    term: Term
    type: Term


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TAssum(Term):
    type: Term


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TBin(Term):
    op: str
    left: Term
    right: Term


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TNot(Term):
    arg: Term


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TForall(Term):
    names: tuple
    body: Term
    implicit: tuple = ()  # the names bound in braces: `∀ {p q : Prop}, …`


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TDot(Term):
    name: str  # `.inl`


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class TUnsupported(Term):
    what: str


# patterns (rcases / rintro / obtain / intro / fun / match)
@dataclasses.dataclass(frozen=True, slots=True)
class PVar:
    name: str  # "_" inaccessible, "-" clear


@dataclasses.dataclass(frozen=True, slots=True)
class PTuple:
    items: tuple


@dataclasses.dataclass(frozen=True, slots=True)
class PAlts:
    alts: tuple


@dataclasses.dataclass(frozen=True, slots=True)
class PCtor:
    ctor: str  # full or dotted constructor name: "Or.inl", ".inl", "inl"
    args: tuple


@dataclasses.dataclass(frozen=True, slots=True)
class PTyped:
    pat: Pattern
    type: Term


Pattern = Union[PVar, PTuple, PAlts, PCtor, PTyped]


def pi_over(binders, ty: Term) -> Term:
    """The type of ``have h (x : a) … : ty``: ``a → …`` (``∀ (x : Prop), …`` for a binder over Prop), as
    Lean elaborates ``have h (x : a) : t := v`` as ``have h : a → t := fun (x : a) => v``."""
    for b in reversed(binders):
        if isinstance(b.type, TIdent) and b.type.name == "Prop":
            ty = TForall(b.type.pos, f"∀ ({b.pat.name} : Prop), {ty.src}", (b.pat.name,), ty)
        else:
            ty = TBin(b.type.pos, f"{b.type.src} → {ty.src}", "→", b.type, ty)
    return ty


def abstract_have(binders, value: Term) -> Term:
    """The value of ``have h (x : a) … : t := value``: ``fun (x : a) … => value``."""
    return TFun(value.pos, value.src, tuple(binders), value) if binders else value
