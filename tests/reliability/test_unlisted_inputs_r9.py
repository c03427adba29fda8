"""Legitimate but unusual inputs that no earlier list named: each either works as its plain form does,
or is refused with one ``error:`` line, no traceback, and every file left as it was."""

from __future__ import annotations

import json

import pytest

from .conftest import assert_no_traceback, assert_refused, assert_unchanged, qed_run, snapshot

FAST = ["--max-nodes", "2", "--quiet"]
ROWS = [{"name": "a", "statement": "theorem a (p : Prop) : p → p", "split": "test"},
        {"name": "b", "statement": "theorem b (p q : Prop) : p ∧ q → q ∧ p", "split": "test"}]
LEAN = ("theorem a (p : Prop) : p → p := by\n  intro h\n  exact h\n\n"
        "theorem b (p q : Prop) : p ∧ q → q ∧ p := by\n  sorry\n")
BOM = "\ufeff"


def _searched(output) -> list[str]:
    rows = (output.parent / (output.name + ".theorems.jsonl")).read_text(encoding="utf-8").split("\n")
    return sorted(json.loads(r)["theorem"] for r in rows if r.strip())


# -- a byte-order mark first in a text file ----------------------------------------------------------

@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".lean"])
def test_a_theorem_file_that_starts_with_a_byte_order_mark(tmp_path, suffix):
    """Some Windows editors write U+FEFF first in a UTF-8 file. It is no character of the text: a JSON
    file was refused at column 1, and a ``.lean`` file lost its first theorem (glued to the mark, it
    was read as a header command, so it was never searched and was sent to Lean before the next)."""
    text = {".json": json.dumps({"theorems": ROWS}, ensure_ascii=False),
            ".jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), ".lean": LEAN}[suffix]
    plain, marked = tmp_path / f"plain{suffix}", tmp_path / f"marked{suffix}"
    plain.write_text(text, encoding="utf-8")
    marked.write_text(BOM + text, encoding="utf-8")
    for src in (plain, marked):
        run = qed_run("search", "--theorems", src, *FAST, "--output", tmp_path / f"{src.stem}.parquet")
        assert run.code == 0, run.text
    assert _searched(tmp_path / "marked.parquet") == _searched(tmp_path / "plain.parquet") == ["a", "b"]


def test_a_config_that_starts_with_a_byte_order_mark(tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text(BOM + "max_nodes = 2\nnum_candidates = 3\n", encoding="utf-8")
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS[:1]}))
    run = qed_run("search", "--theorems", thms, "--config", cfg, "--quiet", "--output", tmp_path / "o.parquet")
    assert run.code == 0, run.text
    assert "expanded 2 nodes" in run.text, run.text


# -- an input inside a folder that the command replaces whole ---------------------------------------

@pytest.mark.parametrize("flag", ["--config", "--trajectories", "--proof-corpus"])
@pytest.mark.parametrize("mode", ["--overwrite", "--resume"])
def test_a_model_folder_that_holds_an_input_is_never_replaced(tmp_path, flag, mode):
    """A model directory is written beside and swapped in whole, so ``--overwrite`` (or a resume, which
    saves the same way) would delete a config, trajectories or a theorem file kept inside it after
    reading them."""
    from tests.encoder_bridge.test_policy import TINY_TOML

    model = tmp_path / "model"
    model.mkdir()
    (model / "policy.toml").write_text(TINY_TOML)
    (model / "t.parquet").write_bytes(b"PAR1")
    (model / "thms.json").write_text(json.dumps({"theorems": ROWS}))
    inside = {"--config": model / "policy.toml", "--trajectories": model / "t.parquet",
              "--proof-corpus": model / "thms.json"}[flag]
    before = snapshot(tmp_path)
    args = {"--config": [], "--trajectories": [], "--proof-corpus": ["--trajectories", tmp_path / "t.parquet"]}[flag]
    cmds = [["train-policy", flag, inside, *args, "--output", model, mode]]
    if flag != "--proof-corpus" and mode == "--overwrite":
        cmds.append(["policy", "init", flag, inside, "--output", model, mode])
    for cmd in cmds:
        if "--trajectories" not in cmd:
            cmd += ["--trajectories", tmp_path / "t.parquet"] if cmd[0] == "train-policy" else []
        assert_refused(qed_run(*cmd), "--output", "holds the input", flag, "never replaced")
        assert_unchanged(tmp_path, before)


