"""Behaviours of Lean 4 that a ninth set of texts not used while developing prop showed it lacked
(issue 28). Each test names where Lean documents or pins the behaviour; the statements are this file's
own, and each family keeps a wrong variant that Lean rejects."""

from qedjax.envs.prop.check import check_lean_text
from qedjax.envs.prop.syntax import parse_formula, pp
from tests.envs.prop.lean_text import message, proved, results

# ------------------------------------------------------------ intro (h : t) fixes a metavariable

BY_CASES = """
example (a b : Prop) : (a → b) → (¬a ∨ b) := by
  intro h
  apply Classical.byCases
  . intro (ha : a)
    exact Or.inr (h ha)
  . intro hna
    exact Or.inl hna
"""


def test_intro_with_a_type_ascription_assigns_the_metavariable_of_the_binder():
    # src/Lean/Elab/Tactic/BuiltinTactic.lean `evalIntro`: `intro ($h:ident : $type:term)` is
    # `introStep h h.getId type`, which elaborates `type` and checks `isDefEqGuarded type fvarType`;
    # after `apply Classical.byCases` the binder's type is the metavariable `?p`, which that assigns
    # (`?p := a`), so the second case's binder is `¬a`
    assert proved(BY_CASES)
    # wrong variant: with `?p := b` the second case has `¬b`, which does not give `¬a`
    assert not proved(BY_CASES.replace("intro (ha : a)\n    exact Or.inr (h ha)",
                                       "intro (hb : b)\n    exact Or.inr hb"))
    # an ascription that does not match a binder without metavariables stays a type mismatch
    assert message("example (a b : Prop) : a → a := by\n  intro (h : b)\n  exact h") \
        .startswith("type mismatch at `intro h`")


def test_intro_of_an_anonymous_ascription_does_not_assign_a_metavariable():
    # `evalIntro`: `intro (_ : t)` is no `$h:ident`; it is `intro h; match @h with | (_ : t) => ?_`,
    # a match on a discriminant whose type is a metavariable, which prop does not model: refused
    assert not proved(BY_CASES.replace("intro (ha : a)\n    exact Or.inr (h ha)",
                                       "intro (_ : a)\n    exact Or.inr (h ‹a›)"))


def test_a_hole_for_the_binders_type_never_becomes_a_hypothesis_that_proves_anything():
    # `intro (h : _)` against `?p → …`: Lean unifies the hole with `?p`, and a later `exact h` against
    # `False` assigns `?p := False`, so the other case needs `¬False → False` and fails. prop refuses the
    # hole there (it left `h` typed by its own elaborator's metavariable, which `exact h` matched with
    # any target, and proved `False`)
    assert not proved("theorem bad : False := by\n  apply Classical.byCases\n  · intro (h : _)\n"
                      "    exact h\n  · intro (h2 : _)\n    exact h2\n  exact True\n")
    assert not proved("theorem bad (a : Prop) : a := by\n  apply absurd\n  case h₂ =>\n    intro (h : _)\n"
                      "    exact h\n  case h₁ => exact True.intro\n")


def test_two_typed_binders_of_one_intro_cannot_assign_one_metavariable_twice():
    # `intro (h1 : a) (h2 : b)` is `intro (h1 : a); intro (h2 : b)` (`evalIntro` on several binders):
    # the first assigns `?p := a`, so the second binder's type is `a`, and `b` is a type mismatch
    foo = "theorem foo {p q : Prop} (h : p → p → q) (h2 : p) : q := h h2 h2\n"
    res = results(foo + "example (a b : Prop) (hb : b) : a := by\n  apply foo\n  · intro (h1 : a) (h2 : b)\n"
                        "    exact h1\n  · exact hb\n")
    assert [r.proved for r in res] == [True, False]
    # the same binders, both of the assigned type, are accepted
    res = results(foo + "example (a : Prop) (ha : a) : a := by\n  apply foo\n  · intro (h1 : a) (h2 : a)\n"
                        "    exact h1\n  · exact ha\n")
    assert [r.proved for r in res] == [True, True]


# ------------------------------------------------------------ fun | alternatives as an argument

