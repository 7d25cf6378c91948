"""Exports from the gradebook: CSV for people and for the LMS, Gradescope results, feedback pages.

``export(assignment=..., db=..., out=...)`` writes into ``out``:

==============================  ==============================================================
``<a>_wide.csv``                one row per student: status, total, a score column per exercise
``<a>_long.csv``                one row per student and exercise: score, raw, penalty, attempts, why
``<a>_submissions.csv``         one row per file received: status and reason (every input)
``<a>_canvas.csv``              Canvas gradebook import (Grades > Import)
``<a>_moodle_worksheet.csv``    Moodle assignment grading worksheet (Upload grading worksheet)
``<a>_moodle_gradebook.csv``    Moodle gradebook CSV import, matched by e-mail or ID number
``<a>_unmarked.csv``            written answers still awaiting marking (with wide, Canvas or Moodle)
``gradescope/<id>/results.json`` Gradescope autograder results, one per student
``feedback/<id>.html``          per-student feedback page
==============================  ==============================================================

The score exported for a student is that of the submission that counts for them (see
``resolve.resolve``), with the marks of its written answers (``marking.store``). While a written
answer awaits marking, its wide-CSV cell says ``unmarked``, the LMS files leave the grade empty
and say why, and Gradescope holds the result back. Keys are never written unless ``reveal_keys`` is set; explanations are
included in feedback when the assignment's ``report.explanations`` allows it.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from markupsafe import Markup, escape

from .. import checking
from .. import models as m
from .. import types
from .assignment import Assignment
from .scoring import AWAITING
from .gradebook import Gradebook
from ..jinja import environment
from ..marking import store
from ..marking.store import MARKED
from ..markdown import to_html, to_text
from ..wording import number
from .roster import Student
from .variants import COMMON, variant

FORMATS = ("wide", "long", "submissions", "canvas", "moodle", "gradescope", "feedback")


@dataclass
class StudentResult:
    student: Student
    outcome: Mapping[str, Any] | None  # the counted outcome, else the latest rejected one, else None
    file: str = ""
    late: bool = False
    scores: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return bool(self.outcome and self.outcome["counts"])

    @property
    def status(self) -> str:
        if self.outcome is None:
            return "no submission"
        return self.outcome["status"] if self.counted else "rejected"

    @property
    def score(self) -> float | None:
        """The counted outcome's automatic score plus the marks of its marked written answers."""
        if not self.counted:
            return None
        return round(float(self.outcome["score"]) + sum(float(s["score"]) for s in self.scores
                                                         if s["status"] == MARKED), 6)

    @property
    def unmarked(self) -> list[str]:
        """Written answers still awaiting a person (their points are not in ``score``)."""
        return [s["exercise"] for s in self.scores if s["status"] == AWAITING]


def results(gb: Gradebook, a: Assignment) -> tuple[list[StudentResult], list[tuple[Mapping, Mapping]]]:
    """Per student (every student in the gradebook), and every submission with its current outcome;
    written answers carry their marks (``marking.store.apply``)."""
    subs = list(gb.current(a.name))
    marks = store.current(gb, a)
    by_student: dict[str, StudentResult] = {}
    students = {s.id.lower(): s for s in gb.students()}
    in_roster = {r["id"].lower(): bool(r["in_roster"]) for r in gb.student_rows().values()}
    for sub, out in subs:
        sid = (out["student"] or "").lower()
        if not sid or sid not in students:
            continue
        current = by_student.get(sid)
        better = current is None or (out["counts"] and not current.counted) or (
            not current.counted and not out["counts"] and out["id"] > current.outcome["id"])
        if better:
            by_student[sid] = StudentResult(students[sid], out, sub["file"], bool(sub["late"]),
                                            store.apply(a, sid, gb.outcome_scores(out["id"]), marks)
                                            if out["counts"] else [])
    ordered = []
    for key, s in sorted(students.items()):
        if key in by_student:
            ordered.append(by_student[key])
        elif in_roster.get(key, False):
            ordered.append(StudentResult(s, None))
    return ordered, subs


def _fmt(x: float | None) -> str:
    return "" if x is None else number(x, places=4)


_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return (a formula to Excel, LibreOffice and Google Sheets) gets a leading ``'``.
    Plain numbers are left alone."""
    if isinstance(value, str) and _FORMULA.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> Path:
    """Every CSV export goes through here, so every cell is neutralised (``csv_safe``)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([csv_safe(v) for v in header])
        w.writerows([csv_safe(v) for v in row] for row in rows)
    return path


