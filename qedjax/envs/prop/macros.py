"""A file's tactic macros (``macro``, ``syntax … : tactic`` with ``macro_rules``), expanded as Lean 4 does.

What Lean does, and prop with it (Lean 4 source: ``src/Lean/Elab/Macro.lean`` for ``macro``,
``src/Lean/Elab/MacroRules.lean``, ``src/Lean/Elab/Tactic/Basic.lean`` for ``evalTactic``; the
reference manual's chapters on macros and hygiene):

* ``macro "head" x:ident e:term : tactic => `(tactic| seq)`` declares the syntax ``head x e`` and one
  expansion; ``syntax "head" ident : tactic`` declares the syntax alone and
  ``macro_rules | `(tactic| head $x) => `(tactic| seq)`` adds expansions to it. ``local`` ones end
  with their ``section``/``namespace``.
* A use with several expansions runs the most recent first; when running it fails, Lean restores the
  state and runs the next (``evalTactic``'s ``expandEval``); when all fail, the error of the last one
  tried is reported. Errors inside an expansion are reported at the use.
* Hygiene: the names a quotation writes carry the expansion's macro scope. A hypothesis the
  expansion introduces (``intro h``) is inaccessible to the user's tactics (shown ``h✝``), and the
  quotation's ``h`` never means a user's ``h``; a name that resolves to a global constant means that
  constant. ``set_option hygiene false`` before the macro turns this off (the names are then plain).

Refused, so that every use fails as :class:`Unsupported` with the reason (and the command gets a
warning): tactics implemented by a metaprogram (``elab``, ``elab_rules``, a tactic ``syntax`` with no
``macro_rules``, which Lean runs through a ``@[tactic]`` function), expansions computed by ``do``
code, argument kinds other than ``ident`` and ``term``, optional or repeated syntax, and macros for a
tactic Lean already has (Lean would try the file's expansions before its own). A macro of another
category (``term``, ``command``) has no effect here and is reported with a warning.
"""

from __future__ import annotations

import dataclasses
import itertools

from qedjax.envs.prop.blocks import Node, is_tactic_word, parse_seq, skip_args
from qedjax.envs.prop.errors import Unsupported
from qedjax.envs.prop.lexer import KEYWORDS, Token, TokenStream, tokenize
from qedjax.envs.prop.libraries import tactic_available
from qedjax.envs.prop.term_parser import parse_term
from qedjax.errors import ParseError

__all__ = ["MacroTable", "MacroCall", "Rule", "MACRO_COMMANDS", "expand"]

MACRO_COMMANDS = frozenset({"macro", "macro_rules", "syntax", "elab", "elab_rules"})
_ARG_KINDS = ("ident", "term")
# names a quotation may write that Lean resolves to global constants (types and connectives)
_GLOBAL_NAMES = frozenset({"True", "False", "Prop", "Not", "And", "Or", "Iff", "Eq", "Ne", "Type", "Sort"})
# tokens after which an identifier starts a tactic
_TACTIC_LEAD = frozenset({";", "<;>", "(", "·", ".", "=>", "{", "by", "try", "repeat", "repeat'", "all_goals",
                          "any_goals", "focus", "iterate", "fail_if_success", "show_term"})
_SCOPES = itertools.count(1)


@dataclasses.dataclass(frozen=True, slots=True)
class Rule:
    """One expansion: the pattern variable of each argument, the quotation's tactic sequence (its
    first line padded to its column in the file) with the spans of its antiquotations ``$x``."""

    names: tuple
    template: str
    holes: tuple  # (start, end, variable)
    hygienic: bool
    depth: int  # the scope depth of a `local` rule; -1 for a global one


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class MacroCall(Node):
    """A use of a file's tactic macro: its arguments' source text, its rules (most recent first), or
    why prop refuses it."""

    name: str
    args: tuple
    kinds: tuple
    rules: tuple
    refused: str
    table: object


class _Refuse(Exception):
    """A macro command prop does not model (the message says why)."""


