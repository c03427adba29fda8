"""scripts/prop_extract.py: keeps a Lean file's propositional declarations verbatim, with its imports
and scopes, and drops what another set already holds."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SOURCE = """/- header comment -/
import LoVe.LoVelib

set_option autoImplicit false

def f (n : Nat) : Nat := n

theorem keep (a b : Prop) : a → b → a :=
  fun ha _ => ha

theorem nat (n : Nat) : n = n := rfl

example (p : Prop) : p → p := by
  sorry

example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  exact ⟨hp, hq⟩
"""


def run(tmp_path, *args):
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "prop_extract.py"), *args],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_extract_keeps_propositional_declarations_imports_and_scopes(tmp_path):
    (tmp_path / "Sheet1.lean").write_text(SOURCE, encoding="utf-8")
    stdout = run(tmp_path, "--out", "out", "--label", "owner/repo @ abc", "--source-path", "dir/Sheet1.lean",
                 "Sheet1.lean")
    assert "kept 2 declarations, dropped 2" in stdout  # `nat` is not propositional, one uses sorry
    text = (tmp_path / "out" / "Sheet1.lean").read_text(encoding="utf-8")
    assert text.startswith("-- Propositional declarations of owner/repo @ abc : dir/Sheet1.lean, verbatim.")
    assert "import LoVe.LoVelib" in text and "set_option autoImplicit false" in text
    assert "theorem keep (a b : Prop) : a → b → a :=\n  fun ha _ => ha" in text
    assert "exact ⟨hp, hq⟩" in text
    assert "def f" not in text and "theorem nat" not in text and "sorry" not in text


DEFS = """variable (a b : Prop)

def f (n : Nat) : Nat := n

def pq (ha : a) (hb : b) : a ∧ b := ⟨ha, hb⟩

abbrev swap : a ∧ b → b ∧ a := fun ⟨ha, hb⟩ => ⟨hb, ha⟩

def stub : a → a := sorry
"""


def test_extract_keeps_definitions_that_prove_a_proposition(tmp_path):
    # Lean accepts a `def` whose type is a proposition, and later proofs cite it: it is a real proof
    # and is kept and counted; a definition of data is neither kept nor counted, a `sorry` is dropped
    (tmp_path / "D.lean").write_text(DEFS, encoding="utf-8")
    stdout = run(tmp_path, "--out", "out", "D.lean")
    assert "kept 2 declarations, dropped 1" in stdout
    text = (tmp_path / "out" / "D.lean").read_text(encoding="utf-8")
    assert "def pq (ha : a) (hb : b) : a ∧ b := ⟨ha, hb⟩" in text and "abbrev swap" in text
    assert "def f" not in text and "def stub" not in text


MACROS = """macro "split_and" : tactic => `(tactic| constructor <;> assumption)

syntax "my_triv" : tactic

macro_rules
  | `(tactic| my_triv) => `(tactic| trivial)

macro "const" e:term : term => `(fun _ => $e)

def g (n : Nat) : Nat := n

@[simp]
theorem swap (p q : Prop) : p ∧ q ↔ q ∧ p := and_comm

@[simp]
def h (n : Nat) : Nat := n

attribute [simp] swap

example (p q : Prop) (hp : p) (hq : q) : p ∧ q := by
  split_and

def EM : Prop := ∀ a : Prop, a ∨ ¬a

private theorem hidden (p : Prop) (hp : p) : p := hp

