"""Embedding cache: incremental, resumable after a kill, provenance-checked, NaN/zero guarded."""

import numpy as np
import pytest

from encoder_bridge.cache import encode_to_cache, read_states
from qedjax.data.embeddings import read_embeddings
from qedjax.errors import DataError, ProvenanceError


class FakeEncoder:
    """Deterministic stand-in with a configurable provenance; can poison chosen states."""

    def __init__(self, template="raw", poison=()):
        self.truncated = 0
        self.calls = []
        self.poison = dict(poison)
        self.provenance = {"model": "fake", "revision": "1", "dtype": "float32", "pooling": "mean",
                           "template": template, "normalizer": "none", "max_length": 64, "dim": 4}

    def encode(self, states, progress=None):
        self.calls.append(list(states))
        out = np.stack([np.array([len(s), s.count("⊢") + 1, hash(s) % 97 + 1, 1.0], np.float32)
                        for s in states])
        for i, s in enumerate(states):
            if s in self.poison:
                out[i] = self.poison[s]
        return out


def test_incremental_and_dedup(tmp_path):
    out = tmp_path / "c.parquet"
    s1 = encode_to_cache(FakeEncoder(), ["a", "b", "a", ""], out)
    assert (s1.total, s1.encoded, s1.cached) == (2, 2, 0)
    enc = FakeEncoder()
    s2 = encode_to_cache(enc, ["b", "c", "d"], out)
    assert (s2.encoded, s2.cached) == (2, 1) and enc.calls == [["c", "d"]]
    states, vecs, prov = read_embeddings(out)
    assert sorted(states) == ["a", "b", "c", "d"] and prov["model"] == "fake"


def test_resume_after_kill(tmp_path):
    out = tmp_path / "c.parquet"
    states = [f"s{i}" for i in range(10)]

    class Killed(Exception):
        pass

    def die(n):
        if n == 2:
            raise Killed

    with pytest.raises(Killed):
        encode_to_cache(FakeEncoder(), states, out, checkpoint_every=3, after_shard=die)
    assert not out.exists()  # the final file is only written when complete …
    assert len(list((tmp_path / "c.parquet.partial").glob("shard-*.parquet"))) == 2  # … shards are
    enc = FakeEncoder()
    s = encode_to_cache(enc, states, out, checkpoint_every=3)
    assert s.cached == 6 and s.encoded == 4
    assert enc.calls == [["s6", "s7", "s8"], ["s9"]]  # nothing encoded twice
    got, vecs, _ = read_embeddings(out)
    assert sorted(got) == sorted(states) and len(got) == 10
    assert not (tmp_path / "c.parquet.partial").exists()


def test_provenance_mismatch_refused_unless_overwrite(tmp_path):
    out = tmp_path / "c.parquet"
    encode_to_cache(FakeEncoder(), ["a"], out)
    before = out.read_bytes()
    with pytest.raises(ProvenanceError, match="template"):
        encode_to_cache(FakeEncoder(template="reprover"), ["b"], out)
    assert out.read_bytes() == before  # untouched
    s = encode_to_cache(FakeEncoder(template="reprover"), ["b"], out, overwrite=True)
    states, _, prov = read_embeddings(out)
    assert states == ["b"] and prov["template"] == "reprover" and s.encoded == 1


def test_nan_and_zero_embeddings_rejected_with_count(tmp_path):
    out = tmp_path / "c.parquet"
    enc = FakeEncoder(poison={"bad": np.full(4, np.nan, np.float32), "zero": np.zeros(4, np.float32)})
    s = encode_to_cache(enc, ["ok", "bad", "zero", "ok2"], out)
    assert s.rejected == 2 and s.encoded == 2
    states, vecs, _ = read_embeddings(out)
    assert sorted(states) == ["ok", "ok2"] and np.isfinite(vecs).all()


def test_read_states_formats(tmp_path):
    from .conftest import lean_data

    probe, sample, records = lean_data()
    st = read_states([probe])
    assert len(st) == 400
    st = read_states([sample])
    assert len(st) > 4 * records and all(s != "no goals" for s in st)
    bad = tmp_path / "x.json"
    bad.write_text('[{"foo": 1}]')
    with pytest.raises(DataError, match="state_pp"):
        read_states([bad])


def test_read_states_names_a_parquet_file_without_its_suffix_and_reads_json_lines(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"state_pp": ["⊢ p", "⊢ q"]}), tmp_path / "states.parquet")
    assert read_states([tmp_path / "states.parquet"]) == ["⊢ p", "⊢ q"]
    (tmp_path / "states.json").write_bytes((tmp_path / "states.parquet").read_bytes())
    with pytest.raises(DataError, match="a Parquet file; name it with the .parquet suffix"):
        read_states([tmp_path / "states.json"])
    lines = tmp_path / "states.jsonl"
    lines.write_text('{"state_pp": "⊢ p"}\n\n{"state_pp": "⊢ r"}\n', encoding="utf-8")
    assert read_states([lines]) == ["⊢ p", "⊢ r"]
    lines.write_text('{"state_pp": "⊢ p"}\n{"state_pp": \n', encoding="utf-8")
    with pytest.raises(DataError, match=r"states.jsonl: not valid JSON \(.* at line 2\)"):
        read_states([lines])
