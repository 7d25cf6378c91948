"""The grader, step by step and over a batch: read, identify, score, resolve, store."""
from __future__ import annotations

import json
import math

import pytest

import gradingkit as kit
from exercises.grading import batch as G
from exercises.grading import identity as I
from exercises.grading import reading as R
from exercises.grading import resolve as RS
from exercises.grading import scoring as SC
from exercises.grading.gradebook import Gradebook
from exercises.grading.submissions import Incoming, LmsName, parse_name


@pytest.fixture(scope="module")
def a(tmp_path_factory):
    return kit.load_assignment(tmp_path_factory.mktemp("assignment"))


def canvas(student: str) -> str:
    s = kit.roster().get(student)
    return f"{s.name.split()[1].lower()}{s.name.split()[0].lower()}_{s.canvas_id}_{9000 + int(s.canvas_id)}_t_all_{student}.ipynb"


# --- step 1: bytes -> notebook -------------------------------------------------------------------

@pytest.mark.parametrize("data, reason", [
    (b"", "an empty file (0 bytes)"),
    (b"   \n\t", "an empty file (only blank space)"),
    (b"%PDF-1.7 ...", "a PDF document"),
    (b"PK\x03\x04rest", "a zip archive"),
    (b"\xff\xfe\x00n\x00o", "not UTF-8 text"),
    (b"print('hello')", "not a notebook: the file is not JSON"),
    (b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5', "truncated"),
    (b'{"cells": [], "x": nope}', "damaged JSON at line 1"),
    (b"[1, 2, 3]", "JSON list, not a notebook object"),
    (b'{"worksheets": [], "nbformat": 3}', "an old-format notebook (nbformat 3)"),
    (b'{"cells": [], "nbformat": 5}', "nbformat 5; expected 4"),
    (b'{"cells": {}, "nbformat": 4}', "it has no list of cells"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
])
def test_read_notebook_says_why_a_file_is_not_a_gradable_notebook(data, reason):
    nb, problem = R.read_notebook(data)
    assert nb is None and reason in problem


def test_read_notebook_accepts_a_notebook_with_a_byte_order_mark(a):
    nb, problem = R.read_notebook(b"\xef\xbb\xbf" + kit.dumps(kit.released(a, "s001")))
    assert problem is None and nb["nbformat"] == 4


def test_notebook_info_reads_only_plain_short_texts():
    nb = {"metadata": {"exercises": {"assignment": "t_all", "student": ["s1"], "variant": "x" * 500}}}
    assert R.notebook_info(nb) == {"assignment": "t_all", "student": None, "variant": None}
    assert R.notebook_info({"metadata": "junk"}) == {"assignment": None, "student": None, "variant": None}


# --- step 4: identify -------------------------------------------------------------------------------

def test_a_canvas_download_name_identifies_the_student_through_the_roster():
    lms = parse_name("doejane_late_1001_5555_t_all-1.ipynb")
    assert (lms.lms, lms.key, lms.name, lms.late, lms.submission, lms.original, lms.resubmission) == (
        "canvas", "1001", "doejane", True, "5555", "t_all-1.ipynb", 1)
    who = I.identify(lms, {"student": "s001"}, kit.roster(), lms.original)
    assert who.student.id == "s001" and who.problem is None


def test_a_moodle_download_name_identifies_the_student_in_both_layouts():
    flat = parse_name("Ali Khan_502_assignsubmission_file_t_all_s002.ipynb")
    folder = parse_name("Ali Khan_502_assignsubmission_file_/t_all_s002.ipynb")
    for lms in (flat, folder):
        assert (lms.lms, lms.key, lms.name, lms.original) == ("moodle", "502", "Ali Khan", "t_all_s002.ipynb")
        assert I.identify(lms, {}, kit.roster(), "x").student.id == "s002"


def test_a_plain_file_is_identified_by_the_release_metadata_or_its_name():
    plain = parse_name("whatever.ipynb")
    assert plain.lms == ""
    assert I.identify(plain, {"student": "s003"}, kit.roster(), "whatever.ipynb").student.name == "Mina Shah"
    by_name = I.identify(parse_name("s002.ipynb"), {}, kit.roster(), "s002.ipynb")
    assert by_name.student.id == "s002" and "identified by the file name" in by_name.notes[0]
    nobody = I.identify(plain, {}, kit.roster(), "whatever.ipynb")
    assert nobody.student is None and "cannot tell whose submission this is" in nobody.problem


def test_a_notebook_released_to_someone_else_is_flagged_not_graded_for_them():
    lms = parse_name("khanali_1002_7001_t_all_s001.ipynb")
    who = I.identify(lms, {"student": "s001"}, kit.roster(), lms.original)
    assert who.student.id == "s002"
    assert "released to s001 (Jane Doe), but Canvas user 1002 (khanali) (s002) handed it in" in who.problem


def test_an_lms_user_missing_from_the_roster_is_kept_under_an_lms_id_or_matched_by_the_notebook():
    lms = parse_name("newstudent_4444_7002_t_all.ipynb")
    who = I.identify(lms, {}, kit.roster(), lms.original)
    assert who.student.id == "canvas-4444" and who.student.canvas_id == "4444" and not who.in_roster
    who = I.identify(lms, {"student": "s003"}, kit.roster(), lms.original)
    assert who.student.id == "s003" and who.student.canvas_id == "1003"
    assert "identified by the notebook's release metadata" in who.notes[0]
    # s003's Canvas id is 1003, so user 4444 handing in s003's notebook is a conflict, credited to the sender
    assert "check by hand" in who.problem and who.credited.id == "canvas-4444"
    no_ids = kit.roster("id,name\ns003,Mina Shah\n")
    who = I.identify(lms, {"student": "s003"}, no_ids, lms.original)  # a roster without Canvas ids
    assert who.problem is None and who.student.id == "s003" and who.student.canvas_id == "4444"


def test_one_student_handed_in_by_two_different_lms_senders_counts_for_nobody_until_checked():
    subs = [{"id": 1, "sha256": "a", "file": "janedoe_4444_10_t.ipynb", "student": "s003", "lms": "canvas",
             "lms_key": "4444", "lms_submission": "10", "resubmission": 0, "mtime": 5.0, "last_record_time": 100.0},
            {"id": 2, "sha256": "b", "file": "thief_5555_11_t.ipynb", "student": "s003", "lms": "canvas",
             "lms_key": "5555", "lms_submission": "11", "resubmission": 0, "mtime": 9.0, "last_record_time": 200.0}]
    decision = RS.resolve(subs)
    assert all("different senders (canvas 4444, canvas 5555)" in decision[i] for i in (1, 2))


# --- step 5: choose and score -----------------------------------------------------------------------

def rec(answer, attempts=1, time="2026-10-10T10:00:00Z", cell=3):
    return {"exercise": "howto_ex1", "answer": answer, "attempts": attempts, "time": time, "cell": cell}


def test_choose_takes_the_latest_record_and_reports_duplicates_and_conflicts():
    assert SC.choose([]) == (None, None, None)
    one = rec("rsct")
    assert SC.choose([one]) == (one, None, None)
    chosen, note, conflict = SC.choose([rec("rsct", cell=3), rec("rsct", cell=9)])
    assert chosen["answer"] == "rsct" and "identical records" in note and conflict is None
    chosen, note, conflict = SC.choose([rec("wendt", 1), rec("rsct", 2, cell=9)])
    assert chosen["answer"] == "rsct" and "the latest, attempt 2, counts" in note
    chosen, note, conflict = SC.choose([rec("wendt", 2), rec("rsct", 2, cell=9)])
    assert chosen is None and "same attempt number and time but different answers (cells 3, 9" in conflict


def test_attempt_penalties_apply_to_immediate_feedback_only(a):
    var = SC.Context(a, kit.roster(), kit.SECRET).variant("s001")
    full = SC.score_exercise(a, a.item("howto_ex1"), var, rec("rsct", attempts=1))
    third = SC.score_exercise(a, a.item("howto_ex1"), var, rec("rsct", attempts=3))
    many = SC.score_exercise(a, a.item("howto_ex1"), var, rec("rsct", attempts=7))
    assert (full.score, third.score, third.penalty, many.score) == (1.0, 0.5, 0.5, 0.5)
    assert "7 attempts recorded, more than the 3 allowed" in many.reason
    later = SC.score_exercise(a, a.item("howto_ex3"), var, {"answer": 128, "attempts": 5, "exercise": "howto_ex3"})
    assert (later.score, later.penalty) == (1.0, 0.0)  # feedback "none": re-recording is free
    partly = SC.score_exercise(a, a.item("howto_ex6"), var, {"answer": {"anarchy": "wendt", "regions": "bwd"},
                                                          "attempts": 2, "exercise": "howto_ex6"})
    assert math.isclose(partly.raw, 2.0) and math.isclose(partly.score, 1.5)


def test_resolve_counts_the_latest_submission_of_a_student():
    subs = [{"id": 1, "sha256": "a", "file": "x_1001_10_t.ipynb", "student": "s001", "lms_submission": "10",
             "resubmission": 0, "mtime": 5.0, "last_record_time": 100.0},
            {"id": 2, "sha256": "b", "file": "x_1001_11_t.ipynb", "student": "s001", "lms_submission": "11",
             "resubmission": 0, "mtime": 1.0, "last_record_time": 50.0},
            {"id": 3, "sha256": "b", "file": "copy.ipynb", "student": "s001", "lms_submission": "",
             "resubmission": 0, "mtime": 9.0, "last_record_time": 50.0}]
    decision = RS.resolve(subs)
    assert decision[2] is None
    assert "also handed in x_1001_11_t.ipynb (later)" in decision[1]
    assert "an identical copy of x_1001_11_t.ipynb" in decision[3]


# --- over a batch ------------------------------------------------------------------------------------

def class_folder(tmp_path, a, answers_by_student):
    folder = tmp_path / "subs"
    for student, answers in answers_by_student.items():
        kit.save(kit.answer_notebook(kit.released(a, student), answers), folder / canvas(student))
    return folder


def scores(db, name):
    with Gradebook(db) as gb:
        return {out["student"]: (out["status"], out["score"],
                                 {s["exercise"]: s["score"] for s in gb.outcome_scores(out["id"])})
                for _, out in gb.current(name)}


def test_right_answers_score_full_marks_in_every_students_own_variant(tmp_path, a):
    answers = {s: kit.all_right(a, s) for s in ("s001", "s002", "s003")}
    folder = class_folder(tmp_path, a, answers)
    summary = G.grade(assignment=a, submissions=folder, db=tmp_path / "gb.sqlite", roster=kit.roster(),
                      secret=kit.SECRET, progress=False)
    assert summary.status == {"graded": 3, "partly graded": 0, "rejected": 0}
    got = scores(tmp_path / "gb.sqlite", a.name)
    assert {s: v[1] for s, v in got.items()} == {"s001": 29.0, "s002": 29.0, "s003": 29.0}


def test_an_answer_computed_for_another_students_numbers_scores_nothing(tmp_path, a):
    mine = kit.all_right(a, "s001")
    theirs = next(kit.all_right(a, s)["tall_ex1"] for s in ("s002", "s003")
                  if kit.all_right(a, s)["tall_ex1"]["value"] != mine["tall_ex1"]["value"])
    folder = class_folder(tmp_path, a, {"s001": dict(mine, tall_ex1=theirs)})
    G.grade(assignment=a, submissions=folder, db=tmp_path / "gb.sqlite", roster=kit.roster(), secret=kit.SECRET,
            progress=False)
    status, total, per = scores(tmp_path / "gb.sqlite", a.name)["s001"]
    assert per["tall_ex1"] == 0.0 and total == 27.0 and status == "graded"


def test_grading_the_same_files_twice_changes_nothing(tmp_path, a):
    folder = class_folder(tmp_path, a, {"s001": kit.all_right(a, "s001"), "s002": {"howto_ex1": "wendt"}})
    db = tmp_path / "gb.sqlite"
    first = G.grade(assignment=a, submissions=folder, db=db, roster=kit.roster(), secret=kit.SECRET, progress=False)
    with Gradebook(db) as gb:
        before = gb.counts()
    again = G.grade(assignment=a, submissions=folder, db=db, roster=kit.roster(), secret=kit.SECRET, progress=False)
    with Gradebook(db) as gb:
        assert gb.counts() == before
    assert (first.new, again.new, again.changed, again.run) == (2, 0, 0, None)
    assert again.status == first.status


def test_regrading_after_a_key_change_is_one_call_and_keeps_history(tmp_path, a):
    answers = kit.all_right(a, "s001")
    folder = class_folder(tmp_path, a, {"s001": answers})
    db = tmp_path / "gb.sqlite"
    G.grade(assignment=a, submissions=folder, db=db, roster=kit.roster(), secret=kit.SECRET, progress=False)
    changed = kit.load_assignment(tmp_path / "fixed", bank=kit.BANK.replace("answer: 4242.5", "answer: 42"))
    assert changed.fingerprint != a.fingerprint
    summary = G.regrade(assignment=changed, db=db, secret=kit.SECRET, progress=False)
    assert summary.changed == 1
    status, total, per = scores(db, a.name)["s001"]
    assert per["tall_ex2"] == 0.0 and total == 28.0
    with Gradebook(db) as gb:
        (sub,) = gb.submissions(a.name)
        history = gb.history(sub["id"])
        assert [h["score"] for h in history] == [29.0, 28.0]
        assert [h["fingerprint"] for h in history] == [a.fingerprint, changed.fingerprint]
        assert [r["kind"] for r in gb.runs(a.name)] == ["grade", "regrade"]
    again = G.regrade(assignment=changed, db=db, secret=kit.SECRET, progress=False)
    assert again.changed == 0 and again.run is None


def test_a_later_submission_of_the_same_student_counts_and_the_earlier_is_rejected(tmp_path, a):
    db = tmp_path / "gb.sqlite"
    first = kit.answer_notebook(kit.released(a, "s001"), {"howto_ex1": "wendt"}, time="2026-10-10T10:00:00Z")
    kit.save(first, tmp_path / "b1" / "doejane_1001_7001_t_all_s001.ipynb")
    G.grade(assignment=a, submissions=tmp_path / "b1", db=db, roster=kit.roster(), secret=kit.SECRET, progress=False)
    assert scores(db, a.name)["s001"][:2] == ("graded", 0.0)
    second = kit.answer_notebook(kit.released(a, "s001"), {"howto_ex1": "rsct"}, time="2026-10-11T10:00:00Z")
    kit.save(second, tmp_path / "b2" / "doejane_1001_7002_t_all_s001.ipynb")
    G.grade(assignment=a, submissions=tmp_path / "b2", db=db, roster=kit.roster(), secret=kit.SECRET, progress=False)
    with Gradebook(db) as gb:
        outs = {sub["file"]: out for sub, out in gb.current(a.name)}
    old, new = outs["doejane_1001_7001_t_all_s001.ipynb"], outs["doejane_1001_7002_t_all_s001.ipynb"]
    assert (new["status"], new["counts"], new["score"]) == ("graded", 1, 1.0)
    assert old["status"] == "rejected" and not old["counts"]
    assert "same student twice: s001 also handed in doejane_1001_7002_t_all_s001.ipynb (later)" in old["reason"]
    assert old["own_status"] == "graded"  # what it earned on its own is kept


def test_records_made_in_another_students_notebook_need_a_person(tmp_path, a):
    nb = kit.answer_notebook(kit.released(a, "s002"), {"howto_ex1": "rsct", "howto_ex2": ["state"]})
    copied = kit.answer_notebook(kit.released(a, "s001"), {"howto_ex1": "rsct"}, student="s001",
                                 variant_token=kit.the_token(a, "s001"))
    cell = next(c for c in copied.cells if c.metadata.get("exercises", {}).get("exercise") == "howto_ex1")
    target = next(c for c in nb.cells if c.metadata.get("exercises", {}).get("exercise") == "howto_ex1")
    target.outputs = cell.outputs  # s002 pasted s001's answer output over their own
    kit.save(nb, tmp_path / "s" / canvas("s002"))
    G.grade(assignment=a, submissions=tmp_path / "s", db=tmp_path / "gb.sqlite", roster=kit.roster(),
            secret=kit.SECRET, progress=False)
    status, total, per = scores(tmp_path / "gb.sqlite", a.name)["s002"]
    assert status == "partly graded" and per["howto_ex1"] == 0.0 and per["howto_ex2"] == 1.0  # 1 of 2 keys
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        (sub, out), = gb.current(a.name)
        assert "howto_ex1: answer recorded in another student's notebook" in out["reason"]


def test_late_canvas_submissions_and_answers_after_the_due_date_are_noted(tmp_path, a):
    nb = kit.answer_notebook(kit.released(a, "s001"), {"howto_ex1": "rsct"}, time="2026-10-20T10:00:00Z")
    kit.save(nb, tmp_path / "s" / "doejane_late_1001_7001_t_all.ipynb")
    G.grade(assignment=a, submissions=tmp_path / "s", db=tmp_path / "gb.sqlite", roster=kit.roster(),
            secret=kit.SECRET, progress=False)
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        (sub, out), = gb.current(a.name)
    notes = json.loads(out["notes"])
    assert sub["late"] == 1 and "late (the LMS marked the submission late)" in notes
    assert any("after the due date" in n for n in notes)


def test_the_grader_reads_a_zip_without_extracting_it(tmp_path, a):
    import zipfile
    folder = class_folder(tmp_path, a, {"s001": kit.all_right(a, "s001")})
    with zipfile.ZipFile(tmp_path / "subs.zip", "w") as zf:
        for p in folder.iterdir():
            zf.write(p, p.name)
    summary = G.grade(assignment=a, submissions=tmp_path / "subs.zip", db=tmp_path / "gb.sqlite",
                      roster=kit.roster(), secret=kit.SECRET, progress=False)
    assert summary.status["graded"] == 1 and not (tmp_path / canvas("s001")).exists()


def test_without_the_secret_a_per_student_notebook_is_rejected_with_the_reason(tmp_path, a):
    folder = class_folder(tmp_path, a, {"s001": kit.all_right(a, "s001")})
    summary = G.grade(assignment=a, submissions=folder, db=tmp_path / "gb.sqlite", roster=kit.roster(),
                      secret=None, progress=False)
    assert "no instructor secret" in summary.rejected[0][1]


def test_a_class_notebook_released_without_roster_is_graded_with_the_common_variant(tmp_path, a):
    nb = kit.released(a, None, secret=None)
    answers = kit.all_right(a, None, secret=None)
    kit.save(kit.answer_notebook(nb, answers), tmp_path / "s" / "Jane Doe_501_assignsubmission_file_t_all.ipynb")
    summary = G.grade(assignment=a, submissions=tmp_path / "s", db=tmp_path / "gb.sqlite", roster=kit.roster(),
                      secret=None, progress=False)
    assert summary.status["graded"] == 1
    assert scores(tmp_path / "gb.sqlite", a.name)["s001"][1] == a.total_points


def test_read_keeps_every_file_as_a_reading_even_when_it_cannot_be_read():
    r = R.read(Incoming("odd/link.ipynb", problem="a symbolic link"))
    assert r.problem == "a symbolic link" and r.records == [] and len(r.sha256) == 64
    assert isinstance(r.lms, LmsName)
