"""``written``: a text area for an argued answer, with a live word count and a Submit button.

Nothing checks the text: the checker's result is *pending* (awaiting marking). Once a response is
submitted the widget shows what the checker opens for it (``checking.submitted_texts``; a
``KeyChecker`` opens the same texts from the bank): the rubric with its descriptors, and in the
self-study book also the model answer, the answer notes and one set of toggle buttons per
criterion for the student's own assessment. Changing a level re-records the submitted text with
the self-assessment (``{"text": ..., "self": {criterion id: level index}}``), at the same attempt:
assessing oneself is not another submission, and it never counts towards a grade.

The recorded text is at most ``types.written.MAX_CHARS`` characters and fits the record's answer
bound (``records.format.MAX_ANSWER_BYTES``); a longer text is cut, and the widget says where.
"""
from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as w

from ...records import format as rec_format
from ...canonical import AnswerShapeError
from ...markdown import to_inline_html
from ...types.written import MAX_CHARS, self_assessment, text_of, word_count
from ...wording import number, plural, points
from .base import AnswerInput, plain


def _unwrap(fragment: str) -> str:
    """An HTML fragment of one paragraph without its ``<p>`` (to sit inside a list item)."""
    out = str(fragment or "").strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def recordable(text: str, own: Mapping[str, int] | None = None) -> tuple[dict[str, Any], str]:
    """The answer to record for ``text`` (and the self-assessment ``own``), and a note saying what
    was cut ("" when nothing was): at most ``MAX_CHARS`` characters, and within the record's
    ``MAX_ANSWER_BYTES`` (quotes, newlines and non-ASCII letters take more than one byte)."""
    def answer(t: str) -> dict[str, Any]:
        return {"text": t, "self": dict(own)} if own else {"text": t}

    keep = text[:MAX_CHARS]
    if rec_format.answer_size(answer(keep)) > rec_format.MAX_ANSWER_BYTES:
        low, high = 0, len(keep)  # the longest prefix that fits
        while low < high:
            mid = (low + high + 1) // 2
            if rec_format.answer_size(answer(keep[:mid])) <= rec_format.MAX_ANSWER_BYTES:
                low = mid
            else:
                high = mid - 1
        keep = keep[:low]
    if len(keep) == len(text):
        return answer(text), ""
    tail = " ".join(keep.split()[-6:])
    note = (f"Your answer is too long to record whole ({len(text):,} characters): only the first "
            f"{len(keep):,} characters ({plural(word_count(keep), 'word')}, up to “…{tail}”) are recorded. "
            "Shorten it and submit again to have all of it marked.")
    return answer(keep), note


