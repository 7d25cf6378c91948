"""Written answers through grading: awaiting marking (never zero), marks saved per criterion with
history, conflicts between two markers, clear errors, and every export carrying the marks."""
import csv
import json

import pytest

import gradingkit as K
from markingkit import TEXTS, graded_class

from exercises.grading import export as E
from exercises.grading.gradebook import Gradebook
from exercises.marking import store as S

AUTO = 29.0  # the test assignment's automatic points (all answered right)


@pytest.fixture()
def graded(tmp_path):
    return graded_class(tmp_path)


def test_grade_leaves_written_answers_awaiting_marking_not_zero(graded):
    a, db = graded
    with Gradebook(db) as gb:
        res, _ = E.results(gb, a)
        by = {r.student.id: r for r in res}
        row = next(s for s in by["s001"].scores if s["exercise"] == "tall_ex3")
        assert row["status"] == "awaiting marking" and row["points"] == 5
        assert "awaiting marking" in by["s001"].outcome["reason"]
        assert by["s001"].unmarked == ["tall_ex3"] and by["s001"].score == AUTO
        far = next(s for s in by["s003"].scores if s["exercise"] == "tall_ex3")
        assert "100 words, far over the limit of 40" in far["reason"]
        responses = S.responses(gb, a)
    assert [r.student for r in responses] == ["s001", "s002", "s003"]
    assert responses[2].text == TEXTS["s003"] and responses[2].words == 100  # nothing cut, nothing lost
    assert responses[0].anon.startswith("Response ") and "s001" not in responses[0].anon


def _mark_all(gb, a, student, levels, marker="TA One", comment=""):
    for crit, level in levels.items():
        S.save(gb, a, student=student, exercise="tall_ex3", criterion=crit, level=level, marker=marker, comment=comment)


def test_marks_count_once_every_criterion_is_marked_and_keep_history(graded):
    a, db = graded
    with Gradebook(db) as gb:
        S.save(gb, a, student="s001", exercise="tall_ex3", criterion="position", level=1, marker="TA One")
        res = {r.student.id: r for r in E.results(gb, a)[0]}
        assert res["s001"].unmarked == ["tall_ex3"] and res["s001"].score == AUTO
        assert "1 of 2 criteria marked" in next(s for s in res["s001"].scores if s["exercise"] == "tall_ex3")["reason"]
        S.save(gb, a, student="S001", exercise="tall_ex3", criterion="evidence", level=2, marker="TA One",
               comment="Two dated events.")
        S.save(gb, a, student="s001", exercise="tall_ex3", criterion="position", level=2, marker="TA Two")
        res = {r.student.id: r for r in E.results(gb, a)[0]}
        assert res["s001"].unmarked == [] and res["s001"].score == AUTO + 5
        hist = S.history(gb, a, "s001", "tall_ex3")
        assert [(h.criterion, h.level, h.marker) for h in hist] == [
            ("position", 1, "TA One"), ("evidence", 2, "TA One"), ("position", 2, "TA Two")]
        assert all(h.marked.endswith("Z") for h in hist)
        assert S.counts(gb, a) == {"responses": 3, "marked": 1, "partly": 0, "unmarked": 2}


def test_two_markers_cannot_lose_a_mark(graded):
    a, db = graded
    with Gradebook(db) as one, Gradebook(db) as two:
        seen = S.current(one, a).get(("s002", "tall_ex3"), {}).get("position")
        assert seen is None
        first = S.save(one, a, student="s002", exercise="tall_ex3", criterion="position", level=1, marker="A", expect=0)
        with pytest.raises(S.MarkConflict, match="A marked position of this response at .* \\(Developing\\) after you "
                                                 "opened it; yours was not saved") as err:
            S.save(two, a, student="s002", exercise="tall_ex3", criterion="position", level=0, marker="B", expect=0)
        assert err.value.current.id == first.id
        S.save(two, a, student="s002", exercise="tall_ex3", criterion="position", level=0, marker="B", expect=first.id)
        assert [h.marker for h in S.history(one, a, "s002", "tall_ex3")] == ["A", "B"]


@pytest.mark.parametrize("kwargs,message", [
    ({"student": "nobody"}, "no written answer of 'nobody' to tall_ex3 awaits marking in t_all"),
    ({"exercise": "howto_ex1"}, "'howto_ex1' is not a written exercise of t_all"),
    ({"exercise": "ghost_ex1"}, "'ghost_ex1' is not a written exercise of t_all"),
    ({"criterion": "style"}, "tall_ex3 has no criterion 'style' (it has position, evidence)"),
    ({"level": 3}, "tall_ex3, position: no level 3 (levels 0-2: Missing, Developing, Secure)"),
    ({"level": True}, "no level True"),
    ({"marker": "  "}, "a mark needs the marker's name"),
    ({"round": 3}, "no marking round 3"),
])
def test_a_bad_mark_is_a_clear_error_and_writes_nothing(graded, kwargs, message):
    a, db = graded
    args = dict(student="s001", exercise="tall_ex3", criterion="position", level=1, marker="TA")
    args.update(kwargs)
    with Gradebook(db) as gb:
        with pytest.raises(S.MarkError, match=message.replace("(", "\\(").replace(")", "\\)")):
            S.save(gb, a, **args)
        assert gb.counts()["marks"] == 0
        S.save(gb, a, student="s001", exercise="tall_ex3", criterion="position", level=1, marker="TA")  # still writable


