"""The gradebook: one SQLite file that keeps every submission, every outcome and every score.

Tables (see ``docs/grading.md``):

- ``students``: id, name, e-mail, section, SIS ids, Canvas user id, Moodle participant number;
- ``runs``: each ``grade`` or ``regrade`` that changed something (time, assignment fingerprint);
- ``submissions``: one row per file seen, keyed by (assignment, file, SHA-256 of its content),
  with where it came from, whom it was identified as, and the answer records read from it (so
  that a regrade never needs the files again);
- ``outcomes``: per submission and run, graded / partly graded / rejected, with the reason a
  person reads, the total and the key fingerprint it was computed with. The latest outcome of a
  submission is its current one; older ones are its history;
- ``scores``: per outcome and exercise, the score, raw score, penalty, attempts, the answer, the
  feedback and the reason.

Nothing is ever deleted or updated in place: a change is a new outcome row.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from ..clock import utc_now
from .roster import FIELDS, Student

if TYPE_CHECKING:
    from .reading import Reading

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS students (
  id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
  section TEXT NOT NULL DEFAULT '', sis_id TEXT NOT NULL DEFAULT '', sis_login TEXT NOT NULL DEFAULT '',
  canvas_id TEXT NOT NULL DEFAULT '', moodle_id TEXT NOT NULL DEFAULT '', in_roster INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, assignment TEXT NOT NULL, kind TEXT NOT NULL, started TEXT NOT NULL,
  fingerprint TEXT NOT NULL, source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS submissions (
  id INTEGER PRIMARY KEY, assignment TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,
  size INTEGER, received TEXT NOT NULL, run INTEGER NOT NULL REFERENCES runs(id), mtime REAL,
  lms TEXT NOT NULL DEFAULT '', lms_key TEXT NOT NULL DEFAULT '', lms_name TEXT NOT NULL DEFAULT '',
  late INTEGER NOT NULL DEFAULT 0, lms_submission TEXT NOT NULL DEFAULT '', resubmission INTEGER NOT NULL DEFAULT 0,
  nb_assignment TEXT, nb_student TEXT, nb_variant TEXT, nb_release TEXT,
  records TEXT NOT NULL DEFAULT '[]', record_notes TEXT NOT NULL DEFAULT '[]', read_problem TEXT,
  UNIQUE (assignment, file, sha256)
);
CREATE TABLE IF NOT EXISTS outcomes (
  id INTEGER PRIMARY KEY, submission INTEGER NOT NULL REFERENCES submissions(id),
  run INTEGER NOT NULL REFERENCES runs(id), fingerprint TEXT NOT NULL, student TEXT,
  status TEXT NOT NULL CHECK (status IN ('graded', 'partly graded', 'rejected')),
  reason TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '[]',
  score REAL NOT NULL DEFAULT 0, points REAL NOT NULL DEFAULT 0, counts INTEGER NOT NULL DEFAULT 0,
  own_status TEXT NOT NULL, own_reason TEXT NOT NULL DEFAULT '', variant TEXT
);
CREATE INDEX IF NOT EXISTS outcomes_submission ON outcomes (submission, id);
CREATE INDEX IF NOT EXISTS outcomes_student ON outcomes (student COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS scores (
  outcome INTEGER NOT NULL REFERENCES outcomes(id), exercise TEXT NOT NULL, number INTEGER NOT NULL,
  status TEXT NOT NULL, score REAL NOT NULL, points REAL NOT NULL, raw REAL NOT NULL, penalty REAL NOT NULL,
  attempts INTEGER, answer TEXT, feedback TEXT NOT NULL DEFAULT '{}', reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (outcome, exercise)
);
CREATE TABLE IF NOT EXISTS marks (
  id INTEGER PRIMARY KEY, assignment TEXT NOT NULL, student TEXT NOT NULL, exercise TEXT NOT NULL,
  criterion TEXT NOT NULL, round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2)), level INTEGER NOT NULL,
  points REAL NOT NULL, comment TEXT NOT NULL DEFAULT '', marker TEXT NOT NULL, marked TEXT NOT NULL,
  response TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS marks_item ON marks (assignment, exercise, student COLLATE NOCASE, criterion, round, id);
"""

STATUSES = ("graded", "partly graded", "rejected")
#: how long a grader waits for another one to finish writing before it says so
BUSY_TIMEOUT = 30.0
#: what a release writes into a notebook beside assignment, student and variant (kept as JSON in
#: ``submissions.nb_release``; NULL for submissions stored before releases carried them)
RELEASE_FIELDS = ("fingerprint", "key_id", "binding")




