"""Checking proofs the way ``lake env lean FILE`` does: per declaration, errors at Lean's line:column.

Inputs:

* a ``.lean`` file with ``theorem``/``lemma``/``example`` declarations proved ``by`` a tactic block or by
  a term, ``variable`` lines (a theorem includes the variables its header mentions; an ``example``
  also those its proof mentions), ``section``/``namespace``/``end`` scopes, ``open`` lines and comments.
  Earlier theorems can be cited by later proofs. Other commands (``def``, ``#check``, …) are ignored
  when harmless (``#check``, ``set_option``, ``import``, ``universe``) and reported otherwise;
* JSONL records ``{"statement", "tactics": [...]}`` (one element per top-level step, which may span
  lines) or ``{"statement", "proof": "by …"}`` (a whole block, or a proof term), optionally ``"name"``;
* a theorem-index JSON (``{"theorems": [...]}``) whose records carry ``proof`` lists.

Errors inside ``·``/``case``/``{}`` blocks are recovered from as Lean does, so a declaration may report
several; ``sorry`` is a warning and leaves the declaration unproved.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from qedjax.envs.prop.attributes import FileAttributes, parse_attributes
from qedjax.envs.prop.autobound import AutoBound, unbound_note
from qedjax.envs.prop.blocks import parse_seq
from qedjax.envs.prop.commands import (
    DECLS,
    HARMLESS,
    MODIFIERS,
    PREFIXES,
    PROOF_DEFS,
    command_starts,
    declared_names,
    is_proof_def,
    mentioned_names,
    name_file_defs,
    read_prop_def,
    read_set_option,
)
from qedjax.envs.prop.decls import (
    Library,
    Param,
    Scheme,
    header_vars,
    parse_binders,
    parse_header,
    peel_implicit,
    unproved_note,
)
from qedjax.envs.prop.elab import Elab, Scope
from qedjax.envs.prop.env import parse_statement, scheme_goal
from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.lexer import LineMap, Token, TokenStream, tokenize
from qedjax.envs.prop.libraries import command_refusal, hidden_constants, library_of_imports
from qedjax.envs.prop.macros import MACRO_COMMANDS, MacroTable
from qedjax.envs.prop.namespaces import FileScope as _Scope
from qedjax.envs.prop.namespaces import close_scopes, open_scopes, read_open
from qedjax.envs.prop.notations import notations_of_imports
from qedjax.envs.prop.options import (
    ATTRIBUTES,
    AUTO_IMPLICIT,
    DEFAULTS,
    HYGIENE,
    RELAXED_AUTO_IMPLICIT,
    ignored_option,
)
from qedjax.envs.prop.parser import stream
from qedjax.envs.prop.state import Goal, pp_goal
from qedjax.envs.prop.syntax import atoms
from qedjax.envs.prop.tactics import SORRY_MESSAGE, Runner
from qedjax.envs.prop.term_parser import parse_term
from qedjax.errors import DataError, ParseError
from qedjax.io import not_text, read_json

__all__ = ["Diagnostic", "DeclResult", "check_lean_text", "check_records", "check_path", "read_records",
           "command_starts", "MODIFIERS"]


@dataclasses.dataclass
class Diagnostic:
    line: int  # 1-based, as Lean prints it
    column: int  # 0-based, as Lean prints it
    severity: str  # "error" | "warning"
    message: str

    def format(self, file: str) -> str:
        return f"{file}:{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclasses.dataclass
class DeclResult:
    name: str
    line: int
    column: int
    status: str  # proved | failed | incomplete | error
    diagnostics: list
    statement: str | None = None
    step: int | None = None
    tactic: str | None = None

    @property
    def proved(self) -> bool:
        return self.status == "proved"

    def to_json(self) -> dict:
        first = next((d for d in self.diagnostics if d.severity == "error"), None) or \
            (self.diagnostics[0] if self.diagnostics else None)
        out = {"name": self.name, "status": self.status, "line": self.line, "column": self.column}
        if self.statement is not None:
            out["statement"] = self.statement
        out.update(step=self.step, tactic=self.tactic,
                   message=None if first is None else first.message,
                   error_line=None if first is None else first.line,
                   error_column=None if first is None else first.column)
        warned = [d.message for d in self.diagnostics if d.severity == "warning"]
        if warned:
            out["warnings"] = warned
        return out


# ------------------------------------------------------------------------------ running a proof

def _diag(lines: LineMap, pos: int | None, message: str, severity: str = "error",
          line_offset: int = 0) -> Diagnostic:
    line, col = lines.locate(pos or 0)
    return Diagnostic(line + 1 + line_offset, col, severity, message)


def _run_block(runner: Runner, seq, goal: Goal, by_pos: int) -> tuple[list[TacticError], tuple]:
    """Run a top-level ``by`` block; returns (errors, goals left). An unrecovered error ends the block."""
    try:
        left = runner.run(seq, (goal,))
    except TacticError as e:
        return runner.errors + [e], ()
    except RecursionError:
        return runner.errors + [TacticError("maximum recursion depth has been reached", by_pos)], ()
    errors = list(runner.errors)
    if left:
        errors.append(TacticError("unsolved goals\n" + "\n\n".join(pp_goal(g) for g in left), by_pos))
    return errors, left


def _prove(runner: Runner, goal: Goal, body_ts: TokenStream) -> list[TacticError]:
    """Check ``:= by …`` or ``:= term`` from ``body_ts`` (positioned after ``:=``) with ``runner``.

    Returns the errors (sorries and warnings stay on the runner); raises ParseError on a syntax error."""
    t = body_ts.peek()
    if t is None:
        raise body_ts.error_here("expected term")
    if t.text == "by":
        body_ts.take()
        if body_ts.done():
            return [TacticError("unsolved goals\n" + pp_goal(goal), t.pos)]
        seq = parse_seq(body_ts)
        if not body_ts.done():
            raise body_ts.error_here("expected command")
        errors, _ = _run_block(runner, seq, goal, t.pos)
        return errors
    term = parse_term(body_ts)
    if not body_ts.done():
        raise body_ts.error_here("expected command")
    try:
        el = Elab(Scope(goal.context, runner.defs), runner.lib, runner.run_by_block, "none")
        el.check(term, goal.target)
    except TacticError as e:
        return runner.errors + [e]
    except RecursionError:
        runner.sorry_pos.clear()
        return runner.errors + [TacticError("maximum recursion depth has been reached", t.pos)]
    return list(runner.errors)


def _file_runner(lib: Library, allow_tauto: bool, options: dict | None = None) -> Runner:
    """A runner as ``lake env lean`` elaborates a file: errors recovered from, ``sorry`` a warning."""
    options = {**DEFAULTS, **(options or {})}
    return Runner(lib=lib, allow_tauto=allow_tauto, recover=True, allow_sorry=True,
                  **{ATTRIBUTES[name]: value for name, value in options.items() if name in ATTRIBUTES})


def _messages(lines: LineMap, errors: list, runner: Runner, default_pos: int | None = None,
              line_offset: int = 0) -> list[Diagnostic]:
    """Errors, then the runner's warnings (ignored options), then the first ``sorry`` warning."""
    diags = [_diag(lines, e.pos if e.pos is not None else default_pos, e.message, line_offset=line_offset)
             for e in errors]
    diags += [_diag(lines, w.pos, w.message, "warning", line_offset) for w in runner.warnings]
    diags += [_diag(lines, p, SORRY_MESSAGE, "warning", line_offset) for p in runner.sorry_pos[:1]]
    return diags


