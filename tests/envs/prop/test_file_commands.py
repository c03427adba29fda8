"""File-local commands that proofs depend on (issue 28): tactic macros, `syntax` with `macro_rules`,
`local` ones, hygiene, and what prop refuses. Each behaviour is Lean 4's and each test names where it is
documented or pinned: Lean 4's sources (`src/Lean/Elab/Macro.lean`, `src/Lean/Elab/MacroRules.lean`,
`src/Lean/Elab/Tactic/Basic.lean`'s `evalTactic`/`expandEval`), its test suite (`tests/lean/run/`) and the
reference manual's chapter on macros. The statements are this file's own."""

from qedjax.envs.prop.check import check_lean_text


def results(source: str):
    res, diags = check_lean_text(source)
    return res, diags


def only(source: str):
    res, _ = check_lean_text(source)
    assert len(res) == 1, res
    return res[0]


def test_macro_expands_to_its_quotation():
    # `macro "name" : tactic => `(tactic| seq)` is syntax plus one expansion (src/Lean/Elab/Macro.lean)
    assert only("""
macro "split_and" : tactic => `(tactic| constructor <;> assumption)

example (P Q : Prop) (hp : P) (hq : Q) : P ∧ Q := by
  split_and
""").proved
    # without the macro the same proof is Lean's parse error
    r = only("""
example (P Q : Prop) (hp : P) (hq : Q) : P ∧ Q := by
  split_and
""")
    assert not r.proved and r.diagnostics[0].message == "unknown tactic"


def test_macro_arguments_ident_and_term():
    # `x:ident` and `e:term` arguments are substituted for `$x`/`$e` (the manual's macro chapter)
    assert only("""
macro "destruct" h:ident : tactic => `(tactic| obtain ⟨hl, hr⟩ := $h)

example (P Q : Prop) (hpq : P ∧ Q) : Q := by
  destruct hpq
  assumption
""").proved
    assert only("""
macro "ex" e:term : tactic => `(tactic| exact $e)

example (P Q : Prop) (hp : P) (hq : Q) : P ∧ Q := by
  ex ⟨hp, hq⟩
""").proved
    # a false statement stays unproved through the macro
    assert not only("""
macro "ex" e:term : tactic => `(tactic| exact $e)

example (P Q : Prop) (hp : P) (hq : Q) : P ∧ Q := by
  ex ⟨hq, hp⟩
""").proved


def test_macro_rules_most_recent_first_with_backtracking():
    # src/Lean/Elab/Tactic/Basic.lean, `expandEval`: the expansions of a syntax are tried from the most
    # recent; when running one throws, the state is restored and the next is tried
    src = """
syntax "my_trivial" : tactic

macro_rules
  | `(tactic| my_trivial) => `(tactic| assumption)

macro_rules
  | `(tactic| my_trivial) => `(tactic| exact Iff.rfl)

example (P : Prop) (h : P) : P := by
  my_trivial

example (P : Prop) : P ↔ P := by
  my_trivial

example (P Q : Prop) : P ↔ Q := by
  my_trivial
"""
    res, _ = results(src)
    assert [r.proved for r in res] == [True, True, False]
    # when every expansion fails, the error of the last one tried (the oldest) is reported at the use
    assert res[2].diagnostics[0].line == 17
    assert "assumption" in res[2].diagnostics[0].message


def test_hygiene_of_names_the_quotation_writes():
    # Lean's macros are hygienic (the manual: "Hygiene"; src/Lean/Hygiene.lean): the `h` an expansion
    # introduces is inaccessible (shown `h✝`), and the quotation's `h` is not the user's `h`
    res, _ = results("""
macro "my_intro" : tactic => `(tactic| intro h)

example (P : Prop) : P → P := by
  my_intro
  fail_if_success exact h
  assumption

example (P : Prop) : P → P := by
  my_intro
  exact h

macro "use_h" : tactic => `(tactic| exact h)

example (P : Prop) (h : P) : P := by
  use_h

example (P : Prop) (h : P) : P → P := by
  my_intro
  done
""")
    assert [r.proved for r in res] == [True, False, False, False]
    assert res[2].diagnostics[0].message == "Unknown identifier `h✝`"
    assert res[3].diagnostics[0].message == "unsolved goals\nP : Prop\nh h✝ : P\n⊢ P"


