"""Texts and proof steps for the policy LM that need an environment: the tokenizer's fitting corpus and
the replayed reference proofs ("a proof corpus"). The torch side (``encoder_bridge.policy``) imports no
environment, so the application layer builds these and hands them over as plain strings and dicts."""

from __future__ import annotations

from typing import Sequence

from qedjax.data.trajectory import read_trajectories
from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
from qedjax.envs.prop.bench import shipped_benchmark_path
from qedjax.errors import DataError
from qedjax.interfaces import Success
from qedjax.search.theorems import load_theorems


def tokenizer_corpus(trajectories: Sequence[str] = ()) -> list[str]:
    """States and tactics of ``trajectories`` (every row); without any, the prop benchmark's train split:
    each theorem's initial state and the heuristic policy's candidate tactics on it (no proofs)."""
    if trajectories:
        cols = read_trajectories(list(trajectories))
        return [str(s) for s in cols["state_pp"] if s] + [str(t) for t in cols["tactic_applied"] if t]
    env, policy = PropEnvironment(), HeuristicPolicy(seed=0)
    texts = []
    for thm in load_theorems(shipped_benchmark_path(), "train"):
        session = env.start(thm)
        try:
            state = session.initial_state
            texts.append(state.pp)
            texts += [c.tactic for c in policy.propose([state], 16)[0]]
        finally:
            session.close()
    return texts


def reference_steps(theorem_file: str, split: str = "train") -> list[dict]:
    """(state, tactic) steps of the reference proofs (``proof`` fields) of ``split``'s theorems, replayed
    in prop: "a proof corpus", kept apart from search proofs and labelled wherever it is used."""
    env = PropEnvironment()
    steps = []
    for thm in load_theorems(theorem_file, split):
        proof = thm.extra.get("proof")
        if not isinstance(proof, list) or not proof:
            continue
        session = env.start(thm)
        try:
            state, path = session.initial_state, []
            for depth, tactic in enumerate(proof):
                path.append({"state": state.pp, "tactic": str(tactic), "theorem": thm.name, "depth": depth})
                res = session.apply(state, str(tactic))
                if not isinstance(res, Success):
                    break
                state = res.state
            steps += path
        finally:
            session.close()
    if not steps:
        raise DataError(f"{theorem_file}: no reference proofs in its '{split}' split")
    return steps