def _status(errors: list, sorries: list) -> str:
    if errors:
        return "failed"
    if sorries:
        return "incomplete"
    return "proved"


# ------------------------------------------------------------------------------ .lean files

def check_lean_text(text: str, *, allow_tauto: bool = False, goal_transform=None,
                    auto_implicit: bool | None = None,
                    relaxed_auto_implicit: bool | None = None) -> tuple[list[DeclResult], list[Diagnostic]]:
    """Check a ``.lean`` source: per-declaration results and file-level diagnostics.

    ``auto_implicit``/``relaxed_auto_implicit``: the project's ``autoImplicit``/``relaxedAutoImplicit``
    (as its lakefile sets them; ``None``: not known), which the file's ``set_option`` overrides.

    ``goal_transform(label, goal) -> goal`` (tests only) replaces a declaration's statement before its
    proof runs; the soundness tests use it to feed real proofs false statements."""
    lines = LineMap(text)
    try:
        toks = tokenize(text, strict_whitespace=True)  # a tab, a `\r` not before `\n`: a parse error
    except ParseError as e:
        return [], [_diag(lines, e.pos, e.message)]
    starts = command_starts(toks) + [len(toks)]
    # the term notation of the imported libraries (Lean reads imports before any command)
    imports = [toks[a + 1].text for a, b in zip(starts, starts[1:]) if toks[a].text == "import" and a + 1 < b]
    notations = notations_of_imports(imports)
    results: list[DeclResult] = []
    file_diags: list[Diagnostic] = []
    project = {AUTO_IMPLICIT: auto_implicit, RELAXED_AUTO_IMPLICIT: relaxed_auto_implicit}
    scopes = [_Scope("root", "", [], (), "", {k: v for k, v in project.items() if v is not None})]
    library = library_of_imports(imports)  # the libraries the imports bring (None: not known)
    lib = Library(hidden=hidden_constants(library))
    macros = MacroTable(library)
    file_defs: set[str] = set()  # names the file's unsupported commands (`def`, `axiom`, …) declare
    file_props: dict = {}  # the file's `def P : Prop := …` (closed propositions): name -> body
    attributes = FileAttributes(declared_names(toks, starts))
    pending_attrs: list = []
    pending_mods: set = set()  # modifiers after an `@[…]` on its line
    pending_opens: tuple = ()
    pending_options: dict = {}  # honoured `set_option … in` before a declaration
    if starts[0] > 0:
        t = toks[0]
        file_diags.append(_diag(lines, t.pos, f"unexpected token '{t.text}'; expected command"))
    i = 0
    while i < len(starts) - 1:
        a, b = starts[i], starts[i + 1]
        i += 1
        modifiers = set()
        while toks[a].text in MODIFIERS and a + 1 < b:
            modifiers.add(toks[a].text)
            a += 1
        kw = toks[a]
        ts = stream(toks, text, a + 1, b, notations, macros)
        scope = scopes[-1]
        if kw.text == "@":  # attributes of the next declaration: `@[simp] theorem …`
            try:
                pending_attrs = parse_attributes(ts)
                while ts.at(*MODIFIERS):  # `@[simp] private theorem …` on one line
                    pending_mods.add(ts.take().text)
                if not ts.done():
                    raise ts.error_here("expected declaration")
            except ParseError as e:
                file_diags.append(_diag(lines, e.pos if e.pos is not None else kw.pos, e.message))
            continue
        attrs_here, pending_attrs = pending_attrs, []
        modifiers, pending_mods = modifiers | pending_mods, set()
        try:
            if kw.text in DECLS or kw.text in PROOF_DEFS and is_proof_def(
                    ts, *_header_env(scope, lib, file_props, {**scope.options, **pending_options})):
                decl_lib = Library(lib.extra, scope.opens + pending_opens, scope.namespace,
                                   hidden=lib.hidden) if pending_opens else lib
                pending_opens = ()
                options = {**scope.options, **pending_options}
                pending_options = {}
                decl_lib, res = _check_declaration(kw, ts, scope, decl_lib, lines, allow_tauto, goal_transform,
                                                   options, attributes, file_props,
                                                   "protected" in modifiers)
                lib = Library(decl_lib.extra, scope.opens, scope.namespace, hidden=decl_lib.hidden)
                results.append(name_file_defs(res, file_defs))
                attributes.apply(attrs_here, [res.name], len(scopes))
            elif kw.text == "attribute":
                attrs = parse_attributes(ts)
                names = []
                while not ts.done():
                    names.append(ts.take().text)
                attributes.apply(attrs, names, len(scopes))
            elif kw.text == "variable":
                declared = {p.name: True for p in scope.variables if p.is_prop}
                new = parse_binders(ts, declared)
                names = {p.name for p in new}  # a redeclared variable replaces the earlier one
                scope.variables[:] = [p for p in scope.variables if p.name not in names] + new
                if not ts.done():
                    raise ts.error_here("expected command")
            elif kw.text in ("section", "namespace"):
                name = ts.take().text if not ts.done() else ""
                if not ts.done():
                    raise ts.error_here("expected command")
                open_scopes(scopes, kw.text, name)
                lib = Library(lib.extra, scopes[-1].opens, scopes[-1].namespace, hidden=lib.hidden)
            elif kw.text == "end":
                closed, error = close_scopes(scopes, ts.take().text if not ts.done() else "")
                del scopes[len(scopes) - len(closed):]
                macros.end_scope(len(scopes))
                attributes.end_scope(len(scopes))
                lib = Library(lib.extra, scopes[-1].opens, scopes[-1].namespace, hidden=lib.hidden)
                if error:
                    raise ParseError(error, pos=kw.pos)
            elif kw.text == "open":
                names = read_open(ts)
                if names is None:  # `open scoped A`: scoped extensions only, no names
                    file_diags.append(_diag(lines, kw.pos, "`open scoped` is not modelled by the prop "
                                            "environment (its scoped extensions are ignored)", "warning"))
                    names = []
                if ts.at("in"):  # `open X in` scopes the next command only
                    pending_opens = tuple(names)
                    continue
                scope.opens = scope.opens + tuple(names)
                lib = Library(lib.extra, scope.opens, scope.namespace, hidden=lib.hidden)
            elif kw.text == "set_option":
                name, honoured, scoped = read_set_option(ts, kw)
                if honoured is None:
                    file_diags.append(_diag(lines, kw.pos, ignored_option(name), "warning"))
                elif scoped:
                    pending_options = {**pending_options, name: honoured}
                else:
                    scope.options = {**scope.options, name: honoured}
            elif kw.text in MACRO_COMMANDS or kw.text in PREFIXES and toks[a + 1].text in MACRO_COMMANDS:
                is_local = kw.text in PREFIXES
                if is_local:
                    kw = ts.take()
                hygiene = {**scope.options, **pending_options}.get(HYGIENE, True)
                pending_options = {}
                note = macros.declare(kw.text, ts, len(scopes), hygiene, is_local)
                if note:
                    file_diags.append(_diag(lines, kw.pos, note, "warning"))
            elif kw.text in HARMLESS:
                continue
            elif kw.text in ("def", "abbrev") and read_prop_def(ts, file_props):
                attributes.apply(attrs_here, [next(reversed(file_props))], len(scopes))
            elif kw.text == "axiom" and (axiom := _read_axiom(ts, scope, lib, file_props, lines,
                                                               {**scope.options, **pending_options})):
                if isinstance(axiom, Diagnostic):
                    file_diags.append(axiom)
                else:  # Lean takes the axiom in as a constant: what it makes provable, Lean accepts
                    lib = lib.with_theorem(axiom)
            else:
                if kw.text in ("def", "abbrev", "opaque", "axiom", "inductive", "structure", "class") and \
                        not ts.done() and ts.peek().kind == "ident":
                    file_defs.add(ts.peek().text)
                file_diags.append(_diag(lines, kw.pos, f"the prop environment does not support the "
                                        f"command `{kw.text}`"))
        except ParseError as e:
            file_diags.append(_diag(lines, e.pos if e.pos is not None else kw.pos, e.message))
    return results, file_diags