def late_text(lms_late: bool, outcome: Mapping[str, Any] | None) -> str:
    """The ``late`` column: which evidence says the submission is late ("LMS", "record times", both, or "")."""
    from .scoring import LATE_LMS, LATE_RECORDS
    notes = json.loads(outcome["notes"]) if outcome is not None and outcome["notes"] else []
    found = [name for name, hit in (("LMS", lms_late or LATE_LMS in notes), ("record times", LATE_RECORDS in notes)) if hit]
    return " and ".join(found)


def write_wide(a: Assignment, res: list[StudentResult], path: Path) -> Path:
    ids = [it.id for it in a.items]
    header = ["student_id", "name", "email", "section", "status", "score", "points", "percent", "late", "file",
              "reason", "unmarked"] + ids
    rows = []
    for r in res:
        by_ex = {s["exercise"]: s for s in r.scores}
        score = r.score
        rows.append([r.student.id, r.student.name, r.student.email, r.student.section, r.status, _fmt(score),
                     _fmt(a.total_points), _fmt(round(100 * score / a.total_points, 2)) if score is not None else "",
                     late_text(r.late, r.outcome), r.file, "" if r.outcome is None or r.status == "graded" else r.outcome["reason"],
                     " ".join(r.unmarked)]
                    + [_cell(by_ex[i]) if i in by_ex else "" for i in ids])
    return _write_csv(path, header, rows)


def _cell(score: Mapping[str, Any]) -> str:
    """An exercise's cell in the wide CSV: its score, or "unmarked" for a written answer awaiting a person."""
    return "unmarked" if score["status"] == AWAITING else _fmt(score["score"])


def write_unmarked(a: Assignment, res: list[StudentResult], path: Path) -> Path:
    """Every written answer still awaiting a person, and how far its marking has got; the LMS
    files leave these students' grades empty, so a partial total is never uploaded as final."""
    rows = [[r.student.id, r.student.name, s["number"], s["exercise"], _title(a, s["exercise"]), s["reason"]]
            for r in res for s in r.scores if s["status"] == AWAITING]
    return _write_csv(path, ["student_id", "name", "number", "exercise", "title", "state"], rows)


def write_long(a: Assignment, res: list[StudentResult], path: Path) -> Path:
    header = ["student_id", "name", "number", "exercise", "title", "status", "score", "points", "raw", "penalty",
              "attempts", "reason"]
    titles = {it.id: _title(a, it.id) for it in a.items}
    rows = []
    for r in res:
        for s in r.scores:
            rows.append([r.student.id, r.student.name, s["number"], s["exercise"], titles.get(s["exercise"], ""),
                         s["status"], _fmt(s["score"]), _fmt(s["points"]), _fmt(s["raw"]), _fmt(s["penalty"]),
                         "" if s["attempts"] is None else s["attempts"], s["reason"]])
    return _write_csv(path, header, rows)


def write_submissions(a: Assignment, subs: list[tuple[Mapping, Mapping]], path: Path) -> Path:
    header = ["file", "sha256", "student_id", "status", "counts", "score", "points", "reason", "notes", "lms", "late"]
    rows = [[s["file"], s["sha256"], o["student"] or "", o["status"], "yes" if o["counts"] else "",
             _fmt(o["score"]) if o["status"] != "rejected" else "", _fmt(o["points"]), o["reason"],
             " | ".join(json.loads(o["notes"])), s["lms"], late_text(bool(s["late"]), o)] for s, o in subs]
    return _write_csv(path, header, rows)


def write_canvas(a: Assignment, res: list[StudentResult], path: Path, column: str | None = None) -> Path:
    """Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the
    assignment column (name it "Title (canvas assignment id)" to update an existing column; a
    new name creates a new assignment). The second row gives the points possible. Students
    without a counted submission get an empty cell, which Canvas leaves unchanged."""
    column = column or a.title
    rows = [["Points Possible", "", "", "", "", _fmt(a.total_points)]]
    for r in res:
        s = r.student
        if not (s.canvas_id or s.sis_id or s.sis_login):
            continue
        name = s.name or s.id
        rows.append([name, s.canvas_id, s.sis_id, s.sis_login, s.section, _final(r)])
    return _write_csv(path, ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column], rows)


def _final(r: StudentResult) -> str:
    """The grade an LMS gets: empty (left unchanged there) while a written answer awaits marking."""
    return "" if r.unmarked else _fmt(r.score)


