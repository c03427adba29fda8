#!/usr/bin/env python3
"""Keep the propositional declarations of Lean 4 files, verbatim, for a corpus of real proofs.

A declaration (`theorem`/`lemma`/`example`, or a `def`/`abbrev` that proves a proposition) is kept
when its header is purely propositional, that is when `prop`'s header parser reads it (proposition
variables, hypotheses over `∧ ∨ ¬ → ↔ =`, `True`, `False`, `∀ (p : Prop)`), and its proof does not
use `sorry`. `variable` lines are kept when they parse the
same way; `import`/`section`/`namespace`/`end`/`open`/`set_option` lines are kept so that the
imports and scopes stay as written. The file-local commands a proof may depend on are kept too:
tactic macros and syntax (`macro`, `syntax`, `macro_rules`, `elab`, `elab_rules` of the `tactic`
category, `local`/`scoped` ones included), `attribute […]` commands, the `@[…]` attributes of a kept
declaration, axioms over propositions, and definitions of closed propositions (`def P : Prop := ∀ a :
Prop, a ∨ ¬a`), which later headers may then name; every other command (`def f (n : Nat)`, `#check`, …) is dropped. The proofs
themselves are not judged here: run `scripts/prop_corpus.py --corpus DIR` on the output to see what
`prop` accepts.
`--auto-implicit` reads the files as a project whose lakefile leaves Lean's `autoImplicit` on (its
default; a file's `set_option autoImplicit`/`relaxedAutoImplicit` line overrides it from there on): a
header with unbound names is kept where prop's checker would bind them (lower-case names used as
propositions), and checked with `scripts/prop_corpus.py --auto-implicit`.
`--seen DIR` (repeatable) drops a declaration whose text (whitespace aside) already occurs in a
`.lean` file of DIR, so that a held-out set repeats no proof of the corpus or of another set; a
declaration repeated among the input files is kept once. A dropped declaration that a later kept one
cites (by its name) stays in the file as context, after a line `-- context (not counted): NAME`:
`scripts/prop_corpus.py` checks it, so that the proofs citing it run as their file has them, but
counts it neither among the accepted nor in the total, and runs no false variant on it. A file the lexer cannot read (an unterminated
string or comment, say) is named in an `error:` line and skipped; the exit status is then 1.

    python scripts/prop_extract.py --out DIR [--label "owner/repo @ commit"] [--source-path PATH]
        [--seen DIR] [--auto-implicit] FILE.lean ...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qedjax.envs.prop.autobound import AutoBound
from qedjax.envs.prop.check import MODIFIERS, command_starts
from qedjax.envs.prop.commands import PROOF_DEFS
from qedjax.envs.prop.decls import parse_binders, parse_header, parse_prop_def
from qedjax.envs.prop.lexer import tokenize
from qedjax.envs.prop.macros import MACRO_COMMANDS
from qedjax.envs.prop.parser import stream
from qedjax.errors import ParseError

_DECLS = {"theorem", "lemma", "example"}
_SCOPES = {"import", "section", "namespace", "end", "open", "set_option", "attribute"}
_PREFIXES = {"local", "scoped"}
CONTEXT_MARK = "-- context (not counted):"  # before a seen declaration kept for later citations


def _tactic_command(toks, a: int, b: int) -> bool:
    """Whether the command ``toks[a:b]`` declares tactic syntax or a tactic macro."""
    kw = toks[a + 1].text if toks[a].text in _PREFIXES and a + 1 < b else toks[a].text
    return kw in MACRO_COMMANDS and any(t.text == "tactic" for t in toks[a:b])


def _keyword(toks, a: int, b: int) -> int:
    """Index of a command's keyword past its modifiers (`private theorem …`)."""
    while toks[a].text in MODIFIERS and a + 1 < b:
        a += 1
    return a


def _normal(text: str) -> str:
    return " ".join(text.split())


def seen_declarations(dirs: list[Path]) -> set[str]:
    """Whitespace-normalised declarations of the `.lean` files in ``dirs``."""
    out: set[str] = set()
    for d in dirs:
        for path in sorted(Path(d).glob("*.lean")):
            text = path.read_text(encoding="utf-8")
            toks = tokenize(text)
            starts = command_starts(toks) + [len(toks)]
            for a, b in zip(starts, starts[1:]):
                if toks[_keyword(toks, a, b)].text in _DECLS:
                    end = toks[b].pos if b < len(toks) else len(text)
                    out.add(_normal(text[toks[a].pos:end]))
    return out


def _names(src: str) -> set[str]:
    """The identifiers of a command, and each dotted one's parts (`Foo.dne`, `dne.mp`)."""
    out: set[str] = set()
    for t in tokenize(src):
        if t.kind == "ident":
            out.add(t.text)
            out.update(t.text.split("."))
    return out