# -- environment variables set to junk ----------------------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "1e400", "-5", "0", "nan", "8GiB"])
def test_a_memory_override_that_is_no_amount(tmp_path, value):
    """``QEDJAX_MEMORY_BYTES=inf`` was a traceback (OverflowError), ``-5`` or ``0`` refused every command
    as too big for the machine, and the message blamed ``--workers``, which the user never gave."""
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS[:1]}))
    before = snapshot(tmp_path)
    run = qed_run("search", "--theorems", thms, *FAST, "--output", tmp_path / "o.parquet",
                  env={"QEDJAX_MEMORY_BYTES": value})
    line = assert_refused(run, f"QEDJAX_MEMORY_BYTES={value!r}", "positive number of bytes")
    assert "--workers" not in line, line
    assert_unchanged(tmp_path, before)
    run = qed_run("search", "--theorems", thms, *FAST, "--output", tmp_path / "o.parquet",
                  env={"QEDJAX_MEMORY_BYTES": "1e12"})
    assert run.code == 0, run.text


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_cache_variable_means_the_default_cache(tmp_path, monkeypatch, value):
    """``QEDJAX_CACHE=`` named the current folder: every run left a ``precision/`` (and ``models/``)
    folder wherever it was started."""
    from encoder_bridge.models import model_cache_dir
    from encoder_bridge.precision import precision_cache_dir

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("QEDJAX_CACHE", value)
    default = tmp_path / "home" / ".cache" / "qedjax"
    assert (precision_cache_dir(), model_cache_dir()) == (default / "precision", default / "models")
    monkeypatch.setenv("QEDJAX_CACHE", "~/elsewhere")
    assert precision_cache_dir() == tmp_path / "home" / "elsewhere" / "precision"


def test_a_cache_that_cannot_be_written_costs_only_the_next_measurement(tmp_path, monkeypatch, tiny_bert):
    """The encoder's measured precision is cached for the next run; a cache that cannot be written
    (a file, a read-only folder) failed the whole encode after measuring. The run goes on and says so."""
    import encoder_bridge.encoder as encoder_module
    from encoder_bridge.encoder import EncoderConfig, choose_precision
    from tests.encoder_bridge.test_precision import STATES, FakeClock

    (tmp_path / "afile").write_text("mine\n")
    monkeypatch.setenv("QEDJAX_CACHE", str(tmp_path / "afile"))
    monkeypatch.setattr(encoder_module, "system_load", lambda: 0.0)
    choice = choose_precision(EncoderConfig(model=str(tiny_bert), batch_size=8), timer=FakeClock(1.0, 0.5),
                              states=STATES)
    assert (choice.dtype, choice.how) == ("bfloat16", "measured")
    assert "not cached" in choice.reason and "QEDJAX_CACHE" in choice.reason, choice.reason
    assert (tmp_path / "afile").read_text() == "mine\n"


# -- TOML base chains -------------------------------------------------------------------------------

def _one_theorem(tmp_path):
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS[:1]}))
    return thms


def test_a_symlinked_config_reads_its_base_beside_the_file_it_links_to(tmp_path):
    """``base`` is relative to the file that names it; a config reached through a link elsewhere looked
    for its base beside the link (``config file not found``), while ``--lean-config`` paths were already
    taken from the real file's folder."""
    shared, project = tmp_path / "shared", tmp_path / "project"
    shared.mkdir(), project.mkdir()
    (shared / "base.toml").write_text("max_nodes = 2\n")
    (shared / "search.toml").write_text('base = "base.toml"\nnum_candidates = 3\n')
    (project / "search.toml").symlink_to(shared / "search.toml")
    run = qed_run("search", "--theorems", _one_theorem(tmp_path), "--config", project / "search.toml", "--quiet",
                  "--output", tmp_path / "o.parquet")
    assert run.code == 0, run.text
    assert "expanded 2 nodes" in run.text, run.text


