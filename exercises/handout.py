"""The student side of a released notebook: ``exercise(spec)`` and ``summary(spec)``.

A released notebook's cells call these with the spec that ``release.public_spec`` wrote into the
cell: public exercise data, the feedback policy, the record context, and (immediate feedback
only) the sealed spec. No key is involved anywhere here. Answers are recorded by the widget into
the cell's output (``exercises.records``), so saving the notebook saves them.
"""
from __future__ import annotations

import html
from typing import Any, Mapping

import ipywidgets as w

from .records import format as rec_format, keeper as rec_keeper, scan as rec_scan
from .views.readable import answer_text
from .views.widgets import ExerciseWidget, SealedChecker

_WIDGETS: dict[str, "HandoutWidget"] = {}
_SUMMARIES: list["Summary"] = []


class HandoutWidget(ExerciseWidget):
    """The exercise widget of a released notebook: the heading above it shows the prompt, and
    immediate feedback stops after the allowed number of attempts."""

    def __init__(self, spec: Mapping[str, Any], **kwargs: Any):
        policy = dict(spec.get("policy") or {})
        feedback = policy.get("feedback", "none")
        sealed = spec.get("sealed")
        checker = SealedChecker(sealed) if feedback == "immediate" and sealed else None
        self.max_attempts = policy.get("max_attempts") if feedback == "immediate" else None
        self.spec = spec
        context = dict(spec.get("context") or {}, binding=spec.get("binding"))  # no binding in older releases
        super().__init__(spec["exercise"], checker, feedback="immediate" if checker else "none",
                         context=context, **kwargs)
        self.title_html.layout.display = "none"  # the markdown heading above the cell shows them
        self.prompt_html.layout.display = "none"
        if checker is None:
            self.check_button.description = self.input.record_label
            self.check_button.tooltip = "Record this answer (it is graded after the due date)"
        self._limit()

    def check(self):
        if self.max_attempts and self.attempts >= self.max_attempts:
            self._say(f"No attempts left: your answer of attempt {self.attempts} is recorded and will be graded.")
            self._limit()
            return None
        result = super().check()
        self._limit()
        for s in _SUMMARIES:
            s.refresh()
        return result

    def _limit(self) -> None:
        if self.max_attempts:
            left = max(0, self.max_attempts - self.attempts)
            self.attempts_label.value = f"Attempts: {self.attempts} of {self.max_attempts}"
            self.check_button.disabled = left == 0
            if left == 0:  # a greyed-out button alone does not say why
                self.attempts_label.value += " (no attempts left: your last answer is recorded and will be graded)"
                self.check_button.tooltip = "No attempts left"

    def _attempts_text(self) -> str:
        limit = getattr(self, "max_attempts", None)
        return f"Attempts: {self.attempts}" + (f" of {limit}" if limit else "")


def exercise(spec: Mapping[str, Any]) -> HandoutWidget:
    """Show one exercise of a released notebook (the cell's only call)."""
    widget = HandoutWidget(spec)
    _WIDGETS[widget.exercise_id] = widget
    return widget


def widgets() -> dict[str, HandoutWidget]:
    """The exercise widgets created in this kernel, by exercise id (for tools and tests)."""
    return dict(_WIDGETS)


def _answer_text(record: Mapping[str, Any] | None, public: Mapping[str, Any] | None = None) -> str:
    """The recorded answer in words (option texts, not their ids)."""
    if not record:
        return ""
    if public:
        return answer_text(public, record.get("answer"), limit=80)
    return rec_format.describe_answer(record.get("answer"), limit=60)


class Summary:
    """What is recorded for each exercise: in this kernel, and in the saved notebook file."""

    def __init__(self, spec: Mapping[str, Any]):
        self.spec = spec
        self.context = {k: spec.get(k) for k in rec_format.CONTEXT_FIELDS}  # "binding" is absent from older releases
        self.html = w.HTML()
        self.button = w.Button(description="Check again", tooltip="Read the recorded answers again")
        self.button.on_click(lambda _b: self.refresh())
        self.view = w.VBox([self.html, self.button])
        self.refresh()

    def rows(self) -> list[dict[str, Any]]:
        saved_path = rec_keeper.notebook_path()
        saved = rec_scan.read_notebook_records(saved_path) if saved_path else None
        out = []
        for ex in self.spec.get("exercises") or ():
            keeper = rec_keeper.RecordKeeper(ex["id"], self.context, journal=False, notebook=False)
            live = keeper.registered()
            in_file = None
            if saved is not None:
                mine = [r for r in saved.get(ex["id"], []) if r.get("assignment") == self.context["assignment"]]
                in_file = rec_scan.latest(mine)
            out.append({**ex, "live": live, "saved": in_file, "file_known": saved is not None})
        return out

    def refresh(self) -> None:
        rows = self.rows()
        body = []
        for r in rows:
            live, saved = r["live"], r["saved"]
            if live:
                shown = _WIDGETS.get(r["id"])
                words = _answer_text(live, shown.public if shown is not None else None)
                state = f"recorded (attempt {live.get('attempts')}): {html.escape(words)}"
            elif saved:
                state = f"recorded in the saved file (attempt {saved.get('attempts')})"
            else:
                state = "<strong>no answer recorded</strong>"
            if r["file_known"] and live and (not saved or saved.get("attempts") != live.get("attempts")):
                state += " <em>(not saved yet: save the notebook)</em>"
            body.append(f"<tr><td>{r['number']}</td><td>{html.escape(str(r['title']))}</td>"
                        f"<td>{r['points']:g}</td><td>{state}</td></tr>")
        answered = sum(1 for r in rows if r["live"] or r["saved"])
        note = ("The saved file was found and compared." if rows and rows[0]["file_known"] else
                "This kernel cannot see the saved file: save the notebook before you upload it.")
        self.html.value = (
            f'<div class="exercise-summary"><p><strong>{answered} of {len(rows)} exercises have a recorded '
            f"answer.</strong> {note}</p><table><thead><tr><th>#</th><th>Exercise</th><th>Points</th>"
            f"<th>Recorded</th></tr></thead><tbody>{''.join(body)}</tbody></table></div>")

    def _ipython_display_(self, **kwargs: Any) -> None:
        from IPython.display import display
        display(self.view)


def summary(spec: Mapping[str, Any]) -> Summary:
    """The last cell of a released notebook: which answers are recorded, and saved."""
    s = Summary(spec)
    _SUMMARIES[:] = [x for x in _SUMMARIES if x.spec.get("assignment") != spec.get("assignment")] + [s]
    return s
