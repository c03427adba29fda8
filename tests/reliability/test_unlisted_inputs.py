"""Bad inputs of the issue's families that no earlier list named (issue 29, third pass): each is refused
with one ``error:`` line naming what is wrong, no traceback, and every file left as it was. Each case
stands for a cause fixed where every command passes through it: the JSON reader, the checkpoint's
metadata reader, the embedding-cache reader, model loading, and the parts check of ``--lean-config``."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot

FAST = ["--max-nodes", "3", "--quiet"]
STATEMENT = "theorem t (p : Prop) : p → p"


# -- JSON: a string that is no text ------------------------------------------------------------------

@pytest.mark.parametrize("where", ["name", "statement", "key"])
def test_a_lone_surrogate_escape_in_a_theorem_file(tmp_path, where):
    """``"\\ud800"`` parses as JSON but is no character: every later write of it would fail."""
    stmt = json.dumps(STATEMENT)
    row = {"name": '"name": "t\\ud800", "statement": ' + stmt,
           "statement": '"name": "t", "statement": "theorem t (p : Prop) : p \\udfff→ p"',
           "key": '"name": "t", "statement": ' + stmt + ', "x\\udc00": 1'}[where]
    text = '{"theorems": [{' + row + '}]}'
    thms = tmp_path / "t.json"
    thms.write_text(text)
    before = snapshot(tmp_path)
    for cmd, out in (("search", "t.parquet"), ("eval", "e.json")):
        extra = ["--budgets", "3"] if cmd == "eval" else []
        assert_refused(qed_run(cmd, "--theorems", thms, "--output", tmp_path / out, *FAST, *extra),
                       "t.json", "surrogate")
    assert_refused(qed_run("prop", "check", thms), "t.json", "surrogate")
    assert_unchanged(tmp_path, before)


def test_a_paired_surrogate_escape_is_text(tmp_path):
    """An escaped emoji (a surrogate pair) is a character, and is read as one."""
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": [{"name": "t\ud83d\ude00", "statement": STATEMENT}]}))
    assert "\\ud83d\\ude00" in thms.read_text()
    run = qed_run("search", "--theorems", thms, "--output", tmp_path / "t.parquet", *FAST)
    assert run.code == 0, run.text


# -- EBM checkpoint metadata -------------------------------------------------------------------------

@pytest.mark.parametrize("edit, fragment", [
    (("input_dim", -16), "input_dim must be an integer in [1,"),
    (("input_dim", 0), "got 0"),
    (("input_dim", True), "got true"),
    (("input_dim", 16.0), "got 16.0"),
    (("input_dim", "16"), 'got "16"'),
    (("input_dim", 2**40), "got 1099511627776"),
    (("config", [1, 2]), "'config' must be a table"),
    (("provenance", "minilm"), "'provenance' must be an object"),
])
def test_checkpoint_metadata_that_cannot_describe_a_head(tmp_path, synthetic, edit, fragment):
    run = tmp_path / "ebm"
    shutil.copytree(synthetic["ebm"], run)
    meta = json.loads((run / "meta.json").read_text())
    meta[edit[0]] = edit[1]
    (run / "meta.json").write_text(json.dumps(meta))
    before = snapshot(tmp_path)
    for args in (["score", "--checkpoint", run, "--embeddings", synthetic["emb"]],
                 ["search", "--split", "test", "--max-theorems", "2", *FAST, "--ebm", run,
                  "--embeddings", synthetic["emb"], "--output", tmp_path / "s.parquet"]):
        assert_refused(qed_run(*args), "meta.json", fragment)
    assert_unchanged(tmp_path, before)


# -- embedding caches whose numbers overflow the head --------------------------------------------------

def _with_values(src, dst, value, dtype):
    t = pq.read_table(src)
    rows = t.column("embedding").to_pylist()
    rows[3] = [value] * len(rows[3])
    col = pa.array(rows, pa.list_(dtype, len(rows[3])))
    pq.write_table(t.set_column(t.column_names.index("embedding"), "embedding", col)
                   .replace_schema_metadata(t.schema.metadata), dst)
    return dst


@pytest.mark.parametrize("value, dtype, fragment", [
    (1e39, pa.float64(), "NaN/Inf"),  # past float32: it would become inf
    (1e20, pa.float32(), "beyond ±1e+15"),  # finite, but the head's float32 sums overflow to NaN
    (-3e38, pa.float32(), "beyond ±1e+15"),
])
def test_embedding_components_the_head_cannot_sum(tmp_path, synthetic, value, dtype, fragment):
    bad = _with_values(synthetic["emb"], tmp_path / "big.parquet", value, dtype)
    before = snapshot(tmp_path)
    for args in (["score", "--checkpoint", synthetic["ebm"], "--embeddings", bad, "--output", tmp_path / "s.csv"],
                 ["train-ebm", "--trajectories", synthetic["traj"], "--embeddings", bad, "--output", tmp_path / "r",
                  "--config", synthetic["cfg"], "--steps", "20", "--quiet"]):
        run = qed_run(*args)
        assert_refused(run, "big.parquet", "1 of ", fragment)
        assert "RuntimeWarning" not in run.err
    assert_unchanged(tmp_path, before)


def test_the_largest_accepted_components_score_finite(tmp_path, synthetic):
    """The bound is where the head still computes: scores of vectors at it are finite numbers."""
    from qedjax.data.embeddings import MAX_COMPONENT

    edge = _with_values(synthetic["emb"], tmp_path / "edge.parquet", MAX_COMPONENT, pa.float32())
    run = qed_run("score", "--checkpoint", synthetic["ebm"], "--embeddings", edge, "--output", tmp_path / "s.csv")
    assert run.code == 0, run.text
    energies = np.array([float(line.rsplit(",", 1)[1]) for line in (tmp_path / "s.csv").read_text().splitlines()[1:]])
    assert np.isfinite(energies).all()


# -- a config file the command was given is read, whatever the environment -----------------------------

@pytest.mark.parametrize("text, fragment", [
    ("bogus = 1\n", "unknown key 'bogus'"),
    ("[lean_repl]\ncommand_timeout = 1979-05-27\n", "command_timeout"),
    ("[leandojo]\nmax_restarts = -1\n", "max_restarts"),
    ("\xff\n", "not UTF-8"),
])
def test_a_lean_config_given_with_the_prop_environment_is_still_checked(tmp_path, text, fragment):
    cfg = tmp_path / "lean.toml"
    cfg.write_bytes(text.encode("latin-1") if fragment == "not UTF-8" else text.encode())
    before = snapshot(tmp_path)
    assert_refused(qed_run("probe", "--split", "test", "--max-theorems", "2", "--lean-config", cfg,
                           "--output", tmp_path / "hard.json"), "lean.toml", fragment)
    assert_refused(qed_run("search", "--split", "test", "--max-theorems", "2", *FAST, "--lean-config", cfg,
                           "--output", tmp_path / "t.parquet"), "lean.toml", fragment)
    assert_unchanged(tmp_path, before)


# -- model directories transformers cannot read -------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    from tests.conftest import make_tiny_bert

    return make_tiny_bert(tmp_path_factory.mktemp("bert") / "bert")


def _damaged_model(src, dst, kind):
    shutil.copytree(src, dst)
    if kind == "config without model_type":
        (dst / "config.json").write_text("{}")
    elif kind == "config not JSON":
        (dst / "config.json").write_text("{oops")
    elif kind == "weights truncated":
        for p in dst.glob("*.safetensors"):
            p.write_bytes(p.read_bytes()[:200])
    elif kind == "weights not safetensors":
        for p in dst.glob("*.safetensors"):
            p.write_bytes(b"\x00" * 64)
    return dst


@pytest.mark.parametrize("kind", ["config without model_type", "config not JSON", "weights truncated",
                                  "weights not safetensors"])
def test_a_damaged_model_directory_is_one_line(tmp_path, synthetic, tiny_bert, kind):
    model = _damaged_model(tiny_bert, tmp_path / "model", kind)
    states = tmp_path / "states.jsonl"
    states.write_text(json.dumps({"state_pp": "p : Prop\n⊢ p → p"}) + "\n")
    before = snapshot(tmp_path)
    assert_refused(qed_run("encode", "--input", states, "--output", tmp_path / "e.parquet", "--model", model,
                           "--normalizer", "none", "--quiet"), "cannot load model", "model")
    assert_refused(qed_run("train-policy", "--trajectories", synthetic["traj"], "--init", model,
                           "--output", tmp_path / "p", "--steps", "1", "--quiet"), "cannot load policy model", "model")
    assert_unchanged(tmp_path, before)


@pytest.mark.parametrize("flag, value", [("--hf-model", "some-model"), ("--policy-config", "policy.toml")])
def test_a_policy_flag_the_heuristic_policy_would_ignore(tmp_path, flag, value):
    (tmp_path / "policy.toml").write_text("[sample]\ndecode = \"beam\"\n")
    before = snapshot(tmp_path)
    for cmd, out, extra in (("search", "t.parquet", []), ("eval", "e.json", ["--budgets", "3"])):
        assert_refused(qed_run(cmd, "--split", "test", "--max-theorems", "2", *FAST, *extra, flag, tmp_path / value
                               if value.endswith(".toml") else value, "--output", tmp_path / out),
                       flag, "--policy hf")
    assert_unchanged(tmp_path, before)


# -- a file name followed by '/' ------------------------------------------------------------------------

def test_a_file_name_followed_by_a_slash_is_no_input(tmp_path, synthetic):
    """``x.parquet/`` is no file for the system; a path object would drop the '/' and read ``x.parquet``."""
    (tmp_path / "s.toml").write_text("max_nodes = 3\n")
    before = snapshot(tmp_path)
    traj, emb = f"{synthetic['traj']}/", f"{synthetic['emb']}/"
    for args in (["summary", traj],
                 ["train-ebm", "--trajectories", synthetic["traj"], f"--embeddings={emb}", "--output", tmp_path / "r"],
                 ["search", "--split", "test", "--max-theorems", "2", "--quiet", "--config", f"{tmp_path / 's.toml'}/",
                  "--output", tmp_path / "t.parquet"]):
        assert_refused(qed_run(*args), "followed by '/'")
    assert_unchanged(tmp_path, before)


# -- outputs that are no regular files, or names no listing shows on one line ---------------------------

def _file_writers(synthetic):
    """(arguments up to --output, the output's suffix) of commands that write one file."""
    return [(["eval", "--split", "test", "--max-theorems", "2", *FAST, "--budgets", "3", "--overwrite", "--output"],
             ".json"),
            (["score", "--checkpoint", synthetic["ebm"], "--embeddings", synthetic["emb"], "--overwrite", "--output"],
             ".csv"),
            (["export-proof-paths", synthetic["traj"], "--overwrite", "--output"], ".jsonl"),
            (["export-ebm", "--checkpoint", synthetic["ebm"], "--overwrite", "--output"], ".npz")]


def test_a_pipe_is_never_replaced_by_an_output_even_with_overwrite(tmp_path, synthetic):
    """An atomic write renames over its output: over a FIFO (or /dev/null, for root) that replaces the
    special file itself."""
    import os
    import stat

    fifos = []
    for i, (args, suffix) in enumerate(_file_writers(synthetic)):
        fifo = tmp_path / f"pipe{i}{suffix}"
        os.mkfifo(fifo)
        fifos.append(fifo)
        assert_refused(qed_run(*args, fifo), "special file")
    assert all(stat.S_ISFIFO(f.stat().st_mode) for f in fifos)
    assert sorted(tmp_path.iterdir()) == sorted(fifos)


@pytest.mark.parametrize("stem", ["a\nb", "tab\there", "bell\x07"])
def test_an_output_name_with_a_control_character(tmp_path, synthetic, stem):
    for args, suffix in _file_writers(synthetic):
        assert_refused(qed_run(*args, tmp_path / f"{stem}{suffix}"), "control character")
    assert list(tmp_path.iterdir()) == []


def test_a_device_given_as_a_config_file_is_named_as_such(tmp_path):
    for args in (["lean", "doctor", "--config", "/dev/null"],
                 ["search", "--split", "test", "--max-theorems", "2", *FAST, "--config", "/dev/null",
                  "--output", tmp_path / "t.parquet"]):
        assert_refused(qed_run(*args), "/dev/null", "not a regular file")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("line", ['encoder = "minilm"', "encoder = 3", "encoder = [1, 2]"])
def test_a_table_setting_given_as_a_scalar(tmp_path, line):
    """[encoder] is a free-form table: a string or number in its place is refused before any work."""
    cfg = tmp_path / "it.toml"
    cfg.write_text(line + "\n")
    before = snapshot(tmp_path)
    assert_refused(qed_run("iterate", "--config", cfg, "--workdir", tmp_path / "w"), "it.toml", "encoder",
                   "expected a table")
    assert_unchanged(tmp_path, before)


@pytest.mark.parametrize("args, fragments", [(["--devices", "1000"], ["--devices 1000", "visible"]),
                                             (["--iterations", str(2**64)], ["--iterations", "64 bits"])])
def test_iterate_refuses_a_count_it_would_only_meet_after_its_searches(tmp_path, args, fragments):
    """The head's training comes after the searches: a device count no machine here has is refused at
    the start, not after them; an iteration count past 64 bits is no count."""
    assert_refused(qed_run("iterate", "--workdir", tmp_path / "w", *args), *fragments)
    assert list(tmp_path.iterdir()) == []
