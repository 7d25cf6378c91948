"""The sealed spec: no key inside, and check_sealed gives what checking.check gives.

Shared vectors (tests/vectors.json) run here against checking.check and checking.check_sealed, and in
tests/js/ against exercises.js. Property tests compare the two Python checkers on arbitrary
answers of every type.
"""
from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises import checking
from exercises.checking import crypto
from exercises.checking import check, normalise_text
from exercises.canonical import within
from exercises.markdown import to_html
from exercises.checking import check_sealed, explanation, seal
from sealed_cases import arbitrary_answer, expected_dict, extra_bank, result_dict, unordered, vectors

VECTORS = vectors()


@pytest.fixture(scope="module")
def extra(tmp_path_factory):
    return extra_bank(tmp_path_factory.mktemp("synth"))


@pytest.fixture(scope="module")
def all_exercises(howto, extra):
    return list(howto.exercises.values()) + list(extra.exercises.values())


@pytest.fixture(scope="module")
def specs(howto):
    pinned = {v["exercise"]: v["expected"] for v in VECTORS if "expected" in v}
    return {ex_id: seal(ex, expected=pinned.get(ex_id)) for ex_id, ex in howto.exercises.items()}


def _id(v):
    return f"{v['exercise']}: {v['name']}"


# --- one specification, two Python checkers -------------------------------------------------------

def test_vectors_cover_every_type_with_right_wrong_blank_and_bad_shapes(howto):
    types = {}
    for v in VECTORS:
        kinds = types.setdefault(howto[v["exercise"]].type, set())
        kinds.add("blank" if v["blank"] else "invalid" if not v["valid"] else "right" if v["correct"] else "wrong")
    assert len(types) == 10, sorted(types)
    for kind, seen in types.items():
        assert {"right", "wrong", "invalid"} <= seen, (kind, seen)


@pytest.mark.parametrize("vector", VECTORS, ids=_id)
def test_vector_against_the_bank_checker(howto, vector):
    ex = howto[vector["exercise"]]
    got = result_dict(check(ex, vector["answer"], expected=vector.get("expected")))
    assert unordered(got) == unordered(expected_dict(ex, vector, html=False))  # parts are named by id


@pytest.mark.parametrize("vector", VECTORS, ids=_id)
def test_vector_against_the_sealed_spec(howto, specs, vector):
    ex = howto[vector["exercise"]]
    spec = json.loads(json.dumps(specs[vector["exercise"]]))  # exactly what the page carries
    got = result_dict(check_sealed(spec, vector["answer"]))
    assert unordered(got) == unordered(expected_dict(ex, vector, html=True))


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["correct"]], ids=_id)
def test_a_right_answer_unlocks_the_explanation(howto, specs, vector):
    ex = howto[vector["exercise"]]
    assert explanation(specs[ex.id], vector["answer"]) == to_html(ex.explanation)


@pytest.mark.parametrize("vector", [v for v in VECTORS if not v["correct"]], ids=_id)
def test_an_answer_that_is_not_right_does_not_unlock_the_explanation(specs, vector):
    assert explanation(specs[vector["exercise"]], vector["answer"], attempts=2) is None


def test_study_mode_releases_the_explanation_after_three_attempts(howto, specs):
    for ex_id, spec in specs.items():
        assert explanation(spec, None, attempts=2) is None
        assert explanation(spec, None, attempts=3) == to_html(howto[ex_id].explanation)


def test_course_mode_carries_no_explanation_and_no_part_secrets(howto):
    for ex in howto.exercises.values():
        spec = seal(ex, mode="course", expected=12 if ex.type == "code" else None)
        text = json.dumps(spec)
        assert "explanation" not in spec and '"w"' not in text and "pattern_w" not in spec
        assert explanation(spec, None, attempts=99) is None


def test_seal_is_deterministic_and_the_salt_differs_per_exercise(howto):
    a = [json.dumps(seal(ex, expected=12), sort_keys=True) for ex in howto.exercises.values()]
    b = [json.dumps(seal(ex, expected=12), sort_keys=True) for ex in howto.exercises.values()]
    assert a == b
    salts = {seal(ex, expected=12)["salt"] for ex in howto.exercises.values()}
    assert len(salts) == len(howto.exercises)