def _comment(a: Assignment, r: StudentResult) -> str:
    if not r.counted:
        return r.outcome["reason"] if r.outcome is not None else ""
    parts = [f"{s['number']}. {_title(a, s['exercise'])}: "
             + ("awaiting marking" if s["status"] == AWAITING else f"{_fmt(s['score'])}/{_fmt(s['points'])}")
             for s in r.scores]
    if r.unmarked:
        return (f"Not final: {len(r.unmarked)} written answer(s) awaiting marking; {_fmt(r.score)} of "
                f"{_fmt(a.total_points)} so far. " + "; ".join(parts))
    return f"Score {_fmt(r.score)} of {_fmt(a.total_points)}. " + "; ".join(parts)


def write_moodle(a: Assignment, res: list[StudentResult], out: Path) -> list[Path]:
    """Two Moodle files: the assignment's grading worksheet (rows need the participant number
    from Moodle download names or a worksheet roster), and a gradebook import matched by e-mail
    address or ID number."""
    worksheet = _write_csv(out / f"{a.name}_moodle_worksheet.csv",
                           ["Identifier", "Full name", "Email address", "Grade", "Maximum Grade", "Feedback comments"],
                           [[f"Participant {r.student.moodle_id}", r.student.name, r.student.email, _final(r),
                             _fmt(a.total_points), _comment(a, r)] for r in res if r.student.moodle_id])
    gradebook = _write_csv(out / f"{a.name}_moodle_gradebook.csv",
                           ["ID number", "Email address", "Full name", a.title, "Feedback"],
                           [[r.student.sis_id or r.student.id, r.student.email, r.student.name, _final(r),
                             _comment(a, r)] for r in res if r.student.email or r.student.sis_id])
    return [worksheet, gradebook]


def gradescope_results(a: Assignment, r: StudentResult) -> dict[str, Any]:
    """Gradescope's autograder ``results.json`` for one student (one test per exercise)."""
    if not r.counted:
        reason = r.outcome["reason"] if r.outcome is not None else "no submission"
        return {"score": 0.0, "output": f"Not graded: {reason}", "visibility": "visible", "tests": []}
    tests = []
    for s in r.scores:
        fb = json.loads(s["feedback"]) if s["feedback"] else {}
        lines = [s["reason"]] if s["reason"] else []
        if s.get("marks") is not None:  # a written answer: the rubric, criterion by criterion
            lines = [("Awaiting marking. " if s["status"] == AWAITING else "") + (s["reason"] or "")]
            lines += [f"{c['title']}: " + (f"{c['label']} ({_fmt(c['points'])}/{_fmt(c['top'])})" if c["level"] is not None
                                           else "not marked yet") + (f". {c['comment']}" if c["comment"] else "")
                      for c in s["marks"]]
        else:
            lines += [to_text(p["feedback"]) for p in fb.get("parts", []) if p.get("feedback")]
            if fb.get("message"):
                lines.append(fb["message"])
        tests.append({"name": f"Exercise {s['number']}: {_title(a, s['exercise'])}", "number": str(s["number"]),
                      "score": round(float(s["score"]), 4), "max_score": float(s["points"]),
                      "status": "passed" if s["score"] >= s["points"] - 1e-9 and s["status"] != AWAITING else "failed",
                      "output": "\n".join(lines), "visibility": _visibility(a, s["exercise"])})
    # the total gives away the no-feedback scores, so it waits for them
    hidden = any(t["visibility"] != "visible" for t in tests)
    output = f"{a.title}: {r.outcome['reason']}"
    if r.unmarked:
        output += f". Not final: awaiting marking: {', '.join(_title(a, e) for e in r.unmarked)}"
        hidden = True
    return {"score": round(float(r.score or 0.0), 4), "output": output,
            "visibility": "after_published" if hidden else "visible", "stdout_visibility": "hidden", "tests": tests}


def _visibility(a: Assignment, ex_id: str) -> str:
    """Gradescope visibility of one exercise's result: at once for immediate feedback (the student
    saw it in the notebook), only once the instructor publishes grades for ``feedback: none``."""
    return "visible" if a.item(ex_id).policy.feedback == "immediate" else "after_published"


def _title(a: Assignment, ex_id: str) -> str:
    item = a.item(ex_id)
    if item.params:
        return str(item.raw.get("title", ex_id))
    return a.exercises[ex_id].title


# --- per-student feedback pages ---------------------------------------------------------------------

def answer_html(ex: m.Exercise, answer: Any) -> str:
    """A person-readable rendering of an answer (option texts, not ids). Never raises."""
    try:
        return _answer_html(ex, answer)
    except Exception:  # noqa: BLE001 - an answer of an odd shape is shown as it was recorded
        return f"<pre>{escape(json.dumps(answer, ensure_ascii=False)[:2000])}</pre>"


def _answer_html(ex: m.Exercise, answer: Any) -> str:
    if answer is None:
        return ""
    return types.kind(ex.type).answer_html(ex, answer)