def _read_axiom(ts: TokenStream, scope: _Scope, lib: Library, defs: dict, lines: LineMap, options: dict):
    """``axiom name binders : type`` over propositions: its scheme (the section variables it mentions,
    its auto-bound implicits, its binders), a Diagnostic for a name already declared, else None (the
    stream untouched) for an axiom that is not propositional."""
    start, name = ts.i, ts.take()
    full = f"{scope.namespace}.{name.text}" if scope.namespace else name.text
    declared = {**dict.fromkeys(defs, True), **{p.name: True for p in scope.variables if p.is_prop}}
    auto = AutoBound(options.get(RELAXED_AUTO_IMPLICIT), lambda n: n in defs or lib.get(n) is not None) \
        if options.get(AUTO_IMPLICIT) else None
    try:
        if name.kind != "ident":
            raise ParseError("expected identifier", name.pos)
        params, concl = parse_header(ts, declared, auto=auto)
        if not ts.done():
            raise ts.error_here("expected command")
    except ParseError:
        ts.i = start
        return None
    if lib.declares(full) or full in defs:
        return _diag(lines, name.pos, f"'{full}' has already been declared")
    used = header_vars(params, concl) - {p.name for p in params}
    included = [p for p in scope.variables if p.name in used]
    return Scheme(full, tuple(included + [Param(n, None, True) for n in (auto.names if auto else ())] + params),
                  concl)