def test_hygiene_false_writes_plain_names():
    # `set_option hygiene false` turns macro scopes off for the quotations that follow (src/Lean/Hygiene.lean,
    # option `hygiene`)
    assert only("""
set_option hygiene false in
macro "my_intro" : tactic => `(tactic| intro h)

example (P : Prop) : P → P := by
  my_intro
  exact h
""").proved


def test_global_constants_in_a_quotation():
    # a name that resolves to a global constant means the constant (hygiene erases the scope for global
    # resolution); a hypothesis of that name would not capture it, which prop refuses to guess
    assert only("""
macro "both" : tactic => `(tactic| exact And.intro trivial trivial)

example : True ∧ True := by
  both
""").proved
    r = only("""
macro "triv'" : tactic => `(tactic| exact trivial)

example (trivial : False) : True := by
  triv'
""")
    assert not r.proved and "hygiene" in r.diagnostics[0].message


def test_local_macro_ends_with_its_section():
    # `local macro` declares `local syntax` and `local macro_rules` (src/Lean/Elab/Macro.lean passes the
    # attribute kind on): after `end` the tactic is unknown
    res, _ = results("""
section
local macro "loc" : tactic => `(tactic| trivial)
example : True := by loc
end

example : True := by loc
""")
    assert [r.proved for r in res] == [True, False]
    assert res[1].diagnostics[0].message == "unknown tactic"


def test_metaprograms_and_unmodelled_macros_are_refused_with_a_reason():
    # `elab`, `elab_rules` and `syntax` run by a `@[tactic]` function are Lean metaprograms: prop cannot run
    # them, so their uses fail with the reason, and the command is reported (never dropped silently)
    res, diags = results("""
elab "tada" : tactic => do
  pure ()

example : True := by
  tada
  trivial

syntax (name := myTriv) "my_triv" : tactic

example : True := by
  my_triv

macro "computed" : tactic => do
  `(tactic| trivial)

example : True := by
  computed

macro "split" : tactic => `(tactic| constructor)

macro_rules
  | `(tactic| trivial) => `(tactic| assumption)

example (P : Prop) (h : P) : P := by
  trivial
""")
    assert not any(r.proved for r in res)
    assert "metaprogram" in res[0].diagnostics[0].message
    assert "metaprogram" in res[1].diagnostics[0].message
    assert "computed by code" in res[2].diagnostics[0].message
    assert "before its own" in res[3].diagnostics[0].message
    warned = " | ".join(d.message for d in diags if d.severity == "warning")
    assert "`tada`" in warned and "`computed`" in warned and "`split`" in warned


def test_macro_of_another_category_is_reported():
    # a `term` macro is outside prop's tactic layer: a warning names it
    _, diags = results("""
macro "const" e:term : term => `(fun _ => $e)

example : True := trivial
""")
    assert any("category `term`" in d.message for d in diags)


# ------------------------------------------------------------------------------------ attributes

FOO = """theorem foo {P Q : Prop} : (P → Q) ∧ P ↔ Q ∧ P := by
  constructor
  · intro h
    exact ⟨h.1 h.2, h.2⟩
  · intro h
    exact ⟨fun _ => h.1, h.2⟩
"""


