"""Static view: an exercise as HTML that works on a static book page with no Python behind it.

``render(ex, mode=...)`` gives one ``<div class="exercise">`` (attributes in docs/engine notes):
title and points, the prompt, native labelled form controls for the type, a Check button, hints
revealed one at a time, an attempt counter, a feedback region, and the sealed spec
(``checking.seal``) as ``<script type="application/json">``. ``assets/exercises.js`` (shipped with
every page by ``site/assets.py``) checks answers against the spec; the HTML carries no key.

Two builds: ``mode="study"`` (explanation after a correct answer, or on request after 3
attempts) and ``mode="course"`` (no explanation anywhere in the HTML). With ``mode=None`` the
environment variable ``EXERCISES_BUILD`` decides ("study" when unset).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from markupsafe import Markup

from .. import models as m
from .. import checking
from ..jinja import environment
from ..markdown import to_html, to_inline_html
from ..wording import number, points
from ..settings import build_mode
from .. import types

@lru_cache(maxsize=1)
def _env():
    return environment("static")


def _context(ex: m.Exercise, mode: str, spec: dict[str, Any]) -> dict[str, Any]:
    """The template context of ``ex``, whose lists are already in display order."""
    ctx: dict[str, Any] = {
        "id": ex.id, "type": ex.type, "chapter": ex.chapter, "objectives": " ".join(ex.objectives),
        "points": number(ex.points), "points_text": points(ex.points), "mode": mode, "title": ex.title,
        "prompt_html": Markup(to_html(ex.prompt)), "hints": [Markup(to_inline_html(h)) if "\n\n" not in h.strip()
                                                             else Markup(to_html(h)) for h in ex.hints],
        "spec": spec, "unit": getattr(ex, "unit", ""),
        # marked by a person (written): "Submit", no attempt count, the rubric to score oneself by
        "manual": getattr(types.kind(ex.type), "MANUAL", False),
    }
    types.kind(ex.type).static(ex, ctx)  # the type's own controls (exercises.types.<type>.static)
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