def _header_env(scope: _Scope, lib: Library, defs: dict, options: dict) -> tuple[dict, AutoBound | None]:
    """The names a declaration header may use (the file's propositions and proposition variables) and
    its auto-bound implicits (None where ``autoImplicit`` is off or not known)."""
    declared = {**dict.fromkeys(defs, True), **{p.name: True for p in scope.variables if p.is_prop}}
    auto = AutoBound(options.get(RELAXED_AUTO_IMPLICIT), lambda n: n in defs or lib.get(n) is not None) \
        if options.get(AUTO_IMPLICIT) else None
    return declared, auto


def _check_declaration(kw: Token, ts: TokenStream, scope: _Scope, lib: Library, lines: LineMap,
                       allow_tauto: bool, goal_transform=None, options: dict | None = None,
                       attributes: FileAttributes | None = None,
                       defs: dict | None = None, protected: bool = False) -> tuple[Library, DeclResult]:
    name = "example"
    if kw.text != "example":
        t = ts.take()
        if t.kind != "ident":
            raise ParseError(f"unexpected token '{t.text}'; expected identifier", pos=t.pos)
        name = t.text
    line, col = lines.locate(kw.pos)
    label = name if kw.text != "example" else f"example@{line + 1}:{col}"
    declared_name = name[len("_root_."):] if name.startswith("_root_.") else \
        f"{scope.namespace}.{name}" if scope.namespace else name
    if refusal := command_refusal(kw.text, getattr(ts.macros, "library", None)):
        return lib, DeclResult(label, line + 1, col, "error", [_diag(lines, kw.pos, refusal)])
    if kw.text != "example" and (lib.declares(declared_name) or declared_name in (defs or {})):
        # Lean's `checkNotAlreadyDeclared`: a name of the file is declared once
        return lib, DeclResult(label, line + 1, col, "error",
                               [_diag(lines, t.pos, f"'{declared_name}' has already been declared")])
    lead: list[str] = []
    auto_on = (options or {}).get(AUTO_IMPLICIT)
    declared, auto = _header_env(scope, lib, defs or {}, options or {})
    try:
        params, concl = parse_header(ts, declared, implicit_out=lead, auto=auto)
    except ParseError as e:
        unbound = re.fullmatch(r"Unknown identifier `([^`.]+)`", e.message)
        msg = unbound_note(unbound.group(1)) if unbound and auto_on is None else \
            auto.refused.get(unbound.group(1), e.message) if unbound and auto else e.message
        return lib, DeclResult(label, line + 1, col, "error", [_diag(lines, e.pos, msg)])
    if not ts.at(":="):
        if ts.at("|"):
            e = ParseError("pattern-matching definitions are not supported by the prop environment",
                           ts.peek().pos)
        else:
            e = ts.error_here("expected ':='")
        return lib, DeclResult(label, line + 1, col, "error", [_diag(lines, e.pos, e.message)])
    ts.take()
    used = header_vars(params, concl)
    if kw.text == "example" or kw.text in PROOF_DEFS:  # a definition takes the variables its body uses
        used |= mentioned_names(ts)
    own = {p.name for p in params}
    included: list[Param] = []
    for p in scope.variables:  # a variable is included if mentioned, with the variables its type uses
        if p.name in used and p.name not in own:
            included.append(p)
    need = set()
    for p in included:
        if p.dom is not None:
            need.update(atoms(p.dom))
    included = [p for p in scope.variables if p in included or (p.is_prop and p.name in need and p.name not in own)]
    all_params = included + [Param(n, None, True) for n in (auto.names if auto else ())] + params
    full_name = declared_name
    implicit, body = peel_implicit(lead, concl)
    if {p.name for p in implicit} & {p.name for p in all_params}:
        implicit, body = [], concl
    scheme = Scheme(full_name, tuple(all_params + implicit), body, protected)
    runner = _file_runner(lib, allow_tauto, options)
    runner.defs = defs or {}
    if attributes is not None:
        runner.simp_changed = attributes.simp_note()
        if attributes.refusal():
            return lib.with_theorem(dataclasses.replace(scheme, unproved=True)) if kw.text != "example" else lib, \
                DeclResult(label, line + 1, col, "error", [_diag(lines, kw.pos, attributes.refusal())])
    try:
        # a term proof of `∀ {p : Prop}, t` gets `p` by Lean's implicit lambda; a `by` block, `fun {p}`,
        # `@e` and `_` block it (src/Lean/Elab/Term.lean, `blockImplicitLambda`)
        first, second = ts.peek(), ts.peek(1)
        blocked = first is None or first.text in ("by", "@", "_") or first.text.startswith("?") or \
            (first.text in ("fun", "λ") and second is not None and second.text in ("{", "⦃"))
        goal = scheme_goal(all_params, concl) if blocked or not implicit else scheme_goal(all_params + implicit, body)
        if goal_transform is not None:
            goal = goal_transform(label, goal)
        lib.cited_unproved = []
        errors = _prove(runner, goal, ts)
    except ParseError as e:
        errors = [TacticError(e.message, e.pos)]
        runner.sorry_pos.clear()
    status, messages = _status(errors, runner.sorry_pos), _messages(lines, errors, runner, kw.pos)
    if status == "proved" and lib.cited_unproved:  # no message from Lean, but the value uses `sorryAx`
        status = "incomplete"
        messages.append(_diag(lines, kw.pos, unproved_note(lib.cited_unproved[0]), "warning"))
    if kw.text != "example":
        lib = lib.with_theorem(scheme if status == "proved" else dataclasses.replace(scheme, unproved=True))
    return lib, DeclResult(label, line + 1, col, status, messages)


