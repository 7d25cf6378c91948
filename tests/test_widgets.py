"""The widget view, driven from Python: real ipywidgets objects, values set on the controls,
buttons clicked with ``button.click()``, feedback read back as text."""
from __future__ import annotations

import json

import ipywidgets as w
import pytest

from exercises import checking
from exercises.records import format as rec_format, keeper as rec_keeper
from exercises.views.widgets import RECORDED_LATER, REVEAL_AFTER, ExerciseWidget, KeyChecker, SealedChecker


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    """The reference fixture only (exercises/bank/howto.yml): other chapters may be mid-edit."""
    import shutil
    from importlib import resources

    from exercises import bank as bank_mod
    folder = tmp_path_factory.mktemp("howto_bank")
    shutil.copy(resources.files("exercises") / "bank" / "howto.yml", folder / "howto.yml")
    return bank_mod.load(str(folder))


class Sink:
    """Stands in for IPython's display calls; remembers what the widget wrote."""

    def __init__(self):
        self.calls = []

    def display(self, data, metadata, display_id):
        self.calls.append(("display", data, display_id))

    def update(self, data, metadata, display_id):
        self.calls.append(("update", data, display_id))

    @property
    def records(self):
        return [data[rec_format.RECORD_MIME] for kind, data, _ in self.calls if kind == "update"]


@pytest.fixture(autouse=True)
def isolated_records():
    rec_keeper.forget_all()
    yield
    rec_keeper.forget_all()


@pytest.fixture
def make(bank):
    """make("howto_ex1", **kwargs) -> widget with a private sink and no journal/notebook."""
    def factory(ex_id, *, sink=None, **kwargs):
        sink = sink or Sink()
        kwargs.setdefault("keeper", rec_keeper.RecordKeeper(ex_id, kwargs.get("context"), sink=sink,
                                                            journal=False, notebook=False))
        wdg = ExerciseWidget.for_exercise(bank[ex_id], **kwargs)
        wdg.sink = sink
        wdg.keeper.display()
        return wdg
    return factory


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def state_text(wdg) -> str:
    return json.dumps([x.get_state() for x in walk(wdg)], default=str, ensure_ascii=False)


# --- every type: labelled, keyboard-operable controls ----------------------------------------

def test_every_type_has_a_labelled_check_button_hint_button_and_attempt_count(bank, make):
    for n in range(1, 11):
        wdg = make(f"howto_ex{n}")
        assert wdg.check_button.description in ("Check", "Run and check")
        assert wdg.check_button.tooltip
        assert wdg.hint_button.description.startswith("Hint (1 of ")
        assert wdg.attempts_label.value == "Attempts: 0"
        assert wdg.prompt_html.value.startswith("<p>")
        assert all(isinstance(x, (w.Widget,)) for x in walk(wdg))


def test_choice_controls_are_radio_buttons_and_one_checkbox_per_option(bank, make):
    single = make("howto_ex1")
    assert isinstance(single.input.radio, w.RadioButtons) and single.input.radio.description
    assert sorted(v for _, v in single.input.radio.options) == sorted(o.id for o in bank["howto_ex1"].options)
    multi = make("howto_ex2")
    texts = {o.id: o.text for o in bank["howto_ex2"].options}
    assert {oid: box.description for oid, box in multi.input.boxes.items()} == texts
    assert all(isinstance(box, w.Checkbox) for box in multi.input.boxes.values())


def test_typed_answers_have_described_text_boxes_and_the_unit(make):
    numeric = make("howto_ex3")
    assert isinstance(numeric.input.text, w.Text) and numeric.input.text.description == "Your answer:"
    assert any(isinstance(c, w.Label) and c.value == "years" for c in numeric.input.view.children)
    text = make("howto_ex4")
    assert isinstance(text.input.text, w.Text) and text.input.text.description == "Your answer:"


def test_ordering_rows_have_up_and_down_buttons_that_name_their_item(make):
    wdg = make("howto_ex5")
    first, last = wdg.input.rows[0], wdg.input.rows[-1]
    assert first.up.disabled and not first.down.disabled and last.down.disabled
    for row, item in zip(wdg.input.rows, wdg.get_answer()):
        assert row.up.description == "Up" and row.down.description == "Down"
        assert wdg.input.text[item] in row.up.tooltip and wdg.input.text[item] in row.down.tooltip