SWAP_FUNS = """
example (a b : Prop) : a ∨ b ↔ b ∨ a := Iff.intro
  fun | .inl ha => .inr ha
      | .inr hb => .inl hb
  fun | .inl hb => .inr hb
      | .inr ha => .inl ha
"""


def test_a_function_of_match_alternatives_may_be_followed_by_further_arguments():
    # src/Lean/Parser/Term.lean: `fun` is `leading_parser:maxPrec … (basicFun <|> matchAlts)`, so it
    # may be an argument (`argument := checkWsBefore >> checkColGt >> termParser argPrec`), and
    # `matchAlts := withPosition $ many1Indent …`: the last right-hand side takes no argument left of
    # its first `|`; the next line's `fun` is then the application's next argument
    assert proved(SWAP_FUNS)
    # wrong variant: the second function does not swap
    assert not proved(SWAP_FUNS.replace(".inl hb => .inr hb", ".inl hb => .inl hb"))
    # a `fun x => body` still takes the rest as its body (nothing follows it as an argument)
    assert not proved("""
example (a b : Prop) : a ∧ b ↔ b ∧ a := Iff.intro
  fun h => ⟨h.2, h.1⟩
  fun h => ⟨h.2, h.1⟩
""")


def test_a_second_function_right_of_the_first_bar_belongs_to_the_last_alternative():
    # `checkColGt` against `matchAlts`' position: a `fun` right of the first `|` is an argument of the
    # last right-hand side (`.inl hb fun …`), which Lean rejects
    assert not proved("""
example (a b : Prop) : a ∨ b ↔ b ∨ a := Iff.intro
  fun | .inl ha => .inr ha
      | .inr hb => .inl hb
        fun | .inl hb => .inr hb
            | .inr ha => .inl ha
""")


# ------------------------------------------------------------ | p₁ | p₂ => rhs

def test_an_alternative_with_several_pattern_lists_shares_its_right_hand_side():
    # src/Lean/Parser/Term.lean `matchAlt`: "| " >> sepBy1 (sepBy1 termParser ", ") " | " >> darrow >>
    # rhs; src/Lean/Elab/MatchAltView.lean `expandMatchAlt` turns `| 0 | 1 => rhs` into `| 0 => rhs`
    # and `| 1 => rhs`
    source = """
example (a b c : Prop) : (a ∨ b) ∧ (a ∨ c) → a ∨ (b ∧ c) :=
  fun | ⟨.inr hb, .inr hc⟩ => .inr ⟨hb, hc⟩
      | ⟨.inl ha, _⟩ | ⟨_, .inl ha⟩ => .inl ha
"""
    assert proved(source)
    # wrong variant: the second pattern binds `hc`, so `ha` is unknown in its copy of the right side
    assert not proved(source.replace("⟨_, .inl ha⟩", "⟨_, .inl hc⟩"))
    # in tactics too (`match` alternatives, `intro | …`)
    tactic = """
example (a : Prop) (h : a ∨ a) : a := by
  match h with
  | .inl ha | .inr ha => exact ha
"""
    assert proved(tactic)
    # wrong variant: one right-hand side for hypotheses of two different propositions
    assert not proved(tactic.replace("(a : Prop) (h : a ∨ a)", "(a b : Prop) (h : a ∨ b)"))
    assert proved("""
example (a b : Prop) : (a ∨ a) ∨ a → a := by
  intro | .inl (.inl h) | .inl (.inr h) | .inr h => exact h
""")
    assert not proved("""
example (a b : Prop) : (a ∨ b) ∨ a → a := by
  intro | .inl (.inl h) | .inl (.inr h) | .inr h => exact h
""")


# ------------------------------------------------------------ and_intros