# ------------------------------------------------------------------------------ JSONL records

def _check_steps(goal: Goal, steps: list[str], allow_tauto: bool) -> DeclResult:
    goals: tuple = (goal,)
    warned: list[Diagnostic] = []  # warnings of earlier steps (ignored options), kept with the result
    for k, tac in enumerate(steps):
        lines = LineMap(tac)
        runner = _file_runner(Library(), allow_tauto)
        try:
            toks = tokenize(tac, strict_whitespace=True)  # file text under `by`, as Lean reads it
            ts = stream(toks, tac)
            if ts.done():
                raise ParseError("unknown tactic", 0)
            seq = parse_seq(ts)
            if not ts.done():
                raise ts.error_here("expected command")
        except ParseError as e:
            return DeclResult("", 0, 0, "failed", [_diag(lines, e.pos, e.message)], step=k + 1, tactic=tac)
        try:
            goals = runner.run(seq, goals)
        except TacticError as e:
            runner.errors.append(e)
        except RecursionError:
            runner.errors.append(TacticError("maximum recursion depth has been reached", 0))
        if runner.errors or runner.sorry_pos:
            status = "failed" if runner.errors else "incomplete"
            return DeclResult("", 0, 0, status, _messages(lines, runner.errors, runner, 0) + warned,
                              step=k + 1, tactic=tac)
        warned += _messages(lines, [], runner)
    if goals:
        msg = "unsolved goals\n" + "\n\n".join(pp_goal(g) for g in goals)
        return DeclResult("", 0, 0, "incomplete", [Diagnostic(0, 0, "error", msg)] + warned)
    return DeclResult("", 0, 0, "proved", warned)


