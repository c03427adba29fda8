"""Property and fuzz tests: theorem files, statements and the Parquet readers turn random bytes, truncation,
flipped bytes and deep nesting into a clean typed error (or a valid result), never anything else."""

import json
import os
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encoder_bridge.cache import read_states
from qedjax.data.embeddings import read_embeddings, read_provenance
from qedjax.data.trajectory import read_trajectories
from qedjax.ebm.synthetic import write_synthetic
from qedjax.envs.prop.env import parse_statement
from qedjax.errors import DataError, ParseError, QedError
from qedjax.search.fingerprint import differences
from qedjax.search.runner import read_rows
from qedjax.search.theorems import load_theorems

# QEDJAX_FUZZ_EXAMPLES=5000 for a longer hunt than the suite's default.
FUZZ = settings(max_examples=int(os.environ.get("QEDJAX_FUZZ_EXAMPLES", "120")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
_DIR = Path(tempfile.mkdtemp(prefix="qedjax_fuzz_"))
_TRAJ, _EMB = write_synthetic(_DIR, n_theorems=4, dim=8)
VALID = {"traj": _TRAJ.read_bytes(), "emb": _EMB.read_bytes()}
THEOREMS = json.dumps({"theorems": [
    {"name": f"t{i}", "statement": f"theorem t{i} (p q : Prop) : p ∧ q → q ∧ p", "split": ["train", "test"][i % 2]}
    for i in range(4)]}).encode()


def _write(data: bytes, suffix: str) -> Path:
    f = tempfile.NamedTemporaryFile(dir=_DIR, suffix=suffix, delete=False)
    f.write(data)
    f.close()
    return Path(f.name)


def _flip(data: bytes, positions: list[int], values: list[int]) -> bytes:
    b = bytearray(data)
    for p, v in zip(positions, values):
        b[p % len(b)] = v
    return bytes(b)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.sampled_from(["name", "statement", "split", "theorems", "full_name", "file_path", "traced_tactics",
                         "state_before", "x"]), inner, max_size=5),
    max_leaves=30)


def _loads_theorems(path: Path, split=None):
    try:
        out = load_theorems(path, split)
    except DataError:
        return
    assert out and all(isinstance(t.statement, str) for t in out)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".json", ".jsonl"]))
def test_theorem_file_random_bytes(data, suffix):
    _loads_theorems(_write(data, suffix))


@FUZZ
@given(json_values, st.sampled_from([None, "train", "banana"]))
def test_theorem_file_random_json(value, split):
    _loads_theorems(_write(json.dumps(value).encode(), ".json"), split)


@FUZZ
@given(st.integers(0, len(THEOREMS)), st.lists(st.integers(0, 10**6), max_size=4),
       st.lists(st.integers(0, 255), max_size=4))
def test_theorem_file_truncated_and_flipped(cut, positions, values):
    _loads_theorems(_write(_flip(THEOREMS[:cut] or b" ", positions, values), ".json"), "train")


@settings(max_examples=15, deadline=None)
@given(st.integers(500, 50_000), st.sampled_from(["[", '{"theorems": ', '{"a": ']))
def test_theorem_file_deep_nesting(depth, opener):
    closer = {"[": "]", '{"theorems": ': "}", '{"a": ': "}"}[opener]
    _loads_theorems(_write((opener * depth + closer * depth).encode(), ".json"))


LEAN = st.sampled_from(["theorem", "example", "t", "(", ")", "{", "}", "[", "]", ":", ":=", "by", "p", "q",
                        "Prop", "∧", "∨", "→", "↔", "¬", "⊢", "True", "False", "h", ",", "∀", "fun", "=>",
                        " ", "\n", "--", "/-", "-/", "->", "/\\", "\\/", "~", "<->", "⟨", "⟩", "·", "0", "é"])


@FUZZ
@given(st.lists(LEAN, max_size=40).map("".join))
def test_statement_parser_on_lean_like_text(text):
    try:
        parse_statement(text)
    except ParseError:
        pass


@FUZZ
@given(st.text(max_size=200))
def test_statement_parser_on_any_text(text):
    try:
        parse_statement(text)
    except ParseError:
        pass


@FUZZ
@given(st.integers(1, 300), st.sampled_from(["(", "¬", "p → ", "(p ∧ ", "¬("]))
def test_statement_parser_on_moderate_nesting(depth, opener):
    closer = {"(": ")", "¬": "", "p → ": "", "(p ∧ ": ")", "¬(": ")"}[opener]
    try:
        parse_statement("theorem t (p : Prop) : " + opener * depth + "p" + closer * depth)
    except ParseError:
        pass


def _read_all(path: Path) -> None:
    """Every reader of a Parquet file either returns valid data or raises a one-line QedError."""
    for read in (lambda: read_embeddings(path), lambda: read_trajectories([path]), lambda: read_provenance(path),
                 lambda: read_states([path])):
        try:
            read()
        except QedError as e:
            assert str(e) and "\n" not in str(e)


