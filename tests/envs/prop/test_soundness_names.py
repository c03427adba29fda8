"""Soundness of names, scope and layout: texts that Lean 4 rejects (or that Lean elaborates without a
message but that are no proof) stay unproved, next to the variants that Lean accepts. Each test names
the rule of Lean's sources behind the wrong variant."""

from qedjax.envs.prop.check import check_lean_text
from tests.envs.prop.lean_text import proved_each as proved

# ------------------------------------------------ citing a theorem that failed or used `sorry`

def test_a_theorem_citing_a_sorried_or_failed_theorem_is_not_proved():
    # src/Lean/Elab/MutualDef.lean: a theorem whose body fails or uses `sorry` is still added to the
    # environment (its value holds `sorryAx`), so a later `exact s` elaborates without a message, but
    # the later theorem's value then depends on `sorryAx` (`#print axioms`): not a proof. prop counted
    # `bad` as proved, a proof of `False` from nothing
    for body in ("by sorry", "by admit", "by\n  exact foo", "by\n  intro h\n  exact h"):
        src = f"theorem s (p : Prop) : p := {body}\ntheorem bad : False := s False\n"
        assert proved(src) == [False, False], body
        # and what cites `bad` is no proof either
        assert proved(src + "theorem worse : False := by\n  exact bad\n") == [False, False, False]
    # `open` and namespaces reach the same unproved theorem
    assert proved("namespace A\ntheorem s (p : Prop) : p := by sorry\nend A\nopen A\n"
                  "theorem bad : False := by\n  apply s\n") == [False, False]
    # a name declared twice: the second is refused, the name stays the first (sorried) one
    assert proved("theorem s (p : Prop) : p := by sorry\ntheorem s (p : Prop) : p → p := fun h => h\n"
                  "theorem bad (p : Prop) : p := s p\n") == [False, False, False]
    # a proved theorem is cited as before, an axiom too (Lean accepts what an axiom makes provable)
    assert proved("theorem s (p : Prop) : p → p := fun h => h\ntheorem ok (q : Prop) : q → q := s q\n") \
        == [True, True]
    assert proved("axiom ax (p : Prop) : p ∨ ¬p\ntheorem ok (q : Prop) : q ∨ ¬q := ax q\n") == [True]


# ------------------------------------------------ `open` with `hiding`, `renaming`, an explicit list, `scoped`

OPEN = """
theorem s (p : Prop) : p → p := fun h => h
namespace A
theorem s (p : Prop) : p → p := fun h => h
theorem u (p : Prop) : p → p := fun h => h
end A
{open}
theorem t1 (p : Prop) : p → p := {cite} p
"""


def test_open_hiding_renaming_and_explicit_lists_open_only_the_names_they_name():
    # src/Lean/Elab/Open.lean `elabOpenDecl`: `open A hiding s` opens every name of A but `s`;
    # `open A (u)` and `open A renaming u → v` add only the aliases they list. prop read every token
    # after `open` as a namespace to open (`hiding`, `u`, `(`, …), so `u` (and `v` as a namespace) stayed
    # visible and `s` was ambiguous or not as Lean has it
    def ok(open: str, cite: str) -> bool:
        return proved(OPEN.format(open=open, cite=cite))[-1]
    assert not ok("open A hiding u", "u")          # hidden
    assert not ok("open A hiding u", "s")          # root `s` and `A.s`: ambiguous, as with `open A`
    assert ok("open A hiding s", "s")              # only the root `s`
    assert ok("open A hiding s", "u")
    assert not ok("open A renaming u → v", "u")    # only the alias
    assert ok("open A renaming u → v", "v")
    assert not ok("open A (s)", "u")
    assert ok("open A (u)", "u")
    assert ok("open A (u) in", "s")              # the root `s` only
    assert ok("open A (u) in", "u")
    assert not ok("open scoped A", "u")            # scoped extensions only, no names
    assert not ok("open A", "s") and ok("open A", "u")


# ------------------------------------------------ `theorem _root_.s` declares `s`

def test_a_root_declaration_in_a_namespace_is_the_root_name_not_a_namespaced_one():
    # src/Lean/Elab/DeclUtil.lean `mkDeclName`: `_root_.s` inside `namespace A` declares `s`; prop
    # registered `A._root_.s`, which `A._root_.s` (an unknown constant for Lean) then cited
    src = "namespace A\ntheorem _root_.s (p : Prop) : p → p := fun h => h\nend A\n"
    assert proved(src + "theorem bad (p : Prop) : p → p := A._root_.s p\n") == [True, False]
    assert proved(src + "theorem ok (p : Prop) : p → p := s p\n") == [True, True]


# ------------------------------------------------ `end` closes scopes before it checks their name

def test_end_closes_its_scopes_even_with_a_wrong_or_missing_name():
    # src/Lean/Elab/BuiltinCommand.lean `elabEnd`: `end` drops one scope per component of its name
    # (`namespace A.B` opened two), then reports a missing or wrong name; prop kept the scope open on
    # a wrong name and counted `namespace A.B` as one scope, so `s` (that is `A.B.s`) stayed visible
    decl = "theorem s (p : Prop) : p → p := fun h => h\n"
    bad = "theorem bad (p : Prop) : p → p := s p\n"
    res, diags = check_lean_text("namespace A\n" + decl + "end\n" + bad)
    assert [r.proved for r in res] == [True, False]
    assert [d.message for d in diags] == ["invalid 'end', name is missing (expected A)"]
    assert proved("namespace A.B\n" + decl + "end B\n" + bad) == [True, False]          # now in `A`
    assert proved("namespace A.B\n" + decl + "end B\ntheorem ok (p : Prop) : p → p := B.s p\nend A\n"
                  + bad.replace("s p", "B.s p")) == [True, True, False]
    assert proved("namespace A.B\n" + decl + "end A.B\n" + bad.replace("s p", "A.B.s p")) == [True, True]
    res, diags = check_lean_text("section X\n" + decl + "end Y\n" + bad)  # a section's names stay
    assert [r.proved for r in res] == [True, True] and len(diags) == 1


# ------------------------------------------------ a library constant's name is taken

def test_a_theorem_named_like_a_library_constant_is_already_declared():
    # src/Lean/Elab/DeclUtil.lean `checkNotAlreadyDeclared`: `absurd`, `Or.inl` (in `namespace Or`),
    # `Classical.em` are constants of Lean's prelude; prop declared the file's theorem over them, which
    # later proofs then cited with the file's statement instead of Lean's
    res, _ = check_lean_text("theorem absurd (p : Prop) : p → p := fun h => h\n"
                             "theorem bad (p : Prop) : p → p := absurd p\n")
    assert [r.proved for r in res] == [False, False]
    assert res[0].diagnostics[0].message == "'absurd' has already been declared"
    assert proved("namespace Or\ntheorem inl (p : Prop) : p → p := fun h => h\nend Or\n") == [False]
    assert proved("theorem Classical.em (p : Prop) : p → p := fun h => h\n") == [False]
    # a new name in a library namespace, or the same name in the file's own namespace, is free
    assert proved("theorem And.foo (p q : Prop) (h : p ∧ q) : q := h.2\n") == [True]
    assert proved("namespace A\ntheorem absurd (p : Prop) : p → p := fun h => h\n"
                  "theorem ok (p : Prop) : p → p := absurd p\nend A\n") == [True, True]
    # Mathlib's names are free where the file does not import Mathlib
    assert proved("theorem not_not (p : Prop) : ¬¬p → p := fun h => Classical.byContradiction h\n") \
        == [True]
