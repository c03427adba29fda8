#!/usr/bin/env python3
"""Derive the propositional lemmas `prop` knows from Lean 4 core and Mathlib sources.

Reads Lean core's `src/Init/PropLemmas.lean`, `src/Init/Core.lean`, `src/Init/SimpLemmas.lean` and
`src/Init/Classical.lean` and Mathlib's `Mathlib/Logic/Basic.lean` and keeps every lemma (`theorem`,
`lemma`, and the names `alias`, `abbrev new := @old` and `export NS (…)` give one) whose statement is
purely propositional: proposition variables, hypotheses and a conclusion over `∧ ∨ ¬ → ↔`, `=`
between propositions, `True`, `False` and `∀ (p : Prop)`, with no instance argument. For each it
records the name, the statement exactly as written, and the signature as Lean elaborates it: the
section `variable`s the statement mentions, then its auto-bound implicit variables in order of
first occurrence (`{a b : Prop}`), then its own binders with their explicit/implicit brackets. A
binder over a `Sort` (`{α : Sort u}`, `{α}`) is a proposition variable here, since `prop` has no
other sorts. Each lemma also records whether its source gives it the `simp` attribute (`@[simp]` on
the declaration or an `attribute [simp] …` command of the file): those are the propositional part of
the default simp set. The output is vendored as `qedjax/envs/prop/data/lean_lemmas.json` with the sources'
repositories, commits, copyright lines and licence (Apache-2.0); `prop` reads that file, never the
sources.

    python scripts/prop_lemmas.py --lean4 LEAN4_CHECKOUT --mathlib4 MATHLIB4_CHECKOUT \\
        [--lean4-commit SHA] [--mathlib4-commit SHA] [--file-commit PATH=SHA] [--file-repository PATH=OWNER/NAME]
        [--out qedjax/envs/prop/data/lean_lemmas.json]

The vendored list: `--lean4-commit 00999644a5dcef73215a44bd4098202ea2e2f539 --mathlib4-commit
0042b7ef73ce23dc1ee92ade5701e53622e3566f --file-commit
src/Init/PropLemmas.lean=003ad0a977e4814b1a30a6e872b5473355894a6a --file-commit
src/Init/SimpLemmas.lean=f2482df773f8ab41e1f9af7c1f7673a92487cf9a --file-commit
src/Init/Classical.lean=6309ad8f8fffffc879d7f9bb70dbde97c1be5835 --file-repository
src/Init/Classical.lean=Rob23oba/lean4` (the newer `Init/Classical.lean`, with `Classical.not_imp` and the
other classical lemmas, read from a fork of leanprover/lean4 that carries it unchanged).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import subprocess
import sys
from pathlib import Path

from qedjax.envs.prop.decls import Param, header_vars, parse_binders, parse_header
from qedjax.envs.prop.lexer import Token, tokenize
from qedjax.envs.prop.parser import stream
from qedjax.envs.prop.syntax import Iff, Imp, pp
from qedjax.errors import ParseError
from qedjax.io import atomic_write_json

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (("leanprover/lean4", "lean4", "src/Init/PropLemmas.lean"),
           ("leanprover/lean4", "lean4", "src/Init/Core.lean"),
           ("leanprover/lean4", "lean4", "src/Init/SimpLemmas.lean"),
           ("leanprover/lean4", "lean4", "src/Init/Classical.lean"),
           ("leanprover-community/mathlib4", "mathlib4", "Mathlib/Logic/Basic.lean"))
LICENCE = ROOT / "tests" / "data" / "prop_corpus" / "LICENSE-Apache-2.0.txt"

# tokens that start a command when they open a line at column 0
_COMMANDS = {"theorem", "lemma", "def", "abbrev", "instance", "structure", "class", "inductive", "axiom",
             "opaque", "alias", "export", "namespace", "section", "end", "variable", "universe", "open",
             "attribute", "set_option", "library_note", "noncomputable", "protected", "private", "@", "#",
             "macro", "macro_rules", "syntax", "notation", "infix", "infixl", "infixr", "prefix", "postfix",
             "deriving", "prelude", "import", "mutual", "elab", "local", "scoped", "unsafe", "partial"}
_AUTO_BOUND = re.compile(r"[A-Za-z\u03b1-\u03c9](?:[0-9'\u2080-\u2089]*)")
_SORT = {"Sort", "Type"}


@dataclasses.dataclass
class Lemma:
    name: str
    params: list  # of Param
    concl: object
    statement: str
    source: str
    kind: str  # theorem | alias
    simp: bool = False  # `@[simp]` in its source

    def signature(self) -> str:
        """``name binders : type`` in prop's library syntax (consecutive binders of one bracket kind
        and one type share a group, as in ``{a b : Prop}``)."""
        groups: list[tuple[bool, str, list[str]]] = []
        for p in self.params:
            ty = "Prop" if p.dom is None else pp(p.dom)
            if groups and groups[-1][0] == p.implicit and groups[-1][1] == ty:
                groups[-1][2].append(p.name)
            else:
                groups.append((p.implicit, ty, [p.name]))
        parts = [self.name] + [("{%s : %s}" if imp else "(%s : %s)") % (" ".join(ns), ty)
                               for imp, ty, ns in groups]
        return " ".join(parts) + " : " + pp(self.concl)


def _commands(toks: list[Token]) -> list[tuple[int, int]]:
    starts = [i for i, t in enumerate(toks)
              if t.bol and t.col == 0 and (t.text in _COMMANDS or t.text.startswith("gen_"))]
    starts.append(len(toks))
    return list(zip(starts, starts[1:]))


def _src(text: str, toks: list[Token], a: int, b: int) -> str:
    return " ".join(text[toks[a].pos:toks[b - 1].end].split()) if b > a else ""


def _header_end(toks: list[Token], a: int, b: int) -> int:
    """Index of the `:=` (or of a `|` opening an equation line, or `where`) ending a signature."""
    depth = 0
    for i in range(a, b):
        t = toks[i]
        if t.text in ("(", "{", "[", "⦃", "⟨"):
            depth += 1
        elif t.text in (")", "}", "]", "⦄", "⟩"):
            depth -= 1
        elif depth == 0 and (t.text == ":=" or t.text == "where" or (t.text == "|" and t.bol)):
            return i
    return b


def _sort_binders(toks: list[Token], a: int, b: int) -> list[Token] | None:
    """The signature's tokens with every `Sort`-typed binder read as `Prop` (`{α}` too); None when a
    binder is over a `Type`."""
    out: list[Token] = []
    i = a
    depth = 0
    while i < b:
        t = toks[i]
        if depth == 0 and t.text in ("(", "{", "⦃"):
            close = {"(": ")", "{": "}", "⦃": "⦄"}[t.text]
            j = i + 1
            while j < b and toks[j].kind == "ident":
                j += 1
            if j > i + 1 and j < b and toks[j].text == close:  # `{α}`: a Sort variable
                out.extend(toks[i:j])
                out.append(Token("sym", ":", toks[j].pos, toks[j].line, toks[j].col, False))
                out.append(Token("ident", "Prop", toks[j].pos, toks[j].line, toks[j].col, False))
                i = j
                continue
            if j > i + 1 and j + 1 < b and toks[j].text == ":" and toks[j + 1].text in _SORT:
                if toks[j + 1].text == "Type":
                    return None
                k = j + 2
                while k < b and toks[k].text != close:  # `Sort u`, `Sort _`, `Sort*`
                    k += 1
                out.extend(toks[i:j + 1])
                out.append(Token("ident", "Prop", toks[j + 1].pos, toks[j + 1].line, toks[j + 1].col, False))
                i = k
                continue
        if t.text in ("(", "{", "[", "⦃"):
            depth += 1
        elif t.text in (")", "}", "]", "⦄"):
            depth -= 1
        out.append(t)
        i += 1
    return out


def _binder_names(toks: list[Token]) -> set[str]:
    """Names the signature's own binders declare (before the `:` that starts its type)."""
    names, depth, collecting = set(), 0, False
    for t in toks:
        if depth == 0 and t.text == ":":
            break
        if t.text in ("(", "{", "[", "⦃"):
            depth += 1
            collecting = depth == 1
        elif t.text in (")", "}", "]", "⦄"):
            depth -= 1
            collecting = False
        elif t.text == ":":
            collecting = False
        elif collecting and t.kind == "ident":
            names.add(t.text)
    return names


