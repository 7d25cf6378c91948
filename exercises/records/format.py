"""Answer records: written into a notebook's own outputs, found again by exercise id.

The format is documented in ``docs/answer-record.md`` (format version 1). This module has three
jobs:

- **make** a record and the ``display_data`` bundle that carries it (``make_record``,
  ``record_bundle``, ``record_output``);
- **find** records in any notebook, whatever students did to it (``scan_records``,
  ``find_records``, ``latest``): junk is reported, never raised;
- **keep** records in a live kernel (``RecordKeeper``): every check updates the record output of
  the exercise's cell through its ``display_id``, a registry in the kernel's memory and a journal
  file, and a new widget restores the latest record from those and from the saved notebook.
"""
from __future__ import annotations

import json
import math
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import settings

RECORD_MIME = "application/vnd.exercises.record+json"
FORMAT = "exercises.record/1"
FORMAT_PREFIX = "exercises.record/"
OUTPUT_METADATA = {"exercises": {"record": 1}}
JOURNAL_NAME = ".exercise_answers.jsonl"
#: the field of a journal line naming the notebook it belongs to (never part of a record in a notebook)
JOURNAL_NOTEBOOK = "notebook"
CONTEXT_FIELDS = ("assignment", "student", "variant", "binding")
TEXT_FIELDS = ("time", *CONTEXT_FIELDS)
OPTIONAL_FIELDS = ("binding",)  # written only by releases that bind records (docs/answer-record.md)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The record format's JSON Schema (``exercises/schema/record.schema.v1.json``): the one place
    where the bounds below are written down."""
    return json.loads((resources.files("exercises") / "schema" / "record.schema.v1.json").read_text("utf-8"))


_PROPS = schema()["properties"]
_MAX_ID = _PROPS["exercise"]["maxLength"]  # an exercise id longer than this is junk, not an id
MAX_TEXT = {name: _PROPS[name]["maxLength"] for name in TEXT_FIELDS}
MAX_ATTEMPTS = _PROPS["attempts"]["maximum"]
MAX_DEPTH = _PROPS["answer"]["x-max-depth"]
MAX_ABS_INTEGER = _PROPS["answer"]["x-max-abs-integer"]
#: the largest answer a grader scores, as UTF-8 bytes of its JSON text (``answer_size``)
MAX_ANSWER_BYTES = _PROPS["answer"]["x-max-bytes"]


# --- making records --------------------------------------------------------------------------

def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_record(exercise: str, answer: Any, attempts: int, *, time: str | None = None,
                assignment: str | None = None, student: str | None = None,
                variant: str | None = None, binding: str | None = None,
                feedback_shown: bool = True) -> dict[str, Any]:
    """A format-1 record. ``answer`` must be JSON data in the shape its type defines."""
    if not isinstance(exercise, str) or not exercise:
        raise ValueError("a record needs an exercise id (text)")
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise ValueError(f"attempts must be a whole number from 1, got {attempts!r}")
    try:
        json.dumps(answer, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ValueError(f"the answer to {exercise} is not JSON data: {err}") from None
    record = {
        "format": FORMAT, "exercise": exercise, "answer": answer, "attempts": attempts,
        "time": time or utc_now(), "assignment": assignment, "student": student,
        "variant": variant, "feedback_shown": bool(feedback_shown),
    }
    if binding is not None:  # only releases with a secret bind records; older readers ignore the field
        record["binding"] = binding
    return record


def describe_answer(answer: Any, limit: int = 160) -> str:
    """A short readable form of an answer for the text/plain line."""
    if isinstance(answer, dict) and "code" in answer and "value" in answer:
        lines = len(str(answer.get("code") or "").splitlines())
        text = f"value {json.dumps(answer['value'], ensure_ascii=False)} from {lines} line(s) of code"
    elif isinstance(answer, str):
        text = answer
    else:
        text = json.dumps(answer, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_line(record: Mapping[str, Any], answer_text: str | None = None) -> str:
    """The readable line shown beside a record, e.g. ``Recorded answer to rsct_ex3 (attempt 2): b``;
    ``answer_text`` says the answer in words (``exercises.readable``) when the writer knows them."""
    return (f"Recorded answer to {record.get('exercise')} (attempt {record.get('attempts')}): "
            f"{answer_text or describe_answer(record.get('answer'))}")


def record_bundle(record: Mapping[str, Any], answer_text: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data, metadata) of the ``display_data`` output that carries ``record``."""
    return ({RECORD_MIME: dict(record), "text/plain": record_line(record, answer_text)},
            json.loads(json.dumps(OUTPUT_METADATA)))


