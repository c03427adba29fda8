"""The scale-out options as a user meets them: --executor, --ray-address, --devices (one-line errors,
nothing created, and the choices reach the library)."""

import sys

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed


def run(args):
    res = CliRunner().invoke(qed, [str(a) for a in args])
    return res.exit_code, res.output


@pytest.fixture
def no_ray(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError, as when not installed


@pytest.mark.parametrize("command", ["search", "eval"])
def test_executor_ray_without_ray_is_one_line(tmp_path, no_ray, command):
    out = tmp_path / ("t.parquet" if command == "search" else "e.json")
    code, text = run([command, "--split", "test", "--max-theorems", "2", "--executor", "ray", "--output", out])
    assert code == 2
    assert text.strip().splitlines() == ["error: --executor ray needs Ray, which is not installed: "
                                         "pip install 'qedjax[ray]'"]
    assert list(tmp_path.iterdir()) == []


def test_encode_on_ray_without_ray_is_one_line(tmp_path, no_ray):
    states = tmp_path / "s.jsonl"
    states.write_text('{"state_pp": "⊢ p"}\n')
    code, text = run(["encode", "--input", states, "--output", tmp_path / "e.parquet", "--executor", "ray"])
    assert code == 2 and text.strip().splitlines()[-1].startswith("error: --executor ray needs Ray")
    assert not (tmp_path / "e.parquet").exists()


def test_ray_address_without_executor_ray_is_refused(tmp_path):
    code, text = run(["search", "--split", "test", "--max-theorems", "2", "--ray-address", "auto",
                      "--output", tmp_path / "t.parquet"])
    assert code == 2 and text.strip() == "error: --ray-address needs --executor ray"
    assert not (tmp_path / "t.parquet").exists()


def test_an_unreachable_ray_address_is_one_line(tmp_path):
    pytest.importorskip("ray")
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, text = run(["search", "--split", "test", "--max-theorems", "2", "--executor", "ray", "--ray-address",
                      f"127.0.0.1:{port}", "--output", tmp_path / "t.parquet"])
    assert code == 2
    assert text.strip().startswith(f"error: --ray-address 127.0.0.1:{port}: nothing answers there")
    assert list(tmp_path.iterdir()) == []


def test_more_devices_than_visible_is_one_line(tmp_path):
    from qedjax.ebm.synthetic import write_synthetic

    traj, emb = write_synthetic(tmp_path, n_theorems=10, dim=8)
    code, text = run(["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", tmp_path / "o",
                      "--steps", "5", "--devices", "2", "--quiet"])
    assert code == 2 and text.strip().splitlines()[-1] == "error: --devices 2: 1 device(s) visible (cpu); choose 1..1"
    assert not (tmp_path / "o" / "checkpoints").exists()


def test_iterate_passes_executor_and_devices_to_every_search_and_training(tmp_path, monkeypatch):
    pytest.importorskip("ray")
    import qedjax.app.iterate as it
    from qedjax.search.executors import RayActors

    seen = {}

    def fake_run_iterate(cfg, workdir, *, executor, devices, **kw):
        seen.update(kind=type(executor), workers=executor.workers, address=executor.address, devices=devices)
        return {"iterations": []}

    monkeypatch.setattr(it, "run_iterate", fake_run_iterate)
    code, text = run(["iterate", "--workdir", tmp_path / "w", "--executor", "ray", "--ray-address", "10.0.0.1:6379",
                      "--workers", "2", "--devices", "1"])  # --devices is checked against the visible devices first
    assert code == 0, text
    assert seen == {"kind": RayActors, "workers": 2, "address": "10.0.0.1:6379", "devices": 1}
