"""``ordering``: the items as a numbered list; each row has Up and Down buttons.

Rows are fixed positions; moving an item swaps the texts of two rows and keeps keyboard focus on
the moved item (``Widget.focus()``), so a keyboard user can press "Up" again to move it further.
"""
from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from ...canonical import Result
from .base import AnswerInput, mark, plain, status_label
from ...markdown import to_inline_html


def initial_order(public: Mapping[str, Any]) -> list[str]:
    """The items in the order the public data gives (``views.order`` decided it)."""
    return [str(i["id"]) for i in public.get("items") or ()]


class _Row:
    def __init__(self, position: int, count: int):
        self.number = w.Label(f"{position + 1}.", layout=w.Layout(width="2.5em"))
        self.text = w.HTMLMath(value="", layout=w.Layout(flex="1 1 auto"))
        self.up = w.Button(description="Up", layout=w.Layout(width="5em"), disabled=position == 0)
        self.down = w.Button(description="Down", layout=w.Layout(width="5em"), disabled=position == count - 1)
        self.status = status_label()
        self.box = w.HBox([self.number, self.text, self.up, self.down, self.status],
                          layout=w.Layout(align_items="center"))
        self.box.add_class("exercise-order-row")


class OrderingInput(AnswerInput):
    part_noun = "positions"
    row_status = True

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        self.items = {str(i["id"]): i for i in public.get("items") or ()}
        self.html = {iid: to_inline_html(str(i.get("text") or "")) for iid, i in self.items.items()}
        self.text = {iid: plain(i.get("text")) for iid, i in self.items.items()}
        self.start = initial_order(public)
        self.order = list(self.start)
        self.rows = [_Row(i, len(self.order)) for i in range(len(self.order))]
        for i, row in enumerate(self.rows):
            row.up.on_click(lambda _b, i=i: self.move(i, -1))
            row.down.on_click(lambda _b, i=i: self.move(i, +1))
        self._render()
        self.view = w.VBox([w.Label("First at the top. Use Up and Down to move an item."),
                            *(r.box for r in self.rows)])

    def _render(self) -> None:
        for row, iid in zip(self.rows, self.order):
            row.text.value = self.html[iid]
            row.up.tooltip = f"Move up: {self.text[iid]}"
            row.down.tooltip = f"Move down: {self.text[iid]}"

    def move(self, position: int, step: int) -> None:
        """Move the item at ``position`` (0-based) one place up (-1) or down (+1)."""
        target = position + step
        if not (0 <= position < len(self.order) and 0 <= target < len(self.order)):
            return
        self.order[position], self.order[target] = self.order[target], self.order[position]
        self._render()
        button = self.rows[target].up if step < 0 else self.rows[target].down
        if button.disabled:
            button = self.rows[target].down if step < 0 else self.rows[target].up
        button.focus()
        self._changed()

    def get(self) -> list[str]:
        return list(self.order)

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        if not isinstance(answer, (list, tuple)) or sorted(map(str, answer)) != sorted(self.items) \
                or not all(isinstance(a, str) for a in answer):
            raise ValueError(f"{self.id}: expected every item id once ({', '.join(self.items)})")
        self.order = list(answer)
        self._render()
        self._changed()

    def clear(self) -> None:
        self.order = list(self.start)
        self._render()
        self._changed()

    def part_label(self, part_id: str) -> str:
        return f"Position {part_id}"

    def show_parts(self, result: Result) -> None:
        by_id = {p.id: p.correct for p in result.parts}
        for i, row in enumerate(self.rows):
            mark(row.status, by_id.get(str(i + 1)))

    def clear_parts(self) -> None:
        for row in self.rows:
            mark(row.status, None)