def test_a_base_chain_too_long_or_through_a_folder_is_named(tmp_path):
    """A generated chain of bases 1,500 files long ended in 'an input is nested too deeply' with no file
    named; a base that is a folder did not say which file named it."""
    thms = _one_theorem(tmp_path)
    for i in range(200):
        (tmp_path / f"c{i}.toml").write_text(f'base = "c{i + 1}.toml"\n')
    (tmp_path / "c200.toml").write_text("max_nodes = 2\n")
    (tmp_path / "d.toml").write_text('base = "."\n')
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--theorems", thms, "--config", tmp_path / "c0.toml", "--quiet",
                           "--output", tmp_path / "o.parquet"), "base chain", "c0.toml")
    assert_refused(qed_run("search", "--theorems", thms, "--config", tmp_path / "d.toml", "--quiet",
                           "--output", tmp_path / "o.parquet"), "is a directory", "the base of", "d.toml")
    assert_unchanged(tmp_path, before)


# -- JSON Lines: a record with a character that str.splitlines() breaks at -------------------------

ODD_NAMES = ["a\u2028x", "b\x85y", "c\u2029z"]  # JSON leaves these unescaped inside strings


def test_json_lines_records_holding_a_line_separator_character(tmp_path):
    """JSON Lines are split at ``\\n`` only. Split at U+2028 / U+2029 / U+0085 too (``str.splitlines``),
    a valid theorem file was refused ('Unterminated string'), and a search resumed over theorems whose
    names hold one did not see them finished: it searched them again and recorded them twice."""
    rows = [dict(r, name=n) for r, n in zip(ROWS + ROWS[:1], ODD_NAMES)]
    rows[2]["statement"] = "theorem c (p : Prop) : p → p ∨ p"
    src = tmp_path / "t.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in rows), encoding="utf-8")
    out = tmp_path / "o.parquet"
    run = qed_run("search", "--theorems", src, *FAST, "--output", out)
    assert run.code == 0, run.text
    assert _searched(out) == sorted(ODD_NAMES)
    rows_file = tmp_path / "o.parquet.theorems.jsonl"
    kept = rows_file.read_bytes()
    run = qed_run("search", "--theorems", src, *FAST, "--output", out, "--resume")
    assert run.code == 0, run.text
    assert rows_file.read_bytes() == kept  # nothing searched again
    assert "policy: 0 calls" in run.text, run.text


# -- a compressed or binary file where text is read --------------------------------------------------

@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".lean", ".toml"])
def test_a_compressed_text_file_is_named_as_such(tmp_path, suffix):
    """A gzip-compressed file where text is read was 'not UTF-8 text (byte 1)'; the line now says what
    the file is. A Parquet file given as a theorem file is named too."""
    import gzip

    text = {".json": json.dumps({"theorems": ROWS}), ".jsonl": json.dumps(ROWS[0]) + "\n", ".lean": LEAN,
            ".toml": "max_nodes = 2\n"}[suffix]
    packed = tmp_path / f"in{suffix}"
    packed.write_bytes(gzip.compress(text.encode()))
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS}))
    before = snapshot(tmp_path)
    args = ["--config", packed, "--theorems", thms] if suffix == ".toml" else ["--theorems", packed]
    assert_refused(qed_run("search", *args, *FAST, "--output", tmp_path / "o.parquet"), f"in{suffix}",
                   "not UTF-8 text", "gzip-compressed", "decompress it first")
    if suffix != ".toml":
        assert_refused(qed_run("prop", "check", packed), "gzip-compressed")
    assert_unchanged(tmp_path, before)


def test_a_parquet_file_given_as_a_theorem_file_is_named(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = tmp_path / "t.parquet"
    pq.write_table(pa.table({"name": ["a", "b"], "statement": [r["statement"] for r in ROWS]}), table)
    before = snapshot(tmp_path)
    assert_refused(qed_run("search", "--theorems", table, *FAST, "--output", tmp_path / "o.parquet"),
                   "not UTF-8 text", "a Parquet file")
    assert_unchanged(tmp_path, before)


# -- a write that fails ------------------------------------------------------------------------------

def test_prop_gen_whose_write_fails_leaves_no_folder(tmp_path, monkeypatch):
    """A benchmark that could not be written (the disk full) left the new --output folder behind, empty."""
    import errno
    import os

    replace = os.replace

    def full(src, dst, *args, **kwargs):  # the file is written, then the disk is full when it is moved
        if str(dst).endswith("benchmark.json"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full)
    gen = ["prop", "gen", "--count", "2", "--max-difficulty", "2", "--output"]
    assert_refused(qed_run(*gen, tmp_path / "new" / "bench"), "no space left", "benchmark.json")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "benchmark.json").write_text("{}")
    before = snapshot(tmp_path)
    assert_refused(qed_run(*gen, tmp_path / "mine", "--overwrite"), "no space left")
    assert_unchanged(tmp_path, before)


