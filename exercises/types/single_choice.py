"""``single_choice``: one right option among several (radio buttons)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar, Mapping

from ..canonical import AnswerShapeError, Part
from ..markdown import to_text
from .base import Choice, ClearKey, Exercise, KeyRules, Order, apply, choices, label_html, page_order, rendered, names
from .scoring import points, result

TYPE = "single_choice"
OPTIONS = True  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = False  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class SingleChoice(Exercise):
    options: tuple[Choice, ...] = ()
    answer: str = ""
    shuffle: bool = True
    type: ClassVar[str] = TYPE

    def arranged(self, order: Order = page_order) -> "SingleChoice":
        return replace(self, options=apply(order, self.id, self.options)) if self.shuffle else self

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        # an option's feedback says why it is right or wrong: it travels only with a check result
        out = super()._public(include_explanation)
        out["options"] = [{"id": o.id, "text": o.text} for o in self.options]
        return out


Model = SingleChoice


def build(rec: dict, common: dict) -> SingleChoice:
    return SingleChoice(**common, options=choices(rec["options"]), answer=rec["answer"], shuffle=rec.get("shuffle", True))


def key_problems(rec: dict, keys: KeyRules) -> None:
    options = keys.dupes("options", rec.get("options"))
    if rec.get("answer") not in options:
        keys.add(["answer"], f"key {rec.get('answer')!r} is not among the options ({', '.join(sorted(options))})")


def clear_options(ex: SingleChoice, spec: dict, key: ClearKey) -> None:
    """The options (sorted), their labels and feedback: shared with ``multiple_select``."""
    spec["options"] = sorted(o.id for o in ex.options)
    spec["labels"] = {o.id: to_text(o.text) for o in ex.options}
    key.texts["option_feedback"] = {o.id: o.feedback for o in ex.options if o.feedback}


def clear(ex: SingleChoice, spec: dict, key: ClearKey, expected: Any = None) -> None:
    clear_options(ex, spec, key)
    key.add("answer", ex.answer)


def check(o, answer: Any):
    if not isinstance(answer, str):
        raise AnswerShapeError("one_option")
    if answer not in o.spec["options"]:
        raise AnswerShapeError("unknown", value=answer[:40], what="options")
    ok = o.accepts("answer", answer)
    return result(o, points(o) if ok else 0.0, [Part(answer, ok, o.feedback("option", answer))])


def static(ex: SingleChoice, ctx: dict) -> None:
    ctx["options"] = [rendered(c) for c in ex.options]


def key_answer(ex: SingleChoice) -> Any:
    return ex.answer


def answer_html(ex: SingleChoice, answer: Any) -> str:
    return label_html(ex.options, answer)


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    """The answer in words from the public data (a released notebook has no model), or None."""
    return names(public.get("options")).get(answer) if isinstance(answer, str) else None