class MacroTable:
    """The tactic syntax and expansions a file has declared so far."""

    def __init__(self, library: int | None = None) -> None:
        # the libraries the file's imports bring (libraries.py; None: not known): a tactic word that only
        # a library the file does not import declares is free there, and the file's `syntax` declares it
        # afresh (TPIL's "Extensible Tactics" declares `syntax "triv" : tactic` in a file that imports
        # nothing)
        self.library = library
        self.syntax: dict[str, tuple] = {}  # head -> items: ("atom", text) | ("arg", kind)
        self.rules: dict[str, list] = {}
        self.refused: dict[str, str] = {}
        self.heads: set[str] = set()
        self.local_syntax: dict[str, int] = {}  # head -> the scope depth of its `local` syntax

    # ------------------------------------------------------------------ commands
    def declare(self, kw: str, ts: TokenStream, depth: int, hygienic: bool, is_local: bool) -> str | None:
        """Read one ``macro``/``syntax``/``macro_rules``/``elab``/``elab_rules`` command from ``ts``
        (after its keyword); returns a warning for the file, or None when the command is modelled."""
        head = None
        try:
            if kw in ("elab", "elab_rules"):
                heads = _elab_heads(ts, kw)
                for h in heads:
                    self._refuse(h, f"the prop environment does not run tactics implemented by a metaprogram "
                                    f"(`{kw}` defines `{h}`)")
                return (f"`{kw}`: the prop environment does not run metaprograms; uses of "
                        f"{', '.join(f'`{h}`' for h in heads)} are refused") if heads else \
                    f"`{kw}` of a category other than `tactic` has no effect in the prop environment"
            if kw == "syntax":
                head, items, cat = _syntax_decl(ts, in_macro=False)
                if cat != "tactic":
                    return f"`syntax` of category `{cat}` has no effect in the prop environment"
                self._add_syntax(head, items, depth if is_local else -1)
                return None
            if kw == "macro":
                head, items, cat = _syntax_decl(ts, in_macro=True)
                if cat != "tactic":
                    return f"`macro` of category `{cat}` has no effect in the prop environment"
                names = tuple(n for kind, n in items if kind != "atom")
                items = tuple(("atom", n) if kind == "atom" else ("arg", kind) for kind, n in items)
                ts.expect("=>", "'=>'")
                template, holes = _quotation(ts, "tactic")
                if not ts.done():
                    raise ts.error_here("expected command")
                self._add_syntax(head, items, depth if is_local else -1)
                self._add_rule(head, Rule(names, template, holes, hygienic, depth if is_local else -1))
                return None
            # macro_rules
            if ts.at("(") and ts.peek(1) is not None and ts.peek(1).text == "kind":
                _skip_parens(ts)
            added = []
            while ts.at("|"):
                ts.take()
                head, names = self._pattern(ts)
                ts.expect("=>", "'=>'")
                template, holes = _quotation(ts, "tactic", head)
                self._add_rule(head, Rule(names, template, holes, hygienic, depth if is_local else -1))
                added.append(head)
            if not added:
                raise ts.error_here("expected '|'")
            if not ts.done():
                raise ts.error_here("expected command")
            return None
        except _Refuse as e:
            if head is not None:
                self._refuse(head, f"the prop environment does not model the macro `{head}`: {e}")
                return f"uses of `{head}` are refused: {e}"
            return f"`{kw}` has no effect in the prop environment: {e}"

    def end_scope(self, depth: int) -> None:
        """``end`` of the scope at ``depth``: its ``local`` rules go."""
        for rules in self.rules.values():
            rules[:] = [r for r in rules if r.depth < depth]
        for head, d in list(self.local_syntax.items()):
            if d >= depth:
                del self.local_syntax[head], self.syntax[head]
                self.rules.pop(head, None)
                self.heads.discard(head)

    def _refuse(self, head: str, why: str) -> None:
        self.refused[head] = why
        self.heads.add(head)

    def _add_syntax(self, head: str, items: tuple, depth: int) -> None:
        if is_tactic_word(head) and tactic_available(head, self.library):
            raise _Refuse(f"`{head}` is a tactic Lean already has, which the file's syntax would overload")
        if head in self.syntax and self.syntax[head] != items:
            raise _Refuse(f"a second syntax for `{head}`")
        self.syntax[head] = items
        self.heads.add(head)
        if depth >= 0:
            self.local_syntax.setdefault(head, depth)

    def _add_rule(self, head: str, rule: Rule) -> None:
        self.rules.setdefault(head, []).append(rule)

    def _pattern(self, ts: TokenStream) -> tuple[str, tuple]:
        """``\\`(tactic| head $x …)``: the head and the variable of each argument of its syntax."""
        ts.expect("`", "'`('")
        ts.expect("(", "'('")
        if not (ts.at("tactic") and ts.peek(1) is not None and ts.peek(1).text == "|"):
            raise _Refuse("a rule of a category other than `tactic`")
        ts.take()
        ts.take()
        tok = ts.take()
        head = tok.text
        if is_tactic_word(head) and head not in self.syntax:
            self._refuse(head, f"the file extends the tactic `{head}` with `macro_rules`, whose expansions Lean "
                               "tries before its own")
            raise _Refuse(f"`macro_rules` for the tactic `{head}`, which Lean already has")
        items = self.syntax.get(head)
        if items is None:
            raise _Refuse(f"`{head}` has no tactic syntax declared in this file")
        names = []
        for kind, value in items:
            t = ts.take()
            if kind == "atom":
                if t.text != value:
                    raise _Refuse(f"a pattern that does not follow the syntax of `{head}`")
                continue
            if t.text != "$":
                raise _Refuse(f"a pattern that does not follow the syntax of `{head}`")
            var = ts.take()
            if var.kind != "ident" and var.text != "_":
                raise _Refuse("an antiquotation that is not a name")
            if ts.at(":") and ts.peek().pos == var.end:
                ts.take()
                if ts.take().text != value:
                    raise _Refuse(f"a pattern whose kinds differ from the syntax of `{head}`")
            names.append(var.text)
        ts.expect(")", "')'")
        return head, tuple(names)

    # ------------------------------------------------------------------ uses
    def parse_use(self, ts: TokenStream, head_tok: Token) -> Node:
        """A use of ``head_tok`` (already taken): its arguments as its syntax declares them."""
        head = head_tok.text
        if head in self.refused:
            skip_args(ts)
            return MacroCall(head_tok.pos, head, (), (), (), self.refused[head], self)
        items = self.syntax[head]
        args, kinds = [], []
        for kind, value in items:
            if kind == "atom":
                t = ts.peek()
                if t is None or t.text != value:
                    raise ts.error_here(f"expected '{value}'")
                ts.take()
                continue
            if value == "ident":
                t = ts.peek()
                if t is None or t.kind != "ident" or t.text in KEYWORDS:
                    raise ts.error_here("expected identifier")
                ts.take()
                args.append(t.text)
            else:
                start = ts.i
                parse_term(ts)
                args.append(ts.src(start, ts.i))
            kinds.append(value)
        rules = tuple(reversed(self.rules.get(head, ())))
        refused = "" if rules else (f"`{head}` has no `macro_rules` in this file: Lean runs it through a "
                                    "metaprogram (`@[tactic]`), which the prop environment does not")
        return MacroCall(head_tok.pos, head, tuple(args), tuple(kinds), rules, refused, self)


