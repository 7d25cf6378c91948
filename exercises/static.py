"""Static view: an exercise as HTML that works on a static book page with no Python behind it.

``render(ex, mode=...)`` gives one ``<div class="exercise">`` (attributes in docs/engine notes):
title and points, the prompt, native labelled form controls for the type, a Check button, hints
revealed one at a time, an attempt counter, a feedback region, and the sealed spec
(``checking.seal``) as ``<script type="application/json">``. ``assets/exercises.js`` (shipped with
every page by ``sphinx_ext``) checks answers against the spec; the HTML carries no key.

Two builds: ``mode="study"`` (explanation after a correct answer, or on request after 3
attempts) and ``mode="course"`` (no explanation anywhere in the HTML). With ``mode=None`` the
environment variable ``EXERCISES_BUILD`` decides ("study" when unset).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import models as m
from . import checking
from .display_order import shuffled  # noqa: F401  (re-export: tests and older callers)
from .markdown import to_html, to_inline_html, to_text
from .settings import build_mode

@lru_cache(maxsize=1)
def _env() -> Environment:
    folder = resources.files("exercises") / "templates" / "static"
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    return env


def _item(c: m.Choice) -> dict[str, Any]:
    return {"id": c.id, "html": Markup(to_inline_html(c.text)), "text": to_text(c.text)}


def points_text(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


def _context(ex: m.Exercise, mode: str, spec: dict[str, Any]) -> dict[str, Any]:
    """The template context of ``ex``, whose lists are already in display order."""
    ctx: dict[str, Any] = {
        "id": ex.id, "type": ex.type, "chapter": ex.chapter, "objectives": " ".join(ex.objectives),
        "points": f"{ex.points:g}", "points_text": points_text(ex.points), "mode": mode, "title": ex.title,
        "prompt_html": Markup(to_html(ex.prompt)), "hints": [Markup(to_inline_html(h)) if "\n\n" not in h.strip()
                                                             else Markup(to_html(h)) for h in ex.hints],
        "spec": spec, "unit": getattr(ex, "unit", ""),
    }
    if isinstance(ex, m.SingleChoice):  # and MultipleSelect
        ctx["options"] = [_item(o) for o in ex.options]
    elif isinstance(ex, m.Ordering):
        ctx["items"] = [_item(i) for i in ex.items]
    elif isinstance(ex, (m.Matching, m.Categorisation)):
        rows, choices = (ex.left, ex.right) if isinstance(ex, m.Matching) else (ex.items, ex.categories)
        plain = [{"id": c.id, "text": to_text(c.text)} for c in choices]
        ctx["rows"] = [dict(_item(r), choices=plain) for r in rows]
        ctx["legend"] = "Choose a match for each item" if isinstance(ex, m.Matching) else "Choose a category for each item"
    elif isinstance(ex, m.SlotCoding):
        ctx["rows"] = [{"id": s.id, "html": Markup(to_inline_html(s.label)),
                        "choices": [{"id": o.id, "text": to_text(o.text)} for o in s.options]}
                       for s in ex.slots]
        ctx["legend"] = "Choose an option for each slot"
    elif isinstance(ex, m.RelationMatrix):
        actors = [_item(a) for a in ex.actors]
        order = {a.id: i for i, a in enumerate(ex.actors)}
        names = {a["id"]: a["text"] for a in actors}
        cells = {}
        for cell in ex.answer:
            a, b = sorted(cell.split("/", 1), key=order.__getitem__)
            cells[(a, b)] = {"id": cell, "key": cell.replace("/", "--"),
                             "label": f"Relationship between {names[a]} and {names[b]}"}
        rows = [a for a in actors if any(pair[0] == a["id"] for pair in cells)]  # only actors with a cell asked
        cols = [a for a in actors if any(pair[1] == a["id"] for pair in cells)]
        ctx.update(rows=rows, cols=cols, cells=cells, values=[{"id": v.id, "text": to_text(v.text)} for v in ex.values],
                   legend="Choose the relationship for each pair of actors")
    elif isinstance(ex, m.Code):
        ctx["code"] = (ex.setup.rstrip() + "\n\n" if ex.setup.strip() else "") + ex.starter.rstrip()
        ctx["result"] = ex.result
        ctx["kind"] = spec["kind"]
    return ctx


def render(ex: m.Exercise, *, mode: str | None = None, expected: Any = None) -> str:
    """The static HTML of ``ex``. ``mode`` "study" or "course" (None: from ``EXERCISES_BUILD``).
    For a code exercise the key value is computed from its solution here (or taken from
    ``expected``); the solution itself never reaches the HTML."""
    mode = build_mode(mode)
    spec = checking.seal(ex, mode=mode, expected=expected)
    return _env().get_template("exercise.html.j2").render(**_context(ex.arranged(), mode, spec)).strip() + "\n"


def page(exercises: Iterable[m.Exercise], *, mode: str | None = None, title: str = "Exercises",
         assets: str = "") -> str:
    """A standalone HTML page of several exercises that loads ``exercises.css``/``exercises.js``
    from the URL prefix ``assets`` (e.g. a folder next to the page). For previews, tests, benchmarks."""
    html = [Markup(render(ex, mode=mode)) for ex in exercises]
    return _env().get_template("page.html.j2").render(title=title, exercises=html, assets=assets)


def assets_dir():
    """The folder holding exercises.js and exercises.css."""
    return resources.files("exercises") / "assets"