def test_ordering_starts_shuffled_not_in_the_order_the_bank_lists(bank, make):
    listed = [i.id for i in bank["howto_ex5"].items]
    assert make("howto_ex5").get_answer() != listed
    assert make("howto_ex5").get_answer() == make("howto_ex5").get_answer()  # stable across re-runs


@pytest.mark.parametrize("ex_id, labels", [
    ("howto_ex6", ['"Anarchy is What States Make of It" (1992)', "Regions and Powers (2003)",
                   "Security: A New Framework for Analysis (1998)"]),
    ("howto_ex7", ["Pakistan", "TTP", "ISKP", "Iran"]),
    ("howto_ex8", ["Securitizing actor", "Referent object", "Audience"]),
    ("howto_ex9", ["Pakistan and TTP", "Taliban government and TTP", "Taliban government and ISKP"]),
])
def test_grid_types_use_dropdowns_labelled_by_their_row_inside_a_gridbox(make, ex_id, labels):
    wdg = make(ex_id)
    rows = list(wdg.input.rows.values())
    # rows come in display order (the static page's; see test_display_order), labels as the bank has them
    assert sorted(r.dropdown.description for r in rows) == sorted(labels)
    assert [r.dropdown.tooltip for r in rows] == [r.dropdown.description for r in rows]
    assert all(isinstance(r.dropdown, w.Dropdown) and r.dropdown.value == "" for r in rows)
    grids = [x for x in walk(wdg.input.view) if isinstance(x, w.GridBox)]
    assert len(grids) == 1
    headers = [x for x in grids[0].children if "exercise-grid-header" in x._dom_classes]
    assert any("<strong>" in h.value and h.value != "<strong></strong>" for h in headers)


def test_relation_matrix_puts_actors_on_rows_and_columns(make):
    wdg = make("howto_ex9")
    grid = next(x for x in walk(wdg.input.view) if isinstance(x, w.GridBox))
    headers = [x.value for x in grid.children if "exercise-grid-header" in x._dom_classes]
    # rows: Pakistan, Taliban government; columns: TTP, ISKP (only those with asked cells)
    assert headers == ["<strong></strong>", "<strong>TTP</strong>", "<strong>ISKP</strong>",
                       "<strong>Pakistan</strong>", "<strong>Taliban government</strong>"]
    assert grid.layout.grid_template_columns.count("minmax") == 3


def test_code_has_an_editor_prefilled_with_the_starter(bank, make):
    wdg = make("howto_ex10", namespace={})
    assert isinstance(wdg.input.editor, w.Textarea)
    assert wdg.input.editor.value == bank["howto_ex10"].starter
    assert wdg.input.editor.description == "Your code:"
    assert wdg.check_button.description == "Run and check"


# --- checking through the controls ----------------------------------------------------------

def test_single_choice_wrong_then_right_via_the_buttons(bank, make):
    wdg = make("howto_ex1")
    wdg.input.radio.value = "wendt"
    wdg.check_button.click()
    assert "✗ Not correct yet." in wdg.feedback_text
    assert "does not define regions by security interdependence" in wdg.feedback_text
    assert wdg.attempts == 1 and wdg.attempts_label.value == "Attempts: 1"
    assert not wdg.explanation_shown and wdg.explanation_html.value == ""
    wdg.input.radio.value = "rsct"
    wdg.check_button.click()
    assert "✓ Correct." in wdg.feedback_text and "Score: 1 of 1 point." in wdg.feedback_text
    assert wdg.attempts == 2 and wdg.result.correct
    assert wdg.explanation_shown and "Regional Security Complex Theory (Buzan" in wdg.explanation_html.value


def test_checking_nothing_says_what_to_do_and_counts_no_attempt(make):
    for ex_id, message in [("howto_ex1", "Choose an option first."), ("howto_ex2", "Select at least one option"),
                           ("howto_ex3", "Type a number first."), ("howto_ex4", "Type an answer first."),
                           ("howto_ex6", "Choose at least one answer first.")]:
        wdg = make(ex_id)
        wdg.check_button.click()
        assert message in wdg.feedback_text, ex_id
        assert wdg.attempts == 0 and wdg.sink.records == [] and wdg.record is None


