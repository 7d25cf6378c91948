"""The part every answer input shares: the interface ``ExerciseWidget`` drives."""
from __future__ import annotations

from typing import Any, Callable, Mapping

import ipywidgets as w

from ..canonical import Result
from ..markdown import to_text

RIGHT = "✓ right"
WRONG = "✗ not right"


class AnswerInput:
    """Controls for one exercise type.

    Subclasses build ``self.view`` (the widget shown under the prompt) and implement ``get``,
    ``set`` and ``clear``. ``set`` raises ``ValueError`` naming what is wrong with an answer it
    cannot show (a restored record of another shape, a typo in a test).
    """

    #: label of the check button
    check_label = "Check"
    #: what a part is called in summaries ("2 of 3 items right"); "" for one-part types
    part_noun = ""
    #: True when each part has a status label in its own row (ordering, grids)
    row_status = False

    def __init__(self, public: Mapping[str, Any]):
        self.public = public
        self.id = str(public.get("id", ""))
        self.view: w.Widget = w.VBox()
        self._listeners: list[Callable[[], None]] = []
        self._quiet = False

    # answer
    def get(self) -> Any:
        raise NotImplementedError

    def set(self, answer: Any) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def prepare(self) -> str | None:
        """Work to do before an answer can be read (code: run it); a message if it failed."""
        return None

    def problem(self, answer: Any) -> str | None:
        """Why ``answer`` cannot be checked yet (nothing chosen, not a number), or None."""
        return None

    # feedback
    def part_label(self, part_id: str) -> str:
        return "Your answer"

    def show_parts(self, result: Result) -> None:
        """Mark each part's row right or wrong (row-based types)."""

    def clear_parts(self) -> None:
        """Forget row marks (the answer changed)."""

    # change notification
    def on_change(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)

    def _changed(self, _change: Any = None) -> None:
        if self._quiet:
            return
        self.clear_parts()
        for callback in self._listeners:
            callback()


def status_label() -> w.Label:
    return w.Label(value="", layout=w.Layout(min_width="7em"))


def mark(label: w.Label, correct: bool | None) -> None:
    label.value = "" if correct is None else (RIGHT if correct else WRONG)
    label.remove_class("exercise-right")
    label.remove_class("exercise-wrong")
    if correct is not None:
        label.add_class("exercise-right" if correct else "exercise-wrong")


def plain(text: Any) -> str:
    return to_text(str(text or ""))
