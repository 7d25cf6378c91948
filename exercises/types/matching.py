"""``matching``: match each left item to one right item."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Mapping

from ..canonical import expect_mapping
from ..markdown import to_text
from . import mapping
from .base import Choice, ClearKey, Exercise, KeyRules, Order, apply, choices, label_html, page_order, names

TYPE = "matching"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = True  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class Matching(Exercise):
    left: tuple[Choice, ...] = ()
    right: tuple[Choice, ...] = ()
    answer: Mapping[str, str] = field(default_factory=dict)
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "feedback")

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.left)

    def arranged(self, order: Order = page_order) -> "Matching":
        """Rows and choices shuffled apart; the choices never follow the rows' key order."""
        left = apply(order, f"{self.id}/rows", self.left)
        key_order = [self.answer.get(c.id) for c in left]
        bijection = len(set(key_order)) == len(key_order) == len(self.right) and None not in key_order
        return replace(self, left=left, right=apply(order, self.id, self.right, avoid=key_order if bijection else None))


Model = Matching


def build(rec: dict, common: dict) -> Matching:
    return Matching(**common, left=choices(rec["left"]), right=choices(rec["right"]), answer=dict(rec["answer"]),
                    feedback=dict(rec.get("feedback") or {}))


def key_problems(rec: dict, keys: KeyRules, parts_field: str = "left", choices_field: str = "right") -> None:
    parts = keys.dupes(parts_field, rec.get(parts_field))
    options = keys.dupes(choices_field, rec.get(choices_field))
    answer = rec.get("answer") or {}
    for part in parts - set(answer):
        keys.add(["answer"], f"no key for {parts_field} {part!r}")
    for part, value in answer.items():
        if part not in parts:
            keys.add(["answer", part], f"{part!r} is not one of the {parts_field}")
        elif value not in options:
            keys.add(["answer", part], f"key {value!r} is not among the {choices_field} ({', '.join(sorted(options))})")
    keys.feedback_parts(rec, parts)


def clear(ex: Matching, spec: dict, key: ClearKey, expected: Any = None) -> None:
    parts = sorted(c.id for c in ex.left)
    spec["labels"] = {c.id: to_text(c.text) for c in ex.left}
    mapping.clear(spec, key, parts, [c.id for c in ex.right], {p: (ex.answer[p],) for p in parts}, ex.feedback)


def check(o, answer: Any):
    return mapping.check(o, expect_mapping(answer, "left items to right items"), "items to match")


def static(ex: Matching, ctx: dict) -> None:
    mapping.legend_rows(ex.left, ex.right, "Choose a match for each item", ctx)


def key_answer(ex: Matching) -> Any:
    return dict(ex.answer)


def answer_html(ex: Matching, answer: Any) -> str:
    return mapping.answer_table(answer, lambda k: label_html(ex.left, k), ex.right)


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    return mapping.answer_text(answer, names(public.get("left")), names(public.get("right")))
