"""``ExerciseWidget``: the live view of one exercise in a running kernel.

It shows the prompt, the type's controls (``choice``, ``entry``, ``ordering``, ``grid``, ``code``,
``written``), a Check button, progressive hints, an attempt count, feedback per part in words
(never colour alone) and, after a correct answer or ``REVEAL_AFTER`` attempts, the explanation.
Every check writes an answer record (``exercises.records``) into the exercise cell's own output, so
saving the notebook saves the answer, and a new widget restores the latest record.

A written answer is submitted, not checked: the result is *pending* (no score, nothing right or
wrong), and the widget shows what the checker's ``submitted`` opens for it (the rubric; in the
self-study book the model answer and a self-assessment, which the input records with the answer
through ``amend``, at the same attempt).

The widget is built from the exercise's *public* data (``Exercise.public()``: no key) and a
*checker* (a callable returning a ``checks.Result`` or its ``as_dict()``); with the feedback
policy ``"none"`` it needs no checker and only records.

Programmatic use (tests, tools)::

    wdg = ExerciseWidget.for_exercise(bank["howto_ex1"])
    wdg.set_answer("rsct"); result = wdg.check(); wdg.hint()
    wdg.attempts, wdg.result, wdg.hints_shown, wdg.record, wdg.explanation_shown
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Mapping, MutableMapping

import ipywidgets as w

from ...records import format as rec_format, keeper as rec_keeper
from ...canonical import Result
from .base import AnswerInput
from .checkers import FEEDBACK_POLICIES, KeyChecker, as_result
from .choice import MultipleSelectInput, SingleChoiceInput
from .code import CodeInput
from .entry import NumericInput, ShortTextInput
from .grid import CategorisationInput, MatchingInput, RelationMatrixInput, SlotCodingInput
from .ordering import OrderingInput
from .written import WrittenInput
from ...markdown import to_html
from ..readable import answer_text
from ...wording import number
from ...wording import points as points_text

_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(?:p|li|ul|ol|div|br|h\d)\b[^>]*>")
_CODE = re.compile(r"`([^`]+)`")

#: in study mode the explanation is also shown after this many checked attempts (as on the static page)
REVEAL_AFTER = 3
RECORDED_LATER = "Answer recorded; it will be graded later."

INPUTS: dict[str, type[AnswerInput]] = {
    "single_choice": SingleChoiceInput, "multiple_select": MultipleSelectInput,
    "numeric": NumericInput, "short_text": ShortTextInput, "ordering": OrderingInput,
    "matching": MatchingInput, "categorisation": CategorisationInput,
    "slot_coding": SlotCodingInput, "relation_matrix": RelationMatrixInput, "code": CodeInput,
    "written": WrittenInput,
}


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The widgets' CSS (``widgets.css``); empty if an installation left it out: the widgets then
    work with the front end's default look."""
    try:
        return (resources.files("exercises.views.widgets") / "widgets.css").read_text(encoding="utf-8")
    except OSError:
        return ""