def _signature(text: str, toks: list[Token], variables: list[Param]):
    """(params, conclusion) of a signature token list, or None when it is not purely propositional."""
    declared = {p.name: True for p in variables if p.is_prop}
    own = _binder_names(toks)
    auto: list[str] = []
    while True:
        ts = stream(toks, text, 0, len(toks))
        try:
            params, concl = parse_header(ts, {**declared, **{n: True for n in auto}})
        except ParseError as e:
            m = re.fullmatch(r"Unknown identifier `(.+)`", e.message)
            if m is None or m.group(1) in own or m.group(1) in auto or not _AUTO_BOUND.fullmatch(m.group(1)) \
                    or len(auto) > 8:
                return None
            auto.append(m.group(1))
            continue
        if not ts.done():
            return None
        break
    mentioned = header_vars(params, concl)
    used_vars = [p for p in variables if p.name in mentioned and p.name not in own]
    return used_vars + [Param(n, None, True) for n in auto] + params, concl


def _copyright(text: str) -> str:
    m = re.search(r"Copyright \(c\)[^\n]*", text)
    return m.group(0).strip() if m else ""


def extract(text: str, label: str) -> tuple[list[Lemma], list[tuple[str, str, str]]]:
    """Lemmas of one source file and its aliases ``(new name, target, direction)``."""
    toks = tokenize(text)
    lemmas: list[Lemma] = []
    aliases: list[tuple[str, str, str]] = []
    scopes: list[tuple[str, str, list]] = [("root", "", [])]  # (kind, namespace, variables)
    simp_names = _simp_attribute_names(toks)
    attrs: list[str] = []  # an `@[…]` line of its own before the declaration
    for a, b in _commands(toks):
        words = [t.text for t in toks[a:b]]
        kw_i = next((i for i in range(a, b) if toks[i].text in ("theorem", "lemma", "alias", "namespace",
                                                                  "section", "end", "variable", "abbrev",
                                                                  "export")), None)
        attrs, before = (words if words[0] == "@" and kw_i is None else []), attrs
        if kw_i is None:
            continue
        kw = toks[kw_i].text
        ns = scopes[-1][1]
        if kw in ("namespace", "section") and kw_i == a:
            name = toks[a + 1].text if a + 1 < b and toks[a + 1].bol is False else ""
            inner = f"{ns}.{name}" if kw == "namespace" and ns else (name if kw == "namespace" else ns)
            scopes.append((kw, inner, list(scopes[-1][2])))
        elif kw == "end" and kw_i == a:
            if len(scopes) > 1:
                scopes.pop()
        elif kw == "variable" and kw_i == a:
            _variable(text, toks, a + 1, b, scopes[-1][2])
        elif kw in ("theorem", "lemma") and kw_i + 1 < b:
            name = toks[kw_i + 1].text
            if kw_i + 2 < b and toks[kw_i + 2].text == "." and toks[kw_i + 2].pos == toks[kw_i + 1].end:
                continue  # universe parameters `foo.{u}`
            full = f"{ns}.{name}" if ns else name  # `protected` only hides the short name
            end = _header_end(toks, kw_i + 2, b)
            sig_toks = _sort_binders(toks, kw_i + 2, end)
            if sig_toks is None:
                continue
            sig = _signature(text, sig_toks, scopes[-1][2])
            if sig is None:
                continue
            line = toks[a].line + 1
            simp = _has_simp(before + words[:kw_i - a]) or full in simp_names or name in simp_names
            lemmas.append(Lemma(full, sig[0], sig[1], _src(text, toks, kw_i + 2, end), f"{label}:{line}",
                                "theorem", simp))
        elif kw == "alias" and kw_i == a:
            aliases.extend((n, t, d, f"{label}:{toks[a].line + 1}") for n, t, d in _alias(words[1:], ns))
        elif kw == "abbrev" and words[kw_i - a + 2:kw_i - a + 3] == [":="]:
            # `abbrev new := @target` (a lemma renamed without binders): an alias of the same statement
            rest = [w for w in words[kw_i - a + 3:] if w != "@"]
            if len(rest) == 1:
                declared = {lem.name for lem in lemmas}
                target = f"{ns}.{rest[0]}" if ns and f"{ns}.{rest[0]}" in declared else rest[0]
                full = f"{ns}.{words[kw_i - a + 1]}" if ns else words[kw_i - a + 1]
                aliases.append((full, target, "same", f"{label}:{toks[kw_i].line + 1}"))
        elif kw == "export" and kw_i == a and len(words) > 3 and words[2] == "(" and words[-1] == ")":
            # `export NS (a b)`: `a` and `b` name `NS.a` and `NS.b` where the command is (Lean's export)
            for n in words[3:-1]:
                aliases.append((f"{ns}.{n}" if ns else n, f"{words[1]}.{n}", "same",
                                f"{label}:{toks[a].line + 1}"))
    return lemmas, aliases


