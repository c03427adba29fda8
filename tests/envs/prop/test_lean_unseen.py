"""Behaviours of Lean 4 that texts not used while developing prop showed it lacked (issue 28's
measurement on unseen texts). Each test names where Lean documents or pins the behaviour; the
statements are this file's own."""

from qedjax.envs.prop.check import check_lean_text


def check(source: str):
    results, file_diags = check_lean_text(source)
    assert len(results) == 1, results
    assert not [d for d in file_diags if d.severity == "error"], file_diags
    return results[0]


def messages(r) -> list[str]:
    return [d.message for d in r.diagnostics]


# ------------------------------------------------------------------- `<;>` starting a line

def test_then_may_start_a_line_at_the_block_column():
    # src/Init/Tactics.lean: `macro:1 x:tactic tk:" <;> " y:tactic:2 : tactic` is a trailing parser of
    # the tactic category and checks no column, so `constructor` then a line `<;> assumption` at the
    # block's column is `constructor <;> assumption` (Mathlib writes its proofs this way).
    r = check("""
example (a b c : Prop) (ha : a) (hb : b) (hc : c) : a ∧ b ∧ c := by
  constructor
  <;> (try constructor)
  <;> assumption
""")
    assert r.proved, messages(r)
    r = check("""
example (a b : Prop) (h : a ∨ b) : b ∨ a := by
  cases h
  <;> simp [*]
""")
    assert r.proved, messages(r)


def test_then_starting_a_line_runs_on_every_goal():
    # the same parse: the operand runs on each goal `constructor` made, and fails on `⊢ b` here
    r = check("""
example (a b : Prop) (ha : a) (hb : b) : a ∧ b := by
  constructor
  <;> exact ha
""")
    assert not r.proved
    assert messages(r)[0].startswith("Type mismatch\n  ha\nhas type\n  a\nbut is expected to have type\n  b")


# ------------------------------------------------------------------------- `have` with binders

def test_have_with_binders_is_a_function():
    # src/Lean/Parser/Term.lean: `haveIdLhs` is a name, then `letIdBinder`s, then an optional type;
    # `have f (x : a) : t := v` is `have f : a → t := fun (x : a) => v` (term and tactic `have`).
    tactic = check("""
example (a b c : Prop) : (a ∨ b → c) → a → c := by
  intro h
  have f (ha : a) : c := h (Or.inl ha)
  exact f
""")
    assert tactic.proved, messages(tactic)
    term = check("""
example (a b c : Prop) : (a ∨ b → c) → b → c :=
  fun h =>
  have f (x : b) (_y : a ∨ b) : c := h (Or.inr x)
  fun hb => f hb (Or.inr hb)
""")
    assert term.proved, messages(term)
    # a binder over Prop makes a ∀
    poly = check("""
example (a : Prop) (ha : a) : a ∨ a :=
  have f (q : Prop) (hq : q) : q ∨ q := Or.inl hq
  f a ha
""")
    assert poly.proved, messages(poly)


def test_have_with_binders_checks_the_value_and_its_use():
    # the value is checked against the type under the binders, the use against `a → c`
    r = check("""
example (a b c : Prop) : (a ∨ b → c) → b → c := by
  intro h
  have f (ha : a) : c := h (Or.inl ha)
  exact f
""")
    assert not r.proved
    assert "Type mismatch\n  f\nhas type\n  a → c\nbut is expected to have type\n  b → c" in messages(r)[0]
    r = check("""
example (a b c : Prop) : (b → c) → a → c :=
  fun h =>
  have f (ha : a) : c := h ha
  f
""")
    assert not r.proved and "  ha\nhas type\n  a\nbut is expected to have type\n  b" in messages(r)[0]


# ---------------------------------------------------------------- `suffices … from` on a new line

def test_suffices_from_may_start_a_line_at_the_keyword_column():
    # src/Lean/Parser/Term.lean: `withPosition ("suffices " >> sufficesDecl) >> optSemicolon termParser`;
    # the position bounds the arguments of the type (checkColGt), `from` is a keyword it does not check
    r = check("""
example (a : Prop) (h : ¬¬a) : a :=
  have em : a ∨ ¬a := Classical.em a
  suffices k : ¬a → a
  from Or.elim em id k
  fun na => absurd na h
""")
    assert r.proved, messages(r)


# ------------------------------------------------------------------ `by` then `{` on the next line

