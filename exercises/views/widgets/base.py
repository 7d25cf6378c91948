"""The part every answer input shares: the interface ``ExerciseWidget`` drives."""
from __future__ import annotations

from typing import Any, Callable, Mapping

import ipywidgets as w

from ...canonical import Result
from ...markdown import to_text

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
    #: label of the button when answers are only recorded (graded later, no feedback)
    record_label = "Record"
    #: True when a submission opens texts to show (``show_submission``; written answers)
    opens_on_submit = False
    #: what a part is called in summaries ("2 of 3 items right"); "" for one-part types
    part_noun = ""
    #: True when each part has a status label in its own row (ordering, grids)
    row_status = False

    def __init__(self, public: Mapping[str, Any]):
        self.public = public
        self.id = str(public.get("id", ""))
        self.view: w.Widget = w.VBox()
        self._listeners: list[Callable[[], None]] = []
        self._amend_listeners: list[Callable[[], None]] = []
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

    def recorded_note(self) -> str:
        """What the student must know about the answer just read by ``get`` (a text cut to fit the
        record), or ""."""
        return ""

    # after a submission (types whose answer nobody checks automatically)
    def show_submission(self, texts: Mapping[str, Any] | None) -> None:
        """Show what a submitted answer opened (``checking.submitted_texts``)."""

    def amend(self, previous: Any) -> Any:
        """The recorded answer ``previous`` with what the student added since without submitting
        again (a self-assessment); the widget records it at the same attempt."""
        return previous

    def on_amend(self, callback: Callable[[], None]) -> None:
        """``callback()`` when the recorded answer should be amended (see ``amend``)."""
        self._amend_listeners.append(callback)

    def _amended(self) -> None:
        for callback in self._amend_listeners:
            callback()

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