def _check_proof_text(goal: Goal, proof: str, allow_tauto: bool) -> DeclResult:
    lines = LineMap(proof)
    runner = _file_runner(Library(), allow_tauto)
    try:
        toks = tokenize(proof, strict_whitespace=True)  # file text after `:=`, as Lean reads it
        ts = stream(toks, proof)
        errors = _prove(runner, goal, ts)
    except ParseError as e:
        return DeclResult("", 0, 0, "failed", [_diag(lines, e.pos, e.message)])
    return DeclResult("", 0, 0, _status(errors, runner.sorry_pos), _messages(lines, errors, runner))


def _record_proof(rec: dict, index: int):
    """``("steps", list)`` from ``tactics`` (a string there is refused) or ``proof``; ``("text", str)``."""
    proof = rec["tactics"] if "tactics" in rec else rec.get("proof")
    if isinstance(proof, list) and all(isinstance(t, str) for t in proof):
        return "steps", proof
    if isinstance(proof, str) and "tactics" not in rec:
        return "text", proof
    raise DataError(f"record #{index}: 'tactics' must be a list of strings, one per step (text goes in 'proof')"
                    if "tactics" in rec else f"record #{index} has no 'tactics' list of strings or 'proof' text")


def check_record(rec: dict, index: int, *, allow_tauto: bool = False) -> DeclResult:
    """Check one record (raises DataError when the record itself is malformed)."""
    if not isinstance(rec, dict) or not isinstance(rec.get("statement"), str):
        raise DataError(f"record #{index} has no 'statement' string")
    name = str(rec.get("name", f"#{index}"))
    kind, tactics = _record_proof(rec, index)
    try:
        goal = parse_statement(rec["statement"], name).goal
    except ParseError as e:
        res = DeclResult(name, 0, 0, "error", [Diagnostic(0, 0, "error", f"cannot parse statement: {e.message}")])
    except RecursionError:
        res = DeclResult(name, 0, 0, "error", [Diagnostic(0, 0, "error", "cannot parse statement: maximum "
                                                                         "recursion depth has been reached")])
    else:
        res = _check_steps(goal, tactics, allow_tauto) if kind == "steps" else \
            _check_proof_text(goal, tactics, allow_tauto)
    res.name = name
    res.statement = rec["statement"]
    return res


