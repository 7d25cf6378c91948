"""``numeric``: a number within a tolerance, with feedback for known misconceptions."""
from __future__ import annotations

from dataclasses import dataclass, field
from markupsafe import escape
from typing import Any, ClassVar, Mapping

from ..canonical import GRID_STEPS, grid_index, grid_text, parse_number, within
from .base import ClearKey, Exercise, KeyRules
from .scoring import number, tolerance

TYPE = "numeric"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = False  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class Numeric(Exercise):
    answer: float = 0.0
    tolerance: Mapping[str, float] = field(default_factory=dict)
    unit: str = ""
    misconceptions: tuple[Mapping[str, Any], ...] = ()
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "misconceptions", "feedback")


Model = Numeric


def build(rec: dict, common: dict) -> Numeric:
    return Numeric(**common, answer=float(rec["answer"]), tolerance=dict(rec["tolerance"]), unit=rec.get("unit", ""),
                   misconceptions=tuple(dict(x) for x in rec.get("misconceptions", ())), feedback=dict(rec.get("feedback") or {}))


def key_problems(rec: dict, keys: KeyRules) -> None:
    tol, answer = rec.get("tolerance") or {}, rec.get("answer")
    if "rel" in tol and answer == 0:
        keys.add(["tolerance"], "a relative tolerance needs a non-zero key; use abs")
    elif isinstance(answer, (int, float)) and not isinstance(answer, bool):
        for k, mis in enumerate(rec.get("misconceptions") or []):
            value = mis.get("answer") if isinstance(mis, dict) else None
            if isinstance(value, (int, float)) and within(float(value), float(answer), dict(tol)):
                keys.add(["misconceptions", k, "answer"], f"{value!r} is within the tolerance of the key {answer!r}: "
                         "it scores as right, so its feedback is never shown")
    keys.only_incorrect_feedback(rec)


def clear(ex: Numeric, spec: dict, key: ClearKey, expected: Any = None) -> None:
    tol = tolerance(ex.tolerance)
    spec["labels"] = {"answer": "Your answer"}
    spec["unit"], spec["kind"], spec["tolerance"], spec["steps"] = ex.unit, "number", tol, GRID_STEPS
    key.add("answer", grid_text(*grid_index(float(ex.answer), tol)))
    key.texts["misconceptions"] = [(grid_text(*grid_index(float(mis["answer"]), tol)), mis["feedback"])
                                   for mis in ex.misconceptions]
    key.texts["incorrect"] = dict(ex.feedback).get("incorrect", "")


def check(o, answer: Any):
    return number(o, parse_number(answer))


def static(ex: Numeric, ctx: dict) -> None:
    pass  # a labelled text box and the unit: all in the template


def key_answer(ex: Numeric) -> Any:
    return ex.answer


def answer_html(ex: Numeric, answer: Any) -> str:
    return f"<p>{escape(str(answer))} {escape(ex.unit)}</p>"


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    return None  # shown as recorded
