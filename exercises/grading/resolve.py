"""Step 7 of grading: one counted submission per student. The latest counts; the others are
rejected with the reason ("same student twice"), and files from different senders for one student
are a conflict for a person."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from .gradebook import Outcome


def _order_key(sub: Mapping[str, Any]) -> tuple:
    """Later submissions sort last: the LMS's resubmission number and submission id, then the
    latest record time, then the file time, then the name."""
    try:
        lms_sub = int(sub.get("lms_submission") or 0)
    except ValueError:
        lms_sub = 0
    return (int(sub.get("resubmission") or 0), lms_sub, sub.get("last_record_time") or float("-inf"),
            sub.get("mtime") or 0.0, sub.get("file") or "")


def resolve(candidates: list[Mapping[str, Any]]) -> dict[int, str | None]:
    """For one student's gradable submissions: {submission id: None if it counts, else the reason
    it is rejected}. The latest counts (see ``_order_key``)."""
    senders = sorted({f"{c['lms']} {c['lms_key']}" for c in candidates if c.get("lms")})
    if len(senders) > 1:
        reason = (f"conflict: {len(candidates)} files for {candidates[0]['student']} were handed in by different "
                  f"senders ({', '.join(senders)[:200]}): none counts until checked by hand")
        return {c["id"]: reason for c in candidates}
    ordered = sorted(candidates, key=_order_key)
    winner = ordered[-1]
    out: dict[int, str | None] = {winner["id"]: None}
    for sub in ordered[:-1]:
        if sub["sha256"] == winner["sha256"]:
            out[sub["id"]] = f"same student twice: an identical copy of {winner['file']}, which is graded"
        else:
            out[sub["id"]] = (f"same student twice: {sub['student']} also handed in {winner['file']} (later), "
                              "which is graded")
    return out


def apply_resolution(own: Outcome, reason: str | None, others: list[str]) -> Outcome:
    """The stored outcome of a submission, given whether it counts for its student."""
    notes = tuple(n for n in own.notes if not n.startswith("also handed in:"))
    if reason is None:
        if others:
            notes += ("also handed in: " + ", ".join(sorted(others)) + " (not counted)",)
        return replace(own, notes=notes, counts=True, status=own.own_status, reason=own.own_reason,
                       score=round(sum(r.score for r in own.scores), 6))
    return replace(own, notes=notes, counts=False, status="rejected", reason=reason, score=0.0)


