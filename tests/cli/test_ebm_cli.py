"""`qed train-ebm`, `qed score`, `qed export-ebm`: outputs, numpy export, one-line errors."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from qedjax.data.embeddings import read_embeddings, write_embeddings
from qedjax.data.trajectory import write_trajectory
from qedjax.ebm.synthetic import SYNTHETIC_PROVENANCE, make_synthetic, write_synthetic

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--steps", "40", "--lr", "1e-3", "--quiet"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    traj, emb = write_synthetic(d, n_theorems=30, dim=16, separation=5.0)
    cfg = d / "tiny.toml"
    cfg.write_text("[model]\nhidden_dims = [32, 16]\n[train]\nlog_every = 20\nval_every = 40\n"
                   "checkpoint_every = 40\nsteps_per_call = 20\nval_batches = 2\n")
    res = CliRunner().invoke(qed, ["train-ebm", "--trajectories", str(traj), "--embeddings", str(emb),
                                   "--output", str(d / "run"), "--config", str(cfg), *FAST])
    assert res.exit_code == 0, res.output
    return d, traj, emb, cfg


def run(args):
    res = CliRunner().invoke(qed, [str(a) for a in args])
    return res.exit_code, res.output


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_score_formats(trained, fmt):
    d, traj, emb, _ = trained
    out = d / f"scores.{fmt}"
    code, text = run(["score", "--checkpoint", d / "run", "--embeddings", emb, "--output", out])
    assert code == 0, text
    states, _, _ = read_embeddings(emb)
    if fmt == "csv":
        rows = list(csv.DictReader(open(out, encoding="utf-8")))
        got_states, energies = [r["state_pp"] for r in rows], [float(r["energy"]) for r in rows]
    elif fmt == "jsonl":
        rows = [json.loads(x) for x in out.read_text().splitlines()]
        got_states, energies = [r["state_pp"] for r in rows], [r["energy"] for r in rows]
    else:
        t = pq.read_table(out)
        assert t.column_names == ["state_pp", "energy"]
        got_states, energies = t.column("state_pp").to_pylist(), t.column("energy").to_pylist()
    assert got_states == states and np.isfinite(energies).all()
    code, text = run(["score", "--checkpoint", d / "run", "--embeddings", emb, "--output", out])
    assert code == 2 and "exists" in text  # never destroys an existing output


def test_score_table_on_stdout(trained):
    d, _, emb, _ = trained
    code, text = run(["score", "--checkpoint", d / "run", "--embeddings", emb])
    assert code == 0 and text.splitlines()[0].split() == ["energy", "state_pp"]


def test_export_matches_numpy_script(trained, tmp_path):
    d, _, emb, _ = trained
    npz = tmp_path / "head.npz"
    assert run(["export-ebm", "--checkpoint", d / "run", "--output", npz])[0] == 0
    arrays = np.load(npz)
    assert sorted(arrays.files) == ["b0", "b1", "input_mean", "input_scale", "log_temperature", "w0", "w1", "w2"]
    _, vecs, _ = read_embeddings(emb)  # the head z-scores its input with the training states' statistics
    assert np.allclose(arrays["input_mean"], vecs.mean(0), atol=0.5) and (arrays["input_scale"] > 0).all()
    assert not np.allclose(arrays["input_scale"], 1.0)
    assert arrays["w0"].shape == (16, 32) and arrays["w2"].shape == (16, 1)
    for k in ("w0", "w1", "w2"):  # effective kernels are spectrally normalised
        assert abs(np.linalg.svd(arrays[k], compute_uv=False)[0] - 1.0) < 0.02
    out = tmp_path / "e.npy"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "numpy_energy.py"), str(npz), str(emb),
                    "--out", str(out)], check=True)
    scores = tmp_path / "s.parquet"
    assert run(["score", "--checkpoint", d / "run", "--embeddings", emb, "--output", scores])[0] == 0
    jax_e = np.asarray(pq.read_table(scores).column("energy").to_pylist(), np.float32)
    np.testing.assert_allclose(np.load(out), jax_e, rtol=1e-5, atol=1e-6)


def test_resume_cli(trained):
    d, traj, emb, cfg = trained
    code, text = run(["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", d / "run",
                      "--config", cfg, *FAST])
    assert code == 2 and "--resume" in text
    code, text = run(["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", d / "run",
                      "--config", cfg, "--resume", *FAST])
    assert code == 0, text


def _one_line_error(code, text):
    assert code == 2, text
    lines = [x for x in text.strip().splitlines() if x.startswith("error:")]
    assert len(lines) == 1, text
    return lines[0]


def test_bad_inputs_give_one_line_errors(trained, tmp_path):
    d, traj, emb, cfg = trained
    base = ["train-ebm", "--output", tmp_path / "out", *FAST]

    # missing files
    msg = _one_line_error(*run([*base, "--trajectories", tmp_path / "nope.parquet", "--embeddings", emb]))
    assert "not found" in msg
    # malformed parquet
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    assert "Parquet" in _one_line_error(*run([*base, "--trajectories", bad, "--embeddings", emb]))
    # a parquet that is not a trajectory file
    assert "missing column" in _one_line_error(*run([*base, "--trajectories", emb, "--embeddings", emb]))
    # unknown config key
    badcfg = tmp_path / "bad.toml"
    badcfg.write_text("[train]\nlearning_rate = 1\n")
    msg = _one_line_error(*run([*base, "--trajectories", traj, "--embeddings", emb, "--config", badcfg]))
    assert "unknown key 'learning_rate'" in msg and "bad.toml" in msg
    # NaN / zero vectors in the cache (written around the guard to simulate a broken producer)
    states, vecs, _ = read_embeddings(emb)
    for name, poison in (("nan", np.nan), ("zero", 0.0)):
        v = vecs.copy()
        v[3] = poison
        p = tmp_path / f"{name}.parquet"
        col = pa.FixedSizeListArray.from_arrays(pa.array(v.reshape(-1), pa.float32()), v.shape[1])
        pq.write_table(pa.table({"state_pp": states, "embedding": col}), p)
        msg = _one_line_error(*run([*base, "--trajectories", traj, "--embeddings", p]))
        assert ("NaN" in msg) if name == "nan" else ("all-zero" in msg)
    # missing embeddings
    p = tmp_path / "partial.parquet"
    write_embeddings(p, states[:10], vecs[:10], None)
    assert "no embedding" in _one_line_error(*run([*base, "--trajectories", traj, "--embeddings", p]))
    # no positives / no negatives
    records, st, ve = make_synthetic(n_theorems=0, dim=16, n_unproved=3)
    write_trajectory(tmp_path / "noproof.parquet", records)
    write_embeddings(tmp_path / "np_emb.parquet", st, ve, None)
    msg = _one_line_error(*run([*base, "--trajectories", tmp_path / "noproof.parquet",
                                "--embeddings", tmp_path / "np_emb.parquet"]))
    assert "no positive" in msg
    records, st, ve = make_synthetic(n_theorems=3, dim=16, siblings=0, n_unproved=0)
    write_trajectory(tmp_path / "noneg.parquet", records)
    write_embeddings(tmp_path / "nn_emb.parquet", st, ve, None)
    msg = _one_line_error(*run([*base, "--trajectories", tmp_path / "noneg.parquet",
                                "--embeddings", tmp_path / "nn_emb.parquet"]))
    assert "no negative" in msg


def test_score_refuses_wrong_dim_and_other_encoder(trained, tmp_path):
    d, _, emb, _ = trained
    states, vecs, prov = read_embeddings(emb)
    wrong_dim = tmp_path / "dim.parquet"
    write_embeddings(wrong_dim, states, np.ones((len(states), 8), np.float32), None)
    msg = _one_line_error(*run(["score", "--checkpoint", d / "run", "--embeddings", wrong_dim]))
    assert "dim 8" in msg and "16" in msg
    other = tmp_path / "other.parquet"
    write_embeddings(other, states, vecs, dict(SYNTHETIC_PROVENANCE, dim=16, template="deepseek-chat"))
    msg = _one_line_error(*run(["score", "--checkpoint", d / "run", "--embeddings", other]))
    assert "template differs" in msg
    bare = tmp_path / "bare.parquet"  # a cache that records no encoder, for a head that records one
    write_embeddings(bare, states, vecs, None)
    msg = _one_line_error(*run(["score", "--checkpoint", d / "run", "--embeddings", bare]))
    assert "records no encoder provenance" in msg
    msg = _one_line_error(*run(["score", "--checkpoint", tmp_path, "--embeddings", emb]))
    assert "not an EBM checkpoint" in msg
    msg = _one_line_error(*run(["score", "--checkpoint", d / "run", "--embeddings", emb,
                                "--output", tmp_path / "x.txt"]))
    assert "unknown format" in msg


@pytest.mark.slow
def test_train_ebm_with_the_distance_objective(trained, tmp_path):
    d, traj, emb, cfg = trained
    for kind, extra, says in (("distance", "", "ordered right"), ("info_nce", "distance_weight = 1.0\n", "rank accuracy")):
        c = tmp_path / f"{kind}.toml"
        c.write_text(cfg.read_text() + f'[loss]\nkind = "{kind}"\n{extra}')
        code, out = run(["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", tmp_path / kind,
                         "--config", c, *FAST])
        assert code == 0, out
        assert says in out
        saved = json.loads((tmp_path / kind / "meta.json").read_text())["config"]["loss"]
        assert saved["kind"] == kind
    bad = tmp_path / "bad.toml"
    bad.write_text('[loss]\nkind = "hinge"\n')
    code, out = run(["train-ebm", "--trajectories", traj, "--embeddings", emb, "--output", tmp_path / "bad",
                     "--config", bad, *FAST])
    assert code != 0 and "hinge" in out and "Traceback" not in out
