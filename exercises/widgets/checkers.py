"""What a widget checks an answer with.

A checker is any callable ``checker(answer) -> checks.Result`` (or the ``Result.as_dict()`` form).
Two optional attributes refine it:

- ``feedback_html`` (bool): the part feedback it returns is HTML already (else bank Markdown);
- ``explanation(answer, attempts) -> str | None``: the explanation's HTML when it may be shown
  (else the widget shows the public data's explanation after a correct answer or
  ``REVEAL_AFTER`` attempts).

The two checkers:

- ``KeyChecker(exercise)``: the full bank entry is at hand (book pages): ``checks.check``.
- ``SealedChecker(spec)``: a released notebook carries only the sealed, key-free spec
  (``sealed.seal``) next to the public data: ``sealed.check_sealed`` (same scores and part
  correctness as ``checks.check``, feedback as HTML) and ``sealed.explanation`` (the explanation
  is encrypted under the right answer).

With the feedback policy ``"none"`` (graded releases) the widget calls no checker at all: it only
records the answer.
"""
from __future__ import annotations

from typing import Any, Mapping

from .. import checks

FEEDBACK_POLICIES = ("immediate", "none")


class KeyChecker:
    """Checks against the bank's key, in the kernel (never shipped to a student's notebook)."""

    feedback_html = False

    def __init__(self, exercise):
        self.exercise = exercise

    def __call__(self, answer: Any) -> checks.Result:
        return checks.check(self.exercise, answer)


class SealedChecker:
    """Checks against a sealed spec (hashes, no key): for released notebooks."""

    feedback_html = True

    def __init__(self, spec: Mapping[str, Any]):
        self.spec = spec

    @staticmethod
    def _sealed():
        try:
            from .. import sealed
        except ImportError as err:
            raise RuntimeError("sealed checking is not available in this installation "
                               f"(exercises.sealed: {err})") from None
        return sealed

    def __call__(self, answer: Any) -> checks.Result:
        return as_result(self._sealed().check_sealed(self.spec, answer), str(self.spec.get("id", "")))

    def explanation(self, answer: Any, attempts: int) -> str | None:
        return self._sealed().explanation(self.spec, answer, attempts=attempts)


def as_result(value: Any, exercise_id: str = "") -> checks.Result:
    """Accept a ``Result`` or its ``as_dict()`` form (a checker may return either)."""
    if isinstance(value, checks.Result):
        return value
    if isinstance(value, Mapping):
        parts = tuple(checks.Part(str(p.get("id", "")), bool(p.get("correct")), str(p.get("feedback") or ""))
                      for p in value.get("parts") or () if isinstance(p, Mapping))
        return checks.Result(str(value.get("exercise") or exercise_id), float(value.get("score") or 0.0),
                             float(value.get("points") or 0.0), parts, str(value.get("feedback") or ""),
                             valid=bool(value.get("valid", True)), blank=bool(value.get("blank", False)))
    raise TypeError(f"a checker returned {type(value).__name__}, not a Result")