def test_and_intros_is_repeat_refine_and_intro():
    # src/Init/Tactics.lean: `syntax "and_intros" : tactic` with `macro_rules | `(tactic| and_intros) =>
    # `(tactic| repeat' refine And.intro ?_ ?_)`; `refine` tags two new anonymous goals `refine_1` and
    # `refine_2` under the parent's tag (Lean/Elab/Tactic/ElabTerm.lean `tagUntaggedGoals`)
    assert proved("""
example (a b c : Prop) (ha : a) : (a ∨ b ∨ c) ∧ (b ∨ a ∨ c) ∧ (b ∨ c ∨ a) := by
  and_intros ; repeat (first | left ; assumption | right | assumption)
""")
    assert proved("""
example (a b c : Prop) (ha : a) (hb : b) (hc : c) : a ∧ (b ∧ c) ∧ a := by
  and_intros
  case refine_1 => exact ha
  case refine_2.refine_1 => exact hb
  all_goals assumption
""")
    # wrong variants: a conjunct with no proof; and a goal left open
    assert not proved("example (a b c : Prop) (ha : a) (hc : c) : a ∧ b := by\n  and_intros <;> assumption")
    assert not proved("example (a b : Prop) (ha : a) (hb : b) : a ∧ b := by\n  and_intros\n  exact ha")
    # it splits conjunctions only: a disjunction is left as it is
    assert not proved("example (a b : Prop) (hb : b) : a ∨ b := by\n  and_intros\n  exact hb")


# ------------------------------------------------------------ `~` is no negation in Lean 4

def test_a_tilde_is_no_negation_in_a_lean_file():
    # src/Init/Notation.lean declares `notation:max "¬" p:40 => Not p` and the ASCII `/\`, `\/` (and
    # Init/Core.lean `<->`), but Lean 4 has no `~` for `Not` (Lean 3's spelling; a project may declare
    # its own); `prop` had read `~p` as `¬p` in files
    res, _ = check_lean_text("example (p : Prop) (h : p → False) : ~p := h")
    assert not res or not res[0].proved
    assert not proved("""
example (p q : Prop) (hp : p) (h : p → False) : q := by
  have hn : ~p := h
  exact absurd hp hn
""")
    # the same proofs with `¬` are Lean's
    assert proved("example (p : Prop) (h : p → False) : ¬p := h")
    # outside a file (benchmark records, sessions) `~` stays an accepted ASCII spelling of `¬`
    assert pp(parse_formula("~p → q")) == "¬p → q"


# ------------------------------------------------------------ tabs and isolated carriage returns

TAB_ERROR = "tabs are not allowed; please configure your editor to expand them"
CR_ERROR = "isolated carriage returns are not allowed"
ID = "theorem t (p : Prop) (hp : p) : p := by\n  exact hp\n"


def file_errors(source: str) -> list:
    """(line, column, message) of the file-level errors, and no declaration proved."""
    res, diags = check_lean_text(source)
    assert not any(r.proved for r in res), res
    return [(d.line, d.column, d.message) for d in diags if d.severity == "error"]


def test_a_tab_where_lean_skips_whitespace_is_a_parse_error():
    # src/Lean/Parser/Basic.lean `whitespace`: `if curr == '\t' then s.mkUnexpectedError "tabs are not
    # allowed; please configure your editor to expand them"`, at the tab (column in code points)
    assert file_errors(ID.replace("  exact", "\texact")) == [(2, 0, TAB_ERROR)]
    assert file_errors(ID.replace("exact hp", "exact\thp")) == [(2, 7, TAB_ERROR)]
    assert file_errors(ID.replace("(p : Prop)", "(p :\tProp)")) == [(1, 14, TAB_ERROR)]
    assert file_errors("\t" + ID) == [(1, 0, TAB_ERROR)]  # the header's whitespace too
    assert file_errors(ID + "\t\n") == [(3, 0, TAB_ERROR)]  # and the end of the file
    # after a comment, `whitespace` goes on skipping and meets the tab
    assert file_errors(ID.replace("exact hp", "exact hp -- done\n\t")) == [(3, 0, TAB_ERROR)]
    assert file_errors(ID.replace("exact hp", "exact /- x -/\thp")) == [(2, 15, TAB_ERROR)]
    assert proved(ID)


