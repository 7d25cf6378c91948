"""Grading a class: read every submitted file, identify its student, score the recorded answers.

Nothing a student wrote is executed: a notebook is parsed as JSON and only its answer records
(``docs/answer-record.md``) are read, then scored with the instructor's key (``checking.check``)
for that student's variant. Every file ends as *graded*, *partly graded* (some answers need a
person: conflicting records, a record made in another student's notebook, a damaged record) or
*rejected* with a reason a person understands. One file never affects another's grade, except
that a student who hands in twice has one file counted and the other rejected with the reason.

The steps, each a pure function tested on its own:

``read_notebook`` (bytes -> notebook or reason) -> ``notebook_info`` (the release metadata) ->
``read_records`` (answer records, checked) -> ``identify`` (student from the LMS file name, the
roster and the notebook) -> ``assess`` (score every exercise, decide the status) ->
``resolve`` (one counted submission per student). ``grade`` and ``regrade`` run them over a
folder or zip and keep everything in the gradebook.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import record as rec
from . import variants
from .assignment import Assignment, Item
from .checking import check
from .gradebook import RELEASE_FIELDS, Gradebook, Outcome, ScoreRow
from .roster import SAFE_ID, Roster, Student
from .submissions import Incoming, LmsName, collect, parse_name

#: an answer larger than this (as JSON) is not an answer: it is not scored or stored
MAX_ANSWER_BYTES = 64 * 1024
MAX_META = 200


# --- step 1: bytes -> notebook ---------------------------------------------------------------------

def read_notebook(data: bytes) -> tuple[dict | None, str | None]:
    """The notebook as plain JSON data, or why the file is not a gradable notebook."""
    if not data:
        return None, "an empty file (0 bytes): the upload or the save did not complete"
    if data[:4] == b"PK\x03\x04":
        return None, "a zip archive, not a notebook (unzip it and grade the folder)"
    if data[:5] == b"%PDF-":
        return None, "a PDF document, not a notebook (.ipynb)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"not a notebook: not UTF-8 text (undecodable byte at position {err.start})"
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None, "an empty file (only blank space)"
    if text.lstrip()[:1] not in "{[":
        return None, "not a notebook: the file is not JSON (a notebook starts with '{')"
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        if err.pos >= len(text.rstrip()) - 1 or not text.rstrip().endswith("}"):
            return None, (f"truncated: the notebook's JSON stops after {len(text)} characters "
                          "(an interrupted upload or save); ask the student to save and upload it again")
        return None, f"not a notebook: damaged JSON at line {err.lineno}, column {err.colno} ({err.msg})"
    except RecursionError:
        return None, "not a notebook: JSON nested too deeply"
    except ValueError as err:  # e.g. a whole number longer than Python reads (int_max_str_digits)
        if "digits" in str(err):
            return None, (f"not a notebook: a number with more than {sys.get_int_max_str_digits()} digits "
                          "(edited by hand?)")
        return None, f"not a notebook: unreadable JSON ({str(err)[:120]})"
    if not isinstance(nb, dict):
        return None, f"not a notebook: JSON {type(nb).__name__}, not a notebook object"
    version = nb.get("nbformat")
    if "worksheets" in nb or version in (1, 2, 3):
        return None, (f"an old-format notebook (nbformat {version}) that cannot hold answer records; "
                      "it was not made from the released notebook")
    if version != 4:
        return None, f"not a notebook this grader reads (nbformat {str(version)[:20]}; expected 4)"
    if not isinstance(nb.get("cells"), list):
        return None, "a damaged notebook: it has no list of cells"
    return nb, None


# --- step 2: release metadata ------------------------------------------------------------------------

def notebook_info(nb: Mapping[str, Any]) -> dict[str, str | None]:
    """What the release wrote into the notebook's metadata (assignment, student, variant token, and,
    only when present, the release's fingerprint, key id and binding).

    It is the student's file, so these are claims: the grader checks them, never trusts them.
    """
    meta = nb.get("metadata")
    ex = meta.get("exercises") if isinstance(meta, Mapping) else None
    out: dict[str, str | None] = {"assignment": None, "student": None, "variant": None}
    if isinstance(ex, Mapping):
        for key in (*out, *RELEASE_FIELDS):
            value = ex.get(key)
            value = value if isinstance(value, str) and 0 < len(value) <= MAX_META else None
            if key in out or value is not None:
                out[key] = value
    return out


# --- step 3: records -------------------------------------------------------------------------------

DAMAGED = "damaged record: "
_RECORD_LINE = re.compile(r"^Recorded answer to (\S+?)[\s(:]")


def _damaged_positions(nb: Mapping[str, Any], found: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Record outputs that could not be read: (cell, output, exercise id or "?" if unknown)."""
    out = []
    for ci, oi, cell, data in rec.record_outputs(nb.get("cells") or []):
        if (ci, oi) == rec.TOO_MANY:
            out.append((ci, oi, "?"))  # records past the cap may be any exercise's
            break
        if (ci, oi) in found:
            continue
        meta = cell.get("metadata")
        owner = meta.get("exercises", {}).get("exercise") if isinstance(meta, Mapping) and isinstance(meta.get("exercises"), Mapping) else None
        ex_id = owner if isinstance(owner, str) else None
        line = data.get("text/plain")
        line = "".join(x for x in line if isinstance(x, str)) if isinstance(line, list) else line
        if ex_id is None and isinstance(line, str):
            m = _RECORD_LINE.match(line[:MAX_META + 40])
            ex_id = m.group(1) if m else None
        out.append((ci, oi, ex_id if ex_id and len(ex_id) <= MAX_META else "?"))
    return out


