"""Patterns against propositions: constructors, bindings and Lean's coverage checks.

An inductive proposition has constructors (``And.intro``, ``Or.inl``/``Or.inr``, ``Iff.intro``,
``True.intro``; ``False`` has none). A pattern (``⟨a, b⟩``, ``.inl h``, ``h``, ``(h : t)``) is first
normalised against the type it matches (:func:`normalise_pattern`), then binds hypotheses
(:func:`pattern_bindings`); :func:`check_rows` is Lean's check that every alternative of a ``match``
is reachable and that the alternatives cover every case.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.state import Hyp
from qedjax.envs.prop.syntax import And, Bot, Formula, Iff, Imp, Or, Top, pp
from qedjax.envs.prop.terms import PAlts, PCtor, PTuple, PTyped, PVar
from qedjax.envs.prop.unify import defeq

__all__ = ["constructors", "ctor_fields", "ctor_name", "normalise_pattern", "pattern_bindings", "check_rows",
           "check_exhaustive", "Wild", "Con"]


def ctor_fields(e: Formula) -> list[Formula] | None:
    """Field types of the single constructor of ``e`` (``And``, ``Iff``, ``True``), else None."""
    if isinstance(e, And):
        return [e.left, e.right]
    if isinstance(e, Iff):
        return [Imp(e.left, e.right), Imp(e.right, e.left)]
    if isinstance(e, Top):
        return []
    return None


def ctor_name(e: Formula) -> str:
    return {And: "And.intro", Iff: "Iff.intro", Top: "True.intro"}.get(type(e), "?")


def constructors(t: Formula):
    """``[(ctor, field types, field names)]`` of an inductive proposition, None for opaque ones."""
    if isinstance(t, And):
        return [("intro", [t.left, t.right], ["left", "right"])]
    if isinstance(t, Iff):
        return [("intro", [Imp(t.left, t.right), Imp(t.right, t.left)], ["mp", "mpr"])]
    if isinstance(t, Or):
        return [("inl", [t.left], ["h"]), ("inr", [t.right], ["h"])]
    if isinstance(t, Top):
        return [("intro", [], [])]
    if isinstance(t, Bot):
        return []
    return None


@dataclasses.dataclass(frozen=True)
class Wild:
    name: str


@dataclasses.dataclass(frozen=True)
class Con:
    ctor: str
    args: tuple


_TYPE_NS = {And: "And", Iff: "Iff", Or: "Or", Top: "True", Bot: "False"}


def normalise_pattern(pat, ty: Formula, el, pos: int):
    """``pat`` matched against ``ty`` as :class:`Wild`/:class:`Con` (``el.prop`` reads typed patterns)."""
    if isinstance(pat, PVar):
        return Wild(pat.name)
    if isinstance(pat, PTyped):
        f = el.prop(pat.type) if el is not None else None
        if f is not None and not defeq(f, ty):
            raise TacticError(f"Type mismatch in pattern: expected\n  {pp(ty)}\nbut the pattern has type\n  "
                              f"{pp(f)}", pos)
        return normalise_pattern(pat.pat, ty, el, pos)
    cs = constructors(ty)
    if isinstance(pat, PTuple):
        fields = ctor_fields(ty)
        if fields is None:
            raise TacticError(f"Invalid `⟨...⟩` notation: The expected type\n  {pp(ty)}\nis not an inductive "
                              "type with exactly one constructor", pos)
        items = pat.items
        if len(items) > len(fields) and fields:
            items = items[:len(fields) - 1] + (PTuple(items[len(fields) - 1:]),)
        if len(items) != len(fields):
            raise TacticError(f"Invalid pattern: constructor `{ctor_name(ty)}` expects {len(fields)} "
                              f"arguments, but {len(items)} were provided", pos)
        return Con("intro", tuple(normalise_pattern(p, f, el, pos) for p, f in zip(items, fields)))
    if isinstance(pat, PCtor):
        name = pat.ctor
        ns = _TYPE_NS.get(type(ty))
        if name.startswith("."):
            short = name[1:]
        elif "." in name:
            head, _, short = name.rpartition(".")
            if head != ns:
                raise TacticError(f"Type mismatch in pattern: `{name}` is not a constructor of\n  {pp(ty)}", pos)
        else:
            raise TacticError(f"Invalid pattern: `{name}` is not a constructor in scope", pos)
        for ctor, ftypes, _ in cs or []:
            if ctor == short:
                if len(pat.args) != len(ftypes):
                    raise TacticError(f"Invalid pattern: constructor `{ns}.{ctor}` expects {len(ftypes)} "
                                      f"arguments, but {len(pat.args)} were provided", pos)
                return Con(ctor, tuple(normalise_pattern(p, f, el, pos) for p, f in zip(pat.args, ftypes)))
        raise TacticError(f"Type mismatch in pattern: `{name}` is not a constructor of\n  {pp(ty)}", pos)
    if isinstance(pat, PAlts):
        raise TacticError("alternative patterns `p | q` are not allowed here (use rcases/rintro)", pos)
    raise TacticError("invalid pattern", pos)


def pattern_bindings(p, ty: Formula, default: str) -> list[Hyp]:
    if isinstance(p, Wild):
        if p.name == "-":
            return []
        if p.name == "_":
            return [Hyp(default, ty, accessible=False)]
        return [Hyp(p.name, ty)]
    for ctor, ftypes, fnames in constructors(ty) or []:
        if ctor == p.ctor:
            out = []
            for sub, ft, fn in zip(p.args, ftypes, fnames):
                out.extend(pattern_bindings(sub, ft, fn))
            return out
    return []


def _useful(rows: list, q: list, types: list, split_empty: bool = True) -> bool:
    """Whether row ``q`` matches a value no row of ``rows`` matches. ``split_empty=False`` (the
    redundancy check) keeps a variable on an empty type (``hf : False``) a case of its own: Lean's
    match compiler binds it without splitting, so ``| Or.inr hf => …`` on ``p ∨ False`` is used."""
    if not types:
        return not rows
    cs = constructors(types[0])
    head = q[0]
    if isinstance(head, Con):
        for ctor, ftypes, _ in cs or []:
            if ctor == head.ctor:
                return _useful(_specialise(rows, ctor, len(ftypes)), list(head.args) + q[1:],
                               ftypes + types[1:], split_empty)
        return False
    used = {r[0].ctor for r in rows if isinstance(r[0], Con)}
    if cs is not None and (cs or split_empty) and all(c in used for c, _, _ in cs):
        return any(_useful(_specialise(rows, c, len(ft)), [Wild("_")] * len(ft) + q[1:], ft + types[1:],
                           split_empty) for c, ft, _ in cs)
    default = [r[1:] for r in rows if isinstance(r[0], Wild)]
    return _useful(default, q[1:], types[1:], split_empty)


def _specialise(rows: list, ctor: str, k: int) -> list:
    out = []
    for r in rows:
        if isinstance(r[0], Con):
            if r[0].ctor == ctor:
                out.append(list(r[0].args) + r[1:])
        else:
            out.append([Wild("_")] * k + r[1:])
    return out


def check_rows(rows: list, types: list, positions: list, pos: int) -> None:
    """Lean's match checks: every alternative is reachable and the alternatives cover all cases."""
    for i, row in enumerate(rows):
        if not _useful(rows[:i], row, types, split_empty=False):
            raise TacticError("Redundant alternative: Any expression matching this pattern will match one "
                              "of the preceding alternatives", positions[i])
    check_exhaustive(rows, types, pos)


def check_exhaustive(rows: list, types: list, pos: int) -> None:
    if _useful(rows, [Wild("_")] * len(types), types):
        raise TacticError("Missing cases:\n" + ", ".join("_" for _ in types), pos)

