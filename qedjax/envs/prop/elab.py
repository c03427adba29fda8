"""Elaborating proof terms against propositions: Lean's term elaborator and app elaborator.

``Elab.check(term, expected)`` returns the proposition a term proves or raises :class:`TacticError`
worded like Lean's message. As in Lean: implicit arguments become metavariables (``?m``); an
application first unifies its result with the expected type, then elaborates its arguments, and
postpones ``fun``/``⟨…⟩``/``by`` arguments whose expected type is still unknown; ``¬a`` unfolds to
``a → False`` during unification; generalized field notation (``h.left``, ``h.1``, ``h.elim f g``,
``hn.elim hp``) resolves through the head of the hypothesis' type (``And``, ``Or``, ``Iff``, ``Not``,
``False``, ``Eq``, ``Function``). ``?_`` (and, where allowed, ``_``) in proof position become new goals.
Metavariables and unification live in ``unify.py``, patterns and coverage checks in ``patterns.py``.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.cast import Cast
from qedjax.envs.prop.decls import LIBRARY, Library
from qedjax.envs.prop.eliminators import check_eliminator, is_recursor
from qedjax.envs.prop.errors import TacticError, Unsupported
from qedjax.envs.prop.lambdas import ImplicitLambda
from qedjax.envs.prop.overload import Overloads
from qedjax.envs.prop.patterns import (
    check_exhaustive,
    check_rows,
    ctor_fields,
    ctor_name,
    normalise_pattern,
    pattern_bindings,
)
from qedjax.envs.prop.scope import Scope, add_hyp, within
from qedjax.envs.prop.state import Goal, Hyp, pp_goal
from qedjax.envs.prop.syntax import (
    And,
    Atom,
    Bot,
    Eq,
    Forall,
    Formula,
    Iff,
    Imp,
    MVar,
    Not,
    Or,
    Top,
    pp,
    subst,
    to_formula,
    unlet,
)
from qedjax.envs.prop.terms import (
    PVar,
    TAnon,
    TApp,
    TAscribe,
    TAssum,
    TBin,
    TBy,
    TDot,
    TForall,
    TFun,
    TFunAlts,
    THave,
    THole,
    TIdent,
    TMatch,
    TNamed,
    TNomatch,
    TNot,
    TProj,
    TShow,
    TSuffices,
    TSynth,
    TUnsupported,
    let_of_a_proposition,
)
from qedjax.envs.prop.unify import Metavars, Pi, has_mvar, pi_subst, scheme_pi

__all__ = ["Elab", "Scope", "Hole", "add_hyp"]


@dataclasses.dataclass
class Hole:
    """A new goal created by ``?_`` / ``_`` / a postponed ``by`` during elaboration."""

    name: str  # "" for anonymous
    context: tuple
    target: Formula
    pos: int
    natural: bool = False


def _needs_expected(term) -> bool:
    return isinstance(term, (TFun, TFunAlts, TAnon, TBy, TSynth, THole, TMatch, TDot, TNomatch, TShow))


_NAMESPACE = {And: "And", Or: "Or", Iff: "Iff", Not: "Not", Bot: "False", Top: "True", Eq: "Eq",
              Imp: "Function"}
_NUMERIC_FIELDS = {"And": {"1": "left", "2": "right"}, "Iff": {"1": "mp", "2": "mpr"}}


class Elab(ImplicitLambda, Overloads, Cast, Metavars):
    """Elaborates terms in a :class:`Scope` against propositions (see module docstring).

    ``holes``: ``"none"`` (``exact``), ``"synthetic"`` (``refine``: ``?_`` makes a goal) or ``"all"``
    (``apply``/``refine'``: ``_`` too). ``run_block(seq, goal)`` runs a nested ``by`` block.
    """

    def __init__(self, scope: Scope, lib: Library = LIBRARY, run_block=None, holes: str = "none",
                 assign_goal: bool = False):
        self.scope = scope
        self.lib = lib
        self.run_block = run_block
        self.hole_mode = holes
        super().__init__(assign_goal, scope.defs)
        self.holes: list[Hole] = []
        self.postponed: list | None = None  # `by` blocks waiting for their type (apply's term)
        self.closed_named: dict = {}  # name -> (type, context) of a solved goal `?name` (Runner.named)

    def run_postponed(self) -> None:
        """Run the ``by`` blocks whose type was unknown when they were met, now that unification has
        fixed it (Lean runs tactic blocks last: ``synthesizeSyntheticMVarsNoPostponing``)."""
        waiting, self.postponed = self.postponed or [], None
        for term, hyps, goal in waiting:
            goal = self.inst(goal)
            if has_mvar(goal):
                raise TacticError("don't know how to synthesize placeholder\ncontext:\n"
                                  + pp_goal(Goal(hyps, goal)), term.pos)
            self.run_block(term, Goal(hyps, goal))

    def save(self) -> tuple:
        return super().save() + (len(self.holes),)

    def restore(self, saved: tuple) -> None:
        super().restore(saved)
        del self.holes[saved[2]:]

    # ------------------------------------------------------------------ propositions
    def prop(self, term) -> Formula:
        return to_formula(term, self.scope.is_var, self.fresh)

    # ------------------------------------------------------------------ entry points
    def check_plain(self, term, expected: Formula | None) -> Formula:
        """``check`` past the implicit lambda (``lambdas.py``)."""
        got = self._elab(term, expected)
        if expected is not None:
            if not self.unify(got, expected):
                raise self.mismatch(term, got, expected)
            return self.inst(expected)
        return self.inst(got)

    def mismatch(self, term, got: Formula, expected: Formula) -> TacticError:
        return TacticError(f"Type mismatch\n  {term.src}\nhas type\n  {pp(self.inst(got))}\n"
                           f"but is expected to have type\n  {pp(self.inst(expected))}", term.pos)

    def _elab(self, term, expected: Formula | None) -> Formula:
        if isinstance(term, (TIdent, TApp, TProj)):
            return self._app(term, expected)
        if isinstance(term, TAnon):
            return self._anon(term, expected)
        if isinstance(term, TFun):
            return self._fun(term, expected)
        if isinstance(term, TFunAlts):
            return self._fun_alts(term, expected)
        if isinstance(term, TMatch):
            return self._match(term, expected)
        if isinstance(term, TNomatch):
            ty = self.head(self.check(term.discr, None))
            if not isinstance(ty, Bot):
                raise TacticError(f"Missing cases:\n(_ : {pp(ty)})", term.pos)
            return self._need(expected, term)
        if isinstance(term, THave):
            return self._have(term, expected)
        if isinstance(term, TShow):
            f = self.prop(term.type)
            if expected is not None and not self.unify(f, expected):
                raise TacticError(f"Type mismatch\n  {term.src}\nhas type\n  {pp(self.inst(f))}\n"
                                  f"but is expected to have type\n  {pp(self.inst(expected))}", term.pos)
            self.check(term.proof, f)
            return f
        if isinstance(term, TSuffices):
            goal = self._need(expected, term)
            f = self.prop(term.type)
            snap = self.scope.snapshot()
            try:
                self.scope.push(Hyp(term.name, self.inst(f)))
                self.check(term.proof, goal)
            finally:
                self.scope.restore(snap)
            self.check(term.body, f)
            return goal
        if isinstance(term, TAscribe):
            f = self.prop(term.type)
            self.check(term.term, f)
            return f
        if isinstance(term, TAssum):
            f = self.inst(self.prop(term.type))
            for h in reversed(self.scope.hyps):
                if h.type is not None and self.unify(h.type, f):
                    return f
            raise TacticError(f"Tactic `assumption` failed\n\n{self._ctx_text(f)}", term.pos)
        if isinstance(term, TBy):
            goal = self._need(expected, term)
            goal = self.inst(goal)
            if has_mvar(goal) and self.postponed is not None:
                self.postponed.append((term, tuple(self.scope.hyps), goal))
                return goal
            if has_mvar(goal):
                raise TacticError("don't know how to synthesize placeholder\ncontext:\n"
                                  + self._ctx_text(goal), term.pos)
            if self.run_block is None:
                raise TacticError("`by` blocks are not allowed here", term.pos)
            self.run_block(term, Goal(tuple(self.scope.hyps), goal))
            return goal
        if isinstance(term, TSynth):
            goal = self._need(expected, term)
            if term.name != "_":
                # Lean's elabSyntheticHole: `?a` names an existing metavariable when there is one; its
                # local context must be part of the current one
                same = next((h for h in self.holes if h.name == term.name), None)
                if same is not None:
                    within(same.context, self.scope.hyps, term.pos)
                    if not self.unify(same.target, goal):
                        raise self.mismatch(term, same.target, goal)
                    return self.inst(goal)
                if term.name in self.closed_named:
                    ty, ctx = self.closed_named[term.name]
                    within(ctx, self.scope.hyps, term.pos)
                    if not self.unify(ty, goal):
                        raise self.mismatch(term, ty, goal)
                    return self.inst(goal)
            if self.hole_mode == "none":
                raise TacticError("don't know how to synthesize placeholder\ncontext:\n"
                                  + self._ctx_text(self.inst(goal)), term.pos)
            self.holes.append(Hole("" if term.name == "_" else term.name, tuple(self.scope.hyps), goal,
                                   term.pos))
            return goal
        if isinstance(term, THole):
            goal = self._need(expected, term)
            if self.hole_mode != "all":
                raise TacticError("don't know how to synthesize placeholder\ncontext:\n"
                                  + self._ctx_text(self.inst(goal)), term.pos)
            self.holes.append(Hole("", tuple(self.scope.hyps), goal, term.pos, natural=True))
            return goal
        if isinstance(term, TDot):
            return self._app(term, expected)
        if isinstance(term, TBin) and term.op in ("<|", "|>"):
            fn, arg = (term.left, term.right) if term.op == "<|" else (term.right, term.left)
            return self._app(TApp(term.pos, term.src, fn, (arg,)), expected)
        if isinstance(term, TBin) and term.op == "▸":
            return self.cast(term, expected)
        if isinstance(term, TBin) and term.op == "∘":  # Function.comp: (f ∘ g) a = f (g a)
            a, b, c = self.fresh(), self.fresh(), self.fresh()
            saved = self.save()  # the expected type first, as elabAppArgs propagates it to the arguments
            if expected is not None and not self.unify(Imp(a, c), expected):
                self.restore(saved)
            self.check(term.right, Imp(a, b))
            self.check(term.left, Imp(b, c))
            return self.inst(Imp(a, c))
        if isinstance(term, (TBin, TNot, TForall)):
            f = self.prop(term)
            raise TacticError(f"Type mismatch\n  {pp(f)}\nhas type\n  Prop\nbut is expected to have "
                              f"type\n  {pp(self.inst(expected)) if expected is not None else '?'}",
                              term.pos)
        if isinstance(term, TUnsupported):
            raise TacticError(f"the prop environment does not support {term.what}s (`{term.src}`)",
                              term.pos)
        raise TacticError(f"unsupported term `{term.src}`", term.pos)

    def _need(self, expected: Formula | None, term) -> Formula:
        if expected is None:
            raise TacticError(f"don't know how to synthesize placeholder\nthe expected type of "
                              f"`{term.src}` is not known", term.pos)
        return expected

    def _ctx_text(self, target: Formula) -> str:
        return pp_goal(Goal(tuple(self.scope.hyps), target))

    # ------------------------------------------------------------------ applications
    def head_type(self, term):
        """The (uninstantiated) function type of an identifier, for ``apply`` and applications.

        Returns ``(type, display)`` where type is a :class:`Pi` chain (constants) or a Formula.
        """
        if isinstance(term, TIdent):
            name = term.name
            h = self.scope.lookup(name)
            if h is not None:
                if h.type is None:
                    raise TacticError(f"Type mismatch\n  {name}\nhas type\n  Prop : Type\nbut is "
                                      f"expected to have type\n  a proof", term.pos)
                return h.type, name
            s = None if self.scope.local_prefix(name) else self.lib.get(name)  # locals first (`_dotted`)
            if s is not None:
                return scheme_pi(s), f"@{s.name}" if not term.explicit else s.name
            if "." in name:
                return None, name
            raise TacticError(f"Unknown identifier `{name}`", term.pos)
        return None, term.src

    def _app(self, term, expected: Formula | None, keep_pi: bool = False) -> Formula:
        if isinstance(term, TApp):
            fn, args = term.fn, list(term.args)
        else:
            fn, args = term, []
        self_arg = None  # (namespace, type) of the receiver of generalized field notation
        if isinstance(fn, TIdent) and (self.lib.opens or "." in self.lib.namespace) and self.scope.lookup(
                fn.name) is None and not self.scope.local_prefix(fn.name) and len(alts := self.lib.resolve(fn.name)) > 1:
            return self._overloaded(term, fn, args, alts, expected, keep_pi)
        if isinstance(fn, TIdent):
            ftype, _ = self.head_type(fn)
            if ftype is None:  # `h.left` / `h.symm.mp`: receiver + fields
                ftype, self_arg, fn_src = self._dotted(fn)
            explicit = fn.explicit
        elif isinstance(fn, TProj):
            ftype, self_arg = self._projection(fn)
            explicit = False
        elif isinstance(fn, TDot):
            ftype = self._dot_ctor(fn, expected)
            explicit = False
        else:
            ftype = self.check(fn, None)
            explicit = False
        return self._apply_args(term, fn, ftype, args, expected, explicit, self_arg, keep_pi)

    def app_type(self, term):
        """The type of an application for ``apply``: remaining parameters keep their binder names."""
        if isinstance(term, (TIdent, TApp, TProj, TDot)):
            return self._app(term, None, keep_pi=True)
        return self.check(term, None)

    def _apply_args(self, term, fn, ftype, args, expected, explicit, self_arg, keep_pi=False) -> Formula:
        if isinstance(fn, TIdent) and is_recursor(fn.name):
            check_eliminator(term, fn, args, expected, explicit)
        pending = []  # (arg term, domain)
        # named arguments `(x := e)` fill the parameter called x, implicit or not (Lean's `namedArgument`)
        named = {a.src: a.value for a in args if isinstance(a, TNamed)}
        args = [a for a in args if not isinstance(a, TNamed)]
        t = ftype
        i = 0
        while True:
            pi = self.as_pi(t)
            if pi is None:
                break
            if pi.name in named:
                value = named.pop(pi.name)
                if pi.var is not None:
                    t = pi_subst(pi.body, {pi.var: self.prop(value)})
                else:
                    pending.append((value, pi.dom))
                    t = pi.body
                continue
            if self_arg is not None and pi.var is None and pi.dom is not None and \
                    self._head_ns(pi.dom) == self_arg[0]:
                if not self.unify(pi.dom, self_arg[1]):
                    raise TacticError(f"Application type mismatch: The argument has type\n  "
                                      f"{pp(self.inst(self_arg[1]))}\nbut is expected to have type\n  "
                                      f"{pp(self.inst(pi.dom))}", term.pos)
                self_arg = None
                t = pi.body
                continue
            if pi.implicit and not explicit:
                t = pi_subst(pi.body, {pi.var: self.fresh()}) if pi.var else pi.body
                if pi.var is None:  # an implicit hypothesis: leave to unification (never in our library)
                    raise TacticError(f"don't know how to synthesize implicit argument '{pi.name}'",
                                      term.pos)
                continue
            if i >= len(args):
                break
            arg = args[i]
            i += 1
            if pi.var is not None:
                t = pi_subst(pi.body, {pi.var: self.prop(arg)})
            else:
                pending.append((arg, pi.dom))
                t = pi.body
        if named:
            raise TacticError(f"Invalid argument name `{next(iter(named))}` for function `{fn.src}`", term.pos)
        if i < len(args):
            raise TacticError(f"Function expected at\n  {fn.src}\nbut this term has type\n  "
                              f"{pp(self.pi_formula(self.inst_pi(t)))}", args[i].pos)
        result = self.pi_formula(t)
        propagated = expected is not None and self.try_unify(result, expected)
        if keep_pi and isinstance(t, Pi):
            result = t
        later = []
        for arg, dom in pending:
            if _needs_expected(arg) and has_mvar(self.inst(dom)):
                later.append((arg, dom))
            else:
                self._check_arg(term, arg, dom)
        for arg, dom in later:
            self._check_arg(term, arg, dom)
        if expected is not None and not propagated and not self.unify(result, expected):
            raise self.mismatch(term, result, expected)
        return self.inst_pi(result)

    def _check_arg(self, app, arg, dom: Formula) -> None:
        got = self.check(arg, dom) if self.implicit_lambda(arg, dom) else self._elab(arg, dom)
        if not self.unify(got, dom):
            raise TacticError(f"Application type mismatch: The argument\n  {arg.src}\nhas type\n  "
                              f"{pp(self.inst(got))}\nbut is expected to have type\n  {pp(self.inst(dom))}\n"
                              f"in the application\n  {app.src}", arg.pos)

    def _head_ns(self, f: Formula) -> str | None:
        return _NAMESPACE.get(type(unlet(self.head(f))))

    def _field_scheme(self, recv_type: Formula, field: str, pos: int, src: str):
        ty = self.head(self.inst(recv_type))
        ns = _NAMESPACE.get(type(ty))
        if ns is None:
            raise TacticError(f"Invalid field notation: Type is not of the form `C ...` where C is a "
                              f"constant\n  {src}\nhas type\n  {pp(ty)}", pos)
        field = _NUMERIC_FIELDS.get(ns, {}).get(field, field)
        s = self.lib.get(f"{ns}.{field}")
        if s is None:
            raise TacticError(f"Invalid field `{field}`: The environment does not contain `{ns}.{field}`\n"
                              f"  {src}\nhas type\n  {pp(ty)}", pos)
        return scheme_pi(s), (ns, ty)

    def _projection(self, proj: TProj):
        recv = self.check(proj.term, None)
        return self._field_scheme(recv, proj.field, proj.pos, proj.term.src)

    def _dotted(self, ident: TIdent):
        parts, local = ident.name.split("."), self.scope.local_prefix(ident.name)
        for k in ([local] if local else range(len(parts) - 1, 0, -1)):  # locals before constants
            base = ".".join(parts[:k])
            h = self.scope.lookup(base)
            s = None if h is not None else self.lib.get(base)
            if h is None and s is None:
                continue
            if h is not None and h.type is None:
                break
            recv_type = h.type if h is not None else self.pi_formula(self._instantiate_all(scheme_pi(s)))
            fields = parts[k:]
            for f in fields[:-1]:
                ftype, self_arg = self._field_scheme(recv_type, f, ident.pos, base)
                recv_type = self._apply_args(ident, ident, ftype, [], None, False, self_arg)
                base = f"{base}.{f}"
            ftype, self_arg = self._field_scheme(recv_type, fields[-1], ident.pos, base)
            return ftype, self_arg, ident.src
        raise TacticError(f"Unknown identifier `{ident.name}`", ident.pos)

    def _instantiate_all(self, t):
        while isinstance(t, Pi) and t.implicit and t.var is not None:
            t = pi_subst(t.body, {t.var: self.fresh()})
        return t

    def _dot_ctor(self, dot: TDot, expected: Formula | None):
        if expected is None or isinstance(self.head(expected), MVar):
            raise TacticError(f"Invalid dotted identifier notation: The expected type of `.{dot.name}` "
                              f"could not be determined", dot.pos)
        result = self.head(expected)
        while isinstance(result, (Imp, Forall)):
            # the namespace of the expected type's result, past its arrows (Lean's `resolveDotName`)
            result = self.head(result.right if isinstance(result, Imp) else result.body)
        ns = self._head_ns(result)
        s = self.lib.get(f"{ns}.{dot.name}") if ns else None
        if s is None:
            raise TacticError(f"Unknown constant `{ns}.{dot.name}`", dot.pos)
        return scheme_pi(s)

    # ------------------------------------------------------------------ constructors / binders
    def _anon(self, term: TAnon, expected: Formula | None) -> Formula:
        if expected is None or isinstance(self.head(expected), MVar):
            raise TacticError("Invalid `⟨...⟩` notation: The expected type of this term could not be "
                              "determined", term.pos)
        e = self.head(expected)
        items = term.items
        fields = ctor_fields(e)
        if fields is None:
            raise TacticError(f"Invalid `⟨...⟩` notation: The expected type\n  {pp(self.inst(e))}\n"
                              "is not an inductive type with exactly one constructor", term.pos)
        if len(items) < len(fields):
            raise TacticError(f"Insufficient number of fields for `⟨...⟩` constructor: Constructor "
                              f"`{ctor_name(e)}` has {len(fields)} explicit fields, but only "
                              f"{len(items)} provided", term.pos)
        if len(items) > len(fields):
            if not fields:
                raise TacticError(f"Too many arguments for `⟨...⟩` constructor `{ctor_name(e)}`", term.pos)
            rest = TAnon(items[len(fields) - 1].pos, term.src, items[len(fields) - 1:])
            items = items[:len(fields) - 1] + (rest,)
        for item, ty in zip(items, fields):
            self.check(item, ty)
        return e

    def _fun(self, term: TFun, expected: Formula | None) -> Formula:
        snap = self.scope.snapshot()
        try:
            return self._fun_binders(term, list(term.binders), expected)
        finally:
            self.scope.restore(snap)

    def _fun_binders(self, term: TFun, binders: list, expected: Formula | None) -> Formula:
        if not binders:
            return self.check(term.body, expected)
        b = binders[0]
        e = self.head(expected) if expected is not None else None
        pi = self.as_pi(e) if e is not None and not isinstance(e, MVar) else None
        if pi is None:
            if b.type is None and (e is None or isinstance(e, MVar)) and isinstance(b.pat, PVar):
                # the binder's type is a metavariable the body's elaboration must fix (Lean's
                # elabFunBinders; left unassigned it is "Failed to infer binder type")
                dom = self.fresh()
                self.scope.push(Hyp(b.pat.name if b.pat.name != "_" else "x✝", dom))
                result = Imp(dom, self._fun_binders(term, binders[1:], None))
                if has_mvar(self.inst(dom)) or (e is not None and not self.unify(result, e)):
                    raise TacticError("Failed to infer binder type", term.pos)
                return self.inst(result)
            if b.type is None:
                if e is None or isinstance(e, MVar):
                    raise TacticError("Failed to infer binder type", term.pos)
                raise TacticError(f"Type mismatch\n  {term.src}\nhas type\n  ?a → ?b\nbut is expected "
                                  f"to have type\n  {pp(self.inst(e))}", term.pos)
            dom = self.prop(b.type)
            self._bind(b.pat, dom, term.pos)
            body = self._fun_binders(term, binders[1:], None)
            result = Imp(dom, body)
            if e is not None and not self.unify(result, e):
                raise self.mismatch(term, result, e)
            return result
        if pi.var is not None:  # `fun p => …` against `∀ (p : Prop), …`
            if not isinstance(b.pat, PVar):
                raise TacticError("a proposition variable cannot be destructured", term.pos)
            name = b.pat.name if b.pat.name not in ("_", "-") else f"{pi.name}✝"
            if self.scope.lookup(name) is not None:
                raise TacticError(f"the prop environment does not support shadowing '{name}'", term.pos)
            self.scope.push(Hyp(name, None))
            self._fun_binders(term, binders[1:], subst(pi.body, {pi.var: Atom(name)}))
            return expected
        if b.type is not None:
            dom = self.prop(b.type)
            if not self.unify(dom, pi.dom):
                raise TacticError(f"Type mismatch\n  {b.type.src}\nis expected to be\n  "
                                  f"{pp(self.inst(pi.dom))}", b.type.pos)
        self._bind(b.pat, self.inst(pi.dom), term.pos)
        self._fun_binders(term, binders[1:], pi.body)
        return expected

    def _bind(self, pat, ty: Formula, pos: int) -> None:
        """Bind an irrefutable pattern (name, ``⟨a, b⟩`` on ``∧``/``↔``/``True``, typed) to ``ty``."""
        rows = [[normalise_pattern(pat, self.inst(ty), self, pos)]]
        check_exhaustive(rows, [self.inst(ty)], pos)
        for hyp in pattern_bindings(rows[0][0], self.inst(ty), "x"):
            self.scope.push(hyp)

    def _fun_alts(self, term: TFunAlts, expected: Formula | None) -> Formula:
        e = self.head(expected) if expected is not None else None
        pi = self.as_pi(e) if e is not None else None
        if pi is None or pi.var is not None:
            raise TacticError("Failed to infer binder type", term.pos)
        body = self.inst(pi.body)
        self._alternatives(term, [self.inst(pi.dom)], term.alts,
                           lambda alt: self.check(alt.rhs, body))
        return expected

    def _match(self, term: TMatch, expected: Formula | None) -> Formula:
        goal = self._need(expected, term)
        types = [self.check(d, None) for d in term.discrs]
        self._alternatives(term, types, term.alts, lambda alt: self.check(alt.rhs, goal))
        return goal

    def _alternatives(self, term, types: list[Formula], alts, body) -> None:
        rows = []
        for alt in alts:
            if len(alt.pats) != len(types):
                raise TacticError(f"Wrong number of patterns: expected {len(types)}", alt.pos)
            rows.append([normalise_pattern(p, t, self, alt.pos) for p, t in zip(alt.pats, types)])
        check_rows(rows, types, [a.pos for a in alts], term.pos)
        for alt, row in zip(alts, rows):
            snap = self.scope.snapshot()
            try:
                for p, t in zip(row, types):
                    for hyp in pattern_bindings(p, t, "x"):
                        self.scope.push(hyp)
                body(alt)
            finally:
                self.scope.restore(snap)

    def _have(self, term: THave, expected: Formula | None) -> Formula:
        if term.let and let_of_a_proposition(term, self.prop):  # a `let` of a proof is used as a `have`
            raise Unsupported("the prop environment does not support a `let` of a proposition", term.pos)
        if term.type is not None:
            ty = self.prop(term.type)
            self.check(term.value, ty)
        else:
            ty = self.check(term.value, None)
        ty = self.inst(ty)
        snap = self.scope.snapshot()
        try:
            if isinstance(term.pat, PVar):
                self.scope.push(Hyp(term.pat.name if term.pat.name != "_" else "this", ty,
                                    accessible=term.pat.name != "_"))
            else:
                self._bind(term.pat, ty, term.pos)
            return self.check(term.body, expected)
        finally:
            self.scope.restore(snap)