_POSITION = re.compile(r"cell (\d+), output (\d+): ")


def read_records(nb: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every well-formed answer record in the notebook (checked, bounded), and notes on the rest.
    A note on a record that could not be read starts with ``DAMAGED`` and names the exercise it
    belonged to (from its cell or its text line) or "?". Linear in the notebook's size; junk never
    raises."""
    try:
        scan = rec.scan_records(nb)
        damaged = _damaged_positions(nb, {(f.cell, f.output) for f in scan.found})
    except Exception as err:  # noqa: BLE001 - a reader bug must not sink the file
        return [], [f"{DAMAGED}?: the answer records could not be read ({type(err).__name__}: {str(err)[:200]})"]
    records, notes = [], []
    where = {(ci, oi): ex for ci, oi, ex in damaged}
    noted: set[tuple[int, int]] = set()
    for problem in scan.problems:
        if problem == rec.TOO_MANY_NOTE:
            notes.append(f"{DAMAGED}?: {problem}")
            noted.add(rec.TOO_MANY)
            continue
        m = _POSITION.match(problem)
        pos = (int(m.group(1)) - 1, int(m.group(2)) - 1) if m else None
        if pos in where:
            notes.append(f"{DAMAGED}{where[pos]}: {problem}")
            noted.add(pos)
        else:
            notes.append(problem)
    for ci, oi, ex in damaged:
        if (ci, oi) not in noted:
            notes.append(f"{DAMAGED}{ex}: cell {ci + 1}, output {oi + 1}: unreadable")
    for found in scan.found:
        r = {k: found.record.get(k) for k in RECORD_KEYS}
        r["cell"] = found.cell + 1
        problem = rec.answer_problem(r["answer"])
        if problem:
            notes.append(f"cell {r['cell']}: the answer to {r['exercise'][:60]} is {problem}; not scored")
            r["answer"], r["unscorable"] = None, problem
            records.append(r)
            continue
        size = len(json.dumps(r["answer"], ensure_ascii=False))
        if size > MAX_ANSWER_BYTES:
            notes.append(f"cell {r['cell']}: the answer to {r['exercise'][:60]} is {size / 1024:.0f} KB long, "
                         "too large to be an answer; not scored")
            r["answer"], r["oversize"] = None, size
        records.append(r)
    return records, notes


RECORD_KEYS = ("exercise", "answer", "attempts", "time", "assignment", "student", "variant", "binding",
               "feedback_shown")


def damaged_exercises(notes: Iterable[str]) -> set[str]:
    """The exercises whose records were damaged ("?" when one could not be attributed)."""
    return {n[len(DAMAGED):].split(":", 1)[0] for n in notes if n.startswith(DAMAGED)}


# --- step 4: who handed it in ------------------------------------------------------------------------

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


# --- step 5: the release's own checks ------------------------------------------------------------

def secret_mismatch(info: Mapping[str, Any], secret: bytes | None) -> str | None:
    """Why this grader's secret is not the one the notebook was released with (None if it is, or
    if the notebook does not say)."""
    released_with = info.get("key_id")
    if released_with and secret is not None and released_with != variants.key_id(secret):
        return ("the instructor secret does not match the one this notebook was released with: grade with the "
                "release's secret (--config, EXERCISES_SECRET or instructor.toml); the notebook is not at fault")
    if released_with and secret is None:
        return ("the notebook was released with an instructor secret, and this grader has no instructor secret "
                "(set EXERCISES_SECRET or instructor.toml)")
    return None


def check_release(info: Mapping[str, Any], a: Assignment, secret: bytes | None,
                  variant: variants.Variant) -> tuple[str | None, str | None, list[str], list[str]]:
    """(the binding records must carry, a reason to reject, flags for a person, notes).

    The binding ties the notebook to its student, variant, assignment and release fingerprint:
    a wrong one is rejected, a missing one flagged (a release made before bindings, or metadata
    removed). A fingerprint that differs from this assignment's is flagged: params or exercises
    changed since the release, so the numbers graded may not be those the student saw."""
    flags: list[str] = []
    notes: list[str] = []
    fingerprint = info.get("fingerprint")
    if fingerprint is None:
        notes.append("the notebook carries no release fingerprint (released before fingerprints, or edited): "
                     "a change of the assignment since its release cannot be detected")
    elif fingerprint != variants.release_fingerprint(a, secret if info.get("key_id") else None):
        flags.append("the assignment's exercises or params changed since this notebook was released "
                     "(its fingerprint differs): the numbers graded may not be the ones the student saw")
    if secret is None:
        return None, None, flags, notes
    bound = variants.binding(secret, a.name, variant.student, variant.token, fingerprint)
    claimed = info.get("binding")
    if claimed is None:
        flags.append("the notebook carries no release binding (released before bindings, or its metadata was "
                     "removed): check that it is this student's notebook")
        return None, None, flags, notes
    if claimed != bound:
        who = "the class" if variant.student == variants.COMMON else variant.student
        return None, (f"the notebook's release binding does not match {who} and this assignment: its metadata was "
                      "edited, or it was released to someone else; check by hand"), flags, notes
    return bound, None, flags, notes


# --- step 6: score ---------------------------------------------------------------------------------

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


def _time_key(value: Any) -> float:
    return rec._time_key(value)


def choose(records: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(the record that counts, a note, or a conflict) among one exercise's records."""
    if not records:
        return None, None, None
    best = rec.latest(records)
    if len(records) == 1:
        return best, None, None
    def key(r):
        return (r.get("attempts") or 0, _time_key(r.get("time")))
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
    timed = sorted((r for r in records if _time_key(r.get("time")) > float("-inf")), key=lambda r: _time_key(r.get("time")))
    highest = None
    for r in timed:
        n = r.get("attempts") or 0
        if highest is not None and n < highest["attempts"] and _time_key(r.get("time")) > _time_key(highest["time"]):
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


