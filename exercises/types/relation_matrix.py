"""``relation_matrix``: the relationship (e.g. amity, enmity) of each asked pair of actors. A
relation is symmetric: a cell is named by its two actor ids in sorted order."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

from ..canonical import expect_mapping
from ..markdown import to_text
from . import mapping
from .base import Choice, ClearKey, Exercise, KeyRules, as_tuple, cell_id, choices, rendered, text_html, names

TYPE = "relation_matrix"
OPTIONS = False  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = True  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class RelationMatrix(Exercise):
    actors: tuple[Choice, ...] = ()
    values: tuple[Choice, ...] = ()
    answer: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # canonical cell id -> accepted
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: ClassVar[str] = TYPE
    key_fields: ClassVar[tuple[str, ...]] = ("answer", "feedback")

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(self.answer)

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out = super()._public(include_explanation)
        out["cells"] = list(self.answer)  # which cells are asked is public; their values are not
        return out


Model = RelationMatrix


def build(rec: dict, common: dict) -> RelationMatrix:
    answer = {cell_id(*k.split("/")): as_tuple(v) for k, v in rec["answer"].items()}
    feedback = {cell_id(*k.split("/")): v for k, v in dict(rec.get("feedback") or {}).items()}
    return RelationMatrix(**common, actors=choices(rec["actors"]), values=choices(rec["values"]), answer=answer, feedback=feedback)


def key_problems(rec: dict, keys: KeyRules) -> None:
    actors = keys.dupes("actors", rec.get("actors"))
    values = keys.dupes("values", rec.get("values"))
    cells = set()
    for cell, value in (rec.get("answer") or {}).items():
        a, _, b = cell.partition("/")
        if a not in actors or b not in actors or a == b:
            keys.add(["answer", cell], f"cell {cell!r} must name two different actors ({', '.join(sorted(actors))})")
            continue
        canonical = cell_id(a, b)
        if canonical in cells:
            keys.add(["answer", cell], f"cell {cell!r} is asked twice (relations are symmetric)")
        cells.add(canonical)
        for v in value if isinstance(value, list) else [value]:
            if v not in values:
                keys.add(["answer", cell], f"key {v!r} is not among the values ({', '.join(sorted(values))})")
    for cell in (rec.get("feedback") or {}):
        a, _, b = cell.partition("/")
        if cell_id(a, b) not in cells:
            keys.add(["feedback", cell], f"feedback for {cell!r}, which is not a cell asked in the answer")


def _ordered_pair(cell: str, actors: list[str]) -> tuple[str, str]:
    a, b = cell.split("/", 1)
    return (a, b) if actors.index(a) <= actors.index(b) else (b, a)


def clear(ex: RelationMatrix, spec: dict, key: ClearKey, expected: Any = None) -> None:
    parts = list(ex.answer)
    names = {a.id: to_text(a.text) for a in ex.actors}
    spec["actors"] = [a.id for a in ex.actors]
    spec["labels"] = {c: " and ".join(names[x] for x in _ordered_pair(c, spec["actors"])) for c in parts}
    mapping.clear(spec, key, parts, [v.id for v in ex.values], {p: tuple(ex.answer[p]) for p in parts}, ex.feedback)


def check(o, answer: Any):
    given = {}
    for k, v in expect_mapping(answer, "cells to values").items():
        a, sep, b = k.partition("/")
        given[cell_id(a, b) if sep else k] = v  # either order of the two actors
    return mapping.check(o, given, "cells")


def static(ex: RelationMatrix, ctx: dict) -> None:
    """Only the asked cells get a select; a cell sits where its earlier actor's row meets its
    later actor's column, and rows and columns without a cell are left out."""
    actors = [rendered(a) for a in ex.actors]
    order = {a.id: i for i, a in enumerate(ex.actors)}
    names = {a["id"]: a["text"] for a in actors}
    cells = {}
    for cell in ex.answer:
        a, b = sorted(cell.split("/", 1), key=order.__getitem__)
        cells[(a, b)] = {"id": cell, "key": cell.replace("/", "--"), "label": f"Relationship between {names[a]} and {names[b]}"}
    rows = [a for a in actors if any(pair[0] == a["id"] for pair in cells)]
    cols = [a for a in actors if any(pair[1] == a["id"] for pair in cells)]
    ctx.update(rows=rows, cols=cols, cells=cells, values=[{"id": v.id, "text": to_text(v.text)} for v in ex.values],
               legend="Choose the relationship for each pair of actors")


def key_answer(ex: RelationMatrix) -> Any:
    return {part: accepted[0] for part, accepted in ex.answer.items()}


def answer_html(ex: RelationMatrix, answer: Any) -> str:
    names = {c.id: c.text for c in ex.actors}
    def cell(k: str) -> str:
        known = all(x in names for x in str(k).split("/"))
        return text_html(" and ".join(names[x] for x in k.split("/")) if known else k, known)
    return mapping.answer_table(answer, cell, ex.values)


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    if not isinstance(answer, Mapping):
        return None
    actors = names(public.get("actors"))
    rows = {k: " – ".join(actors.get(p, p) for p in k.split("/")) for k in map(str, answer)}
    return mapping.answer_text(answer, rows, names(public.get("values")))
