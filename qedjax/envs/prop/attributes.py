"""A file's attributes (``@[simp] theorem …``, ``attribute [simp] foo``, ``attribute [local simp] foo``,
``attribute [-simp] foo``) as far as they change what prop's tactics do.

Lean 4 (``src/Lean/Elab/Declaration.lean`` and ``src/Lean/Elab/Attributes.lean``; the reference
manual's "Attributes"): ``@[attr] theorem t`` and ``attribute [attr] t`` give ``t`` the attribute;
``local`` ones end with their ``section``/``namespace``, and erasing one (``-simp``) is local too.

* ``simp``: the default simp set then holds a lemma of the file (or lacks one of Lean's). prop models
  Lean's own simp set only, so while such a change is in scope every ``simp``, ``simp_all``,
  ``simpa``, ``norm_num`` and ``dsimp`` that uses the default set is refused with the reason (``simp
  only [...]`` is unaffected). It is never dropped silently: a file lemma can make ``simp`` close a
  goal Lean's set alone leaves open, or loop where it closed one.
* ``simp`` on Lean core's natural-number arithmetic laws (:data:`NAT_ARITH`, ``attribute [local simp]
  Nat.mul_comm Nat.mul_assoc Nat.mul_left_comm`` in *Theorem Proving in Lean 4*, chapter "Tactics"):
  each is an equation between ``Nat`` terms (``n * m = m * n``), and simp rewrites a subterm only
  where the lemma's left-hand side matches it; every subterm of a propositional goal or hypothesis has
  type ``Prop``, so such a lemma never fires there and simp on propositions is Lean's own. Not so
  where the file declares a name of that list itself (the attribute may then name the file's own).
* attributes that change nothing prop models (:data:`INERT`: code generation, deprecation, linters,
  and those read only by tactics prop refuses anyway, such as ``ext``, ``aesop``, ``grind``): no effect.
* any other attribute (``refl``, ``symm``, ``trans``, ``induction_eliminator``, one prop does not
  know): while it is in scope prop refuses every declaration, naming it.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.lexer import TokenStream
from qedjax.errors import ParseError

__all__ = ["INERT", "NAT_ARITH", "Attribute", "FileAttributes", "parse_attributes"]

INERT = frozenset({
    "reducible", "irreducible", "semireducible", "instance", "default_instance", "inline", "noinline",
    "always_inline", "macro_inline", "specialize", "nospecialize", "deprecated", "nolint", "match_pattern",
    "pp_nodot", "inherit_doc", "export", "extern", "implemented_by", "csimp", "computed_field", "class",
    "to_additive", "simps", "ext", "aesop", "grind", "norm_cast", "push_cast", "gcongr", "mono", "positivity",
    "fun_prop", "continuity", "measurability", "elab_as_elim", "tactic", "command_elab", "term_elab",
    "macro", "coe", "congr", "symm_simps", "norm_num",
})


# Init/Data/Nat/Basic.lean (leanprover/lean4): `protected theorem Nat.add_comm : ∀ (n m : Nat), n + m =
# m + n`, `Nat.add_assoc`, `Nat.add_left_comm`, `Nat.mul_comm`, `Nat.mul_assoc`, `Nat.mul_left_comm`
# (`n * (m * k) = m * (n * k)`), `Nat.left_distrib`, `Nat.right_distrib`: equations between Nat terms
NAT_ARITH = frozenset({
    "Nat.add_comm", "Nat.add_assoc", "Nat.add_left_comm", "Nat.mul_comm", "Nat.mul_assoc", "Nat.mul_left_comm",
    "Nat.left_distrib", "Nat.right_distrib",
})


@dataclasses.dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    erase: bool  # `-simp`
    local: bool  # `local simp` (`scoped` counts as local here: it ends with its namespace)


def parse_attributes(ts: TokenStream) -> list[Attribute]:
    """``[attr, local attr, -attr, attr args…]`` at ``ts`` (the ``[`` included)."""
    ts.expect("[", "'['")
    out = []
    while True:
        erase = local = False
        if ts.at("-"):
            ts.take()
            erase = local = True
        if ts.at("local", "scoped"):
            ts.take()
            local = True
        name = ts.take()
        if name.kind != "ident":
            raise ParseError(f"unexpected token '{name.text}'; expected attribute name", pos=name.pos)
        depth = 0
        while not (depth == 0 and ts.at(",", "]")):  # the attribute's own arguments
            t = ts.take()
            depth += t.text in ("(", "[", "{")
            depth -= t.text in (")", "]", "}")
        out.append(Attribute(name.text, erase, local))
        if ts.take().text == "]":
            return out


class FileAttributes:
    """The attribute changes in scope: (scope depth, local, what, the command's words)."""

    def __init__(self, file_names: frozenset = frozenset()) -> None:
        self.changes: list[tuple[int, bool, str, str]] = []
        self.file_names = file_names  # the names the file declares (its own lemmas may shadow core's)

    def _nat_arith(self, names: list[str]) -> bool:
        """Whether ``names`` are all Lean core's Nat arithmetic laws, none of them the file's own."""
        return bool(names) and all(n in NAT_ARITH and n not in self.file_names
                                   and n.split(".")[-1] not in self.file_names for n in names)

    def apply(self, attrs: list[Attribute], names: list[str], depth: int) -> None:
        for a in attrs:
            if a.name in INERT or a.name == "simp" and self._nat_arith(names):
                continue
            what = "simp" if a.name == "simp" else "other"
            shown = f"{'-' if a.erase else ''}{'local ' if a.local and not a.erase else ''}{a.name}"
            self.changes.append((depth, a.local, what, f"[{shown}] {' '.join(names)}".rstrip()))

    def end_scope(self, depth: int) -> None:
        self.changes = [c for c in self.changes if not (c[1] and c[0] >= depth)]

    def simp_note(self) -> str:
        """Why the default simp set is not Lean's own here ("" when it is)."""
        return next((words for _, _, what, words in self.changes if what == "simp"), "")

    def refusal(self) -> str:
        """Why prop refuses proofs here ("" when it does not)."""
        words = next((words for _, _, what, words in self.changes if what == "other"), "")
        return f"the prop environment does not model the attribute in `attribute {words}`" if words else ""