def test_nested_by_may_take_a_bracketed_block_at_any_column():
    # src/Lean/Parser/Term.lean: `byTactic := "by " Tactic.tacticSeqIndentGt`, and
    # `tacticSeqIndentGt := tacticSeqBracketed <|> (checkColGt … >> tacticSeq1Indented)`: the column
    # check is on the unbracketed sequence only, so `have h : t := by` then `{ … }` at the block's
    # column is the `have`'s proof, and the block goes on after the `}`
    r = check("""
example (a : Prop) : ¬(a ↔ ¬a) := by
  intro h
  have hna : ¬a := by
  { intro ha
    exact h.mp ha ha }
  exact hna (h.mpr hna)
""")
    assert r.proved, messages(r)
    # without the bracket the nested block must be indented further (`checkColGt`)
    r = check("""
example (a : Prop) (ha : a) : a := by
  have h : a := by
  exact ha
  exact h
""")
    assert not r.proved
    # the bracketed block is the `have`'s proof only: what follows runs on the outer goal
    r = check("""
example (a : Prop) (ha : a) : a ∧ a := by
  have h : a := by
  { exact ha }
  exact h
""")
    assert not r.proved and messages(r)[0].startswith("Type mismatch\n  h\nhas type\n  a\n")


# -------------------------------------------------------------- `apply` runs its `by` blocks last

def test_apply_runs_by_blocks_after_unifying_with_the_goal():
    # src/Lean/Elab/Tactic/ElabTerm.lean, `evalApplyLikeTactic`: the term is elaborated with
    # `mayPostpone`, `apply` unifies it with the goal, then `Term.synthesizeSyntheticMVarsNoPostponing`
    # runs the postponed `by` blocks, whose types are known by then
    r = check("""
example (a b : Prop) (ha : a) (hb : b) : a ∧ b := by
  apply And.intro (by assumption) (by assumption)
""")
    assert r.proved, messages(r)
    r = check("""
example (a b : Prop) (ha : a) : b ∨ a := by
  apply Or.inl (by assumption)
""")
    assert not r.proved and messages(r)[0].startswith("Tactic `assumption` failed")
    r = check("""
example (a b : Prop) (ha : a) (hb : b) : a ∧ b := by
  apply And.intro (by exact hb) (by assumption)
""")
    assert not r.proved
    assert messages(r)[0] == "Type mismatch\n  hb\nhas type\n  b\nbut is expected to have type\n  a"


# ------------------------------------------------- `contradiction`: a closed hypothesis decides false

def test_contradiction_uses_a_closed_hypothesis_that_decides_to_false():
    # src/Lean/Meta/Tactic/Contradiction.lean, `contradictionCore`: "(h : p) s.t. `decide p` evaluates
    # to `false`", tried for a hypothesis with no free variable (`Contradiction.Config.useDecide := true`);
    # `trivial` tries `contradiction` (src/Init/Tactics.lean)
    for hyp in ("True → False", "¬True", "True ∧ False", "(True ↔ False) ∨ False"):
        r = check(f"""
example (a : Prop) : ({hyp}) → a := by
  intro h
  contradiction
""")
        assert r.proved, (hyp, messages(r))
    r = check("""
example (a : Prop) : (True → False) → a := by
  intro h
  exfalso
  trivial
""")
    assert r.proved, messages(r)
    # a free variable (no `Decidable a`), `=` between propositions or a true hypothesis: no contradiction
    for hyp in ("a → False", "True = False", "False → False"):
        r = check(f"""
example (a : Prop) : ({hyp}) → False := by
  intro h
  contradiction
""")
        assert not r.proved and messages(r)[0].startswith("Tactic `contradiction` failed"), hyp


# ----------------------------------------------------------------- recursors, `∘` with its type

def test_structural_recursors_with_a_constant_motive():
    # `inductive Or` (src/Init/Prelude.lean) has `Or.rec {motive : a ∨ b → Prop} (inl : ∀ h, motive
    # (.inl h)) (inr : ∀ h, motive (.inr h)) (t : a ∨ b) : motive t`; a proposition here cannot mention
    # the proof `t`, so the motive is constant. `.rec` takes `Or` from the expected type's result.
    for proof in ("Or.rec Or.inr Or.inl", ".rec .inr .inl", "fun h => h.rec Or.inr Or.inl",
                  "fun h => Or.casesOn h Or.inr Or.inl"):
        r = check(f"example (a b : Prop) : a ∨ b → b ∨ a :=\n  {proof}\n")
        assert r.proved, (proof, messages(r))
    r = check("""
example (a b c : Prop) : a ∨ b → (a → c) → (b → c) → c := by
  apply Or.rec
  · intro ha f _
    exact f ha
  · intro hb _ g
    exact g hb
""")
    assert r.proved, messages(r)
    r = check("example (a b : Prop) (h : a ∧ b) : b ∧ a := And.rec (fun x y => ⟨y, x⟩) h\n")
    assert r.proved, messages(r)
    r = check("example (a b : Prop) : a ∨ b → a ∨ a :=\n  Or.rec Or.inr Or.inl\n")
    assert not r.proved