# -- splits ------------------------------------------------------------------------------------------

def test_a_split_that_is_not_a_string_or_differs_only_in_spacing(tmp_path):
    """``"split": 1`` was listed among the file's splits ('the file's splits: 1') yet ``--split 1`` found
    none (1 is no "1"), and ``null`` was listed as a split 'None'; a split with a stray space looked the
    same as the one asked for."""
    thms = tmp_path / "t.json"
    for value, flag, fragments in ((1, "1", ["theorem 'b'", "'split' must be a string", "got 1"]),
                                   (None, "test", ["no theorems in split 'test'", "splits: Test)"]),  # no split
                                   (["test"], "test", ["theorem 'b'", 'got ["test"]']),
                                   (" test", "test", ["no theorems in split 'test'", "' test'"])):
        thms.write_text(json.dumps({"theorems": [dict(ROWS[0], split="Test"), dict(ROWS[1], split=value)]}))
        before = snapshot(tmp_path)
        assert_refused(qed_run("search", "--theorems", thms, "--split", flag, *FAST, "--output",
                               tmp_path / "o.parquet"), "t.json", *fragments)
        assert_unchanged(tmp_path, before)


# -- a file name's suffix in capitals -----------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".LEAN", ".JSONL", ".Lean"])
def test_a_suffix_in_capitals_reads_as_its_kind(tmp_path, suffix):
    """``THMS.LEAN`` or ``data.JSONL`` (written so on a case-insensitive system) was read as one JSON
    value: 'not valid JSON', while ``qed score`` already took ``.CSV`` as CSV."""
    text = LEAN if suffix.lower() == ".lean" else "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS)
    src = tmp_path / f"thms{suffix}"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "o.parquet"
    run = qed_run("search", "--theorems", src, *FAST, "--output", out)
    assert run.code == 0, run.text
    assert _searched(out) == ["a", "b"]
    if suffix.lower() == ".lean":
        run = qed_run("prop", "check", src)
        assert run.code == 1 and "declaration uses `sorry`" in run.out, run.text  # checked as Lean


def test_export_ebm_takes_an_npz_name_in_capitals(tmp_path, synthetic):
    run = qed_run("export-ebm", "--checkpoint", synthetic["ebm"], "--output", tmp_path / "HEAD.NPZ")
    assert run.code == 0, run.text
    assert [p.name for p in tmp_path.iterdir()] == ["HEAD.NPZ"]


@pytest.mark.parametrize("env, fragments", [
    ({"SLURM_JOB_ID": "1", "SLURM_STEP_NUM_TASKS": "abc"}, ["SLURM_STEP_NUM_TASKS='abc'", "not an integer"]),
    ({"OMPI_COMM_WORLD_SIZE": "x"}, ["OMPI_COMM_WORLD_SIZE='x'", "not an integer"]),
    ({"JAX_COORDINATOR_ADDRESS": "h:1", "JAX_NUM_PROCESSES": "2", "JAX_PROCESS_ID": "5"},
     ["JAX_PROCESS_ID='5'", "JAX_NUM_PROCESSES='2'", "numbered 0 to"]),
    ({"JAX_COORDINATOR_ADDRESS": "h:1", "JAX_NUM_PROCESSES": "0", "JAX_PROCESS_ID": "0"}, ["numbered 0 to"]),
])
def test_multi_host_launch_variables_that_are_junk(tmp_path, synthetic, env, fragments):
    """The launch variables ``qed train-ebm`` reads (its --help names JAX_NUM_PROCESSES and
    JAX_PROCESS_ID; SLURM and Open MPI set the others) were tracebacks when they held no usable number."""
    before = snapshot(tmp_path)
    run = qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"],
                  "--output", tmp_path / "run", "--config", synthetic["cfg"], "--steps", "2", "--quiet", env=env)
    assert_refused(run, *fragments)
    assert_unchanged(tmp_path, before)


