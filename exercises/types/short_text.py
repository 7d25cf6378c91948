"""``short_text``: a word or phrase, compared after normalisation (case, spacing, punctuation,
diacritics), with accepted variants, an optional pattern and known misconceptions."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from markupsafe import escape
from typing import Any, ClassVar, Mapping

from ..canonical import AnswerShapeError, Part, normalise_text
from .base import ClearKey, Exercise, KeyRules
from .scoring import points, result

TYPE = "short_text"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = False  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)
#: the regular-expression subset that Python and JavaScript read the same way
PATTERN_ALPHABET = re.compile(r"[a-z0-9 ^$|()?*+.\[\]{},\\-]*")


@dataclass(frozen=True)
class ShortText(Exercise):
    answer: tuple[str, ...] = ()
    pattern: str = ""
    misconceptions: tuple[Mapping[str, Any], ...] = ()
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "pattern", "misconceptions", "feedback")


Model = ShortText


def build(rec: dict, common: dict) -> ShortText:
    return ShortText(**common, answer=tuple(rec["answer"]), pattern=rec.get("pattern", ""),
                     misconceptions=tuple(dict(x) for x in rec.get("misconceptions", ())), feedback=dict(rec.get("feedback") or {}))


def key_problems(rec: dict, keys: KeyRules) -> None:
    accepted = {normalise_text(v) for v in rec.get("answer") or [] if isinstance(v, str)}
    for k, mis in enumerate(rec.get("misconceptions") or []):
        value = mis.get("answer") if isinstance(mis, dict) else None
        if isinstance(value, str) and normalise_text(value) in accepted:
            keys.add(["misconceptions", k, "answer"], f"{value!r} is an accepted answer: its feedback is never shown")
    keys.only_incorrect_feedback(rec)
    pattern = rec.get("pattern")
    if not pattern:
        return
    if not PATTERN_ALPHABET.fullmatch(pattern):
        keys.add(["pattern"], "pattern may use only lower-case letters, digits, spaces and ^$|()?*+.[]{},- (it is matched "
                              "against normalised text, in Python and in the browser)")
        return
    try:
        re.compile(pattern)
    except re.error as err:
        keys.add(["pattern"], f"invalid regular expression: {err}")


def clear(ex: ShortText, spec: dict, key: ClearKey, expected: Any = None) -> None:
    spec["labels"] = {"answer": "Your answer"}
    for variant in ex.answer:
        key.add("answer", normalise_text(variant))
    key.texts["pattern"] = ex.pattern
    key.texts["misconceptions"] = [(normalise_text(mis["answer"]), mis["feedback"]) for mis in ex.misconceptions]
    key.texts["incorrect"] = dict(ex.feedback).get("incorrect", "")


def check(o, answer: Any):
    if not isinstance(answer, str):
        raise AnswerShapeError("text")
    given = normalise_text(answer[:2000])
    if o.accepts("answer", given) or o.accepts_pattern(given):
        return result(o, points(o), [Part("answer", True, "")])
    mis = o.misconception([given])
    return result(o, 0.0, [Part("answer", False, mis if mis is not None else o.feedback("incorrect"))])


def static(ex: ShortText, ctx: dict) -> None:
    pass  # a labelled text box: all in the template


def key_answer(ex: ShortText) -> Any:
    return ex.answer[0]


def answer_html(ex: ShortText, answer: Any) -> str:
    return f"<p>{escape(str(answer)[:2000])}</p>"


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    return None  # shown as recorded