def test_composition_takes_its_type_from_the_expected_type():
    # `f ∘ g` is `Function.comp f g`; the application elaborator unifies the expected type with the
    # result type first (src/Lean/Elab/App.lean, `propagateExpectedType`), so `.inl` in `.inl ∘ f`
    # finds its namespace from `c ∨ d`
    r = check("""
example (a b c d : Prop) : (a → c) → (b → d) → a ∨ b → c ∨ d :=
  fun f g h => h.elim (.inl ∘ f) (.inr ∘ g)
""")
    assert r.proved, messages(r)
    r = check("""
example (a b c d : Prop) : (a → c) → (b → d) → a ∨ b → c ∨ d :=
  fun f g h => h.elim (.inr ∘ f) (.inl ∘ g)
""")
    assert not r.proved


# ------------------------------------------------------------------------------ named arguments

def test_named_arguments_fill_the_parameter_of_that_name():
    # src/Lean/Parser/Term.lean, `namedArgument := "(" ident " := " term ")"`; the application
    # elaborator gives it to the parameter of that name, implicit or explicit (src/Lean/Elab/App.lean),
    # and reports "invalid argument name" when there is none
    r = check("""
example (a b : Prop) (h : a → b) : ¬a ∨ b :=
  Classical.byCases (p := a) (fun ha => Or.inr (h ha)) Or.inl
""")
    assert r.proved, messages(r)
    r = check("example (a b : Prop) (ha : a) : a ∨ b := Or.inl (h := ha)\n")
    assert r.proved, messages(r)
    # `(p := b)` makes the cases on `b`: the branches no longer fit
    r = check("""
example (a b : Prop) (h : a → b) : ¬a ∨ b :=
  Classical.byCases (p := b) (fun ha => Or.inr (h ha)) Or.inl
""")
    assert not r.proved
    r = check("""
example (a b : Prop) (h : a → b) : ¬a ∨ b :=
  Classical.byCases (r := a) (fun ha => Or.inr (h ha)) Or.inl
""")
    assert not r.proved and "argument name `r`" in messages(r)[0]


# ------------------------------------------------------------------ patterns on an empty type

def test_a_variable_of_type_false_is_no_redundant_alternative():
    # Lean's match compiler (src/Lean/Meta/Match/Match.lean) binds a variable pattern without
    # splitting on its type, so `| Or.inr hf => …` on `p ∨ False` and `⟨_, hf⟩` on `p ∧ False` are
    # used alternatives; a repeated one still is redundant
    for proof in ("intro ⟨_, hf⟩\n  exact hf", "intro\n  | ⟨hp, hf⟩ => exact hf"):
        r = check(f"example (a : Prop) : a ∧ False → False := by\n  {proof}\n")
        assert r.proved, (proof, messages(r))
    r = check("""
example (a : Prop) : a ∨ False → a := by
  intro
  | Or.inl ha => exact ha
  | Or.inr hf => contradiction
""")
    assert r.proved, messages(r)
    r = check("""
example (a : Prop) : a ∨ False → a :=
  fun h => match h with
  | Or.inl ha => ha
  | Or.inr hf => hf.elim
  | Or.inr hf => hf.elim
""")
    assert not r.proved and messages(r)[0].startswith("Redundant alternative")


def test_flip():
    # src/Init/Prelude.lean: `def flip (f : α → β → φ) : β → α → φ := fun b a => f a b`
    r = check("example (a b c : Prop) (f : a → b → c) : b → a → c := flip f\n")
    assert r.proved, messages(r)
    r = check("example (a b c : Prop) (f : a → b → c) : a → b → c := flip f\n")
    assert not r.proved


# ------------------------------------------------------------- `∀ {p : Prop}, …` in a statement

