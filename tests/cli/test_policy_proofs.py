"""Which found proofs the tactic LM trains on: every one, or each theorem's shortest (``[policy] proofs``,
``qed train-policy --proofs``), read from real heuristic searches of the same theorems at two depth
bonuses, whose proofs differ in length."""

import re
from collections import defaultdict

import pytest
from click.testing import CliRunner
from qedjax_cli.main import qed

from encoder_bridge.policy.data import prepare, read_steps
from qedjax.app.iterate_config import load_iterate_config
from qedjax.data.proof_paths import proof_path_steps
from qedjax.errors import ConfigError
from tests.encoder_bridge.test_policy import TINY_TOML


def _search(out, depth_bonus: float, theorems: int = 80):
    from qedjax.app.parts import PartsSpec, parts_factory
    from qedjax.envs.prop.bench import shipped_benchmark_path
    from qedjax.search.config import SearchConfig
    from qedjax.search.runner import run_search
    from qedjax.search.theorems import load_theorems

    thms = [t for t in load_theorems(shipped_benchmark_path(), "train") if t.extra.get("difficulty", 0) >= 3]
    run_search(thms[:theorems], parts_factory(PartsSpec()),
               SearchConfig(max_nodes=30, num_candidates=8, probe_tactics="none", depth_bonus=depth_bonus), out)
    return out


@pytest.fixture(scope="module")
def searches(tmp_path_factory):
    d = tmp_path_factory.mktemp("proofs")
    return [_search(d / "b0.parquet", 0.0), _search(d / "b3.parquet", 3.0)]


def _by_theorem(steps) -> dict:
    out = defaultdict(list)
    for s in steps:
        out[s["theorem"]].append((s["state"], s["tactic"], s["depth"]))
    return out


def test_shortest_keeps_each_theorems_proof_with_the_fewest_steps(searches):
    per_file = [_by_theorem(proof_path_steps([p])) for p in searches]
    shortest = _by_theorem(proof_path_steps(searches, "shortest"))
    assert set(shortest) == set(per_file[0]) | set(per_file[1])
    differ = 0
    for thm, got in shortest.items():
        proofs = [f[thm] for f in per_file if thm in f]
        want = min(proofs, key=len)  # min keeps the first of equals: the earlier file's on a tie
        assert got == want, thm
        differ += len({len(p) for p in proofs}) > 1
    assert differ >= 3  # the two searches found proofs of different lengths, so the choice mattered
    everything = proof_path_steps(searches)
    assert len(everything) > sum(len(p) for p in shortest.values())
    assert proof_path_steps(searches[::-1], "shortest") != [] and proof_path_steps(searches) == everything
    with pytest.raises(ValueError, match="proofs"):
        proof_path_steps(searches, "longest")


def test_train_policy_trains_on_the_shortest_proofs_when_asked(searches, tmp_path):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY_TOML)
    counts = {}
    for proofs in ("all", "shortest"):
        res = CliRunner().invoke(qed, ["train-policy", *[a for p in searches for a in ("--trajectories", str(p))],
                                       "--proofs", proofs, "--output", str(tmp_path / proofs), "--config", str(cfg),
                                       "--steps", "1", "--quiet"])
        assert res.exit_code == 0, res.output
        counts[proofs] = int(re.search(r"(\d+) training pairs", res.output).group(1))
        data = prepare(read_steps(searches, proofs), 0.1, 0)
        assert counts[proofs] == data.stats["train_pairs"]
    assert counts["shortest"] < counts["all"]


def test_an_unknown_proof_selection_is_refused_when_the_config_is_read(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[policy]\nproofs = "longest"\n')
    with pytest.raises(ConfigError, match="proofs must be one of all, shortest"):
        load_iterate_config(bad)
    bad.write_text('[policy]\nproofs = "shortest"\n')
    assert load_iterate_config(bad).policy.proofs == "shortest"


def test_export_proof_paths_writes_the_proofs_train_policy_would_read(searches, tmp_path):
    import json

    for proofs in ("all", "shortest"):
        out = tmp_path / f"{proofs}.jsonl"
        res = CliRunner().invoke(qed, ["export-proof-paths", *map(str, searches), "--proofs", proofs,
                                       "--output", str(out)])
        assert res.exit_code == 0, res.output
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert rows == proof_path_steps(searches, proofs)
        assert f"{len(rows)} proof steps from {len({r['theorem'] for r in rows})} theorems" in res.output