class ExerciseWidget(w.VBox):
    """The live view of one exercise. See the module docstring."""

    def __init__(self, public: Mapping[str, Any], checker: Callable[[Any], Result] | None = None, *,
                 feedback: str = "immediate", context: Mapping[str, Any] | None = None,
                 keeper: rec_keeper.RecordKeeper | None = None,
                 namespace: MutableMapping[str, Any] | None = None, restore: bool = True):
        super().__init__()
        if feedback not in FEEDBACK_POLICIES:
            raise ValueError(f"feedback must be one of {', '.join(FEEDBACK_POLICIES)}, got {feedback!r}")
        self.public = dict(public)
        self.exercise_id = str(self.public.get("id") or "")
        self.kind = str(self.public.get("type") or "")
        if not self.exercise_id:
            raise ValueError("the exercise data has no id")
        if self.kind not in INPUTS:
            raise ValueError(f"{self.exercise_id}: unknown exercise type {self.kind!r}")
        if feedback == "immediate" and checker is None:
            raise ValueError(f"{self.exercise_id}: immediate feedback needs a checker "
                             "(KeyChecker or SealedChecker), or use feedback='none'")
        self.checker = checker
        self.feedback_policy = feedback
        self.context = {k: (context or {}).get(k) for k in rec_format.CONTEXT_FIELDS}
        self.keeper = keeper or rec_keeper.RecordKeeper(self.exercise_id, self.context)
        self.keeper.describe = lambda answer: answer_text(self.public, answer)

        # state
        self.attempts = 0
        self.result: Result | None = None
        self.hints_shown = 0
        self.record: dict[str, Any] | None = None
        self.explanation_shown = False
        self.message = ""
        self.restore_problem = ""

        # controls
        self.input: AnswerInput = (CodeInput(self.public, namespace) if self.kind == "code"
                                   else INPUTS[self.kind](self.public))
        self.input.on_change(self._answer_changed)
        self.input.on_amend(self._amend)
        self.hints: list[str] = [str(h) for h in self.public.get("hints") or ()]
        points = float(self.public.get("points") or 0)
        title = html.escape(str(self.public.get("title") or self.exercise_id))
        self.title_html = w.HTML(f'<div class="exercise-title"><strong>{title}</strong> '
                                 f'<span>({points_text(points)})</span></div>')
        self.prompt_html = w.HTMLMath(to_html(str(self.public.get("prompt") or "")))
        self.prompt_html.add_class("exercise-prompt")
        self.check_button = w.Button(description=self.input.check_label, button_style="primary",
                                     tooltip=f"{self.input.check_label}: {self.public.get('title', '')}")
        self.check_button.on_click(lambda _b: self.check())
        self.hint_button = w.Button(description=self._hint_label(), tooltip="Show the next hint",
                                    disabled=not self.hints)
        self.hint_button.on_click(lambda _b: self.hint())
        if not self.hints:
            self.hint_button.layout.display = "none"
        self.attempts_label = w.Label(self._attempts_text())
        self.hints_html = w.HTMLMath("")
        self.hints_html.add_class("exercise-hints")
        self.feedback_html = w.HTMLMath("")
        self.feedback_html.add_class("exercise-feedback")
        self.explanation_html = w.HTMLMath("")
        self.explanation_html.add_class("exercise-explanation")
        self.record_note = w.Label("")
        self.record_note.add_class("exercise-record-note")
        self.children = [
            w.HTML(f"<style>{stylesheet()}</style>", layout=w.Layout(display="none")),
            self.title_html, self.prompt_html, self.input.view,
            w.HBox([self.check_button, self.hint_button, self.attempts_label],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            self.hints_html, self.feedback_html, self.explanation_html, self.record_note,
        ]
        self.add_class("exercise-widget")
        if restore:
            self._restore()

    @classmethod
    def for_exercise(cls, exercise, *, mode: str = "study", **kwargs: Any) -> "ExerciseWidget":
        """The widget of a bank exercise, checked against its key (book pages).

        ``mode`` "course" leaves the explanation out entirely, as the course build does."""
        public = exercise.public(include_explanation=(mode == "study"))
        kwargs.setdefault("checker", KeyChecker(exercise, mode=mode))
        return cls(public, **kwargs)

    # --- the programmatic API ----------------------------------------------------------------

    def set_answer(self, answer: Any) -> None:
        """Put ``answer`` (in its type's shape, see ``exercises.checking``) into the controls."""
        self.input.set(answer)

    def get_answer(self) -> Any:
        """The answer the controls hold now."""
        return self.input.get()

    def check(self) -> Result | None:
        """Check (or, with feedback "none", just record) the current answer, as the button does.

        Returns the ``Result`` shown, or ``None`` when nothing was checked."""
        problem = self.input.prepare()
        answer = self.input.get()
        problem = problem or self.input.problem(answer)
        if problem:
            self._say(problem)
            return None
        result: Result | None = None
        check_error = ""
        if self.feedback_policy == "immediate":
            try:
                result = as_result(self.checker(answer), self.exercise_id)  # type: ignore[misc]
            except Exception as err:  # noqa: BLE001 - an authoring/installation error, told not raised
                check_error = f"{type(err).__name__}: {err}"
            if result is not None and (result.blank or not result.valid):
                self._say(result.feedback or "This answer cannot be checked.")
                return None
        attempts = max(self.attempts, self.keeper.highest_attempts()) + 1
        try:
            record = rec_format.make_record(self.exercise_id, answer, attempts, **self.context,
                                            feedback_shown=result is not None)
        except ValueError as err:
            self._say(f"This answer cannot be recorded: {err}")
            return None
        self.attempts = attempts
        self.record = record
        self.result = result
        problems = self.keeper.keep(record)
        self.attempts_label.value = self._attempts_text()
        cut = self.input.recorded_note()
        if result is not None:
            self.input.show_parts(result)
            self.feedback_html.value = self._feedback(result, cut)
            if result.pending:
                self._open_submission(answer)
            else:
                self._reveal_explanation(answer, result)
        else:
            said = (f"<p><strong>Your answer is recorded, but it could not be checked here.</strong> "
                    f"{html.escape(check_error)}</p>" if check_error else f"<p><strong>{RECORDED_LATER}</strong></p>")
            if cut:
                said += f"<p><strong>{html.escape(cut)}</strong></p>"
            self.feedback_html.value = self._box(said)
        note = f"Recorded in this notebook (attempt {self.attempts}); save the notebook to keep it."
        if cut:
            note += " " + cut
        if problems:
            note += " Note: " + "; ".join(problems) + "."
        self.record_note.value = note
        self.message = ""
        return result

    def _amend(self) -> None:
        """Record what the student added to the recorded answer without submitting it again (a
        self-assessment): the same attempt, a new time."""
        if self.record is None:
            return
        answer = self.input.amend(self.record.get("answer"))
        if answer is None or answer == self.record.get("answer"):
            return
        try:
            record = rec_format.make_record(self.exercise_id, answer, max(1, int(self.record.get("attempts") or 0)),
                                            **self.context, feedback_shown=bool(self.record.get("feedback_shown", True)))
        except ValueError as err:
            self.record_note.value = f"This could not be recorded: {err}"
            return
        self.record = record
        problems = self.keeper.keep(record)
        note = (f"Your self-assessment is recorded with your answer (attempt {record['attempts']}); "
                "save the notebook to keep it.")
        if self.input.recorded_note():
            note += " " + self.input.recorded_note()
        if problems:
            note += " Note: " + "; ".join(problems) + "."
        self.record_note.value = note

    def _open_submission(self, answer: Any) -> None:
        """Show what a submitted answer opens (written answers: rubric, model answer)."""
        opener = getattr(self.checker, "submitted", None)
        if not self.input.opens_on_submit or self.feedback_policy != "immediate" or not callable(opener):
            return
        try:
            texts = opener(answer)
        except Exception:  # noqa: BLE001 - nothing opened rather than a broken widget
            texts = None
        self.input.show_submission(texts)

    def hint(self) -> str | None:
        """Reveal the next hint; returns it, or None when every hint is shown."""
        if self.hints_shown >= len(self.hints):
            return None
        self.hints_shown += 1
        items = "".join(f"<p><strong>Hint {i + 1} of {len(self.hints)}.</strong> {to_html(h)}</p>"
                        for i, h in enumerate(self.hints[: self.hints_shown]))
        self.hints_html.value = f'<div class="exercise-hints">{items}</div>'
        self.hint_button.description = self._hint_label()
        self.hint_button.disabled = self.hints_shown >= len(self.hints)
        return self.hints[self.hints_shown - 1]

    @property
    def feedback_text(self) -> str:
        """The feedback as plain text (what a screen reader reads)."""
        text = _BLOCK.sub(" ", self.feedback_html.value)
        return " ".join(html.unescape(_TAG.sub("", text)).split())

    # --- display: the widget, then its record output ------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any):
        """The widget view, with a one-line ``text/plain`` (not the widget tree, stylesheet and all,
        that a front end without the widget's model would print)."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        if isinstance(bundle, tuple):  # (data, metadata)
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["text/plain"] = (f"Exercise {self.exercise_id}: {self.public.get('title') or ''} "
                                "(run the cell to answer; the recorded answer is listed below it)")
        return bundle

    def _ipython_display_(self, **kwargs: Any) -> None:
        from IPython.display import display
        display(self._repr_mimebundle_(), raw=True)
        self.keeper.display()

    # --- internals ---------------------------------------------------------------------------

    def _restore(self) -> None:
        try:
            found = self.keeper.restore()
        except Exception as err:  # noqa: BLE001 - a broken journal/notebook must not break the page
            self.record_note.value = f"Earlier answers could not be read ({type(err).__name__}: {err})."
            return
        if found is None:
            return
        self.record = found
        self.attempts = int(found.get("attempts") or 0)
        try:
            self.input.set(found.get("answer"))
        except ValueError as err:
            self.restore_problem = str(err)
        if found.get("feedback_shown"):
            self._open_submission(found.get("answer"))
        self.attempts_label.value = self._attempts_text()
        note = f"Your recorded answer (attempt {self.attempts}) was restored"
        note += f", but it cannot be shown in the controls ({self.restore_problem})." if self.restore_problem else "."
        self.record_note.value = note

    def _answer_changed(self) -> None:
        if self.message:
            self.feedback_html.value = ""
            self.message = ""

    def _say(self, message: str) -> None:
        self.message = message
        text = _CODE.sub(r"<code>\1</code>", html.escape(message))
        self.feedback_html.value = self._box(f"<p><strong>{text}</strong></p>")

    @staticmethod
    def _box(inner: str) -> str:
        return f'<div class="exercise-feedback" role="status">{inner}</div>'

    def _attempts_text(self) -> str:
        return f"Attempts: {self.attempts}"

    def _hint_label(self) -> str:
        if not self.hints:
            return "Hint"
        if self.hints_shown >= len(self.hints):
            return "No more hints"
        return f"Hint ({self.hints_shown + 1} of {len(self.hints)})"

    def _feedback(self, result: Result, cut: str = "") -> str:
        if result.pending:  # a person marks it: no score, no right or wrong
            parts = [f"<p><strong>Submitted.</strong> {html.escape(result.feedback)}</p>"]
            if cut:
                parts.append(f"<p><strong>{html.escape(cut)}</strong></p>")
            return self._box("".join(parts))
        if result.correct:
            head = "✓ Correct."
        elif result.score > 0:
            head = "◐ Partly correct."
        else:
            head = "✗ Not correct yet."
        parts = []
        n_right = sum(p.correct for p in result.parts)
        score = f"Score: {number(result.score)} of {points_text(result.points)}."
        if self.input.part_noun and result.parts:
            score += f" {n_right} of {len(result.parts)} {self.input.part_noun} right."
        parts.append(f"<p><strong>{head}</strong> {score}</p>")
        if result.feedback:
            parts.append(f"<p>{html.escape(result.feedback)}</p>")
        items = []
        for p in result.parts:
            if self.input.row_status and not p.feedback:
                continue
            status = "✓ right" if p.correct else "✗ not right"
            text = self._feedback_html(p.feedback)
            label = html.escape(self.input.part_label(p.id))
            items.append(f"<li><strong>{label}</strong> ({status}){': ' + text if text else ''}</li>")
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
        if not result.correct and self.hints_shown < len(self.hints):
            parts.append("<p>Stuck? Ask for a hint.</p>")
        return self._box("".join(parts))

    def _feedback_html(self, text: str) -> str:
        if not text:
            return ""
        out = text if getattr(self.checker, "feedback_html", False) else to_html(text)
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return out

    def _reveal_explanation(self, answer: Any, result: Result) -> None:
        if self.explanation_shown:
            return
        from_checker = getattr(self.checker, "explanation", None)
        if callable(from_checker):
            try:
                body = from_checker(answer, self.attempts)
            except Exception:  # noqa: BLE001 - no explanation rather than a broken widget
                body = None
        else:
            text = str(self.public.get("explanation") or "").strip()
            body = to_html(text) if text and (result.correct or self.attempts >= REVEAL_AFTER) else None
        if not body:
            return
        self.explanation_html.value = (f'<div class="exercise-explanation"><p><strong>Explanation.</strong></p>'
                                       f"{body}</div>")
        self.explanation_shown = True