def test_implicit_forall_of_a_statement():
    # `theorem t : ∀ {a : Prop}, s` and `theorem t {a : Prop} : s` have the same type, so a use of `t`
    # fills `a` in by unification; a term proof gets `a` by the implicit lambda (src/Lean/Elab/Term.lean,
    # `useImplicitLambda`), which a `by` block blocks (`blockImplicitLambda`): there `intro` takes `a`
    lemma = """
theorem swap_or : ∀ {a b : Prop}, a ∨ b → b ∨ a := by
  intro a b h
  exact h.elim Or.inr Or.inl
"""
    results, _ = check_lean_text(lemma + """
example (p q : Prop) (h : p ∨ q) : q ∨ p := swap_or h
theorem mp_not : ∀ {a b : Prop}, a → ¬a → b := fun ha hna => absurd ha hna
example (p : Prop) (hp : p) (hn : ¬p) : False := mp_not hp hn
""")
    assert [r.proved for r in results] == [True, True, True, True], [messages(r) for r in results]
    # the implicit lambda binds the proposition, not the proof: `fun hna ha` has them the wrong way round
    r = check("theorem t : ∀ {a : Prop}, a → ¬a → False := fun hna ha => hna ha\n")
    assert not r.proved
    # an explicit `∀ (a : Prop)` is no implicit lambda: the first binder is the proposition
    assert not check("theorem t : ∀ (a : Prop), a → a := fun h => h\n").proved
    assert check("theorem t : ∀ (a : Prop), a → a := fun a h => h\n").proved
    # in a `by` block the goal keeps the binder: `intro h` names the proposition
    r = check("example : ∀ {a : Prop}, a → a := by\n  intro h\n  exact h\n")
    assert not r.proved


def test_fun_with_implicit_binders():
    # src/Lean/Parser/Term.lean: `funBinder` includes `implicitBinder` and `strictImplicitBinder`;
    # `fun {a b : Prop} …` binds the implicit ∀ itself (and so blocks the implicit lambda)
    r = check("theorem t : ∀ {a b : Prop}, a → b → a :=\n  fun {a b : Prop} (ha : a) (_ : b) => ha\n")
    assert r.proved, messages(r)
    r = check("theorem t : ∀ {a b : Prop}, a → b → b :=\n  fun {a b : Prop} (ha : a) (_ : b) => ha\n")
    assert not r.proved


def test_fun_binder_type_from_the_body():
    # src/Lean/Elab/Binders.lean: a binder without a type gets a metavariable that elaborating the
    # body may fix (`fun hp => f hp hp` with `f : a → ¬a`); left open it is "Failed to infer binder type"
    r = check("""
example (a : Prop) : ¬(a ↔ ¬a) := by
  intro ⟨f, g⟩
  have hn := fun ha => f ha ha
  exact hn (g hn)
""")
    assert r.proved, messages(r)
    r = check("example (a b : Prop) (hb : b) : b := by\n  have k := fun x => hb\n  exact k hb\n")
    assert not r.proved and messages(r)[0] == "Failed to infer binder type"
    r = check("example (a : Prop) (f : a → ¬a) : ¬a := by\n  have hn := fun ha => f ha\n  exact hn\n")
    assert not r.proved


def test_core_lemmas_of_init_core():
    # src/Init/Core.lean (`variable {a b c d : Prop}`): `theorem iff_def : (a ↔ b) ↔ (a → b) ∧ (b → a)`,
    # `theorem iff_not_self : ¬(a ↔ ¬a)`, `theorem imp_not_comm : (a → ¬b) ↔ (b → ¬a)`, …
    results, _ = check_lean_text("""
example (p q : Prop) : ((p → q) ∧ (q → p)) ↔ (p ↔ q) := iff_def.symm
example (p : Prop) : ¬(p ↔ ¬p) := iff_not_self
example (p q : Prop) (h : p → ¬q) : q → ¬p := imp_not_comm.mp h
example (p q : Prop) : ((p → q) ∧ (q → p)) ↔ (q ↔ p) := iff_def.symm
""")
    assert [r.proved for r in results] == [True, True, True, False], [messages(r) for r in results]


# ---------------------------------------------------------- `contradiction` assigns metavariables

