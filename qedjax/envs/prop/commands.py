"""The file layer's commands: where each command of a ``.lean`` file starts, and the commands that
``check.py`` reads beside declarations (``set_option``, definitions of propositions).

Lean 4's command grammar (``src/Lean/Parser/Command.lean``): a command starts at its keyword, at a
``local``/``scoped`` prefix, at the declaration modifiers before it (``private theorem``), at ``@[…]``,
or at ``#``; ``open X in`` and ``set_option o v in`` before a command are commands themselves.
"""

from __future__ import annotations

import re

from qedjax.envs.prop.decls import parse_header, parse_prop_def
from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.lexer import Token, TokenStream
from qedjax.envs.prop.options import option_value
from qedjax.errors import ParseError

__all__ = ["mentioned_names", "DECLS", "PROOF_DEFS", "COMMANDS", "PREFIXES", "MODIFIERS", "HARMLESS", "command_starts",
           "read_set_option", "read_prop_def", "name_file_defs", "is_proof_def", "declared_names"]

DECLS = {"theorem", "lemma", "example"}
PROOF_DEFS = ("def", "abbrev")  # definitions that may give a proof (`def f : p → p := id`)
COMMANDS = DECLS | {"variable", "section", "namespace", "end", "universe", "import", "def", "instance",
                     "axiom", "inductive", "structure", "abbrev", "noncomputable", "attribute", "macro",
                     "syntax", "macro_rules", "elab", "opaque", "include", "omit", "notation", "infix",
                     "infixl", "infixr", "prefix", "postfix", "set_option", "mutual", "class", "private",
                     "protected", "deriving", "elab_rules"}
PREFIXES = ("local", "scoped")  # `local macro …`, `scoped notation …`: the command starts at the prefix
# declaration modifiers (Lean's `declModifiers`): `private theorem …` starts at `private`
MODIFIERS = ("private", "protected", "noncomputable", "partial", "unsafe", "nonrec")
HARMLESS = {"universe", "import", "include", "omit", "#"}


def command_starts(toks: list[Token]) -> list[int]:
    """Indices of the tokens that start a command (``theorem``, ``variable``, ``open X``, ``@[…]``, …)."""
    starts = []
    keyword = -1  # the keyword of a command that a modifier at the start of a line began
    for i, t in enumerate(toks):
        if t.kind != "ident" and t.text not in ("#", "@"):
            continue
        if t.text in MODIFIERS and t.bol:
            j = i
            while j < len(toks) and toks[j].text in MODIFIERS:
                j += 1
            if j < len(toks) and toks[j].text in COMMANDS:
                starts.append(i)
                keyword = j
            continue
        if t.text in COMMANDS and t.text not in ("private", "protected", "noncomputable", "deriving",
                                                  "set_option"):
            if i != keyword and not (i and toks[i - 1].text in PREFIXES and toks[i - 1].bol):
                starts.append(i)
        elif t.text in PREFIXES and t.bol and i + 1 < len(toks) and toks[i + 1].text in COMMANDS:
            starts.append(i)
        elif t.text in ("open", "set_option") and t.bol:
            j = i + 1
            while j < len(toks) and toks[j].line == t.line and toks[j].text != "in":
                j += 1
            # `open X` and `open X in <command>` are commands; `open X in <tactic>` is a tactic (and so
            # is `set_option o v in <tactic>`)
            if j >= len(toks) or toks[j].line != t.line or j + 1 >= len(toks) or \
                    toks[j + 1].text in COMMANDS or toks[j + 1].text in ("open", "@"):
                starts.append(i)
        elif t.text == "#" and t.bol:
            starts.append(i)
        elif t.text == "@" and t.bol and i + 1 < len(toks) and toks[i + 1].text == "[":
            starts.append(i)
    return starts



def read_set_option(ts: TokenStream, kw: Token) -> tuple[str, bool | None, bool]:
    """``set_option name value`` (``in``): (name, the value prop honours or None, whether ``in`` follows)."""
    name = ts.take()
    if name.kind != "ident":
        raise ParseError(f"unexpected token '{name.text}'; expected identifier", pos=name.pos)
    value = ts.take()
    try:
        honoured = option_value(name.text, value.text, value.pos)
    except TacticError as e:
        raise ParseError(e.message, e.pos) from None
    scoped = ts.at("in")
    if scoped:
        ts.take()
    if not ts.done():
        raise ts.error_here("expected command")
    return name.text, honoured, scoped


def read_prop_def(ts: TokenStream, defs: dict) -> bool:
    """Record ``def P : Prop := body`` (a closed proposition) in ``defs``; False (stream untouched) for
    any other definition."""
    start = ts.i
    try:
        name, body = parse_prop_def(ts, defs)
    except ParseError:
        ts.i = start
        return False
    defs[name] = body
    return True


_UNKNOWN = re.compile(r"Unknown identifier `([^`]+)`")


def name_file_defs(res, defs: set[str]):
    """An unknown identifier that the file declares with a command prop does not model (`def P : Prop`)
    is named as such: Lean knows it, prop refuses the proof."""
    for d in res.diagnostics:
        m = _UNKNOWN.fullmatch(d.message)
        name = m.group(1) if m else None
        if m is None and d.message.startswith("type expected"):  # `Twice p`: an application of one
            name = next((w for w in re.findall(r"[^\s()]+", d.message[len("type expected"):]) if w in defs), None)
        if name in defs:
            d.message = (f"`{name}` is declared by a command of this file that the prop environment "
                         "does not model (`def`, `axiom`, …)")
    return res


def is_proof_def(ts: TokenStream, declared: dict, auto) -> bool:
    """Whether a ``def``/``abbrev`` gives a proof of a proposition (``def f (h : p) : p ∨ q := …``):
    Lean accepts a definition whose type is a proposition and later terms cite it as a theorem; any
    other definition (``def P : Prop := …``, ``def f (n : Nat) : Nat``) is not one. ``declared`` and
    ``auto`` are the header's names and auto-bound implicits. The stream is left untouched."""
    start = ts.i
    try:
        if ts.take().kind != "ident":
            return False
        parse_header(ts, declared, auto=auto)
        return ts.at(":=")
    except ParseError:
        return False
    finally:
        ts.i = start


_DECLARING = frozenset({"theorem", "lemma", "def", "abbrev", "axiom", "opaque", "instance", "inductive",
                        "structure", "class"})


def declared_names(toks: list[Token], starts: list[int]) -> frozenset:
    """Every name a command of the file declares (``theorem n``, ``def n``, ``axiom n``, …), whether or
    not prop models the command, and the last component of each."""
    names = set()
    for a, b in zip(starts, starts[1:]):
        while a < b - 1 and toks[a].text in MODIFIERS:
            a += 1
        if toks[a].text in _DECLARING and a + 1 < b and toks[a + 1].kind == "ident":
            names.update((toks[a + 1].text, toks[a + 1].text.split(".")[-1]))
    return frozenset(names)


def mentioned_names(ts: TokenStream) -> set[str]:
    """The first components of the identifiers from ``ts``'s position to its end."""
    names = set()
    for t in ts.toks[ts.i:ts.end]:
        if t.kind == "ident":
            names.add(t.text.split(".")[0])
    return names