def _has_simp(words: list[str]) -> bool:
    """Whether the attribute tokens before a declaration's keyword (`@[simp]`, `@[simp, grind]`) give it
    `simp` (not `-simp`, not `simps`)."""
    return any(w == "simp" and (k == 0 or words[k - 1] != "-") for k, w in enumerate(words))


def _simp_attribute_names(toks: list[Token]) -> set[str]:
    """Names an `attribute [simp] a b …` command of the file gives `simp` (as written)."""
    out: set[str] = set()
    for a, b in _commands(toks):
        words = [t.text for t in toks[a:b]]
        if words[:1] == ["attribute"] and "]" in words and _has_simp(words[1:words.index("]")]):
            out.update(w for w in words[words.index("]") + 1:] if w not in (",",))
    return out


def _variable(text: str, toks: list[Token], a: int, b: int, variables: list) -> None:
    """A `variable` line: new binders (kept when they parse as propositional), or `(x y)` / `{x}`
    changing the brackets of existing ones."""
    i = a
    while i < b:
        t = toks[i]
        if t.text not in ("(", "{", "[", "⦃"):
            return
        close = {"(": ")", "{": "}", "[": "]", "⦃": "⦄"}[t.text]
        j = i + 1
        while j < b and toks[j].text != close:
            j += 1
        group = toks[i:j + 1]
        names = [g.text for g in group[1:-1]]
        known = {v.name for v in variables}
        if all(g.kind == "ident" for g in group[1:-1]) and set(names) <= known:
            for k, v in enumerate(variables):  # `variable (P Q)`: change the brackets only
                if v.name in names:
                    variables[k] = Param(v.name, v.dom, t.text != "(")
        else:
            conv = _sort_binders(group, 0, len(group))
            if conv is not None:
                try:
                    params = parse_binders(stream(conv, text), {v.name: True for v in variables if v.is_prop})
                    names_new = {p.name for p in params}
                    variables[:] = [v for v in variables if v.name not in names_new] + params
                except ParseError:
                    names_new = set(names)
                    variables[:] = [v for v in variables if v.name not in names_new]
        i = j + 1


