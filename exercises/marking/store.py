"""Marks of written answers in the gradebook: saved one criterion at a time, never overwritten.

``grade`` stores a written answer with the status *awaiting marking* (``grading.scoring.AWAITING``) in the
student's counted outcome. A marker's level for one criterion is a new row of the gradebook's
``marks`` table (who, when, which response it was given to); the current mark of a criterion is
its newest row, and every older row stays as history. Two markers at once cannot lose a mark:
each save names the mark it replaces (``expect``), and if somebody else saved in between, the
save is refused with ``MarkConflict`` naming their mark, inside one write transaction.

``apply`` turns the awaiting rows of a student into marked ones for every export, so the CSVs,
LMS files and feedback pages read one set of rows. Round 2 is second marking (moderation): it
never counts; ``disagreements`` lists where the two rounds differ.
"""
from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..grading.assignment import Assignment
from ..grading.scoring import AWAITING
from ..clock import utc_now
from ..grading.gradebook import Gradebook, GradebookError
from ..types import written

MARKED = "marked"
#: round 1 counts; round 2 is the second marker's, for moderation
ROUNDS = (1, 2)
MAX_COMMENT = 4000
MAX_MARKER = 80


class MarkError(ValueError):
    """A mark that cannot be saved (no such student, item, criterion or level): the message says which."""


class MarkConflict(MarkError):
    """Somebody else saved a mark of this criterion since the marker loaded it; ``current`` is theirs."""

    def __init__(self, message: str, current: "CriterionMark"):
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Response:
    """One written answer to mark: the counted submission's text for one student and exercise."""

    student: str
    exercise: str
    number: int
    text: str
    sha: str
    words: int
    note: str  # what grade said about it (length)
    anon: str  # a stable pseudonym for anonymous marking

    @property
    def key(self) -> tuple[str, str]:
        return (self.student.lower(), self.exercise)


@dataclass(frozen=True)
class CriterionMark:
    id: int
    student: str
    exercise: str
    criterion: str
    round: int
    level: int
    points: float
    comment: str
    marker: str
    marked: str
    response: str  # sha256 of the text marked


def response_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pseudonym(assignment: str, student: str) -> str:
    """"Response 3f9a1c": the same for a student throughout an assignment, unrelated to the id."""
    return "Response " + hashlib.sha256(f"exercises.anon/1|{assignment}|{student.lower()}".encode()).hexdigest()[:6]


def written_items(a: Assignment) -> list[str]:
    """Ids of the assignment's written exercises, in assignment order."""
    return [it.id for it in a.items if getattr(written_kind(a, it.id), "MANUAL", False)]


def written_kind(a: Assignment, exercise_id: str):
    from .. import types
    return types.kind(a.exercises[exercise_id].type) if exercise_id in a.exercises else None


def rubric(a: Assignment, exercise_id: str) -> tuple[written.Criterion, ...]:
    ex = a.exercises.get(exercise_id)
    if not isinstance(ex, written.Written):
        raise MarkError(f"{exercise_id!r} is not a written exercise of {a.name}")
    return ex.rubric


def scale(a: Assignment, exercise_id: str) -> float:
    """Assignment points per rubric point (an assignment may give a written item other points)."""
    total = sum(c.top for c in rubric(a, exercise_id))
    return a.item(exercise_id).points / total if total else 1.0


def responses(gb: Gradebook, a: Assignment, *, student: str | None = None, exercise: str | None = None) -> list[Response]:
    """Every written answer awaiting a person in the counted submissions (or one student's to one
    exercise), by exercise then student."""
    wanted = set(written_items(a))
    only = "" if student is None else " AND o.student = ? COLLATE NOCASE AND sc.exercise = ?"
    rows = gb.db.execute(
        "SELECT o.student, sc.exercise, sc.number, sc.answer, sc.reason FROM outcomes o"
        " JOIN submissions s ON s.id = o.submission JOIN scores sc ON sc.outcome = o.id"
        " WHERE s.assignment = ? AND o.counts = 1 AND sc.status = ?" + only +
        " AND o.id = (SELECT MAX(id) FROM outcomes WHERE submission = o.submission)"
        " ORDER BY sc.number, o.student COLLATE NOCASE",
        (a.name, AWAITING) + (() if student is None else (student, exercise))).fetchall()
    out = []
    for r in rows:
        if r["exercise"] not in wanted or not r["student"]:
            continue
        try:
            text = written.text_of(json.loads(r["answer"]))[:written.MAX_CHARS]
        except (TypeError, ValueError, written.AnswerShapeError):
            continue  # grade stores only valid written answers as awaiting; anything else is not one
        out.append(Response(r["student"], r["exercise"], r["number"], text, response_sha(text),
                            written.word_count(text), r["reason"], pseudonym(a.name, r["student"])))
    return out


