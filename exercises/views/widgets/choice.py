"""Choice types: ``single_choice`` (radio buttons) and ``multiple_select`` (one checkbox per option)."""
from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from .base import AnswerInput, plain


class SingleChoiceInput(AnswerInput):
    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        self.options = list(public.get("options") or ())  # in display order already
        self.text = {str(o["id"]): plain(o.get("text")) for o in self.options}
        self.radio = w.RadioButtons(options=[(self.text[str(o["id"])], str(o["id"])) for o in self.options],
                                    value=None, description="Your answer:",
                                    style={"description_width": "initial"},
                                    layout=w.Layout(width="auto"))
        self.radio.observe(self._changed, "value")
        self.view = w.VBox([self.radio])

    def get(self) -> str | None:
        return self.radio.value

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        if not isinstance(answer, str) or answer not in self.text:
            raise ValueError(f"{self.id}: {str(answer)[:40]!r} is not one of the options "
                             f"({', '.join(self.text)})")
        self.radio.value = answer

    def clear(self) -> None:
        self.radio.value = None

    def problem(self, answer: Any) -> str | None:
        return None if answer else "Choose an option first."

    def part_label(self, part_id: str) -> str:
        return self.text.get(part_id, part_id)


class MultipleSelectInput(AnswerInput):
    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        self.options = list(public.get("options") or ())  # in display order already
        self.text = {str(o["id"]): plain(o.get("text")) for o in self.options}
        self.boxes: dict[str, w.Checkbox] = {}
        for o in self.options:
            oid = str(o["id"])
            box = w.Checkbox(value=False, description=self.text[oid], indent=False,
                             layout=w.Layout(width="auto"))
            box.observe(self._changed, "value")
            self.boxes[oid] = box
        self.view = w.VBox([w.Label("Select every option that applies:"), *self.boxes.values()])

    def get(self) -> list[str]:
        return [oid for oid, box in self.boxes.items() if box.value]

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
            raise ValueError(f"{self.id}: expected a list of option ids, got {type(answer).__name__}")
        unknown = [a for a in answer if a not in self.boxes]
        if unknown:
            raise ValueError(f"{self.id}: {unknown[0][:40]!r} is not one of the options ({', '.join(self.boxes)})")
        for oid, box in self.boxes.items():
            box.value = oid in answer

    def clear(self) -> None:
        for box in self.boxes.values():
            box.value = False

    def problem(self, answer: Any) -> str | None:
        return None if answer else "Select at least one option first."

    def part_label(self, part_id: str) -> str:
        return self.text.get(part_id, part_id)


__all__ = ["SingleChoiceInput", "MultipleSelectInput"]
