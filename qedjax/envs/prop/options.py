"""Lean options (``set_option``) as the prop environment sees them.

``tactic.hygienic`` is honoured: with ``false``, the hypotheses that ``intro``/``intros`` and
``cases``/``induction`` create without a given name are accessible, named after their binders
(``a``, ``left``/``right``, ``h``, ``mp``/``mpr``) with Lean's ``LocalContext.getUnusedName`` suffixes
(``h_1``, ``h_2``) where the name is taken. ``push_neg.use_distrib`` is honoured too: with ``true``,
``push_neg`` turns ``¬(p ∧ q)`` into ``¬p ∨ ¬q`` instead of ``p → ¬q``. ``says.verify`` (Mathlib's
``tac says seq``): ``false`` runs ``seq`` only; with ``true`` Lean checks that ``tac`` suggests ``seq``,
which prop cannot reproduce, so such a ``says`` is refused. ``hygiene`` is honoured for the file's
tactic macros (``macros.py``): with ``false``, a macro declared after it writes plain names.
``autoImplicit`` and ``relaxedAutoImplicit`` are honoured for declaration headers (``autobound.py``).
Every other option, known to Lean or not, has no effect here and is reported with a warning that
names it: none is dropped silently.
"""

from __future__ import annotations

from qedjax.envs.prop.errors import TacticError

__all__ = ["HYGIENIC", "PUSH_NEG_DISTRIB", "SAYS_VERIFY", "HYGIENE", "DEFAULTS", "ATTRIBUTES", "option_value",
           "ignored_option", "AUTO_IMPLICIT", "RELAXED_AUTO_IMPLICIT", "HEADER_OPTIONS"]

HYGIENIC = "tactic.hygienic"
PUSH_NEG_DISTRIB = "push_neg.use_distrib"
SAYS_VERIFY = "says.verify"
HYGIENE = "hygiene"
DEFAULTS = {HYGIENIC: True, PUSH_NEG_DISTRIB: False, SAYS_VERIFY: False,
            HYGIENE: True}  # honoured options, Lean's defaults
ATTRIBUTES = {HYGIENIC: "hygienic", PUSH_NEG_DISTRIB: "push_neg_distrib",
              SAYS_VERIFY: "says_verify", HYGIENE: "macro_hygiene"}  # the Runner field of each
AUTO_IMPLICIT = "autoImplicit"
RELAXED_AUTO_IMPLICIT = "relaxedAutoImplicit"
HEADER_OPTIONS = (AUTO_IMPLICIT, RELAXED_AUTO_IMPLICIT)  # read by declaration headers, not by tactics


def option_value(name: str, raw: str, pos: int | None = None) -> bool | None:
    """The value of an honoured option (``None`` for an option prop ignores); TacticError on a value
    of the wrong type, as Lean's ``set_option`` reports it."""
    if name not in DEFAULTS and name not in HEADER_OPTIONS:
        return None
    if raw not in ("true", "false"):
        raise TacticError(f"set_option value type mismatch: `{name}` expects true or false, got `{raw}`", pos)
    return raw == "true"


def ignored_option(name: str) -> str:
    """The warning for an option the prop environment does not model."""
    return f"set_option {name}: the prop environment does not model this option; it has no effect here"
