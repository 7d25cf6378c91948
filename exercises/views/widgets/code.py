"""``code``: a text area prefilled with the starter code and a "Run and check" button.

The student's code runs in the student's own kernel namespace (the one their notebook cells use),
after the exercise's public ``setup``; the value of the ``result`` variable is the answer. What the
code prints appears in an ``Output`` widget under the editor. The grader never runs this code: it
compares the recorded value with the key.
"""
from __future__ import annotations

import html
import math
import traceback
from typing import Any, Mapping, MutableMapping

import ipywidgets as w

from ...canonical import AnswerShapeError, code_value
from ...records.keeper import user_namespace
from .base import AnswerInput

MAX_TEXT_VALUE = 10_000


def _short_error(err: BaseException, filename: str) -> str:
    """``NameError on line 2: name 'x' is not defined`` (the line within the student's code)."""
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    if isinstance(err, SyntaxError) and err.filename == filename:
        line = err.lineno
    where = f" on line {line}" if line else ""
    message = str(err.msg if isinstance(err, SyntaxError) else err) or type(err).__name__
    return f"{type(err).__name__}{where}: {message}"


def recorded_value(value: Any) -> int | float | str:
    """The value as recorded: numbers and text only (numpy/pandas scalars converted)."""
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    comparable = code_value(value)  # raises AnswerShapeError for anything else
    if isinstance(comparable, float) and not math.isfinite(comparable):
        raise AnswerShapeError("result_not_finite")
    if isinstance(comparable, str) and len(comparable) > MAX_TEXT_VALUE:
        raise AnswerShapeError("result_too_long", length=len(comparable))
    return comparable


class CodeInput(AnswerInput):
    check_label = "Run and check"
    record_label = "Run and record"

    def __init__(self, public: Mapping[str, Any], namespace: MutableMapping[str, Any] | None = None):
        super().__init__(public)
        self.setup = str(public.get("setup") or "")
        self.starter = str(public.get("starter") or "")
        self.result_name = str(public.get("result") or "result")
        self.unit = str(public.get("unit") or "")
        self._namespace = namespace
        self.value: int | float | str | None = None
        lines = max(4, len(self.starter.splitlines()) + 3)
        self.editor = w.Textarea(value=self.starter, description="Your code:", rows=min(lines, 20),
                                 style={"description_width": "initial"},
                                 layout=w.Layout(width="100%"))
        self.editor.add_class("exercise-code")
        self.editor.observe(self._edited, "value")
        self.output = w.Output(layout=w.Layout(max_height="16em", overflow="auto"))
        self.value_label = w.Label("")
        note = w.HTML(f"Your code runs in this notebook's kernel; it must store the answer in "
                      f"<code>{html.escape(self.result_name)}</code>.")
        self.view = w.VBox([note, self.editor, self.output, self.value_label])

    def namespace(self) -> MutableMapping[str, Any]:
        if self._namespace is None:
            self._namespace = user_namespace()
            if self._namespace is None:
                self._namespace = {"__name__": "__main__"}
        return self._namespace

    def _edited(self, change: Any = None) -> None:
        self._changed(change)

    def prepare(self) -> str | None:
        """Run setup, then the student's code; keep the value of ``result``."""
        self.value = None
        self.value_label.value = ""
        self.output.clear_output()
        ns = self.namespace()
        filename = f"<your code for {self.id}>"
        with self.output:
            if self.setup.strip():
                try:
                    exec(compile(self.setup, f"<set-up of {self.id}>", "exec"), ns)  # noqa: S102 - public bank code
                except Exception as err:  # noqa: BLE001
                    return f"The exercise's set-up code failed ({_short_error(err, '')}); ask your instructor."
            ns.pop(self.result_name, None)
            try:
                exec(compile(self.editor.value, filename, "exec"), ns)  # noqa: S102 - the student's own kernel
            except Exception as err:  # noqa: BLE001 - reported to the student, not raised
                return f"Your code raised {_short_error(err, filename)}. Fix it and run it again."
        if self.result_name not in ns:
            return f"Your code did not store anything in `{self.result_name}`."
        raw = ns[self.result_name]
        if raw is Ellipsis:
            return f"`{self.result_name}` is still `...`: replace it with your computation."
        try:
            self.value = recorded_value(raw)
        except AnswerShapeError as err:
            return f"`{self.result_name}` must be a number or a short text: {err}."
        shown = f"{self.value} {self.unit}".strip()
        self.value_label.value = f"Your code computed {self.result_name} = {shown}"
        return None

    def get(self) -> dict[str, Any] | None:
        return {"code": self.editor.value, "value": self.value}

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        if not isinstance(answer, Mapping) or not isinstance(answer.get("code", ""), str):
            raise ValueError(f"{self.id}: expected {{'code': text, 'value': number or text}}")
        value = answer.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float, str))):
            raise ValueError(f"{self.id}: the value must be a number or text, got {type(value).__name__}")
        self.editor.value = answer.get("code") or self.starter
        self.value = value
        self.value_label.value = (f"Recorded value of {self.result_name}: {value} {self.unit}".strip()
                                  if value is not None else "")

    def clear(self) -> None:
        self.editor.value = self.starter
        self.value = None
        self.value_label.value = ""
        self.output.clear_output()

    def problem(self, answer: Any) -> str | None:
        if not answer or answer.get("value") is None:
            return "Run your code first."
        return None

    def part_label(self, part_id: str) -> str:
        return f"Value of {self.result_name}"
