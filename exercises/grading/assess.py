"""Step 6 of grading, for a whole submission: score it on its own merits. ``assess`` runs named
steps: reject what is not this assignment's notebook, pick the variant to grade with, run the
release's checks, sort the records by exercise (setting aside those made in another student's
notebook), score every exercise, and decide the status (*graded*, *partly graded* when some
answers need a person, or *rejected* with the reason).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from . import variants
from .gradebook import Outcome, ScoreRow
from .identity import Identity
from .reading import Reading, damaged_exercises
from .release_checks import check_release, secret_mismatch
from .scoring import AWAITING, Context, attempt_reset, choose, missing, score_exercise


class Rejected(Exception):
    """A step's verdict that the submission is rejected, with the reason (caught by ``assess``)."""

    def __init__(self, reason: str, with_notes: bool = True):
        super().__init__(reason)
        self.reason, self.with_notes = reason, with_notes


def rejected(reason: str, student: str | None, points: float, notes: Iterable[str] = ()) -> Outcome:
    return Outcome("rejected", reason, 0.0, points, student, tuple(notes))


def assess(reading: Reading, identity: Identity, ctx: Context) -> Outcome:
    """Score one submission on its own merits (``resolve`` later handles the same student twice)."""
    a = ctx.assignment
    student_id = identity.credited.id if identity.credited else None
    notes = list(identity.notes)
    try:
        check_notebook(reading, a)
        if identity.problem:
            raise Rejected(identity.problem)
        variant, tokens = grading_variant(reading, ctx, student_id, notes)
        bound, problem, flags, release_notes = check_release(reading.info, a, ctx.secret, variant)
        if problem:
            raise Rejected(problem)
        notes.extend(release_notes)
        records = sort_records(reading, a, student_id, tokens, bound, ctx.secret, notes)
        if not records.by_exercise and not records.foreign:
            raise Rejected(nothing_recorded(reading, records))
    except Rejected as no:
        return rejected(no.reason, student_id, a.total_points, notes if no.with_notes else ())
    rows, need_person = score_items(a, variant, records, damaged_exercises(reading.record_notes), flags, notes)
    status, reason = decide(rows, need_person, flags)
    return Outcome(status, reason, round(sum(r.score for r in rows), 6), a.total_points, student_id, tuple(notes),
                   tuple(rows), counts=True, variant=variant.student)


def check_notebook(reading: Reading, a) -> None:
    """Reject a file that could not be read, or a notebook of another assignment."""
    if reading.problem:
        raise Rejected(reading.problem, with_notes=False)
    claimed = reading.info.get("assignment")
    if claimed and claimed != a.name:
        raise Rejected(f"a notebook of another assignment ({claimed[:60]}), not of {a.name}", with_notes=False)
    if not claimed:
        ours = [r for r in reading.records if r["exercise"] in {it.id for it in a.items}]
        others = {r.get("assignment") for r in reading.records if r.get("assignment") and r.get("assignment") != a.name}
        if others and not any(r.get("assignment") == a.name for r in ours):
            raise Rejected(f"a notebook of another assignment ({', '.join(sorted(others))[:80]}), not of {a.name}",
                           with_notes=False)


def grading_variant(reading: Reading, ctx: Context, student_id: str | None,
                    notes: list[str]) -> tuple[variants.Variant, set[str]]:
    """The variant to grade with and the variant tokens a record may carry: the one the release gave
    this student, checked against the notebook's token (from its metadata, else from its records);
    the params come from the secret, never the file."""
    a = ctx.assignment
    own = variants.token(ctx.secret, a.name, student_id) if student_id else None
    common = variants.token(ctx.secret, a.name, variants.COMMON)
    claimed_token = reading.info.get("variant")
    if not claimed_token:
        tokens = [r.get("variant") for r in reading.records if r.get("variant")]
        claimed_token = max(set(tokens), key=tokens.count) if tokens else None
    wrong_secret = secret_mismatch(reading.info, ctx.secret)
    if wrong_secret:
        raise Rejected(wrong_secret)
    if claimed_token and ctx.secret is None:
        raise Rejected("the notebook was released with per-student variants, and this grader has no instructor "
                       "secret to check them (set EXERCISES_SECRET or instructor.toml)")
    if claimed_token and claimed_token not in (own, common):
        raise Rejected(f"the notebook's variant does not belong to {student_id}: it was released to another "
                       "student, or its metadata was edited; check by hand")
    per_student = bool(claimed_token) and claimed_token == own
    if not claimed_token and a.has_params and ctx.secret is not None:
        notes.append("the notebook carries no variant token; graded with the common variant")
    return ctx.variant(student_id if per_student else None), {t for t in (own, common) if t}


@dataclass
class SortedRecords:
    """A submission's records by exercise, and those set aside as made in another student's notebook."""
    by_exercise: dict[str, list[dict]] = field(default_factory=dict)
    foreign: dict[str, list[str]] = field(default_factory=dict)  # exercise -> why each was set aside
    unknown: set[str] = field(default_factory=set)  # exercises not in this assignment