def _missing(item: Item, status: str, reason: str, points: float) -> ScoreRow:
    return ScoreRow(item.id, item.number, status, 0.0, points, 0.0, 0.0, None, None, {}, reason)


@dataclass(frozen=True)
class Reading:
    """Everything read from one file (or from its gradebook row on a regrade)."""
    file: str
    sha256: str
    size: int | None
    mtime: float | None
    lms: LmsName
    info: Mapping[str, Any]
    records: list[dict[str, Any]]
    record_notes: list[str]
    problem: str | None

    @property
    def last_record_time(self) -> float:
        return max((_time_key(r.get("time")) for r in self.records), default=float("-inf"))


def read(incoming: Incoming) -> Reading:
    """Everything read from one entry. Never raises: a reader bug becomes this file's reason."""
    try:
        return _read(incoming)
    except Exception as err:  # noqa: BLE001 - one file must never sink the batch
        data = incoming.data or b""
        return Reading(incoming.name, hashlib.sha256(data).hexdigest(), len(data), incoming.mtime, LmsName(), {},
                       [], [], f"could not be read: {type(err).__name__}: {str(err)[:200]} (check it by hand)")


def _read(incoming: Incoming) -> Reading:
    data = incoming.data
    sha = hashlib.sha256(data if data is not None else b"").hexdigest()
    lms = parse_name(incoming.name)
    if incoming.problem is not None:
        return Reading(incoming.name, sha, None, incoming.mtime, lms, {}, [], [], incoming.problem)
    nb, problem = read_notebook(data)
    if nb is None:
        return Reading(incoming.name, sha, len(data), incoming.mtime, lms, {}, [], [], problem)
    records, notes = read_records(nb)
    return Reading(incoming.name, sha, len(data), incoming.mtime, lms, notebook_info(nb), records, notes, None)


