"""``show(exercise_id)``: the one object a page displays for an exercise.

Its MIME bundle carries both views: the ipywidgets view (picked by a live kernel's front end) and
``text/html`` (picked by the static HTML build, where ``_config.yml`` lowers the widget priority).

Displayed in a kernel (``_ipython_display_``), it shows that bundle and then a second output, the
exercise's answer record (see ``exercises.record``): empty until the first check, or the restored
record. Each check updates that output through its ``display_id``, so the answer is saved with the
notebook.
"""
from __future__ import annotations

from typing import Any

from . import bank as bank_mod
from . import settings, static


def static_build() -> bool:
    """True inside a static book build (the Sphinx extension sets ``$EXERCISES_STATIC_BUILD`` for
    the kernels it starts): the page shows ``text/html`` only, so no widget is made, no widget state
    is embedded in the page and no answer record is restored into it."""
    return settings.current().static_build


class ExerciseView:
    def __init__(self, exercise):
        self.exercise = exercise
        self._widget = None

    @property
    def widget(self):
        if self._widget is None:
            from .widgets import ExerciseWidget
            self._widget = ExerciseWidget.for_exercise(self.exercise, mode=settings.build_mode())
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle: dict[str, Any] = {}
        if not static_build():
            try:
                bundle.update(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
            except ImportError:
                pass
        bundle["text/html"] = static.render(self.exercise)
        bundle["text/plain"] = f"Exercise {self.exercise.id}: {self.exercise.title}"
        return bundle

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self._repr_mimebundle_(), raw=True)
        if not static_build():
            self.widget.keeper.display()


def show(exercise_id: str) -> ExerciseView:
    """Display exercise ``exercise_id`` from the bank (e.g. ``show("rsct_ex3")``)."""
    return ExerciseView(bank_mod.load()[exercise_id])