def sort_records(reading: Reading, a, student_id: str | None, tokens: set[str], bound: str | None,
                 secret: bytes | None, notes: list[str]) -> SortedRecords:
    """This assignment's records by exercise; a record of another assignment is ignored, and one made
    in another student's notebook (its student, variant or binding) is set aside for a person."""
    out = SortedRecords()
    ignored: set[str] = set()
    item_ids = {it.id for it in a.items}
    for r in reading.records:
        ex_id = r["exercise"]
        if ex_id not in item_ids:
            out.unknown.add(ex_id)
            continue
        if r.get("assignment") and r["assignment"] != a.name:
            ignored.add(f"{ex_id} (assignment {r['assignment'][:40]})")
            continue
        if r.get("student") and student_id and r["student"].lower() != student_id.lower():
            out.foreign.setdefault(ex_id, []).append(f"made in the notebook of {r['student'][:40]}")
            continue
        if r.get("variant") and secret is not None and r["variant"] not in tokens:
            out.foreign.setdefault(ex_id, []).append("made in a notebook released to another student (variant)")
            continue
        if r.get("binding") and bound and r["binding"] != bound:
            out.foreign.setdefault(ex_id, []).append("made in a notebook released to another student (binding)")
            continue
        out.by_exercise.setdefault(ex_id, []).append(r)
    if out.unknown:
        notes.append(f"records for exercises not in this assignment were ignored: {', '.join(sorted(out.unknown)[:8])}"
                     + (" ..." if len(out.unknown) > 8 else ""))
    if ignored:
        notes.append(f"records from other assignments were ignored: {', '.join(sorted(ignored)[:8])}")
    notes.extend(reading.record_notes[:20])
    return out


def nothing_recorded(reading: Reading, records: SortedRecords) -> str:
    """Why a notebook with none of this assignment's answers is rejected."""
    if records.unknown:
        return ("answers missing: none of this assignment's exercises has a recorded answer, though the notebook "
                f"has records for {len(records.unknown)} other exercise(s); is it another assignment's notebook?")
    if damaged_exercises(reading.record_notes):
        return "answers missing: the notebook's answer records are damaged and none could be read"
    return ("answers missing: the notebook has no recorded answers (was it saved after answering, and were the "
            "exercise cells run?)")


def score_items(a, variant: variants.Variant, records: SortedRecords, damaged: set[str], flags: list[str],
                notes: list[str]) -> tuple[list[ScoreRow], list[str]]:
    """Every exercise's score row, and what needs a person (conflicting, foreign or damaged records);
    a reset attempt count is a flag when the exercise limits attempts or costs a penalty, else a note."""
    rows: list[ScoreRow] = []
    need_person: list[str] = []
    for item in a.items:
        ex_points = item.points
        found = records.by_exercise.get(item.id, [])
        chosen, note, conflict = choose(found)
        reset = attempt_reset(found)
        if reset and item.policy.feedback == "immediate" and (item.policy.max_attempts or item.policy.penalty_per_attempt):
            flags.append(f"{item.id}: {reset}")
        elif reset:
            notes.append(f"{item.id}: {reset}")
        if conflict:
            rows.append(missing(item, "conflict", conflict + ": not scored, check by hand", ex_points))
            need_person.append(f"{item.id}: conflicting records")
            continue
        if chosen is None:
            if item.id in records.foreign:
                rows.append(missing(item, "foreign", f"the only record of this answer was {records.foreign[item.id][0]}: "
                                                     "not scored, check by hand", ex_points))
                need_person.append(f"{item.id}: answer recorded in another student's notebook")
            elif item.id in damaged:
                rows.append(missing(item, "missing", "its record in the notebook is damaged and cannot be read: "
                                                     "check by hand", ex_points))
                need_person.append(f"{item.id}: damaged record")
            elif "?" in damaged:
                rows.append(missing(item, "missing", "no readable record; the notebook has damaged records, one of "
                                                     "which may be this answer: check by hand", ex_points))
                need_person.append(f"{item.id}: possibly among the damaged records")
            else:
                rows.append(missing(item, "missing", "no answer recorded", ex_points))
            continue
        row = score_exercise(a, item, variant, chosen)
        extra = [x for x in (note, f"also {len(records.foreign[item.id])} record(s) from another notebook ignored"
                             if item.id in records.foreign else None) if x]
        if extra:
            row = replace(row, reason="; ".join([row.reason] + extra if row.reason else extra))
        rows.append(row)
    return rows, need_person


def decide(rows: list[ScoreRow], need_person: list[str], flags: list[str]) -> tuple[str, str]:
    """The submission's status and its reason: *partly graded* when something needs a person or a
    flag was raised, else *graded* with a count of what was answered."""
    if need_person:
        reason = "some answers need a person: " + "; ".join(need_person)
        return "partly graded", reason + ("; check by hand: " + "; ".join(flags) if flags else "")
    if flags:
        return "partly graded", "check by hand: " + "; ".join(flags)
    answered = sum(r.status in ("scored", "invalid", AWAITING) for r in rows)
    awaiting = sum(r.status == AWAITING for r in rows)
    unanswered = sum(r.status in ("missing", "blank") for r in rows)
    reason = f"{answered} of {len(rows)} exercises answered" + (f", {unanswered} without an answer" if unanswered else "")
    if awaiting:
        reason += f"; {awaiting} written answer{'s' if awaiting > 1 else ''} awaiting marking"
    return "graded", reason