def test_multiple_select_partial_credit_in_words(make):
    wdg = make("howto_ex2")
    wdg.input.boxes["umbrella"].value = True
    wdg.check_button.click()
    assert "◐ Partly correct." in wdg.feedback_text and "1 of the 2 right options chosen" in wdg.feedback_text
    wdg.input.boxes["governs"].value = True
    wdg.check_button.click()
    assert "✗ Not correct yet." in wdg.feedback_text and "That is the Afghan Taliban" in wdg.feedback_text
    assert "It has governed Afghanistan since August 2021. (✗ not right)" in wdg.feedback_text
    wdg.input.boxes["governs"].value = False
    wdg.input.boxes["state"].value = True
    wdg.check_button.click()
    assert "✓ Correct." in wdg.feedback_text and wdg.get_answer() and sorted(wdg.get_answer()) == ["state", "umbrella"]


def test_numeric_reads_what_students_type_and_names_misconceptions(make):
    wdg = make("howto_ex3")
    wdg.input.text.value = "about a century"
    wdg.check_button.click()
    assert "is not a number" in wdg.feedback_text and wdg.attempts == 0
    wdg.input.text.value = "74"
    wdg.check_button.click()
    assert "time since Pakistan's independence" in wdg.feedback_text and wdg.attempts == 1
    wdg.input.text.value = "127,0"
    wdg.check_button.click()
    assert "✓ Correct." in wdg.feedback_text
    assert wdg.record["answer"] == 127  # recorded as a number, whole numbers as integers


def test_short_text_misconception_then_accepted_spelling(make):
    wdg = make("howto_ex4")
    wdg.input.text.value = "Wendt"
    wdg.check_button.click()
    assert "Alexander Wendt is the constructivist" in wdg.feedback_text
    wdg.input.text.value = "  waever "
    wdg.check_button.click()
    assert "✓ Correct." in wdg.feedback_text and wdg.record["answer"] == "  waever "


def test_ordering_moves_with_buttons_and_marks_each_position(bank, make):
    wdg = make("howto_ex5")
    key = list(bank["howto_ex5"].answer)
    wdg.check_button.click()
    first = wdg.result
    assert first is not None and not first.correct
    statuses = [r.status.value for r in wdg.input.rows]
    assert statuses == ["✓ right" if p.correct else "✗ not right" for p in first.parts]
    # bubble the items into the key's order using only the Up buttons
    for target, item in enumerate(key):
        while wdg.get_answer().index(item) > target:
            wdg.input.rows[wdg.get_answer().index(item)].up.click()
    assert wdg.get_answer() == key
    assert all(r.status.value == "" for r in wdg.input.rows)  # moving cleared the old marks
    wdg.check_button.click()
    assert "✓ Correct." in wdg.feedback_text and "4 of 4 positions right" in wdg.feedback_text
    assert [r.status.value for r in wdg.input.rows] == ["✓ right"] * 4


def test_ordering_down_button_moves_an_item_down(make):
    wdg = make("howto_ex5")
    before = wdg.get_answer()
    wdg.input.rows[0].down.click()
    assert wdg.get_answer() == [before[1], before[0], *before[2:]]
    wdg.input.rows[-1].down.click()  # the last row cannot move down: nothing changes
    assert wdg.get_answer() == [before[1], before[0], *before[2:]]


@pytest.mark.parametrize("ex_id, wrong, right, feedback_phrase", [
    ("howto_ex6", {"anarchy": "wendt", "regions": "bw", "framework": "bw"},
     {"framework": "bwd"}, "added a third author"),
    ("howto_ex7", {"pakistan": "state", "ttp": "nonstate", "iskp": "state", "iran": "state"},
     {"iskp": "nonstate"}, "Islamic State's branch"),
    ("howto_ex8", {"actor": "minister", "referent": "crossings", "audience": "parliament"},
     {"referent": "state"}, "not the measure taken"),
    ("howto_ex9", {"pak/ttp": "enmity", "tal/ttp": "enmity", "iskp/tal": "enmity"},
     {"tal/ttp": "amity"}, "Look again at the chapter on the nexus"),
])
def test_dropdown_types_mark_rows_and_explain_wrong_parts(make, ex_id, wrong, right, feedback_phrase):
    wdg = make(ex_id)
    for part, value in wrong.items():
        wdg.input.rows[part].dropdown.value = value
    wdg.check_button.click()
    assert "◐ Partly correct." in wdg.feedback_text and feedback_phrase in wdg.feedback_text
    for part, row in wdg.input.rows.items():
        assert row.status.value == ("✗ not right" if part in right else "✓ right")
    for part, value in right.items():
        wdg.input.rows[part].dropdown.value = value
        assert wdg.input.rows[part].status.value == ""  # changing a row clears its old mark
    wdg.check_button.click()
    assert "✓ Correct." in wdg.feedback_text and wdg.explanation_shown
    assert all(r.status.value == "✓ right" for r in wdg.input.rows.values())


