"""Canonical values and results: the leaf every checker, view and grader shares.

Normalisation of text (``normalise_text``), numbers from student input (``parse_number``), the
tolerance grid on which numbers are compared (``grid_index``, ``within``), the comparable value of
a code result (``code_value``), answer-shape helpers, and the ``Result`` of a check. It imports
nothing from the package, so anything may import it. ``assets/exercises.js`` mirrors these rules.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

#: numeric tolerances are applied on a grid of this many steps per tolerance width
GRID_STEPS = 20


@dataclass(frozen=True)
class Part:
    id: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Result:
    exercise_id: str
    score: float
    points: float
    parts: tuple[Part, ...] = ()
    feedback: str = ""  # a whole-answer message (misconception, summary)
    valid: bool = True  # False when the answer had the wrong shape
    blank: bool = False
    error: Mapping[str, Any] | None = None  # why not valid: {"code": ..., "args": {...}} (see SHAPE_MESSAGES)
    pending: bool = False  # a person marks it (a written answer): the score is not known yet


    @property
    def correct(self) -> bool:
        return self.valid and not self.blank and not self.pending and math.isclose(self.score, self.points)

    @property
    def fraction(self) -> float:
        return self.score / self.points if self.points else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise_id, "score": self.score, "points": self.points,
            "correct": self.correct, "valid": self.valid, "blank": self.blank,
            "feedback": self.feedback, "error": self.error, "pending": self.pending,
            "parts": [{"id": p.id, "correct": p.correct, "feedback": p.feedback} for p in self.parts],
        }


#: what an answer of the wrong shape is told, by error code; ``{value}`` is shown as Python's repr.
#: The browser checker returns the same codes and arguments and words them itself.
SHAPE_MESSAGES = {
    "number_bool": "expected a number, got true/false",
    "number_text": "expected a number, got {value}",
    "number_type": "expected a number, got {kind}",
    "number_infinite": "expected a finite number",
    "result_type": "expected a number or text as the result, got {kind}",
    "result_shape": "expected the code and the value it computed",
    "result_text": "expected text as the result",
    "mapping": "expected a mapping of {what}",
    "mapping_text": "expected a mapping of {what} (text to text)",
    "id_list": "expected a list of ids",
    "one_option": "expected one option id",
    "text": "expected text",
    "every_item": "expected every item exactly once",
    "unknown": "{value} is not one of the {what}",
    "result_not_finite": "the result is not a finite number",
    "result_too_long": "the result is text of {length} characters; expected a short value",
}


class AnswerShapeError(ValueError):
    """The answer does not have the shape its type expects: ``code`` (a key of ``SHAPE_MESSAGES``)
    and ``details`` (its arguments, plain JSON data) say how; ``str()`` says it in words."""

    def __init__(self, code: str, **details: Any):
        self.code, self.details = code, details
        words = {k: repr(v) if k == "value" else v for k, v in details.items()}
        super().__init__(SHAPE_MESSAGES[code].format(**words))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "args": dict(self.details)}


# --- normalisation ---------------------------------------------------------------------------

_FOLD = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "œ": "oe", "Œ": "OE",
                       "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "’": "'", "‘": "'"})


def normalise_text(text: str) -> str:
    """Case, spacing, punctuation and diacritics folded: "  Wæver!" -> "waever"."""
    text = unicodedata.normalize("NFKD", str(text).translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)  # everything else (punctuation, symbols) is a space
    return " ".join(text.split())


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_number(value: Any) -> float:
    """A number from a number or a string such as "79.5", "79,5", "1 066", "79.5 %"."""
    if isinstance(value, bool):
        raise AnswerShapeError("number_bool")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        s = value.strip().rstrip("%").strip().replace("\u2212", "-")
        s = re.sub(r"(?<=\d)[ \u00a0\u202f_](?=\d{3}\b)", "", s)
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        if not _NUMBER.match(s):
            raise AnswerShapeError("number_text", value=value[:40])
        number = float(s)
    else:
        raise AnswerShapeError("number_type", kind=type(value).__name__)
    if not math.isfinite(number):
        raise AnswerShapeError("number_infinite")
    return number


def grid_index(value: float, tolerance: dict) -> tuple[int, int]:
    """Place a number on the tolerance grid: (sign, index). Two numbers are within tolerance of
    each other when their signs agree and their indexes differ by at most ``GRID_STEPS``.

    Absolute tolerance t: index = floor(x / (t/GRID_STEPS) + 0.5).
    Relative tolerance r: index = floor(ln|x| / (ln(1+r)/GRID_STEPS) + 0.5), sign kept apart.
    """
    if "abs" in tolerance:
        return 0, math.floor(value / (tolerance["abs"] / GRID_STEPS) + 0.5)
    if value == 0:
        return 0, 0
    step = math.log1p(tolerance["rel"]) / GRID_STEPS
    return (1 if value > 0 else -1), math.floor(math.log(abs(value)) / step + 0.5)


def grid_text(sign: int, index: int) -> str:
    """The canonical text of a point of the grid (what a sealed spec hashes)."""
    return f"{sign}:{index}"


def grid_neighbours(value: float, tolerance: dict) -> list[str]:
    """The grid texts of every point within tolerance of ``value`` (none for a number too large
    for the grid): a key value is accepted when it is one of them."""
    try:
        sign, index = grid_index(value, tolerance)
    except OverflowError:
        return []
    return [grid_text(sign, index + d) for d in range(-GRID_STEPS, GRID_STEPS + 1)]


def within(value: float, target: float, tolerance: dict) -> bool:
    try:
        (sv, iv), (st, it) = grid_index(value, tolerance), grid_index(target, tolerance)
    except OverflowError:  # a number too large for the grid (e.g. 1e300) matches nothing
        return False
    if "rel" in tolerance and (value == 0 or target == 0):
        return value == target
    return sv == st and abs(iv - it) <= GRID_STEPS


# --- helpers ---------------------------------------------------------------------------------

def is_blank(answer: Any) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return answer.strip() == ""
    if isinstance(answer, (list, tuple, dict)):
        return len(answer) == 0 or all(is_blank(v) for v in (answer.values() if isinstance(answer, dict) else answer))
    return False


def expect_mapping(answer: Any, what: str) -> dict[str, str]:
    if not isinstance(answer, dict):
        raise AnswerShapeError("mapping", what=what)
    out = {}
    for k, v in answer.items():
        if not isinstance(k, str) or not (v is None or isinstance(v, str)):
            raise AnswerShapeError("mapping_text", what=what)
        if v:
            out[k] = v
    return out


def expect_id_list(answer: Any) -> list[str]:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(v, str) for v in answer):
        raise AnswerShapeError("id_list")
    return list(answer)


def code_value(value: Any) -> float | str:
    """The comparable form of a code result: a float for numbers (numpy/pandas scalars too), else text."""
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AnswerShapeError("result_type", kind=type(value).__name__)
    return float(value) if isinstance(value, (int, float)) else value