def test_contradiction_assigns_a_metavariable_of_the_state():
    # src/Lean/Meta/Tactic/Contradiction.lean, `contradictionCore`: for each hypothesis `h : ¬p`
    # (`matchNot?`), `findLocalDeclWithType? p` takes the latest hypothesis whose type is `p` by `isDefEq`,
    # which assigns the proof state's metavariables. After `apply hp` leaves `?b`, `hnn : ¬¬a` and
    # `hx : a → ?b` close the goal with `?b := False`, and the goal `?b` is solved with it.
    source = """
example (a : Prop) (hp : ∀ b : Prop, ((a → b) → a) → a) (hnn : ¬¬a) : a := by
  apply hp
  intro hx
  contradiction
"""
    r = check(source)
    assert r.proved, messages(r)
    r = check(source + "  done\n")
    assert r.proved, messages(r)


def test_contradiction_with_a_metavariable_stays_lean_s_test():
    # no hypothesis `¬p` whose `p` unifies with another hypothesis: Lean's `contradiction` fails
    r = check("""
example (a c : Prop) (hp : ∀ b : Prop, ((a → b) → a) → a) (hnn : ¬¬c) : a := by
  apply hp
  intro hx
  contradiction
""")
    assert not r.proved and messages(r)[0].startswith("Tactic `contradiction` failed")
    # `?b` is assigned by `contradiction`: no goal is left for a later tactic (Lean: "no goals")
    r = check("""
example (a : Prop) (hp : ∀ b : Prop, ((a → b) → a) → a) (hnn : ¬¬a) : a := by
  apply hp
  intro hx
  contradiction
  exact hnn
""")
    assert not r.proved and "no goals" in messages(r)[0].lower()


# ------------------------------------------------------------------ `rcases h` without patterns

def test_rcases_without_a_pattern_uses_the_empty_tuple():
    # src/Lean/Elab/Tactic/RCases.lean, `evalRCases`: with no `with`, the pattern is `RCasesPatt.tuple tk []`,
    # so `rcases h` splits `h` like `rcases h with ⟨⟩`: no goal is left for `h : False`, and the fields of
    # `h : a ∧ b` come back inaccessible (`left✝`, `right✝`)
    r = check("""
example (a : Prop) (h : False) : a := by
  rcases h
""")
    assert r.proved, messages(r)
    r = check("""
example (a b : Prop) (h : a ∧ b) : b := by
  rcases h
  assumption
""")
    assert r.proved, messages(r)


def test_rcases_without_a_pattern_stays_lean_s_test():
    r = check("""
example (a b : Prop) (h : a ∧ b) : b := by
  rcases h
  exact right
""")
    assert not r.proved and messages(r)[0] == "Unknown identifier `right`"
    r = check("""
example (a : Prop) (h : True) : a := by
  rcases h
""")
    assert not r.proved and messages(r)[0].startswith("unsolved goals")


# ------------------------------------------------------------------------------- `let` terms

def test_let_of_a_proof_in_a_term():
    # src/Lean/Parser/Term.lean: `let` is `"let " letDecl optSemicolon(term)`, with `letIdDecl` as
    # `have`'s (a name, binders, an optional type) or a pattern; its value stays visible in the body, which
    # no proof can observe: proofs of one proposition are definitionally equal (proof irrelevance)
    r = check("""
example (a b c : Prop) (hab : a → b) (hbc : b → c) : a → c := fun ha =>
  let hb : b := hab ha
  let hc := hbc hb; hc
""")
    assert r.proved, messages(r)
    r = check("""
example (a b : Prop) (ha : a) (hb : b) : b ∧ a :=
  let ⟨x, y⟩ := And.intro ha hb; ⟨y, x⟩
""")
    assert r.proved, messages(r)


def test_let_terms_stay_lean_s_test():
    r = check("""
example (a b : Prop) (ha : a) : a ∧ b :=
  let h := And.intro ha ha
  h
""")
    assert not r.proved and messages(r)[0].startswith("Type mismatch\n  h\nhas type\n  a ∧ a")
    # a `let` of a proposition would need its value unfolded in the body: refused, never guessed
    r = check("""
example (a b : Prop) (ha : a) (hb : b) : a ∧ b :=
  let P := a ∧ b
  (⟨ha, hb⟩ : P)
""")
    assert not r.proved and "`let` of a proposition" in messages(r)[0]


# --------------------------------------------------------------- locals shadow dotted constants

