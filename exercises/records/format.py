"""The answer record's format (version 1) and its bounds: making a record, the ``display_data``
bundle that carries it, and checking one record read back.

The format is documented in ``docs/answer-record.md``; its bounds are written in one place, the
JSON Schema ``exercises/schema/record.schema.v1.json`` (``schema()``), and read from it here.
Finding records in a notebook is ``exercises.records.scan``; keeping them in a live kernel is
``exercises.records.keeper``.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from ..clock import utc_now

RECORD_MIME = "application/vnd.exercises.record+json"
FORMAT = "exercises.record/1"
FORMAT_PREFIX = "exercises.record/"
#: the ``metadata`` of every output that carries a record (``is_record_metadata`` recognises it)
OUTPUT_METADATA = {"exercises": {"record": 1}}
CONTEXT_FIELDS = ("assignment", "student", "variant", "binding")
TEXT_FIELDS = ("time", *CONTEXT_FIELDS)
OPTIONAL_FIELDS = ("binding",)  # written only by releases that bind records (docs/answer-record.md)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The record format's JSON Schema (``exercises/schema/record.schema.v1.json``): the one place
    where the bounds below are written down."""
    return json.loads((resources.files("exercises") / "schema" / "record.schema.v1.json").read_text("utf-8"))


_PROPS = schema()["properties"]
MAX_ID = _PROPS["exercise"]["maxLength"]  # an exercise id longer than this is junk, not an id
MAX_TEXT = {name: _PROPS[name]["maxLength"] for name in TEXT_FIELDS}
MAX_ATTEMPTS = _PROPS["attempts"]["maximum"]
MAX_DEPTH = _PROPS["answer"]["x-max-depth"]
MAX_ABS_INTEGER = _PROPS["answer"]["x-max-abs-integer"]
#: the largest answer a grader scores, as UTF-8 bytes of its JSON text (``answer_size``)
MAX_ANSWER_BYTES = _PROPS["answer"]["x-max-bytes"]


# --- making records --------------------------------------------------------------------------

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
    ``answer_text`` says the answer in words (``exercises.views.readable``) when the writer knows them."""
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


def is_record_metadata(metadata: Any) -> bool:
    """Whether an output's ``metadata`` carries the record marker (``OUTPUT_METADATA``), whatever
    else it holds; anything that is not such a mapping is not."""
    marker = metadata.get("exercises") if isinstance(metadata, Mapping) else None
    return isinstance(marker, Mapping) and bool(marker.get("record"))


# --- checking a record read back -------------------------------------------------------------

def whole_number(value: Any) -> int | None:
    """``value`` as a whole number within ``MAX_ABS_INTEGER`` (an int, an integral float or a
    short string of digits), or None: how a reader takes a stored ``attempts``."""
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
    if not isinstance(exercise, str) or not exercise.strip() or len(exercise) > MAX_ID:
        return None, ["the record has no valid exercise id"]
    if "answer" not in value:
        return None, [f"the record for {exercise} has no answer"]
    record = dict(value)
    record["exercise"] = exercise.strip()
    attempts = whole_number(value.get("attempts"))
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
