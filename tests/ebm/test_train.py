"""Training: learning, resume equivalence, single trace, NaN skipping, warmup shortening."""

import dataclasses
import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from qedjax.ebm.config import EBMConfig
from qedjax.ebm.data import load_contrastive_data
from qedjax.ebm.scoring import EnergyScorer
from qedjax.ebm.synthetic import write_synthetic
from qedjax.ebm.train import Trainer, effective_warmup, train


def small_cfg(steps=300, **train_kw) -> EBMConfig:
    cfg = EBMConfig()
    t = dict(total_steps=steps, warmup_steps=20, log_every=50, val_every=100, checkpoint_every=100,
             steps_per_call=25, lr=1e-3, val_batches=4, batch_size=32)
    t.update(train_kw)
    return dataclasses.replace(
        cfg, model=dataclasses.replace(cfg.model, hidden_dims=(64, 32)),
        sampler=dataclasses.replace(cfg.sampler, val_fraction=0.2),
        train=dataclasses.replace(cfg.train, **t))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    d = tmp_path_factory.mktemp("syn")
    return write_synthetic(d, n_theorems=60, dim=32, separation=5.0)


@pytest.mark.slow
def test_learns_separable_set_and_traces_once(tmp_path, synthetic):
    traj, emb = synthetic
    cfg = small_cfg(300)
    data = load_contrastive_data([traj], emb, cfg.sampler, cfg.train.seed)
    res = train(cfg, data, tmp_path / "run", progress=False, log=lambda s: None)
    assert res.final_val["rank_accuracy"] >= 0.9
    assert res.final_val_uniform["rank_accuracy"] >= 0.9
    assert res.trainer.compiled_train_programs == 1  # every chunk (incl. masked partial ones) reused one trace
    assert res.trainer.compiled_eval_programs == 1
    lines = [json.loads(x) for x in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    splits = {x["split"] for x in lines}
    assert {"train", "val", "val_final", "val_final_uniform"} <= splits
    train_rows = [x for x in lines if x["split"] == "train"]
    assert [x["step"] for x in train_rows] == [50, 100, 150, 200, 250, 300]
    for key in ("loss", "contrastive_loss", "depth_loss", "energy_gap", "rank_accuracy",
                "pairwise_accuracy", "energy_std", "active_fraction", "pos_energy_mean",
                "neg_energy_mean", "temperature", "lr"):
        assert key in train_rows[-1]


@pytest.mark.slow
def test_resume_matches_uninterrupted_run(tmp_path, synthetic):
    traj, emb = synthetic
    cfg = small_cfg(200, checkpoint_every=100, steps_per_call=30)
    data = load_contrastive_data([traj], emb, cfg.sampler, cfg.train.seed)
    full = train(cfg, data, tmp_path / "full", progress=False, log=lambda s: None)
    # an interrupted run: same config, killed right after the step-100 checkpoint
    part_dir = tmp_path / "part"
    _train_until(cfg, data, part_dir, stop_at=100)
    resumed = train(cfg, data, part_dir, progress=False, log=lambda s: None, resume=True)
    assert resumed.steps == 200
    for a, b in zip(jax.tree.leaves(full.state.params), jax.tree.leaves(resumed.state.params)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)
    for a, b in zip(jax.tree.leaves(full.state.opt_state), jax.tree.leaves(resumed.state.opt_state)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


def _train_until(cfg, data, out, stop_at):
    """Run `train` but kill it (exception) right after the checkpoint at `stop_at`."""
    from qedjax.ebm import checkpoint as ckpt

    real_save = ckpt.save

    class Killed(Exception):
        pass

    def save_then_die(mngr, state, force=False):
        real_save(mngr, state, force)
        if int(state.step) >= stop_at:
            mngr.wait_until_finished()
            raise Killed

    ckpt.save = save_then_die
    try:
        with pytest.raises(Killed):
            train(cfg, data, out, progress=False, log=lambda s: None)
    finally:
        ckpt.save = real_save


@pytest.mark.slow
def test_refuses_to_overwrite_without_resume(tmp_path, synthetic):
    traj, emb = synthetic
    cfg = small_cfg(50, log_every=25, val_every=50, checkpoint_every=50)
    data = load_contrastive_data([traj], emb, cfg.sampler, cfg.train.seed)
    train(cfg, data, tmp_path / "r", progress=False, log=lambda s: None)
    from qedjax.errors import ConfigError
    with pytest.raises(ConfigError, match="--resume"):
        train(cfg, data, tmp_path / "r", progress=False, log=lambda s: None)


@pytest.mark.slow
def test_nonfinite_steps_are_skipped_and_counted(synthetic):
    cfg = small_cfg(10)
    tr = Trainer(cfg, 32, 10, 2)
    table = np.random.default_rng(0).normal(size=(10, 32)).astype(np.float32)
    table[3] = np.nan
    S, B, C = cfg.train.steps_per_call, cfg.train.batch_size, cfg.sampler.k_negatives + 1
    idx = np.zeros((S, B, C), np.int32)
    idx[:, :, 0] = 1
    idx[:, :, 1:] = 2
    idx[5, 0, 1] = 3  # one poisoned step
    active = np.zeros(S, bool)
    active[:10] = True
    state0 = jax.tree.map(jnp.copy, tr.init_state)
    state, metrics = tr.run_chunk(tr.init_state, jnp.asarray(table), idx, np.zeros((S, B, C, 3), np.float32),
                                  active)
    assert int(state.skipped) == 1 and int(state.step) == 10
    assert all(np.isfinite(np.asarray(x)).all() for x in jax.tree.leaves(state.params))
    assert not np.asarray(metrics["finite"])[5] and np.asarray(metrics["finite"])[:5].all()
    assert any(not np.allclose(a, b) for a, b in
               zip(jax.tree.leaves(state0.params), jax.tree.leaves(state.params)))


def test_short_runs_shorten_warmup_and_say_so():
    cfg = EBMConfig()
    total, warmup, note = effective_warmup(cfg, 500)
    assert total == 500 and warmup == 10 and "shortened" in note
    total, warmup, note = effective_warmup(cfg, 5000)
    assert warmup == 1000 and note is None


@pytest.mark.slow
def test_scorer_buckets_never_retrace(tmp_path, synthetic):
    traj, emb = synthetic
    cfg = small_cfg(50, log_every=25, val_every=50, checkpoint_every=50)
    data = load_contrastive_data([traj], emb, cfg.sampler, cfg.train.seed)
    train(cfg, data, tmp_path / "r", progress=False, log=lambda s: None)
    scorer = EnergyScorer.from_checkpoint(tmp_path / "r")
    x = np.random.default_rng(0).normal(size=(300, 32)).astype(np.float32)
    full = scorer.energies(x)
    for n in (1, 3, 7, 8):  # all in the smallest bucket
        np.testing.assert_allclose(scorer.energies(x[:n]), full[:n], rtol=1e-5, atol=1e-6)
    assert scorer.compiled_programs == 2  # bucket 512 (300 rows) and bucket 8
    scorer.energies(x[:5])
    assert scorer.compiled_programs == 2
    np.testing.assert_array_equal(scorer.energies(x), full)  # deterministic