def expand(call: MacroCall, rule: Rule, is_global) -> tuple[Node, set]:
    """The tactic sequence ``rule`` expands ``call`` to, with hygiene: each name the quotation writes
    gets the expansion's macro scope unless ``is_global(name)`` (a constant) or it is tactic syntax.
    Returns the sequence and the globals it names (a user's hypothesis must not capture them)."""
    text = rule.template
    out: list[str] = []
    spans = []
    last = 0
    length = 0
    for a, b, var in rule.holes:
        if var not in rule.names:
            raise Unsupported(f"the prop environment cannot expand `{call.name}`: `${var}` is not a "
                              "variable of its pattern", call.pos)
        k = rule.names.index(var)
        arg = call.args[k] if call.kinds[k] == "ident" else f"({call.args[k]})"
        out.append(text[last:a])
        length += a - last
        spans.append((length, length + len(arg)))
        out.append(arg)
        length += len(arg)
        last = b
    out.append(text[last:])
    src = "".join(out)
    try:
        toks = tokenize(src)
    except ParseError as e:
        raise Unsupported(f"the prop environment cannot read the expansion of `{call.name}`: {e.message}",
                          call.pos) from None
    globals_named: set[str] = set()
    if rule.hygienic:
        scope = next(_SCOPES)
        for i, t in enumerate(toks):
            if t.kind != "ident" or any(a <= t.pos < b for a, b in spans):
                continue
            prev = toks[i - 1] if i else None
            name = t.text
            if name in KEYWORDS or name in _GLOBAL_NAMES or (prev is not None and prev.text in ("|", "case")):
                continue
            lead = prev is None or t.bol or prev.text in _TACTIC_LEAD
            if lead and (is_tactic_word(name) or name in call.table.heads):
                continue
            if is_global(name):
                globals_named.add(name.split(".")[0])
                continue
            first, dot, rest = name.partition(".")
            t.text = f"{first}✝{scope}{dot}{rest}"
    ts = TokenStream(toks, src, tactic_block=parse_seq, macros=call.table)
    try:
        seq = parse_seq(ts)
        if ts.raw() is not None:
            raise ts.error_here("expected command")
    except ParseError as e:
        raise Unsupported(f"the prop environment cannot parse the expansion of `{call.name}`: {e.message}",
                          call.pos) from None
    return seq, globals_named


# ---------------------------------------------------------------------------- reading the commands

def _skip_parens(ts: TokenStream) -> None:
    depth = 0
    while True:
        t = ts.take()
        depth += t.text == "("
        depth -= t.text == ")"
        if depth == 0:
            return


def _atom(tok: Token) -> str:
    if tok.kind != "str":
        raise _Refuse(f"syntax item `{tok.text}`")
    text = tok.text[1:-1].strip()
    toks = tokenize(text) if text else []
    if len(toks) != 1 or toks[0].text != text:
        raise _Refuse(f"the atom {tok.text}, which is not one token")
    return text


