"""What the four mapping types share (``matching``, ``categorisation``, ``slot_coding``,
``relation_matrix``): an answer maps parts (rows, slots, cells) to choices; each part is right
or wrong on its own, with feedback for a wrong part."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from ..canonical import AnswerShapeError, Part
from .base import ClearKey, label_html
from .scoring import parts_result


def clear(spec: dict, key: ClearKey, parts: list[str], choices: Iterable[str], accepted: dict[str, tuple[str, ...]],
          feedback: Any) -> None:
    spec["choices"] = sorted(choices)  # in the bank's order, choices may pair up with parts
    for p in parts:
        for value in accepted[p]:
            key.add(p, value)
    key.texts["wrong"] = {p: text for p, text in dict(feedback or {}).items() if text}


def check(o, given: dict[str, str], what: str):
    part_ids = o.spec["part_ids"]
    unknown = [k for k in given if k not in part_ids]
    if unknown:
        raise AnswerShapeError("unknown", value=unknown[0][:40], what=what)
    bad = [v for v in given.values() if v not in o.spec["choices"]]
    if bad:
        raise AnswerShapeError("unknown", value=bad[0][:40], what="choices")
    parts = []
    for pid in part_ids:
        ok = pid in given and o.accepts(pid, given[pid])
        parts.append(Part(pid, ok, "" if ok or pid not in given else o.feedback("wrong", pid)))
    return parts_result(o, parts)


def legend_rows(rows, choices, legend: str, ctx: dict) -> None:
    """The static context of a table of rows, each with a select of the same choices."""
    from .base import plain_choices, rendered
    plain = plain_choices(choices)
    ctx["rows"] = [dict(rendered(r), choices=plain) for r in rows]
    ctx["legend"] = legend


def answer_table(answer: dict, part_html: Callable[[str], str], choices) -> str:
    """A table of parts and the chosen choices, as HTML (``part_html`` renders a part)."""
    rows = "".join(f"<tr><td>{part_html(k)}</td><td>{label_html(choices, v)}</td></tr>"
                   for k, v in answer.items() if v)
    return f"<table>{rows}</table>"


def answer_text(answer: Any, rows: dict[str, str], values: dict[str, str]) -> str | None:
    """Parts and choices in words: "row: choice; ..." (None for an answer that is not a mapping)."""
    from collections.abc import Mapping
    if not isinstance(answer, Mapping):
        return None
    return "; ".join(f"{rows.get(str(k), str(k))}: {values.get(str(v), str(v))}" for k, v in answer.items())