def _alias(words: list[str], ns: str):
    """`alias new := target`, `alias ⟨mp, mpr⟩ := target`, and the older `alias target ← new`,
    `alias target ↔ mp mpr`: (new name, target, "same" | "mp" | "mpr")."""
    def full(n: str) -> str:
        return f"{ns}.{n}" if ns else n
    if ":=" in words:
        k = words.index(":=")
        target, lhs = words[k + 1] if k + 1 < len(words) else "", words[:k]
        if lhs and lhs[0] == "⟨":
            names = [w for w in lhs[1:] if w not in (",", "⟩")]
            return [(full(n), target, d) for n, d in zip(names, ("mp", "mpr")) if n != "_"]
        return [(full(lhs[0]), target, "same")] if lhs else []
    if "←" in words:
        k = words.index("←")
        return [(full(n), words[0], "same") for n in words[k + 1:]]
    if "↔" in words:
        k = words.index("↔")
        return [(full(n), words[0], d) for n, d in zip(words[k + 1:k + 3], ("mp", "mpr")) if n != "_"]
    return []


def resolve_aliases(lemmas: list[Lemma], aliases) -> list[Lemma]:
    """Aliases whose target is a kept lemma; an `↔` alias keeps one direction as an implication."""
    by_name = {lem.name: lem for lem in lemmas}
    out = []
    for new, target, direction, where in aliases:
        t = by_name.get(target)
        if t is None:
            continue
        concl = t.concl
        if direction != "same":
            if not isinstance(concl, Iff):
                continue
            concl = Imp(concl.left, concl.right) if direction == "mp" else Imp(concl.right, concl.left)
        out.append(Lemma(new, t.params, concl, f"alias of {target}" + ("" if direction == "same" else
                                                                      f" ({direction})"), where, "alias"))
    return out


