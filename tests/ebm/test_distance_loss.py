"""The distance objective: hindsight bounds on remaining proof length, interval + rank losses, and
their use in training (alone, or added to InfoNCE)."""

import dataclasses
import json
import math

import numpy as np
import pytest

from qedjax.config import from_dict
from qedjax.data.trajectory import read_trajectories
from qedjax.ebm.config import EBMConfig, LossConfig
from qedjax.ebm.data import hindsight_bounds, load_contrastive_data
from qedjax.ebm.losses import distance_loss, distance_metrics, interval_loss, interval_rank
from qedjax.ebm.scoring import EnergyScorer
from qedjax.ebm.synthetic import write_synthetic
from qedjax.ebm.train import train, uses_bounds
from qedjax.errors import ConfigError, DataError


def test_rank_term_is_ln2_at_equal_energies_and_counts_only_ordered_pairs():
    lo = np.array([0.0, 2.0, 3.0, 12.0], np.float32)
    up = np.array([0.0, 2.0, np.inf, np.inf], np.float32)
    loss, ordered, right = interval_rank(np.full(4, 1.5, np.float32), lo, up)
    assert float(loss) == pytest.approx(math.log(2.0), rel=1e-6)
    # ordered pairs (i closer than j): 0<1, 0<2, 0<3, 1<2, 1<3 — never two open intervals
    assert float(ordered) == pytest.approx(5 / 16)
    assert float(right) == 0.0  # ties are not "right"
    good = np.array([0.0, 2.0, 3.0, 12.0], np.float32)
    _, _, right = interval_rank(good, lo, up)
    assert float(right) == 1.0
    worse, _, _ = interval_rank(good[::-1].copy(), lo, up)
    better, _, _ = interval_rank(good, lo, up)
    assert float(better) < math.log(2.0) < float(worse)


def test_interval_term_is_zero_inside_and_one_sided_when_open():
    lo = np.array([1.0, 2.0, 5.0], np.float32)
    up = np.array([1.0, 4.0, np.inf], np.float32)
    assert float(interval_loss(np.array([1.0, 3.0, 40.0], np.float32), lo, up)) == 0.0
    assert float(interval_loss(np.array([2.0, 3.0, 5.0], np.float32), lo, up)) == pytest.approx(1 / 3)
    assert float(interval_loss(np.array([1.0, 3.0, 4.0], np.float32), lo, up)) == pytest.approx(1 / 3)
    total, parts = distance_loss(np.array([1.0, 3.0, 40.0], np.float32), lo, up, rank_weight=2.0)
    assert float(total) == pytest.approx(float(parts["interval_loss"]) + 2.0 * float(parts["rank_loss"]))


def test_distance_metrics_gap_is_unproved_minus_proved():
    lo = np.array([0.0, 1.0, 1.0, 1.0], np.float32)
    up = np.array([0.0, 1.0, np.inf, np.inf], np.float32)
    m = distance_metrics(np.array([0.0, 1.0, 4.0, 6.0], np.float32), lo, up)
    assert float(m["energy_gap"]) == pytest.approx(4.5)
    assert float(m["proved_fraction"]) == pytest.approx(0.5)
    assert float(m["rank_accuracy"]) == 1.0


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return write_synthetic(tmp_path_factory.mktemp("dist"), n_theorems=60, dim=32, separation=5.0)


def test_hindsight_bounds_back_up_the_found_proofs(synthetic):
    traj, _ = synthetic
    cols = read_trajectories([traj])
    b = hindsight_bounds(cols, cap=12.0)
    pos = (cols["label"] == "positive") & (cols["state_pp"] != "")
    neg = cols["label"] == "negative"
    assert np.array_equal(b[pos, 1], cols["remaining_depth"][pos].astype(np.float32))  # the proof bounds them
    assert np.isinf(b[neg, 1]).all()  # nothing proved below an off-path node
    assert (b[:, 0] <= b[:, 1]).all()
    capped = hindsight_bounds(cols, cap=2.0)
    assert capped[pos, 1].max() == 2.0 and np.isinf(capped[neg, 1]).all()
    # bounds handed in (computed over whole trees elsewhere) are used as given, per state text
    given = {s: (3.0, 7.0) for s in cols["state_pp"].astype(str) if s}
    assert (hindsight_bounds(cols, 12.0, given)[cols["state_pp"] != ""] == [3.0, 7.0]).all()
    del given[next(iter(given))]
    with pytest.raises(DataError, match="no distance bounds"):
        hindsight_bounds(cols, 12.0, given)


