"""Finding answer records in any notebook, whatever students did to it: ``scan_records`` (every
record, with where it was and what had to be skipped or repaired), ``find_records`` (records by
exercise id), ``latest`` (the record that counts) and ``read_notebook_records`` (a saved ``.ipynb``).

Junk is reported, never raised; a record is checked by ``exercises.records.format.parse_record``.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from .format import RECORD_MIME, parse_record, whole_number


@dataclass(frozen=True)
class Found:
    """One record found in a notebook, with where it was found."""
    record: dict[str, Any]
    cell: int
    output: int
    cell_id: str | None = None


@dataclass
class Scan:
    """What ``scan_records`` found: records by exercise id, and what it had to skip or repair."""
    found: list[Found] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def records(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for f in self.found:
            out.setdefault(f.record["exercise"], []).append(f.record)
        return out


def scan_records(nb: Any) -> Scan:
    """Every record in a notebook (an nbformat node or the plain JSON dict), wherever it is.

    Never raises: anything that is not a well-formed record is skipped and said in ``problems``.
    """
    scan = Scan()
    cells = nb.get("cells") if isinstance(nb, Mapping) else None
    if not isinstance(cells, list):
        scan.problems.append("the notebook has no list of cells")
        return scan
    for ci, oi, cell, data in record_outputs(cells):
        if (ci, oi) == TOO_MANY:
            scan.problems.append(TOO_MANY_NOTE)
            break
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        record, problems = parse_record(data[RECORD_MIME])
        scan.problems.extend(f"cell {ci + 1}, output {oi + 1}: {p}" for p in problems)
        if record is not None:
            scan.found.append(Found(record, ci, oi, cell_id))
    return scan


#: a notebook holds one record output per exercise cell, and a few copies; past this it is junk
MAX_RECORDS = 1000
TOO_MANY = (-1, -1)
TOO_MANY_NOTE = f"more than {MAX_RECORDS} record outputs: the rest of the notebook was not read"


def record_outputs(cells: list) -> Iterable[tuple[int, int, Mapping[str, Any], Mapping[str, Any]]]:
    """(cell index, output index, cell, output data) of every output carrying a record, in notebook
    order; after ``MAX_RECORDS`` of them, one ``(TOO_MANY, ...)`` item and the end."""
    seen = 0
    for ci, cell in enumerate(cells):
        if not isinstance(cell, Mapping):
            continue
        outputs = cell.get("outputs")
        if not isinstance(outputs, list):
            continue
        for oi, output in enumerate(outputs):
            data = output.get("data") if isinstance(output, Mapping) else None
            if not isinstance(data, Mapping) or RECORD_MIME not in data:
                continue
            seen += 1
            if seen > MAX_RECORDS:
                yield (*TOO_MANY, cell, data)
                return
            yield ci, oi, cell, data


def find_records(nb: Any) -> dict[str, list[dict[str, Any]]]:
    """``{exercise id: [record, ...]}`` in notebook order; tolerant of anything (see ``scan_records``)."""
    return scan_records(nb).records


def time_key(value: Any) -> float:
    """A record's ``time`` as a POSIX timestamp to sort by (UTC when no zone is given); ``-inf``
    when it is not an ISO 8601 time."""
    if not isinstance(value, str):
        return float("-inf")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return float("-inf")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def latest(records: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The record that counts: the highest ``attempts``, then the latest ``time``, then the one
    found last. ``None`` when there is none."""
    best, best_key = None, None
    for i, rec in enumerate(records):
        attempts = whole_number(rec.get("attempts"))
        key = (attempts if attempts is not None else -1, time_key(rec.get("time")), i)
        if best_key is None or key > best_key:
            best, best_key = rec, key
    return dict(best) if best is not None else None


def read_notebook_records(path: str | os.PathLike) -> dict[str, list[dict[str, Any]]]:
    """Records in a saved ``.ipynb`` file; ``{}`` when it cannot be read as notebook JSON."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return {}
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _NOTEBOOK_CACHE.get(key[0])
    if cached and cached[0] == key:
        return cached[1]
    try:
        with path.open(encoding="utf-8") as fh:
            nb = json.load(fh)
    except (OSError, ValueError, UnicodeDecodeError):
        records: dict[str, list[dict[str, Any]]] = {}
    else:
        records = find_records(nb)
    _NOTEBOOK_CACHE[key[0]] = (key, records)
    return records


_NOTEBOOK_CACHE: dict[str, tuple[tuple, dict[str, list[dict[str, Any]]]]] = {}


def forget_notebooks() -> None:
    """Forget the saved notebooks ``read_notebook_records`` has read (``keeper.forget_all``)."""
    _NOTEBOOK_CACHE.clear()
