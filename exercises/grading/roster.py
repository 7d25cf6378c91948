"""Class rosters: who the students are, and how the LMS names them.

A roster is a CSV file with one row per student. Three layouts are read:

- **plain**: columns ``id`` (required: the student id used in file names, the gradebook and
  every export), and optionally ``name``, ``email``, ``section``, ``sis_id``, ``sis_login``,
  ``canvas_id`` (the Canvas user id in Canvas download names) and ``moodle_id`` (the Moodle
  participant number in Moodle download names);
- **a Canvas gradebook export** (columns ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``,
  ``Section``): the id is the SIS user id (else the SIS login, else the Canvas id);
- **a Moodle grading worksheet** (columns ``Identifier`` = ``Participant 123``, ``Full name``,
  ``Email address``, and ``ID number`` when the site shows it): the id is the ID number (else the
  e-mail address, else the participant number).

Problems are reported one per line with the file and line: ``roster.csv:4: duplicate student id``.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

FIELDS = ("id", "name", "email", "section", "sis_id", "sis_login", "canvas_id", "moodle_id")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")


class RosterError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""
    section: str = ""
    sis_id: str = ""
    sis_login: str = ""
    canvas_id: str = ""
    moodle_id: str = ""

    def as_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FIELDS}


@dataclass(frozen=True)
class Roster:
    students: tuple[Student, ...] = ()
    file: str = ""
    _by: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], Student] = {}
        for s in self.students:
            index[("id", s.id.lower())] = s
            for key in ("email", "canvas_id", "moodle_id", "sis_id", "sis_login"):
                value = getattr(s, key)
                if value:
                    index.setdefault((key, value.lower()), s)
        object.__setattr__(self, "_by", index)

    def __len__(self) -> int:
        return len(self.students)

    def __iter__(self):
        return iter(self.students)

    def get(self, student_id: str | None) -> Student | None:
        return self._by.get(("id", str(student_id).lower())) if student_id else None

    def by(self, key: str, value: str | None) -> Student | None:
        return self._by.get((key, str(value).lower())) if value else None

    def match_name(self, stem: str) -> Student | None:
        """A student whose id, e-mail or SIS login equals a file name's stem (plain uploads)."""
        stem = stem.lower()
        for key in ("id", "email", "sis_login", "sis_id"):
            found = self._by.get((key, stem))
            if found:
                return found
        return None


_ALIASES = {
    "id": ("id", "student_id", "student id", "studentid"),
    "name": ("name", "full name", "student name", "fullname"),
    "email": ("email", "email address", "e-mail", "mail"),
    "section": ("section", "group", "groups"),
    "sis_id": ("sis_id", "sis user id", "id number", "idnumber"),
    "sis_login": ("sis_login", "sis login id", "login", "username"),
    "canvas_id": ("canvas_id", "canvas id", "canvas user id"),
    "moodle_id": ("moodle_id", "participant", "moodle participant"),
}


def _layout(header: list[str]) -> str:
    low = [h.strip().lower() for h in header]
    if "student" in low and "sis user id" in low and "id" in low:
        return "canvas"
    if "identifier" in low and "full name" in low:
        return "moodle"
    return "plain"


def _columns(header: list[str], layout: str) -> dict[str, int]:
    low = [h.strip().lower() for h in header]
    cols: dict[str, int] = {}
    if layout == "canvas":
        mapping = {"name": "student", "canvas_id": "id", "sis_id": "sis user id", "sis_login": "sis login id",
                   "section": "section", "email": "email"}
        cols = {k: low.index(v) for k, v in mapping.items() if v in low}
        return cols
    if layout == "moodle":
        mapping = {"moodle_id": "identifier", "name": "full name", "email": "email address", "sis_id": "id number"}
        cols = {k: low.index(v) for k, v in mapping.items() if v in low}
        return cols
    for key, names in _ALIASES.items():
        for n in names:
            if n in low:
                cols[key] = low.index(n)
                break
    return cols


def parse(text: str, display: str = "roster.csv") -> Roster:
    """Read a roster from CSV text; raises ``RosterError`` with one line per problem."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not rows:
        raise RosterError([f"{display}: the roster is empty (expected a header row with an id column)"])
    header_line, header = rows[0]
    layout = _layout(header)
    cols = _columns(header, layout)
    if layout == "plain" and "id" not in cols:
        raise RosterError([f"{display}:{header_line}: no id column (the header must name one of: "
                           f"{', '.join(_ALIASES['id'])}; found: {', '.join(h.strip() for h in header)})"])
    problems: list[str] = []
    students: list[Student] = []
    seen: dict[str, int] = {}
    seen_keys: dict[tuple[str, str], int] = {}
    for line, row in rows[1:]:
        values = {k: (row[i].strip() if i < len(row) else "") for k, i in cols.items()}
        if layout == "canvas":
            if values.get("name", "").strip().lower() in ("points possible", ""):
                continue  # the second header row of a Canvas export
            values["id"] = values.get("sis_id") or values.get("sis_login") or values.get("canvas_id", "")
        elif layout == "moodle":
            m = re.search(r"(\d+)", values.get("moodle_id", ""))
            values["moodle_id"] = m.group(1) if m else ""
            values["id"] = values.get("sis_id") or values.get("email") or values["moodle_id"]
        sid = values.get("id", "")
        if not sid:
            problems.append(f"{display}:{line}: no student id in this row")
            continue
        if not SAFE_ID.match(sid):
            problems.append(f"{display}:{line}: student id {sid[:40]!r} may use only letters, digits and . _ @ + - "
                            f"(at most 64 characters; it names files and gradebook rows)")
            continue
        if sid.lower() in seen:
            problems.append(f"{display}:{line}: duplicate student id {sid!r} (first on line {seen[sid.lower()]})")
            continue
        seen[sid.lower()] = line
        for key in ("canvas_id", "moodle_id", "email"):
            v = values.get(key, "").lower()
            if v and (key, v) in seen_keys:
                problems.append(f"{display}:{line}: {key} {values[key]!r} is also on line {seen_keys[(key, v)]}")
            elif v:
                seen_keys[(key, v)] = line
        students.append(Student(**{k: values.get(k, "") for k in FIELDS}))
    if problems:
        raise RosterError(problems)
    if not students:
        raise RosterError([f"{display}: the roster has a header but no students"])
    return Roster(tuple(students), display)


def load(path: Path | str) -> Roster:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RosterError([f"{path}: no such roster file"]) from None
    except UnicodeDecodeError as err:
        raise RosterError([f"{path}: not UTF-8 text (byte {err.start}); save the roster as CSV UTF-8"]) from None
    except OSError as err:
        raise RosterError([f"{path}: cannot read the roster ({err.strerror})"]) from None
    return parse(text, str(path))


def merge(student: Student, other: Student) -> Student:
    """``student`` with the empty fields filled from ``other`` (same person, two sources)."""
    return replace(student, **{f: getattr(other, f) for f in FIELDS if not getattr(student, f) and getattr(other, f)})