def _rejected(reason: str, student: str | None, points: float, notes: Iterable[str] = ()) -> Outcome:
    return Outcome("rejected", reason, 0.0, points, student, tuple(notes))


def assess(reading: Reading, identity: Identity, ctx: Context) -> Outcome:
    """Score one submission on its own merits (``resolve`` later handles the same student twice)."""
    a = ctx.assignment
    points = a.total_points
    student_id = identity.credited.id if identity.credited else None
    notes = list(identity.notes)
    if reading.problem:
        return _rejected(reading.problem, student_id, points)
    claimed = reading.info.get("assignment")
    ours = [r for r in reading.records if r["exercise"] in {it.id for it in a.items}]
    if claimed and claimed != a.name:
        return _rejected(f"a notebook of another assignment ({claimed[:60]}), not of {a.name}", student_id, points)
    if not claimed:
        others = {r.get("assignment") for r in reading.records if r.get("assignment") and r.get("assignment") != a.name}
        if others and not any(r.get("assignment") == a.name for r in ours):
            return _rejected(f"a notebook of another assignment ({', '.join(sorted(others))[:80]}), not of {a.name}",
                             student_id, points)
    if identity.problem:
        return _rejected(identity.problem, student_id, points, notes)

    # which variant: the one the release gave this student, checked against the notebook's token
    # (from its metadata, else from its records); the params come from the secret, never the file
    own = variants.token(ctx.secret, a.name, student_id) if student_id else None
    common = variants.token(ctx.secret, a.name, variants.COMMON)
    claimed_token = reading.info.get("variant")
    if not claimed_token:
        tokens = [r.get("variant") for r in reading.records if r.get("variant")]
        claimed_token = max(set(tokens), key=tokens.count) if tokens else None
    wrong_secret = secret_mismatch(reading.info, ctx.secret)
    if wrong_secret:
        return _rejected(wrong_secret, student_id, points, notes)
    if claimed_token and ctx.secret is None:
        return _rejected("the notebook was released with per-student variants, and this grader has no instructor "
                         "secret to check them (set EXERCISES_SECRET or instructor.toml)", student_id, points, notes)
    if claimed_token and claimed_token not in (own, common):
        return _rejected(f"the notebook's variant does not belong to {student_id}: it was released to another "
                         "student, or its metadata was edited; check by hand", student_id, points, notes)
    per_student = bool(claimed_token) and claimed_token == own
    if not claimed_token and a.has_params and ctx.secret is not None:
        notes.append("the notebook carries no variant token; graded with the common variant")
    variant = ctx.variant(student_id if per_student else None)
    accepted_tokens = {t for t in (own, common) if t}
    bound, problem, flags, release_notes = check_release(reading.info, a, ctx.secret, variant)
    if problem:
        return _rejected(problem, student_id, points, notes)
    notes.extend(release_notes)

    by_exercise: dict[str, list[dict]] = {}
    foreign: dict[str, list[str]] = {}
    ignored: set[str] = set()
    unknown: set[str] = set()
    item_ids = {it.id for it in a.items}
    for r in reading.records:
        ex_id = r["exercise"]
        if ex_id not in item_ids:
            unknown.add(ex_id)
            continue
        if r.get("assignment") and r["assignment"] != a.name:
            ignored.add(f"{ex_id} (assignment {r['assignment'][:40]})")
            continue
        if r.get("student") and student_id and r["student"].lower() != student_id.lower():
            foreign.setdefault(ex_id, []).append(f"made in the notebook of {r['student'][:40]}")
            continue
        if r.get("variant") and ctx.secret is not None and r["variant"] not in accepted_tokens:
            foreign.setdefault(ex_id, []).append("made in a notebook released to another student (variant)")
            continue
        if r.get("binding") and bound and r["binding"] != bound:
            foreign.setdefault(ex_id, []).append("made in a notebook released to another student (binding)")
            continue
        by_exercise.setdefault(ex_id, []).append(r)
    if unknown:
        notes.append(f"records for exercises not in this assignment were ignored: {', '.join(sorted(unknown)[:8])}"
                     + (" ..." if len(unknown) > 8 else ""))
    if ignored:
        notes.append(f"records from other assignments were ignored: {', '.join(sorted(ignored)[:8])}")
    notes.extend(reading.record_notes[:20])
    if not by_exercise and not foreign:
        if unknown:
            return _rejected("answers missing: none of this assignment's exercises has a recorded answer, though the "
                             f"notebook has records for {len(unknown)} other exercise(s); is it another assignment's "
                             "notebook?", student_id, points, notes)
        if damaged_exercises(reading.record_notes):
            return _rejected("answers missing: the notebook's answer records are damaged and none could be read",
                             student_id, points, notes)
        return _rejected("answers missing: the notebook has no recorded answers (was it saved after answering, "
                         "and were the exercise cells run?)", student_id, points, notes)

    rows: list[ScoreRow] = []
    need_person: list[str] = []
    damaged = damaged_exercises(reading.record_notes)
    for item in a.items:
        ex_points = item.points
        records = by_exercise.get(item.id, [])
        chosen, note, conflict = choose(records)
        reset = attempt_reset(records)
        if reset and item.policy.feedback == "immediate" and (item.policy.max_attempts or item.policy.penalty_per_attempt):
            flags.append(f"{item.id}: {reset}")
        elif reset:
            notes.append(f"{item.id}: {reset}")
        if conflict:
            rows.append(_missing(item, "conflict", conflict + ": not scored, check by hand", ex_points))
            need_person.append(f"{item.id}: conflicting records")
            continue
        if chosen is None:
            if item.id in foreign:
                rows.append(_missing(item, "foreign", f"the only record of this answer was {foreign[item.id][0]}: "
                                                      "not scored, check by hand", ex_points))
                need_person.append(f"{item.id}: answer recorded in another student's notebook")
            elif item.id in damaged:
                rows.append(_missing(item, "missing", "its record in the notebook is damaged and cannot be read: "
                                                      "check by hand", ex_points))
                need_person.append(f"{item.id}: damaged record")
            elif "?" in damaged:
                rows.append(_missing(item, "missing", "no readable record; the notebook has damaged records, one of "
                                                      "which may be this answer: check by hand", ex_points))
                need_person.append(f"{item.id}: possibly among the damaged records")
            else:
                rows.append(_missing(item, "missing", "no answer recorded", ex_points))
            continue
        row = score_exercise(a, item, variant, chosen)
        extra = [x for x in (note, f"also {len(foreign[item.id])} record(s) from another notebook ignored"
                             if item.id in foreign else None) if x]
        if extra:
            row = replace(row, reason="; ".join([row.reason] + extra if row.reason else extra))
        rows.append(row)
    score = round(sum(r.score for r in rows), 6)
    answered = sum(r.status in ("scored", "invalid", AWAITING) for r in rows)
    awaiting = sum(r.status == AWAITING for r in rows)
    missing = sum(r.status in ("missing", "blank") for r in rows)
    if need_person:
        status = "partly graded"
        reason = "some answers need a person: " + "; ".join(need_person)
        if flags:
            reason += "; check by hand: " + "; ".join(flags)
    elif flags:
        status = "partly graded"
        reason = "check by hand: " + "; ".join(flags)
    else:
        status = "graded"
        reason = f"{answered} of {len(rows)} exercises answered" + (f", {missing} without an answer" if missing else "")
        if awaiting:
            reason += f"; {awaiting} written answer{'s' if awaiting > 1 else ''} awaiting marking"
    return Outcome(status, reason, score, points, student_id, tuple(notes), tuple(rows), counts=True,
                   variant=variant.student)