@FUZZ
@given(st.binary(max_size=3000))
def test_parquet_readers_random_bytes(data):
    _read_all(_write(data, ".parquet"))


@FUZZ
@given(st.sampled_from(["traj", "emb"]), st.data())
def test_parquet_readers_truncated(which, data):
    raw = VALID[which]
    cut = data.draw(st.integers(0, len(raw) - 1))
    _read_all(_write(raw[:cut], ".parquet"))


@FUZZ
@given(st.sampled_from(["traj", "emb"]), st.lists(st.integers(0, 10**7), min_size=1, max_size=6),
       st.lists(st.integers(0, 255), min_size=1, max_size=6))
def test_parquet_readers_flipped_bytes(which, positions, values):
    _read_all(_write(_flip(VALID[which], positions, values), ".parquet"))


@FUZZ
@given(st.lists(st.one_of(json_values.map(json.dumps), st.text(max_size=50)), max_size=10))
def test_finished_theorem_record_never_raises(lines):
    rows = read_rows(_write("\n".join(lines).encode(), ".jsonl"))
    assert all(isinstance(r, dict) and isinstance(r["theorem"], str) for r in rows)


@FUZZ
@given(json_values, json_values)
def test_fingerprint_differences_name_a_component(a, b):
    fa, fb = {"config": a, "theorems": 1, "parts": 2}, {"config": b, "theorems": 1, "parts": 2}
    diff = differences(fa, fb)
    assert (diff is None) == (json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True))
    if diff is not None:
        assert diff.startswith("the search config differs") and "\n" not in diff


def test_valid_files_still_read():
    states, emb, prov = read_embeddings(_EMB)
    assert len(states) == len(emb) and prov["model"] == "synthetic"
    assert len(read_trajectories([_TRAJ])["state_pp"]) == pq.read_metadata(_TRAJ).num_rows
    assert [t.name for t in load_theorems(_write(THEOREMS, ".json"), "train")] == ["t0", "t2"]


@pytest.fixture(autouse=True, scope="module")
def _cleanup():
    yield
    import shutil

    shutil.rmtree(_DIR, ignore_errors=True)


def _uncompressed(table, path: Path) -> bytes:
    pq.write_table(table, path, compression="none", use_dictionary=False)
    return path.read_bytes()


@pytest.mark.parametrize("which", ["traj", "emb"])
def test_invalid_utf8_in_a_string_value_or_a_column_name(which):
    """Found by the fuzzer: Parquet readers do not check UTF-8, so a damaged string surfaced later as a
    UnicodeDecodeError traceback."""
    table = pq.read_table(_TRAJ if which == "traj" else _EMB)
    raw = _uncompressed(table, _DIR / f"plain_{which}.parquet")
    value = b"thm_0000 pos 0"
    assert raw.count(value) >= 1
    for old, new in ((value, b"\x80hm_0000 pos 0"), (b"state_pp", b"\x80tate_pp")):
        _read_all(_write(raw.replace(old, new), ".parquet"))


@pytest.mark.parametrize("text", ["²", "theorem t (p : Prop) : p → ²", "١٢٣", "p₁ ∧ q²", "(p : Prop) ⊢ ⁰"])
def test_statement_parser_on_unicode_digits(text):
    """Found by the fuzzer: '²' is a digit to ``str.isdigit`` but starts no number."""
    try:
        parse_statement(text)
    except ParseError:
        pass


TACTIC = st.sampled_from(["intro", "intros", "exact", "apply", "constructor", "left", "right", "cases", "rcases",
                          "obtain", "rintro", "exfalso", "contradiction", "assumption", "by_contra", "by_cases",
                          "simp", "simp only", "simpa", "have", "show", "refine", "use", "exacts", "rw", "·", "<;>",
                          "first", "|", "try", "repeat", "all_goals", "case", "next", "=>", "with", "using", "at",
                          "h", "hp", "hq", "p", "q", "⟨", "⟩", "(", ")", "[", "]", "{", "}", ",", ":", ":=", "_", "fun",
                          "∧", "∨", "→", "¬", "↔", "And.intro", "Or.inl", "absurd", "rfl", "trivial", "decide",
                          " ", "\n", "\n  ", "²", "0", "?_", "‹p›", "⊢", "--", "/-", "-/", "by", "match", "inl"])


@FUZZ
@given(st.lists(TACTIC, max_size=25).map("".join))
def test_tactics_never_raise(tactic):
    """A session answers every tactic text with a result (``Failed`` with Lean's message at worst)."""
    from qedjax.envs.prop import PropEnvironment
    from qedjax.interfaces import Failed, ProofComplete, Success, Theorem, Timeout

    session = PropEnvironment().start(Theorem("t", "theorem t (p q : Prop) (h : p ∧ q) : q ∨ p ∧ ¬¬p"))
    result = session.apply(session.initial_state, tactic)
    assert isinstance(result, (Success, ProofComplete, Failed, Timeout))
