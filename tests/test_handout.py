"""The student side of a released notebook, driven from Python: policies, attempt limits, summary."""
from __future__ import annotations

import ast
import json

import nbformat
import pytest

import gradingkit as kit
from exercises import handout
from exercises.records import keeper as rec_keeper


class Sink:
    """Stands in for IPython's display calls: keeps what the record output shows."""

    def __init__(self):
        self.shown = {}

    def display(self, data, metadata, display_id):
        self.shown[display_id] = data

    def update(self, data, metadata, display_id):
        self.shown[display_id] = data


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    a = kit.load_assignment(tmp_path_factory.mktemp("a"))
    nb = json.loads(nbformat.writes(kit.released(a, "s001")))
    out = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if src.startswith("exercise("):
            spec = ast.literal_eval(src[len("exercise("):-1])
            out[spec["exercise"]["id"]] = spec
        elif src.startswith("summary("):
            out["summary"] = ast.literal_eval(src[len("summary("):-1])
    return out


@pytest.fixture(autouse=True)
def clean_registry():
    rec_keeper.forget_all()
    yield
    rec_keeper.forget_all()


def widget(spec):
    keeper = rec_keeper.RecordKeeper(spec["exercise"]["id"], spec["context"], sink=Sink(), journal=False, notebook=False)
    w = handout.HandoutWidget(spec, keeper=keeper)
    w.keeper.display()
    return w


def test_immediate_feedback_checks_against_the_sealed_spec_and_stops_after_the_limit(cells):
    w = widget(cells["howto_ex1"])
    assert w.max_attempts == 3 and w.check_button.description == "Check"
    for answer in ("wendt", "realism"):
        w.set_answer(answer)
        assert w.check().score == 0.0
    w.set_answer("rsct")
    assert w.check().score == 1.0
    assert w.check_button.disabled  # and it says why, beside the greyed-out button
    assert w.attempts_label.value == "Attempts: 3 of 3 (no attempts left: your last answer is recorded and will be graded)"
    assert w.check() is None and "No attempts left" in w.message
    assert w.record["attempts"] == 3 and w.record["answer"] == "rsct"
    assert w.record["student"] == "s001" and w.record["assignment"] == "t_all"


def test_no_feedback_until_grading_records_without_checking(cells):
    w = widget(cells["howto_ex3"])
    assert w.checker is None and w.check_button.description == "Record" and w.max_attempts is None
    w.set_answer(74)
    assert w.check() is None  # recorded, not checked: nothing to score yet
    w.set_answer(128)
    w.check()
    assert w.record["answer"] == 128 and w.record["attempts"] == 2 and w.record["feedback_shown"] is False
    assert "graded later" in w.feedback_text
    assert not w.check_button.disabled


def test_the_prompt_lives_in_the_heading_above_not_twice(cells):
    w = widget(cells["howto_ex2"])
    assert w.prompt_html.layout.display == "none" and w.title_html.layout.display == "none"


def test_the_summary_lists_what_is_recorded(cells):
    for ex_id, answer in (("howto_ex1", "rsct"), ("howto_ex4", "Waever")):
        w = widget(cells[ex_id])
        w.set_answer(answer)
        w.check()
    s = handout.Summary(cells["summary"])
    rows = {r["id"]: r for r in s.rows()}
    assert rows["howto_ex1"]["live"]["answer"] == "rsct" and rows["howto_ex2"]["live"] is None
    assert "2 of 12 exercises have a recorded answer" in s.html.value
    assert "cannot see the saved file" in s.html.value


def test_exercise_registers_each_widget_by_id(cells, monkeypatch):
    monkeypatch.setattr(rec_keeper, "journal_path", lambda: None)
    w = handout.exercise(cells["howto_ex5"])
    assert handout.widgets()["howto_ex5"] is w
    items = [i["id"] for i in cells["howto_ex5"]["exercise"]["items"]]
    assert items != ["durand", "kabul1996", "ttp", "kabul2021"]


@pytest.mark.parametrize("feedback", ["none", "immediate"])
@pytest.mark.parametrize("show_rubric", [False, True])
def test_a_written_item_shows_its_rubric_only_when_the_assignment_says_so(tmp_path, feedback, show_rubric):
    """``show_rubric`` hands the descriptors out with the notebook: the student sees them before
    writing (and once, not again on submission); without it only the criteria's titles and points.
    The model answer and answer notes are never in a handout."""
    import markingkit as M
    text = M.ASSIGNMENT.replace("  - id: tall_ex3\n    feedback: none\n",
                                f"  - id: tall_ex3\n    feedback: {feedback}\n    show_rubric: {str(show_rubric).lower()}\n")
    a = kit.load_assignment(tmp_path / "a", text, M.BANK)
    nb = kit.released(a, "s001")
    src = next(c.source for c in nb.cells if c.source.startswith("exercise(") and "tall_ex3" in c.source)
    w = widget(ast.literal_eval(src[len("exercise("):-1]))
    shown = lambda: json.dumps([x.get_state() for x in _walk(w)], default=str)  # noqa: E731
    assert ("One dated piece of evidence" in shown()) is show_rubric
    assert "A clear position" in shown() and "(2 points)" in shown()
    w.set_answer({"text": "Afghanistan is an insulator, on the evidence of 2025."})
    w.check()
    assert w.record["answer"] == {"text": "Afghanistan is an insulator, on the evidence of 2025."}
    after = shown()
    assert ("One dated piece of evidence" in after) is show_rubric and after.count("One dated piece of evidence") <= 1
    assert "PRIVATE-MODEL-TALL3" not in after and "PRIVATE-NOTES-TALL3" not in after
    assert ("PRIVATE-DESC-0" in json.dumps(nbformat.writes(nb))) is show_rubric


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)
