"""Search executors: Ray actors and local processes give the in-process results, survive a dead
worker, and keep the per-theorem flush and resume contract (a SIGKILLed driver loses nothing).

The Ray tests run on a local Ray cluster that ``conftest.py`` starts in this process and stops at the
end; command-line drivers join it with ``--ray-address``.
"""

import functools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from qedjax.app.parts import PartsSpec, parts_factory
from qedjax.envs.prop.bench import shipped_benchmark_path
from qedjax.interfaces import Theorem
from qedjax.search import executors
from qedjax.search.config import SearchConfig
from qedjax.search.runner import run_search
from qedjax.search.theorems import load_theorems
from tests.scale import fixture_parts

ROOT = Path(__file__).resolve().parents[2]
TIMING = ["timestamp_ms"]  # node creation times: the only columns that differ between runs


def _theorems(n: int) -> list[Theorem]:
    """``n`` test theorems spread over the difficulty-sorted split (all 240 for n = 240)."""
    every = load_theorems(shipped_benchmark_path(), "test")
    return every[::max(1, len(every) // n)][:n]


def _table(path: Path):
    return pq.read_table(path).drop(TIMING)


def _rows(summary) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "wall_time_ms"} for r in summary.rows]


CFG = SearchConfig(max_nodes=40)


@pytest.mark.ray
def test_ray_and_processes_give_the_in_process_results(tmp_path, ray_address):
    th = _theorems(30)
    factory = parts_factory(PartsSpec())
    one = run_search(th, factory, CFG, tmp_path / "one.parquet")
    shown: list[str] = []  # progress: one call per finished theorem, as it finishes
    ray = run_search(th, factory, CFG, tmp_path / "ray.parquet", executor=executors.RayActors(2),
                     progress=lambda row: shown.append(row["theorem"]))
    procs = run_search(th, factory, CFG, tmp_path / "procs.parquet", workers=2)
    assert _rows(ray) == _rows(one) == _rows(procs) and one.solved >= 20
    assert sorted(shown) == sorted(t.name for t in th)
    ref = _table(tmp_path / "one.parquet")
    assert ref.num_rows > 100 and set(ref.column("theorem_name").to_pylist()) == {t.name for t in th}
    assert _table(tmp_path / "ray.parquet").equals(ref) and _table(tmp_path / "procs.parquet").equals(ref)
    assert ray.stats.summary()["expanded"] == one.stats.summary()["expanded"]


@pytest.mark.parametrize("algorithm", ["best-first", "puct"])
@pytest.mark.ray
def test_value_guided_groups_give_the_in_process_results(tmp_path, ray_address, algorithm):
    """With a value scorer and several theorems searched together (pooled value calls), workers get
    groups of theorems; results are still those of the in-process run, for either search."""
    import dataclasses

    th = _theorems(24)
    factory = parts_factory(PartsSpec(value="length"))
    cfg = dataclasses.replace(CFG, max_nodes=15, value_mode="lazy", concurrent_theorems=5, batch_encode_size=64,
                              algorithm=algorithm, t_ebm=20.0)
    one = run_search(th, factory, cfg, tmp_path / "one.parquet")
    ray = run_search(th, factory, cfg, tmp_path / "ray.parquet", executor=executors.RayActors(2))
    procs = run_search(th, factory, cfg, tmp_path / "procs.parquet", workers=2)
    assert _rows(ray) == _rows(one) == _rows(procs) and one.stats.states_scored > 0
    ref = _table(tmp_path / "one.parquet")
    assert _table(tmp_path / "ray.parquet").equals(ref) and _table(tmp_path / "procs.parquet").equals(ref)
    visits, q = ref.column("visits").to_pylist(), ref.column("q_value").to_pylist()
    assert max(visits) > (1 if algorithm == "puct" else 0) and (any(v is not None for v in q) == (algorithm == "puct"))


@pytest.mark.ray
def test_each_ray_actor_builds_its_parts_once(tmp_path, ray_address):
    log = tmp_path / "builds.log"
    factory = functools.partial(fixture_parts.counting_parts, str(log))
    s = run_search(_theorems(20), factory, CFG, tmp_path / "o.parquet", executor=executors.RayActors(2))
    assert len(s.rows) == 20
    builds = fixture_parts.lines(log)
    assert len(builds) == 2 and len(set(builds)) == 2 and str(os.getpid()) not in builds


@pytest.mark.parametrize("kind", ["ray", "processes"])
@pytest.mark.ray
def test_a_dead_worker_marks_its_theorem_and_the_run_goes_on(tmp_path, ray_address, kind):
    th = _theorems(12)
    th.insert(5, Theorem("victim", fixture_parts.VICTIM))
    ex = executors.RayActors(2) if kind == "ray" else executors.LocalProcesses(2)
    s = run_search(th, fixture_parts.dying_parts, CFG, tmp_path / "o.parquet", executor=ex)
    by = {r["theorem"]: r for r in s.rows}
    assert len(s.rows) == 13 and set(by) == {t.name for t in th}
    reason = by["victim"]["failure_reason"]
    assert not by["victim"]["proved"] and reason.startswith("error: worker lost: ")
    assert ("Ray actor died" in reason) if kind == "ray" else ("killed by SIGKILL" in reason)
    # every other theorem is searched exactly as in a healthy in-process run
    others = [t for t in th if t.name != "victim"]
    ref = run_search(others, parts_factory(PartsSpec()), CFG, tmp_path / "ref.parquet")
    assert [r for r in _rows(s) if r["theorem"] != "victim"] == [
        dict(r, index=r["index"] + (r["index"] >= 5)) for r in _rows(ref)]
    assert _table(tmp_path / "o.parquet").equals(_table(tmp_path / "ref.parquet"))


