"""Dropdown types in a ``GridBox`` with header labels: ``matching``, ``categorisation``,
``slot_coding`` (one row per part) and ``relation_matrix`` (actors as row and column headers).

Every dropdown carries its row's text as its ``description`` (the accessible label of the
``<select>``; the visible label is the row header, so the description is drawn zero-wide) and
as its ``tooltip``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import ipywidgets as w

from ...canonical import Result
from ...models import cell_id
from .base import AnswerInput, mark, plain, status_label
from ...markdown import to_inline_html

BLANK = ""
BLANK_LABEL = "— choose —"


@dataclass
class _Row:
    part: str
    label: str           # plain text naming the part
    dropdown: w.Dropdown
    status: w.Label


def _dropdown(label: str, options: list[tuple[str, str]]) -> w.Dropdown:
    return w.Dropdown(options=[(BLANK_LABEL, BLANK), *options], value=BLANK, description=label,
                      tooltip=label, style={"description_width": "0px"},
                      layout=w.Layout(width="auto", min_width="10em"))


def _header(text: str) -> w.HTML:
    out = w.HTML(f"<strong>{text}</strong>")
    out.add_class("exercise-grid-header")
    return out


class _DropdownInput(AnswerInput):
    """Parts answered with one dropdown each; ``get`` gives ``{part id: choice id}``."""

    row_status = True
    headers = ("Item", "Your answer", "")
    part_noun = "items"

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        self.rows: dict[str, _Row] = {}

    def _add_row(self, part: str, label: str, options: list[tuple[str, str]]) -> _Row:
        row = _Row(part, label, _dropdown(label, options), status_label())
        row.dropdown.observe(self._changed, "value")
        self.rows[part] = row
        return row

    def _rows_grid(self, rows: list[tuple[_Row, str]]) -> w.GridBox:
        children: list[w.Widget] = [_header(h) for h in self.headers]
        for row, html in rows:
            children += [w.HTMLMath(html), row.dropdown, row.status]
        grid = w.GridBox(children, layout=w.Layout(
            grid_template_columns="minmax(10em, 3fr) minmax(10em, 2fr) 7em", grid_gap="4px 12px",
            align_items="center", width="100%"))
        grid.add_class("exercise-grid")
        return grid

    def _key(self, part: Any) -> str:
        return part if isinstance(part, str) else ""

    def get(self) -> dict[str, str]:
        return {part: row.dropdown.value for part, row in self.rows.items() if row.dropdown.value}

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        if not isinstance(answer, Mapping):
            raise ValueError(f"{self.id}: expected a mapping of {self.part_noun} to choices, got {type(answer).__name__}")
        wanted: dict[str, str] = {}
        for part, value in answer.items():
            key = self._key(part)
            if key not in self.rows:
                raise ValueError(f"{self.id}: {str(part)[:40]!r} is not one of the {self.part_noun}")
            if value in (None, BLANK):
                continue
            allowed = [v for _, v in self.rows[key].dropdown.options if v]
            if not isinstance(value, str) or value not in allowed:
                raise ValueError(f"{self.id}: {str(value)[:40]!r} is not a choice for {self.rows[key].label!r}")
            wanted[key] = value
        self._quiet = True
        try:
            for part, row in self.rows.items():
                row.dropdown.value = wanted.get(part, BLANK)
        finally:
            self._quiet = False
        self._changed()

    def clear(self) -> None:
        self.set({})

    def problem(self, answer: Any) -> str | None:
        return None if answer else "Choose at least one answer first."

    def part_label(self, part_id: str) -> str:
        row = self.rows.get(part_id)
        return row.label if row else part_id

    def show_parts(self, result: Result) -> None:
        by_id = {p.id: p.correct for p in result.parts}
        for part, row in self.rows.items():
            mark(row.status, by_id.get(part))

    def clear_parts(self) -> None:
        for row in self.rows.values():
            mark(row.status, None)


class MatchingInput(_DropdownInput):
    headers = ("Item", "Matches", "")
    part_noun = "matches"

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        choices = [(plain(c.get("text")), str(c["id"])) for c in public.get("right") or ()]
        rows = [(self._add_row(str(item["id"]), plain(item.get("text")), choices),
                 to_inline_html(str(item.get("text") or ""))) for item in public.get("left") or ()]
        self.view = self._rows_grid(rows)


class CategorisationInput(_DropdownInput):
    headers = ("Item", "Category", "")
    part_noun = "items"

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        choices = [(plain(c.get("text") or c.get("label")), str(c["id"])) for c in public.get("categories") or ()]
        rows = [(self._add_row(str(item["id"]), plain(item.get("text")), choices),
                 to_inline_html(str(item.get("text") or ""))) for item in public.get("items") or ()]
        self.view = self._rows_grid(rows)


class SlotCodingInput(_DropdownInput):
    headers = ("Slot", "Your coding", "")
    part_noun = "slots"

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        rows = []
        for slot in public.get("slots") or ():
            choices = [(plain(o.get("text")), str(o["id"])) for o in slot.get("options") or ()]
            rows.append((self._add_row(str(slot["id"]), plain(slot.get("label")), choices),
                         to_inline_html(str(slot.get("label") or ""))))
        self.view = self._rows_grid(rows)


class RelationMatrixInput(_DropdownInput):
    """Only the asked cells get a dropdown; a cell sits where its earlier actor's row meets its
    later actor's column (relations are symmetric), and rows/columns without a cell are left out."""

    part_noun = "cells"

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        actors = [(str(a["id"]), plain(a.get("text") or a.get("label"))) for a in public.get("actors") or ()]
        index = {aid: i for i, (aid, _) in enumerate(actors)}
        name = dict(actors)
        choices = [(plain(v.get("text") or v.get("label")), str(v["id"])) for v in public.get("values") or ()]
        placed: dict[tuple[int, int], _Row] = {}
        for cell in public.get("cells") or ():
            a, _, b = str(cell).partition("/")
            if a not in index or b not in index:
                continue
            i, j = sorted((index[a], index[b]))
            label = f"{name[actors[i][0]]} and {name[actors[j][0]]}"
            placed[(i, j)] = self._add_row(cell_id(a, b), label, choices)
        rows = sorted({i for i, _ in placed})
        cols = sorted({j for _, j in placed})
        children: list[w.Widget] = [_header("")] + [_header(actors[j][1]) for j in cols]
        for i in rows:
            children.append(_header(actors[i][1]))
            for j in cols:
                row = placed.get((i, j))
                if row is None:
                    children.append(w.Label("—" if i == j else "", tooltip="not asked"))
                else:
                    cell_box = w.VBox([row.dropdown, row.status])
                    cell_box.add_class("exercise-matrix-cell")
                    children.append(cell_box)
        grid = w.GridBox(children, layout=w.Layout(
            grid_template_columns=" ".join(["minmax(8em, 1fr)"] + ["minmax(10em, 1fr)"] * len(cols)),
            grid_gap="6px 12px", align_items="center", width="100%"))
        grid.add_class("exercise-grid")
        self.view = w.VBox([w.Label("Choose the relationship for each pair (row and column)."), grid])

    def _key(self, part: Any) -> str:
        if not isinstance(part, str):
            return ""
        a, sep, b = part.partition("/")
        return cell_id(a, b) if sep else part
