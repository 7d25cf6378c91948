"""``slot_coding``: code each slot of a framework (e.g. a securitizing move's actor, referent,
audience) by choosing one of its options; a slot may accept more than one."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Mapping

from markupsafe import Markup

from ..canonical import expect_mapping
from ..markdown import to_inline_html, to_text
from . import mapping
from .base import ClearKey, Exercise, KeyRules, Order, Slot, apply, as_tuple, choices, page_order, plain_choices, text_html, names

TYPE = "slot_coding"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = True  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class SlotCoding(Exercise):
    slots: tuple[Slot, ...] = ()
    answer: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "feedback")

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.slots)

    def arranged(self, order: Order = page_order) -> "SlotCoding":
        """Slots keep their order (a sentence reads in it); each slot's options are shuffled."""
        return replace(self, slots=tuple(replace(s, options=apply(order, f"{self.id}/{s.id}", s.options))
                                         for s in self.slots))

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out = super()._public(include_explanation)
        out["slots"] = [{"id": s.id, "label": s.label, "options": [{"id": o.id, "text": o.text} for o in s.options]} for s in self.slots]
        return out


Model = SlotCoding


def build(rec: dict, common: dict) -> SlotCoding:
    slots = tuple(Slot(s["id"], s["label"], choices(s["options"])) for s in rec["slots"])
    return SlotCoding(**common, slots=slots, answer={k: as_tuple(v) for k, v in rec["answer"].items()},
                      feedback=dict(rec.get("feedback") or {}))


def key_problems(rec: dict, keys: KeyRules) -> None:
    slots = {s.get("id"): {o.get("id") for o in s.get("options") or [] if isinstance(o, dict)}
             for s in rec.get("slots") or [] if isinstance(s, dict)}
    keys.dupes("slots", rec.get("slots"))
    answer = rec.get("answer") or {}
    for sid in set(slots) - set(answer):
        keys.add(["answer"], f"no key for slot {sid!r}")
    for sid, value in answer.items():
        if sid not in slots:
            keys.add(["answer", sid], f"{sid!r} is not one of the slots")
            continue
        for v in value if isinstance(value, list) else [value]:
            if v not in slots[sid]:
                keys.add(["answer", sid], f"key {v!r} is not among slot {sid!r}'s options ({', '.join(sorted(slots[sid]))})")
    keys.feedback_parts(rec, set(slots))


def clear(ex: SlotCoding, spec: dict, key: ClearKey, expected: Any = None) -> None:
    parts = [sl.id for sl in ex.slots]
    spec["labels"] = {sl.id: to_text(sl.label) for sl in ex.slots}
    choice_ids = list(dict.fromkeys(o.id for sl in ex.slots for o in sl.options))
    mapping.clear(spec, key, parts, choice_ids, {p: tuple(ex.answer[p]) for p in parts}, ex.feedback)


def check(o, answer: Any):
    return mapping.check(o, expect_mapping(answer, "slots to options"), "slots")


def static(ex: SlotCoding, ctx: dict) -> None:
    ctx["rows"] = [{"id": s.id, "html": Markup(to_inline_html(s.label)), "choices": plain_choices(s.options)}
                   for s in ex.slots]
    ctx["legend"] = "Choose an option for each slot"


def key_answer(ex: SlotCoding) -> Any:
    return {part: accepted[0] for part, accepted in ex.answer.items()}


def answer_html(ex: SlotCoding, answer: Any) -> str:
    slots = {s.id: s.label for s in ex.slots}
    return mapping.answer_table(answer, lambda k: text_html(slots.get(k, k), k in slots),
                                tuple(o for s in ex.slots for o in s.options))


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    slots = [s for s in public.get("slots") or () if isinstance(s, Mapping)]
    rows = {str(s.get("id")): to_text(str(s.get("label") or s.get("id"))) for s in slots}
    return mapping.answer_text(answer, rows, {k: v for s in slots for k, v in names(s.get("options")).items()})
