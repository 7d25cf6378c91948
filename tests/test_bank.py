"""Tier 1: every bank record validates, its key scores full marks and a blank scores zero."""
import json

import jsonschema
import pytest

from exercises import bank as bank_mod
from exercises.checking import check, key_answer
from exercises.models import TYPES
from exercises.types import REGISTRY


def all_exercises():
    return list(bank_mod.load().exercises.values())


def test_whole_bank_validates_without_problems():
    _, problems = bank_mod.validate()
    assert problems == [], "\n".join(map(str, problems))


def test_published_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(bank_mod.schema())
    assert set(bank_mod.schema()["$defs"]["exercise"]["properties"]["type"]["enum"]) == set(TYPES)


@pytest.mark.parametrize("ex", all_exercises(), ids=lambda ex: ex.id)
def test_key_scores_full_marks(ex):
    result = check(ex, key_answer(ex))
    if REGISTRY[ex.type].MANUAL:  # a person marks it: the model answer awaits marking, never scored
        assert result.pending and result.valid and not result.blank, result
        assert result.score == 0 and not result.correct, result
    else:
        assert result.correct and result.score == ex.points and not result.pending, result


@pytest.mark.parametrize("ex", all_exercises(), ids=lambda ex: ex.id)
def test_blank_scores_zero(ex):
    for blank in (None, "", [], {}):
        result = check(ex, blank)
        assert result.score == 0 and result.blank and not result.correct


@pytest.mark.parametrize("ex", all_exercises(), ids=lambda ex: ex.id)
def test_public_view_carries_no_key(ex):
    public = json.dumps(ex.public(), ensure_ascii=False)
    assert "answer" not in ex.public() and "solution" not in ex.public()
    assert ex.explanation.strip()[:60] not in public
    if ex.type == "code":
        assert ex.solution.strip() not in public
    if ex.type == "written":
        assert ex.model_answer.strip()[:60] not in public
        for criterion in ex.rubric:
            for level in criterion.levels:
                assert not level.descriptor.strip() or level.descriptor.strip()[:60] not in public


def test_every_exercise_has_teaching_feedback_on_wrong_options():
    for ex in all_exercises():
        if ex.type in ("single_choice", "multiple_select"):
            for option in ex.options:
                assert len(option.feedback.split()) >= 5, f"{ex.id} option {option.id}: feedback too thin to teach"