STATUS_TEXT = {"missing": "No answer was recorded.", "blank": "The recorded answer was blank.",
               "conflict": "Two different answers were recorded; a person will decide.",
               "foreign": "The only answer found was recorded in another student's notebook.",
               "invalid": "The recorded answer could not be read."}


def _environment():
    return environment("grading", {"points": lambda x: _fmt(float(x)),
                                   "markdown": lambda text: Markup(to_html(text))})  # the instructor's rubric text


def feedback_page(a: Assignment, r: StudentResult, *, secret: bytes | None, reveal_keys: bool = False,
                  graded_at: str | None = None) -> str:
    env = _environment()
    css = (resources.files("exercises") / "templates" / "grading" / "feedback.css").read_text("utf-8")
    exercises = []
    if r.counted:
        who = r.outcome["variant"]
        var = variant(a, secret, None if who in (None, COMMON) else who)
        show_key = reveal_keys or a.report_key
        for s in r.scores:
            item = a.item(s["exercise"])
            ex = a.exercise(item.id, var.choice(item.id))
            fb = json.loads(s["feedback"]) if s["feedback"] else {}
            parts = [p for p in fb.get("parts", []) if p.get("feedback")]
            feedback = "".join(to_html(p["feedback"]) for p in parts)
            if fb.get("message"):
                feedback += f"<p>{escape(fb['message'])}</p>"
            answer = None if s["answer"] is None else json.loads(s["answer"])
            key_html = ""
            if show_key:
                key_html = answer_html(ex, checking.key_answer(ex))
            marks = s.get("marks")
            if marks is not None:  # a written answer: the levels, descriptors and comments, no automatic feedback
                feedback = ""
            exercises.append({
                "marks": marks, "awaiting": s["status"] == AWAITING,
                "id": ex.id, "number": item.number, "title": ex.title, "score": s["score"], "points": s["points"],
                "raw": s["raw"], "penalty": s["penalty"], "attempts": s["attempts"], "status": s["status"],
                "status_text": STATUS_TEXT.get(s["status"], ""), "reason": s["reason"],
                "prompt_html": to_html(ex.prompt), "answer_html": answer_html(ex, answer) if answer is not None else "",
                "feedback_html": feedback, "key_html": key_html,
                "explanation_html": to_html(ex.explanation) if a.report_explanations else "",
            })
    outcome = None
    if r.outcome is not None:
        outcome = {"score": r.score or 0.0, "points": a.total_points, "status": r.status,
                   "reason": r.outcome["reason"], "notes": [n for n in json.loads(r.outcome["notes"])],
                   "unmarked": len(r.unmarked)}
    return env.get_template("feedback.html.j2").render(
        assignment=a, student=r.student, outcome=outcome, exercises=exercises, css=css,
        graded_at=graded_at or dt.date.today().isoformat())


def safe_name(student_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", student_id)


def export(*, assignment: Assignment, db: Path, out: Path, formats: Iterable[str] = FORMATS,
           reveal_keys: bool = False, canvas_column: str | None = None, secret: bytes | None = None) -> list[Path]:
    """Write the chosen exports into ``out``; returns the files written."""
    formats = list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s): {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    a = assignment
    written: list[Path] = []
    with Gradebook(db) as gb:
        res, subs = results(gb, a)
        if "wide" in formats:
            written.append(write_wide(a, res, out / f"{a.name}_wide.csv"))
        if "long" in formats:
            written.append(write_long(a, res, out / f"{a.name}_long.csv"))
        if "submissions" in formats:
            written.append(write_submissions(a, subs, out / f"{a.name}_submissions.csv"))
        if "canvas" in formats:
            written.append(write_canvas(a, res, out / f"{a.name}_canvas.csv", canvas_column))
        if "moodle" in formats:
            written += write_moodle(a, res, out)
        if store.written_items(a) and {"wide", "canvas", "moodle"} & set(formats):
            written.append(write_unmarked(a, res, out / f"{a.name}_unmarked.csv"))
        if "gradescope" in formats:
            for r in res:
                folder = out / "gradescope" / safe_name(r.student.id)
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / "results.json"
                path.write_text(json.dumps(gradescope_results(a, r), indent=1, ensure_ascii=False), "utf-8")
                written.append(path)
        if "feedback" in formats:
            folder = out / "feedback"
            folder.mkdir(parents=True, exist_ok=True)
            for r in res:
                path = folder / f"{safe_name(r.student.id)}.html"
                path.write_text(feedback_page(a, r, secret=secret, reveal_keys=reveal_keys), "utf-8")
                written.append(path)
    return written
