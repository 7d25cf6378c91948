"""``categorisation``: put each item in one of a few categories."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Mapping

from ..canonical import expect_mapping
from ..markdown import to_text
from . import mapping
from . import matching
from .base import Choice, ClearKey, Exercise, KeyRules, Order, apply, choices, label_html, page_order, names

TYPE = "categorisation"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = True  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class Categorisation(Exercise):
    categories: tuple[Choice, ...] = ()
    items: tuple[Choice, ...] = ()
    answer: Mapping[str, str] = field(default_factory=dict)
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "feedback")

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.items)

    def arranged(self, order: Order = page_order) -> "Categorisation":
        """Items shuffled (their bank order may answer another exercise); the categories keep the
        author's order, which every item shares and so tells nothing."""
        return replace(self, items=apply(order, f"{self.id}/rows", self.items))


Model = Categorisation


def build(rec: dict, common: dict) -> Categorisation:
    return Categorisation(**common, categories=choices(rec["categories"]), items=choices(rec["items"]),
                          answer=dict(rec["answer"]), feedback=dict(rec.get("feedback") or {}))


def key_problems(rec: dict, keys: KeyRules) -> None:
    matching.key_problems(rec, keys, "items", "categories")


def clear(ex: Categorisation, spec: dict, key: ClearKey, expected: Any = None) -> None:
    parts = sorted(c.id for c in ex.items)
    spec["labels"] = {c.id: to_text(c.text) for c in ex.items}
    mapping.clear(spec, key, parts, [c.id for c in ex.categories], {p: (ex.answer[p],) for p in parts}, ex.feedback)


def check(o, answer: Any):
    return mapping.check(o, expect_mapping(answer, "items to categories"), "items")


def static(ex: Categorisation, ctx: dict) -> None:
    mapping.legend_rows(ex.items, ex.categories, "Choose a category for each item", ctx)


def key_answer(ex: Categorisation) -> Any:
    return dict(ex.answer)


def answer_html(ex: Categorisation, answer: Any) -> str:
    return mapping.answer_table(answer, lambda k: label_html(ex.items, k), ex.categories)


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    return mapping.answer_text(answer, names(public.get("items")), names(public.get("categories")))