def test_a_local_shadows_a_constant_under_a_dotted_name():
    # src/Lean/Elab/Term.lean, `resolveLocalName`: the name and then its prefixes are looked up among the
    # locals before any constant, so with a local `False : False`, `False.elim` is the local's field
    # `elim` (`False.elim False`), not the constant applied to nothing
    r = check("""
example (a : Prop) (h : a ∨ False) : a := by
  rcases h with ha | False
  · exact ha
  · exact False.elim
""")
    assert r.proved, messages(r)


def test_a_local_shadowing_a_constant_stays_lean_s_test():
    # the local's type decides the field: on `a` there is none (Lean: invalid field notation)
    r = check("""
example (a b : Prop) (False : a) : b := False.elim
""")
    assert not r.proved and messages(r)[0].startswith("Invalid field notation")
    # without such a local, `False.elim` is the constant, which needs its argument
    r = check("""
example (a : Prop) (h : a ∨ False) : a := by
  rcases h with ha | hf
  · exact ha
  · exact False.elim
""")
    assert not r.proved and messages(r)[0].startswith("Type mismatch\n  False.elim")


# ------------------------------------------------------------------------- auto-bound implicits

def test_auto_bound_implicits_where_the_file_turns_auto_implicit_on():
    # src/Lean/Elab/AutoBound.lean: with `autoImplicit`, "unbound local variables in declaration headers
    # become implicit arguments", added in order of first occurrence; `q ∧ …` makes `q` a proposition
    r = check("""set_option autoImplicit true
variable (p : Prop)
example : p ∧ q ↔ q ∧ p :=
  Iff.intro (fun h => ⟨h.2, h.1⟩) (fun h => ⟨h.2, h.1⟩)
""")
    assert r.proved, messages(r)
    results, _ = check_lean_text("""set_option autoImplicit true
theorem swap₁ : x ∨ y → y ∨ x := fun h => h.elim Or.inr Or.inl
example (a b : Prop) (h : a ∨ b) : b ∨ a := swap₁ h
example (a b : Prop) (h : a ∨ b) : a ∨ b := swap₁ h
""")
    assert [r.proved for r in results] == [True, True, False]   # `{x y}` are implicit; the last is wrong
    # the caller states the project's setting (its lakefile); the file's `set_option` overrides it
    text = "example : p ∧ q → q := fun h => h.2\n"
    assert check_lean_text(text, auto_implicit=True)[0][0].proved
    assert not check_lean_text("set_option autoImplicit false\n" + text, auto_implicit=True)[0][0].proved


def test_auto_bound_implicits_only_where_lean_s_choice_is_known():
    # not known whether the project leaves `autoImplicit` on: refused, saying why
    r = check("example : p ∧ q → q := fun h => h.2\n")
    assert not r.proved and "autoImplicit" in messages(r)[0]
    # off: Lean's unknown identifier
    r = check("set_option autoImplicit false\nexample : p ∧ q → q := fun h => h.2\n")
    assert not r.proved and messages(r)[0] == "Unknown identifier `p`"
    # `q : Sort u` (used as a type only): not a proposition, refused rather than read as one
    r = check("set_option autoImplicit true\nexample (h : q) : q := h\n")
    assert not r.proved and "Sort u" in messages(r)[0]
    # upper-case names are auto-bound only in relaxed mode, whose default changed between Lean versions
    text = "example : P ∧ Q → Q := fun h => h.2\n"
    r = check("set_option autoImplicit true\n" + text)
    assert not r.proved and "relaxedAutoImplicit" in messages(r)[0]
    r = check("set_option autoImplicit true\nset_option relaxedAutoImplicit true\n" + text)
    assert r.proved, messages(r)
    r = check("set_option autoImplicit true\nset_option relaxedAutoImplicit false\n" + text)
    assert not r.proved and "differs between versions" in messages(r)[0]   # lean4#2277 binds `P`, later not


def test_strict_auto_bound_names():
    # strict mode binds one character then digits, subscripts, `_`, `'` (lean4#2277: any case), and in
    # later versions lower-case letters with that suffix (`isStrictAutoBoundIdentifier`): prop binds the
    # names both agree on
    from qedjax.envs.prop.autobound import strict_auto_bound
    assert all(strict_auto_bound(n) for n in ("x", "q₁", "α'", "p_2"))
    assert not any(strict_auto_bound(n) for n in ("P", "hp₁", "size", "λ", "Foo", "a.b", "_x", "1a", "x₁y"))
    results, _ = check_lean_text("set_option autoImplicit true\nset_option relaxedAutoImplicit false\n"
                                 "example : hp ∧ q → q := fun h => h.2\n"
                                 "example : Hp ∧ q → q := fun h => h.2\n")
    assert "differs between versions" in results[0].diagnostics[0].message   # bound by later versions only
    assert results[1].diagnostics[0].message == "Unknown identifier `Hp`"   # by none


