"""``ordering``: put the items in order; one part per position."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar, Mapping

from ..canonical import AnswerShapeError, Part, expect_id_list
from .base import Choice, ClearKey, Exercise, KeyRules, Order, apply, choices, label_html, page_order, rendered, names
from .scoring import parts_result

TYPE = "ordering"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = True  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class Ordering(Exercise):
    items: tuple[Choice, ...] = ()
    answer: tuple[str, ...] = ()
    type: ClassVar[str] = TYPE

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(str(i + 1) for i in range(len(self.answer)))

    def arranged(self, order: Order = page_order) -> "Ordering":
        """Never the key's order (authors usually list the items in it)."""
        return replace(self, items=apply(order, self.id, self.items, avoid=list(self.answer)))

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out = super()._public(include_explanation)
        out["items"] = [{"id": it.id, "text": it.text} for it in self.items]
        return out


Model = Ordering


def build(rec: dict, common: dict) -> Ordering:
    return Ordering(**common, items=choices(rec["items"]), answer=tuple(rec["answer"]))


def key_problems(rec: dict, keys: KeyRules) -> None:
    items = keys.dupes("items", rec.get("items"))
    order = list(rec.get("answer") or [])
    if sorted(order) != sorted(items) or len(set(order)) != len(order):
        keys.add(["answer"], f"the key must list every item id exactly once ({', '.join(sorted(items))})")


def clear(ex: Ordering, spec: dict, key: ClearKey, expected: Any = None) -> None:
    spec["items"] = sorted(i.id for i in ex.items)  # the bank often lists them in the right order
    for position, item in enumerate(ex.answer, start=1):
        key.add(str(position), item)
    spec["labels"] = {str(p): f"Position {p}" for p in range(1, len(ex.answer) + 1)}


def check(o, answer: Any):
    order = expect_id_list(answer)
    known = set(o.spec["items"])
    if set(order) != known or len(order) != len(known):
        raise AnswerShapeError("every_item")
    return parts_result(o, [Part(str(i + 1), o.accepts(str(i + 1), item)) for i, item in enumerate(order)])


def static(ex: Ordering, ctx: dict) -> None:
    ctx["items"] = [rendered(i) for i in ex.items]


def key_answer(ex: Ordering) -> Any:
    return list(ex.answer)


def answer_html(ex: Ordering, answer: Any) -> str:
    return "<ol>" + "".join(f"<li>{label_html(ex.items, x)}</li>" for x in answer) + "</ol>"


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    if not isinstance(answer, list):
        return None
    labels = names(public.get("items"))
    return " → ".join(labels.get(str(a), str(a)) for a in answer)
