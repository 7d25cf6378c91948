"""``written``: an argued answer in the student's own words, marked by a person against a rubric.

Nothing checks it automatically. A rubric has criteria, each with levels (a label, points and a
descriptor) in ascending order of points; the exercise's points are the sum of every criterion's
top level. The key is the model answer (with the explanation: the answer notes). Views: in the
self-study book the student submits, then reads the model answer and the rubric and scores
themselves; in a graded notebook the text is recorded and ``grade`` leaves it *awaiting marking*
for ``python -m exercises mark``, never zero.

Answer shape: the text (str), or ``{"text": str, "self": {criterion id: level index}}`` once the
student has assessed themselves (the self-assessment never counts towards a grade).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

from markupsafe import escape

from ..canonical import AnswerShapeError, Part, Result
from .base import ClearKey, Exercise, KeyRules
from .scoring import points

TYPE = "written"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = True  # credit per criterion
MANUAL = True  # marked by a person (``grade`` leaves it awaiting marking)
#: the longest text kept from a response (about 8,000 words); anything beyond is cut, and said so
MAX_CHARS = 50_000
#: a response more than this many times over its word limit is still kept, and flagged loudly
FAR_OVER = 1.5
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Level:
    label: str
    points: float
    descriptor: str


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    levels: tuple[Level, ...]

    @property
    def top(self) -> float:
        return max((lv.points for lv in self.levels), default=0.0)


@dataclass(frozen=True)
class Written(Exercise):
    rubric: tuple[Criterion, ...] = ()
    words: Mapping[str, int] | None = None
    model_answer: str = ""
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("model_answer",)

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.rubric)

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out = super()._public(include_explanation)
        out["rubric"] = public_rubric(self.rubric, descriptors=include_explanation)
        out["words"] = dict(self.words) if self.words else None
        return out


Model = Written


def public_rubric(rubric: tuple[Criterion, ...], *, descriptors: bool = False) -> list[dict[str, Any]]:
    """The rubric as a student may see it before marking: criteria and level labels with their
    points; the descriptors only when ``descriptors`` (an assignment may choose to show them)."""
    out = []
    for c in rubric:
        levels = []
        for lv in c.levels:
            level: dict[str, Any] = {"label": lv.label, "points": float(lv.points)}
            if descriptors:
                level["descriptor"] = lv.descriptor
            levels.append(level)
        out.append({"id": c.id, "title": c.title, "levels": levels})
    return out


def build(rec: dict, common: dict) -> Written:
    rubric = tuple(Criterion(c["id"], c["title"], tuple(Level(lv["label"], float(lv["points"]), lv["descriptor"])
                                                         for lv in c["levels"])) for c in rec["rubric"])
    words = {k: int(v) for k, v in (rec.get("words") or {}).items()} or None
    return Written(**common, rubric=rubric, words=words, model_answer=rec["model_answer"])


def word_count(text: str) -> int:
    """Words as both views count them: runs of non-space characters (the browser counts the same)."""
    return len(_WORD.findall(text))


def key_problems(rec: dict, keys: KeyRules) -> None:
    rubric = rec.get("rubric") or []
    keys.dupes("rubric", rubric)
    top_total = 0.0
    for i, crit in enumerate(rubric):
        levels = crit.get("levels") or []
        labels = [lv.get("label") for lv in levels]
        for j, name in enumerate(labels):
            if name in labels[:j]:
                keys.add(["rubric", i, "levels", j, "label"], f"duplicate level {name!r} in criterion {crit.get('id')!r}")
        pts = [float(lv.get("points", 0)) for lv in levels]
        for j in range(1, len(pts)):
            if pts[j] <= pts[j - 1]:
                keys.add(["rubric", i, "levels", j, "points"],
                         f"level points must rise from level to level: {crit.get('id')!r} has {_num(pts[j - 1])} "
                         f"then {_num(pts[j])}")
        top_total += max(pts, default=0.0)
    if rubric and not math.isclose(top_total, float(rec.get("points", 0))):
        keys.add(["points"], f"points is {_num(float(rec.get('points', 0)))} but the rubric's top levels add up to "
                             f"{_num(top_total)}")
    words = rec.get("words") or {}
    low, high = words.get("min"), words.get("max")
    if low is not None and high is not None and low > high:
        keys.add(["words"], f"min ({low}) is more than max ({high})")
        return
    model = rec.get("model_answer")
    if isinstance(model, str) and (low is not None or high is not None):
        from ..markdown import to_text
        n = word_count(to_text(model))
        if (low is not None and n < low) or (high is not None and n > high):
            keys.add(["model_answer"], f"the model answer has {n} words, outside the exercise's own range "
                                       f"({low or 0}-{high or 'no limit'})")


def _num(x: float) -> str:
    return f"{x:g}"


def clear(ex: Written, spec: dict, key: ClearKey, expected: Any = None) -> None:
    spec["labels"] = {"answer": "Your answer"}
    spec["rubric"] = public_rubric(ex.rubric)
    spec["words"] = dict(ex.words) if ex.words else None
    # nothing is accepted automatically: no part has a key value (the part ids are the criteria)
    key.texts["model_answer"] = ex.model_answer
    key.texts["descriptors"] = {c.id: [lv.descriptor for lv in c.levels] for c in ex.rubric}


def text_of(answer: Any) -> str:
    """The response text of an answer of either shape (raises AnswerShapeError otherwise)."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, Mapping) and isinstance(answer.get("text"), str):
        return answer["text"]
    raise AnswerShapeError("text")