# ------------------------------------------------------------------ a name is declared once

def test_a_file_declares_each_name_once():
    # src/Lean/Elab/DeclModifiers.lean, `checkNotAlreadyDeclared`: "'{declName}' has already been
    # declared"; the same short name in another namespace is another declaration
    results, _ = check_lean_text("theorem t (p : Prop) (h : p) : p := h\n"
                                 "theorem t (p q : Prop) (h : p) : p ∨ q := Or.inl h\n"
                                 "namespace A\ntheorem t (p : Prop) (h : p) : p := h\n"
                                 "theorem t (p : Prop) (h : p) : p := h\nend A\n")
    assert [r.proved for r in results] == [True, False, True, False]
    assert [r.diagnostics[0].message for r in results if not r.proved] == [
        "'t' has already been declared", "'A.t' has already been declared"]
    # the second `t` is not taken in: later uses see the first one
    results, _ = check_lean_text("theorem t (p : Prop) (h : p) : p := h\n"
                                 "theorem t (p q : Prop) (h : p) : p ∨ q := Or.inl h\n"
                                 "example (a b : Prop) (h : a) : a ∨ b := t a b h\n")
    assert not results[2].proved


def test_fun_with_implicit_binders_without_a_type():
    # src/Lean/Parser/Term.lean: `funImplicitBinder` is "{" binderIdent+ (" : " term)? "}" (and the
    # strict-implicit ⦃…⦄ likewise): the type may be left out, and the names bind the statement's
    # implicit ∀ (the implicit lambda is blocked by `fun {`)
    r = check("""
example : ∀ {p q : Prop}, p ∨ q → q ∨ p :=
  fun {p q} h => Or.elim h (fun hp => Or.intro_right q hp) (fun hq => Or.intro_left p hq)
""")
    assert r.proved, messages(r)
    r = check("""
example : ∀ {p q : Prop}, p → q → p := fun ⦃p q⦄ hp _ => hp
""")
    assert r.proved, messages(r)
    r = check("""
example : ∀ {p q : Prop}, p ∨ q → q ∨ p :=
  fun {p q} h => Or.elim h (fun hp => Or.inr hp) (fun hq => Or.inr hq)
""")
    assert not r.proved and messages(r)[0].startswith("Type mismatch\n  hq")


def test_an_anonymous_hypothesis_can_be_applied():
    # src/Lean/Parser/Term.lean: `‹t›` is a term of maximal precedence, so Lean's application parser
    # (`app`, a trailing parser on such a term) takes arguments after it: `‹¬p› ‹p›`
    r = check("""
example (p q : Prop) : ¬p → p → q := by
  intro hnp hp
  exact False.elim (‹¬p› ‹p›)
""")
    assert r.proved, messages(r)
    r = check("""
example (p q : Prop) : ¬q → p → q := by
  intro hnq hp
  exact False.elim (‹¬p› ‹p›)
""")
    assert not r.proved and messages(r)[0].startswith("Tactic `assumption` failed")


# ----------------------------------------------------------------------------------- axioms

def test_an_axiom_over_propositions_is_a_constant():
    # src/Lean/Elab/Declaration.lean (`axiom`): a constant of the stated type, with the section variables
    # it mentions; Theorem Proving in Lean 4, "Working with Propositions as Types", cites `axiom hp : p`
    # with `variable {p : Prop}` (and warns it may make the theory inconsistent, as it does here)
    results, diags = check_lean_text("""variable {p : Prop}
variable {q : Prop}
theorem t1 : p → q → p := fun hp _ => hp
axiom hp : p
theorem t2 : q → p := t1 hp
axiom syl (a b c : Prop) : (a → b) → (b → c) → (a → c)
example (x y z : Prop) (h1 : x → y) (h2 : y → z) : x → z := syl x y z h1 h2
example (x y z : Prop) (h1 : x → y) (h2 : y → z) : x → z := syl y x z h1 h2
axiom syl (a : Prop) : a
axiom eq_self' {α : Type} (a : α) : a = a
""")
    assert [r.proved for r in results] == [True, True, True, False]
    assert [d.message for d in diags] == ["'syl' has already been declared",
                                          "the prop environment does not support the command `axiom`"]
