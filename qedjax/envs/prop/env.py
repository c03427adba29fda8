"""The ``prop`` environment: theorem headers → sessions that apply Lean tactics to goal lists."""

from __future__ import annotations

import dataclasses
import warnings

from qedjax.envs.prop.decls import Scheme, parse_header
from qedjax.envs.prop.errors import TacticError
from qedjax.envs.prop.lexer import LineMap, tokenize
from qedjax.envs.prop.oracle import provable
from qedjax.envs.prop.parser import parse_tactic, stream
from qedjax.envs.prop.state import Goal, Hyp, PropState, parse_state, pp_state
from qedjax.envs.prop.syntax import atoms, parse_formula
from qedjax.envs.prop.tactics import Runner
from qedjax.errors import ParseError
from qedjax.interfaces import Failed, ProofComplete, ProofState, Success, TacticResult, Theorem

MAX_TACTIC_CHARS = 4096

# Cheap closers and openers that search may try on every expansion (the environment's probe list).
PROP_PROBE_TACTICS = (
    "intro", "intros", "constructor", "left", "right", "assumption", "contradiction", "trivial",
    "exfalso", "rfl", "decide", "by_contra h", "tauto",
)


@dataclasses.dataclass(frozen=True)
class ParsedTheorem:
    name: str
    goal: Goal
    scheme: Scheme | None = None


def scheme_goal(params, concl) -> Goal:
    """The initial goal of a header: parameters become the context (later ones shadow earlier)."""
    g = Goal((), concl)
    for p in params:
        if p.is_prop:
            if any(h.name == p.name for h in g.context):
                raise ParseError(f"the prop environment does not support two variables named '{p.name}'")
            g = dataclasses.replace(g, context=g.context + (Hyp(p.name, None),))
        else:
            name = p.name
            g = g.with_hyp(Hyp("a", p.dom, accessible=False) if name == "_" else Hyp(name, p.dom))
    return g


def parse_statement(text: str, default_name: str = "thm") -> ParsedTheorem:
    """Parse a Lean header (``theorem t (p q : Prop) (h : p) : p ∨ q``, ``example : ∀ (p : Prop), p → p``),
    a goal (``p : Prop ⊢ p → p``) or a bare proposition (its atoms become ``Prop`` variables).

    A trailing ``:= …`` is ignored, as are Lean comments.
    """
    src = text.strip()
    if "⊢" in src:
        state = parse_state(src)
        if len(state) != 1:
            raise ParseError("a theorem statement must have exactly one goal")
        return ParsedTheorem(default_name, state[0])
    try:
        toks = tokenize(src)
    except ParseError as e:
        raise ParseError(f"cannot parse theorem statement: {e.message}", e.pos) from None
    cut = next((i for i, t in enumerate(toks) if t.text == ":=" and t.kind == "sym"), len(toks))
    toks = toks[:cut]
    if not toks:
        raise ParseError("empty theorem statement")
    ts = stream(toks, src)
    name = default_name
    if toks[0].text in ("theorem", "lemma", "example"):
        kw = ts.take()
        if kw.text != "example":
            t = ts.peek()
            if t is None or t.kind != "ident":
                raise ParseError(f"expected theorem name after '{kw.text}'", pos=t.pos if t else len(src))
            name = ts.take().text
        try:
            params, concl = parse_header(ts)
        except ParseError as e:
            raise ParseError(_at(src, e), e.pos) from None
        if not ts.done():
            raise ParseError(_at(src, ts.error_here("expected ':='")), ts.peek().pos)
        return ParsedTheorem(name, scheme_goal(params, concl), Scheme(name, tuple(params), concl))
    target = parse_formula(src[: toks[-1].end])
    return ParsedTheorem(name, Goal(tuple(Hyp(a, None) for a in sorted(atoms(target))), target))


def _at(src: str, e: ParseError) -> str:
    if e.pos is None:
        return e.message
    line, col = LineMap(src).locate(e.pos)
    return f"{e.message} (at {line + 1}:{col})"


def to_proof_state(goals: PropState) -> ProofState:
    return ProofState(pp=pp_state(goals), num_goals=len(goals), handle=tuple(goals))


def goals_of(state: ProofState) -> PropState:
    if isinstance(state.handle, tuple):
        return state.handle
    return parse_state(state.pp)


class PropOptionWarning(UserWarning):
    """A tactic set an option (``set_option … in``) that the prop environment does not model."""


class PropSession:
    """One theorem's proof states. ``warnings`` lists, once each, what Lean would report as a warning
    on a tactic that succeeded (an ``set_option`` prop ignores); each is also issued as a
    :class:`PropOptionWarning`."""

    def __init__(self, theorem: Theorem, allow_tauto: bool = False):
        parsed = parse_statement(theorem.statement, theorem.name)
        self.theorem = theorem
        self.goal = parsed.goal
        self.allow_tauto = allow_tauto
        self.initial_state = to_proof_state((parsed.goal,))
        self.warnings: list[str] = []

    def apply(self, state: ProofState, tactic: str) -> TacticResult:
        if len(tactic) > MAX_TACTIC_CHARS:
            return Failed(f"tactic longer than {MAX_TACTIC_CHARS} characters")
        runner = Runner(allow_tauto=self.allow_tauto)
        try:
            seq = parse_tactic(tactic)
            goals = runner.run(seq, goals_of(state))
        except TacticError as e:
            return Failed(e.message)
        except RecursionError:
            return Failed("maximum recursion depth has been reached")
        for w in runner.warnings:
            if w.message not in self.warnings:
                self.warnings.append(w.message)
                warnings.warn(w.message, PropOptionWarning, stacklevel=2)
        if not goals:
            return ProofComplete()
        return Success(to_proof_state(goals))

    def close(self) -> None:
        pass


class PropEnvironment:
    """Embedded Lean-syntax propositional logic. ``allow_tauto`` enables the ``tauto`` tactic."""

    name = "prop"
    probe_tactics: tuple[str, ...] = PROP_PROBE_TACTICS  # tactics search may try at every expansion

    def __init__(self, allow_tauto: bool = False):
        self.allow_tauto = allow_tauto

    @property
    def uses_oracle(self) -> bool:
        """``tauto`` here is the truth-table oracle: a search that may call it is not blind."""
        return self.allow_tauto

    def start(self, theorem: Theorem) -> PropSession:
        return PropSession(theorem, self.allow_tauto)


def state_provable(state: ProofState) -> bool:
    """The oracle on a :class:`ProofState` (works from ``pp`` alone)."""
    return provable(goals_of(state))
