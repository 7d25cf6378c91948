"""The SQLite gradebook: append-only history, students filled not overwritten, clear errors."""
from __future__ import annotations

import sqlite3

import pytest

from exercises.grading.gradebook import Gradebook, GradebookError, Outcome, ScoreRow
from exercises.grading.roster import Student


def outcome(score: float, status: str = "graded", reason: str = "1 of 1 exercises answered") -> Outcome:
    row = ScoreRow("howto_ex1", 1, "scored", score, 1.0, score, 0.0, 1, "rsct", {"parts": []}, "")
    return Outcome(status, reason, score, 1.0, "s001", ("a note",), (row,), counts=True, variant="s001")


def test_a_new_gradebook_has_every_table_and_its_version(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        assert gb.counts() == {"students": 0, "runs": 0, "submissions": 0, "outcomes": 0, "scores": 0, "marks": 0}
    db = sqlite3.connect(tmp_path / "gb.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)


def test_students_are_added_and_their_empty_fields_filled_never_overwritten(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        gb.add_students([Student("s001", name="Jane Doe")])
        gb.add_students([Student("s001", name="Someone Else", canvas_id="1001")], in_roster=False)
        (s,) = gb.students()
        assert (s.name, s.canvas_id) == ("Jane Doe", "1001")


def test_outcomes_are_appended_and_the_latest_is_current(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        run = gb.new_run("t", "grade", "f1")
        sid = gb.add_submission(assignment="t", file="a.ipynb", sha256="0" * 64, size=10, run=run, mtime=None,
                                lms={}, nb={}, records=[], record_notes=[], read_problem=None)
        gb.add_outcome(sid, run, "f1", outcome(1.0))
        run2 = gb.new_run("t", "regrade", "f2")
        gb.add_outcome(sid, run2, "f2", outcome(0.0))
        assert [o["score"] for o in gb.history(sid)] == [1.0, 0.0]
        (sub, current), = gb.current("t")
        assert current["score"] == 0.0 and current["fingerprint"] == "f2"
        assert [s["answer"] for s in gb.outcome_scores(current["id"])] == ['"rsct"']
        assert gb.find_submission("t", "a.ipynb", "0" * 64)["id"] == sid
        assert gb.find_submission("t", "a.ipynb", "1" * 64) is None


def test_same_as_compares_what_a_person_would_see(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        run = gb.new_run("t", "grade", "f1")
        sid = gb.add_submission(assignment="t", file="a.ipynb", sha256="0" * 64, size=10, run=run, mtime=None,
                                lms={}, nb={}, records=[], record_notes=[], read_problem=None)
        gb.add_outcome(sid, run, "f1", outcome(1.0))
        row = gb.current_outcome(sid)
        scores = gb.outcome_scores(row["id"])
        assert outcome(1.0).same_as(row, scores)
        assert not outcome(0.5).same_as(row, scores)
        assert not outcome(1.0, reason="something else").same_as(row, scores)


def test_the_same_file_cannot_be_stored_twice(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        run = gb.new_run("t", "grade", "f")
        kw = dict(assignment="t", file="a.ipynb", sha256="0" * 64, size=1, run=run, mtime=None, lms={}, nb={},
                  records=[], record_notes=[], read_problem=None)
        gb.add_submission(**kw)
        with pytest.raises(sqlite3.IntegrityError):
            gb.add_submission(**kw)


def test_a_file_that_is_not_a_gradebook_is_refused_clearly(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("these are my notes, not a database" * 100)
    with pytest.raises(GradebookError, match="not a gradebook database"):
        Gradebook(bad)


def test_a_gradebook_of_another_schema_version_is_refused(tmp_path):
    with Gradebook(tmp_path / "gb.sqlite"):
        pass
    db = sqlite3.connect(tmp_path / "gb.sqlite")
    db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    db.commit()
    db.close()
    with pytest.raises(GradebookError, match="schema version 99"):
        Gradebook(tmp_path / "gb.sqlite")


def test_an_error_inside_a_batch_rolls_the_batch_back(tmp_path):
    with pytest.raises(RuntimeError):
        with Gradebook(tmp_path / "gb.sqlite") as gb:
            gb.new_run("t", "grade", "f")
            raise RuntimeError("interrupted")
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        assert gb.counts()["runs"] == 0


def test_the_gradebook_maps_its_rows_back_to_the_objects_they_were_stored_from(tmp_path):
    """regrade works from these: an outcome with its scores, a submission as the grader read it."""
    from exercises.grading.reading import Reading
    from exercises.grading.submissions import LmsName
    lms = LmsName("canvas", "1001", "doejane", True, "5001", "", 2)
    records = [{"exercise": "howto_ex1", "answer": "rsct", "attempts": 2, "time": "2026-10-10T10:00:00Z", "cell": 3}]
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        run = gb.new_run("t", "grade", "f1")
        sid = gb.add_submission(assignment="t", file="a.ipynb", sha256="0" * 64, size=10, run=run, mtime=12.5,
                                lms=lms.__dict__, nb={"assignment": "t", "student": "s001", "variant": "v1"},
                                records=records, record_notes=["cell 4: a note"], read_problem=None)
        stored = outcome(1.0)
        gb.add_outcome(sid, run, "f1", stored)
        assert gb.outcome(gb.current_outcome(sid)) == stored
        got = gb.reading(gb.submission(sid))
        assert isinstance(got, Reading) and got.lms == lms and got.records == records
        assert (got.file, got.size, got.mtime, got.record_notes, got.problem) == ("a.ipynb", 10, 12.5, ["cell 4: a note"], None)
        assert got.info["student"] == "s001" and got.info["variant"] == "v1"
        (row,) = gb.candidates("t", "s001")
        cand = gb.candidate(row)
        assert (cand["id"], cand["file"], cand["lms_key"], cand["resubmission"]) == (sid, "a.ipynb", "1001", 2)
        assert cand["last_record_time"] > 0  # the latest record's time, which resolve weighs