def record_output(record: Mapping[str, Any]):
    """The record as an nbformat ``display_data`` output (for tools and tests)."""
    from nbformat import v4
    data, metadata = record_bundle(record)
    return v4.new_output("display_data", data=data, metadata=metadata)


# --- finding records -------------------------------------------------------------------------

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


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_ABS_INTEGER else None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) <= MAX_ABS_INTEGER:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 16:
        return int(value.strip())
    return None


def _short(value: Any, limit: int = 20) -> str:
    """A bounded, printable glimpse of a value for a problem line (never converts a huge int)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ABS_INTEGER:
        return "a number too large"
    if isinstance(value, (dict, list)):
        return f"a {type(value).__name__}"
    return repr(str(value)[:limit])


def answer_problem(answer: Any) -> str | None:
    """Why ``answer`` is out of the record format's bounds (nested deeper than ``MAX_DEPTH``, a
    whole number beyond ``MAX_ABS_INTEGER``, a number that is not finite), or None.

    Iterative and linear in the answer's size, so no answer can exhaust the stack or the clock."""
    stack = [(answer, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items = value.values()
        elif isinstance(value, list):
            items = value
        else:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ABS_INTEGER:
                return f"a number too large to be an answer (more than {MAX_ABS_INTEGER})"
            continue
        if depth >= MAX_DEPTH:
            return f"an answer nested too deeply (more than {MAX_DEPTH} levels)"
        stack.extend((v, depth + 1) for v in items)
    return None


def answer_size(answer: Any) -> int:
    """The size of ``answer`` that ``MAX_ANSWER_BYTES`` bounds: the UTF-8 bytes of its JSON text
    (``json.dumps`` with non-ASCII kept). Never less than the length in characters a grader
    measures, so an answer within this bound is within the grader's."""
    return len(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


def parse_record(value: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """Check one stored record. Returns (record or None, problems).

    A record is kept when it has the format-1 marker, an exercise id and an answer; other fields of
    the wrong type are repaired (``attempts`` -> 0, text fields -> null) and the repair reported,
    because losing an answer is worse than keeping one with a doubtful attempt count.
    """
    problems: list[str] = []
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except (ValueError, UnicodeDecodeError):
            return None, ["the record is text that is not valid JSON (truncated?)"]
    if not isinstance(value, dict):
        return None, [f"the record is {type(value).__name__}, not an object"]
    fmt = value.get("format")
    if fmt != FORMAT:
        if isinstance(fmt, str) and fmt.startswith(FORMAT_PREFIX):
            return None, [f"unknown record format {fmt[:40]!r} (this reader knows {FORMAT})"]
        return None, [f"not an answer record (format {str(fmt)[:40]!r})"]
    exercise = value.get("exercise")
    if not isinstance(exercise, str) or not exercise.strip() or len(exercise) > _MAX_ID:
        return None, ["the record has no valid exercise id"]
    if "answer" not in value:
        return None, [f"the record for {exercise} has no answer"]
    record = dict(value)
    record["exercise"] = exercise.strip()
    attempts = _whole_number(value.get("attempts"))
    if attempts is None or not 0 <= attempts <= MAX_ATTEMPTS:
        problems.append(f"{exercise}: attempts {_short(value.get('attempts'))} is not a count; read as 0")
        attempts = 0
    record["attempts"] = attempts
    for name in TEXT_FIELDS:
        if name in OPTIONAL_FIELDS and name not in value:
            continue
        v = value.get(name)
        if v is not None and not isinstance(v, str):
            problems.append(f"{exercise}: {name} {_short(v)} is not text; read as null")
            v = None
        elif v is not None and len(v) > MAX_TEXT[name]:
            problems.append(f"{exercise}: {name} is {len(v)} characters long (at most {MAX_TEXT[name]}); read as null")
            v = None
        record[name] = v
    shown = value.get("feedback_shown")
    record["feedback_shown"] = shown if isinstance(shown, bool) else None
    return record, problems


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
        attempts = _whole_number(rec.get("attempts"))
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


# --- where a live kernel keeps records -------------------------------------------------------

_UNSET = object()
_settings: dict[str, Any] = {"notebook": None, "journal": _UNSET}
_REGISTRY: dict[tuple, dict[str, Any]] = {}


def use_notebook(path: str | os.PathLike | None) -> None:
    """Tell the kernel which saved notebook it runs (for front ends that do not say so)."""
    _settings["notebook"] = Path(path) if path else None


def use_journal(path: str | os.PathLike | None | bool) -> None:
    """Write the journal to ``path``; ``False``/``None`` turns the journal off; ``True`` restores
    the default (``.exercise_answers.jsonl`` in the working directory, or ``$EXERCISES_JOURNAL``)."""
    if path is True:
        _settings["journal"] = _UNSET
    elif path in (None, False, ""):
        _settings["journal"] = None
    else:
        _settings["journal"] = Path(path)


def journal_path() -> Path | None:
    """The journal file in use, or ``None`` when journalling is off.

    ``$EXERCISES_JOURNAL`` overrides the default (an empty value turns it off)."""
    configured = _settings["journal"]
    if configured is not _UNSET:
        return configured
    journal = settings.current().journal
    return Path.cwd() / JOURNAL_NAME if journal is True else journal


def _user_namespace() -> Mapping[str, Any]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return {}
    shell = get_ipython()
    return getattr(shell, "user_ns", None) or {}


def notebook_path() -> Path | None:
    """The saved notebook this kernel runs, when it can be found: ``use_notebook()``, then VS Code's
    ``__vsc_ipynb_file__``, then Jupyter's ``JPY_SESSION_NAME`` (relative to the server root, so it
    is also tried against the working directory and its parents)."""
    candidates: list[Path] = []
    if _settings["notebook"]:
        candidates.append(_settings["notebook"])
    vsc = _user_namespace().get("__vsc_ipynb_file__")
    if isinstance(vsc, str) and vsc:
        candidates.append(Path(vsc))
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session:
        p = Path(session)
        candidates.append(p)
        if not p.is_absolute():
            cwd = Path.cwd()
            candidates.append(cwd / p.name)
            candidates.extend(parent / p for parent in cwd.parents)
    for c in candidates:
        if c.suffix == ".ipynb" and c.is_file():
            return c
    return None


def read_journal(path: str | os.PathLike | None = None) -> list[dict[str, Any]]:
    """Every well-formed record in a journal file, oldest first; junk lines are skipped."""
    path = Path(path) if path else journal_path()
    if path is None:
        return []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        record, _ = parse_record(line)
        if record is not None:
            out.append(record)
    return out


def _notebook_identity(path: Path | None) -> str | None:
    """What a journal line names its notebook by: the notebook's absolute path (None when the
    kernel cannot locate its notebook)."""
    return str(Path(path).resolve()) if path else None


def _without_notebook(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != JOURNAL_NOTEBOOK}


def _context_key(exercise: str, context: Mapping[str, Any]) -> tuple:
    # the binding follows from the other three, so records restore across releases with and without it
    return (exercise, *(context.get(k) for k in CONTEXT_FIELDS if k != "binding"))


def _same_context(record: Mapping[str, Any], key: tuple) -> bool:
    return _context_key(record.get("exercise"), record) == key


class IPythonSink:
    """Shows and updates the record output of a cell through IPython's display machinery."""

    def display(self, data: dict, metadata: dict, display_id: str) -> None:
        from IPython.display import display
        display(data, raw=True, metadata=metadata, display_id=display_id)

    def update(self, data: dict, metadata: dict, display_id: str) -> None:
        from IPython.display import update_display
        update_display(data, raw=True, metadata=metadata, display_id=display_id)


class RecordKeeper:
    """Keeps the records of one exercise (in one assignment/student/variant context).

    - ``restore()``: the latest record from the kernel registry, the saved notebook and the journal;
    - ``display()``: shows the record output of the cell (the restored record, or an empty output
      that later checks fill), under a ``display_id``;
    - ``keep(record)``: registry + journal + ``update_display`` of that output.

    ``sink`` replaces the IPython display calls (tests); ``journal``/``notebook`` override the
    module settings (``False`` turns a source off).
    """

    def __init__(self, exercise: str, context: Mapping[str, Any] | None = None, *,
                 sink: Any = None, journal: Any = _UNSET, notebook: Any = _UNSET):
        self.exercise = exercise
        self.context = {k: (context or {}).get(k) for k in CONTEXT_FIELDS}
        self.key = _context_key(exercise, self.context)
        self.sink = sink if sink is not None else IPythonSink()
        self._journal = journal
        self._notebook = notebook
        self.display_id = f"exercise-record-{exercise}-{uuid.uuid4().hex[:12]}"
        self.current: dict[str, Any] | None = None
        #: answer -> the answer in words, for the readable line (set by the widget)
        self.describe: Any = None
        self.displayed = False
        self.problems: list[str] = []

    # sources
    def journal_file(self) -> Path | None:
        if self._journal is _UNSET:
            return journal_path()
        return Path(self._journal) if self._journal else None

    def notebook_file(self) -> Path | None:
        if self._notebook is _UNSET:
            return notebook_path()
        return Path(self._notebook) if self._notebook else None

    def registered(self) -> dict[str, Any] | None:
        rec = _REGISTRY.get(self.key)
        return dict(rec) if rec else None

    def restore(self) -> dict[str, Any] | None:
        """The latest record for this exercise and context across every source (or None)."""
        candidates: list[dict[str, Any]] = []
        nb = self.notebook_file()
        if nb is not None:
            candidates += [r for r in read_notebook_records(nb).get(self.exercise, []) if _same_context(r, self.key)]
        journal = self.journal_file()
        if journal is not None:
            mine = _notebook_identity(nb)
            candidates += [_without_notebook(r) for r in read_journal(journal)
                           if _same_context(r, self.key) and r.get(JOURNAL_NOTEBOOK) == mine]
        reg = self.registered()
        if reg:
            candidates.append(reg)
        found = latest(candidates)
        if found is not None:
            _REGISTRY[self.key] = dict(found)
            self.current = dict(found)
        return found

    # output
    def bundle(self) -> tuple[dict[str, Any], dict[str, Any]]:
        if self.current is None:
            return {}, {}
        return record_bundle(self.current, self._words(self.current))

    def _words(self, record: Mapping[str, Any]) -> str | None:
        try:
            return self.describe(record.get("answer")) if self.describe else None
        except Exception:  # noqa: BLE001 - the record line falls back to the answer as recorded
            return None

    def display(self) -> None:
        data, metadata = self.bundle()
        self.sink.display(data, metadata, self.display_id)
        self.displayed = True

    def keep(self, record: dict[str, Any]) -> list[str]:
        """Keep ``record`` everywhere; returns problems (e.g. a journal that cannot be written)."""
        problems: list[str] = []
        self.current = dict(record)
        _REGISTRY[self.key] = dict(record)
        journal = self.journal_file()
        if journal is not None:
            line = dict(record, **{JOURNAL_NOTEBOOK: _notebook_identity(self.notebook_file())})
            try:
                with journal.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n")
            except OSError as err:
                problems.append(f"the answer journal {journal} could not be written ({err.strerror or err})")
        data, metadata = record_bundle(record, self._words(record))
        if self.displayed:
            self.sink.update(data, metadata, self.display_id)
        self.problems = problems
        return problems

    def highest_attempts(self) -> int:
        reg = _REGISTRY.get(self.key)
        return int(reg.get("attempts") or 0) if reg else 0


def forget_all() -> None:
    """Empty the in-kernel registry (tests; a student who wants a clean slate)."""
    _REGISTRY.clear()
    _NOTEBOOK_CACHE.clear()


# --- static builds ---------------------------------------------------------------------------

class HideRecordsPlugin:
    """myst-nb MIME renderer plugin: a record output renders as nothing in any built page.

    Registered through the ``myst_nb.mime_renderers`` entry point; without it, myst-nb warns
    "skipping unknown output mime type" for the record and shows its text/plain line.
    """

    mime_priority_overrides: list = []

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list | None:
        if data.mime_type == RECORD_MIME:
            return []
        meta = data.output_metadata if isinstance(data.output_metadata, Mapping) else {}
        marker = meta.get("exercises")
        if isinstance(marker, Mapping) and marker.get("record"):
            return []
        return None
