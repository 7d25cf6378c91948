"""The partial-credit rule of each of the ten types, and answers of the wrong shape."""
import pytest

from exercises.checking import check, normalise_text, parse_number
from exercises.canonical import within


@pytest.fixture(scope="module")
def ex(howto):
    return lambda n: howto[f"howto_ex{n}"]


def test_single_choice_scores_only_the_key_and_returns_that_options_feedback(ex):
    right, wrong = check(ex(1), "rsct"), check(ex(1), "wendt")
    assert right.score == 1 and right.parts[0].feedback.startswith("Right.")
    assert wrong.score == 0 and "Constructivism explains" in wrong.parts[0].feedback


def test_multiple_select_subtracts_wrong_picks_and_never_goes_below_zero(ex):
    assert check(ex(2), ["umbrella", "state"]).score == 2
    assert check(ex(2), ["umbrella"]).score == 1
    assert check(ex(2), ["umbrella", "governs"]).score == 0
    assert check(ex(2), ["governs"]).score == 0
    assert check(ex(2), ["umbrella", "umbrella"]).score == 1  # duplicates count once


def test_numeric_accepts_within_tolerance_and_explains_a_known_mistake(ex):
    assert check(ex(3), 128).correct and check(ex(3), "127").correct and check(ex(3), 129.0).correct
    assert not check(ex(3), 130).correct
    assert "independence" in check(ex(3), 74).parts[0].feedback
    assert check(ex(3), 200).parts[0].feedback == "Check your subtraction of the two years."


def test_short_text_ignores_case_spacing_punctuation_and_diacritics(ex):
    for variant in ("Wæver", "waever", "  WAEVER. ", "Ole Waever", "ole-wæver"):
        assert check(ex(4), variant).correct, variant
    assert not check(ex(4), "Buzan").correct
    assert "constructivist" in check(ex(4), "wendt").parts[0].feedback


def test_ordering_scores_items_in_their_right_position(ex):
    assert check(ex(5), ["durand", "kabul1996", "ttp", "kabul2021"]).score == 3
    assert check(ex(5), ["durand", "ttp", "kabul1996", "kabul2021"]).score == pytest.approx(1.5)
    assert check(ex(5), ["durand", "kabul1996"]).valid is False  # an item missing


def test_matching_and_categorisation_score_per_part_with_feedback_on_wrong_parts(ex):
    half = check(ex(6), {"anarchy": "wendt", "regions": "bw", "framework": "bw"})
    parts = {p.id: p for p in half.parts}
    assert half.score == 2 and {k: p.correct for k, p in parts.items()} == {"anarchy": True, "regions": True, "framework": False}
    assert "third author" in parts["framework"].feedback and parts["regions"].feedback == ""
    cat = check(ex(7), {"pakistan": "state", "ttp": "nonstate", "iskp": "state", "iran": "state"})
    assert cat.score == 3 and "Islamic State" in {p.id: p for p in cat.parts}["iskp"].feedback


def test_slot_coding_scores_each_slot(ex):
    r = check(ex(8), {"actor": "minister", "referent": "crossings", "audience": "parliament"})
    assert r.score == 2 and "survival" in r.parts[1].feedback


def test_relation_matrix_is_symmetric_and_scores_each_cell(ex):
    assert check(ex(9), {"ttp/pak": "enmity", "ttp/tal": "amity", "iskp/tal": "enmity"}).score == 3
    assert check(ex(9), {"pak/ttp": "enmity"}).score == 1


def test_code_compares_the_recorded_value_with_the_solution_value_without_running_student_code(ex):
    marker = "raise SystemExit('student code must never run')"
    assert check(ex(10), {"code": marker, "value": 12}).correct
    assert not check(ex(10), {"code": marker, "value": 13}).correct


@pytest.mark.parametrize("answer,shape", [
    (42, "one option id"), ({"a": 1}, "one option id"), ("nosuch", "not one of the options"),
])
def test_wrong_shapes_score_zero_with_a_message_not_an_exception(ex, answer, shape):
    r = check(ex(1), answer)
    assert r.score == 0 and not r.valid and shape in r.feedback


def test_forged_or_junk_answers_never_raise(bank):
    """Over the whole bank: whatever a submission holds, scores stay in [0, points]."""
    junk = [42, 3.5, "x" * 100000, ["a"] * 1000, {"a": {"b": 1}}, {"value": object()}, True, [None], {"x": None}]
    for ex in bank.exercises.values():
        for answer in junk:
            r = check(ex, answer)
            assert 0 <= r.score <= ex.points


def test_helpers():
    assert normalise_text("  Wæver!  ") == "waever"
    assert normalise_text("Müller-Ørsted") == "muller orsted"
    assert parse_number("79,5 %") == 79.5 and parse_number("1 066") == 1066
    with pytest.raises(ValueError):
        parse_number("seventy")
    assert within(100, 101, {"rel": 0.01}) and not within(100, 103, {"rel": 0.01})
    assert within(-5, -5.05, {"rel": 0.02}) and not within(5, -5, {"rel": 0.5})
