"""Grading a class: ``grade`` runs the steps over a folder, a zip or one file and keeps everything
in the gradebook; ``regrade`` rescores the stored submissions after a key change. The whole batch
is one transaction, and one file never sinks it.

The steps, each a module of its own: ``reading`` (bytes -> notebook -> records) -> ``identity``
(who) -> ``assess`` (``release_checks``, then ``scoring`` per exercise, then the status) ->
``resolve`` (one counted submission per student).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from .assess import assess, rejected
from .assignment import Assignment
from .gradebook import Gradebook, Outcome
from .identity import identify
from .reading import Reading, read
from .resolve import apply_resolution, resolve
from .roster import SAFE_ID, Roster
from .scoring import LATE_LMS, LATE_RECORDS, Context
from .submissions import collect


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
            self.store(sid, rejected(f"grading this file failed: {type(err).__name__}: {str(err)[:200]} "
                                      "(check it by hand)", None, self.ctx.assignment.total_points))

    def _process(self, sid: int, reading: Reading) -> None:
        ctx = self.ctx
        newer = self.gb.newer_same_name(ctx.assignment.name, reading.file, sid)
        if newer is not None:  # the file was replaced: its later content counts, never this vanished one
            previous = self.gb.current_outcome(sid)
            if previous is not None and previous["own_status"] != "rejected" and previous["student"]:
                self.crowded.add(previous["student"].lower())
            self.store(sid, rejected("replaced by a newer file of the same name (handed in later); that one "
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
        others = [self.gb.candidate(r) for r in self.gb.candidates(ctx.assignment.name, own.student) if r["id"] != sid]
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
            members = [gb.candidate(r) for r in rows]
            decision = resolve(members)
            for r in rows:
                out = gb.current_outcome(r["id"])
                own = gb.outcome(out)
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
                    batch.process(older, gb.reading(gb.submission(older)))
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
            batch.process(row["id"], gb.reading(row))
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
