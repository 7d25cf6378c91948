"""What a widget checks an answer with.

A checker is any callable ``checker(answer) -> checking.Result`` (or the ``Result.as_dict()`` form).
Two optional attributes refine it:

- ``feedback_html`` (bool): the part feedback it returns is HTML already (else bank Markdown);
- ``explanation(answer, attempts) -> str | None``: the explanation's HTML when it may be shown
  (else the widget shows the public data's explanation after a correct answer or
  ``REVEAL_AFTER`` attempts);
- ``submitted(answer) -> dict | None``: what a submitted written answer opens
  (``checking.submitted_texts``: rubric descriptors; in study mode the model answer and notes).

The two checkers:

- ``KeyChecker(exercise)``: the full bank entry is at hand (book pages): ``checking.check``.
- ``SealedChecker(spec)``: a released notebook carries only the sealed, key-free spec
  (``checking.seal``) next to the public data: ``checking.check_sealed`` (same scores and part
  correctness as ``checking.check``, feedback as HTML) and ``checking.explanation`` (the explanation
  is encrypted under the right answer).

With the feedback policy ``"none"`` (graded releases) the widget calls no checker at all: it only
records the answer.
"""
from __future__ import annotations

from typing import Any, Mapping

from ... import checking

FEEDBACK_POLICIES = ("immediate", "none")


class KeyChecker:
    """Checks against the bank's key, in the kernel (never shipped to a student's notebook).

    ``mode`` ("study" or "course") decides what a submitted written answer opens, as the sealed
    spec of that mode does."""

    feedback_html = False

    def __init__(self, exercise, *, mode: str = "study"):
        self.exercise = exercise
        self.mode = mode
        self._sealed: dict[str, Any] | None = None

    def __call__(self, answer: Any) -> checking.Result:
        return checking.check(self.exercise, answer)

    def submitted(self, answer: Any) -> dict[str, Any] | None:
        """What a submitted written answer opens: exactly the texts the sealed spec of this mode
        opens (``checking.submitted_texts``), so the book and a released notebook show the same."""
        if self._sealed is None:
            self._sealed = checking.seal(self.exercise, mode=self.mode)
        return checking.submitted_texts(self._sealed, answer)


class SealedChecker:
    """Checks against a sealed spec (hashes, no key): for released notebooks."""

    feedback_html = True

    def __init__(self, spec: Mapping[str, Any]):
        self.spec = spec

    def __call__(self, answer: Any) -> checking.Result:
        return as_result(checking.check_sealed(self.spec, answer), str(self.spec.get("id", "")))

    def explanation(self, answer: Any, attempts: int) -> str | None:
        return checking.explanation(self.spec, answer, attempts=attempts)

    def submitted(self, answer: Any) -> dict[str, Any] | None:
        return checking.submitted_texts(self.spec, answer)


def as_result(value: Any, exercise_id: str = "") -> checking.Result:
    """Accept a ``Result`` or its ``as_dict()`` form (a checker may return either)."""
    if isinstance(value, checking.Result):
        return value
    if isinstance(value, Mapping):
        parts = tuple(checking.Part(str(p.get("id", "")), bool(p.get("correct")), str(p.get("feedback") or ""))
                      for p in value.get("parts") or () if isinstance(p, Mapping))
        return checking.Result(str(value.get("exercise") or exercise_id), float(value.get("score") or 0.0),
                             float(value.get("points") or 0.0), parts, str(value.get("feedback") or ""),
                             valid=bool(value.get("valid", True)), blank=bool(value.get("blank", False)),
                             error=value.get("error") if isinstance(value.get("error"), Mapping) else None,
                             pending=bool(value.get("pending", False)))
    raise TypeError(f"a checker returned {type(value).__name__}, not a Result")
