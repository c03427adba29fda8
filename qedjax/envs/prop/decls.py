"""Declaration headers (``theorem t (p q : Prop) (h : p) : q ∨ p``) and the library of lemmas.

A header becomes a :class:`Scheme`: its parameters (proposition variables, hypotheses; explicit
or implicit) and its conclusion. A scheme is both the initial goal of a theorem and the type of a
constant a proof may use (``And.intro``, ``Or.elim``, ``absurd``, ``not_not``, or an earlier theorem
of the same file). :data:`LIBRARY` holds the propositional lemmas of Lean 4 core and Mathlib: those
``scripts/prop_lemmas.py`` derives from ``Init/PropLemmas.lean``, ``Init/Core.lean``, ``Init/SimpLemmas.lean`` and
``Mathlib/Logic/Basic.lean`` (vendored in ``data/lean_lemmas.json`` with their sources and licence),
plus a hand-kept kernel of the constructors, projections and simp lemmas those files build on,
written as their Lean signatures.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.lexer import KEYWORDS, TokenStream
from qedjax.envs.prop.namespaces import open_candidates
from qedjax.envs.prop.parser import text_stream
from qedjax.envs.prop.syntax import Forall, Formula, atoms, to_formula
from qedjax.envs.prop.term_parser import parse_term
from qedjax.envs.prop.terms import TForall, TIdent
from qedjax.errors import ParseError

__all__ = ["Param", "Scheme", "parse_header", "parse_signature", "LIBRARY", "Library", "header_vars",
           "kernel_signatures", "derived_signatures", "DERIVED_LEMMAS", "parse_prop_def"]


@dataclasses.dataclass(frozen=True, slots=True)
class Param:
    """A parameter: a proposition variable (``dom is None``) or a hypothesis of type ``dom``."""

    name: str
    dom: Formula | None
    implicit: bool = False

    @property
    def is_prop(self) -> bool:
        return self.dom is None


@dataclasses.dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    params: tuple
    concl: Formula
    protected: bool = False  # a `protected` theorem: reached by its full name only, never by a namespace
    # a theorem of the file whose proof failed or used `sorry`: Lean adds it with `sorryAx` as its value,
    # so a later proof may cite it without an error, but that proof is then not a proof either
    unproved: bool = False

    def prop_names(self) -> list[str]:
        return [p.name for p in self.params if p.is_prop]


def parse_binders(ts: TokenStream, declared: dict[str, bool], allow_implicit: bool = True,
                  auto=None) -> list[Param]:
    """Binder groups ``(a b : Prop)``, ``{a : Prop}``, ``(h : p ∧ q)`` up to the header's ``:``.

    ``declared`` maps proposition variables in scope to True; new ones are added as they appear.
    ``auto`` (an :class:`~qedjax.envs.prop.autobound.AutoBound`) binds unbound names where Lean would.
    """
    params: list[Param] = []
    while ts.at("(", "{", "⦃", "["):
        open_tok = ts.take()
        if open_tok.text == "[":
            raise ParseError("instance binders are not supported by the prop environment", pos=open_tok.pos)
        close = {"(": ")", "{": "}", "⦃": "⦄"}[open_tok.text]
        implicit = open_tok.text != "("
        names = []
        while ts.peek() is not None and (ts.peek().kind == "ident" and ts.peek().text not in KEYWORDS
                                         or ts.at("_")):
            names.append(ts.take().text)
        if not names:
            raise ts.error_here("expected identifier")
        ts.expect(":", "':'")
        with ts.no_layout():
            ty_term = parse_term(ts)
        ts.expect(close, f"'{close}'")
        if implicit and not allow_implicit:
            raise ParseError("implicit binders are not allowed here", pos=open_tok.pos)
        if _is_prop_sort(ty_term):
            for n in names:
                params.append(Param(n, None, implicit))
                declared[n] = True
        else:
            f = _formula(ty_term, declared, auto)
            for n in names:
                params.append(Param(n, f, implicit))
    return params


def _is_prop_sort(term) -> bool:
    if isinstance(term, TIdent) and term.name in ("Type", "Sort"):
        raise ParseError("the prop environment has proposition variables only (`Prop`), not types",
                         pos=term.pos)
    return isinstance(term, TIdent) and term.name == "Prop"


def _formula(term, declared: dict[str, bool], auto=None) -> Formula:
    try:
        return to_formula(term, lambda n: n in declared or auto is not None and auto.bind(n))
    except TacticError as e:
        raise ParseError(e.message, e.pos) from None


def parse_header(ts: TokenStream, declared: dict[str, bool] | None = None,
                 implicit_out: list | None = None, auto=None) -> tuple[list[Param], Formula]:
    """Binders then ``: type`` (stops before ``:=`` or at the end of the stream). ``implicit_out``
    receives the names of the type's leading implicit binders (``: ∀ {p q : Prop}, …``); ``auto`` (an
    :class:`~qedjax.envs.prop.autobound.AutoBound`) records the auto-bound implicits, which must be
    propositions."""
    declared = dict(declared or {})
    params = parse_binders(ts, declared, auto=auto)
    if not ts.at(":"):
        raise ts.error_here("expected ':'")
    ts.take()
    with ts.no_layout():
        ty_term = parse_term(ts)
    t = ty_term
    while implicit_out is not None and isinstance(t, TForall) and set(t.names) <= set(t.implicit):
        implicit_out.extend(t.names)
        t = t.body
    concl = _formula(ty_term, declared, auto)
    if auto is not None and auto.names:
        try:
            auto.check_propositions([p.dom for p in params if p.dom is not None] + [concl])
        except TacticError as e:
            raise ParseError(e.message, ty_term.pos) from None
    return params, concl


def parse_prop_def(ts: TokenStream, defs) -> tuple[str, Formula]:
    """``NAME : Prop := body`` after ``def``/``abbrev``: a closed proposition (its atoms are earlier such
    definitions ``defs``, or bound by its own ``∀``); ParseError for anything else."""
    name = ts.take()
    if name.kind != "ident" or name.text in KEYWORDS:
        raise ParseError("expected a definition's name", pos=name.pos)
    ts.expect(":", "':'")
    if not ts.at("Prop"):
        raise ts.error_here("expected 'Prop'")
    ts.take()
    ts.expect(":=", "':='")
    with ts.no_layout():
        body = parse_term(ts)
    if not ts.done():
        raise ts.error_here("expected command")
    return name.text, _formula(body, {n: True for n in defs})


def peel_implicit(names: list[str], concl: Formula) -> tuple[list[Param], Formula]:
    """``∀ {p q : Prop}, t`` as the parameters ``{p q : Prop}`` and ``t``: the same type (Lean's
    ``theorem h {p : Prop} : t`` has type ``∀ {p : Prop}, t``), so uses of the theorem fill them in."""
    params = []
    for n in names:
        if not (isinstance(concl, Forall) and concl.var == n):
            return [], concl
        params.append(Param(n, None, implicit=True))
        concl = concl.body
    return params, concl


def header_vars(params: list[Param], concl: Formula) -> set[str]:
    """Names the header mentions (used to decide which `variable`s a theorem includes)."""
    out: set[str] = set()
    for p in params:
        out.add(p.name)
        if p.dom is not None:
            out.update(atoms(p.dom))
    out.update(atoms(concl))
    return out


# ----------------------------------------------------------------------------------- library

# The kernel: Lean 4 core's constructors, projections and recursors (Init/Prelude.lean, Init/Core.lean;
# the structural recursors `Or.rec`, `And.rec`, `Iff.rec` and their `casesOn` with the motive constant, as
# every proposition here instantiates it: a formula cannot mention the proof the motive takes),
# the propositional theorems of Init/Core.lean's `iff_def` … `imp_congr` block (leanprover/lean4 @ f4a05a01,
# section `variable {a b c d : Prop}`; the derived list's Core.lean part is older and lacks them),
# simp lemmas (Init/SimpLemmas.lean), Classical (Init/Classical.lean) and a few Mathlib names
# (Mathlib/Logic/Basic.lean), restricted to Prop. The derived list (data/lean_lemmas.json) adds to it.
_LIBRARY_TEXT = r"""
trivial : True
True.intro : True
id {α : Prop} (a : α) : α
flip {α β φ : Prop} (f : α → β → φ) : β → α → φ
And.intro {a b : Prop} (left : a) (right : b) : a ∧ b
And.left {a b : Prop} (self : a ∧ b) : a
And.right {a b : Prop} (self : a ∧ b) : b
And.symm {a b : Prop} : a ∧ b → b ∧ a
And.elim {a b α : Prop} (f : a → b → α) (h : a ∧ b) : α
and_comm {a b : Prop} : a ∧ b ↔ b ∧ a
and_assoc {a b c : Prop} : (a ∧ b) ∧ c ↔ a ∧ b ∧ c
Or.inl {a b : Prop} (h : a) : a ∨ b
Or.inr {a b : Prop} (h : b) : a ∨ b
Or.intro_left {a : Prop} (b : Prop) (h : a) : a ∨ b
Or.intro_right {b : Prop} (a : Prop) (h : b) : a ∨ b
Or.elim {a b c : Prop} (h : a ∨ b) (left : a → c) (right : b → c) : c
iff_def {a b : Prop} : (a ↔ b) ↔ (a → b) ∧ (b → a)
iff_def' {a b : Prop} : (a ↔ b) ↔ (b → a) ∧ (a → b)
iff_not_self {a : Prop} : ¬(a ↔ ¬a)
true_iff_false : (True ↔ False) ↔ False
false_iff_true : (False ↔ True) ↔ False
not_not_of_not_imp {a b : Prop} : ¬(a → b) → ¬¬a
not_of_not_imp {b a : Prop} : ¬(a → b) → ¬b
imp_not_self {a : Prop} : (a → ¬a) ↔ ¬a
imp_intro {α β : Prop} (h : α) : β → α
imp_iff_right {b a : Prop} (ha : a) : (a → b) ↔ b
true_imp_iff {α : Prop} : (True → α) ↔ α
imp_self {a : Prop} : (a → a) ↔ True
imp_false {a : Prop} : (a → False) ↔ ¬a
imp.swap {a b c : Prop} : (a → b → c) ↔ (b → a → c)
imp_not_comm {a b : Prop} : (a → ¬b) ↔ (b → ¬a)
imp_congr_left {a b c : Prop} (h : a ↔ b) : (a → c) ↔ (b → c)
imp_congr {a b c d : Prop} (h₁ : a ↔ c) (h₂ : b ↔ d) : (a → b) ↔ (c → d)
not_true : (¬True) ↔ False
not_false_iff : (¬False) ↔ True
of_iff_true {a : Prop} (h : a ↔ True) : a
iff_true_intro {a : Prop} (h : a) : a ↔ True
not_of_iff_false {p : Prop} : (p ↔ False) → ¬p
iff_false_intro {a : Prop} (h : ¬a) : a ↔ False
not_iff_false_intro {a : Prop} (h : a) : ¬a ↔ False
iff_iff_eq {a b : Prop} : (a ↔ b) ↔ a = b
eq_iff_iff {a b : Prop} : (a = b) ↔ (a ↔ b)
Eq.to_iff {a b : Prop} : a = b → (a ↔ b)
iff_of_eq {a b : Prop} : a = b → (a ↔ b)
false_of_true_iff_false (h : True ↔ False) : False
Or.rec {a b motive : Prop} (inl : a → motive) (inr : b → motive) (t : a ∨ b) : motive
Or.casesOn {a b motive : Prop} (t : a ∨ b) (inl : a → motive) (inr : b → motive) : motive
And.rec {a b motive : Prop} (intro : a → b → motive) (t : a ∧ b) : motive
And.casesOn {a b motive : Prop} (t : a ∧ b) (intro : a → b → motive) : motive
Iff.rec {a b motive : Prop} (intro : (a → b) → (b → a) → motive) (t : a ↔ b) : motive
Iff.casesOn {a b motive : Prop} (t : a ↔ b) (intro : (a → b) → (b → a) → motive) : motive
Or.symm {a b : Prop} : a ∨ b → b ∨ a
Or.comm {a b : Prop} : a ∨ b ↔ b ∨ a
or_comm {a b : Prop} : a ∨ b ↔ b ∨ a
or_assoc {a b c : Prop} : (a ∨ b) ∨ c ↔ a ∨ b ∨ c
Or.resolve_left {a b : Prop} (h : a ∨ b) (na : ¬a) : b
Or.resolve_right {a b : Prop} (h : a ∨ b) (nb : ¬b) : a
Or.imp {a c b d : Prop} (f : a → c) (g : b → d) (h : a ∨ b) : c ∨ d
Or.imp_left {a b c : Prop} (f : a → b) : a ∨ c → b ∨ c
Or.imp_right {b c a : Prop} (f : b → c) : a ∨ b → a ∨ c
Iff.intro {a b : Prop} (mp : a → b) (mpr : b → a) : a ↔ b
Iff.mp {a b : Prop} (self : a ↔ b) : a → b
Iff.mpr {a b : Prop} (self : a ↔ b) : b → a
iff_comm {a b : Prop} : (a ↔ b) ↔ (b ↔ a)
Iff.of_eq {a b : Prop} (h : a = b) : a ↔ b
iff_of_true {a b : Prop} (ha : a) (hb : b) : a ↔ b
iff_of_false {a b : Prop} (ha : ¬a) (hb : ¬b) : a ↔ b
absurd {a b : Prop} (h₁ : a) (h₂ : ¬a) : b
False.elim {C : Prop} (h : False) : C
Not.elim {a α : Prop} (H1 : ¬a) (H2 : a) : α
Not.eq_1 (a : Prop) : (¬a) = (a → False)
Not.eq_def (a : Prop) : (¬a) = (a → False)
Not.intro {a : Prop} (h : a → False) : ¬a
Not.imp {a b : Prop} (H2 : ¬a) (H1 : b → a) : ¬b
Classical.em (p : Prop) : p ∨ ¬p
em (p : Prop) : p ∨ ¬p
Classical.byContradiction {p : Prop} (h : ¬p → False) : p
Classical.by_contradiction {p : Prop} (h : ¬p → False) : p
Classical.byCases {p q : Prop} (hpq : p → q) (hnpq : ¬p → q) : q
Classical.not_not {a : Prop} : ¬¬a ↔ a
not_not {a : Prop} : ¬¬a ↔ a
not_and {a b : Prop} : ¬(a ∧ b) ↔ (a → ¬b)
and_imp {a b c : Prop} : (a ∧ b → c) ↔ (a → b → c)
and_self (p : Prop) : (p ∧ p) = p
or_self (p : Prop) : (p ∨ p) = p
and_true (p : Prop) : (p ∧ True) = p
true_and (p : Prop) : (True ∧ p) = p
and_false (p : Prop) : (p ∧ False) = False
false_and (p : Prop) : (False ∧ p) = False
or_true (p : Prop) : (p ∨ True) = True
true_or (p : Prop) : (True ∨ p) = True
or_false (p : Prop) : (p ∨ False) = p
false_or (p : Prop) : (False ∨ p) = p
iff_self (p : Prop) : (p ↔ p) = True
iff_true (p : Prop) : (p ↔ True) = p
true_iff (p : Prop) : (True ↔ p) = p
iff_false (p : Prop) : (p ↔ False) = ¬p
false_iff (p : Prop) : (False ↔ p) = ¬p
false_implies (p : Prop) : (False → p) = True
true_implies (p : Prop) : (True → p) = p
not_false_eq_true : (¬False) = True
not_true_eq_false : (¬True) = False
propext {a b : Prop} : (a ↔ b) → a = b
Eq.mp {α β : Prop} (h : α = β) (a : α) : β
Eq.mpr {α β : Prop} (h : α = β) (b : β) : α
Eq.symm {a b : Prop} (h : a = b) : b = a
Eq.trans {a b c : Prop} (h₁ : a = b) (h₂ : b = c) : a = c
Eq.refl (a : Prop) : a = a
rfl {a : Prop} : a = a
of_eq_true {p : Prop} (h : p = True) : p
eq_true {p : Prop} (h : p) : p = True
eq_false {p : Prop} (h : ¬p) : p = False
"""


def parse_signature(line: str) -> Scheme:
    """A library line ``name binders : type``."""
    ts = text_stream(line)
    name = ts.take().text
    params, concl = parse_header(ts)
    if not ts.done():
        raise ParseError(f"trailing tokens in library signature {line!r}")
    return Scheme(name, tuple(params), concl)


DERIVED_LEMMAS = Path(__file__).parent / "data" / "lean_lemmas.json"


def kernel_signatures() -> list[str]:
    return _LIBRARY_TEXT.strip().splitlines()


def derived_signatures() -> list[str]:
    """The derived lemmas' signatures, in the vendored file's order."""
    return [row["signature"] for row in json.loads(DERIVED_LEMMAS.read_text(encoding="utf-8"))["lemmas"]]


@functools.lru_cache(maxsize=1)
def _core() -> dict[str, Scheme]:
    out = {}
    for line in kernel_signatures() + derived_signatures():  # a derived lemma replaces a kernel one
        s = parse_signature(line)
        out[s.name] = s
    return out


def unproved_note(name: str) -> str:
    """Why a proof citing ``name`` (a theorem of the file that failed or used ``sorry``) is no proof:
    Lean elaborates the citation without a message, but the value then depends on ``sorryAx``."""
    return f"declaration depends on '{name}', which failed or uses 'sorry' (its value is 'sorryAx')"


class Library:
    """Constants a proof may cite: the core library plus theorems declared earlier in a file, with
    Lean's name resolution for ``namespace`` and ``open``."""

    def __init__(self, extra: dict[str, Scheme] | None = None, opens: tuple[str, ...] = (),
                 namespace: str = "", hidden: frozenset[str] = frozenset()):
        self.extra = dict(extra or {})
        self.opens = opens
        self.namespace = namespace
        self.hidden = hidden  # library constants the file's imports do not declare (libraries.py)
        self.cited_unproved: list[str] = []  # unproved theorems of the file that a lookup found

    def declares(self, name: str) -> bool:
        """Whether the full name ``name`` is taken: a theorem of the file, or a library constant the
        file's imports declare (Lean's ``checkNotAlreadyDeclared``)."""
        return name in self.extra or (name in _core() and name not in self.hidden)

    def get(self, name: str) -> Scheme | None:
        candidates = []
        ns = self.namespace
        while ns:
            candidates.append(f"{ns}.{name}")
            ns = ns.rpartition(".")[0]
        candidates.append(name)
        candidates.extend(open_candidates(self.opens, name))
        core = _core()
        for c in candidates:
            s = self.extra.get(c) or (core.get(c) if c not in self.hidden else None)
            if s is not None and (c == name or not s.protected):
                if s.unproved:
                    self.cited_unproved.append(s.name)
                return s
        if name.startswith("_root_."):
            return self.get(name[len("_root_."):])
        return None

    def resolve(self, name: str) -> list[Scheme]:
        """Every constant ``name`` denotes, as Lean's ``resolveGlobalName`` finds them: those of the
        current namespace and its parents if any, else the root name and the opened namespaces' names
        together (an application then tries each: ``Elab.overloaded``)."""
        if name.startswith("_root_."):
            s = self.get(name)
            return [s] if s is not None else []
        core = _core()

        def find(c: str) -> Scheme | None:
            s = self.extra.get(c) or (core.get(c) if c not in self.hidden else None)
            if s is not None and s.unproved and (c == name or not s.protected):
                self.cited_unproved.append(s.name)
            return s if s is not None and (c == name or not s.protected) else None

        out, ns = [], self.namespace
        while ns:
            if (s := find(f"{ns}.{name}")) is not None:
                out.append(s)
            ns = ns.rpartition(".")[0]
        if out:
            return out
        for c in [name] + open_candidates(self.opens, name):
            if (s := find(c)) is not None and all(s.name != t.name for t in out):
                out.append(s)
        return out

    def with_theorem(self, scheme: Scheme) -> Library:
        lib = Library(self.extra, self.opens, self.namespace, self.hidden)
        lib.extra[scheme.name] = scheme
        return lib


LIBRARY = Library()
