"""`qed encode` on Ray: the states split over encoder actors land in the same provenance-checked,
resumable cache as a local run, each state once."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from encoder_bridge.cache import encode_to_cache
from encoder_bridge.distributed import RayEncoderPool, plan_actors
from encoder_bridge.encoder import EncoderConfig, HFEncoder
from qedjax.data.embeddings import read_embeddings
from qedjax.errors import DataError

ROOT = Path(__file__).resolve().parents[2]


def _states(n: int) -> list[str]:
    names = ["p", "q", "r", "s"]
    return [f"{names[i % 4]} {names[(i + 1) % 4]} : Prop\nh{i} : {names[i % 4]} ∧ {names[(i + 2) % 4]}"
            f"\n⊢ {' ∨ '.join(names[: 1 + i % 4])} → {names[(i + 3) % 4]}" for i in range(n)]


@pytest.fixture(scope="module")
def config(tiny_bert):
    return EncoderConfig(model=str(tiny_bert), batch_size=8)


@pytest.mark.ray
def test_ray_cache_equals_the_local_cache(tmp_path, ray_address, config):
    states = _states(70) + _states(10)  # duplicates are stored once
    local = encode_to_cache(HFEncoder(config), states, tmp_path / "local.parquet", checkpoint_every=32)
    pool = RayEncoderPool(config, actors=2, address=ray_address)
    try:
        assert len(pool.actors) == 2
        remote = encode_to_cache(pool, states, tmp_path / "ray.parquet", checkpoint_every=32)
    finally:
        pool.close()
    assert (remote.total, remote.encoded) == (local.total, local.encoded) == (70, 70)
    s1, v1, p1 = read_embeddings(tmp_path / "local.parquet")
    s2, v2, p2 = read_embeddings(tmp_path / "ray.parquet")
    assert p1 == p2 and s1 == s2 and len(set(s2)) == 70
    np.testing.assert_allclose(v2, v1, rtol=0, atol=1e-5)


@pytest.mark.ray
def test_a_killed_ray_encode_resumes_without_duplicates(tmp_path, ray_address, config):
    states = _states(60)
    out = tmp_path / "c.parquet"

    class Killed(Exception):
        pass

    def die(n):
        if n == 2:
            raise Killed

    pool = RayEncoderPool(config, actors=2, address=ray_address)
    try:
        with pytest.raises(Killed):
            encode_to_cache(pool, states, out, checkpoint_every=16, after_shard=die)
        assert not out.exists() and len(list(tmp_path.glob("c.parquet.partial/shard-*.parquet"))) == 2
        s = encode_to_cache(pool, states, out, checkpoint_every=16)
    finally:
        pool.close()
    assert (s.cached, s.encoded) == (32, 28)
    got, _, _ = read_embeddings(out)
    assert sorted(got) == sorted(states) and len(got) == 60


@pytest.mark.ray
def test_qed_encode_executor_ray(tmp_path, ray_address, tiny_bert):
    inp = tmp_path / "states.jsonl"
    inp.write_text("".join(json.dumps({"state_pp": s}, ensure_ascii=False) + "\n" for s in _states(30)))
    out = tmp_path / "e.parquet"
    env = dict(os.environ, JAX_PLATFORMS="cpu", HF_HUB_OFFLINE="1")
    r = subprocess.run([sys.executable, "-m", "qedjax_cli.main", "encode", "--input", str(inp), "--output", str(out),
                        "--model", str(tiny_bert), "--executor", "ray", "--ray-address", ray_address,
                        "--devices", "2", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "encoding on 2 Ray actor(s) (cpu)" in r.stderr and "30 states: 30 encoded" in r.stdout
    assert len(read_embeddings(out)[0]) == 30


def test_one_actor_per_gpu_else_one_per_node():
    assert plan_actors({"GPU": 4.0, "CPU": 64.0}, 2, None) == (4, {"num_gpus": 1, "num_cpus": 1})
    assert plan_actors({"GPU": 4.0, "CPU": 64.0}, 2, 2) == (2, {"num_gpus": 1, "num_cpus": 1})
    with pytest.raises(DataError, match="4 GPUs"):
        plan_actors({"GPU": 4.0}, 1, 8)
    assert plan_actors({"CPU": 32.0}, 2, None) == (2, {"num_cpus": 16})  # torch threads: the whole node
    assert plan_actors({"CPU": 2.0}, 1, 2) == (2, {"num_cpus": 1})
