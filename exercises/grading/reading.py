"""Steps 1-3 of grading: the bytes of a file -> a notebook (or why it is not one) -> the release
metadata -> the answer records, checked (``docs/answer-record.md``). ``read`` does all three for
one entry and never raises; ``Reading`` is what the later steps and the gradebook keep."""
from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..records import format as rec_format, scan as rec_scan
from .gradebook import RELEASE_FIELDS
from .submissions import Incoming, LmsName, parse_name

#: the longest metadata value (an id, a token) read from a notebook
MAX_META = 200


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
    for ci, oi, cell, data in rec_scan.record_outputs(nb.get("cells") or []):
        if (ci, oi) == rec_scan.TOO_MANY:
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
        scan = rec_scan.scan_records(nb)
        damaged = _damaged_positions(nb, {(f.cell, f.output) for f in scan.found})
    except Exception as err:  # noqa: BLE001 - a reader bug must not sink the file
        return [], [f"{DAMAGED}?: the answer records could not be read ({type(err).__name__}: {str(err)[:200]})"]
    records, notes = [], []
    where = {(ci, oi): ex for ci, oi, ex in damaged}
    noted: set[tuple[int, int]] = set()
    for problem in scan.problems:
        if problem == rec_scan.TOO_MANY_NOTE:
            notes.append(f"{DAMAGED}?: {problem}")
            noted.add(rec_scan.TOO_MANY)
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
        problem = rec_format.answer_problem(r["answer"])
        if problem:
            notes.append(f"cell {r['cell']}: the answer to {r['exercise'][:60]} is {problem}; not scored")
            r["answer"], r["unscorable"] = None, problem
            records.append(r)
            continue
        size = len(json.dumps(r["answer"], ensure_ascii=False))
        if size > rec_format.MAX_ANSWER_BYTES:  # characters here; the widget bounds the (larger) UTF-8 bytes
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
        return max((rec_scan.time_key(r.get("time")) for r in self.records), default=float("-inf"))


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


