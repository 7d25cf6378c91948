"""``code``: write code that computes a value; the value (a number within a tolerance, or a text)
is checked, never the code. The key is the value of the instructor's solution, which runs at
build or grading time (``checking.solutions``); the student's code runs only in their kernel."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from markupsafe import escape
from typing import Any, ClassVar, Mapping

from ..canonical import GRID_STEPS, AnswerShapeError, Part, code_value, grid_index, grid_text, normalise_text, parse_number
from .base import ClearKey, Exercise, KeyRules
from .scoring import number, points, result, tolerance

TYPE = "code"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = False  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class Code(Exercise):
    setup: str = ""
    starter: str = ""
    result: str = "result"
    solution: str = ""
    tolerance: Mapping[str, float] = field(default_factory=dict)
    unit: str = ""
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("solution",)


Model = Code


def build(rec: dict, common: dict) -> Code:
    return Code(**common, setup=rec.get("setup", ""), starter=rec["starter"], result=rec["result"], solution=rec["solution"],
                tolerance=dict(rec.get("tolerance") or {}), unit=rec.get("unit", ""))


def wrong_feedback(result: str) -> str:
    """What a wrong value is told (sealed as the spec's ``incorrect`` text, like numeric's)."""
    return (f"The value of `{result}` is not the expected one. Check each step against the prompt "
            "and the hints, run the code again and enter the new value.")


def key_problems(rec: dict, keys: KeyRules) -> None:
    pass  # whether the solution runs is checked with the assignment's solutions, not per file


def clear(ex: Code, spec: dict, key: ClearKey, expected: Any = None) -> None:
    if expected is None:
        from ..checking.solutions import expected_value
        expected = expected_value(ex)
    want = code_value(expected)
    spec["labels"] = {"answer": "Your answer"}
    spec["result"], spec["unit"] = ex.result, ex.unit
    spec["kind"] = "number" if isinstance(want, float) else "text"
    key.texts["incorrect"] = wrong_feedback(ex.result)
    if spec["kind"] == "number":
        tol = tolerance(ex.tolerance or {"abs": 1e-9})
        spec["tolerance"], spec["steps"] = tol, GRID_STEPS
        key.add("answer", grid_text(*grid_index(want, tol)))
        key.texts["misconceptions"] = []  # a number: the same grid rules as numeric, with none known
    else:
        key.add("answer", normalise_text(want))


def is_blank(answer: Any) -> bool:
    """Code without a value is no answer (the value is what is checked)."""
    from ..canonical import is_blank as blank
    return isinstance(answer, dict) and blank(answer.get("value"))


def check(o, answer: Any):
    if not isinstance(answer, dict) or "value" not in answer:
        raise AnswerShapeError("result_shape")
    if o.spec["kind"] == "number":
        return number(o, parse_number(answer["value"]))
    got = answer["value"]
    if not isinstance(got, str):
        raise AnswerShapeError("result_text")
    ok = o.accepts("answer", normalise_text(got))
    return result(o, points(o) if ok else 0.0, [Part("answer", ok, "" if ok else o.feedback("incorrect"))])


def static(ex: Code, ctx: dict) -> None:
    ctx["code"] = (ex.setup.rstrip() + "\n\n" if ex.setup.strip() else "") + ex.starter.rstrip()
    ctx["result"] = ex.result
    ctx["kind"] = ctx["spec"]["kind"]


def key_answer(ex: Code) -> Any:
    from ..checking.solutions import expected_value
    return {"code": ex.solution, "value": expected_value(ex)}


def answer_html(ex: Code, answer: Any) -> str:
    code = str(answer.get("code") or "")[:10000]
    return (f"<pre><code>{escape(code)}</code></pre><p>Value of <code>{escape(ex.result)}</code>: "
            f"{escape(str(answer.get('value')))} {escape(ex.unit)}</p>")


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    if not isinstance(answer, Mapping):
        return None
    return f"{public.get('result') or 'result'} = {json.dumps(answer.get('value'), ensure_ascii=False)}"