# --- step 7: one counted submission per student ----------------------------------------------------

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


# --- running it over a batch --------------------------------------------------------------------------

@dataclass
class Summary:
    assignment: str
    files: int = 0
    new: int = 0
    changed: int = 0
    status: dict[str, int] = field(default_factory=lambda: {"graded": 0, "partly graded": 0, "rejected": 0})
    rejected: list[tuple[str, str]] = field(default_factory=list)
    partly: list[tuple[str, str]] = field(default_factory=list)
    identical: list[tuple[tuple[str, ...], int]] = field(default_factory=list)  # (students, answers alike)
    run: int | None = None

    def lines(self) -> list[str]:
        out = [f"{self.assignment}: {self.files} file(s): {self.status['graded']} graded, "
               f"{self.status['partly graded']} partly graded, {self.status['rejected']} rejected "
               f"({self.new} new, {self.changed} outcome(s) changed)"]
        out += [f"  partly graded  {f}: {r}" for f, r in self.partly]
        out += [f"  rejected       {f}: {r}" for f, r in self.rejected]
        out += [f"  identical answers  {', '.join(who)}: the same {n} recorded answers, not all right "
                "(copied? check by hand)" for who, n in self.identical]
        return out


def identical_answer_sets(rows: Iterable[Mapping[str, Any]], *, least: int = 2) -> list[tuple[tuple[str, ...], int]]:
    """Groups of students whose counted answers are all the same (at least ``least`` of them, and
    not all right: a class that all gets everything right is not a copying ring)."""
    sets: dict[str, list[tuple[str, str, bool]]] = {}
    for r in rows:
        sets.setdefault(r["student"], []).append((r["exercise"], r["answer"] or "", r["raw"] >= r["points"] - 1e-9))
    groups: dict[tuple, list[str]] = {}
    for student, answers in sets.items():
        if len(answers) >= least and not all(right for _, _, right in answers):
            groups.setdefault(tuple(sorted((e, a) for e, a, _ in answers)), []).append(student)
    return sorted((tuple(sorted(who)), len(key)) for key, who in groups.items() if len(who) > 1)


