"""Ablations are configs run by the one pipeline: every shipped rows file loads; a fork reuses exactly the
steps a change leaves alone and reproduces the base run when nothing changed; bounds reach training as
an argument."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from qedjax.app.fork import fork
from qedjax.app.iterate import run_iterate
from qedjax.app.iterate_config import IterateConfig, load_iterate_config
from qedjax.config import load_toml, overlay
from tests.app.test_iterate import SMALL

ROOT = Path(__file__).resolve().parents[2]
ROWS = sorted((ROOT / "configs" / "ablations").glob("*.toml"))


def _script():
    spec = importlib.util.spec_from_file_location("ablate_script", ROOT / "scripts" / "ablate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", ROWS, ids=[p.name for p in ROWS])
def test_every_row_of_the_shipped_files_is_a_valid_change(path):
    base = load_iterate_config(None)
    rows = _script().load_rows(path, base, None)
    assert len(rows) >= 3
    configs = [cfg for cfg, _ in rows.values()]
    assert sum(cfg == base for cfg in configs) <= 2  # the baseline row (and a truth row) may keep the demo
    assert all(labels in ("hindsight", "truth") for _, labels in rows.values())


def test_a_bad_row_is_one_line(tmp_path):
    bad = tmp_path / "rows.toml"
    bad.write_text('[a]\nebm.loss.kind = "hinge"\n')
    with pytest.raises(SystemExit, match="row 'a'.*hinge"):
        _script().load_rows(bad, load_iterate_config(None), None)
    bad.write_text('[a]\nlabels = "truth"\nebm.loss.distance_weight = 0.0\n')
    with pytest.raises(SystemExit, match="no"):
        _script().load_rows(bad, load_iterate_config(None), None)


@pytest.fixture(scope="module")
def base_run(tmp_path_factory, tiny_bert):
    d = tmp_path_factory.mktemp("ablate")
    cfg = load_toml(IterateConfig, _write(d / "it.toml", SMALL.replace("{model}", str(tiny_bert))))
    res = run_iterate(cfg, d / "base", log=lambda s: None)
    return cfg, d / "base", res


def _write(p: Path, text: str) -> Path:
    p.write_text(text)
    return p


@pytest.mark.slow
def test_a_fork_reuses_what_a_change_leaves_alone(base_run, tmp_path):
    cfg, source, res = base_run
    loss = overlay(cfg, {"ebm": {"loss": {"distance_weight": 1.0}}})
    assert fork(source, tmp_path / "loss", loss) == ["eval_policy_only", "valid_policy_only", "ref_length.select_t",
                                                     "eval_value_length", "iter1.search", "iter1.encode",
                                                     "start.encoder_precision"]
    encoder = overlay(cfg, {"encoder": {"max_length": 64}})
    assert fork(source, tmp_path / "enc", encoder)[-1] == "iter1.search"
    train = overlay(cfg, {"iterate": {"negatives_per_theorem": 2}})
    assert "iter1.search" in fork(source, tmp_path / "neg", train)
    assert "iter1.encode" not in fork(source, tmp_path / "neg", train)
    # another seed searches and trains anew; the encoder, and the precision it was chosen to run in, are kept
    assert fork(source, tmp_path / "seed", overlay(cfg, {"iterate": {"seed": 1}})) == ["start.encoder_precision"]
    assert (source / "manifest.json").exists() and (tmp_path / "seed" / "manifest.json").exists()
    # a source that recorded no precision (an older run): its caches' dtype is kept, so they stay usable
    old = tmp_path / "old"
    shutil.copytree(source, old)
    man = json.loads((old / "manifest.json").read_text())
    del man["steps"]["start.encoder_precision"]
    (old / "manifest.json").write_text(json.dumps(man))
    assert fork(old, tmp_path / "from_old", loss)[-1] == "start.encoder_precision"
    kept = json.loads((tmp_path / "from_old" / "manifest.json").read_text())["steps"]["start.encoder_precision"]
    assert kept["precision"]["dtype"] == res["encoder_precision"]["dtype"] and kept["precision"]["how"] == "recorded"


@pytest.mark.slow
def test_a_fork_of_the_same_config_reproduces_the_run_and_bounds_are_an_argument(base_run, tmp_path):
    cfg, source, res = base_run
    fork(source, tmp_path / "same", cfg)
    calls = []

    def bounds(paths):
        from qedjax.app.training_data import search_bounds

        calls.append([Path(p).relative_to(tmp_path / "same").as_posix() for p in paths])
        return search_bounds(paths)

    again = run_iterate(cfg, tmp_path / "same", log=lambda s: None, bounds=bounds)
    assert again["iterations"][0]["table"] == res["iterations"][0]["table"]
    assert calls == [["iter1/search.parquet"]]
    steps = json.loads((tmp_path / "same" / "manifest.json").read_text())["steps"]
    assert "iter1.train" in steps and steps["iter1.search"] == json.loads(
        (source / "manifest.json").read_text())["steps"]["iter1.search"]  # reused, not searched again