def test_partial_grid_answers_are_checked_and_recorded(make):
    wdg = make("howto_ex7")
    wdg.input.rows["ttp"].dropdown.value = "nonstate"
    wdg.check_button.click()
    assert "1 of 4 items right" in wdg.feedback_text
    assert wdg.record["answer"] == {"ttp": "nonstate"}
    assert wdg.input.rows["iran"].status.value == "✗ not right"


def test_code_runs_in_the_given_namespace_and_checks_the_result_value(make):
    ns: dict = {}
    wdg = make("howto_ex10", namespace=ns)
    wdg.check_button.click()
    assert "n_events is still ...: replace it" in wdg.feedback_text and wdg.attempts == 0
    assert "<code>n_events</code>" in wdg.feedback_html.value
    wdg.input.editor.value = "total = 1\nn_events = undefined_name + 1\n"
    wdg.check_button.click()
    assert "NameError on line 2" in wdg.feedback_text and wdg.attempts == 0
    wdg.input.editor.value = "n_events = timeline"
    wdg.check_button.click()
    assert "must be a number or a short text" in wdg.feedback_text
    wdg.input.editor.value = "n_events = 3"
    wdg.check_button.click()
    assert "✗ Not correct yet." in wdg.feedback_text and wdg.attempts == 1
    wdg.input.editor.value = "n_events = int(timeline['date'].str.startswith('2025').sum())"
    wdg.check_button.click()
    assert "✓ Correct." in wdg.feedback_text and wdg.attempts == 2
    assert "timeline" in ns and isinstance(ns["n_events"], int)  # set-up ran first, in that namespace
    assert wdg.record["answer"] == {"code": wdg.input.editor.value, "value": ns["n_events"]}
    assert f"n_events = {ns['n_events']}" in wdg.input.value_label.value


def test_code_syntax_errors_name_the_line(make):
    wdg = make("howto_ex10", namespace={})
    wdg.input.editor.value = "a = 1\nn_events = (\n"
    wdg.check_button.click()
    assert "SyntaxError on line 2" in wdg.feedback_text and wdg.attempts == 0


# --- hints, attempts, explanation -----------------------------------------------------------

def test_hints_are_revealed_one_at_a_time(bank, make):
    wdg = make("howto_ex4")
    hints = list(bank["howto_ex4"].hints)
    assert wdg.hints_html.value == "" and wdg.hint_button.description == "Hint (1 of 2)"
    wdg.hint_button.click()
    assert wdg.hints_shown == 1 and hints[0] in wdg.hints_html.value and hints[1] not in wdg.hints_html.value
    assert wdg.hint_button.description == "Hint (2 of 2)" and not wdg.hint_button.disabled
    wdg.hint_button.click()
    assert wdg.hints_shown == 2 and hints[1] in wdg.hints_html.value
    assert wdg.hint_button.disabled and wdg.hint_button.description == "No more hints"
    assert wdg.hint() is None and wdg.hints_shown == 2


def test_explanation_appears_after_the_reveal_limit_of_wrong_attempts(make):
    wdg = make("howto_ex1")
    for n in range(1, REVEAL_AFTER + 1):
        wdg.set_answer("realism")
        wdg.check()
        assert wdg.explanation_shown == (n >= REVEAL_AFTER)


def test_course_mode_never_shows_an_explanation(make):
    wdg = make("howto_ex1", mode="course")
    wdg.set_answer("rsct")
    assert wdg.check().correct
    assert not wdg.explanation_shown and wdg.explanation_html.value == ""


def test_widget_state_holds_no_key_feedback_or_explanation_before_they_are_earned(bank, make):
    for n in range(1, 11):
        ex = bank[f"howto_ex{n}"]
        state = state_text(make(ex.id, namespace={}))
        assert ex.explanation.strip()[:60] not in state, ex.id
        for hint in ex.hints:
            assert hint[:60] not in state, ex.id
        for option in getattr(ex, "options", ()):
            assert option.feedback[:60] not in state, ex.id
        if ex.type == "code":
            assert ex.solution.strip() not in state


# --- the programmatic API and checkers ------------------------------------------------------