def _row(r: Mapping[str, Any]) -> CriterionMark:
    return CriterionMark(r["id"], r["student"], r["exercise"], r["criterion"], r["round"], r["level"], r["points"],
                         r["comment"], r["marker"], r["marked"], r["response"])


def current(gb: Gradebook, a: Assignment, *, round: int = 1) -> dict[tuple[str, str], dict[str, CriterionMark]]:
    """{(student lower-case, exercise): {criterion: its newest mark}} for one round."""
    rows = gb.db.execute(
        "SELECT * FROM marks WHERE id IN (SELECT MAX(id) FROM marks WHERE assignment = ? AND round = ?"
        " GROUP BY student COLLATE NOCASE, exercise, criterion)", (a.name, round)).fetchall()
    out: dict[tuple[str, str], dict[str, CriterionMark]] = {}
    for r in rows:
        out.setdefault((r["student"].lower(), r["exercise"]), {})[r["criterion"]] = _row(r)
    return out


def history(gb: Gradebook, a: Assignment, student: str, exercise: str) -> list[CriterionMark]:
    """Every mark ever saved for one response, oldest first."""
    return [_row(r) for r in gb.db.execute(
        "SELECT * FROM marks WHERE assignment = ? AND student = ? COLLATE NOCASE AND exercise = ? ORDER BY id",
        (a.name, student, exercise))]


def save(gb: Gradebook, a: Assignment, *, student: str, exercise: str, criterion: str, level: int, marker: str,
         comment: str = "", round: int = 1, expect: int | None = None) -> CriterionMark:
    """Save one criterion's level (and comment) for a student's response. ``expect``: the id of the
    mark the marker was looking at (0 for none); if another was saved since, nothing is written and
    ``MarkConflict`` says whose. Every problem is a ``MarkError`` naming what was wrong."""
    crits = {c.id: c for c in rubric(a, exercise)}
    if criterion not in crits:
        raise MarkError(f"{exercise} has no criterion {criterion!r} (it has {', '.join(crits)})")
    levels = crits[criterion].levels
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level < len(levels):
        raise MarkError(f"{exercise}, {criterion}: no level {level!r} (levels 0-{len(levels) - 1}: "
                        f"{', '.join(lv.label for lv in levels)})")
    if round not in ROUNDS:
        raise MarkError(f"no marking round {round!r} (1: first marking, 2: second marking)")
    marker = " ".join(str(marker or "").split())[:MAX_MARKER]
    if not marker:
        raise MarkError("a mark needs the marker's name")
    comment = str(comment or "")[:MAX_COMMENT]
    gb.begin()
    try:
        resp = next(iter(responses(gb, a, student=str(student), exercise=exercise)), None)
        if resp is None:
            raise MarkError(f"no written answer of {student!r} to {exercise} awaits marking in {a.name}")
        mine = current(gb, a, round=round).get(resp.key, {}).get(criterion)
        if expect is not None and (mine.id if mine else 0) != expect:
            raise MarkConflict(f"{mine.marker} marked {criterion} of this response at {mine.marked} "
                               f"({levels[mine.level].label}) after you opened it; yours was not saved",
                               mine) if mine else MarkError("the mark you replaced is gone; reload")
        cur = gb.db.execute(
            "INSERT INTO marks (assignment, student, exercise, criterion, round, level, points, comment, marker,"
            " marked, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (a.name, resp.student, exercise, criterion, round, level, levels[level].points, comment, marker, utc_now(),
             resp.sha))
        row = gb.db.execute("SELECT * FROM marks WHERE id = ?", (cur.lastrowid,)).fetchone()
        gb.commit()
    except BaseException:
        gb.rollback()
        raise
    return _row(row)


@dataclass(frozen=True)
class ItemMark:
    """Where a response stands: every criterion marked (on the text it has now) or not."""

    status: str  # MARKED | AWAITING
    score: float  # in assignment points (0 until complete)
    criteria: tuple[dict[str, Any], ...]  # per criterion: id, title, level, label, points, top, descriptor, comment, marker
    reason: str


def item_mark(a: Assignment, exercise: str, marks: Mapping[str, CriterionMark], sha: str) -> ItemMark:
    crits = rubric(a, exercise)
    k = scale(a, exercise)
    rows, stale = [], []
    for c in crits:
        mk = marks.get(c.id)
        if mk is not None and mk.response != sha:
            stale.append(c.id)
        lv = c.levels[mk.level] if mk is not None and mk.level < len(c.levels) else None
        rows.append({"id": c.id, "title": c.title, "level": None if lv is None else mk.level,
                     "stale": mk is not None and mk.response != sha,
                     "label": lv.label if lv else "", "points": lv.points * k if lv else None, "top": c.top * k,
                     "descriptor": lv.descriptor if lv else "", "comment": mk.comment if mk else "",
                     "marker": mk.marker if mk else "", "marked": mk.marked if mk else ""})
    done = sum(r["level"] is not None for r in rows)
    if stale:
        return ItemMark(AWAITING, 0.0, tuple(rows), "the answer changed after it was marked (a newer submission "
                        f"counts): mark {', '.join(stale)} again")
    if done < len(rows):
        return ItemMark(AWAITING, 0.0, tuple(rows), f"{done} of {len(rows)} criteria marked" if done else
                        "not marked yet")
    markers = sorted({r["marker"] for r in rows})
    return ItemMark(MARKED, round(sum(r["points"] for r in rows), 6), tuple(rows), "marked by " + ", ".join(markers))