# -- a theorem file the size of a real benchmark ------------------------------------------------------

def _timed_load(path) -> tuple[float, str]:
    import time

    from qedjax.errors import DataError
    from qedjax.search.theorems import load_theorems

    start = time.perf_counter()
    with pytest.raises(DataError) as e:
        load_theorems(path)
    return time.perf_counter() - start, str(e.value)


def test_a_duplicate_name_in_a_large_theorem_file_is_found_at_once(tmp_path):
    """The duplicate check counted every name in the whole list (quadratic): 60,000 theorems with a
    duplicate last took 33 s before the one-line refusal, and LeanDojo's benchmark holds about 100,000."""
    rows = [{"name": f"t{i}", "statement": f"theorem t{i} (p : Prop) : p → p"} for i in range(40_000)]
    src = tmp_path / "t.json"
    src.write_text(json.dumps({"theorems": rows + rows[-1:]}))
    seconds, message = _timed_load(src)
    assert "duplicate theorem name 't39999'" in message
    assert seconds < 3.0, seconds  # about 15 s before


def test_a_large_lean_file_is_split_in_linear_time(tmp_path):
    """Each command's line number was recounted from the start of the file, and each theorem's name
    looked up among all earlier ones: a 20,000-theorem ``.lean`` file took 10 s to read."""
    text = "".join(f"theorem t{i} (p : Prop) : p → p := by\n  exact id\n\n" for i in range(20_000))
    src = tmp_path / "t.lean"
    src.write_text(text + "theorem t19999 (p : Prop) : p := by\n  sorry\n")
    seconds, message = _timed_load(src)
    assert "t.lean:60001: 't19999' is declared twice (first at line 59998)" in message, message
    assert seconds < 3.0, seconds  # about 10 s before


# -- an empty model name ------------------------------------------------------------------------------

def test_an_empty_model_name_is_named_as_such(tmp_path):
    """``--model ""`` (an unset shell variable) was read as the current folder: '.: not a Hugging Face
    model directory'."""
    states = tmp_path / "s.json"
    states.write_text(json.dumps([{"state_pp": "⊢ True"}]))
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS[:1]}))
    before = snapshot(tmp_path)
    for args in (["encode", "--input", states, "--output", tmp_path / "e.parquet", "--model", ""],
                 ["search", "--theorems", thms, "--policy", "hf", "--hf-model", " ", *FAST,
                  "--output", tmp_path / "o.parquet"]):
        assert_refused(qed_run(*args), "model name is empty")
        assert_unchanged(tmp_path, before)


# -- an output folder that cannot be written -----------------------------------------------------------

def test_an_output_in_a_folder_this_user_cannot_write(tmp_path, monkeypatch):
    """A read-only folder (simulated: the tests may run as root, who writes anywhere) was reported as
    'permission denied: FOLDER/.o.parquet.lock', a hidden file the user never named."""
    import errno
    import os

    locked = tmp_path / "readonly"
    locked.mkdir()
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if os.path.dirname(os.path.abspath(path)) == str(locked) and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    thms = _one_theorem(tmp_path)
    before = snapshot(tmp_path)
    line = assert_refused(qed_run("search", "--theorems", thms, *FAST, "--output", locked / "o.parquet"),
                          "--output", "o.parquet: cannot write in", "readonly (Permission denied)")
    assert ".lock" not in line, line
    assert_unchanged(tmp_path, before)


def test_an_output_name_that_fits_but_leaves_no_room_for_the_files_beside_it(tmp_path):
    """A 255-byte name is legal, but the hidden lock and temporary files named after it are not:
    'File name too long: .xxxx.json.lock'."""
    out = tmp_path / ("x" * 250 + ".json")
    thms = _one_theorem(tmp_path)
    before = snapshot(tmp_path)
    line = assert_refused(qed_run("eval", "--theorems", thms, "--budgets", "2", "--quiet", "--output", out),
                          "--output", "name is too long", "choose a shorter name")
    assert ".lock" not in line, line
    assert_unchanged(tmp_path, before)


