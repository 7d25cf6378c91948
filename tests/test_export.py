"""Exports: CSVs for people and LMSs, Gradescope results, and feedback pages that keep keys hidden."""
from __future__ import annotations

import csv
import json

import pytest

import gradingkit as kit
from exercises.grading import export as E
from exercises.grading import batch as G


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    a = kit.load_assignment(tmp / "assignment")
    folder = tmp / "subs"
    right = kit.all_right(a, "s001")
    partly = {"howto_ex1": "wendt", "howto_ex2": ["umbrella"], "howto_ex6": {"anarchy": "wendt", "regions": "bwd",
                                                                               "framework": "bw"}}
    kit.save(kit.answer_notebook(kit.released(a, "s001"), right), folder / "doejane_1001_5001_t_all.ipynb")
    kit.save(kit.answer_notebook(kit.released(a, "s002"), partly, attempts={"howto_ex1": 2}),
             folder / "Ali Khan_502_assignsubmission_file_t_all.ipynb")
    (folder / "stray.txt").write_text("hello")
    db = tmp / "gb.sqlite"
    G.grade(assignment=a, submissions=folder, db=db, roster=kit.roster(), secret=kit.SECRET, progress=False)
    out = tmp / "out"
    written = E.export(assignment=a, db=db, out=out, secret=kit.SECRET)
    return a, db, out, written, tmp


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_export_writes_every_format(graded):
    a, db, out, written, _ = graded
    names = {p.relative_to(out).as_posix() for p in written}
    assert {"t_all_wide.csv", "t_all_long.csv", "t_all_submissions.csv", "t_all_canvas.csv",
            "t_all_moodle_worksheet.csv", "t_all_moodle_gradebook.csv", "gradescope/s001/results.json",
            "feedback/s001.html", "feedback/s002.html", "feedback/s003.html"} <= names


def test_the_wide_csv_has_one_row_per_student_and_a_column_per_exercise(graded):
    a, _, out, _, _ = graded
    wide = {r["student_id"]: r for r in rows(out / "t_all_wide.csv")}
    assert list(wide) == ["s001", "s002", "s003"]
    assert (wide["s001"]["status"], wide["s001"]["score"], wide["s001"]["points"]) == ("graded", "29", "29")
    assert wide["s002"]["score"] == "3" and wide["s002"]["howto_ex1"] == "0" and wide["s002"]["howto_ex6"] == "2"
    assert wide["s002"]["howto_ex2"] == "1" and wide["s002"]["tall_ex1"] == "0"
    assert wide["s003"]["status"] == "no submission" and wide["s003"]["score"] == ""
    assert [c for c in rows(out / "t_all_wide.csv")[0] if c.startswith(("howto", "tall"))] == [i.id for i in a.items]


def test_the_long_csv_has_one_row_per_student_and_exercise(graded):
    a, _, out, _, _ = graded
    long = rows(out / "t_all_long.csv")
    assert len(long) == 2 * len(a.items)
    r = next(x for x in long if x["student_id"] == "s002" and x["exercise"] == "howto_ex6")
    assert (r["score"], r["points"], r["raw"], r["status"], r["title"]) == ("2", "6", "2", "scored", "Who wrote what")
    missing = next(x for x in long if x["student_id"] == "s002" and x["exercise"] == "howto_ex3")
    assert (missing["status"], missing["reason"]) == ("missing", "no answer recorded")


def test_every_file_received_is_in_the_submissions_csv(graded):
    _, _, out, _, _ = graded
    subs = {r["file"]: r for r in rows(out / "t_all_submissions.csv")}
    assert set(subs) == {"doejane_1001_5001_t_all.ipynb", "Ali Khan_502_assignsubmission_file_t_all.ipynb", "stray.txt"}
    assert subs["stray.txt"]["status"] == "rejected" and "not a notebook" in subs["stray.txt"]["reason"]
    assert subs["doejane_1001_5001_t_all.ipynb"]["counts"] == "yes"