def _git_commit(path: Path) -> str:
    out = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lean4", type=Path, required=True, help="a checkout (or copy) of leanprover/lean4")
    ap.add_argument("--mathlib4", type=Path, required=True,
                    help="a checkout of leanprover-community/mathlib4")
    ap.add_argument("--lean4-commit", default="", help="commit of the lean4 sources (default: git HEAD)")
    ap.add_argument("--mathlib4-commit", default="",
                    help="commit of the mathlib4 sources (default: git HEAD)")
    ap.add_argument("--file-commit", action="append", default=[], metavar="PATH=SHA",
                    help="commit of one source file when the files come from different commits")
    ap.add_argument("--file-repository", action="append", default=[], metavar="PATH=OWNER/NAME",
                    help="the repository one source file was read from when it is a fork's copy of it")
    ap.add_argument("--out", type=Path,
                    default=ROOT / "qedjax" / "envs" / "prop" / "data" / "lean_lemmas.json")
    args = ap.parse_args()
    roots = {"lean4": args.lean4, "mathlib4": args.mathlib4}
    commits = {"lean4": args.lean4_commit or _git_commit(args.lean4),
               "mathlib4": args.mathlib4_commit or _git_commit(args.mathlib4)}
    per_file = dict(fc.split("=", 1) for fc in args.file_commit)
    read_from = dict(fr.split("=", 1) for fr in args.file_repository)
    lemmas: list[Lemma] = []
    aliases: list = []
    sources = []
    for repo, key, rel in SOURCES:
        path = roots[key] / rel
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
        text = path.read_text(encoding="utf-8")
        found, al = extract(text, f"{repo}:{rel}")
        lemmas += found
        aliases += al
        source = {"repository": repo, "path": rel, "commit": per_file.get(rel, commits[key]),
                  "copyright": _copyright(text), "lemmas": len(found)}
        if rel in read_from:
            source["read_from"] = read_from[rel]
        sources.append(source)
        print(f"{repo}:{rel}: {len(found)} propositional lemmas, {len(al)} aliases")
    lemmas += resolve_aliases(lemmas, aliases)
    seen: dict[str, Lemma] = {}
    for lem in lemmas:  # a name declared twice (core, then Mathlib): the first declaration wins
        seen.setdefault(lem.name, lem)
    rows = [{"name": lem.name, "signature": lem.signature(), "statement": lem.statement, "source": lem.source,
             "kind": lem.kind, "simp": lem.simp} for lem in seen.values()]
    atomic_write_json(args.out, {
        "description": "Purely propositional lemmas of Lean 4 core and Mathlib, derived by "
                       "scripts/prop_lemmas.py: name, statement as written, signature as elaborated.",
        "licence": "Apache-2.0",
        "licence_text": LICENCE.read_text(encoding="utf-8"),
        "sources": sources,
        "lemmas": rows,
    }, sort_keys=False)
    print(f"wrote {len(rows)} lemmas to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
