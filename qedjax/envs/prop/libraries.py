"""Which library declares each tactic and lemma ``prop`` knows, and which libraries a file's imports bring.

Lean has no tactic and no constant that the file's imports do not declare: ``by tauto`` in a file that
imports nothing is a parse error (``tauto`` is Mathlib's), and ``not_not.mp h`` an unknown identifier
(``not_not`` is Mathlib's ``export Classical (not_not)``). ``qed prop check FILE`` reads the file's
``import`` lines (:func:`library_of_imports`): no import, or only Lean core's own modules (``Init``,
``Lean``) give Lean core; ``Batteries`` (and ``Std``, the name Batteries had before 2024; today's core
``Std`` declares none of the words below, so counting it as Batteries never refuses what Lean accepts)
give Batteries; ``Mathlib`` gives Mathlib, which imports Batteries. Any other module (a project's own,
``LoVe.LoVelib``, ``MIL.Common``) may import Mathlib itself, so the file's libraries are then not known
and everything stays available, as where there is no file at all (search, sessions, JSONL records,
the embedded benchmark): ``None`` below.

Where each word is declared (the others ``prop`` models are Lean core's: ``src/Init/Tactics.lean``,
``src/Init/RCases.lean`` with ``rcases``/``obtain``/``rintro``, ``src/Init/ByCases.lean``,
``src/Init/TacticsExtra.lean`` with ``iterate``, ``src/Init/Guard.lean``; leanprover/lean4 @
791e139397de95ad4a3177e44d814250a2b7d5ca for ``Init/RCases.lean``):

* Batteries (leanprover-community/batteries @ 45f65c8b8292f98a70a0eccb706f89bb3e69feab):
  ``Batteries/Tactic/Init.lean`` declares ``exacts``, ``by_contra``, ``absurd`` (the tactic; the
  term ``absurd`` is core's), ``split_ands``, ``fapply``, ``eapply`` and ``triv`` (which only fails with
  "`triv` has been removed"); ``Batteries/Tactic/PermuteGoals.lean`` ``pick_goal``, ``swap``,
  ``on_goal``; ``Batteries/Tactic/Lemma.lean`` the command ``lemma``.
* Mathlib (leanprover-community/mathlib4): ``Mathlib/Tactic/Cases.lean`` ``cases'``/``induction'``,
  ``Mathlib/Tactic/Tauto.lean`` ``tauto``, ``Mathlib/Tactic/ITauto.lean`` ``itauto``,
  ``Mathlib/Tactic/NormNum/Core.lean`` ``norm_num``, ``Mathlib/Tactic/PushNeg.lean`` ``push_neg``,
  ``Mathlib/Tactic/Push.lean`` ``push``, ``Mathlib/Tactic/Contrapose.lean`` ``contrapose``,
  ``Mathlib/Tactic/ByContra.lean`` ``by_contra!``, ``Mathlib/Tactic/Set.lean`` ``set``,
  ``Mathlib/Tactic/NthRewrite.lean`` ``nth_rewrite``/``nth_rw`` (its header imports ``Mathlib.Init``),
  ``Mathlib/Tactic/Use.lean`` ``use``, ``Mathlib/Tactic/Rename.lean`` ``rename'``.

Lemma names: the derived list (``data/lean_lemmas.json``) records each lemma's source file; those of
``Mathlib/Logic/Basic.lean`` are Mathlib's (among them ``not_not``, ``em``, ``by_contra``,
``not_imp``, ``not_and_or``, ``imp_iff_not_or``), as is ``Classical.by_contradiction`` (Mathlib's
``alias by_contradiction := byContradiction`` in ``namespace Classical``; core declares
``Classical.byContradiction``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Iterable

_DERIVED_LEMMAS = Path(__file__).parent / "data" / "lean_lemmas.json"  # decls.DERIVED_LEMMAS

__all__ = ["CORE", "BATTERIES", "MATHLIB", "LIBRARY_NAMES", "TACTIC_LIBRARY", "COMMAND_LIBRARY",
           "library_of_imports", "tactic_available", "outside", "command_refusal", "hidden_constants"]

CORE, BATTERIES, MATHLIB = 0, 1, 2
LIBRARY_NAMES = {CORE: "Lean core", BATTERIES: "Batteries", MATHLIB: "Mathlib"}

# the root of a module name -> the library importing it brings
_ROOTS = {"Init": CORE, "Lean": CORE, "Std": BATTERIES, "Batteries": BATTERIES, "Mathlib": MATHLIB}

TACTIC_LIBRARY: dict[str, int] = {
    **dict.fromkeys(("exacts", "by_contra", "absurd", "split_ands", "fapply", "eapply", "triv", "pick_goal",
                     "swap", "on_goal"), BATTERIES),
    **dict.fromkeys(("cases'", "induction'", "tauto", "itauto", "itauto!", "norm_num", "push_neg", "push",
                     "contrapose", "contrapose!", "by_contra!", "set", "nth_rewrite", "nth_rw", "use",
                     "rename'"), MATHLIB),
}
COMMAND_LIBRARY: dict[str, int] = {"lemma": BATTERIES}

_MATHLIB_CONSTANTS = frozenset({"Classical.by_contradiction"})


def library_of_imports(modules: Iterable[str]) -> int | None:
    """The largest library the imports ``modules`` bring (CORE for none), None where a module is not of
    a known library (a project's own module may import anything)."""
    level = CORE
    for m in modules:
        root = m.split(".")[0]
        if root not in _ROOTS:
            return None
        level = max(level, _ROOTS[root])
    return level


def tactic_available(name: str, level: int | None) -> bool:
    """Whether the tactic word ``name`` is declared under imports that bring ``level`` (None: not known)."""
    return level is None or TACTIC_LIBRARY.get(name, CORE) <= level


def outside(ts, library: int) -> bool:
    """Whether the file ``ts`` reads (its macro table carries the imports' level) lacks ``library``."""
    level = getattr(ts.macros, "library", None)
    return level is not None and level < library


def command_refusal(keyword: str, level: int | None) -> str | None:
    """Lean's error for a declaration command the imports do not declare (``lemma`` without
    Batteries, ``Batteries/Tactic/Lemma.lean``: the word is then an identifier), else None."""
    need = COMMAND_LIBRARY.get(keyword)
    if need is None or level is None or level >= need:
        return None
    return (f"unexpected identifier; expected command (`{keyword}` is declared by {LIBRARY_NAMES[need]}, "
            f"which the file does not import)")


@functools.lru_cache(maxsize=4)
def hidden_constants(level: int | None) -> frozenset[str]:
    """The library constants ``prop`` knows that imports bringing ``level`` do not declare."""
    if level is None or level >= MATHLIB:
        return frozenset()
    rows = json.loads(_DERIVED_LEMMAS.read_text(encoding="utf-8"))["lemmas"]
    return frozenset(r["name"] for r in rows if r["source"].startswith("leanprover-community/mathlib4:")) \
        | _MATHLIB_CONSTANTS
