"""The oracle and the exact distance are measurement tools: they never enter training, calibration or
a learned value's search. These tests fail if they ever do (each leak below is injected on purpose and
must stop the run), while measurement itself — the ceiling, quality metrics, trajectory annotation —
keeps working in the same run."""

import numpy as np
import pytest

from qedjax.app import stages, training_data
from qedjax.app.iterate import run_iterate
from qedjax.app.iterate_config import IterateConfig
from qedjax.config import load_toml
from qedjax.envs.prop import HeuristicPolicy, PropEnvironment, state_provable
from qedjax.envs.prop.distance import DistanceScorer, pp_distance
from qedjax.guard import MeasurementLeak, forbid_measurement
from qedjax.interfaces import Theorem
from qedjax.search.config import SearchConfig
from qedjax.search.engine import search_many, search_theorem
from tests.app.test_iterate import SMALL

THM = Theorem("t", "theorem t (p q : Prop) : p ∧ q → q ∧ p")


class PeekingPolicy(HeuristicPolicy):
    """A policy that ranks its candidates with the oracle — exactly what must never happen."""

    def propose(self, states, n):
        return [sorted(c, key=lambda x: not state_provable(s)) for c, s in zip(super().propose(states, n), states)]


class PeekingScorer:
    """A 'learned' value that secretly asks for the true distance."""

    def score(self, states):
        return -np.array([pp_distance(s) for s in states], np.float32)


def test_every_oracle_entry_point_refuses_inside_the_guard():
    state = PropEnvironment().start(THM).initial_state
    assert state_provable(state) and pp_distance(state.pp) == 5  # measurement works outside
    with forbid_measurement("EBM training"):
        with pytest.raises(MeasurementLeak, match="during EBM training"):
            state_provable(state)
        with pytest.raises(MeasurementLeak):
            pp_distance("p q : Prop\n⊢ p ∨ ¬p")
        with pytest.raises(MeasurementLeak):
            DistanceScorer().score([state.pp])


def test_a_search_that_peeks_stops_and_the_ceiling_may_look():
    cfg = SearchConfig(max_nodes=5, num_candidates=4, probe_tactics="none")
    with pytest.raises(MeasurementLeak, match="during search"):
        search_theorem(THM, PropEnvironment(), PeekingPolicy(), None, cfg)
    with pytest.raises(MeasurementLeak):
        list(search_many([THM], PropEnvironment(), HeuristicPolicy(), PeekingScorer(), cfg))
    # the ceiling is a measurement instrument and says so: its search may consult the oracle
    res = search_theorem(THM, PropEnvironment(), HeuristicPolicy(), DistanceScorer(), cfg)
    assert res.proved
    # tauto is the oracle as a tactic: allowed only where the environment declares it
    assert PropEnvironment(allow_tauto=True).uses_oracle and not PropEnvironment().uses_oracle


@pytest.fixture
def small(tmp_path, tiny_bert):
    p = tmp_path / "it.toml"
    p.write_text(SMALL.replace("{model}", str(tiny_bert)).replace('references = ["length"]',
                                                                  'references = ["length", "distance"]'))
    return load_toml(IterateConfig, p)


@pytest.mark.slow
def test_the_pipeline_measures_with_the_oracle_but_trains_blind(tmp_path, small):
    res = run_iterate(small, tmp_path / "w", log=lambda s: None)
    it = res["iterations"][0]
    assert {"distance", "length", "ebm", "headroom"} <= set(it["table"][0])  # the ceiling was measured
    assert "spearman_distance" in it["quality"]  # and the head was judged against the truth


@pytest.mark.parametrize("module, where", [(training_data, "subsample_for_training"),
                                           (stages, "calibrate_temperatures")])
@pytest.mark.slow
def test_a_leak_into_training_data_or_calibration_stops_the_pipeline(tmp_path, small, monkeypatch, module, where):
    original = getattr(module, where)

    def leaky(cols, *args, **kwargs):
        state_provable(PropEnvironment().start(THM).initial_state)  # a peek at the truth
        return original(cols, *args, **kwargs)

    monkeypatch.setattr(module, where, leaky)
    with pytest.raises(MeasurementLeak):
        run_iterate(small, tmp_path / "w", log=lambda s: None)


@pytest.mark.slow
def test_a_leak_into_ebm_training_stops_the_pipeline(tmp_path, small, monkeypatch):
    import qedjax.ebm.train as train_mod

    original = train_mod.training_input_stats

    def leaky(data):
        pp_distance("p q : Prop\n⊢ p → p")
        return original(data)

    monkeypatch.setattr(train_mod, "training_input_stats", leaky)
    with pytest.raises(MeasurementLeak, match="EBM training"):
        run_iterate(small, tmp_path / "w", log=lambda s: None)