def _syntax_decl(ts: TokenStream, in_macro: bool) -> tuple[str, tuple, str]:
    """``[(name := n)] "head" items… : category`` of ``syntax`` (items: atoms and ``ident``/``term``)
    or of ``macro`` (items: atoms and ``x:ident``/``x:term``); returns (head, items, category)."""
    if ts.at(":"):
        raise _Refuse("a syntax precedence")
    while ts.at("("):
        nxt = ts.peek(1)
        if nxt is None or nxt.text != "name":
            raise _Refuse(f"the option `{nxt.text if nxt else ''}`")
        _skip_parens(ts)
    head_tok = ts.take()
    if head_tok.kind != "str":
        raise _Refuse("a syntax that does not start with an atom")
    head = _atom(head_tok)
    items: list = []
    while not (ts.at(":") and ts.peek(1) is not None and ts.peek(1).kind == "ident"
               and (ts.peek(2) is None or ts.peek(2).text in ("=>",) or not in_macro and ts.peek(2) is None)):
        t = ts.take()
        if t.kind == "str":
            items.append(("atom", _atom(t)))
            continue
        if in_macro:
            if t.kind != "ident" or not ts.at(":"):
                raise _Refuse(f"syntax item `{t.text}`")
            ts.take()
            kind = ts.take().text
            if kind not in _ARG_KINDS:
                raise _Refuse(f"an argument of kind `{kind}`")
            if ts.at(":") and ts.peek(1) is not None and ts.peek(1).kind == "num":
                ts.take()
                ts.take()
            items.append((kind, t.text))
        else:
            if t.text not in _ARG_KINDS:
                raise _Refuse(f"syntax item `{t.text}`")
            if ts.at(":") and ts.peek(1) is not None and ts.peek(1).kind == "num":
                ts.take()
                ts.take()
            items.append(("arg", t.text))
    ts.take()
    cat = ts.take().text
    if not in_macro and not ts.done():
        raise ts.error_here("expected command")
    if head.startswith("#") or not head[0].isalpha() and head[0] != "_":
        raise _Refuse(f"the head `{head}`")
    return head, tuple(items), cat


def _quotation(ts: TokenStream, cat: str, head: str | None = None) -> tuple[str, tuple]:
    """``\\`(tactic| seq)``: the sequence's source (first line padded to its column) and the spans of
    its antiquotations ``$x`` (``$x:kind`` too)."""
    if not (ts.at("`") and ts.peek(1) is not None and ts.peek(1).text == "("):
        raise _Refuse("an expansion computed by code (only a quotation `(tactic| …) is modelled)")
    ts.take()
    ts.take()
    if not (ts.at(cat) and ts.peek(1) is not None and ts.peek(1).text == "|"):
        raise _Refuse(f"an expansion that is not a `{cat}` quotation")
    ts.take()
    ts.take()
    depth = 0
    first = ts.i
    while True:
        t = ts.raw()
        if t is None:
            raise ts.error_here("expected ')'")
        if t.text == "`":
            raise _Refuse("a nested quotation")
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            if depth == 0:
                break
            depth -= 1
        ts.i += 1
    last = ts.i
    ts.i += 1
    if last == first:
        raise _Refuse("an empty quotation")
    toks = ts.toks
    base = toks[first].pos
    pad = toks[first].col
    src = " " * pad + ts.text[base:toks[last - 1].end]
    holes = []
    k = first
    while k < last:
        t = toks[k]
        if t.text == "$" and k + 1 < last and toks[k + 1].pos == t.end and toks[k + 1].kind == "ident":
            end_tok = k + 1
            if k + 3 < last and toks[k + 2].text == ":" and toks[k + 2].pos == toks[k + 1].end and \
                    toks[k + 3].pos == toks[k + 2].end:
                end_tok = k + 3
            holes.append((t.pos - base + pad, toks[end_tok].end - base + pad, toks[k + 1].text))
            k = end_tok + 1
            continue
        if t.text == "$":
            raise _Refuse("an antiquotation other than `$x`")
        k += 1
    return src, tuple(holes)


def _elab_heads(ts: TokenStream, kw: str) -> list[str]:
    """The tactic heads an ``elab``/``elab_rules`` command implements (empty for other categories)."""
    toks = [ts.toks[k] for k in range(ts.i, ts.end)]
    texts = [t.text for t in toks]
    if kw == "elab":
        if not any(texts[k] == ":" and texts[k + 1] == "tactic" and texts[k + 2] == "=>"
                   for k in range(len(texts) - 2)):
            return []
        for t in toks:
            if t.kind == "str":
                return [t.text[1:-1].strip()]
        return []
    heads = []
    for k in range(len(texts) - 3):
        if texts[k] == "`" and texts[k + 1] == "(" and texts[k + 2] == "tactic" and texts[k + 3] == "|":
            if k + 4 < len(texts) and texts[k + 4] not in heads:
                heads.append(texts[k + 4])
    return heads
