"""Lean's scopes of names in a file: the ``open`` declarations (src/Lean/Parser/Command.lean
``openDecl``, resolved as src/Lean/ResolveName.lean resolves an ``OpenDecl``) and the ``end`` of
``section``/``namespace`` scopes (src/Lean/Elab/BuiltinCommand.lean ``elabEnd``)."""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.lexer import TokenStream
from qedjax.errors import ParseError

__all__ = ["FileScope", "close_scopes", "open_candidates", "open_scopes", "read_open"]


@dataclasses.dataclass
class FileScope:
    kind: str  # "root" | "section" | "namespace"
    name: str
    variables: list  # of Param
    opens: tuple
    namespace: str
    options: dict = dataclasses.field(default_factory=dict)  # honoured `set_option`s, scoped


def open_scopes(scopes: list, kind: str, name: str) -> None:
    """``namespace A.B`` / ``section A.B``: one scope per component of the name (Lean's ``addScopes``),
    each with the variables, opens and options of the scope around it."""
    for part in name.split(".") if name else [""]:
        outer = scopes[-1]
        ns = (f"{outer.namespace}.{part}" if outer.namespace else part) if kind == "namespace" else outer.namespace
        scopes.append(FileScope(kind, part, list(outer.variables), outer.opens, ns, dict(outer.options)))


def open_candidates(opens: tuple, name: str) -> list[str]:
    """The full names ``name`` may denote through the file's ``open`` declarations (Lean's
    ``OpenDecl``): a string ``A`` opens every name of ``A`` (``open A``); ``(A, hidden)`` with a
    frozenset every name but those (``open A hiding s``); ``(A, aliases)`` with a dict only the aliases,
    each to its target (``open A (s)``, ``open A renaming s → t``)."""
    out = []
    for o in opens:
        if isinstance(o, str):
            out.append(f"{o}.{name}")
        elif isinstance(o[1], frozenset):
            if name not in o[1]:
                out.append(f"{o[0]}.{name}")
        elif name in o[1]:
            out.append(f"{o[0]}.{o[1][name]}")
    return out


def read_open(ts: TokenStream) -> list | None:
    """The open declarations of ``open …`` (src/Lean/Parser/Command.lean ``openDecl``), up to ``in`` or
    the command's end, as :func:`~qedjax.envs.prop.decls.open_candidates` takes them: ``open A B``,
    ``open A hiding s t``, ``open A (s t)``, ``open A renaming s → t, u → v``; None for ``open scoped
    A``, which opens no names."""

    def ident() -> str:
        if ts.done():
            raise ts.error_here("expected identifier")
        t = ts.take()
        if t.kind != "ident" or t.text in ("hiding", "renaming", "in"):
            raise ParseError("expected identifier", t.pos)
        return t.text

    def at_end() -> bool:
        return ts.done() or ts.at("in")

    if not at_end() and ts.peek().text == "scoped":
        ts.take()
        ident()
        while not at_end():
            ident()
        return None
    first = ident()
    nxt = None if at_end() else ts.peek().text
    if nxt == "hiding":
        ts.take()
        hidden = {ident()}
        while not at_end():
            hidden.add(ident())
        return [(first, frozenset(hidden))]
    if nxt == "renaming":
        ts.take()
        aliases = {}
        while True:
            src = ident()
            if not ts.at("→"):
                raise ts.error_here("expected '→'")
            ts.take()
            aliases[ident()] = src
            if not ts.at(","):
                break
            ts.take()
        if not at_end():
            raise ts.error_here("expected command")
        return [(first, aliases)]
    if nxt == "(":
        ts.take()
        only = {ident()}
        while not ts.at(")"):
            if ts.done():
                raise ts.error_here("expected ')'")
            only.add(ident())
        ts.take()
        if not at_end():
            raise ts.error_here("expected command")
        return [(first, {n: n for n in only})]
    names = [first]
    while not at_end():
        names.append(ident())
    return names


def close_scopes(scopes: list, name: str) -> tuple[list, str]:
    """The scopes that ``end name`` closes (each with its ``name``, the root first in ``scopes``) and
    Lean's error, "" if none: one scope per component of the name, all but the root when there are not
    enough; the scopes close before a missing or wrong name is reported, as in ``elabEnd``."""
    parts = name.split(".") if name else []
    size = len(parts) or 1
    if size >= len(scopes):
        return scopes[1:], "invalid 'end', insufficient scopes"
    closed = scopes[-size:]
    if not parts and closed[-1].name:
        return closed, f"invalid 'end', name is missing (expected {closed[-1].name})"
    for part, sc in zip(reversed(parts), reversed(closed)):
        if part != sc.name:
            return closed, f"invalid 'end', name mismatch (expected {sc.name or 'nothing'})"
    return closed, ""
