"""Texts to fit a tokenizer on (no torch): search trajectories, or the shipped prop benchmark."""

from __future__ import annotations

from typing import Sequence


def tokenizer_corpus(trajectories: Sequence[str] = ()) -> list[str]:
    """States and tactics of ``trajectories`` (every row); without any, the prop benchmark's train split:
    each theorem's initial state and the heuristic policy's candidate tactics on it (no proofs)."""
    if trajectories:
        from qedjax.data.trajectory import read_trajectories

        cols = read_trajectories(list(trajectories))
        return [str(s) for s in cols["state_pp"] if s] + [str(t) for t in cols["tactic_applied"] if t]
    from qedjax.envs.prop import HeuristicPolicy, PropEnvironment
    from qedjax.envs.prop.bench import shipped_benchmark_path
    from qedjax.search.theorems import load_theorems

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