def read_records(path: Path) -> list:
    """Records of a JSONL file or of a theorem-index / list JSON (raises DataError on bad input)."""
    data = read_json(path, lines=path.suffix.lower() != ".json")
    if path.suffix.lower() != ".json":
        return data
    rows = data.get("theorems") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise DataError(f"{path}: expected a list of records or an object with 'theorems'")
    return rows


def check_records(records: list, *, allow_tauto: bool = False) -> list[DeclResult]:
    out = []
    for i, rec in enumerate(records, 1):
        if not isinstance(rec, dict) or not isinstance(rec.get("statement"), str):
            raise DataError(f"record #{i} has no 'statement' string")
        _record_proof(rec, i)
    for i, rec in enumerate(records, 1):
        out.append(check_record(rec, i, allow_tauto=allow_tauto))
    return out


def check_path(path: Path, *, allow_tauto: bool = False, auto_implicit: bool | None = None,
               relaxed_auto_implicit: bool | None = None) -> tuple[list[DeclResult], list[Diagnostic]]:
    """Check a ``.lean`` file or a records file; DataError for a missing or malformed file."""
    path = Path(path)
    if path.suffix.lower() == ".lean":
        if not path.exists():
            raise DataError(f"file not found: {path}")
        try:  # bytes as they are: a newline translation would turn an isolated `\r` into a line break
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as e:
            raise DataError(f"{path}: {not_text(path, e)}") from None
        return check_lean_text(text, allow_tauto=allow_tauto, auto_implicit=auto_implicit,
                               relaxed_auto_implicit=relaxed_auto_implicit)
    records = read_records(path)
    try:
        return check_records(records, allow_tauto=allow_tauto), []
    except DataError as e:
        raise DataError(f"{path}: {e}") from None


