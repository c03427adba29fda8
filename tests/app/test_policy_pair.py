"""The kept pair: a round whose new policy, with the head trained for it, does worse on the validation
split than the kept policy with its head keeps that pair (a head on the policy's features is retrained
with every new policy, so keeping the better head alone could not)."""

from qedjax.app.policy_round import KeptPolicy, ValueHead, pair_refusal

KEPT = KeptPolicy("w/iter1/policy", 1, (80, 110, 150, 175), "w/iter1/policy")
OLD = ValueHead("w/iter1/ebm", 4.0, 0.06, (85, 120, 160, 185), 1, "w/iter1/policy")


def head(solved):
    return ValueHead("w/iter2/ebm", 4.0, 0.06, tuple(solved), 2, "w/iter2/policy")


def test_a_new_pair_that_solves_less_on_validation_is_refused_with_both_counts():
    why = pair_refusal(KEPT, OLD, head((85, 118, 158, 184)), changed=True, keep_best=True)
    assert "[85, 118, 158, 184]" in why and "[85, 120, 160, 185]" in why and "r1" in why


def test_a_pair_as_good_or_better_is_taken():
    assert pair_refusal(KEPT, OLD, head((85, 120, 160, 185)), True, True) == ""  # a tie: the new one
    # ranked as heads are: the sum over budgets first, then the largest budget
    assert pair_refusal(KEPT, OLD, head((90, 125, 160, 183)), True, True) == ""
    assert pair_refusal(KEPT, OLD, head((80, 115, 155, 190)), True, True) != ""


def test_nothing_to_compare_or_the_policy_unchanged_or_keep_best_off():
    worse = head((1, 2, 3, 4))
    assert pair_refusal(KEPT, OLD, worse, changed=False, keep_best=True) == ""  # the head's own rule applies
    assert pair_refusal(KEPT, OLD, worse, changed=True, keep_best=False) == ""
    assert pair_refusal(KeptPolicy(), ValueHead(), worse, changed=True, keep_best=True) == ""  # round 1: no head
