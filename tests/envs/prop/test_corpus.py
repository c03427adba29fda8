"""Real propositional Lean 4 proofs (tests/data/prop_corpus, see SOURCES.md): accepted as written,
and never accepted when they are wrong."""

from pathlib import Path

import pytest

from qedjax.envs.prop.check import check_lean_text
from qedjax.envs.prop.oracle import goal_provable
from qedjax.envs.prop.variants import false_variants

CORPUS = Path(__file__).resolve().parents[2] / "data" / "prop_corpus"
REAL = sorted(p for p in CORPUS.glob("*.lean") if p.name != "wrong_variants.lean")


def test_corpus_is_vendored_with_attribution():
    assert len(REAL) >= 8
    sources = (CORPUS / "SOURCES.md").read_text()
    for p in REAL:
        assert p.name.split("_sheet")[0] in sources or p.name in sources
    assert "Apache License" in (CORPUS / "LICENSE-Apache-2.0.txt").read_text()


def test_at_least_ninety_percent_of_real_proofs_are_accepted_as_written():
    total = accepted = 0
    for path in REAL:
        results, file_diags = check_lean_text(path.read_text(encoding="utf-8"))
        assert not file_diags, (path.name, file_diags)
        total += len(results)
        accepted += sum(r.proved for r in results)
    assert total >= 200
    assert accepted / total >= 0.9, f"{accepted}/{total}"


def test_every_accepted_statement_is_a_tautology():
    goals = {}
    for path in REAL:
        def keep(label, goal, path=path):
            goals[(path.name, label)] = goal
            return goal
        results, _ = check_lean_text(path.read_text(encoding="utf-8"), goal_transform=keep)
        for r in results:
            if r.proved:
                assert goal_provable(goals[(path.name, r.name)]), (path.name, r.name)


def test_wrong_variants_are_all_rejected():
    results, file_diags = check_lean_text((CORPUS / "wrong_variants.lean").read_text(encoding="utf-8"))
    assert not file_diags
    assert len(results) >= 35
    accepted = [r.name for r in results if r.proved]
    assert accepted == []
    assert all(r.diagnostics for r in results)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_proofs_never_prove_false_statements(path):
    """Each real proof script is run against up to 8 false variants of its own statement."""
    text = path.read_text(encoding="utf-8")
    tried = 0
    for k in range(8):
        mutated = {}

        def transform(label, goal, k=k):
            cands = false_variants(goal)
            if k < len(cands):
                mutated[label] = cands[k]
                return cands[k]
            return goal
        results, _ = check_lean_text(text, goal_transform=transform)
        for r in results:
            if r.name in mutated:
                tried += 1
                assert not r.proved, (path.name, r.name, mutated[r.name])
    assert tried >= 10