def test_a_tab_inside_a_comment_or_a_literal_is_allowed():
    # `whitespace` skips a line comment with `takeUntilFn (· = '\n')` and a block or doc comment with
    # `finishCommentBlock`, and `strLitFnAux`/`charLitFnAux`/`rawStrLitFnAux` and an escaped name part
    # in `identFnAux` (Basic.lean) take any character: a tab there is no whitespace to Lean
    assert proved(ID.replace("exact hp", "exact hp -- a\ttab"))
    assert proved(ID.replace("exact hp", "/- a\ttab -/ exact hp"))
    assert proved("/-- a\tdoc comment -/\n" + ID)
    assert proved('#check "a\tstring"\n' + ID)
    assert proved("#check '\t'\n#check '\\t'\n" + ID)
    assert proved('#check r#"a"\tb"#\n' + ID)
    assert proved('#check fun («h\tp» : True) => «h\tp»\n' + ID)  # `identFnAux`: `«` runs to `»`
    # wrong variant: a tab right after the closing quote is whitespace again
    assert file_errors("#check '\t'\t\n" + ID) == [(1, 10, TAB_ERROR)]
    # `quotedCharFn`: `'\''` is one character literal, so the tab after it is whitespace
    assert file_errors("#check '\\''\t'\n" + ID) == [(1, 11, TAB_ERROR)]


def test_crlf_line_endings_are_read_as_lf_and_an_isolated_carriage_return_is_refused():
    # Lean's frontend reads a file through `String.crlfToLf` (lean4 PR 3903), which turns each `\r\n`
    # into `\n`; `whitespace` (Basic.lean) then refuses any `\r` left: "isolated carriage returns are not
    # allowed", at the `\r`
    assert proved(ID.replace("\n", "\r\n"))
    assert file_errors(ID.replace("by\n", "by\r")) == [(1, 39, CR_ERROR)]
    assert file_errors(ID.replace("by\n", "by \r\n  \r")) == [(2, 2, CR_ERROR)]
    # `crlfToLf` reads left to right: `\r\r\n` keeps one `\r`, refused like any other
    assert file_errors(ID.replace("by\n", "by\r\r\n")) == [(1, 39, CR_ERROR)]
    # a `\r` inside a comment or a string is no whitespace; it does not end a line comment
    assert proved(ID.replace("exact hp", "exact hp -- a\rcomment"))
    assert proved('#check "a\rstring"\n' + ID)


def test_a_file_is_read_without_newline_translation(tmp_path):
    # what `qed prop check FILE` reads is what Lean reads: a `\r` that a newline translation would have
    # turned into a line break stays a `\r` (Basic.lean `whitespace` refuses it; a line comment runs on
    # to the next `\n`, `takeUntilFn`)
    from qedjax.envs.prop.check import check_path
    lone = tmp_path / "lone.lean"
    lone.write_bytes(ID.replace("by\n", "by\r").encode())
    res, diags = check_path(lone)
    assert not any(r.proved for r in res)
    assert [(d.line, d.column, d.message) for d in diags] == [(1, 39, CR_ERROR)]
    # the text after the `\r` is still the comment's: a second `exact hp` there is no tactic
    comment = tmp_path / "comment.lean"
    comment.write_bytes(ID.replace("exact hp", "exact hp -- done\r  exact hp").encode())
    res, diags = check_path(comment)
    assert [r.proved for r in res] == [True] and not diags
    crlf = tmp_path / "crlf.lean"
    crlf.write_bytes(ID.replace("\n", "\r\n").encode())
    res, diags = check_path(crlf)
    assert [r.proved for r in res] == [True] and not diags


def test_a_record_proof_is_file_text_and_refuses_a_tab_too():
    # a record's `tactics` steps and `proof` are what a file holds after `:= by`/`:=`; Lean's
    # `whitespace` (Basic.lean) refuses a tab or an isolated `\r` there, and `crlfToLf` reads `\r\n`
    from qedjax.envs.prop.check import check_records
    recs = [{"statement": "p → p", "tactics": ["intro\th", "exact h"]},
            {"statement": "p → p", "proof": "by\n\tintro h\n\texact h"},
            {"statement": "p → p", "proof": "by\r  intro h\n  exact h"},
            {"statement": "p → p", "proof": "by\r\n  intro h\r\n  exact h -- a\ttab"},
            {"statement": "p → p", "tactics": ["intro h", "exact h"]}]
    out = check_records(recs)
    assert [r.status for r in out] == ["failed", "failed", "failed", "proved", "proved"]
    assert [(d.line, d.column, d.message) for r in out[:3] for d in r.diagnostics] == \
        [(1, 5, TAB_ERROR), (2, 0, TAB_ERROR), (1, 2, CR_ERROR)]
