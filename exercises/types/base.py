"""What every exercise type shares: the base model, choices, objectives, and small helpers.

A model is built from a validated bank record (``bank.py`` calls the type's ``build``). The key of
every type lives in its ``answer`` field (and, for code, in ``solution``); ``public()`` returns the
record without any of it, in display order, which is what student notebooks and the static page
are allowed to carry. Pure data, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Mapping

from ..views.order import Order, apply, page_order  # noqa: F401  (for the types)

BLOOM_LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    chapter: str


@dataclass(frozen=True)
class Exercise:
    """Fields shared by every type."""

    id: str
    title: str
    prompt: str
    points: float
    objectives: tuple[str, ...]
    bloom: str
    hints: tuple[str, ...]
    explanation: str
    sources: tuple[str, ...] = ()
    chapter: str = ""
    origin: str = ""  # "file:line" of the record, for messages

    type: ClassVar[str] = ""
    key_fields: ClassVar[tuple[str, ...]] = ("answer",)
    private_fields: ClassVar[tuple[str, ...]] = ("explanation",)

    @property
    def part_ids(self) -> tuple[str, ...]:
        """The gradable parts of the exercise (one for whole-answer types)."""
        return ("answer",)

    def arranged(self, order: Order = page_order) -> "Exercise":
        """The exercise with its options, items and choices in display order (see
        ``views.order``); types with nothing to arrange return themselves."""
        return self

    def public(self, *, include_explanation: bool = False, order: Order | None = page_order) -> dict[str, Any]:
        """The record as a student may see it, in display order (``order``; None keeps the
        bank's order): no key, no solution, no hidden check."""
        return (self.arranged(order) if order is not None else self)._public(include_explanation)

    def _public(self, include_explanation: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        hidden = set(self.key_fields) | {"origin"}
        if not include_explanation:
            hidden |= set(self.private_fields)
        for f in fields(self):
            if f.name in hidden:
                continue
            out[f.name] = _plain(getattr(self, f.name))
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Choice):
        return {k: v for k, v in vars(value).items() if v != ""}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Slot:
    id: str
    label: str
    options: tuple[Choice, ...]


def cell_id(a: str, b: str) -> str:
    """Relations are symmetric: a cell is named by its two actor ids in sorted order."""
    return "/".join(sorted((a, b)))


def choices(items: Any) -> tuple[Choice, ...]:
    """Choices from bank records (``id``, ``text`` or ``label``, optional ``feedback``)."""
    return tuple(Choice(it["id"], it.get("text", it.get("label", "")), it.get("feedback", "")) for it in items or [])


def as_tuple(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def label(items: Any, key: str) -> str:
    """The text of the choice ``key`` among ``items`` (the id itself when there is none)."""
    return next((c.text for c in items if c.id == key), key)


def label_html(items: Any, key: Any) -> str:
    """The bank's text of the choice ``key`` as HTML (it is the instructor's Markdown); anything
    else a student recorded is shown as escaped text: a student's answer is never rendered as
    Markdown, so no image, link or markup of theirs reaches a page."""
    from markupsafe import escape

    from ..markdown import to_html
    for c in items:
        if c.id == key:
            return to_html(c.text)
    return f"<p>{escape(str(key)[:2000])}</p>"


def text_html(text: str, known: bool) -> str:
    """The instructor's Markdown as HTML when ``known``, else the text escaped."""
    from markupsafe import escape

    from ..markdown import to_html
    return to_html(text) if known else f"<p>{escape(str(text)[:200])}</p>"


def names(items: Any) -> dict[str, str]:
    """{id: plain text} of public choices (dicts with ``id`` and ``text`` or ``label``)."""
    from ..markdown import to_text
    return {str(i.get("id")): to_text(str(i.get("text") or i.get("label") or i.get("id")))
            for i in items or () if isinstance(i, Mapping)}


def rendered(c: Choice) -> dict[str, Any]:
    """A choice as the static view's templates show it: id, inline HTML and plain text."""
    from markupsafe import Markup

    from ..markdown import to_inline_html, to_text
    return {"id": c.id, "html": Markup(to_inline_html(c.text)), "text": to_text(c.text)}


def plain_choices(items: Any) -> list[dict[str, str]]:
    from ..markdown import to_text
    return [{"id": c.id, "text": to_text(c.text)} for c in items]


class KeyRules:
    """What a type's ``key_problems`` reports to: ``add(path, message)`` with a path inside the
    exercise's record, and ``dupes(field, items)`` (reports repeated ids, returns the id set)."""

    def __init__(self, here: list[Any], add):
        self.here, self._add = here, add

    def add(self, path: list[Any], message: str) -> None:
        self._add(self.here + list(path), message)

    def dupes(self, field_name: str, items: Any) -> set[str]:
        ids = [it.get("id") for it in items or [] if isinstance(it, dict)]
        for k, oid in enumerate(ids):
            if oid in ids[:k]:
                self.add([field_name, k, "id"], f"duplicate id {oid!r}")
        return set(ids)

    def only_incorrect_feedback(self, rec: dict) -> None:
        """Numeric and short-text feedback knows one key, ``incorrect`` (any wrong answer that is
        not a misconception). Anything else is never shown: a page checks against hashes, so it
        cannot tell a low answer from a high one without giving the key away."""
        for key in (rec.get("feedback") or {}):
            if key != "incorrect":
                self.add(["feedback", key], f"feedback {key!r} is never shown: {rec.get('type')} feedback has only "
                         "'incorrect' (for any wrong answer that is not a misconception; a page cannot tell a low "
                         "answer from a high one without giving the key away)")

    def feedback_parts(self, rec: dict, parts: set[str]) -> None:
        for part in (rec.get("feedback") or {}):
            if part not in parts:
                self.add(["feedback", part], f"feedback for {part!r}, which is not one of the parts")


class ClearKey:
    """A type's clear key as ``clear`` builds it: accepted canonical values per part, in first-seen
    order, no repeats; plus the feedback texts (see ``checking.spec``)."""

    def __init__(self, explanation: str) -> None:
        self.parts: list[str] = []
        self.accept: dict[str, list[str]] = {}
        # what the type sets here is what its sealed spec carries: option_feedback, members,
        # misconceptions, incorrect, pattern, wrong (see checking.sealing)
        self.texts: dict[str, Any] = {"explanation": explanation}

    def add(self, part: str, value: str) -> None:
        if part not in self.accept:
            self.parts.append(part)
            self.accept[part] = []
        if value not in self.accept[part]:
            self.accept[part].append(value)