def _cfg(kind="distance", steps=300, **loss_kw) -> EBMConfig:
    cfg = EBMConfig()
    return dataclasses.replace(
        cfg, model=dataclasses.replace(cfg.model, hidden_dims=(64, 32)),
        loss=dataclasses.replace(cfg.loss, kind=kind, **loss_kw),
        sampler=dataclasses.replace(cfg.sampler, val_fraction=0.2),
        train=dataclasses.replace(cfg.train, total_steps=steps, warmup_steps=20, log_every=50, val_every=100,
                                  checkpoint_every=100, steps_per_call=25, lr=1e-3, val_batches=4,
                                  batch_size=32))


def _informative_bounds(traj) -> dict:
    """The synthetic trees' off-path nodes are unexpanded leaves (bounds [1, inf), which order no pair);
    hand them in as explored dead ends, and the proof-path nodes at their exact distance."""
    cols = read_trajectories([traj])
    out = {}
    for s, label, rd in zip(cols["state_pp"].astype(str), cols["label"], cols["remaining_depth"]):
        if s:
            out[s] = (float(rd), float(rd)) if label == "positive" else (8.0, math.inf)
    return out


@pytest.mark.slow
def test_distance_training_fits_energies_to_the_bounds(tmp_path, synthetic):
    traj, emb = synthetic
    cfg = _cfg("distance", steps=600)
    assert uses_bounds(cfg.loss)
    data = load_contrastive_data([traj], emb, cfg.sampler, cfg.train.seed, distance_cap=cfg.loss.cap,
                                 bounds=_informative_bounds(traj))
    res = train(cfg, data, tmp_path / "run", progress=False, log=lambda s: None)
    assert res.trainer.compiled_train_programs == 1
    v = res.final_val
    assert v["energy_gap"] > 0 and v["rank_accuracy"] > 0.8
    for key in ("interval_loss", "rank_loss", "ordered_pairs", "energy_std"):
        assert key in v
    cols = read_trajectories([traj])
    scorer = EnergyScorer.from_checkpoint(tmp_path / "run")
    usable = cols["state_pp"] != ""
    energy = scorer.energies(data.table[data.node_row[np.nonzero(usable)[0]]])
    proved = (cols["label"] == "positive")[usable]
    # energies are in proof steps, pulled towards the bounds: dead ends far above proof-path states
    assert np.median(energy[~proved]) > np.median(energy[proved]) + 2.0
    first = [r for r in map(json.loads, (tmp_path / "run" / "metrics.jsonl").read_text().splitlines())
             if r["split"] == "train"][0]
    assert v["interval_loss"] < 0.5 * first["interval_loss"]


@pytest.mark.slow
def test_distance_term_added_to_info_nce(tmp_path, synthetic):
    traj, emb = synthetic
    cfg = _cfg("info_nce", distance_weight=1.0)
    assert uses_bounds(cfg.loss) and not uses_bounds(LossConfig())
    with pytest.raises(ConfigError, match="distance bounds"):
        train(cfg, load_contrastive_data([traj], emb, cfg.sampler, 0), tmp_path / "nobounds", progress=False,
              log=lambda s: None)
    data = load_contrastive_data([traj], emb, cfg.sampler, cfg.train.seed, distance_cap=cfg.loss.cap,
                                 bounds=_informative_bounds(traj))
    res = train(cfg, data, tmp_path / "run", progress=False, log=lambda s: None)
    v = res.final_val
    assert v["rank_accuracy"] >= 0.9  # still the contrastive metrics
    assert v["loss"] == pytest.approx(v["contrastive_loss"] + 0.3 * v["depth_loss"] + v["distance_loss"], rel=1e-4)
    assert v["distance_loss"] == pytest.approx(v["interval_loss"] + v["rank_loss"], rel=1e-4)


@pytest.mark.parametrize("kw", [dict(kind="other"), dict(distance_weight=-1.0), dict(rank_weight=-0.5),
                                dict(cap=0.0)])
def test_loss_config_rejects_bad_values(kw):
    with pytest.raises(ConfigError):
        from_dict(LossConfig, kw)