def extract(text: str, seen: set[str] | None = None, auto_implicit: bool = False) -> tuple[str, int, int]:
    """(kept source, declarations kept, declarations dropped) of one file; a kept declaration is
    added to ``seen`` (so a proof repeated in a later file is kept once). A seen declaration that a
    later kept command cites is kept as context, after a ``CONTEXT_MARK`` line, and still counted
    as dropped. ``auto_implicit``: the project leaves Lean's ``autoImplicit`` on."""
    options = {"autoImplicit": auto_implicit, "relaxedAutoImplicit": None}
    seen = set() if seen is None else seen
    toks = tokenize(text)
    starts = command_starts(toks) + [len(toks)]
    kept: list[str] = []
    candidates: dict[int, str] = {}  # index in `kept` of a seen declaration -> its name
    n_kept = n_dropped = 0
    declared: dict[str, bool] = {}
    defs: list[str] = []  # the definitions of closed propositions kept so far
    attributes = ""  # `@[…]` before the next declaration
    for a, b in zip(starts, starts[1:]):
        k = _keyword(toks, a, b)
        kw = toks[k].text
        end = toks[b].pos if b < len(toks) else len(text)
        src = text[toks[a].pos:end].rstrip() + "\n"
        if kw == "@":
            attributes = text[toks[a].pos:end]
            continue
        pending, attributes = attributes, ""
        if kw in _SCOPES or _tactic_command(toks, a, b):
            words = [t.text for t in toks[k:b]]
            if kw == "set_option" and len(words) == 3 and words[1] in options and words[2] in ("true", "false"):
                options[words[1]] = words[2] == "true"
            kept.append(src)
            continue
        ts = stream(toks, text, k + 1, b)
        if kw in PROOF_DEFS:
            start = ts.i
            try:
                name, _ = parse_prop_def(ts, defs)
                defs.append(name)
                declared[name] = True
                kept.append(pending + src)
                continue
            except ParseError:  # not a proposition: perhaps a proof of one (`def f : p → p := id`)
                ts.i = start
        if kw == "axiom":  # an axiom over propositions: later proofs may cite it, as in Lean
            try:
                ts.take()
                parse_header(ts, declared, auto=AutoBound(options["relaxedAutoImplicit"])
                             if options["autoImplicit"] else None)
                if ts.done():
                    kept.append(pending + src)
            except ParseError:
                pass
            continue
        if kw == "variable":
            try:
                params = parse_binders(ts, dict(declared))
                if ts.done():
                    declared.update({p.name: True for p in params if p.is_prop})
                    kept.append(src)
            except ParseError:
                pass
            continue
        if kw not in _DECLS and kw not in PROOF_DEFS:
            continue
        body = {t.text for t in toks[k:b]}
        name = None
        try:
            if kw != "example":
                name = ts.take().text
            auto = AutoBound(options["relaxedAutoImplicit"]) if options["autoImplicit"] else None
            parse_header(ts, declared, auto=auto)
            ok = ts.at(":=") and not body & {"sorry", "admit"}
        except ParseError:
            if kw in PROOF_DEFS:  # a definition of data, not a declaration of a proof
                continue
            ok = False
        if ok and _normal(src) not in seen:
            seen.add(_normal(src))
            kept.append(pending + src)
            n_kept += 1
        else:
            if ok and name is not None:  # seen: context, if a later kept command cites it
                candidates[len(kept)] = name
                kept.append(pending + src)
            n_dropped += 1
    # from the last command back: a seen declaration stays when a later command that stays cites it
    # (a context declaration's own citations count: it may cite an earlier seen one)
    out: list[str] = []
    cited: set[str] = set()  # identifiers of the commands that stay after the current one
    for i in range(len(kept) - 1, -1, -1):
        name = candidates.get(i)
        if name is None:
            out.append(kept[i])
        elif name in cited or name.split(".")[-1] in cited:
            out.append(f"{CONTEXT_MARK} {name}\n" + kept[i])
        else:
            continue
        if candidates:
            cited |= _names(kept[i])
    return "\n".join(reversed(out)), n_kept, n_dropped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True, help="directory for the extracted files")
    ap.add_argument("--label", default="", help="source named in each output file's first line")
    ap.add_argument("--prefix", default="", help="prefix of the output file names")
    ap.add_argument("--source-path", default="",
                    help="the file's path in the labelled repository (default: the input file's name)")
    ap.add_argument("--auto-implicit", action="store_true",
                    help="the project leaves Lean's autoImplicit option on (its lakefile does not turn it off)")
    ap.add_argument("--seen", type=Path, action="append", default=[],
                    help="a directory of .lean files whose declarations are not repeated")
    args = ap.parse_args()
    seen = seen_declarations(args.seen)
    args.out.mkdir(parents=True, exist_ok=True)
    unreadable = 0
    for path in args.files:
        if not path.exists():
            print(f"error: file not found: {path}", file=sys.stderr)
            return 2
        try:
            text, n_kept, n_dropped = extract(path.read_text(encoding="utf-8"), seen, args.auto_implicit)
        except (ParseError, UnicodeDecodeError) as e:  # not Lean source as the lexer reads it: skip it
            print(f"error: {path}: not read as Lean source ({e})", file=sys.stderr)
            unreadable += 1
            continue
        n_context = sum(line.startswith(CONTEXT_MARK) for line in text.splitlines())
        context = f" ({n_context} of them kept as context)" if n_context else ""
        print(f"{path}: kept {n_kept} declarations, dropped {n_dropped}{context}")
        if n_kept:
            target = args.out / f"{args.prefix}{path.stem}.lean"
            where = args.source_path or path.name
            head = f"-- Propositional declarations of {args.label} : {where}, verbatim.\n\n" \
                if args.label else ""
            target.write_text(head + text, encoding="utf-8")
    return 1 if unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