def _candidate(row: Mapping[str, Any]) -> dict[str, Any]:
    records = json.loads(row["records"])
    return {"id": row["id"], "sha256": row["sha256"], "file": row["file"], "student": row["student"],
            "lms": row["lms"], "lms_key": row["lms_key"],
            "lms_submission": row["lms_submission"], "resubmission": row["resubmission"], "mtime": row["mtime"],
            "last_record_time": max((_time_key(r.get("time")) for r in records), default=float("-inf"))}


def _outcome_from_rows(out: Mapping[str, Any], scores: list[Mapping[str, Any]]) -> Outcome:
    rows = tuple(ScoreRow(s["exercise"], s["number"], s["status"], s["score"], s["points"], s["raw"], s["penalty"],
                          s["attempts"], None if s["answer"] is None else json.loads(s["answer"]),
                          json.loads(s["feedback"]), s["reason"]) for s in scores)
    return Outcome(out["status"], out["reason"], out["score"], out["points"], out["student"],
                   tuple(json.loads(out["notes"])), rows, bool(out["counts"]), out["own_status"], out["own_reason"],
                   out["variant"])


class _Batch:
    """Shared machinery of ``grade`` and ``regrade``: outcomes in, changes only out."""

    def __init__(self, gb: Gradebook, ctx: Context, kind: str, source: str):
        self.gb, self.ctx, self.kind, self.source = gb, ctx, kind, source
        self.run: int | None = None
        self.summary = Summary(ctx.assignment.name)
        self.crowded: set[str] = set()  # students with more than one gradable submission

    def run_id(self) -> int:
        if self.run is None:
            self.run = self.gb.new_run(self.ctx.assignment.name, self.kind, self.ctx.assignment.fingerprint, self.source)
            self.summary.run = self.run
        return self.run

    def store(self, sid: int, outcome: Outcome) -> None:
        """Add ``outcome`` unless it equals the current one (so grading twice changes nothing)."""
        current = self.gb.current_outcome(sid)
        if current is not None and outcome.same_as(current, self.gb.outcome_scores(current["id"])):
            return  # the key changed, but not for this file: its outcome stands (with the key it was made with)
        self.gb.add_outcome(sid, self.run_id(), self.ctx.assignment.fingerprint, outcome)
        self.summary.changed += 1

    def process(self, sid: int, reading: Reading) -> None:
        """Grade one submission; a grader bug on it becomes its own rejected outcome, never the batch's."""
        try:
            self._process(sid, reading)
        except Exception as err:  # noqa: BLE001 - one bad notebook must never sink a class
            self.store(sid, _rejected(f"grading this file failed: {type(err).__name__}: {str(err)[:200]} "
                                      "(check it by hand)", None, self.ctx.assignment.total_points))

    def _process(self, sid: int, reading: Reading) -> None:
        ctx = self.ctx
        newer = self.gb.newer_same_name(ctx.assignment.name, reading.file, sid)
        if newer is not None:  # the file was replaced: its later content counts, never this vanished one
            previous = self.gb.current_outcome(sid)
            if previous is not None and previous["own_status"] != "rejected" and previous["student"]:
                self.crowded.add(previous["student"].lower())
            self.store(sid, _rejected("replaced by a newer file of the same name (handed in later); that one "
                                      "counts", previous["student"] if previous is not None else None,
                                      ctx.assignment.total_points))
            return
        identity = identify(reading.lms, reading.info, ctx.roster, reading.file, ctx.submitter)
        if identity.credited is not None and not reading.problem:
            credited = identity.credited
            self.gb.add_students([credited], in_roster=identity.in_roster and credited is identity.student)
        own = assess(reading, identity, ctx)
        extra = []
        if reading.lms.late:
            extra.append(LATE_LMS)
        due = ctx.assignment.due
        if due is not None and own.status != "rejected" and reading.last_record_time > due.timestamp():
            extra.append(LATE_RECORDS)
        if extra:
            own = replace(own, notes=own.notes + tuple(extra))
        if own.own_status == "rejected" or not own.student:
            previous = self.gb.current_outcome(sid)
            if previous is not None and previous["own_status"] != "rejected" and previous["student"]:
                self.crowded.add(previous["student"].lower())  # another file of theirs may count now
            self.store(sid, replace(own, counts=False))
            return
        others = [dict(_candidate(r)) for r in self.gb.candidates(ctx.assignment.name, own.student) if r["id"] != sid]
        if not others:
            self.store(sid, apply_resolution(own, None, []))
            return
        self.crowded.add(own.student.lower())
        me = {"id": sid, "sha256": reading.sha256, "file": reading.file, "student": own.student,
              "lms": reading.lms.lms, "lms_key": reading.lms.key,
              "lms_submission": reading.lms.submission, "resubmission": reading.lms.resubmission,
              "mtime": reading.mtime, "last_record_time": reading.last_record_time}
        decision = resolve(others + [me])
        self.store(sid, apply_resolution(own, decision[sid], [o["file"] for o in others]))

    def finish(self, files: set[str] | None) -> Summary:
        """Settle students with several submissions (a later file may displace an earlier one),
        then count outcomes."""
        gb, name = self.gb, self.ctx.assignment.name
        for student in sorted(self.crowded):
            rows = gb.candidates(name, student)
            if not rows:
                continue
            members = [_candidate(r) for r in rows]
            decision = resolve(members)
            for r in rows:
                out = gb.current_outcome(r["id"])
                own = _outcome_from_rows(out, gb.outcome_scores(out["id"]))
                self.store(r["id"], apply_resolution(own, decision[r["id"]],
                                                     [m["file"] for m in members if m["id"] != r["id"]]))
        s = self.summary
        s.identical = identical_answer_sets(gb.counted_answers(name))
        for sub, out in gb.current(name):
            if files is not None and sub["file"] not in files:
                continue
            s.status[out["status"]] += 1
            if out["status"] == "rejected":
                s.rejected.append((sub["file"], out["reason"]))
            elif out["status"] == "partly graded":
                s.partly.append((sub["file"], out["reason"]))
        gb.commit()
        return s


