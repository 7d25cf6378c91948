"""What the two figures share: one displayable object with two views, and the no-script switcher.

The static view is a set of panels (one per year or scenario) and a group of radio buttons. The
stylesheet ``assets/figures.css`` shows only the panel whose radio button is checked; without the
stylesheet (or in a browser without ``:has()``) every panel is shown, one after the other, each with
its own title, so nothing is ever unreachable. No script and no network are needed.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from html import escape
from typing import Any, Callable, Sequence

#: the files of assets/ a page showing a switcher figure links (see sphinx_assets)
ASSETS = ("figures.css", "figures.js")

_ids = itertools.count(1)

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def new_id(kind: str) -> str:
    """A page-unique, build-stable id (each notebook runs in a fresh kernel)."""
    return f"ttpfig-{kind}-{next(_ids)}"


@dataclass(frozen=True)
class Panel:
    key: str          # the value of the radio button ("2025", "hopeful")
    label: str        # the text of the radio button
    title: str        # the panel's own title (shown above it; read when panels are stacked)
    body: str         # HTML


def switcher(kind: str, legend: str, panels: Sequence[Panel], checked: int = 0,
             caption: str = "") -> str:
    """Radio buttons + panels; pure HTML, driven by ``figures.css`` (no script needed)."""
    if not panels:
        raise ValueError("a figure needs at least one panel")
    uid = new_id(kind)
    choices = []
    for i, p in enumerate(panels):
        checked_attr = " checked" if i == checked else ""
        choices.append(
            f'<label class="ttpfig-choice"><input type="radio" name="{uid}" value="{escape(p.key)}"'
            f' data-i="{i}"{checked_attr}> <span>{escape(p.label)}</span></label>')
    sections = []
    for i, p in enumerate(panels):
        sections.append(
            f'<section class="ttpfig-panel" data-i="{i}" aria-labelledby="{uid}-t{i}">'
            f'<p class="ttpfig-panel-title" id="{uid}-t{i}">{escape(p.title)}</p>{p.body}</section>')
    cap = f'<p class="ttpfig-caption">{caption}</p>' if caption else ""
    return (f'<div class="ttpfig ttpfig-{kind}" id="{uid}">'
            f'<fieldset class="ttpfig-choices"><legend>{escape(legend)}</legend>{"".join(choices)}</fieldset>'
            f'<div class="ttpfig-panels">{"".join(sections)}</div>{cap}</div>')


class FigureView:
    """Displays as an ipywidgets view in a kernel and as ``text/html`` on the static site."""

    def __init__(self, *, html: Callable[[], str], widget: Callable[[], Any], text: str):
        self._html = html
        self._make_widget = widget
        self._widget = None
        self.text = text

    @property
    def widget(self):
        if self._widget is None:
            self._widget = self._make_widget()
        return self._widget

    def html(self) -> str:
        return self._html()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle: dict[str, Any] = {}
        try:
            bundle.update(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        except ImportError:  # no ipywidgets: the HTML view alone
            pass
        bundle["text/html"] = self.html()
        bundle["text/plain"] = self.text
        return bundle