def test_programmatic_api_round_trips_every_type(bank, make):
    answers = {
        "howto_ex1": "rsct", "howto_ex2": ["state", "umbrella"], "howto_ex3": 128,
        "howto_ex4": "Ole Wæver", "howto_ex5": ["durand", "kabul1996", "ttp", "kabul2021"],
        "howto_ex6": {"anarchy": "wendt", "regions": "bw", "framework": "bwd"},
        "howto_ex7": {"pakistan": "state", "ttp": "nonstate", "iskp": "nonstate", "iran": "state"},
        "howto_ex8": {"actor": "minister", "referent": "state", "audience": "parliament"},
        "howto_ex9": {"pak/ttp": "enmity", "tal/ttp": "amity", "iskp/tal": "enmity"},
    }
    for ex_id, answer in answers.items():
        wdg = make(ex_id)
        wdg.set_answer(answer)
        got = wdg.get_answer()
        assert (sorted(got) if isinstance(got, list) and ex_id == "howto_ex2" else got) == \
               (sorted(answer) if ex_id == "howto_ex2" else answer), ex_id
        result = wdg.check()
        assert result.correct and result == checking.check(bank[ex_id], answer), ex_id
        assert wdg.sink.records[-1]["answer"] == got


def test_set_answer_with_a_wrong_shape_raises_a_clear_error(make):
    cases = [("howto_ex1", "nope", "'nope' is not one of the options"),
             ("howto_ex2", "umbrella", "expected a list of option ids"),
             ("howto_ex3", [1], "expected a number"),
             ("howto_ex5", ["durand"], "expected every item id once"),
             ("howto_ex6", {"anarchy": "nobody"}, "is not a choice for"),
             ("howto_ex7", {"mars": "state"}, "'mars' is not one of the items"),
             ("howto_ex10", "code", "expected {'code'")]
    for ex_id, answer, message in cases:
        with pytest.raises(ValueError, match=message) as err:
            make(ex_id, namespace={}).set_answer(answer)
        assert ex_id in str(err.value)


def test_a_checker_returning_a_result_dict_works_like_a_key_checker(bank, make):
    ex = bank["howto_ex6"]
    wdg = make("howto_ex6", checker=lambda answer: checking.check(ex, answer).as_dict())
    wdg.set_answer({"anarchy": "wendt", "regions": "bwd"})
    assert wdg.check().score == pytest.approx(1.0)
    assert "1 of 3 matches right" in wdg.feedback_text


def test_a_failing_checker_still_records_the_answer(bank, make):
    def broken(answer):
        raise RuntimeError("no key here")
    wdg = make("howto_ex1", checker=broken)
    wdg.set_answer("rsct")
    assert wdg.check() is None
    assert "recorded, but it could not be checked here" in wdg.feedback_text and "no key here" in wdg.feedback_text
    assert wdg.sink.records[-1]["answer"] == "rsct" and wdg.sink.records[-1]["feedback_shown"] is False


def test_sealed_checker_gives_the_key_checkers_scores_with_html_feedback(bank, make):
    from exercises.checking import seal
    wrong = {"howto_ex1": "wendt", "howto_ex2": ["governs", "umbrella"], "howto_ex3": 74, "howto_ex4": "Wendt",
             "howto_ex6": {"anarchy": "wendt", "regions": "bw", "framework": "bw"},
             "howto_ex7": {"pakistan": "state", "iskp": "state"},
             "howto_ex8": {"actor": "minister", "referent": "crossings"},
             "howto_ex9": {"pak/ttp": "enmity", "tal/ttp": "enmity"}}
    for ex_id, answer in wrong.items():
        ex = bank[ex_id]
        keyed = make(ex_id)
        sealed = ExerciseWidget(ex.public(), SealedChecker(seal(ex)), keeper=rec_keeper.RecordKeeper(
            ex_id, sink=Sink(), journal=False, notebook=False))
        for wdg in (keyed, sealed):
            wdg.set_answer(answer)
            wdg.check()
        assert sealed.result.score == keyed.result.score, ex_id
        assert [p.correct for p in sealed.result.parts] == [p.correct for p in keyed.result.parts], ex_id
        assert sealed.feedback_text == keyed.feedback_text, ex_id  # HTML feedback shown as HTML, not escaped
        assert "&lt;" not in sealed.feedback_html.value