def test_a_file_simp_lemma_changes_the_default_simp_set():
    # `attribute [simp] foo` and `@[simp] theorem` add to the default simp set (src/Lean/Elab/Attributes.lean;
    # src/Lean/Meta/Tactic/Simp/Attr.lean): prop models Lean's own set only, so `simp` with the default set
    # is refused while the change is in scope, never run as if the attribute were not there
    res, _ = results(FOO + """
example (P : Prop) (h : P) : P ∧ True := by simp [h]

attribute [simp] foo

example (P : Prop) (h : P) : P ∧ True := by simp [h]

example (P : Prop) (h : P) : P ∧ True := by simp only [h, and_true]
""")
    assert [r.proved for r in res] == [True, True, False, True]
    assert "attribute [simp] foo" in res[2].diagnostics[0].message
    res, _ = results("""
@[simp]
theorem bar (P : Prop) : P ∧ P ↔ P := and_self_iff

example (P : Prop) (h : P) : P ∧ True := by simp [h]
""")
    assert [r.proved for r in res] == [True, False]
    assert "[simp] bar" in res[1].diagnostics[0].message


def test_local_simp_attribute_and_erasure_end_with_the_section():
    # `attribute [local simp]` and `attribute [-simp]` are local to their section
    res, _ = results(FOO + """
section
attribute [local simp] foo
example (P : Prop) (h : P) : P ∧ True := by simp [h]
end

example (P : Prop) (h : P) : P ∧ True := by simp [h]

section
attribute [-simp] and_true
example (P : Prop) (h : P) : P ∧ True := by simp [h]
end
""")
    assert [r.proved for r in res] == [True, False, True, False]


def test_unmodelled_attributes_refuse_what_follows_and_inert_ones_do_not():
    # `@[refl]`/`@[symm]` change what `rfl`/`symm` do (src/Lean/Meta/Tactic/Rfl.lean,
    # src/Lean/Meta/Tactic/Symm.lean): prop refuses the proofs in their scope; `@[aesop]` is read only by
    # `aesop`, which prop refuses anyway
    res, _ = results("""
@[aesop safe]
theorem baz (P : Prop) : P → P := id

example (P : Prop) (h : P) : P := h

section
attribute [local symm] baz
example (P : Prop) (h : P) : P := h
end

example (P : Prop) (h : P) : P := h
""")
    assert [r.proved for r in res] == [True, True, False, True]
    assert "[local symm] baz" in res[2].diagnostics[0].message


def test_a_proof_that_uses_a_files_definition_is_refused_naming_it():
    # a definition with parameters (`def Twice (p : Prop) : Prop`) is a function prop does not model, so a
    # proof that names one is refused, and says why
    res, diags = results("""
def Twice (p : Prop) : Prop := p ∧ p

theorem t (p : Prop) (h : p) : Twice p := by
  exact ⟨h, h⟩

example (P : Prop) (h : P) : P := by
  exact Twice
""")
    assert not any(r.proved for r in res)
    assert all("declared by a command of this file" in r.diagnostics[0].message for r in res)
    assert any("`def`" in d.message for d in diags)


# ------------------------------------------------------------------------- definitions of propositions

DEFS = """def ExcludedMiddle : Prop :=
  ∀a : Prop, a ∨ ¬ a

def Peirce : Prop :=
  ∀a b : Prop, ((a → b) → a) → a

def DoubleNegation : Prop :=
  ∀a : Prop, (¬¬ a) → a
"""


