"""Step 6 of grading, per exercise: which of its records counts (``choose``), whether its attempt
count was reset, and its score with the instructor's key for the student's variant
(``score_exercise``); ``Context`` is what every submission of one run shares."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..records.scan import latest, time_key
from ..checking import check
from . import variants
from .assignment import Assignment, Item
from .gradebook import ScoreRow
from .roster import Roster


@dataclass
class Context:
    assignment: Assignment
    roster: Roster
    secret: bytes | None
    submitter: str | None = None  # every file is this student's (``grade --student``)
    _variants: dict = field(default_factory=dict)

    def variant(self, student: str | None) -> variants.Variant:
        key = student or variants.COMMON
        if key not in self._variants:
            if len(self._variants) > 4096:
                self._variants.clear()
            self._variants[key] = variants.variant(self.assignment, self.secret, student)
        return self._variants[key]


def choose(records: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(the record that counts, a note, or a conflict) among one exercise's records."""
    if not records:
        return None, None, None
    best = latest(records)
    if len(records) == 1:
        return best, None, None
    def key(r):
        return (r.get("attempts") or 0, time_key(r.get("time")))
    ties = [r for r in records if key(r) == key(best)]
    answers = {json.dumps(r.get("answer"), sort_keys=True) for r in ties}
    if len(answers) > 1:
        cells = ", ".join(str(r.get("cell")) for r in ties)
        return None, None, (f"{len(ties)} records with the same attempt number and time but different answers "
                            f"(cells {cells}; a cell was copied and edited?)")
    distinct = {json.dumps(r.get("answer"), sort_keys=True) for r in records}
    if len(distinct) == 1:
        return best, f"{len(records)} identical records (a duplicated cell); counted once", None
    return best, (f"{len(records)} records (cells {', '.join(str(r.get('cell')) for r in records)}); "
                  f"the latest, attempt {best.get('attempts')}, counts"), None


def attempt_reset(records: list[dict[str, Any]]) -> str | None:
    """Whether one exercise's records restart their attempt count: a record with fewer attempts
    than an earlier one (by time) is a reset (outputs cleared, a fresh folder or kernel, a pasted
    cell). The grader sees only the records left in the file: a clean restart leaves none."""
    timed = sorted((r for r in records if time_key(r.get("time")) > float("-inf")), key=lambda r: time_key(r.get("time")))
    highest = None
    for r in timed:
        n = r.get("attempts") or 0
        if highest is not None and n < highest["attempts"] and time_key(r.get("time")) > time_key(highest["time"]):
            return (f"the attempt count restarts (attempt {n} at {str(r.get('time'))[:25]} after attempt "
                    f"{highest['attempts']} at {str(highest.get('time'))[:25]}): attempts were reset")
        if highest is None or n > highest["attempts"]:
            highest = {"attempts": n, "time": r.get("time")}
    return None


#: the notes that say a submission is late, by which evidence (export's ``late`` column reads them)
#: the status of a written answer until a person marks it (``marking``); it counts as no score, not as 0
AWAITING = "awaiting marking"
LATE_LMS = "late (the LMS marked the submission late)"
LATE_RECORDS = "answers recorded after the due date (by the clock of the student's computer)"


def score_exercise(a: Assignment, item: Item, variant: variants.Variant, chosen: dict[str, Any]) -> ScoreRow:
    ex = a.exercise(item.id, variant.choice(item.id))
    attempts = chosen.get("attempts")
    if chosen.get("oversize"):
        return ScoreRow(item.id, item.number, "invalid", 0.0, ex.points, 0.0, 0.0, attempts, None, {},
                        "the recorded answer is too large to be an answer")
    if chosen.get("unscorable"):
        return ScoreRow(item.id, item.number, "invalid", 0.0, ex.points, 0.0, 0.0, attempts, None, {},
                        f"the recorded answer is {chosen['unscorable']}")
    answer = chosen.get("answer")
    result = check(ex, answer)
    feedback = {"message": result.feedback,
                "parts": [{"id": p.id, "correct": p.correct, "feedback": p.feedback} for p in result.parts]}
    if result.blank:
        return ScoreRow(item.id, item.number, "blank", 0.0, ex.points, 0.0, 0.0, attempts, answer, feedback,
                        "the recorded answer is blank")
    if not result.valid:
        return ScoreRow(item.id, item.number, "invalid", 0.0, ex.points, 0.0, 0.0, attempts, answer, feedback,
                        result.feedback)
    if result.pending:  # a person marks it (``python -m exercises mark``): not a zero, not yet a score
        return ScoreRow(item.id, item.number, AWAITING, 0.0, ex.points, 0.0, 0.0, attempts, answer, feedback,
                        result.feedback.removeprefix("Awaiting marking.").strip())
    penalty = item.policy.penalty(attempts or 0)
    score = result.score * (1 - penalty)
    reasons = []
    if penalty:
        reasons.append(f"{attempts} attempts: -{penalty:.0%}")
    if item.policy.max_attempts and attempts and attempts > item.policy.max_attempts:
        reasons.append(f"{attempts} attempts recorded, more than the {item.policy.max_attempts} allowed")
    if not attempts:
        reasons.append("the attempt count was unreadable; no penalty applied")
    return ScoreRow(item.id, item.number, "scored", round(score, 6), ex.points, round(result.score, 6), penalty,
                    attempts, answer, feedback, "; ".join(reasons))


def missing(item: Item, status: str, reason: str, points: float) -> ScoreRow:
    return ScoreRow(item.id, item.number, status, 0.0, points, 0.0, 0.0, None, None, {}, reason)


