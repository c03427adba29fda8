"""The policy LM's inputs that need an environment (the application layer builds them for the torch
side): the tokenizer's fitting corpus and the replayed reference proofs ("a proof corpus")."""

import json

import pytest

from qedjax.app.policy_data import reference_steps, tokenizer_corpus
from qedjax.envs.prop import PropEnvironment
from qedjax.envs.prop.bench import shipped_benchmark_path
from qedjax.errors import DataError
from qedjax.interfaces import Failed
from qedjax.search.theorems import load_theorems


def small_bench(tmp_path, n=10, proofs=True):
    """``n`` train theorems of each proof length 1-4 from the shipped benchmark."""
    src = json.loads(shipped_benchmark_path().read_text(encoding="utf-8"))
    train = [t for t in src["theorems"] if t.get("split") == "train"]
    rows = [t for k in (1, 2, 3, 4) for t in [t for t in train if len(t["proof"]) == k][:n]]
    if not proofs:
        rows = [{k: v for k, v in t.items() if k != "proof"} for t in rows]
    path = tmp_path / "bench.json"
    path.write_text(json.dumps({**src, "theorems": rows}, ensure_ascii=False), encoding="utf-8")
    return path


def test_reference_steps_replay_each_proof_from_its_initial_state(tmp_path):
    bench = small_bench(tmp_path)
    steps = reference_steps(str(bench), "train")
    env = PropEnvironment()
    by_thm = {}
    for s in steps:
        by_thm.setdefault(s["theorem"], []).append(s)
    theorems = {t.name: t for t in load_theorems(str(bench), "train")}
    assert len(by_thm) == len(theorems) == 40  # every shipped train theorem has a reference proof
    for name, path in by_thm.items():
        thm = theorems[name]
        assert [s["tactic"] for s in path] == [str(t) for t in thm.extra["proof"]]
        assert [s["depth"] for s in path] == list(range(len(path)))
        session = env.start(thm)
        try:
            assert path[0]["state"] == session.initial_state.pp
            state = session.initial_state
            for s in path:  # each step's state is the one its tactic applies to
                assert s["state"] == state.pp
                res = session.apply(state, s["tactic"])
                assert not isinstance(res, Failed)
                state = getattr(res, "state", state)
        finally:
            session.close()


def test_reference_steps_refuse_a_split_without_proofs(tmp_path):
    with pytest.raises(DataError, match="no reference proofs"):
        reference_steps(str(small_bench(tmp_path, proofs=False)), "train")


def test_tokenizer_corpus_default_is_the_train_split_states_and_heuristic_tactics():
    texts = tokenizer_corpus()
    env = PropEnvironment()
    first = load_theorems(shipped_benchmark_path(), "train", 1)[0]
    session = env.start(first)
    try:
        assert texts[0] == session.initial_state.pp
    finally:
        session.close()
    assert any("⊢" in t for t in texts) and any(t.startswith("intro") for t in texts)
    test_states = set()
    for thm in load_theorems(shipped_benchmark_path(), "test", 20):
        session = env.start(thm)
        try:
            test_states.add(session.initial_state.pp)
        finally:
            session.close()
    assert not test_states & set(texts)  # fitted on the train split only
