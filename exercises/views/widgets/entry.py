"""Typed answers: ``numeric`` (a text box for a number, with its unit) and ``short_text``."""
from __future__ import annotations

import math
from typing import Any, Mapping

import ipywidgets as w

from ...canonical import AnswerShapeError, parse_number
from .base import AnswerInput


def number_answer(value: float) -> int | float:
    """The number as recorded: whole numbers as integers (128, not 128.0)."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


class NumericInput(AnswerInput):
    """A text box rather than ``FloatText``: it can be empty (no answer yet, not 0) and accepts
    "79,5" or "1 066" as students type them; ``checks.parse_number`` reads it."""

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        self.unit = str(public.get("unit") or "")
        self.text = w.Text(value="", description="Your answer:", placeholder="a number, e.g. 12.5",
                           style={"description_width": "initial"}, continuous_update=True,
                           layout=w.Layout(width="20em"))
        self.text.observe(self._changed, "value")
        children = [self.text]
        if self.unit:
            children.append(w.Label(self.unit))
        self.view = w.HBox(children)

    def get(self) -> int | float | str | None:
        raw = self.text.value.strip()
        if not raw:
            return None
        try:
            return number_answer(parse_number(raw))
        except AnswerShapeError:
            return raw  # kept as typed; ``problem`` explains

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        if isinstance(answer, bool) or not isinstance(answer, (int, float, str)):
            raise ValueError(f"{self.id}: expected a number, got {type(answer).__name__}")
        if isinstance(answer, float) and not math.isfinite(answer):
            raise ValueError(f"{self.id}: expected a finite number")
        self.text.value = answer if isinstance(answer, str) else repr(number_answer(float(answer)))

    def clear(self) -> None:
        self.text.value = ""

    def problem(self, answer: Any) -> str | None:
        if answer is None:
            return "Type a number first."
        if isinstance(answer, str):
            return f"{answer[:40]!r} is not a number: type digits such as 12.5 (no words)."
        return None


class ShortTextInput(AnswerInput):
    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        self.text = w.Text(value="", description="Your answer:", placeholder="type your answer",
                           style={"description_width": "initial"}, layout=w.Layout(width="30em"))
        self.text.observe(self._changed, "value")
        self.view = w.HBox([self.text])

    def get(self) -> str | None:
        value = self.text.value
        return value if value.strip() else None

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        if not isinstance(answer, str):
            raise ValueError(f"{self.id}: expected text, got {type(answer).__name__}")
        self.text.value = answer

    def clear(self) -> None:
        self.text.value = ""

    def problem(self, answer: Any) -> str | None:
        return None if answer else "Type an answer first."