theorem em_em : EM → EM := fun h => h
"""


def test_extract_keeps_the_file_local_commands_proofs_depend_on(tmp_path):
    # tactic macros and syntax, `attribute` commands, a kept declaration's `@[…]` and definitions of closed
    # propositions (which a kept header names); not term macros, not other definitions, not the attribute of
    # a dropped declaration
    (tmp_path / "M.lean").write_text(MACROS, encoding="utf-8")
    stdout = run(tmp_path, "--out", "out", "M.lean")
    assert "kept 4 declarations" in stdout
    text = (tmp_path / "out" / "M.lean").read_text(encoding="utf-8")
    assert "def EM : Prop := ∀ a : Prop, a ∨ ¬a" in text and "theorem em_em : EM → EM" in text
    assert "private theorem hidden (p : Prop)" in text  # a declaration with modifiers
    assert 'macro "split_and" : tactic' in text and 'syntax "my_triv" : tactic' in text
    assert "`(tactic| my_triv) => `(tactic| trivial)" in text
    assert "@[simp]\ntheorem swap" in text and "attribute [simp] swap" in text
    assert 'macro "const"' not in text and "def g" not in text and "def h" not in text
    assert text.count("@[simp]") == 1


def test_extract_drops_what_a_seen_set_holds(tmp_path):
    (tmp_path / "seen").mkdir()
    # the same declaration, laid out differently, is already in the seen set
    seen = "theorem keep (a b : Prop) :\n    a → b → a := fun ha _ => ha\n"
    (tmp_path / "seen" / "a.lean").write_text(seen, encoding="utf-8")
    (tmp_path / "Sheet1.lean").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "Sheet2.lean").write_text(SOURCE, encoding="utf-8")
    stdout = run(tmp_path, "--out", "out", "--seen", "seen", "Sheet1.lean", "Sheet2.lean")
    assert "Sheet1.lean: kept 1 declarations" in stdout  # `keep` was seen
    assert "Sheet2.lean: kept 0 declarations" in stdout  # the example was kept from Sheet1 already
    assert not (tmp_path / "out" / "Sheet2.lean").exists()


def test_a_file_the_lexer_cannot_read_is_named_and_skipped(tmp_path):
    (tmp_path / "Bad.lean").write_text('def s := "never closed\n', encoding="utf-8")
    (tmp_path / "Sheet1.lean").write_text(SOURCE, encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "prop_extract.py"), "--out", "out",
                          "Bad.lean", "Sheet1.lean"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "error: Bad.lean: not read as Lean source (unterminated string literal)"]
    assert "Sheet1.lean: kept 2 declarations" in out.stdout  # the other files are still extracted


def test_prop_corpus_counts_tauto_proofs_only_when_asked(tmp_path):
    # scripts/prop_corpus.py measures acceptance as written; `tauto` is Mathlib's and Lean accepts it,
    # prop refuses it unless allowed (a search must not get a decision procedure)
    (tmp_path / "t.lean").write_text("import Mathlib.Tactic\nexample (p q : Prop) : p ∧ q → q ∧ p := by\n  tauto\n",
                                     encoding="utf-8")

    def accepted(*flags):
        out = subprocess.run([sys.executable, str(ROOT / "scripts" / "prop_corpus.py"), "--corpus", str(tmp_path),
                              *flags], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        line = next(s for s in out.stdout.splitlines() if s.startswith("real proofs accepted"))
        return line.split()[5:7]

    assert accepted() == ["0", "1"]
    assert accepted("--allow-tauto") == ["1", "1"]


def test_extract_keeps_auto_bound_headers_of_a_project_that_leaves_auto_implicit_on(tmp_path):
    # src/Lean/Elab/AutoBound.lean: `autoImplicit` is on by default; a file's `set_option` overrides it
    source = ("variable (p : Prop)\n"
              "example : p ∧ q → q := fun h => h.2\n"
              "example (h : q) : q := h\n"               # `q : Sort u`: not a proposition, dropped
              "set_option autoImplicit false\n"
              "example : p ∨ r → r ∨ p := fun h => h.symm\n")
    (tmp_path / "A.lean").write_text(source, encoding="utf-8")
    assert "kept 0 declarations, dropped 3" in run(tmp_path, "--out", "plain", "A.lean")
    assert "kept 1 declarations, dropped 2" in run(tmp_path, "--out", "auto", "--auto-implicit", "A.lean")
    kept = (tmp_path / "auto" / "A.lean").read_text(encoding="utf-8")
    assert "p ∧ q → q" in kept and "(h : q)" not in kept and "p ∨ r" not in kept


def test_corpus_false_variants_leave_out_names_two_declarations_share(tmp_path):
    # a false variant is matched to its declaration by name: two theorems `t1` of two namespaces would
    # credit one's variant to the other (a real proof of an unchanged statement counted as a false one)
    (tmp_path / "a.lean").write_text("namespace A\ntheorem t1 (p q : Prop) (hp : p) (hq : q) : p := hp\nend A\n"
                                     "namespace B\ntheorem t1 : True := trivial\nend B\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "prop_corpus.py"), "--corpus", str(tmp_path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    line = next(s for s in out.stdout.splitlines() if s.startswith("false statements proved"))
    assert line.split()[3:5] == ["0", "0"] and "1 names shared by two declarations left out" in line


def test_axioms_are_kept_and_their_files_leave_the_false_variant_runs(tmp_path):
    # a proof may cite a file's axiom (Lean accepts what it makes provable, false statements included):
    # the extractor keeps axioms over propositions, and the corpus runs no false variants on such a file
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "Ax.lean").write_text("variable {p : Prop}\naxiom hp : p\naxiom n {α : Type} (a : α) : a = a\n"
                                              "theorem t (q : Prop) : q → p := fun _ => hp\n", encoding="utf-8")
    assert "kept 1 declarations" in run(tmp_path, "--out", "out", "src/Ax.lean")
    kept = (tmp_path / "out" / "Ax.lean").read_text(encoding="utf-8")
    assert "axiom hp : p" in kept and "axiom n" not in kept
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "prop_corpus.py"), "--corpus", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1     1" in out.stdout and "1 files with axioms left out" in out.stdout


CITED = """open Classical