def test_spec_lists_options_items_and_choices_sorted_never_in_the_banks_order(howto):
    # the bank lists the ordering items in the right order, and matching choices in the order of the left items
    ordering, matching, single = seal(howto["howto_ex5"]), seal(howto["howto_ex6"]), seal(howto["howto_ex1"])
    assert ordering["items"] == sorted(howto["howto_ex5"].answer) != list(howto["howto_ex5"].answer)
    assert matching["choices"] == sorted(c.id for c in howto["howto_ex6"].right)
    assert single["options"] == sorted(single["options"]) and list(single["labels"]) == sorted(single["labels"])
    assert list(single["option_feedback"]) == sorted(single["option_feedback"])


def test_seal_rejects_an_unknown_mode(howto):
    with pytest.raises(ValueError, match="unknown mode 'exam'"):
        seal(howto["howto_ex1"], mode="exam")


def test_check_sealed_names_a_spec_it_cannot_read():
    with pytest.raises(checking.SealError, match="not a sealed exercise spec"):
        check_sealed({"id": "x"}, "a")


# --- what a spec contains ------------------------------------------------------------------------

def _key_texts(ex) -> list[str]:
    """Things a spec must not contain in plain form."""
    out = [ex.explanation.strip()]
    if ex.type in ("single_choice", "multiple_select"):
        out += [o.feedback for o in ex.options if o.feedback]
    if ex.type in ("numeric", "short_text"):
        out += [m["feedback"] for m in ex.misconceptions] + list(ex.feedback.values())
    if ex.type == "short_text":
        out += [normalise_text(v) for v in ex.answer] + list(ex.answer) + ([ex.pattern] if ex.pattern else [])
    if ex.type in ("matching", "categorisation", "slot_coding", "relation_matrix"):
        out += list(ex.feedback.values())
    if ex.type == "code":
        out += [line.strip() for line in ex.solution.splitlines() if len(line.strip()) > 8]
    if ex.type == "written":
        out += [ex.model_answer.strip()] + [lv.descriptor for c in ex.rubric for lv in c.levels]
    return [t for t in out if t]


def test_no_key_text_is_readable_in_any_spec(all_exercises):
    for ex in all_exercises:
        for mode in ("study", "course"):
            text = json.dumps(seal(ex, mode=mode), ensure_ascii=False)
            for secret in _key_texts(ex):
                assert secret not in text, (ex.id, mode, secret)
                assert to_html(secret) not in text, (ex.id, mode, secret)


def test_mapping_keys_appear_only_as_hashes(all_exercises):
    for ex in all_exercises:
        spec = seal(ex)
        if ex.type in ("ordering", "matching", "categorisation", "slot_coding", "relation_matrix"):
            for entries in spec["accept"].values():
                for entry in entries:
                    assert set(entry) <= {"h", "w"} and re.fullmatch(r"[0-9a-f]{64}", entry["h"])
        if ex.type == "numeric":
            assert str(ex.answer) not in json.dumps(spec["accept"]) and "answer" not in spec


def test_each_text_is_encrypted_under_its_own_key(howto):
    spec = seal(howto["howto_ex1"])
    tokens = list(spec["option_feedback"].values()) + [spec["explanation"]["solved"], spec["explanation"]["attempts"]]
    assert len(set(tokens)) == len(tokens)
    wrong_key = crypto.derive_key(spec["salt"], "option", "rsct")
    assert crypto.decrypt(wrong_key, spec["option_feedback"]["wendt"]) != to_html(howto["howto_ex1"].options[1].feedback)


def test_a_code_exercise_ships_the_value_hash_but_never_the_solution(howto):
    ex = howto["howto_ex10"]
    spec = seal(ex, expected=12)
    assert spec["kind"] == "number" and ex.solution.strip() not in json.dumps(spec)
    assert check_sealed(spec, {"value": "12"}).correct


def test_a_text_result_of_a_code_exercise_is_compared_normalised(extra):
    spec = seal(extra["synth_ex5"])
    assert spec["kind"] == "text"
    assert check_sealed(spec, {"value": " durand-LINE "}).correct
    assert not check_sealed(spec, {"value": "Radcliffe Line"}).correct
    assert not check_sealed(spec, {"value": 12}).valid


def test_a_pattern_is_shipped_encrypted_and_applied_to_normalised_text(extra):
    ex = extra["synth_ex2"]
    spec = seal(ex)
    assert ex.pattern not in json.dumps(spec)
    assert check_sealed(spec, "Ole Waver").correct  # only the pattern accepts this spelling
    assert explanation(spec, "Ole Waver") == to_html(ex.explanation)
    assert "first" in check_sealed(spec, "barry  buzan").parts[0].feedback


