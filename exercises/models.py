"""Exercise models: one frozen dataclass per exercise type. Pure data, no I/O.

A model is built from a validated bank record (see ``bank.py``). The key of every type lives in
its ``answer`` field (and, for code, in ``solution``); ``public()`` returns the record without
any of it, which is what student notebooks and the static page are allowed to carry.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, Mapping

from .display_order import Order, apply, page_order

BLOOM_LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    chapter: str


@dataclass(frozen=True)
class Exercise:
    """Fields shared by every type."""

    id: str
    title: str
    prompt: str
    points: float
    objectives: tuple[str, ...]
    bloom: str
    hints: tuple[str, ...]
    explanation: str
    sources: tuple[str, ...] = ()
    chapter: str = ""
    origin: str = ""  # "file:line" of the record, for messages

    type: ClassVar[str] = ""
    key_fields: ClassVar[tuple[str, ...]] = ("answer",)
    private_fields: ClassVar[tuple[str, ...]] = ("explanation",)

    @property
    def part_ids(self) -> tuple[str, ...]:
        """The gradable parts of the exercise (one for whole-answer types)."""
        return ("answer",)

    def arranged(self, order: Order = page_order) -> "Exercise":
        """The exercise with its options, items and choices in display order (see
        ``display_order``); types with nothing to arrange return themselves."""
        return self

    def public(self, *, include_explanation: bool = False, order: Order | None = page_order) -> dict[str, Any]:
        """The record as a student may see it, in display order (``order``; None keeps the
        bank's order): no key, no solution, no hidden check."""
        return (self.arranged(order) if order is not None else self)._public(include_explanation)

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        hidden = set(self.key_fields) | {"origin"}
        if not include_explanation:
            hidden |= set(self.private_fields)
        for f in fields(self):
            if f.name in hidden:
                continue
            out[f.name] = _plain(getattr(self, f.name))
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Choice):
        return {k: v for k, v in vars(value).items() if v != ""}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class SingleChoice(Exercise):
    options: tuple[Choice, ...] = ()
    answer: str = ""
    shuffle: bool = True
    type: ClassVar[str] = "single_choice"
    # option feedback says why an option is right: it travels only with a check result
    private_fields: ClassVar[tuple[str, ...]] = ("explanation",)

    def arranged(self, order: Order = page_order) -> "SingleChoice":
        return replace(self, options=apply(order, self.id, self.options)) if self.shuffle else self

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out = super()._public(include_explanation)
        out["options"] = [{"id": o.id, "text": o.text} for o in self.options]
        return out


@dataclass(frozen=True)
class MultipleSelect(SingleChoice):
    answer: tuple[str, ...] = ()  # type: ignore[assignment]
    type: ClassVar[str] = "multiple_select"


@dataclass(frozen=True)
class Numeric(Exercise):
    answer: float = 0.0
    tolerance: Mapping[str, float] = field(default_factory=dict)
    unit: str = ""
    misconceptions: tuple[Mapping[str, Any], ...] = ()
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = "numeric"
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "misconceptions", "feedback")


@dataclass(frozen=True)
class ShortText(Exercise):
    answer: tuple[str, ...] = ()
    pattern: str = ""
    misconceptions: tuple[Mapping[str, Any], ...] = ()
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = "short_text"
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "pattern", "misconceptions", "feedback")


@dataclass(frozen=True)
class Ordering(Exercise):
    items: tuple[Choice, ...] = ()
    answer: tuple[str, ...] = ()
    type: ClassVar[str] = "ordering"

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


@dataclass(frozen=True)
class Matching(Exercise):
    left: tuple[Choice, ...] = ()
    right: tuple[Choice, ...] = ()
    answer: Mapping[str, str] = field(default_factory=dict)
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = "matching"
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "feedback")

    def arranged(self, order: Order = page_order) -> "Matching":
        """Rows and choices shuffled apart; the choices never follow the rows' key order."""
        left = apply(order, f"{self.id}/rows", self.left)
        key_order = [self.answer.get(c.id) for c in left]
        bijection = len(set(key_order)) == len(key_order) == len(self.right) and None not in key_order
        return replace(self, left=left, right=apply(order, self.id, self.right, avoid=key_order if bijection else None))

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.left)


@dataclass(frozen=True)
class Categorisation(Exercise):
    categories: tuple[Choice, ...] = ()
    items: tuple[Choice, ...] = ()
    answer: Mapping[str, str] = field(default_factory=dict)
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = "categorisation"
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "feedback")

    def arranged(self, order: Order = page_order) -> "Categorisation":
        """Items shuffled (their bank order may answer another exercise); the categories keep the
        author's order, which every item shares and so tells nothing."""
        return replace(self, items=apply(order, f"{self.id}/rows", self.items))

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.items)


@dataclass(frozen=True)
class Slot:
    id: str
    label: str
    options: tuple[Choice, ...]


@dataclass(frozen=True)
class SlotCoding(Exercise):
    slots: tuple[Slot, ...] = ()
    answer: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = "slot_coding"
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


def cell_id(a: str, b: str) -> str:
    """Relations are symmetric: a cell is named by its two actor ids in sorted order."""
    return "/".join(sorted((a, b)))


@dataclass(frozen=True)
class RelationMatrix(Exercise):
    actors: tuple[Choice, ...] = ()
    values: tuple[Choice, ...] = ()
    answer: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # canonical cell id -> accepted
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = "relation_matrix"
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "feedback")

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(self.answer)

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out = super()._public(include_explanation)
        out["cells"] = list(self.answer)  # which cells are asked is public; their values are not
        return out


@dataclass(frozen=True)
class Code(Exercise):
    setup: str = ""
    starter: str = ""
    result: str = "result"
    solution: str = ""
    tolerance: Mapping[str, float] = field(default_factory=dict)
    unit: str = ""
    type: ClassVar[str] = "code"
    key_fields: ClassVar[tuple[str, ...]] = ("solution",)


TYPES: dict[str, type[Exercise]] = {
    cls.type: cls
    for cls in (SingleChoice, MultipleSelect, Numeric, ShortText, Ordering, Matching,
                Categorisation, SlotCoding, RelationMatrix, Code)
}