@dataclass(frozen=True)
class ScoreRow:
    exercise: str
    number: int
    status: str  # scored | blank | missing | invalid | conflict | foreign | awaiting marking
    score: float
    points: float
    raw: float
    penalty: float
    attempts: int | None
    answer: Any
    feedback: Mapping[str, Any]
    reason: str


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str
    score: float
    points: float
    student: str | None
    notes: tuple[str, ...] = ()
    scores: tuple[ScoreRow, ...] = ()
    counts: bool = False  # the submission that counts for its student
    own_status: str = ""  # the status it earned on its own, before a same-student rejection
    own_reason: str = ""
    variant: str | None = None  # whose variant it was graded with (a student id, "*" for the common one)

    def __post_init__(self) -> None:
        if not self.own_status:
            object.__setattr__(self, "own_status", self.status)
            object.__setattr__(self, "own_reason", self.reason)

    def same_as(self, row: Mapping[str, Any], scores: list[Mapping[str, Any]]) -> bool:
        if (row["status"], row["reason"], row["student"], bool(row["counts"]), json.loads(row["notes"]),
                row["own_status"], row["own_reason"], row["variant"]) != (
                self.status, self.reason, self.student, self.counts, list(self.notes), self.own_status, self.own_reason,
                self.variant):
            return False
        if abs(row["score"] - self.score) > 1e-9 or abs(row["points"] - self.points) > 1e-9:
            return False
        mine = {(s.exercise, s.status, round(s.score, 9), round(s.penalty, 9), s.reason) for s in self.scores}
        theirs = {(s["exercise"], s["status"], round(s["score"], 9), round(s["penalty"], 9), s["reason"]) for s in scores}
        return mine == theirs


class GradebookError(Exception):
    pass