def test_sealed_checker_reveals_the_explanation_only_when_earned(bank):
    from exercises.checking import seal
    ex = bank["howto_ex6"]
    study = ExerciseWidget(ex.public(), SealedChecker(seal(ex, mode="study")),
                           keeper=rec_keeper.RecordKeeper(ex.id, sink=Sink(), journal=False, notebook=False))
    study.set_answer({"anarchy": "wendt", "regions": "bw"})
    study.check()
    assert not study.explanation_shown
    study.set_answer(dict(ex.answer))
    assert study.check().correct and study.explanation_shown
    assert "Anarchy is What States Make of It" in study.explanation_html.value
    rec_keeper.forget_all()
    course = ExerciseWidget(ex.public(), SealedChecker(seal(ex, mode="course")),
                            keeper=rec_keeper.RecordKeeper(ex.id, sink=Sink(), journal=False, notebook=False))
    course.set_answer(dict(ex.answer))
    assert course.check().correct and not course.explanation_shown


def test_explanation_limit_matches_the_static_view():
    from exercises.checking.sealing import ATTEMPTS_FOR_EXPLANATION
    assert REVEAL_AFTER == ATTEMPTS_FOR_EXPLANATION


def test_a_spec_that_is_not_sealed_is_reported_and_the_answer_still_recorded(bank, make):
    wdg = make("howto_ex1", checker=SealedChecker({"id": "howto_ex1"}))
    wdg.set_answer("wendt")
    assert wdg.check() is None
    assert "could not be checked here" in wdg.feedback_text and "not a sealed exercise spec" in wdg.feedback_text
    assert wdg.attempts == 1 and wdg.sink.records[-1]["answer"] == "wendt"


def test_feedback_none_only_records_and_says_so(bank):
    sink = Sink()
    keeper = rec_keeper.RecordKeeper("howto_ex1", {"assignment": "a1", "student": "s1"}, sink=sink,
                                     journal=False, notebook=False)
    wdg = ExerciseWidget(bank["howto_ex1"].public(), feedback="none", context={"assignment": "a1", "student": "s1"},
                         keeper=keeper)
    keeper.display()
    wdg.set_answer("wendt")
    assert wdg.check() is None
    assert wdg.feedback_text == RECORDED_LATER
    assert "Score" not in wdg.feedback_text and not wdg.explanation_shown and wdg.attempts == 1
    record = sink.records[-1]
    assert record["feedback_shown"] is False and record["assignment"] == "a1" and record["student"] == "s1"


def test_bad_construction_is_refused_with_a_message(bank):
    public = bank["howto_ex1"].public()
    with pytest.raises(ValueError, match="immediate feedback needs a checker"):
        ExerciseWidget(public)
    with pytest.raises(ValueError, match="feedback must be one of"):
        ExerciseWidget(public, KeyChecker(bank["howto_ex1"]), feedback="later")
    with pytest.raises(ValueError, match="unknown exercise type 'essay'"):
        ExerciseWidget({**public, "type": "essay"}, feedback="none")


# --- records written and restored by the widget ---------------------------------------------

def test_every_check_updates_the_record_output_by_display_id(make):
    wdg = make("howto_ex3")
    assert wdg.sink.calls == [("display", {}, wdg.keeper.display_id)]
    for n, value in enumerate(["74", "128"], start=1):
        wdg.input.text.value = value
        wdg.check_button.click()
        kind, data, display_id = wdg.sink.calls[-1]
        assert (kind, display_id) == ("update", wdg.keeper.display_id)
        assert data[rec_format.RECORD_MIME]["attempts"] == n
        assert data["text/plain"] == f"Recorded answer to howto_ex3 (attempt {n}): {value}"
    assert "attempt 2" in wdg.record_note.value and "save the notebook" in wdg.record_note.value


def test_a_new_widget_restores_the_answer_attempts_and_record(bank, make):
    first = make("howto_ex6")
    first.set_answer({"anarchy": "wendt", "regions": "bw"})
    first.check()
    first.check()
    again = make("howto_ex6")  # the cell re-run in the same kernel
    assert again.get_answer() == {"anarchy": "wendt", "regions": "bw"}
    assert again.attempts == 2 and "restored" in again.record_note.value
    assert again.sink.calls[0][1][rec_format.RECORD_MIME]["attempts"] == 2  # re-written into the new output
    again.check()
    assert again.record["attempts"] == 3


def test_attempts_keep_counting_across_two_live_copies_of_one_exercise(make):
    a, b = make("howto_ex1"), make("howto_ex1")
    a.set_answer("wendt")
    a.check()
    b.set_answer("rsct")
    b.check()
    assert b.record["attempts"] == 2


