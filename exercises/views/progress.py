"""The "My progress" page: what it lists (``progress_index``) and its body (``ProgressPage``),
filled in by ``assets/progress.js`` from the browser's local storage. ``book/progress.md`` shows
``progress_page()``; the build's hooks tag every page with its address (``PROGRESS_PAGE``)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from .. import settings, types
from ..site import SiteError
from ..site.builds import find_book_root
from ..site.pages import exercise_pages

# The docname of the progress page (``progress_page``'s default; ``assets/progress.js`` finds it
# through the page tag the build's hooks write).
PROGRESS_PAGE = "book/progress"

PROGRESS_FORMAT = "exercises.progress/1"


def _inline_markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).renderInline(text or "")


def progress_index(bank, pages: Mapping[str, str]) -> dict[str, Any]:
    """What the progress page lists: chapters (in page order) with their objectives and the
    exercises of this build (those some page shows), each with title, points and page."""
    order = {doc: i for i, doc in enumerate(dict.fromkeys(pages.values()))}
    chapters = []
    for ch in bank.chapters:
        exs = [ex for ex in ch.exercises if ex.id in pages]
        if not exs:
            continue
        objectives = []
        for obj in ch.objectives:
            ids = [ex.id for ex in exs if obj.id in ex.objectives]
            objectives.append({"id": obj.id, "text": obj.text, "html": _inline_markdown(obj.text), "exercises": ids})
        chapters.append({
            "id": ch.id, "title": ch.title, "page": pages[exs[0].id],
            "objectives": objectives,
            "exercises": [{"id": ex.id, "title": ex.title, "html": _inline_markdown(ex.title),
                           "points": ex.points, "page": pages[ex.id], "objectives": list(ex.objectives),
                           "manual": bool(getattr(types.kind(ex.type), "MANUAL", False))}
                          for ex in exs],
        })
    chapters.sort(key=lambda c: order.get(c["page"], len(order)))
    return {"format": "exercises.progress-index/1", "progress_format": PROGRESS_FORMAT, "chapters": chapters}


def _relative_url(from_doc: str, to_doc: str, anchor: str = "") -> str:
    rel = os.path.relpath(to_doc + ".html", os.path.dirname(from_doc) or ".")
    return rel.replace(os.sep, "/") + (f"#{anchor}" if anchor else "")


class ProgressPage:
    """The body of the "My progress" page (text/html): a table per chapter, filled in by
    ``assets/progress.js`` from the browser's local storage."""

    def __init__(self, index: dict[str, Any], docname: str):
        self.index = index
        self.docname = docname

    def _repr_html_(self) -> str:
        from ..jinja import environment

        payload = json.dumps(self.index, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
        url = lambda doc, anchor="": _relative_url(self.docname, doc, anchor)  # noqa: E731
        return environment("site").get_template("progress_page.html.j2").render(index=self.index, payload=payload, url=url)

    def _repr_mimebundle_(self, include=None, exclude=None):
        n = sum(len(c["exercises"]) for c in self.index["chapters"])
        return {"text/html": self._repr_html_(),
                "text/plain": f"My progress: {n} exercises in {len(self.index['chapters'])} chapters "
                              "(open the book's web page to see your progress)"}


def progress_page(docname: str = PROGRESS_PAGE, root: Path | None = None) -> ProgressPage:
    """The "My progress" page body for the current build (mode from ``EXERCISES_BUILD``)."""
    from .. import bank as bank_mod

    try:
        root = find_book_root(root)
    except SiteError:
        return ProgressElsewhere()
    return ProgressPage(progress_index(bank_mod.load(), exercise_pages(root, settings.build_mode())), docname)


class ProgressElsewhere:
    """What the progress page's cell shows when run as a notebook outside the book (e.g. Colab)."""

    TEXT = ("Your progress on the book's website is kept by your browser and shown on the web page "
            "\u201cMy progress\u201d. In a notebook, your answers are saved in the notebook itself.")

    def _repr_mimebundle_(self, include=None, exclude=None):
        from html import escape

        return {"text/html": f"<p>{escape(self.TEXT)}</p>", "text/plain": self.TEXT}