def self_assessment(answer: Any, rubric: list[Mapping[str, Any]]) -> dict[str, int]:
    """The student's own levels, {criterion id: level index}, keeping only known criteria and levels."""
    own = answer.get("self") if isinstance(answer, Mapping) else None
    if not isinstance(own, Mapping):
        return {}
    out = {}
    for crit in rubric:
        level = own.get(crit["id"])
        if isinstance(level, int) and not isinstance(level, bool) and 0 <= level < len(crit["levels"]):
            out[crit["id"]] = level
    return out


def is_blank(answer: Any) -> bool:
    """A response with no words in it is no answer."""
    try:
        return not text_of(answer).strip()
    except AnswerShapeError:
        return False


def length_note(n: int, words: Mapping[str, int] | None) -> str:
    """What a marker (and the student) is told about the length; "" when within the range."""
    low, high = (words or {}).get("min"), (words or {}).get("max")
    if high and n > high * FAR_OVER:
        return f"{n} words, far over the limit of {high}; the whole text is kept for the marker"
    if high and n > high:
        return f"{n} words, over the limit of {high}"
    if low and n < low:
        return f"{n} words, under the minimum of {low}"
    return ""


def check(o, answer: Any) -> Result:
    text = text_of(answer)
    n = word_count(text[:MAX_CHARS])
    notes = [note for note in (length_note(n, o.spec.get("words")),
                               f"only the first {MAX_CHARS:,} characters are kept" if len(text) > MAX_CHARS else "")
             if note]
    message = " ".join(["Awaiting marking."] + [note[0].upper() + note[1:] + "." for note in notes])
    return Result(o.spec["id"], 0.0, points(o), tuple(Part(c["id"], False, "") for c in o.spec["rubric"]),
                  message, pending=True)


def static(ex: Written, ctx: dict) -> None:
    ctx["rubric"] = ctx["spec"]["rubric"]
    ctx["words"] = ex.words or {}


def key_answer(ex: Written) -> Any:
    return {"text": ex.model_answer}


def answer_html(ex: Written, answer: Any) -> str:
    try:
        text = text_of(answer)[:MAX_CHARS]
    except AnswerShapeError:
        text = str(answer)[:2000]
    return f'<div class="written-response">{escape(text)}</div>'


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    try:
        text = text_of(answer)
    except AnswerShapeError:
        return None
    return f"{word_count(text)} words: {text[:200]}" + ("..." if len(text) > 200 else "")
