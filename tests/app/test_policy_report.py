"""The per-round report of expert iteration over policy and value: one row per budget with every arm,
the headroom in theorems and the share each head captures; tables per tier; the mean over seeds."""

from qedjax.app.policy_report import report_lines, seeds_lines, table_lines, tier_lines
from qedjax.app.policy_round import budget_rows


def _ev(solved: dict[int, int], total: int = 40) -> dict:
    return {"budgets": [{"budget": b, "solved": n, "total": total} for b, n in solved.items()]}


def _rows(shift: int = 0):
    return budget_rows({"heuristic": _ev({3: 10, 20: 20}), "policy": _ev({3: 12 + shift, 20: 24}),
                        "ebm_policy": _ev({3: 16, 20: 30}), "ebm_minilm": _ev({3: 14, 20: 36}),
                        "ceiling": _ev({3: 20, 20: 36})}, "policy")


def test_rows_give_every_arm_the_headroom_and_the_share_captured():
    rows = _rows()
    assert [r["budget"] for r in rows] == [3, 20]
    r3, r20 = rows
    assert (r3["heuristic"], r3["policy"], r3["ebm_policy"], r3["ceiling"], r3["total"]) == (10, 12, 16, 20, 40)
    assert r3["headroom_theorems"] == 8 and r20["headroom_theorems"] == 12
    assert r3["captured_policy"] == 4 / 8 and r3["captured_minilm"] == 2 / 8
    assert r20["captured_policy"] == 6 / 12 and r20["captured_minilm"] == 1.0
    lines = table_lines(rows, "T")
    assert "learned policy" in lines[2] and "policy + head (policy)" in lines[2] and "policy + head (minilm)" in lines[2]
    assert lines[4].startswith("| 3 | 10/40 | 12/40 | 16/40 | 14/40 | 20/40 | 8 | 50% | 25% |")


def _result(k: int, shift: int, hard: bool) -> dict:
    probe = {"n_positive": 5, "n_negative": 7, "centroid_l2": 1.5, "norm_gap": 0.1, "delta_cosine": 0.01,
             "logreg_cv_accuracy": 0.8}
    return {"iteration": k, "table": _rows(shift), "hard_table": _rows(shift) if hard else None,
            "probe": {"candidate": probe}, "quality": {},
            "policy": {"adopted": False, "from_iteration": 0, "candidate_valid_solved": [1, 2],
                       "kept_valid_solved": [1, 3], "reasons": ["it solves 2 validation theorems"], "forced": False}}


def test_the_report_has_a_table_per_tier_the_decision_probe_and_round_times():
    results = {"iterations": [_result(1, 0, True)], "seconds": {"iter1.search": 10.0, "iter1.policy": 5.0,
                                                                "eval_policy_only": 3.0}}
    text = "\n".join(report_lines(results))
    assert "Hard tier" in text and text.count("| 20 |") == 2
    assert "the new LM was refused: it solves 2 validation theorems" in text
    assert "| candidate | 5+7 | 1.500 |" in text
    assert "Round 1 step times (s): search 10, policy 5 = 15 s" in text


def test_seeds_give_each_seed_and_the_mean():
    results = {s: {"iterations": [_result(1, s, False)], "seconds": {"iter1.search": 10.0 * (s + 1)}} for s in (0, 2)}
    text = "\n".join(seeds_lines(results))
    assert "| 3 | 10 / 10 (10.0) | 12 / 14 (13.0) |" in text
    assert "Hard" not in text and "round time (s): 10, 30" in text


def _per_theorem(proofs: dict[str, int | None]) -> dict:
    return {"per_theorem": [{"name": n, "proved": e is not None, "expansions_to_proof": e} for n, e in proofs.items()]}


def test_difficulty_rows_count_each_arm_per_difficulty_and_budget():
    from qedjax.app.policy_round import difficulty_rows
    from qedjax.app.stages import TheoremSet
    from qedjax.interfaces import Theorem

    theorems = TheoremSet([Theorem("a", "", {"difficulty": 1}), Theorem("b", "", {"difficulty": 1}),
                           Theorem("c", "", {"difficulty": 9}), Theorem("x", "", {})], "f", "test")
    arms = {"policy": _per_theorem({"a": 2, "b": 7, "c": None, "x": 1}),
            "ebm_policy": _per_theorem({"a": 1, "b": 3, "c": 20, "x": None})}
    rows = difficulty_rows(arms, theorems, [20, 3])
    assert rows == [{"difficulty": 1, "total": 2, "budgets": [3, 20], "policy": [1, 2], "ebm_policy": [2, 2]},
                    {"difficulty": 9, "total": 1, "budgets": [3, 20], "policy": [0, 0], "ebm_policy": [0, 1]}]
    # a theorem file without difficulties gives no per-difficulty rows
    assert difficulty_rows(arms, TheoremSet([Theorem("a", "")], "f", "test"), [3]) == []
    text = "\n".join(tier_lines(rows, "T:"))
    assert "budgets 3/20" in text and "| 1 | 2 | 1/2 | 2/2 |" in text and "| 9 | 1 | 0/0 | 0/1 |" in text


def test_the_report_and_the_seed_table_give_every_difficulty():
    tiers = [{"difficulty": 9, "total": 20, "budgets": [3, 20], "heuristic": [1, 4], "policy": [2, 6]}]
    results = {s: {"iterations": [{**_result(1, 0, True), "tiers": [
        {**tiers[0], "policy": [2, 6 + s]}]}], "seconds": {}} for s in (0, 1)}
    assert "| 9 | 20 | 1/4 | 2/6 |" in "\n".join(report_lines(results[0]))
    assert "| 9 | 20 | 4 / 4 (4.0) | 6 / 7 (6.5) |" in "\n".join(seeds_lines(results))


def test_per_difficulty_columns_follow_the_budget_tables_order_whatever_the_stored_order():
    row = {"budgets": [20], "ceiling": [9], "difficulty": 9, "ebm_minilm": [5], "heuristic": [1], "policy": [3],
           "total": 20}  # as read back from a JSON file written with sorted keys
    assert tier_lines([row], "T")[2] == ("| difficulty | theorems | heuristic | learned policy | "
                                         "policy + head (minilm) | ceiling (distance) |")
    assert tier_lines([row], "T")[4] == "| 9 | 20 | 1 | 3 | 5 | 9 |"
