"""Written items' statistics (ready for rubric levels): distribution and marker agreement."""
from __future__ import annotations

import pytest

from exercises.reports.written import level_distribution, marker_agreement

SCALE = ("weak", "fair", "good")


def test_level_distribution_counts_every_level_and_leaves_out_unmarked_answers():
    assert level_distribution(["good", "fair", None, "good"], SCALE) == {"weak": 0, "fair": 1, "good": 2}


def test_marker_agreement_is_cohens_kappa_on_the_answers_both_marked():
    first = ["good"] * 6 + ["fair"] * 4 + ["weak"] * 2 + [None]
    second = ["good"] * 5 + ["fair"] * 5 + ["weak"] * 2 + ["good"]
    got = marker_agreement(first, second, SCALE)
    observed = 11 / 12
    expected = (6 * 5 + 4 * 5 + 2 * 2) / 144  # the chance of agreeing, from each marker's own level shares
    assert got["n"] == 12
    assert got["agreement"] == pytest.approx(observed)
    assert got["kappa"] == pytest.approx((observed - expected) / (1 - expected))


def test_too_few_double_marked_answers_give_not_enough_responses():
    got = marker_agreement(["good", "fair", None], ["good", None, "fair"], SCALE)
    assert str(got["kappa"]) == "not enough responses (1)"
