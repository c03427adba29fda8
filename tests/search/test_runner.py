"""The multi-theorem runner: worker processes give the same results; a bad theorem is recorded."""

from functools import partial

import pyarrow.parquet as pq
import pytest

from qedjax.app.parts import PartsSpec, build_parts
from qedjax.interfaces import Theorem
from qedjax.search.config import SearchConfig
from qedjax.search.runner import run_search


@pytest.mark.multiprocess
def test_workers_match_single_process(tmp_path):
    th = [Theorem(f"w{i}", s) for i, s in enumerate([
        "theorem a (p q : Prop) : p ∧ q → q ∧ p", "theorem b (p q : Prop) : p ∨ q → q ∨ p",
        "theorem c (p : Prop) : ¬¬p → p", "theorem d (p q r : Prop) : (p → q) → (q → r) → p → r"])]
    cfg = SearchConfig(max_nodes=100)
    factory = partial(build_parts, PartsSpec())
    one = run_search(th, factory, cfg, tmp_path / "one.parquet")
    two = run_search(th, factory, cfg, tmp_path / "two.parquet", workers=2)
    key = lambda rows: [(r["theorem"], r["proved"], r["proof"]) for r in rows]
    assert key(one.rows) == key(two.rows) and one.solved >= 3
    assert pq.read_table(tmp_path / "two.parquet").num_rows == pq.read_table(tmp_path / "one.parquet").num_rows


def test_unparseable_theorem_is_recorded_and_the_run_goes_on(tmp_path):
    th = [Theorem("bad", "theorem bad (p : Prop) : p ⊕ p"), Theorem("ok", "theorem ok (p : Prop) : p → p")]
    s = run_search(th, partial(build_parts, PartsSpec()), SearchConfig(), tmp_path / "o.parquet")
    by = {r["theorem"]: r for r in s.rows}
    assert by["bad"]["failure_reason"].startswith("error: ParseError") and by["ok"]["proved"]