@pytest.mark.ray
def test_an_actor_that_cannot_build_its_parts_is_one_clear_error(tmp_path, ray_address):
    from qedjax.errors import ConfigError

    bad = parts_factory(PartsSpec(ebm=str(tmp_path / "missing")))
    with pytest.raises(ConfigError, match="could not build its search parts"):
        run_search(_theorems(3), bad, CFG, tmp_path / "o.parquet", executor=executors.RayActors(1))


def _qed(*args: str, **popen) -> subprocess.Popen:
    env = dict(os.environ, JAX_PLATFORMS="cpu", HF_HUB_OFFLINE="1")
    return subprocess.Popen([sys.executable, "-m", "qedjax_cli.main", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


@pytest.mark.ray
def test_sigkilled_ray_driver_resumes_without_loss_or_duplicates(tmp_path, ray_address):
    n, nodes = 240, "200"
    out = tmp_path / "traj.parquet"
    args = ["search", "--split", "test", "--max-theorems", str(n), "--max-nodes", nodes, "--quiet",
            "--executor", "ray", "--ray-address", ray_address, "--workers", "2", "--output", str(out)]
    rows = out.with_name(out.name + ".theorems.jsonl")
    p = _qed(*args)
    deadline = time.time() + 300
    while len(fixture_parts.lines(rows)) < 20 and p.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    finished = rows.read_text().splitlines() if rows.exists() else []
    assert 20 <= len(finished) < n, "the driver was not killed mid-run"
    assert not out.exists()
    q = _qed(*args, "--resume")
    _, err = q.communicate(timeout=600)
    assert q.returncode == 0, err[-2000:]
    names = [json.loads(x)["theorem"] for x in rows.read_text().splitlines()]
    assert len(names) == len(set(names)) == n  # nothing lost, nothing twice
    ref = tmp_path / "ref.parquet"
    run_search(_theorems(n), parts_factory(PartsSpec()), SearchConfig(max_nodes=int(nodes)), ref)
    got, want = _table(out), _table(ref)
    key = ["theorem_name", "state_id"]
    assert got.sort_by([(k, "ascending") for k in key]).equals(want.sort_by([(k, "ascending") for k in key]))


@pytest.mark.ray
def test_eval_on_ray_writes_the_local_result(tmp_path, ray_address):
    common = ["eval", "--split", "test", "--max-theorems", "40", "--budgets", "5,20", "--quiet"]
    a = _qed(*common, "--output", str(tmp_path / "local.json"))
    b = _qed(*common, "--executor", "ray", "--ray-address", ray_address, "--workers", "2",
             "--output", str(tmp_path / "ray.json"))
    for p in (a, b):
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
    load = lambda name: json.loads((tmp_path / name).read_text())
    la, rb = load("local.json"), load("ray.json")
    assert la["budgets"] == rb["budgets"] and la["budgets"][-1]["solved"] > 0
    strip = lambda rows: [{k: v for k, v in r.items() if k != "time_secs"} for r in rows]
    assert strip(la["per_theorem"]) == strip(rb["per_theorem"]) and len(la["per_theorem"]) == 40
    assert la["config"] == rb["config"]  # the executor is not part of what determines a result


@pytest.mark.ray
def test_resolve_makes_the_named_executor(ray_address):
    assert isinstance(executors.resolve(None, 1), executors.InProcess)
    assert isinstance(executors.resolve(None, 3), executors.LocalProcesses)
    ex = executors.make_executor("ray", 2, ray_address)
    assert isinstance(ex, executors.RayActors) and ex.workers == 2 and ex.address == ray_address
    assert executors.resolve(ex, 5) is ex


class _FakeWorkers:
    """A backend whose workers run items in order and die on "victim". With ``race`` the death shows up
    at the item before the victim (its reply lost with the worker), as a Ray actor's can."""

    def __init__(self, race: bool):
        from qedjax.search.executors import _Backend, _Died

        outer = self

        class Backend(_Backend):
            def start(self, n):
                outer.started += n
                return [object() for _ in range(n)]

            def submit(self, worker, item):
                return item

            def ready(self, slots):
                return slots[:1]

            def result(self, slot):
                queued = [it for _, it in slot.inflight]
                outer.heads.append(queued[0])
                if queued[0] == "victim" or (race and queued[1:2] == ["victim"]):
                    raise _Died("killed")
                return queued[0]

            def stop(self, worker):
                pass

        self.backend, self.started, self.heads = Backend(), 0, []


@pytest.mark.parametrize("race", [False, True])
def test_only_the_theorem_that_kills_its_worker_is_lost(race):
    from qedjax.search.executors import _schedule

    fake = _FakeWorkers(race)
    items = [f"t{i}" for i in range(10)]
    items.insert(5, "victim")
    out = list(_schedule(fake.backend, 2, items, lambda item, why: ("lost", item, why), depth=2))
    assert sorted(o for o in out if isinstance(o, str)) == sorted(i for i in items if i != "victim")
    assert [o for o in out if not isinstance(o, str)] == [("lost", "victim", "killed")]
    assert fake.heads.count("victim") == 2  # tried once more, alone, before it is given up
    assert fake.started == 2 + (3 if race else 2)  # a fresh worker after every death
