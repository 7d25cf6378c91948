"""The ``written`` type: rubric validation, the answer it records, checking that never scores it
zero (awaiting marking) and the sealed texts a submission opens."""
import json
from pathlib import Path

import pytest

from exercises import bank as bank_mod
from exercises import check
from exercises.checking import check_sealed, seal, submitted_texts
from exercises.types import written

FIXTURE = Path(__file__).parent / "fixtures" / "written"


@pytest.fixture(scope="module")
def ex():
    bank, problems = bank_mod.validate(FIXTURE)
    assert problems == []
    return bank["writ_ex1"]


def _problems(tmp_path, old, new):
    text = (FIXTURE / "writ.yml").read_text("utf-8")
    assert old in text
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "writ.yml").write_text(text.replace(old, new), "utf-8")
    return [str(p) for p in bank_mod.validate(folder)[1]]


@pytest.mark.parametrize("old,new,expected", [
    ("points: 5", "points: 6", "writ_ex1: points: points is 6 but the rubric's top levels add up to 5"),
    ("{label: Some, points: 2,", "{label: Some, points: 0,",
     "writ_ex1: rubric[1].levels[1].points: level points must rise from level to level: 'evidence' has 0 then 0"),
    ("{label: Developing, points: 1,", "{label: Missing, points: 1,",
     "writ_ex1: rubric[0].levels[1].label: duplicate level 'Missing' in criterion 'position'"),
    ("id: evidence", "id: position", "writ_ex1: rubric[1].id: duplicate id 'position'"),
    ("words: {min: 20, max: 60}", "words: {min: 80, max: 60}", "writ_ex1: words: min (80) is more than max (60)"),
    ("words: {min: 20, max: 60}", "words: {min: 20, max: 30}",
     "writ_ex1: model_answer: the model answer has 43 words, outside the exercise's own range (20-30)"),
    ("    model_answer: |", "    answer: x\n    model_answer: |", "writ.yml:34: writ_ex1: answer: field not allowed here (written exercises have no 'answer')"),
    ("          - {label: Missing, points: 0, descriptor: \"No dated evidence.\"}\n", "",
     None),  # two levels are enough
])
def test_rubric_problems_are_one_clear_line_each(tmp_path, old, new, expected):
    problems = _problems(tmp_path, old, new)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0], problems
        assert problems[0].startswith(str(tmp_path / "bank" / "writ.yml") + ":") or "writ.yml:" in problems[0]


def test_public_form_has_no_model_answer_or_descriptors(ex):
    public = json.dumps(ex.public())
    assert "model_answer" not in public and "interdependence" not in public
    assert "descriptor" not in public and "dated, sourced" not in public
    assert [c["id"] for c in ex.public()["rubric"]] == ["position", "evidence"]
    assert "descriptor" in json.dumps(ex.public(include_explanation=True))


@pytest.mark.parametrize("answer,note", [
    ("one two three " * 10, "Awaiting marking."),
    ({"text": "word " * 5, "self": {"position": 2}}, "5 words, under the minimum of 20."),
    ("word " * 70, "70 words, over the limit of 60."),
    ("word " * 400, "400 words, far over the limit of 60; the whole text is kept for the marker."),
    ("<script>alert(1)</script> " * 30, "Awaiting marking."),
])
def test_checking_leaves_it_awaiting_marking_never_zero_correct(ex, answer, note):
    for result in (check(ex, answer), check_sealed(seal(ex), answer)):
        assert result.pending and result.valid and not result.blank and not result.correct
        assert result.feedback.startswith("Awaiting marking.") and note in result.feedback
        assert [p.id for p in result.parts] == ["position", "evidence"]


@pytest.mark.parametrize("answer", ["", "   \n ", {"text": " "}, None])
def test_a_blank_response_is_blank(ex, answer):
    result = check(ex, answer)
    assert result.blank and not result.pending


@pytest.mark.parametrize("answer", [5, ["text"], {"self": {}, "text": 3}, {"text": 3}])
def test_a_wrongly_shaped_response_is_a_clear_error(ex, answer):
    result = check(ex, answer)
    assert not result.valid and result.feedback == "Answer not understood: expected text."


def test_the_seal_opens_only_on_a_submitted_response(ex):
    spec = seal(ex)
    raw = json.dumps(spec)
    assert "interdependence" not in raw and "dated, sourced" not in raw and "A strong answer" not in raw
    assert submitted_texts(spec, "  ") is None and submitted_texts(spec, 7) is None
    texts = submitted_texts(spec, "my answer")
    assert "interdependence" in texts["model_answer"] and "A strong answer" in texts["explanation"]
    assert "&lt;script&gt;" in texts["descriptors"]["evidence"][2]  # the instructor's Markdown, escaped HTML
    course = submitted_texts(seal(ex, mode="course"), "my answer")
    assert set(course) == {"descriptors"}


def test_self_assessment_keeps_only_known_criteria_and_levels(ex):
    rubric = ex.public()["rubric"]
    own = written.self_assessment({"text": "t", "self": {"position": 2, "evidence": 9, "ghost": 1, "x": True}}, rubric)
    assert own == {"position": 2}


def test_word_count_counts_runs_of_non_space():
    assert written.word_count("  Buzan  and\tWæver,\n2003 ") == 4
    assert written.word_count("") == 0
