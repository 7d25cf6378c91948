"""``show(exercise_id)``: the one object a page displays for an exercise.

Its MIME bundle carries both views: the ipywidgets view (picked by a live kernel's front end) and
``text/html`` (picked by the static HTML build, where ``_config.yml`` lowers the widget priority).
"""
from __future__ import annotations

from typing import Any

from . import bank as bank_mod
from . import static


class ExerciseView:
    def __init__(self, exercise):
        self.exercise = exercise
        self._widget = None

    @property
    def widget(self):
        if self._widget is None:
            from .widgets import ExerciseWidget
            self._widget = ExerciseWidget(self.exercise)
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle: dict[str, Any] = {}
        try:
            bundle.update(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        except ImportError:
            pass
        bundle["text/html"] = static.render(self.exercise)
        bundle["text/plain"] = f"Exercise {self.exercise.id}: {self.exercise.title}"
        return bundle


def show(exercise_id: str) -> ExerciseView:
    """Display exercise ``exercise_id`` from the bank (e.g. ``show("rsct_ex3")``)."""
    return ExerciseView(bank_mod.load()[exercise_id])
