"""The structural recursors ``Or.rec``, ``And.rec``, ``Iff.rec`` and their ``casesOn``.

The library states them with a constant motive (``motive : Prop``), which every proposition here
instantiates; Lean's motive is a function of the major premise (``motive : a ∨ b → Prop``,
Init/Prelude.lean) that ``elab_as_elim`` (Lean/Elab/App.lean) computes from the expected type. So
``@Or.rec p q r`` and ``(motive := r)`` are type mismatches in Lean, and an application elaborated without
an expected type (``have := Or.rec f g h``; ``apply Or.rec f g h``, whose term ``apply`` elaborates without
one) fails with "failed to elaborate eliminator, expected type is not available". ``apply Or.rec`` (an
identifier, which ``elabTermForApply`` resolves as a constant) and ``Or.rec f g`` against ``a ∨ b → c``
are accepted, as Lean does.
"""

from __future__ import annotations

from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.terms import TNamed

__all__ = ["is_recursor", "check_eliminator"]


def is_recursor(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in ("rec", "casesOn")


def check_eliminator(term, fn, args, expected, explicit: bool) -> None:
    """Refuse a recursor application that Lean does not elaborate as above."""
    named = {a.src for a in args if isinstance(a, TNamed)}
    if explicit or "motive" in named:
        raise TacticError(f"Application type mismatch: the motive of `{fn.name}` is a function of the "
                          "major premise, not a proposition", term.pos)
    if expected is None:
        raise Unsupported(f"failed to elaborate eliminator, expected type is not available (`{fn.name}` "
                          "needs the type it is expected to have)", term.pos)