def test_several_accepted_values_per_part_each_unlock_the_explanation(extra):
    ex = extra["synth_ex4"]
    spec = seal(ex)
    for value in ("amity", "indifference"):
        answer = {"chn/pak": value, "pak/ind": "enmity"}
        assert check_sealed(spec, answer).correct
        assert explanation(spec, answer) == to_html(ex.explanation)


# --- hard Unicode in short answers -----------------------------------------------------------------

@pytest.mark.parametrize("text, normalised", [
    ("Wæver", "waever"), ("WAEVER", "waever"), (" wæver. ", "waever"), ("Ørsted", "orsted"),
    ("Müller", "muller"), ("ﬁnance", "finance"), ("ﬀ", "ff"), ("Straße", "strasse"), ("ǅemal", "dzemal"),
    ("½", "1 2"), ("①", "1"), ("ＡＢＣ", "abc"), ("Œuvre", "oeuvre"), ("ĳssel", "ijssel"), ("™", "tm"),
    ("e\u0301", "e"), ("\u212a", "k"), ("İstanbul", "istanbul"), ("Wӕver", "w ver"), ("łódź", "lodz"),
    ("it’s", "it s"), ("", ""),
])
def test_normalise_text_on_hard_unicode(text, normalised):
    assert normalise_text(text) == normalised


def test_unicode_variants_of_the_key_are_accepted_by_both_checkers(howto):
    ex = howto["howto_ex4"]
    spec = seal(ex)
    for text in ("Wæver", "WAEVER", " wæver. ", "Ｗæｖｅｒ", "OLE WÆVER", "Wæ\u0301ver"):
        assert check(ex, text).correct and check_sealed(spec, text).correct, text
    for text in ("Ørsted", "Müller", "Wäver", "Wӕver"):
        assert not check(ex, text).correct and not check_sealed(spec, text).correct, text


# --- properties ----------------------------------------------------------------------------------

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_both_checkers_agree_on_arbitrary_answers_and_scores_stay_in_range(all_exercises, seed):
    rng = random.Random(seed)
    for ex in all_exercises:
        expected = 12 if ex.id == "howto_ex10" else None
        spec = _spec_cache(ex, expected)
        answer = arbitrary_answer(ex, rng, key=_key(ex, expected))
        plain = check(ex, answer, expected=expected)
        hashed = check_sealed(spec, answer)
        assert 0 <= plain.score <= ex.points and 0 <= hashed.score <= ex.points
        assert unordered(result_dict(hashed)) == unordered(result_dict(plain, html=True)), (ex.id, answer)


_SPECS: dict = {}


def _spec_cache(ex, expected):
    if ex.id not in _SPECS:
        _SPECS[ex.id] = seal(ex, expected=expected)
    return _SPECS[ex.id]


def _key(ex, expected):
    if ex.type != "code":
        return None
    if expected is not None:
        return expected
    from exercises.checking.solutions import expected_value
    return expected_value(ex)


@SETTINGS
@given(text=st.text(max_size=40))
def test_normalise_text_is_idempotent_and_gives_plain_words(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert re.fullmatch(r"([a-z0-9]+( [a-z0-9]+)*)?", once)


FINITE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@SETTINGS
@given(a=FINITE, b=FINITE, tol=st.one_of(
    st.builds(lambda t: {"abs": t}, st.floats(min_value=1e-6, max_value=100)),
    st.builds(lambda t: {"rel": t}, st.floats(min_value=1e-6, max_value=1))))
def test_within_is_symmetric(a, b, tol):
    assert within(a, b, tol) == within(b, a, tol)


@SETTINGS
@given(x=st.floats(min_value=-1e6, max_value=1e6), tol=st.floats(min_value=1e-3, max_value=100),
       f=st.floats(min_value=-3, max_value=3))
def test_the_grid_accepts_within_95_percent_of_the_tolerance_and_rejects_beyond_105(x, tol, f):
    y = x + f * tol
    gap = abs(y - x) / tol
    if gap <= 0.949:
        assert within(y, x, {"abs": tol})
    if gap >= 1.051:
        assert not within(y, x, {"abs": tol})