def test_a_restored_answer_the_controls_cannot_show_is_kept_and_said(make):
    keeper = rec_keeper.RecordKeeper("howto_ex1", sink=Sink(), journal=False, notebook=False)
    keeper.keep(rec_format.make_record("howto_ex1", "an option that no longer exists", 4))
    wdg = make("howto_ex1")
    assert wdg.get_answer() is None and wdg.attempts == 4
    assert "cannot be shown in the controls" in wdg.record_note.value
    assert wdg.sink.calls[0][1][rec_format.RECORD_MIME]["answer"] == "an option that no longer exists"


def test_records_of_another_assignment_are_not_restored(make):
    other = rec_keeper.RecordKeeper("howto_ex1", {"assignment": "a2"}, sink=Sink(), journal=False, notebook=False)
    other.keep(rec_format.make_record("howto_ex1", "wendt", 1, assignment="a2"))
    wdg = make("howto_ex1")
    assert wdg.get_answer() is None and wdg.attempts == 0


def test_widget_display_shows_the_widget_and_then_its_record_output(bank, monkeypatch):
    shown = []
    import IPython.display
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    wdg = ExerciseWidget.for_exercise(bank["howto_ex1"],
                                      keeper=rec_keeper.RecordKeeper("howto_ex1", journal=False, notebook=False))
    wdg._ipython_display_()
    assert "application/vnd.jupyter.widget-view+json" in shown[0][0][0]
    assert shown[1][1]["display_id"] == wdg.keeper.display_id and shown[1][0][0] == {}


def test_options_and_items_appear_in_the_static_pages_order(bank, make):
    from exercises.views.order import shuffled
    ex = bank["howto_ex2"]
    assert list(make("howto_ex2").input.boxes) == [o.id for o in shuffled(ex.id, ex.options)]
    ex = bank["howto_ex1"]
    assert [v for _, v in make("howto_ex1").input.radio.options] == [o.id for o in shuffled(ex.id, ex.options)]


def test_the_record_line_says_the_answer_in_words_not_option_ids(make):
    # a reopened notebook shows only this line until it runs again: "wendt" told a student nothing
    wdg = make("howto_ex1")
    wdg.set_answer("wendt")
    wdg.check()
    line = wdg.sink.calls[-1][1]["text/plain"]
    assert line == "Recorded answer to howto_ex1 (attempt 1): Constructivism (Wendt)"
    wdg = make("howto_ex9")
    wdg.set_answer({"pak/ttp": "enmity", "tal/ttp": "amity", "iskp/tal": "enmity"})
    wdg.check()
    line = wdg.sink.calls[-1][1]["text/plain"]
    assert "Pakistan – TTP: Enmity" in line and "pak/ttp" not in line


def test_a_widget_without_its_model_reads_as_one_line_not_its_stylesheet(make):
    # after a restart a front end without the widget's model printed text/plain: the widget tree,
    # stylesheet and all
    bundle = make("howto_ex3")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Exercise howto_ex3: ") and "<style>" not in bundle["text/plain"]


# --- written answers ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def written_bank():
    from pathlib import Path

    from exercises import bank as bank_mod
    bank, problems = bank_mod.validate(Path(__file__).parent / "fixtures" / "written")
    assert problems == []
    return bank


def _written(written_bank, **kwargs):
    ex = written_bank["writ_ex1"]
    sink = Sink()
    kwargs.setdefault("keeper", rec_keeper.RecordKeeper(ex.id, kwargs.get("context"), sink=sink, journal=False, notebook=False))
    wdg = ExerciseWidget.for_exercise(ex, **kwargs)
    wdg.sink = sink
    wdg.keeper.display()
    return wdg


ANSWER = ("Afghanistan is an insulator: Pakistan's strikes of March 2024 tie the two states together, "
          "but the ceasefire of October 2025 was brokered from outside the region.")


def test_written_answer_is_a_labelled_text_area_with_a_live_word_count(written_bank):
    wdg = _written(written_bank)
    assert isinstance(wdg.input.text, w.Textarea) and wdg.input.text.description == "Your answer:"
    assert wdg.check_button.description == "Submit"
    assert wdg.input.count.value == "0 words · asked for 20–60 · under the minimum"
    wdg.input.text.value = "Too short an answer."
    assert wdg.input.count.value == "4 words · asked for 20–60 · under the minimum"
    wdg.input.text.value = ANSWER
    assert wdg.input.count.value == "26 words · asked for 20–60"
    wdg.input.text.value = "word " * 61
    assert wdg.input.count.value.endswith("over the limit")
    # the criteria and their points are named before submission, not their descriptors
    assert "A clear, theory-based position (2 points)" in wdg.input.criteria_html.value
    assert "Two dated, sourced pieces" not in state_text(wdg)