class Gradebook:
    """A gradebook file. Use as a context manager; ``commit()`` ends a batch of writes."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT)
        except sqlite3.Error as err:
            raise GradebookError(f"{self.path}: cannot open the gradebook ({err})") from None
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA)
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(submissions)")}
            if "nb_release" not in columns:  # a gradebook made before releases were bound (same schema otherwise)
                self.db.execute("ALTER TABLE submissions ADD COLUMN nb_release TEXT")
            version = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError as err:
            self.db.close()
            raise (self._busy() if "locked" in str(err) else
                   GradebookError(f"{self.path}: cannot open the gradebook ({err})")) from None
        except sqlite3.DatabaseError as err:
            self.db.close()
            raise GradebookError(f"{self.path}: not a gradebook database ({err})") from None
        if version is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif version[0] != str(SCHEMA_VERSION):
            self.db.close()
            raise GradebookError(f"{self.path}: gradebook schema version {version[0]}; this program reads {SCHEMA_VERSION}")
        self._in_tx = False

    def __enter__(self) -> "Gradebook":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.commit()
        elif self._in_tx:
            self.db.execute("ROLLBACK")
            self._in_tx = False
        self.close()

    def close(self) -> None:
        self.db.close()

    def _busy(self) -> GradebookError:
        return GradebookError(f"{self.path}: the gradebook is in use by another grader (still busy after "
                              f"{BUSY_TIMEOUT:g} s); wait for it to finish, then run again")

    def begin(self) -> None:
        """Start writing: takes the gradebook's write lock at once (one grader at a time)."""
        if not self._in_tx:
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    raise self._busy() from None
                raise
            self._in_tx = True

    def rollback(self) -> None:
        if self._in_tx:
            self.db.execute("ROLLBACK")
            self._in_tx = False

    def commit(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False

    # --- students ---
    def add_students(self, students: Iterable[Student], *, in_roster: bool = True) -> None:
        """Insert new students; fill empty fields of known ones (never overwrite what is there)."""
        self.begin()
        for s in students:
            row = self.db.execute("SELECT * FROM students WHERE id = ?", (s.id,)).fetchone()
            if row is None:
                self.db.execute(f"INSERT INTO students ({', '.join(FIELDS)}, in_roster) VALUES ({', '.join('?' * len(FIELDS))}, ?)",
                                (*[getattr(s, f) for f in FIELDS], int(in_roster)))
                continue
            fill = {f: getattr(s, f) for f in FIELDS if f != "id" and getattr(s, f) and not row[f]}
            if in_roster and not row["in_roster"]:
                fill["in_roster"] = 1
            if fill:
                self.db.execute(f"UPDATE students SET {', '.join(f'{k} = ?' for k in fill)} WHERE id = ?",
                                (*fill.values(), s.id))

    def students(self) -> list[Student]:
        return [Student(**{f: r[f] for f in FIELDS}) for r in self.db.execute("SELECT * FROM students ORDER BY id")]

    def student_rows(self) -> dict[str, sqlite3.Row]:
        return {r["id"]: r for r in self.db.execute("SELECT * FROM students")}

    # --- runs ---
    def new_run(self, assignment: str, kind: str, fingerprint: str, source: str = "") -> int:
        self.begin()
        cur = self.db.execute("INSERT INTO runs (assignment, kind, started, fingerprint, source) VALUES (?, ?, ?, ?, ?)",
                              (assignment, kind, utc_now(), fingerprint, source))
        return int(cur.lastrowid)

    def runs(self, assignment: str) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM runs WHERE assignment = ? ORDER BY id", (assignment,)))

    # --- submissions ---
    def find_submission(self, assignment: str, file: str, sha256: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM submissions WHERE assignment = ? AND file = ? AND sha256 = ?",
                               (assignment, file, sha256)).fetchone()

    def add_submission(self, *, assignment: str, file: str, sha256: str, size: int | None, run: int,
                       mtime: float | None, lms: Mapping[str, Any], nb: Mapping[str, Any],
                       records: list[Any], record_notes: list[str], read_problem: str | None) -> int:
        self.begin()
        cur = self.db.execute(
            "INSERT INTO submissions (assignment, file, sha256, size, received, run, mtime, lms, lms_key, lms_name, late,"
            " lms_submission, resubmission, nb_assignment, nb_student, nb_variant, nb_release, records, record_notes,"
            " read_problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (assignment, file, sha256, size, utc_now(), run, mtime, lms.get("lms", ""), lms.get("key", ""),
             lms.get("name", ""), int(bool(lms.get("late"))), lms.get("submission", ""), int(lms.get("resubmission", 0)),
             nb.get("assignment"), nb.get("student"), nb.get("variant"),
             json.dumps({k: nb.get(k) for k in RELEASE_FIELDS}),
             json.dumps(records, ensure_ascii=False), json.dumps(record_notes, ensure_ascii=False), read_problem))
        return int(cur.lastrowid)

    def newer_same_name(self, assignment: str, file: str, submission: int) -> sqlite3.Row | None:
        """A later submission stored under the same file name (the file was replaced), if any."""
        return self.db.execute("SELECT * FROM submissions WHERE assignment = ? AND file = ? AND id > ?"
                               " ORDER BY id DESC LIMIT 1", (assignment, file, submission)).fetchone()

    def older_same_name(self, assignment: str, file: str, submission: int) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM submissions WHERE assignment = ? AND file = ? AND id < ?",
                                              (assignment, file, submission))]

    def submission(self, submission: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM submissions WHERE id = ?", (submission,)).fetchone()

    def submissions(self, assignment: str) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM submissions WHERE assignment = ? ORDER BY id", (assignment,)))

    # --- outcomes ---
    def current_outcome(self, submission: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM outcomes WHERE submission = ? ORDER BY id DESC LIMIT 1", (submission,)).fetchone()

    # --- rows as the grader's objects -----------------------------------------------------------

    def outcome(self, row: Mapping[str, Any]) -> Outcome:
        """An ``outcomes`` row, with its scores, as the ``Outcome`` it was stored from."""
        rows = tuple(ScoreRow(s["exercise"], s["number"], s["status"], s["score"], s["points"], s["raw"], s["penalty"],
                              s["attempts"], None if s["answer"] is None else json.loads(s["answer"]),
                              json.loads(s["feedback"]), s["reason"]) for s in self.outcome_scores(row["id"]))
        return Outcome(row["status"], row["reason"], row["score"], row["points"], row["student"],
                       tuple(json.loads(row["notes"])), rows, bool(row["counts"]), row["own_status"], row["own_reason"],
                       row["variant"])

    @staticmethod
    def reading(row: Mapping[str, Any]) -> "Reading":
        """A ``submissions`` row as the ``Reading`` it was stored from (for regrading without the files)."""
        from .reading import Reading
        from .submissions import LmsName
        lms = LmsName(row["lms"], row["lms_key"], row["lms_name"], bool(row["late"]), row["lms_submission"],
                      "", int(row["resubmission"]))
        info = {"assignment": row["nb_assignment"], "student": row["nb_student"], "variant": row["nb_variant"],
                **json.loads(row["nb_release"] or "{}")}
        return Reading(row["file"], row["sha256"], row["size"], row["mtime"], lms, info, json.loads(row["records"]),
                       json.loads(row["record_notes"]), row["read_problem"])

    @staticmethod
    def candidate(row: Mapping[str, Any]) -> dict[str, Any]:
        """A ``candidates`` row as ``resolve`` weighs it (which of a student's files counts)."""
        from ..records.scan import time_key
        records = json.loads(row["records"])
        return {"id": row["id"], "sha256": row["sha256"], "file": row["file"], "student": row["student"],
                "lms": row["lms"], "lms_key": row["lms_key"],
                "lms_submission": row["lms_submission"], "resubmission": row["resubmission"], "mtime": row["mtime"],
                "last_record_time": max((time_key(r.get("time")) for r in records), default=float("-inf"))}

    def outcome_scores(self, outcome: int) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM scores WHERE outcome = ? ORDER BY number", (outcome,)))

    def add_outcome(self, submission: int, run: int, fingerprint: str, outcome: Outcome) -> int:
        self.begin()
        cur = self.db.execute(
            "INSERT INTO outcomes (submission, run, fingerprint, student, status, reason, notes, score, points, counts,"
            " own_status, own_reason, variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (submission, run, fingerprint, outcome.student, outcome.status, outcome.reason,
             json.dumps(list(outcome.notes), ensure_ascii=False), outcome.score, outcome.points, int(outcome.counts),
             outcome.own_status, outcome.own_reason, outcome.variant))
        oid = int(cur.lastrowid)
        self.db.executemany(
            "INSERT INTO scores (outcome, exercise, number, status, score, points, raw, penalty, attempts, answer, feedback, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(oid, s.exercise, s.number, s.status, s.score, s.points, s.raw, s.penalty, s.attempts,
              None if s.answer is None else json.dumps(s.answer, ensure_ascii=False),
              json.dumps(dict(s.feedback), ensure_ascii=False), s.reason) for s in outcome.scores])
        return oid

    def current(self, assignment: str) -> Iterator[tuple[sqlite3.Row, sqlite3.Row]]:
        """(submission, current outcome) for every submission of the assignment, in file order."""
        rows = self.db.execute(
            "SELECT s.id AS sid, o.id AS oid FROM submissions s JOIN outcomes o ON o.submission = s.id"
            " WHERE s.assignment = ? AND o.id = (SELECT MAX(id) FROM outcomes WHERE submission = s.id)"
            " ORDER BY s.file, s.id", (assignment,)).fetchall()
        for r in rows:
            yield (self.db.execute("SELECT * FROM submissions WHERE id = ?", (r["sid"],)).fetchone(),
                   self.db.execute("SELECT * FROM outcomes WHERE id = ?", (r["oid"],)).fetchone())

    def candidates(self, assignment: str, student: str) -> list[sqlite3.Row]:
        """Current outcomes (joined with their submissions) of one student's gradable submissions."""
        return list(self.db.execute(
            "SELECT s.id AS id, s.file, s.sha256, s.lms, s.lms_key, s.lms_submission, s.resubmission, s.mtime, s.records,"
            " o.id AS oid, o.student FROM outcomes o JOIN submissions s ON s.id = o.submission"
            " WHERE s.assignment = ? AND o.student = ? COLLATE NOCASE AND o.own_status != 'rejected'"
            " AND o.id = (SELECT MAX(id) FROM outcomes WHERE submission = o.submission)", (assignment, student)))

    def counted_answers(self, assignment: str) -> list[sqlite3.Row]:
        """(student, exercise, answer, raw score, points) of every scored answer in the current
        counted outcomes of the assignment, by student."""
        return list(self.db.execute(
            "SELECT o.student, sc.exercise, sc.answer, sc.raw, sc.points FROM outcomes o"
            " JOIN submissions s ON s.id = o.submission JOIN scores sc ON sc.outcome = o.id"
            " WHERE s.assignment = ? AND o.counts = 1 AND sc.status = 'scored'"
            " AND o.id = (SELECT MAX(id) FROM outcomes WHERE submission = o.submission)"
            " ORDER BY o.student, sc.exercise", (assignment,)))

    def history(self, submission: int) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM outcomes WHERE submission = ? ORDER BY id", (submission,)))

    def counts(self) -> dict[str, int]:
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("students", "runs", "submissions", "outcomes", "scores", "marks")}

    def assignments(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT assignment FROM submissions ORDER BY assignment")]