def apply(a: Assignment, student: str, scores: Iterable[Mapping[str, Any]],
          marks: Mapping[tuple[str, str], Mapping[str, CriterionMark]]) -> list[dict[str, Any]]:
    """A student's score rows with the awaiting written answers replaced by their marks: status
    ``marked`` (score = the rubric levels' points) once every criterion is marked, else still
    awaiting with a reason; the criteria ride along under ``"marks"`` for feedback pages."""
    out = []
    for s in scores:
        row = dict(s)
        if row["status"] == AWAITING and row["exercise"] in a.exercises:
            try:
                text = written.text_of(json.loads(row["answer"]))[:written.MAX_CHARS]
            except (TypeError, ValueError, written.AnswerShapeError):
                text = ""
            im = item_mark(a, row["exercise"], marks.get((student.lower(), row["exercise"]), {}), response_sha(text))
            row.update(status=im.status, score=im.score, raw=im.score, marks=list(im.criteria),
                       reason="; ".join(x for x in (im.reason, row["reason"]) if x))
        out.append(row)
    return out


def disagreements(gb: Gradebook, a: Assignment) -> list[dict[str, Any]]:
    """Criteria that both rounds marked differently: student, exercise, criterion, the two levels and markers."""
    first, second = current(gb, a, round=1), current(gb, a, round=2)
    out = []
    for key, crits in sorted(second.items()):
        for cid, m2 in sorted(crits.items()):
            m1 = first.get(key, {}).get(cid)
            if m1 is not None and m1.level != m2.level:
                out.append({"student": m1.student, "exercise": key[1], "criterion": cid, "first": m1.level,
                            "first_marker": m1.marker, "second": m2.level, "second_marker": m2.marker,
                            "difference": m2.points - m1.points})
    return out


def moderation_sample(gb: Gradebook, a: Assignment, *, fraction: float = 0.1, least: int = 5,
                      seed: str = "") -> list[Response]:
    """A reproducible sample of responses for second marking: ``fraction`` of each exercise's
    responses (at least ``least``, at most all), chosen by a seeded shuffle."""
    if not 0 < fraction <= 1 or math.isnan(fraction):
        raise MarkError(f"the moderation sample is a fraction in (0, 1], not {fraction!r}")
    by_ex: dict[str, list[Response]] = {}
    for r in responses(gb, a):
        by_ex.setdefault(r.exercise, []).append(r)
    out = []
    for ex_id, rs in by_ex.items():
        rng = random.Random(f"{a.name}|{ex_id}|{seed}")
        picked = rs[:]
        rng.shuffle(picked)
        out += sorted(picked[:min(len(rs), max(least, math.ceil(fraction * len(rs))))], key=lambda r: r.student.lower())
    return out


def counts(gb: Gradebook, a: Assignment, rs: list[Response] | None = None, *, round: int = 1,
           marks: Mapping[tuple[str, str], Mapping[str, CriterionMark]] | None = None) -> dict[str, int]:
    """How far marking has got in a round: responses, fully marked, partly marked, not started (over
    ``rs`` if given, e.g. round 2's moderation sample; else every response; ``marks``: the round's
    ``current`` marks, if the caller has read them already). A response is fully
    marked when every criterion has a level given on its current text, as ``item_mark`` decides."""
    marks = current(gb, a, round=round) if marks is None else marks
    rs = responses(gb, a) if rs is None else rs
    levels = {ex: [(c.id, len(c.levels)) for c in rubric(a, ex)] for ex in {r.exercise for r in rs}}
    out = {"responses": len(rs), "marked": 0, "partly": 0, "unmarked": 0}
    for r in rs:
        got = marks.get(r.key, {})
        given = [got[cid] for cid, n in levels[r.exercise] if cid in got and got[cid].level < n]
        if len(given) == len(levels[r.exercise]) and all(m.response == r.sha for m in given):
            out["marked"] += 1
        else:
            out["partly" if given else "unmarked"] += 1
    return out


__all__ = ["MarkError", "MarkConflict", "Response", "CriterionMark", "ItemMark", "responses", "current", "history",
           "save", "item_mark", "apply", "disagreements", "moderation_sample", "counts", "pseudonym", "written_items",
           "GradebookError"]
