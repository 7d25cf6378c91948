"""``show(exercise_id)``: the one object a page displays for an exercise.

Its MIME bundle carries both views: the ipywidgets view (picked by a live kernel's front end) and
``text/html`` (picked by the static HTML build, where ``_config.yml`` lowers the widget priority).

Displayed in a kernel (``_ipython_display_``), it shows that bundle and then a second output, the
exercise's answer record (see ``exercises.records``): empty until the first check, or the restored
record. Each check updates that output through its ``display_id``, so the answer is saved with the
notebook.

``show_sealed(spec)`` is the same display for the notebooks of the course edition: the cell carries
the exercise's public data and its sealed spec (``course_spec``), so the widget checks against
hashes, as in a released assignment, shows no explanation and never reads the keyed bank.
"""
from __future__ import annotations

from typing import Any, Mapping

from .. import bank as bank_mod
from .. import settings
from . import static

#: the format of what a course-edition notebook cell carries for one exercise
COURSE_SPEC = "exercises.course-exercise/1"


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


def course_spec(exercise) -> dict[str, Any]:
    """What a course-edition notebook carries for ``exercise``: its public data in page order
    without the explanation, and its course-mode sealed spec (hashes; no key, no explanation)."""
    from ..checking import seal

    return {"format": COURSE_SPEC, "exercise": exercise.public(include_explanation=False),
            "sealed": seal(exercise, mode="course")}


class SealedView:
    """The display of ``show_sealed``: the widget checked against the sealed spec, then its record."""

    def __init__(self, spec: Mapping[str, Any]):
        if not isinstance(spec, Mapping) or spec.get("format") != COURSE_SPEC:
            found = spec.get("format") if isinstance(spec, Mapping) else type(spec).__name__
            raise ValueError(f"show_sealed: expected a {COURSE_SPEC} spec, got {found!r}")
        self.spec = spec
        self._widget = None

    @property
    def widget(self):
        if self._widget is None:
            from .widgets import ExerciseWidget, SealedChecker
            self._widget = ExerciseWidget(self.spec["exercise"], SealedChecker(self.spec["sealed"]))
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        ex = self.spec["exercise"]
        bundle["text/plain"] = f"Exercise {ex.get('id')}: {ex.get('title')}"
        return bundle

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self._repr_mimebundle_(), raw=True)
        self.widget.keeper.display()


def show_sealed(spec: Mapping[str, Any]) -> SealedView:
    """Display an exercise from the spec a course-edition notebook carries (``course_spec``)."""
    return SealedView(spec)