def _reading_from_row(row: Mapping[str, Any]) -> Reading:
    lms = LmsName(row["lms"], row["lms_key"], row["lms_name"], bool(row["late"]), row["lms_submission"],
                  "", int(row["resubmission"]))
    info = {"assignment": row["nb_assignment"], "student": row["nb_student"], "variant": row["nb_variant"],
            **json.loads(row["nb_release"] or "{}")}
    return Reading(row["file"], row["sha256"], row["size"], row["mtime"], lms, info, json.loads(row["records"]),
                   json.loads(row["record_notes"]), row["read_problem"])


def _progress(iterable, total: int | None, enabled: bool, desc: str):
    if not enabled:
        return iterable
    from tqdm import tqdm
    return tqdm(iterable, total=total, desc=desc, unit="file", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


def grade(*, assignment: Assignment, submissions: Path, db: Path, roster: Roster | None = None,
          secret: bytes | None = None, progress: bool = True, student: str | None = None) -> Summary:
    """Grade every entry of ``submissions`` (a folder, a zip, or one file) into the gradebook ``db``.

    The whole batch is one transaction: a run killed mid-way (Ctrl-C, SIGKILL, a full disk) leaves
    the gradebook as it was before it, never half-settled. One file is in memory at a time.

    Files already in the gradebook (same name, same content) are not stored again, and their outcome
    changes only if the key, the roster or another submission of the same student changed it.
    ``student`` says whose files these all are (a Gradescope submission); a notebook released to
    someone else is then a conflict, checked by hand.
    """
    roster = roster or Roster()
    source = Path(submissions)
    if not source.exists() and not source.is_symlink():
        from .submissions import SourceError
        raise SourceError(f"{source}: no such folder or zip file")
    total = count(source)
    with Gradebook(db) as gb:
        gb.add_students(roster.students)
        if student is not None and not SAFE_ID.match(student):
            from .submissions import SourceError
            raise SourceError(f"--student {student[:80]!r}: not a student id (letters, digits and ._@+-)")
        ctx = Context(assignment, roster if len(roster) else Roster(tuple(gb.students())), secret, student)
        batch = _Batch(gb, ctx, "grade", str(source))
        files: set[str] = set()
        for item in _progress(collect(source), total, progress, f"grading {assignment.name}"):
            reading = read(item)
            files.add(reading.file)
            batch.summary.files += 1
            row = gb.find_submission(assignment.name, reading.file, reading.sha256)
            if row is None:
                sid = gb.add_submission(
                    assignment=assignment.name, file=reading.file, sha256=reading.sha256, size=reading.size,
                    run=batch.run_id(), mtime=reading.mtime, lms=reading.lms.__dict__, nb=reading.info,
                    records=reading.records, record_notes=reading.record_notes, read_problem=reading.problem)
                batch.summary.new += 1
                for older in gb.older_same_name(assignment.name, reading.file, sid):
                    batch.process(older, _reading_from_row(gb.submission(older)))
            else:
                sid = row["id"]
            batch.process(sid, reading)
        return batch.finish(files)


def regrade(*, assignment: Assignment, db: Path, roster: Roster | None = None, secret: bytes | None = None,
            progress: bool = True) -> Summary:
    """Rescore every stored submission with the current key and roster (after a key change).

    Reads the answers kept in the gradebook, not the files; older outcomes stay as history.
    """
    roster = roster or Roster()
    with Gradebook(db) as gb:
        gb.add_students(roster.students)
        ctx = Context(assignment, roster if len(roster) else Roster(tuple(gb.students())), secret)
        batch = _Batch(gb, ctx, "regrade", str(db))
        rows = gb.submissions(assignment.name)
        for row in _progress(rows, len(rows), progress, f"regrading {assignment.name}"):
            batch.summary.files += 1
            batch.process(row["id"], _reading_from_row(row))
        return batch.finish(None)


def count(source: Path) -> int | None:
    """How many entries ``collect`` will yield (for the progress bar), without reading them."""
    import os
    import zipfile
    try:
        if source.is_dir():
            return sum(len(files) + len(dirs) for _, dirs, files in os.walk(source))
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as zf:
                return len(zf.infolist())
        return 1
    except (OSError, zipfile.BadZipFile):
        return None
