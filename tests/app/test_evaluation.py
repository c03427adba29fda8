"""The one eval shape, the one compare rule, value scorers from caches, and the value-used check."""

import numpy as np
import pytest

from qedjax.app.evaluation import compare, eval_result, headroom, load_eval, solved_within
from qedjax.app.parts import PartsSpec, check_spec
from qedjax.app.runs import check_value_used
from qedjax.app.scorers import CachedEmbeddingScorer, LengthScorer
from qedjax.errors import ConfigError, DataError
from qedjax.search.engine import SearchStats


def row(name, proved, used=None):
    return {"theorem": name, "proved": proved, "expansions_to_proof": used if proved else None,
            "nodes_expanded": used or 20, "wall_time_ms": 5, "failure_reason": "proved" if proved else
            "budget_exhausted", "proof": ["t"] * (used or 0)}


def test_eval_result_counts_per_budget_and_pass_n():
    a0 = [row("x", True, 3), row("y", False), row("z", True, 15)]
    a1 = [row("x", False), row("y", True, 4), row("z", True, 9)]
    r = eval_result([a0, a1], [5, 20, 10], {"ebm_path": "e"}, {"expanded": 1})
    assert [(b["budget"], b["solved"]) for b in r["budgets"]] == [(5, 2), (10, 3), (20, 3)]
    assert r["pass_n"] == 2 and r["solved"] == 3 and r["ebm_path"] == "e" and r["search_stats"] == {"expanded": 1}
    by = {t["name"]: t for t in r["per_theorem"]}
    assert by["z"]["expansions_to_proof"] == 9 and by["y"]["attempts_proved"] == 1


def test_compare_counts_only_common_theorems():
    a = eval_result([[row("x", True, 3), row("y", False), row("gone", True, 2)]], [5, 20], {})
    b = eval_result([[row("x", True, 12), row("y", True, 4), row("new", True, 1)]], [5, 20], {})
    out = compare(a, b)
    assert out["common_theorems"] == 2 and out["only_in_a"] == ["gone"] and out["only_in_b"] == ["new"]
    assert [(r["budget"], r["a_solved"], r["b_solved"], r["total"]) for r in out["rows"]] == [(5, 1, 1, 2), (20, 1, 2, 2)]
    assert out["gained"] == ["y"] and out["lost"] == []  # "new" is not gained, "gone" is not lost
    assert out["rows"][1]["delta_pp"] == pytest.approx(50.0)
    swapped = compare(b, a)
    assert swapped["lost"] == ["y"] and swapped["gained"] == []


def test_compare_reads_burn_qed_results_without_budgets(tmp_path):
    import json

    p = tmp_path / "bq.json"
    p.write_text(json.dumps({"max_rounds": 600, "per_theorem": [{"name": "x", "proved": True},
                                                                {"name": "y", "proved": False}]}))
    a = load_eval(p)
    assert solved_within(a["per_theorem"][0], 600)
    out = compare(a, a)
    assert out["rows"][0]["budget"] == 600 and out["rows"][0]["a_solved"] == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(DataError, match="not an eval result"):
        load_eval(bad)


def test_headroom():
    assert headroom(162, 189, 240) == pytest.approx(27 / 78)
    assert headroom(10, 10, 10) is None


class FakeHead:
    provenance = {"model": "m", "dim": 2}

    def energies(self, emb, provenance=None):
        return emb.sum(axis=1)


def test_cache_scorer_misses_only_the_missing_state():
    s = CachedEmbeddingScorer(["a", "b"], np.array([[1.0, 1.0], [2.0, 0.5]], np.float32), FakeHead(),
                              {"model": "m", "dim": 2})
    out = s.score(["a", "zzz", "b"])
    assert out[0] == -2.0 and np.isnan(out[1]) and out[2] == -2.5 and s.missing == 1
    with pytest.raises(Exception, match="records no encoder provenance"):
        CachedEmbeddingScorer(["a"], np.ones((1, 2), np.float32), FakeHead(), None)


def test_value_guided_run_that_scored_nothing_is_refused():
    stats = SearchStats(generated=40, scorer_failures=40, states_scored=0)
    with pytest.raises(DataError, match="scored none of the 40 states"):
        check_value_used(PartsSpec(ebm="dir"), stats)
    check_value_used(PartsSpec(), stats)  # policy-only: nothing to check
    check_value_used(PartsSpec(ebm="dir"), SearchStats(generated=40, states_scored=3, scorer_failures=37))


def test_specs_are_checked_before_any_work(tmp_path):
    with pytest.raises(ConfigError, match="needs --ebm"):
        check_spec(PartsSpec(embeddings=str(tmp_path / "e.parquet")))
    with pytest.raises(DataError, match="not found"):
        check_spec(PartsSpec(ebm=str(tmp_path / "nope")))
    with pytest.raises(ConfigError, match="only for the prop"):
        check_spec(PartsSpec(env="leandojo", policy="hf", value="distance"))
    assert list(LengthScorer().score(["ab", "abcd"])) == [-2.0, -4.0]


class FakeEncoder:
    """Deterministic 'embeddings' of a state, counting what it is asked to encode."""

    provenance = {"model": "fake", "revision": "1", "dim": 3}
    truncated = 0

    def __init__(self):
        self.asked = []

    def encode(self, states, progress=None):
        self.asked += list(states)
        return np.array([[len(s), s.count("p") + 1.0, 1.0] for s in states], np.float32)


def test_ebm_scorer_memo_is_seeded_from_a_cache_and_feeds_the_next_encode(tmp_path):
    from qedjax.app.scorers import EBMScorer
    from qedjax.data.embeddings import read_shards, write_embeddings

    cache = tmp_path / "emb.parquet"
    write_embeddings(cache, ["p", "q"], np.array([[1, 2, 1], [1, 1, 1]], np.float32), FakeEncoder.provenance)
    head = FakeHead()
    head.provenance = FakeEncoder.provenance
    enc = FakeEncoder()
    s = EBMScorer(enc, head, memo_path=cache)
    out = s.score(["p", "pp", "q", "pp"])
    assert enc.asked == ["pp"] and s.encoded == 1 and s.last_encoded == {"pp"}  # p, q came from the cache
    assert list(out) == [-4.0, -6.0, -3.0, -6.0]
    s.flush()
    states, vecs = read_shards(cache, FakeEncoder.provenance)
    assert states == ["pp"] and vecs[0].tolist() == [[2.0, 3.0, 1.0]]
    # a new scorer (the next round) sees the shard too and encodes nothing
    enc2 = FakeEncoder()
    EBMScorer(enc2, head, memo_path=cache).score(["pp", "q"])
    assert enc2.asked == []
    # the encode step counts the shard as cached
    from encoder_bridge.cache import encode_to_cache

    enc3 = FakeEncoder()
    summary = encode_to_cache(enc3, ["p", "pp", "qq"], cache)
    assert enc3.asked == ["qq"] and summary.cached == 2


def test_a_memo_from_another_encoder_is_refused(tmp_path):
    from qedjax.app.scorers import EBMScorer
    from qedjax.data.embeddings import write_embeddings
    from qedjax.errors import ProvenanceError

    cache = tmp_path / "emb.parquet"
    write_embeddings(cache, ["p"], np.ones((1, 3), np.float32), dict(FakeEncoder.provenance, quantize="int8-dynamic"))
    head = FakeHead()
    head.provenance = FakeEncoder.provenance
    with pytest.raises(ProvenanceError, match="quantize"):
        EBMScorer(FakeEncoder(), head, memo_path=cache)