def test_an_empty_written_answer_is_not_submitted(written_bank):
    wdg = _written(written_bank)
    wdg.input.text.value = "   \n "
    wdg.check_button.click()
    assert "Write your answer first." in wdg.feedback_text
    assert wdg.attempts == 0 and wdg.sink.records == []


def test_submitting_records_the_text_then_opens_model_answer_and_rubric_for_self_assessment(written_bank):
    wdg = _written(written_bank)
    model = written_bank["writ_ex1"].model_answer.strip()[:50]
    assert model not in state_text(wdg)  # nothing of the model answer before submission
    wdg.input.text.value = ANSWER
    wdg.check_button.click()
    assert "Submitted." in wdg.feedback_text and "Correct" not in wdg.feedback_text
    assert wdg.result.pending and wdg.attempts == 1
    assert wdg.sink.records[-1]["answer"] == {"text": ANSWER}
    shown = state_text(wdg)
    assert model in shown and "Two dated, sourced pieces of evidence" in shown
    assert "&lt;script&gt;" in shown and "<script>" not in shown  # a descriptor's markup is escaped
    assert set(wdg.input.levels) == {"position", "evidence"}
    wdg.input.assess("position", 2)
    wdg.input.assess("evidence", 1)
    assert wdg.sink.records[-1]["answer"] == {"text": ANSWER, "self": {"position": 2, "evidence": 1}}
    assert wdg.sink.records[-1]["attempts"] == 1  # assessing oneself is not another submission
    assert wdg.input.total.value == "Your self-assessment: 4 of 5 points (not a grade)."
    assert "self-assessment is recorded" in wdg.record_note.value
    # editing the text after submitting does not change the recorded text until submitted again
    wdg.input.text.value = ANSWER + " More."
    wdg.input.assess("evidence", 2)
    assert wdg.sink.records[-1]["answer"] == {"text": ANSWER, "self": {"position": 2, "evidence": 2}}
    with pytest.raises(ValueError, match="no self-assessment for 'style'"):
        wdg.input.assess("style", 1)


def test_a_re_run_written_cell_restores_text_and_self_assessment(written_bank):
    first = _written(written_bank)
    first.input.text.value = ANSWER
    first.check_button.click()
    first.input.assess("position", 1)
    again = _written(written_bank)  # the cell re-run in the same kernel
    assert again.input.text.value == ANSWER and again.input.own == {"position": 1}
    assert again.attempts == 1 and "restored" in again.record_note.value


def test_a_text_too_long_to_record_is_cut_and_the_student_told_where(written_bank):
    from exercises.types.written import MAX_CHARS
    from exercises.views.widgets.written import recordable
    wdg = _written(written_bank)
    wdg.input.text.value = "ü“quoted”\n" * (MAX_CHARS // 5)
    wdg.check_button.click()
    kept = wdg.sink.records[-1]["answer"]["text"]
    assert 0 < len(kept) < len(wdg.input.text.value) and wdg.input.text.value.startswith(kept)
    assert rec_format.answer_size({"text": kept}) <= rec_format.MAX_ANSWER_BYTES
    assert "too long to record whole" in wdg.feedback_text and "too long to record whole" in wdg.record_note.value
    assert recordable("short")[1] == ""


def test_a_restored_self_assessment_of_an_unknown_criterion_is_refused_by_name(written_bank):
    wdg = _written(written_bank)
    with pytest.raises(ValueError, match="self-assessment of style is not a level"):
        wdg.input.set({"text": ANSWER, "self": {"style": 1, "position": 0}})
    assert wdg.input.text.value == ANSWER and wdg.input.own == {"position": 0}  # the text is kept
    with pytest.raises(ValueError, match="expected text"):
        wdg.input.set(42)


def test_a_graded_written_answer_is_recorded_and_shows_no_model_answer(written_bank):
    ex = written_bank["writ_ex1"]
    wdg = ExerciseWidget(ex.public(), None, feedback="none",
                         keeper=rec_keeper.RecordKeeper(ex.id, sink=Sink(), journal=False, notebook=False))
    wdg.keeper.display()
    wdg.input.text.value = ANSWER
    wdg.check_button.click()
    assert wdg.record["answer"] == {"text": ANSWER} and wdg.result is None
    shown = state_text(wdg)
    assert ex.model_answer.strip()[:50] not in shown and "Two dated, sourced pieces" not in shown
    assert wdg.input.levels == {} and wdg.input.review.layout.display == "none"
