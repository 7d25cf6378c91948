"""Step 4 of grading: who handed a file in, from the LMS download name, the notebook's release
metadata and the roster, checked against each other (the sender wins any conflict)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from .roster import SAFE_ID, Roster, Student
from .submissions import LmsName


@dataclass(frozen=True)
class Identity:
    student: Student | None
    problem: str | None = None
    notes: tuple[str, ...] = ()
    in_roster: bool = True
    sender: Student | None = None  # who handed it in, when that conflicts with ``student``

    @property
    def credited(self) -> Student | None:
        """Whom the outcome is stored under: on a conflict, the sender (never the student the file
        claims, so a conflict can never replace another student's grade)."""
        return self.sender if self.problem and self.sender is not None else self.student


def _lms_key(lms: LmsName) -> str:
    return "canvas_id" if lms.lms == "canvas" else "moodle_id"


def identify(lms: LmsName, info: Mapping[str, Any], roster: Roster, file_name: str,
             submitter: str | None = None) -> Identity:
    """The student from the LMS download name (Canvas user id, Moodle participant), else from the
    notebook's release metadata or the file name, checked against each other and the roster.

    The sender wins: any conflict between the LMS sender, the file name and the notebook's
    metadata is a problem ("check by hand") credited to the sender, never to the student the
    notebook names."""
    notes: list[str] = []
    released_to = info.get("student")
    if submitter:  # the grader was told whose files these are (Gradescope: one submission per run)
        student = roster.get(submitter) or Student(id=submitter)
        if released_to and released_to.lower() != student.id.lower():
            return Identity(student, f"this notebook was released to {released_to}, but {student.id} handed it "
                                     "in: check by hand", in_roster=roster.get(submitter) is not None)
        return Identity(student, None, (f"handed in by {student.id} (the submitter named to the grader)",),
                        roster.get(submitter) is not None)
    from_lms: Student | None = None
    in_roster = True
    if lms.lms:
        key = _lms_key(lms)
        from_lms = roster.by(key, lms.key)
        if from_lms is None:
            in_roster = False
            from_lms = Student(id=f"{lms.lms}-{lms.key}", name=lms.name, **{key: lms.key})
    if released_to and not SAFE_ID.match(released_to):
        return Identity(None, "the notebook's release metadata names an impossible student id (edited?)",
                        sender=from_lms)
    if from_lms is not None:
        if released_to and released_to.lower() != from_lms.id.lower():
            if in_roster:
                owner = roster.get(released_to)
                who = f"{released_to} ({owner.name})" if owner and owner.name else released_to
                return Identity(from_lms, f"this notebook was released to {who}, but {lms.describe()} "
                                          f"({from_lms.id}) handed it in: check by hand", in_roster=in_roster)
            owner = roster.get(released_to)
            if owner is None:
                return Identity(from_lms, f"{lms.describe()} is not in the roster, and the notebook was released "
                                          f"to {released_to}, who is not in it either: check by hand", in_roster=False)
            notes.append(f"identified by the notebook's release metadata; {lms.describe()} is not in the roster")
            key = _lms_key(lms)
            if getattr(owner, key) and getattr(owner, key) != lms.key:
                return Identity(owner, f"this notebook was released to {released_to}, whose {lms.lms.capitalize()} "
                                       f"id is {getattr(owner, key)}, but {lms.describe()}, who is not in the roster, "
                                       "handed it in: check by hand", tuple(notes), True, sender=from_lms)
            return Identity(replace(owner, **{key: lms.key}), None, tuple(notes), True)
        if not in_roster:
            notes.append(f"{lms.describe()} is not in the roster")
        return Identity(from_lms, None, tuple(notes), in_roster)
    stem = Path(file_name).name.rsplit(".", 1)[0]
    by_name = roster.match_name(stem)
    if released_to:
        student = roster.get(released_to)
        if by_name is not None and by_name.id.lower() != released_to.lower():
            return Identity(student or Student(id=released_to),
                            f"the file name {Path(file_name).name!r} names {by_name.id}, but the notebook was "
                            f"released to {released_to}: check by hand", sender=by_name)
        if student is None:
            if len(roster):
                notes.append(f"the notebook was released to {released_to}, who is not in the roster")
            return Identity(Student(id=released_to), None, tuple(notes), False)
        return Identity(student, None, tuple(notes), True)
    if by_name is not None:
        notes.append(f"identified by the file name {Path(file_name).name!r}")
        return Identity(by_name, None, tuple(notes), True)
    return Identity(None, "cannot tell whose submission this is: the file name is not a Canvas or Moodle "
                          "download name, and the notebook names no student (a release without roster)")