theorem dne {p : Prop} (h : ¬¬p) : p :=
  byContradiction fun hn => h hn

theorem unused (p : Prop) (hp : p) : p := hp

theorem dne_or {p q : Prop} (h : ¬¬(p ∨ q)) : p ∨ q := dne h

example (a b : Prop) (h : ¬¬(a ∨ b)) : b ∨ a :=
  (dne_or h).symm
"""


def _corpus_counts(corpus):
    """(accepted, total, context accepted, context total, false variants tried) from scripts/prop_corpus.py."""
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "prop_corpus.py"), "--corpus", str(corpus)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()

    def numbers(prefix):
        line = next((s for s in lines if s.startswith(prefix)), None)
        return [int(w) for w in line[len(prefix):].split()[:2]] if line else [0, 0]
    return (*numbers("real proofs accepted as written"), *numbers("context, checked, not counted"),
            numbers("false statements proved")[1])


def test_a_seen_declaration_that_later_proofs_cite_is_kept_as_context_and_not_counted(tmp_path):
    # the unseen file's own `dne` is in a seen set verbatim; its later proofs cite it (through `dne_or`,
    # seen as well), so the extraction keeps both as context: checked, so that the example runs as its
    # file has it, but neither counted nor given false variants; `unused`, cited by nothing, is dropped
    (tmp_path / "seen").mkdir()
    (tmp_path / "seen" / "s.lean").write_text(CITED.split("example")[0], encoding="utf-8")
    (tmp_path / "T.lean").write_text(CITED, encoding="utf-8")
    stdout = run(tmp_path, "--out", "out", "--seen", "seen", "T.lean")
    assert "T.lean: kept 1 declarations, dropped 3 (2 of them kept as context)" in stdout
    text = (tmp_path / "out" / "T.lean").read_text(encoding="utf-8")
    assert "-- context (not counted): dne\ntheorem dne {p : Prop}" in text
    assert "-- context (not counted): dne_or\ntheorem dne_or" in text
    assert "theorem unused" not in text and "(dne_or h).symm" in text
    accepted, total, ctx_ok, ctx, tried = _corpus_counts(tmp_path / "out")
    assert (accepted, total, ctx_ok, ctx) == (1, 1, 2, 2)
    # the false variants are those of the example alone: a file with the example only gets as many
    (tmp_path / "alone").mkdir()
    (tmp_path / "alone" / "T.lean").write_text("example" + CITED.split("example")[1], encoding="utf-8")
    assert _corpus_counts(tmp_path / "alone")[4] == tried > 0
    # without its mark, a context declaration is an ordinary one of the file: counted and varied
    (tmp_path / "out" / "T.lean").write_text(text.replace("-- context (not counted)", "-- note"), encoding="utf-8")
    accepted, total, _, ctx, tried_all = _corpus_counts(tmp_path / "out")
    assert (accepted, total, ctx) == (3, 3, 0) and tried_all > tried
