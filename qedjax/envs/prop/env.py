"""The ``prop`` environment: theorem headers → sessions that apply Lean tactics to goal lists."""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.oracle import provable
from qedjax.envs.prop.state import Goal, Hyp, PropState, parse_state, pp_state
from qedjax.envs.prop.syntax import atoms, is_ident, parse_formula_tokens, tokenize
from qedjax.envs.prop.tactics import TacticError, run_tactic
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


def parse_statement(text: str, default_name: str = "thm") -> ParsedTheorem:
    """Parse a Lean header (``theorem t (p q : Prop) (h : p) : p ∨ q``), a goal (``p : Prop ⊢ p → p``)
    or a bare proposition (atoms become ``Prop`` variables in order of appearance).

    A trailing ``:= by`` (and anything after it) is ignored, as are Lean comments.
    """
    src = text.strip()
    if "⊢" in src:
        state = parse_state(src)
        if len(state) != 1:
            raise ParseError("a theorem statement must have exactly one goal")
        return ParsedTheorem(default_name, state[0])
    if ":=" in src:
        src = src[: src.index(":=")].rstrip()
    try:
        toks = tokenize(src)
    except ParseError as e:
        raise ParseError(f"cannot parse theorem statement: {e.message}", e.pos) from None
    if not toks:
        raise ParseError("empty theorem statement")
    name = default_name
    i = 0
    if toks[0].text in ("theorem", "lemma", "example"):
        i = 1
        if toks[0].text != "example":
            if i >= len(toks) or toks[i].kind != "ident":
                raise ParseError("expected theorem name after 'theorem'")
            name = toks[i].text
            i += 1
        context: list[Hyp] = []
        declared: set[str] = set()
        while i < len(toks) and toks[i].text in ("(", "{", "["):
            close = {"(": ")", "{": "}", "[": "]"}[toks[i].text]
            j = i + 1
            names = []
            while j < len(toks) and toks[j].kind == "ident" and is_ident(toks[j].text):
                names.append(toks[j].text)
                j += 1
            if not names or j >= len(toks) or toks[j].text != ":":
                raise ParseError("malformed binder; expected '(names : type)'", toks[i].pos)
            depth, k = 0, j + 1
            while k < len(toks) and not (depth == 0 and toks[k].text == close):
                depth += toks[k].text == "("
                depth -= toks[k].text == ")"
                k += 1
            if k >= len(toks):
                raise ParseError(f"unclosed binder; expected '{close}'", toks[i].pos)
            type_toks = toks[j + 1:k]
            if len(type_toks) == 1 and type_toks[0].text == "Prop":
                for n in names:
                    context.append(Hyp(n, None))
                    declared.add(n)
            else:
                f = parse_formula_tokens(list(type_toks), src)
                _check_declared(f, declared)
                for n in names:
                    context.append(Hyp(n, f))
            i = k + 1
        if i >= len(toks) or toks[i].text != ":":
            raise ParseError("expected ':' before the theorem's proposition")
        target = parse_formula_tokens(list(toks[i + 1:]), src)
        _check_declared(target, declared)
        return ParsedTheorem(name, Goal(tuple(context), target))
    target = parse_formula_tokens(list(toks), src)
    return ParsedTheorem(name, Goal(tuple(Hyp(a, None) for a in sorted(atoms(target))), target))


def _check_declared(f, declared: set[str]) -> None:
    for a in atoms(f):
        if a not in declared:
            raise ParseError(f"unknown identifier '{a}'")


def to_proof_state(goals: PropState) -> ProofState:
    return ProofState(pp=pp_state(goals), num_goals=len(goals), handle=tuple(goals))


def goals_of(state: ProofState) -> PropState:
    if isinstance(state.handle, tuple):
        return state.handle
    return parse_state(state.pp)


class PropSession:
    def __init__(self, theorem: Theorem, allow_tauto: bool = False):
        parsed = parse_statement(theorem.statement, theorem.name)
        self.theorem = theorem
        self.goal = parsed.goal
        self.allow_tauto = allow_tauto
        self.initial_state = to_proof_state((parsed.goal,))

    def apply(self, state: ProofState, tactic: str) -> TacticResult:
        if len(tactic) > MAX_TACTIC_CHARS:
            return Failed(f"tactic longer than {MAX_TACTIC_CHARS} characters")
        try:
            goals = run_tactic(goals_of(state), tactic, allow_tauto=self.allow_tauto)
        except TacticError as e:
            return Failed(e.message)
        except RecursionError:
            return Failed("maximum recursion depth has been reached")
        if not goals:
            return ProofComplete()
        return Success(to_proof_state(goals))

    def close(self) -> None:
        pass


class PropEnvironment:
    """Embedded Lean-syntax propositional logic. ``allow_tauto`` enables the ``tauto`` tactic."""

    name = "prop"
    probe_tactics = PROP_PROBE_TACTICS

    def __init__(self, allow_tauto: bool = False):
        self.allow_tauto = allow_tauto

    def start(self, theorem: Theorem) -> PropSession:
        return PropSession(theorem, self.allow_tauto)


def state_provable(state: ProofState) -> bool:
    """The oracle on a :class:`ProofState` (works from ``pp`` alone)."""
    return provable(goals_of(state))
