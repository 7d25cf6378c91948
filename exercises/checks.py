"""Pure checkers: ``check(exercise, answer) -> Result``.

This module is the specification that the browser checker (``assets/exercises.js``) also
implements; ``tests/vectors.json`` holds shared test vectors that both run. A checker never
raises on a student's answer: an answer of the wrong shape scores 0 with ``valid=False`` and a
message saying what was expected.

Answer shapes, by type (this is also what the answer record stores):

==================  ==========================================================
single_choice       option id (str)
multiple_select     list of option ids
numeric             number (or a string holding one, e.g. "79,5" or "79.5%")
short_text          str
ordering            list of item ids, first to last
matching            {left id: right id}
categorisation      {item id: category id}
slot_coding         {slot id: option id}
relation_matrix     {"a/b": value id}   (either order of a and b)
code                {"code": str, "value": number or str}
==================  ==========================================================
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from . import models as m

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

    @property
    def correct(self) -> bool:
        return self.valid and not self.blank and math.isclose(self.score, self.points)

    @property
    def fraction(self) -> float:
        return self.score / self.points if self.points else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise_id, "score": self.score, "points": self.points,
            "correct": self.correct, "valid": self.valid, "blank": self.blank,
            "feedback": self.feedback,
            "parts": [{"id": p.id, "correct": p.correct, "feedback": p.feedback} for p in self.parts],
        }


class AnswerShapeError(ValueError):
    """The answer does not have the shape its type expects."""


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
        raise AnswerShapeError("expected a number, got true/false")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        s = value.strip().rstrip("%").strip().replace("\u2212", "-")
        s = re.sub(r"(?<=\d)[ \u00a0\u202f_](?=\d{3}\b)", "", s)
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        if not _NUMBER.match(s):
            raise AnswerShapeError(f"expected a number, got {value[:40]!r}")
        number = float(s)
    else:
        raise AnswerShapeError(f"expected a number, got {type(value).__name__}")
    if not math.isfinite(number):
        raise AnswerShapeError("expected a finite number")
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


def within(value: float, target: float, tolerance: dict) -> bool:
    try:
        (sv, iv), (st, it) = grid_index(value, tolerance), grid_index(target, tolerance)
    except OverflowError:  # a number too large for the grid (e.g. 1e300) matches nothing
        return False
    if "rel" in tolerance and (value == 0 or target == 0):
        return value == target
    return sv == st and abs(iv - it) <= GRID_STEPS


# --- helpers ---------------------------------------------------------------------------------

def _is_blank(answer: Any) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return answer.strip() == ""
    if isinstance(answer, (list, tuple, dict)):
        return len(answer) == 0 or all(_is_blank(v) for v in (answer.values() if isinstance(answer, dict) else answer))
    return False


def _expect_mapping(answer: Any, what: str) -> dict[str, str]:
    if not isinstance(answer, dict):
        raise AnswerShapeError(f"expected a mapping of {what}")
    out = {}
    for k, v in answer.items():
        if not isinstance(k, str) or not (v is None or isinstance(v, str)):
            raise AnswerShapeError(f"expected a mapping of {what} (text to text)")
        if v:
            out[k] = v
    return out


def _expect_id_list(answer: Any) -> list[str]:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(v, str) for v in answer):
        raise AnswerShapeError("expected a list of ids")
    return list(answer)


def _parts_result(ex: m.Exercise, parts: list[Part], feedback: str = "") -> Result:
    fraction = sum(p.correct for p in parts) / len(parts) if parts else 0.0
    return Result(ex.id, ex.points * fraction, ex.points, tuple(parts), feedback)


# --- the ten checkers ------------------------------------------------------------------------

def _single(ex: m.SingleChoice, answer: Any) -> Result:
    if not isinstance(answer, str):
        raise AnswerShapeError("expected one option id")
    option = next((o for o in ex.options if o.id == answer), None)
    if option is None:
        raise AnswerShapeError(f"{answer[:40]!r} is not one of the options")
    ok = answer == ex.answer
    return Result(ex.id, ex.points if ok else 0.0, ex.points, (Part(answer, ok, option.feedback),))


def _multiple(ex: m.MultipleSelect, answer: Any) -> Result:
    chosen = _expect_id_list(answer)
    known = {o.id: o for o in ex.options}
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise AnswerShapeError(f"{unknown[0][:40]!r} is not one of the options")
    chosen = list(dict.fromkeys(chosen))
    key = set(ex.answer)
    parts = [Part(c, c in key, known[c].feedback) for c in chosen]
    right = sum(p.correct for p in parts)
    fraction = max(0.0, (right - (len(parts) - right)) / len(key))
    summary = f"{right} of the {len(key)} right options chosen" + (f", {len(parts) - right} wrong" if len(parts) > right else "")
    return Result(ex.id, ex.points * fraction, ex.points, tuple(parts), summary)


def _numeric_like(ex, value: float, target: float, tolerance: dict, misconceptions) -> Result:
    if within(value, target, tolerance):
        return Result(ex.id, ex.points, ex.points, (Part("answer", True, ""),))
    for mis in misconceptions:
        if within(value, float(mis["answer"]), tolerance):
            return Result(ex.id, 0.0, ex.points, (Part("answer", False, mis["feedback"]),))
    return Result(ex.id, 0.0, ex.points, (Part("answer", False, ex_feedback(ex)),))


def ex_feedback(ex: m.Exercise) -> str:
    return getattr(ex, "feedback", {}).get("incorrect", "") if isinstance(getattr(ex, "feedback", None), dict) else ""


def _numeric(ex: m.Numeric, answer: Any) -> Result:
    return _numeric_like(ex, parse_number(answer), ex.answer, dict(ex.tolerance), ex.misconceptions)


def _short_text(ex: m.ShortText, answer: Any) -> Result:
    if not isinstance(answer, str):
        raise AnswerShapeError("expected text")
    given = normalise_text(answer[:2000])
    ok = given in {normalise_text(v) for v in ex.answer} or bool(ex.pattern and re.fullmatch(ex.pattern, given))
    if ok:
        return Result(ex.id, ex.points, ex.points, (Part("answer", True, ""),))
    for mis in ex.misconceptions:
        if given == normalise_text(mis["answer"]):
            return Result(ex.id, 0.0, ex.points, (Part("answer", False, mis["feedback"]),))
    return Result(ex.id, 0.0, ex.points, (Part("answer", False, ex_feedback(ex)),))


def _ordering(ex: m.Ordering, answer: Any) -> Result:
    order = _expect_id_list(answer)
    known = {i.id for i in ex.items}
    if set(order) != known or len(order) != len(known):
        raise AnswerShapeError("expected every item exactly once")
    parts = [Part(str(i + 1), given == want) for i, (given, want) in enumerate(zip(order, ex.answer))]
    return _parts_result(ex, parts)


def _mapping_parts(ex, given: dict[str, str], part_ids, accepted: Callable[[str], tuple[str, ...]],
                   allowed: set[str], what: str) -> Result:
    unknown = [k for k in given if k not in part_ids]
    if unknown:
        raise AnswerShapeError(f"{unknown[0][:40]!r} is not one of the {what}")
    bad = [v for v in given.values() if v not in allowed]
    if bad:
        raise AnswerShapeError(f"{bad[0][:40]!r} is not one of the choices")
    feedback = getattr(ex, "feedback", {}) or {}
    parts = []
    for pid in part_ids:
        ok = given.get(pid) in accepted(pid)
        parts.append(Part(pid, ok, "" if ok or pid not in given else feedback.get(pid, "")))
    return _parts_result(ex, parts)


def _matching(ex: m.Matching, answer: Any) -> Result:
    given = _expect_mapping(answer, "left items to right items")
    # parts in id order, as in the sealed spec (the bank's order of items may hint at the key)
    return _mapping_parts(ex, given, sorted(ex.part_ids), lambda p: (ex.answer[p],), {c.id for c in ex.right}, "items to match")


def _categorisation(ex: m.Categorisation, answer: Any) -> Result:
    given = _expect_mapping(answer, "items to categories")
    return _mapping_parts(ex, given, sorted(ex.part_ids), lambda p: (ex.answer[p],), {c.id for c in ex.categories}, "items")


def _slot_coding(ex: m.SlotCoding, answer: Any) -> Result:
    given = _expect_mapping(answer, "slots to options")
    allowed = {o.id for s in ex.slots for o in s.options}
    return _mapping_parts(ex, given, ex.part_ids, lambda p: ex.answer[p], allowed, "slots")


def _relation_matrix(ex: m.RelationMatrix, answer: Any) -> Result:
    raw = _expect_mapping(answer, "cells to values")
    given = {}
    for k, v in raw.items():
        a, sep, b = k.partition("/")
        given[m.cell_id(a, b) if sep else k] = v
    return _mapping_parts(ex, given, ex.part_ids, lambda p: ex.answer[p], {v.id for v in ex.values}, "cells")


def code_value(value: Any) -> float | str:
    """The comparable form of a code result: a float for numbers (numpy/pandas scalars too), else text."""
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AnswerShapeError(f"expected a number or text as the result, got {type(value).__name__}")
    return float(value) if isinstance(value, (int, float)) else value


def code_wrong_feedback(result: str) -> str:
    """What a wrong code value is told (the same words in ``sealed`` and ``exercises.js``)."""
    return f"The value of {result} is not the expected one: check your steps against the hints and run the code again."


def _code(ex: m.Code, answer: Any, *, expected: Any) -> Result:
    if not isinstance(answer, dict) or "value" not in answer:
        raise AnswerShapeError("expected the code and the value it computed")
    want = code_value(expected)
    if isinstance(want, float):
        got = parse_number(answer["value"])
        tolerance = dict(ex.tolerance) or {"abs": 1e-9}
        ok = within(got, want, tolerance)
    else:
        got = answer["value"]
        if not isinstance(got, str):
            raise AnswerShapeError("expected text as the result")
        ok = normalise_text(got) == normalise_text(want)
    return Result(ex.id, ex.points if ok else 0.0, ex.points,
                  (Part("answer", ok, "" if ok else code_wrong_feedback(ex.result)),))


_CHECKERS: dict[str, Callable[..., Result]] = {
    "single_choice": _single, "multiple_select": _multiple, "numeric": _numeric,
    "short_text": _short_text, "ordering": _ordering, "matching": _matching,
    "categorisation": _categorisation, "slot_coding": _slot_coding,
    "relation_matrix": _relation_matrix,
}


def check(ex: m.Exercise, answer: Any, *, expected: Any = None) -> Result:
    """Score ``answer`` against the key of ``ex``. Never raises on a bad answer.

    For ``code`` exercises, ``expected`` is the value the solution computes (see
    ``solutions.expected_value``); the checker compares values, it never runs the student's code.
    """
    if _is_blank(answer) or (ex.type == "code" and isinstance(answer, dict) and _is_blank(answer.get("value"))):
        return Result(ex.id, 0.0, ex.points, (), "No answer given.", blank=True)
    try:
        if ex.type == "code":
            if expected is None:
                from .solutions import expected_value
                expected = expected_value(ex)
            return _code(ex, answer, expected=expected)
        return _CHECKERS[ex.type](ex, answer)
    except AnswerShapeError as err:
        return Result(ex.id, 0.0, ex.points, (), f"Answer not understood: {err}.", valid=False)


def key_answer(ex: m.Exercise) -> Any:
    """An answer that the key scores full marks (for tests, benchmarks and model answers)."""
    if ex.type in ("single_choice", "numeric"):
        return ex.answer
    if ex.type in ("multiple_select", "ordering"):
        return list(ex.answer)
    if ex.type == "short_text":
        return ex.answer[0]
    if ex.type in ("matching", "categorisation"):
        return dict(ex.answer)
    if ex.type in ("slot_coding", "relation_matrix"):
        return {part: accepted[0] for part, accepted in ex.answer.items()}
    if ex.type == "code":
        from .solutions import expected_value
        return {"code": ex.solution, "value": expected_value(ex)}
    raise ValueError(f"unknown type {ex.type}")
