"""Choosing T_ebm with few validation searches: the climb over the grid stops at a peak, walks past the
grid's edge when the best is there, and prefers the larger temperature on ties."""

import numpy as np
import pytest

from qedjax.app.temperatures import best_choice, climb, multiplier, validation_score, value_spread

GRID = (0.5, 0.25, 0.125, 0.0625, 0.03125)


def _climb(scores: dict[int, int], grid=GRID, widen=3):
    calls = []

    def solved_at(i):
        calls.append(i)
        return [0, scores.get(i, 0)]

    tried = climb(grid, solved_at, widen)
    best = max(tried, key=lambda i: (validation_score(tried[i]), -i))
    return best, calls


def test_the_grid_continues_past_both_edges():
    assert [multiplier(GRID, i) for i in (-2, -1, 0, 4, 5, 6)] == [2.0, 1.0, 0.5, 0.03125, 0.015625, 0.0078125]
    assert multiplier((0.03125, 0.5, 0.125, 0.25, 0.0625), 0) == 0.5  # any order: largest first
    assert multiplier((1.0,), 1) == 0.5


def test_a_peak_in_the_middle_costs_three_searches():
    best, calls = _climb({0: 170, 1: 175, 2: 180, 3: 178, 4: 172})
    assert best == 2 and sorted(calls) == [1, 2, 3]


def test_the_walk_goes_to_the_better_side_and_past_the_edge():
    best, calls = _climb({2: 170, 3: 175, 4: 178, 5: 181, 6: 183, 7: 182})
    assert best == 6 and calls == [2, 1, 3, 4, 5, 6, 7]
    best, calls = _climb({i: 100 + i for i in range(20)})  # better without end: at most 3 steps past the edge
    assert best == 7 and max(calls) == 7
    best, calls = _climb({0: 190, 1: 185, 2: 180, -1: 189})
    assert best == 0 and calls == [2, 1, 3, 0, -1]


def test_ties_go_to_the_larger_temperature_and_one_point_is_one_search():
    best, calls = _climb({1: 180, 2: 180, 3: 180})
    assert best == 1 and calls == [2, 1, 3, 0]
    assert _climb({0: 5}, grid=(1.0,)) == (0, [0])
    tried = [{"t_ebm": 1.0, "solved": [3, 9]}, {"t_ebm": 2.0, "solved": [4, 9]}, {"t_ebm": 4.0, "solved": [4, 9]}]
    assert best_choice(tried)["t_ebm"] == 4.0


def test_the_sum_over_budgets_ranks_first_then_the_largest_budget():
    """One more theorem at the largest budget does not outweigh fewer at every smaller one."""
    tried = [{"t_ebm": 0.2, "solved": [47, 64, 90, 100]}, {"t_ebm": 0.8, "solved": [44, 60, 88, 104]}]
    assert best_choice(tried)["t_ebm"] == 0.2
    assert validation_score([47, 64, 90, 100]) > validation_score([44, 60, 88, 104])
    assert validation_score([40, 60, 90, 101]) > validation_score([41, 60, 90, 100])  # equal sums: the largest budget
    scores = {1: [40, 60, 80, 104], 2: [45, 64, 90, 100], 3: [40, 60, 85, 100]}
    tried = climb(GRID, lambda i: scores.get(i, [0, 0, 0, 0]))
    assert max(tried, key=lambda i: (validation_score(tried[i]), -i)) == 2


@pytest.mark.parametrize("widen", [0, 1])
def test_widening_is_bounded(widen):
    best, calls = _climb({i: 100 + i for i in range(20)}, widen=widen)
    assert best == 4 + widen and max(calls) == 4 + widen


def test_value_spread_scores_a_seeded_sample_of_distinct_states():
    states = [f"s{i % 5000}" for i in range(12000)] + ["", ""]
    seen = []

    def score(batch):
        seen.append(list(batch))
        return np.array([float(s[1:]) for s in batch])

    got = value_spread(score, states, seed=3, sample=500)
    assert len(seen) == 1 and len(seen[0]) == 500 and len(set(seen[0])) == 500 and "" not in seen[0]
    assert value_spread(score, list(reversed(states)), seed=3, sample=500) == got  # order does not matter
    assert seen[1] == seen[0]
    full = np.std(np.arange(5000.0))
    assert abs(got - full) / full < 0.1  # a sample's std estimates the whole set's
    assert value_spread(score, states[:40], seed=3, sample=500) == pytest.approx(np.std(np.arange(40.0)))


def test_value_spread_of_a_constant_value_or_no_states_is_one():
    assert value_spread(lambda b: np.zeros(len(b)), ["a", "b"], seed=0) == 1.0
    assert value_spread(lambda b: np.zeros(len(b)), [], seed=0) == 1.0
