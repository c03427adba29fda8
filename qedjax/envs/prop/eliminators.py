"""The structural recursors ``Or.rec``, ``And.rec``, ``Iff.rec`` and their ``casesOn``.

The library states them with a constant motive (``motive : Prop``), which every proposition here
instantiates; Lean's motive is a function of the major premise (``motive : a ∨ b → Prop``,
Init/Prelude.lean) that ``elab_as_elim`` (Lean/Elab/App.lean) computes from the expected type. So
``@Or.rec p q r`` and ``(motive := r)`` are type mismatches in Lean, and without an expected type (``have
:= Or.rec f g h``, ``apply``, which elaborates its term without one) or with the major premise missing,
Lean fails to elaborate the eliminator. Only the fully applied form against a known type is modelled.
"""

from __future__ import annotations

from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.terms import TNamed

__all__ = ["is_recursor", "check_eliminator"]


def is_recursor(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in ("rec", "casesOn")


def check_eliminator(el, term, fn, ftype, args, expected, explicit: bool, self_arg) -> None:
    """Refuse a recursor application that Lean does not elaborate as above (``h.rec``, generalized field
    notation, is not modelled either)."""
    named = {a.src for a in args if isinstance(a, TNamed)}
    if explicit or "motive" in named:
        raise TacticError(f"Application type mismatch: the motive of `{fn.name}` is a function of the "
                          "major premise, not a proposition", term.pos)
    n_explicit = 0
    t = ftype
    while t is not None and (pi := el.as_pi(t)) is not None:
        if not pi.implicit:
            n_explicit += 1
        t = pi.body
    positional = sum(1 for a in args if not isinstance(a, TNamed))
    if expected is None or self_arg is not None or ftype is None or positional + len(named) < n_explicit:
        raise Unsupported(f"failed to elaborate eliminator, expected type is not available (the prop "
                          f"environment models `{fn.name}` fully applied against a known type only)", term.pos)
