"""The report's statistics against reference computations written from first principles."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from exercises.reports import stats as st


@pytest.fixture(scope="module")
def cohort():
    rng = np.random.default_rng(7)
    n, k = 200, 6
    theta = rng.normal(size=n)
    frac = (rng.random((n, k)) < 1 / (1 + np.exp(-(theta[:, None] - np.linspace(-1, 1, k))))).astype(float)
    frac[:, 5] = np.round(rng.random(n) * 4) / 4  # a partial-credit item
    points = np.array([1, 1, 2, 1, 1, 4], dtype=float)
    return frac, points


def _pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def test_facility_is_the_mean_fraction_of_the_points(cohort):
    frac, _ = cohort
    assert st.facility(frac) == pytest.approx([sum(frac[:, j]) / len(frac) for j in range(frac.shape[1])])


def test_item_rest_correlation_is_pearson_against_the_total_of_the_other_items(cohort):
    frac, points = cohort
    got = st.item_rest(frac, points)
    for j in range(frac.shape[1]):
        rest = [sum(frac[i, m] * points[m] for m in range(frac.shape[1]) if m != j) for i in range(len(frac))]
        assert got[j] == pytest.approx(_pearson(list(frac[:, j]), rest), abs=1e-12)


def test_upper_lower_index_compares_the_top_and_bottom_27_percent(cohort):
    frac, points = cohort
    n = len(frac)
    totals = [(sum(frac[i] * points), i) for i in range(n)]
    ranked = [i for _, i in sorted(totals, key=lambda t: t[0])]  # stable: ties keep row order
    g = round(0.27 * n)
    low, up = ranked[:g], ranked[-g:]
    got = st.upper_lower(frac, points)
    for j in range(frac.shape[1]):
        expect = sum(frac[i, j] for i in up) / g - sum(frac[i, j] for i in low) / g
        assert got[j] == pytest.approx(expect)


def test_alpha_matches_the_textbook_formula_and_is_kr20_for_right_wrong_items(cohort):
    frac, points = cohort
    scores = frac * points
    k = scores.shape[1]
    item_var = sum(np.var(scores[:, j], ddof=1) for j in range(k))
    alpha = k / (k - 1) * (1 - item_var / np.var(scores.sum(axis=1), ddof=1))
    assert st.cronbach_alpha(scores) == pytest.approx(alpha)
    right_wrong = frac[:, :5]
    p = right_wrong.mean(axis=0)
    kr20 = 5 / 4 * (1 - sum(p * (1 - p)) / np.var(right_wrong.sum(axis=1)))
    rel = st.reliability(right_wrong, np.ones(5))
    assert rel["name"] == "KR-20" and rel["value"] == pytest.approx(kr20)
    assert rel["low"] < rel["value"] < rel["high"] and not rel["caveat"]
    assert st.reliability(frac, points)["name"] == "Cronbach's alpha"


def test_pick_rates_count_every_option_and_no_answer():
    picks = ["a", "b", "a", None, ["a", "c"]]
    rates, counts = st.pick_rates(picks, ["a", "b", "c", "d"])
    assert counts == {"a": 3, "b": 1, "c": 1, "d": 0, "(no answer)": 1}
    assert rates["a"] == pytest.approx(3 / 5)
    assert st.pick_rates(picks, ["a", "b"], np.array([1, 3]))[1] == {"a": 0, "b": 1, "(no answer)": 1}


def test_two_proportion_z_is_the_pooled_z():
    p1, p2, n = 0.6, 0.4, 100
    pooled = 0.5
    assert st.two_proportion_z(p1, n, p2, n) == pytest.approx(0.2 / math.sqrt(pooled * pooled * 2 / n))


def test_histogram_puts_full_marks_in_the_last_bin_and_counts_everyone():
    bins = st.histogram(np.array([0.0, 0.05, 0.1, 0.55, 1.0, 1.0]))
    assert [b["count"] for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]


def test_small_cohorts_get_not_enough_responses_never_a_number():
    frac = np.ones((5, 3))
    assert [str(x) for x in st.facility(frac)] == ["not enough responses (5)"] * 3
    assert str(st.item_rest(np.ones((12, 3)), np.ones(3))[0]) == "not enough responses (12)"
    assert str(st.upper_lower(np.ones((12, 3)), np.ones(3))[0]) == "not enough responses (12)"
    rel = st.reliability(np.ones((12, 3)), np.ones(3))
    assert str(rel["value"]) == "not enough responses (12)" and "12 students" in rel["caveat"]


def test_a_statistic_without_variance_is_undefined_not_a_number():
    frac = np.zeros((40, 3))
    frac[:20, 1] = 1.0
    frac[::2, 2] = 1.0
    r = st.item_rest(frac, np.ones(3))
    assert str(r[0]) == "undefined (everyone scored the same on it)"
    assert st.is_number(r[1])


def test_a_small_but_measurable_cohort_gets_the_caveat_with_its_interval(cohort):
    frac, points = cohort
    rel = st.reliability(frac[:40], points)
    assert st.is_number(rel["value"]) and "only 40 students" in rel["caveat"] and "95 % interval" in rel["caveat"]


def test_distribution_counts_each_level_of_partial_credit():
    assert st.distribution(np.array([0, 0.5, 0.5, 1, 1 / 3])) == [
        {"fraction": 0.0, "count": 1}, {"fraction": 0.33, "count": 1}, {"fraction": 0.5, "count": 2},
        {"fraction": 1.0, "count": 1}]
    assert Counter(d["count"] for d in st.distribution(np.ones(4))) == {4: 1}