def test_a_changed_response_must_be_marked_again(tmp_path):
    a, db = graded_class(tmp_path)
    with Gradebook(db) as gb:
        _mark_all(gb, a, "s001", {"position": 2, "evidence": 2})
    # the student hands in again with another text; the newer submission counts
    texts = dict(TEXTS, s001="A different answer entirely, with new evidence from 2026 talks.")
    nb = K.answer_notebook(K.released(a, "s001"), dict(K.all_right(a, "s001"), tall_ex3=texts["s001"]),
                           time="2026-10-12T10:00:00Z")
    K.save(nb, tmp_path / "subs" / "s001.ipynb")
    from exercises.grading import batch as G
    G.grade(assignment=a, submissions=tmp_path / "subs", db=db, roster=K.roster(), secret=K.SECRET)
    with Gradebook(db) as gb:
        r = {r.student.id: r for r in E.results(gb, a)[0]}["s001"]
        row = next(s for s in r.scores if s["exercise"] == "tall_ex3")
        assert row["status"] == "awaiting marking" and "the answer changed after it was marked" in row["reason"]
        assert len(S.history(gb, a, "s001", "tall_ex3")) == 2  # the old marks are kept


def test_second_marking_lists_disagreements_and_never_counts(graded):
    a, db = graded
    with Gradebook(db) as gb:
        sample = S.moderation_sample(gb, a, fraction=0.5, least=2, seed="x")
        assert len(sample) == 2 and sample == S.moderation_sample(gb, a, fraction=0.5, least=2, seed="x")
        for r in sample:
            _mark_all(gb, a, r.student, {"position": 1, "evidence": 2}, marker="First")
            S.save(gb, a, student=r.student, exercise="tall_ex3", criterion="position", level=2, marker="Second", round=2)
            S.save(gb, a, student=r.student, exercise="tall_ex3", criterion="evidence", level=2, marker="Second", round=2)
        dis = S.disagreements(gb, a)
        assert [(d["student"], d["criterion"], d["first"], d["second"]) for d in dis] == [
            (r.student, "position", 1, 2) for r in sample]
        res = {r.student.id: r for r in E.results(gb, a)[0]}
        assert all(res[r.student].score == AUTO + 4 for r in sample)  # round 1 counts
        with pytest.raises(S.MarkError, match="a fraction in"):
            S.moderation_sample(gb, a, fraction=0)


def test_every_export_carries_written_marks_and_names_the_unmarked(graded, tmp_path):
    a, db = graded
    with Gradebook(db) as gb:
        _mark_all(gb, a, "s001", {"position": 2, "evidence": 1}, comment="Good <b>position</b>; one more source.")
    out = tmp_path / "out"
    E.export(assignment=a, db=db, out=out, secret=K.SECRET)

    def rows(name):
        with (out / name).open(encoding="utf-8") as fh:
            return {r["student_id"] if "student_id" in r else r.get("Student") or r.get("Email address"): r
                    for r in csv.DictReader(fh)}
    wide = rows("t_all_wide.csv")
    assert (wide["s001"]["tall_ex3"], wide["s001"]["score"], wide["s001"]["unmarked"]) == ("4", "33", "")
    assert (wide["s002"]["tall_ex3"], wide["s002"]["score"], wide["s002"]["unmarked"]) == ("unmarked", "29", "tall_ex3")
    unmarked = list(csv.DictReader((out / "t_all_unmarked.csv").open(encoding="utf-8")))
    assert [(u["student_id"], u["exercise"]) for u in unmarked] == [("s002", "tall_ex3"), ("s003", "tall_ex3")]
    with (out / "t_all_long.csv").open(encoding="utf-8") as fh:
        long = [r for r in csv.DictReader(fh) if r["exercise"] == "tall_ex3"]
    assert [(r["student_id"], r["status"], r["score"]) for r in long] == [
        ("s001", "marked", "4"), ("s002", "awaiting marking", "0"), ("s003", "awaiting marking", "0")]
    canvas = list(csv.reader((out / "t_all_canvas.csv").open(encoding="utf-8")))
    assert [r[5] for r in canvas[2:]] == ["33", "", ""]  # no partial total reaches the LMS
    moodle = list(csv.DictReader((out / "t_all_moodle_gradebook.csv").open(encoding="utf-8")))
    assert moodle[1]["Feedback"].startswith("Not final: 1 written answer(s) awaiting marking") and moodle[1][a.title] == ""
    gs1 = json.loads((out / "gradescope" / "s001" / "results.json").read_text("utf-8"))
    test = next(t for t in gs1["tests"] if t["name"].endswith("Insulator or member?"))
    assert test["score"] == 4 and "A clear position: Secure (2/2)" in test["output"]
    assert "Good <b>position</b>" in test["output"]  # JSON text; Gradescope shows it as text
    gs2 = json.loads((out / "gradescope" / "s002" / "results.json").read_text("utf-8"))
    assert "Not final: awaiting marking: Insulator or member?" in gs2["output"] and gs2["visibility"] == "after_published"
    page1 = (out / "feedback" / "s001.html").read_text("utf-8")
    assert "Two dated pieces" not in page1 and "One dated piece of evidence." in page1  # the level given, with its descriptor
    assert "Good &lt;b&gt;position&lt;/b&gt;; one more source." in page1 and "<b>position</b>" not in page1
    assert "A position derived from the <em>definition</em>." in page1
    page2 = (out / "feedback" / "s002.html").read_text("utf-8")
    assert "Not final: 1 written answer still awaiting marking" in page2
    assert "<script>alert" not in page2 and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page2
    assert "PRIVATE-MODEL" not in page1 + page2