def test_the_canvas_import_csv_has_the_columns_canvas_expects(graded):
    _, _, out, _, _ = graded
    with open(out / "t_all_canvas.csv", newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Test assignment: every type"]
    assert table[1] == ["Points Possible", "", "", "", "", "29"]
    assert table[2] == ["Jane Doe", "1001", "", "", "", "29"]
    assert table[3] == ["Ali Khan", "1002", "", "", "", "3"]
    assert table[4] == ["Mina Shah", "1003", "", "", "", ""]  # empty: Canvas leaves the cell unchanged


def test_the_canvas_column_can_name_an_existing_assignment(graded, tmp_path):
    a, db, _, _, _ = graded
    E.export(assignment=a, db=db, out=tmp_path, formats=["canvas"], canvas_column="Quiz 1 (12345)")
    assert rows(tmp_path / "t_all_canvas.csv")[0]["Quiz 1 (12345)"] == "29"  # the points possible row


def test_the_moodle_files_match_by_participant_or_by_email(graded):
    _, _, out, _, _ = graded
    ws = rows(out / "t_all_moodle_worksheet.csv")
    assert [(r["Identifier"], r["Grade"], r["Maximum Grade"]) for r in ws] == [
        ("Participant 501", "29", "29"), ("Participant 502", "3", "29"), ("Participant 503", "", "29")]
    assert ws[1]["Feedback comments"].startswith("Score 3 of 29. 1. Which theory?: 0/1;")
    gb = rows(out / "t_all_moodle_gradebook.csv")
    assert [(r["Email address"], r["Test assignment: every type"]) for r in gb] == [
        ("jane@example.edu", "29"), ("ali@example.edu", "3"), ("mina@example.edu", "")]


def test_gradescope_results_have_one_test_per_exercise(graded):
    a, _, out, _, _ = graded
    res = json.loads((out / "gradescope" / "s002" / "results.json").read_text())
    assert res["score"] == 3.0 and len(res["tests"]) == len(a.items)
    t1 = res["tests"][0]
    assert (t1["name"], t1["score"], t1["max_score"], t1["status"]) == ("Exercise 1: Which theory?", 0.0, 1.0, "failed")
    assert "Constructivism explains" in t1["output"]  # the chosen option's feedback
    none = json.loads((out / "gradescope" / "s003" / "results.json").read_text())
    assert none == {"score": 0.0, "output": "Not graded: no submission", "visibility": "visible", "tests": []}


def test_feedback_pages_show_answers_feedback_and_explanations_but_no_key(graded):
    a, _, out, _, _ = graded
    page = (out / "feedback" / "s002.html").read_text()
    assert "Feedback for <strong>Ali Khan</strong> (s002)" in page
    assert '<span class="score">3</span> of 29 points' in page
    assert "Constructivism (Wendt)" in page  # the answer shown as its option text, not its id
    assert "A correct answer" not in page
    assert "Regional Security Complex Theory (Buzan and Wæver) groups units" in page  # explanation allowed
    assert "No answer was recorded." in page
    assert "your code was not run by the grader" in page


def test_keys_appear_in_feedback_only_when_asked(graded, tmp_path):
    a, db, _, _, _ = graded
    E.export(assignment=a, db=db, out=tmp_path, formats=["feedback"], secret=kit.SECRET, reveal_keys=True)
    page = (tmp_path / "feedback" / "s002.html").read_text()
    assert page.count("A correct answer") == len(a.items)


def test_explanations_stay_out_when_the_assignment_says_so(graded, tmp_path):
    a, db, _, _, tmp = graded
    quiet = kit.load_assignment(tmp / "quiet", kit.ASSIGNMENT.replace("defaults:", "report: {explanations: false}\ndefaults:"))
    E.export(assignment=quiet, db=db, out=tmp_path, formats=["feedback"], secret=kit.SECRET)
    page = (tmp_path / "feedback" / "s002.html").read_text()
    assert "Explanation" not in page and "groups units" not in page


def test_a_parameterised_exercise_shows_the_students_own_numbers(graded):
    a, _, out, _, _ = graded
    var_choice = __import__("exercises.grading.variants", fromlist=["variant"]).variant(a, kit.SECRET, "s001").choice("tall_ex1")
    page = (out / "feedback" / "s001.html").read_text()
    assert f"<strong>{var_choice['years']['start']}</strong>" in page


def test_an_unknown_format_is_refused(graded, tmp_path):
    a, db, _, _, _ = graded
    with pytest.raises(ValueError, match="unknown export format"):
        E.export(assignment=a, db=db, out=tmp_path, formats=["excel"])


def test_answers_of_odd_shapes_render_without_error(graded):
    a = graded[0]
    ex = a.exercise("howto_ex6")
    assert "<table>" in E.answer_html(ex, {"anarchy": "wendt"})
    assert "<pre>" in E.answer_html(ex, ["not", "a", "mapping"])


def test_the_late_column_says_which_evidence_makes_a_submission_late(tmp_path):
    """The LMS's late flag and answers recorded after the due date both reach the CSV's `late`
    column (the feedback page already says the second)."""
    import csv as csv_mod

    import gradingkit as kit
    from exercises.grading import export as E
    from exercises.grading import batch as G
    a = kit.load_assignment(tmp_path / "a")
    folder = tmp_path / "subs"
    roster = kit.roster()
    on_time, after_due = "2026-10-10T10:00:00Z", "2026-10-20T10:00:00Z"  # the due date is 16 October
    for sid, when, late in (("s001", on_time, False), ("s002", after_due, False), ("s003", on_time, True)):
        s = roster.get(sid)
        first, last = s.name.split()[0].lower(), s.name.split()[1].lower()
        name = f"{last}{first}_{'late_' if late else ''}{s.canvas_id}_{9000 + int(s.canvas_id)}_t_all_{sid}.ipynb"
        kit.save(kit.answer_notebook(kit.released(a, sid), kit.all_right(a, sid), time=when), folder / name)
    G.grade(assignment=a, submissions=folder, db=tmp_path / "gb.sqlite", roster=roster, secret=kit.SECRET, progress=False)
    E.export(assignment=a, db=tmp_path / "gb.sqlite", out=tmp_path / "out", formats=["wide", "submissions"], secret=kit.SECRET)
    wide = {r["student_id"]: r["late"] for r in csv_mod.DictReader((tmp_path / "out" / f"{a.name}_wide.csv").open(encoding="utf-8-sig"))}
    assert wide["s001"] == "" and wide["s002"] == "record times" and wide["s003"] == "LMS"
    subs = [r["late"] for r in csv_mod.DictReader(next((tmp_path / "out").glob("*submissions*.csv")).open(encoding="utf-8-sig"))]
    assert sorted(subs) == ["", "LMS", "record times"]