# -- qed probe without a tactic -------------------------------------------------------------------------

@pytest.mark.parametrize("probes", [",", " , ", "none"])
def test_probe_without_a_single_tactic_writes_nothing(tmp_path, probes):
    """``--probes ","`` (or ``none``) tried no tactic and wrote every theorem as hard: 'easy 0, hard N'."""
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS}))
    before = snapshot(tmp_path)
    assert_refused(qed_run("probe", "--theorems", thms, "--probes", probes, "--output", tmp_path / "hard.json"),
                   "--probes", "names no tactic")
    assert_unchanged(tmp_path, before)
    run = qed_run("probe", "--theorems", thms, "--probes", "intro h; exact h", "--output", tmp_path / "hard.json")
    assert run.code == 0 and "easy 1" in run.out, run.text


# -- a finished theorem's record with fields of the wrong type ----------------------------------------

@pytest.mark.parametrize("edit", [{"index": "z"}, {"proved": "yes"}, {"nodes_expanded": None}, {"proof": "intro h"}])
def test_a_resume_redoes_a_theorem_whose_record_has_a_field_of_another_type(tmp_path, edit):
    """A finished-theorem record that is JSON but not of the runner's shape (an edited or corrupted
    line) counted as finished, and the resumed run died in a TypeError sorting the rows."""
    thms = tmp_path / "t.json"
    thms.write_text(json.dumps({"theorems": ROWS}))
    out = tmp_path / "o.parquet"
    assert qed_run("search", "--theorems", thms, *FAST, "--output", out).code == 0
    rows_file = tmp_path / "o.parquet.theorems.jsonl"
    rows = [json.loads(x) for x in rows_file.read_text(encoding="utf-8").split("\n") if x.strip()]
    rows[0].update(edit)
    rows_file.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run = qed_run("search", "--theorems", thms, *FAST, "--output", out, "--resume")
    assert_no_traceback(run)
    assert run.code == 0 and "policy: 2 calls" in run.text, run.text  # the one theorem searched again
    assert _searched(out).count(rows[0]["theorem"]) == 2  # the damaged record and the new one


def test_a_resumed_training_drops_metrics_lines_that_are_no_metrics_rows(tmp_path, synthetic):
    """``metrics.jsonl`` lines that are JSON but no metrics row (a list, a step that is no number, bytes
    that are not UTF-8) ended ``train-ebm --resume`` in a traceback; only a line cut short was dropped."""
    import shutil

    run = tmp_path / "run"
    shutil.copytree(synthetic["ebm"], run)
    metrics = run / "metrics.jsonl"
    good = metrics.read_bytes()
    metrics.write_bytes(good + b'[1, 2]\n{"step": "x"}\n{"step": null}\n"text"\n{"step": 1e400}\n\xff\xfe\n')
    resumed = qed_run("train-ebm", "--trajectories", synthetic["traj"], "--embeddings", synthetic["emb"],
                      "--output", run, "--config", synthetic["cfg"], "--steps", "20", "--quiet", "--resume")
    assert_no_traceback(resumed)
    assert resumed.code == 0, resumed.text
    rows = [json.loads(x) for x in metrics.read_text(encoding="utf-8").split("\n") if x.strip()]
    assert all(isinstance(r, dict) and isinstance(r["step"], int) for r in rows), rows


# -- a damaged run manifest ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ['{"steps": ', "", "[]", '{"steps": []}', '{"steps": {"x": 1}}', '{"config": 5}'])
@pytest.mark.parametrize("command", ["iterate", "demo"])
def test_a_damaged_manifest_is_one_line_and_kept(tmp_path, text, command):
    """The manifest of a ``qed iterate`` / ``qed demo`` run that is not JSON, or JSON of another shape,
    was a traceback (JSONDecodeError, AttributeError)."""
    work = tmp_path / "w"
    work.mkdir()
    (work / "manifest.json").write_text(text)
    (work / "iter1").mkdir()
    (work / "iter1" / "traj.parquet").write_bytes(b"PAR1")
    before = snapshot(tmp_path)
    flag = "--workdir" if command == "iterate" else "--output"
    assert_refused(qed_run(command, flag, work), "manifest.json is damaged", "another directory")
    assert_unchanged(tmp_path, before)