def test_definitions_unfold_by_rw_unfold_and_where_lean_puts_a_type_in_whnf():
    # a definition is a constant with an equation lemma `D.eq_1 : D = body`: `rw [D]` and `unfold D`
    # rewrite with it (src/Lean/Elab/Tactic/Rewrite.lean, src/Lean/Elab/Tactic/Unfold.lean); `intro`
    # puts the target in whnf (src/Lean/Meta/Tactic/Intro.lean), and so do application and `fun`
    # elaboration (src/Lean/Elab/App.lean `elabAppArgs`, src/Lean/Elab/Binders.lean), unfolding it
    res, _ = results(DEFS + """
theorem Peirce_of_EM :
    ExcludedMiddle → Peirce := by
  rw [ExcludedMiddle, Peirce]
  intro em
  intro a b
  apply Or.elim (em a)
  · exact fun xa _ => xa
  · intro na f
    apply f
    intro x
    exact absurd x na

theorem DN_of_Peirce : Peirce → DoubleNegation := by
  intro peirce a hnna
  apply peirce a False
  intro hna
  exact absurd hna hnna

theorem EM_of_DN : DoubleNegation → ExcludedMiddle := by
  unfold DoubleNegation ExcludedMiddle
  intro dn a
  apply dn
  intro h
  exact h (Or.inr (fun ha => h (Or.inl ha)))

example : DoubleNegation → ExcludedMiddle := fun dn a => dn _ (fun h => h (Or.inr (fun ha => h (Or.inl ha))))

example : Peirce → DoubleNegation := fun h => DN_of_Peirce h
""")
    assert [r.proved for r in res] == [True, True, True, True, True]


def test_definitions_stay_sound():
    res, _ = results(DEFS + """
theorem wrong : Peirce := by
  intro a b h
  exact h (fun ha => ha)

theorem wrong' : ExcludedMiddle → DoubleNegation := by
  intro em a h
  exact em a

example : Peirce → Peirce := by
  intro Peirce
  exact Peirce

example (h : Peirce) : Peirce := by
  simp [h]

def T : Prop := True
example : T := by simp only [T]
def N : Prop := ∀ a : Prop, a → a
example : N := by dsimp only [N]; intro a h; exact h
example : T ∧ T := by simp only [T]
""")
    assert [r.proved for r in res] == [False, False, False, False, True, True, False]
    # a local named like a definition would be indistinguishable from it in prop's formulas
    assert "named like the file's definition" in res[2].diagnostics[0].message
    # `simp` may see through a definition where prop keeps a constant: refused (simp only [D] unfolds)
    assert "definition `Peirce`" in res[3].diagnostics[0].message
    # `simp only [T]` on `T ∧ T` leaves `True ∧ True`, which simp's builtins do not close: refused, not guessed
    assert "the prop environment cannot reproduce" in res[6].diagnostics[0].message


def test_a_definition_over_variables_is_not_modelled():
    # with `variable (p : Prop)` a definition that mentions `p` takes it as an argument (Lean's section
    # variables): not a closed proposition, so prop refuses the proofs that use it
    res, diags = results("""
variable (p : Prop)
def Twice : Prop := p ∧ p

example (h : p) : Twice p := ⟨h, h⟩
""")
    assert not res[0].proved
    assert any("`def`" in d.message for d in diags)


def test_declaration_modifiers_start_a_command():
    # `private`, `protected`, `noncomputable`, `partial`, `unsafe` are `declModifiers` of the declaration
    # that follows (src/Lean/Parser/Command.lean): they end the declaration before them
    res, _ = results("""
theorem a : True := trivial
private theorem b : True := trivial
theorem c (p : Prop) (h : p) : p := h
noncomputable def f : Nat := 0
theorem d : True := by
  trivial
partial def g (n : Nat) : Nat := g n
theorem e : True := trivial
""")
    assert [r.proved for r in res] == [True, True, True, True, True]


def test_a_protected_theorem_is_reached_by_its_full_name_only():
    # `protected`: the short name is not added by its namespace or by `open` (the reference manual,
    # "Namespaces": protected declarations)
    res, _ = results("""
namespace Foo
protected theorem pt (p : Prop) (h : p) : p := h
theorem u1 (p : Prop) (h : p) : p := pt p h
theorem u2 (p : Prop) (h : p) : p := Foo.pt p h
end Foo
open Foo
theorem u3 (p : Prop) (h : p) : p := pt p h
theorem u4 (p : Prop) (h : p) : p := Foo.pt p h
""")
    assert [r.proved for r in res] == [True, False, True, False, True]