class WrittenInput(AnswerInput):
    check_label = "Submit"
    record_label = "Submit"
    #: the widget asks its checker for the texts a submission opens (``show_submission``)
    opens_on_submit = True

    def __init__(self, public: Mapping[str, Any]):
        super().__init__(public)
        self.rubric: list[Mapping[str, Any]] = [c for c in public.get("rubric") or () if isinstance(c, Mapping)]
        self.words: dict[str, int] = dict(public.get("words") or {})
        self.text = w.Textarea(value="", description="Your answer:", placeholder="Write your answer here.",
                               rows=10, continuous_update=True, style={"description_width": "initial"},
                               layout=w.Layout(width="100%"))
        self.text.observe(self._typed, "value")
        self.count = w.Label(self.count_text())
        self.count.add_class("exercise-written-count")
        # an assignment with ``show_rubric`` hands out the descriptors: show the whole rubric at once
        # (the self-study book opens them with the model answer, on submission, as its static page does)
        self.rubric_shown = bool(public.get("show_rubric"))
        if self.rubric_shown:
            given = {str(c.get("id")): [to_inline_html(lv.get("descriptor")) if lv.get("descriptor") else ""
                                        for lv in c.get("levels") or ()] for c in self.rubric}
            shown = "".join(self._criterion_html(c, given[str(c.get("id"))]) for c in self.rubric)
            self.criteria_html = w.HTMLMath("<p><strong>Your answer will be marked against this rubric.</strong></p>"
                                            + shown)
        else:
            criteria = "; ".join(f"{to_inline_html(c.get('title'))} ({points(self._top(c))})" for c in self.rubric)
            self.criteria_html = w.HTMLMath(f"<p><em>Marked against a rubric:</em> {criteria}.</p>" if criteria else "")
        self.review = w.VBox(layout=w.Layout(display="none"))
        self.review.add_class("exercise-written-review")
        #: criterion id -> the toggle buttons of the student's own level (study mode, once submitted)
        self.levels: dict[str, w.ToggleButtons] = {}
        self.total = w.Label("")
        self.own: dict[str, int] = {}  # the self-assessment (kept while the toggles are not shown)
        self.opened: Mapping[str, Any] | None = None
        self.cut_note = ""
        self.view = w.VBox([self.criteria_html, self.text, self.count, self.review])
        self.view.add_class("exercise-written")

    @staticmethod
    def _top(criterion: Mapping[str, Any]) -> float:
        return max((float(lv.get("points") or 0) for lv in criterion.get("levels") or ()), default=0.0)

    # --- the answer --------------------------------------------------------------------------

    def get(self) -> dict[str, Any] | None:
        text = self.text.value
        if not text.strip():
            self.cut_note = ""
            return None
        answer, self.cut_note = recordable(text, self.own)
        return answer

    def set(self, answer: Any) -> None:
        if answer is None:
            self.clear()
            return
        try:
            text = text_of(answer)
        except AnswerShapeError:
            raise ValueError(f"{self.id}: expected text, or {{'text': text, 'self': {{criterion id: level}}}}, "
                             f"got {type(answer).__name__}") from None
        own = self_assessment(answer, self.rubric)
        self.text.value = text
        self._set_own(own)
        asked = answer.get("self") if isinstance(answer, Mapping) else None
        if isinstance(asked, Mapping) and len(asked) != len(own):
            unknown = sorted(str(k)[:40] for k in asked if k not in own)
            raise ValueError(f"{self.id}: the self-assessment of {', '.join(unknown)} is not a level of this rubric")

    def clear(self) -> None:
        self.text.value = ""
        self._set_own({})

    def problem(self, answer: Any) -> str | None:
        return None if answer else "Write your answer first."

    def recorded_note(self) -> str:
        return self.cut_note

    def amend(self, previous: Any) -> Any:
        """The recorded answer with the current self-assessment (the text as it was submitted,
        whatever the text area holds now)."""
        try:
            text = text_of(previous)
        except AnswerShapeError:
            return None
        answer, self.cut_note = recordable(text, self.own)
        return answer

    def assess(self, criterion: str, level: int | None) -> None:
        """Choose the student's own ``level`` (an index into the criterion's levels) for
        ``criterion``, as clicking its toggle does."""
        if criterion not in self.levels:
            raise ValueError(f"{self.id}: no self-assessment for {criterion!r} here "
                             "(it opens after a submission, in the self-study book)")
        self.levels[criterion].value = level

    # --- the word count ----------------------------------------------------------------------

    def count_text(self) -> str:
        text = self.text.value if hasattr(self, "text") else ""
        n = word_count(text)
        low, high = self.words.get("min"), self.words.get("max")
        parts = [plural(n, "word")]
        if low and high:
            parts.append(f"asked for {low:,}–{high:,}")
        elif low:
            parts.append(f"asked for at least {low:,}")
        elif high:
            parts.append(f"asked for at most {high:,}")
        if low and n < low:
            parts.append("under the minimum")
        elif high and n > high:
            parts.append("over the limit")
        if len(text) > MAX_CHARS:
            parts.append(f"only the first {MAX_CHARS:,} characters are kept")
        return " · ".join(parts)

    def _typed(self, change: Any = None) -> None:
        self.count.value = self.count_text()
        self._changed(change)

    # --- after a submission ------------------------------------------------------------------

    def show_submission(self, texts: Mapping[str, Any] | None) -> None:
        """Show what a submission opened (``checking.submitted_texts``): the rubric's descriptors;
        with a model answer (the self-study book) also the answer notes and the self-assessment."""
        if not texts or texts == self.opened:
            return
        self.opened = texts
        descriptors = texts.get("descriptors") or {}
        study = bool(texts.get("model_answer"))
        if not study and self.rubric_shown:
            return  # the rubric is on screen already
        children: list[w.Widget] = []
        if study:
            children.append(w.HTML("<p><strong>Compare your answer with the model answer and the rubric, then "
                                   "assess yourself.</strong> Nobody marks answers in this book: your "
                                   "self-assessment is recorded with your answer and never counts towards a grade.</p>"))
            children.append(self._block("Model answer", texts["model_answer"], "exercise-written-model"))
            if texts.get("explanation"):
                children.append(self._block("Answer notes", texts["explanation"], "exercise-explanation"))
        else:
            children.append(w.HTML("<p><strong>Your answer will be marked against this rubric.</strong></p>"))
        self.levels = {}
        for crit in self.rubric:
            cid = str(crit.get("id"))
            levels = list(crit.get("levels") or ())
            children.append(w.HTMLMath(self._criterion_html(crit, list(descriptors.get(cid) or ()))))
            if study and levels:
                toggles = w.ToggleButtons(
                    options=[(f"{plain(lv.get('label'))} ({points(float(lv.get('points') or 0))})", i)
                             for i, lv in enumerate(levels)],
                    value=self.own.get(cid), description="Your level:",
                    tooltips=[f"{plain(crit.get('title'))}: {plain(lv.get('label'))}" for lv in levels],
                    style={"description_width": "initial", "button_width": "auto"})
                toggles.observe(lambda change, cid=cid: self._assessed(cid, change["new"]), "value")
                self.levels[cid] = toggles
                children.append(toggles)
        if study and self.levels:
            self.total.value = self.total_text()
            children.append(self.total)
        self.review.children = children
        self.review.layout.display = None

    def _criterion_html(self, crit: Mapping[str, Any], descriptors: list[str]) -> str:
        """One criterion: its title and points, then each level with its points and (HTML) descriptor."""
        items = "".join(
            f"<li><strong>{to_inline_html(lv.get('label'))}</strong> ({points(float(lv.get('points') or 0))})"
            + (f": {_unwrap(descriptors[i])}" if i < len(descriptors) and descriptors[i] else "") + "</li>"
            for i, lv in enumerate(crit.get("levels") or ()))
        return (f'<div class="exercise-written-criterion"><p><strong>{to_inline_html(crit.get("title"))}</strong> '
                f"({points(self._top(crit))})</p><ul>{items}</ul></div>")

    @staticmethod
    def _block(title: str, body: str, css: str) -> w.HTMLMath:
        return w.HTMLMath(f'<div class="{css}"><p><strong>{title}.</strong></p>{body}</div>')

    def total_text(self) -> str:
        chosen = [(crit, self.own[str(crit.get("id"))]) for crit in self.rubric if str(crit.get("id")) in self.own]
        score = sum(float(crit["levels"][i].get("points") or 0) for crit, i in chosen)
        out = sum(self._top(c) for c in self.rubric)
        left = len(self.rubric) - len(chosen)
        text = f"Your self-assessment: {number(score)} of {points(out)} (not a grade)"
        return text + (f"; {left} criteri{'on' if left == 1 else 'a'} not assessed yet." if left else ".")

    def _assessed(self, criterion: str, level: Any) -> None:
        if self._quiet:
            return
        if level is None:
            self.own.pop(criterion, None)
        else:
            self.own[criterion] = int(level)
        self.total.value = self.total_text()
        self._amended()

    def _set_own(self, own: Mapping[str, int]) -> None:
        self.own = dict(own)
        self._quiet = True
        try:
            for cid, toggles in self.levels.items():
                toggles.value = self.own.get(cid)
        finally:
            self._quiet = False
        if self.levels:
            self.total.value = self.total_text()


__all__ = ["WrittenInput", "recordable"]
