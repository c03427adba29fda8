"""Seeded benchmark generator for ``prop``: difficulty = shortest proof length over the canonical moves.

Shortest proofs are found by breadth-first search over proof states with three exact prunings:
children the oracle says are unprovable are dropped, states equal up to hypothesis names and order
are visited once, and a state with more open goals than remaining moves is cut.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import random
from pathlib import Path
from typing import Iterator

from qedjax.envs.prop.distance import PropDistance
from qedjax.envs.prop.env import parse_statement
from qedjax.envs.prop.moves import canonical_moves
from qedjax.envs.prop.oracle import goal_provable, is_tautology
from qedjax.envs.prop.state import Goal, PropState
from qedjax.envs.prop.syntax import And, Atom, Bot, Formula, Iff, Imp, Not, Or, Top, atoms, pp
from qedjax.envs.prop.tactics import TacticError, run_tactic
from qedjax.envs.prop.unify import norm
from qedjax.errors import DataError
from qedjax.io import atomic_write_json

SPLITS = ("train", "valid", "test")
DEFAULT_SPLIT_FRACTIONS = (0.8, 0.1, 0.1)


def _key(state: PropState):
    return tuple((frozenset(norm(h.type) for h in g.context if h.type is not None), norm(g.target))
                 for g in state)


def shortest_proof(goal: Goal, max_depth: int = 8, max_states: int = 200_000,
                   by_cases: bool = True) -> list[str] | None:
    """A shortest proof of ``goal`` over :func:`canonical_moves`, or None within the limits."""
    if not goal_provable(goal):
        return None
    start: PropState = (goal,)
    frontier: list[tuple[PropState, list[str]]] = [(start, [])]
    seen = {_key(start)}
    for depth in range(max_depth):
        remaining = max_depth - depth - 1
        nxt: list[tuple[PropState, list[str]]] = []
        for state, path in frontier:
            for mv in canonical_moves(state[0], by_cases=by_cases):
                try:
                    new = run_tactic(state, mv)
                except TacticError:
                    continue
                if not new:
                    return path + [mv]
                if len(new) > remaining:
                    continue
                produced = len(new) - (len(state) - 1)
                if not all(goal_provable(g) for g in new[:produced]):
                    continue
                k = _key(new)
                if k in seen:
                    continue
                seen.add(k)
                nxt.append((new, path + [mv]))
                if len(seen) > max_states:
                    return None
        frontier = nxt
        if not frontier:
            return None
    return None


# ------------------------------------------------------------------------------ generation

def random_formula(rng: random.Random, names: list[str], size: int) -> Formula:
    if size <= 1:
        r = rng.random()
        if r < 0.04:
            return Bot()
        if r < 0.06:
            return Top()
        return Atom(rng.choice(names))
    r = rng.random()
    if r < 0.15:
        return Not(random_formula(rng, names, size - 1))
    left = rng.randint(1, size - 1)
    cls = rng.choices([And, Or, Imp, Iff], weights=[0.3, 0.25, 0.35, 0.1])[0]
    return cls(random_formula(rng, names, left), random_formula(rng, names, size - left))


def _candidate(rng: random.Random) -> tuple[list[str], list[Formula], Formula]:
    n_atoms = rng.choice([2, 2, 3, 3, 3, 4])
    names = ["p", "q", "r", "s"][:n_atoms]
    n_hyps = rng.choice([0, 0, 1, 1, 2])
    hyps = [random_formula(rng, names, rng.randint(1, 4)) for _ in range(n_hyps)]
    target = random_formula(rng, names, rng.randint(2, 7))
    return names, hyps, target


def statement_text(name: str, names: list[str], hyps: list[Formula], target: Formula) -> str:
    binders = f"({' '.join(names)} : Prop)"
    for i, h in enumerate(hyps):
        binders += f" (hyp{i} : {pp(h)})"
    return f"theorem {name} {binders} : {pp(target)}"


@dataclasses.dataclass
class BenchTheorem:
    name: str
    statement: str
    difficulty: int
    split: str
    proof: list[str]

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def proof_by_distance(goal: Goal, distance) -> list[str] | None:
    """A shortest proof of ``goal`` over :func:`canonical_moves`, read off the exact distances of
    :class:`~qedjax.envs.prop.distance.PropDistance` (at each step, a move of the main goal whose
    resulting goals are one step closer in total); None when longer than its ``max_distance``."""
    d = distance.goal(goal)
    if not math.isfinite(d) or d > distance.max_distance:
        return None
    state: PropState = (goal,)
    proof: list[str] = []
    while state:
        want = distance.goal(state[0]) - 1
        for mv in canonical_moves(state[0]):
            try:
                new = run_tactic(state, mv)
            except TacticError:
                continue
            produced = new[:len(new) - (len(state) - 1)]
            if sum(distance.goal(g) for g in produced) == want:
                proof.append(mv)
                state = new
                break
        else:  # cannot happen for an exact distance; refuse rather than record a wrong proof
            return None
    return proof


SOLVERS = ("bfs", "distance")
MEMO_EXPANSIONS = 100_000  # solver "distance": a fresh memo after this many goals expanded (about 1 GB)


def generate(seed: int = 0, count: int = 3000, max_difficulty: int = 8, min_difficulty: int = 1,
             fractions: tuple[float, float, float] = DEFAULT_SPLIT_FRACTIONS,
             max_attempts: int | None = None, progress=None, solver: str = "bfs") -> list[BenchTheorem]:
    """Generate ``count`` theorems spread evenly over difficulties ``min..max`` (seeded).

    Bins that random generation cannot fill within ``max_attempts`` stay short; the result says so
    through the difficulty histogram rather than by padding.

    ``solver`` finds each candidate's shortest proof: ``bfs`` (:func:`shortest_proof`, the shipped
    tiers 1–8; candidates whose search passes its state limit are skipped) or ``distance`` (the
    AND/OR search of :mod:`qedjax.envs.prop.distance` with its memo shared by every candidate: the
    same lengths, fast enough for difficulties 9–12, the hard tier).
    """
    if count <= 0:
        raise DataError("--count must be positive")
    if not 1 <= min_difficulty <= max_difficulty <= 12:
        raise DataError("difficulties must satisfy 1 <= min <= max <= 12")
    if solver not in SOLVERS:
        raise DataError(f"unknown solver '{solver}' ({', '.join(SOLVERS)})")
    distance = None
    if solver == "distance":
        distance = PropDistance(max_distance=max_difficulty)
    rng = random.Random(seed)
    levels = list(range(min_difficulty, max_difficulty + 1))
    quota = {d: count // len(levels) + (1 if i < count % len(levels) else 0) for i, d in enumerate(levels)}
    bins: dict[int, list[BenchTheorem]] = {d: [] for d in levels}
    seen: set[str] = set()
    attempts = 0
    max_attempts = max_attempts or count * 400
    while any(len(bins[d]) < quota[d] for d in levels) and attempts < max_attempts:
        attempts += 1
        names, hyps, target = _candidate(rng)
        full = target
        for h in reversed(hyps):
            full = Imp(h, full)
        used = set(atoms(full))
        names = [n for n in names if n in used]
        if not names or not is_tautology(full):
            continue
        key = pp(full) + "|" + ",".join(pp(h) for h in hyps)
        if key in seen:
            continue
        seen.add(key)
        digest = hashlib.sha1(key.encode()).hexdigest()[:8]
        text = statement_text(f"prop_{digest}", names, hyps, target)
        goal = parse_statement(text).goal
        if distance is not None and distance.expansions > MEMO_EXPANSIONS:
            distance = PropDistance(max_distance=max_difficulty)  # bounded memory; the lengths are the same
        proof = (shortest_proof(goal, max_depth=max_difficulty, max_states=60_000) if distance is None
                 else proof_by_distance(goal, distance))
        if proof is None or len(proof) < min_difficulty:
            continue
        d = len(proof)
        if len(bins[d]) >= quota[d]:
            continue
        bins[d].append(BenchTheorem(f"prop_{digest}", text, d, "", proof))
        if progress is not None:
            progress(sum(len(b) for b in bins.values()))
    out: list[BenchTheorem] = []
    for d in levels:
        items = bins[d]
        rng.shuffle(items)
        n = len(items)
        n_valid = round(n * fractions[1])
        n_test = round(n * fractions[2])
        for i, t in enumerate(items):
            t.split = "test" if i < n_test else ("valid" if i < n_test + n_valid else "train")
        out.extend(items)
    out.sort(key=lambda t: (t.difficulty, t.name))
    return out


def write_index(theorems: list[BenchTheorem], path: Path, meta: dict) -> None:
    """burn-qed theorem-index JSON (``{"theorems": [...]}``) plus our extra fields; atomic write."""
    atomic_write_json(path, {"meta": meta, "theorems": [t.to_json() for t in theorems]}, sort_keys=False)


def shipped_benchmark_path() -> Path:
    return Path(__file__).parent / "data" / "benchmark.json"


HARD_TIER = "hard"  # names the shipped hard tier where a config takes a theorem file


def shipped_hard_tier_path() -> Path:
    """The hard tier: difficulties 9-12 in equal train/valid/test thirds, none of them in the shipped
    benchmark (``qed prop gen --count 240 --min-difficulty 9 --max-difficulty 12 --solver distance
    --split-fractions 1,1,1``)."""
    return Path(__file__).parent / "data" / "benchmark_hard.json"


def load_index(path: Path | str | None = None, split: str | None = None) -> list[dict]:
    """Load a theorem index (ours or burn-qed's); ``split`` filters when records carry one."""
    p = Path(path) if path is not None else shipped_benchmark_path()
    if not p.exists():
        raise DataError(f"theorem file not found: {p}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataError(f"{p}: not valid JSON ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("theorems"), list):
        raise DataError(f"{p}: expected an object with a 'theorems' list")
    rows = data["theorems"]
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or "name" not in r or "statement" not in r:
            raise DataError(f"{p}: theorem #{i} lacks 'name' or 'statement'")
    if split is not None:
        if split not in SPLITS:
            raise DataError(f"unknown split '{split}' (expected one of {', '.join(SPLITS)})")
        rows = [r for r in rows if r.get("split") == split]
    return rows


def iter_difficulties(theorems: list[BenchTheorem]) -> Iterator[tuple[int, int]]:
    counts: dict[int, int] = {}
    for t in theorems:
        counts[t.difficulty] = counts.get(t.difficulty, 0) + 1
    yield from sorted(counts.items())
