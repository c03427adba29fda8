"""The policy's hidden states as the value head's features: what they are, whose they are (a head
never scores another checkpoint's features), and the separation probe that guards a policy round
against a fine-tune that damages them."""

import dataclasses
import shutil

import numpy as np
import pytest
import torch

from encoder_bridge.policy.data import Pair, PolicyData, prepare, read_steps
from encoder_bridge.policy.features import PolicyEncoder, encoder_from_provenance
from qedjax.errors import ConfigError, DataError, ProvenanceError
from tests.encoder_bridge.test_policy import TINY, heuristic_search


@pytest.fixture(scope="module")
def lm(tmp_path_factory):
    """A tiny LM trained on a small heuristic search, and that search."""
    from encoder_bridge.policy.train import train_policy

    d = tmp_path_factory.mktemp("features")
    traj = heuristic_search(d / "r0.parquet", 40)
    cfg = dataclasses.replace(TINY, train=dataclasses.replace(TINY.train, epochs=10.0))
    train_policy(prepare(read_steps([traj]), 0.2, 0), d / "lm", cfg, progress=False, log=lambda _: None)
    return d / "lm", traj


STATES = ["p q : Prop\nh : p ∧ q\n⊢ q ∧ p", "p : Prop\n⊢ p → p", "p q r : Prop\nh : p\n⊢ q ∨ p"]


@pytest.mark.slow
def test_features_are_the_mean_of_the_chosen_hidden_states_over_the_policy_prompt(lm):
    from encoder_bridge.policy.prompt import prompt_ids

    enc = PolicyEncoder(lm[0], layers=(-1, 1))
    got = enc.encode(STATES)
    assert got.shape == (3, 64) and got.dtype == np.float32 and got.flags["C_CONTIGUOUS"]
    model, tok, fmt = enc.loaded.model, enc.loaded.tokenizer, enc.loaded.format
    for i, s in enumerate(STATES):  # one state at a time, no padding: the same vectors
        ids = torch.tensor([prompt_ids(tok, fmt, s)])
        with torch.no_grad():
            hs = model(input_ids=ids, output_hidden_states=True).hidden_states
        want = torch.cat([hs[-1][0].mean(0), hs[1][0].mean(0)]).numpy()
        np.testing.assert_allclose(got[i], want, rtol=1e-4, atol=1e-5)
    prov = enc.provenance
    assert prov["kind"] == "policy" and prov["pooling"] == "mean-layers:-1,1" and prov["dim"] == 64
    assert prov["revision"] == enc.loaded.identity["revision"] and prov["template"] == "state-tactic"
    with pytest.raises(ConfigError, match="out of range"):
        PolicyEncoder(lm[0], layers=(5,))


def _fine_tune(src, dst, pairs, lr=3e-3, epochs=2.0):
    """A fine-tune of ``src`` on ``pairs`` into ``dst``."""
    from encoder_bridge.policy.train import train_policy

    cfg = dataclasses.replace(TINY, train=dataclasses.replace(TINY.train, epochs=epochs, lr=lr, warmup_steps=1,
                                                              valid_fraction=0.0))
    data = PolicyData(pairs, [], {})
    train_policy(data, dst, cfg, init=str(src), progress=False, log=lambda _: None)
    return dst


def test_a_head_never_scores_features_of_another_checkpoint(lm, tmp_path):
    from qedjax.app.scorers import EBMScorer
    from qedjax.data.embeddings import check_provenance

    first = PolicyEncoder(lm[0], layers=(-1,))
    other = PolicyEncoder(_fine_tune(lm[0], tmp_path / "lm2", [Pair(s, "intro h", "t") for s in STATES]), layers=(-1,))
    assert other.provenance["revision"] != first.provenance["revision"]

    class Head:  # a head trained on the first checkpoint's features
        provenance = first.provenance

        def energies(self, emb, provenance=None):
            check_provenance(self.provenance, provenance, "head")
            return emb.sum(1)

    assert np.isfinite(EBMScorer(first, Head()).score(STATES)).all()
    with pytest.raises(ProvenanceError, match="revision differs"):
        EBMScorer(other, Head())
    # rebuilt from the head's provenance: the same checkpoint works; one written over it is refused
    assert encoder_from_provenance(first.provenance).provenance["revision"] == first.provenance["revision"]
    moved = tmp_path / "moved"
    shutil.copytree(lm[0], moved)
    prov = dict(first.provenance, source=str(moved))
    assert isinstance(encoder_from_provenance(prov), PolicyEncoder)
    shutil.rmtree(moved)
    shutil.copytree(tmp_path / "lm2", moved)
    with pytest.raises(ProvenanceError, match="revision"):
        encoder_from_provenance(prov)
    shutil.rmtree(moved)
    with pytest.raises(DataError, match="missing"):
        encoder_from_provenance(prov)


@pytest.mark.slow
def test_the_probe_catches_a_fine_tune_built_to_damage_the_representation(lm, tmp_path):
    """The kept policy's features separate positive from negative search states; a fine-tune that
    teaches every state the same tactic with a large step flattens them, and the guard refuses it."""
    from qedjax.app.policy_stages import Guard, collapsed, decide, probe_sample
    from qedjax.app.separation import separation_metrics

    states, labels = probe_sample(lm[1], 400, 0)
    assert labels.any() and (~labels).any()
    kept = separation_metrics(PolicyEncoder(lm[0]).encode(states), labels)
    damaged_dir = _fine_tune(lm[0], tmp_path / "damaged", [Pair(s, "exfalso", "t") for s in states],
                             lr=0.05, epochs=3.0)
    damaged = separation_metrics(PolicyEncoder(damaged_dir).encode(states), labels)
    reasons = collapsed(kept, damaged, Guard())
    assert reasons, (kept, damaged)
    assert collapsed(kept, kept, Guard()) == []
    adopted, why = decide([5, 9], [5, 9], reasons, force=False)
    assert not adopted and "separation probe collapsed" in why[0]
    assert decide([5, 9], [5, 9], reasons, force=True) == (True, [])
