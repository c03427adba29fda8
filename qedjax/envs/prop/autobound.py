"""Auto-bound implicits: Lean's ``autoImplicit`` option (``src/Lean/Elab/AutoBound.lean``).

With ``autoImplicit`` on (Lean's default, unless the project or the file turns it off), an unbound
identifier in a declaration's header becomes an implicit argument: ``example : p ∧ q ↔ q ∧ p`` with no
``q`` in scope is ``example {q : Sort u} : …``, and ``q ∧ …`` makes it a proposition. Which identifiers
qualify depends on ``relaxedAutoImplicit`` and on the Lean version: relaxed, any atomic name; strict, a
single character followed by digits, subscripts, ``_`` and ``'`` (lean4#2277, any case), or in later
versions one or more lower-case letters with that suffix (``isStrictAutoBoundIdentifier``); and the
default of ``relaxedAutoImplicit`` itself changed from ``true`` to ``false``. prop binds a name only where
every version agrees: any atomic name where the file or the caller sets ``relaxedAutoImplicit true``,
else a single lower-case letter with such a suffix (``p``, ``q₁``, ``α'``); a name some versions bind
and others do not is refused, saying why.

prop binds a name only where Lean's elaboration makes it a proposition: an operand of ``∧``, ``∨``, ``¬``
or ``↔`` somewhere in the header. Elsewhere (``(h : x) : x``, ``x → y``) Lean gives it a type ``Sort u``,
which prop does not model, so the header is refused rather than read over propositions.
"""

from __future__ import annotations

from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.lexer import KEYWORDS
from qedjax.envs.prop.syntax import And, Atom, Forall, Formula, Iff, Let, Not, Or

__all__ = ["AutoBound", "strict_auto_bound", "unbound_note"]


def _lower_letter_like(c: str) -> bool:
    """Lean's ``isLetterLikeLower``: ASCII lower case, Latin-1 lower letters, lower Greek but ``λ``."""
    v = ord(c)
    return ("a" <= c <= "z" or (0xDF <= v <= 0xFF and v != 0xF7) or (0x3B1 <= v <= 0x3C9 and v != 0x3BB)
            or (0x3CA <= v <= 0x3D1 and v != 0x3CF) or (0x3D5 <= v <= 0x3F5 and v & 1 == 1)
            or v in (0x3D6, 0x3F0, 0x3F2, 0x3F8, 0x3FB, 0x3FC))


def _suffix_char(c: str) -> bool:
    """Digits, subscripts (Lean's ``isSubScriptAlnum``), ``_`` and ``'``."""
    v = ord(c)
    return c.isdigit() or c in "_'" or 0x2080 <= v <= 0x2089 or (0x2090 <= v <= 0x209C and v != 0x2094) \
        or 0x1D62 <= v <= 0x1D6A


def _strict_new(name: str) -> bool:
    """Lean's later ``isStrictAutoBoundIdentifier``: lower-case letters, then the suffix characters."""
    stem = name.rstrip("".join(c for c in set(name) if _suffix_char(c)))
    return bool(stem) and all(_lower_letter_like(c) for c in stem)


def _strict_old(name: str) -> bool:
    """Earlier strict mode (``isValidAutoBoundSuffix``): one character of any case, then the suffix."""
    return bool(name) and all(_suffix_char(c) for c in name[1:])


def strict_auto_bound(name: str) -> bool:
    """Whether every Lean version binds ``name`` in strict mode: one lower-case letter, then digits,
    subscripts, ``_`` and ``'`` (``x``, ``q₁``, ``α'``)."""
    return "." not in name and _strict_old(name) and _strict_new(name)


def unbound_note(name: str) -> str:
    """The refusal where the project's ``autoImplicit`` is not known."""
    return (f"Unknown identifier `{name}` (Lean binds it as an implicit argument where the project leaves "
            f"the `autoImplicit` option on; the prop environment does not know the project's setting: "
            f"`set_option autoImplicit true` in the file, or the caller's auto-implicit option, says it)")


class AutoBound:
    """The auto-bound implicits of one header. ``relaxed``: Lean's ``relaxedAutoImplicit`` (``None``:
    not known, strict names only); ``is_constant(name)``: a name that resolves (never auto-bound)."""

    def __init__(self, relaxed: bool | None, is_constant=lambda name: False):
        self.relaxed = relaxed
        self.is_constant = is_constant
        self.names: list[str] = []  # in order of first occurrence, as Lean adds them
        self.refused: dict[str, str] = {}  # unbound names whose binding depends on an unknown setting

    def bind(self, name: str) -> bool:
        """Whether the unbound ``name`` becomes an auto-bound implicit (recorded)."""
        if name in self.names:
            return True
        if "." in name or name in KEYWORDS or self.is_constant(name):
            return False
        if not strict_auto_bound(name) and not self.relaxed:
            if self.relaxed is None:
                self.refused[name] = (f"Unknown identifier `{name}` (Lean binds it as an implicit argument "
                                      f"only where `relaxedAutoImplicit` is on, whose default differs between "
                                      f"Lean versions; the prop environment does not bind it)")
            elif _strict_old(name) or _strict_new(name):
                self.refused[name] = (f"Unknown identifier `{name}` (with `relaxedAutoImplicit` off, which "
                                      f"names Lean binds differs between versions; the prop environment does "
                                      f"not bind it)")
            return False
        self.names.append(name)
        return True

    def check_propositions(self, formulas: list[Formula]) -> None:
        """TacticError unless every auto-bound name is an operand of ``∧ ∨ ¬ ↔`` in ``formulas``."""
        forced: set[str] = set()
        for f in formulas:
            _forced(f, frozenset(), forced)
        for name in self.names:
            if name not in forced:
                raise TacticError(f"the auto-bound implicit `{name}` is not used as a proposition in the "
                                  f"header (Lean gives it a type `Sort u`, which the prop environment does not "
                                  f"model)")


def _forced(f: Formula, bound: frozenset, out: set) -> None:
    """Free variables of ``f`` that are operands of ``∧ ∨ ¬ ↔``."""
    if isinstance(f, Not):
        operands = (f.arg,)
    elif isinstance(f, (And, Or, Iff)):
        operands = (f.left, f.right)
    elif isinstance(f, Forall):
        _forced(f.body, bound | {f.var}, out)
        return
    elif isinstance(f, Let):
        return
    else:
        operands = ()
        for part in (getattr(f, "left", None), getattr(f, "right", None)):
            if part is not None:
                _forced(part, bound, out)
    for g in operands:
        if isinstance(g, Atom) and g.name not in bound:
            out.add(g.name)
        _forced(g, bound, out)
