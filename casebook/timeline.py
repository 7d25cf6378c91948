"""The case timeline: every event of ``data/timeline.csv`` with its date, actors, category,
confidence and source, as a filterable list.

    from casebook.timeline import timeline
    timeline()                                   # all 48 events
    timeline(start="2021-08-15", title="...")    # a filtered view for one chapter

The object displays as one MIME bundle with two views:

* ``text/html`` for the static site: a real ordered list, readable with no script at all; each
  event's source sits in a native ``<details>`` element (keyboard-operable without JS). When
  ``assets/timeline.js`` is present (our Sphinx extension ships it with every page) it reveals
  filter controls for theme and period, and a button to open every source at once.
* an ipywidgets view for a live kernel: two drop-downs (theme, period) redraw an HTML widget.

The CSV's 29 fine-grained categories are grouped into six themes for filtering; every event still
shows its own category. Nothing is fetched from the network: source links are plain links.
"""
from __future__ import annotations

import calendar
import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from importlib import resources
from typing import Any, Iterable
from urllib.parse import urlparse

from . import datasets

#: the files of assets/ a page showing the timeline links (see sphinx_assets)
ASSETS = ("timeline.css", "timeline.js")

CUTOFF = date(2026, 4, 8)
CUTOFF_TEXT = "8 April 2026"

# theme id -> (label, categories of timeline.csv)
THEMES: dict[str, tuple[str, frozenset[str]]] = {
    "state": ("Border, states and wars", frozenset({
        "border/history", "war", "regime change", "regional institutions", "domestic/legal"})),
    "militants": ("Militant organisations", frozenset({
        "actor formation", "actor", "peace process / actor", "militant governance", "prisoner release"})),
    "talks": ("Diplomacy, talks and ceasefires", frozenset({
        "diplomacy", "regional diplomacy", "negotiation", "ceasefire", "ceasefire collapse",
        "ceasefire/mediation", "ceasefire/pause", "mediation", "mediation failure"})),
    "violence": ("Attacks, strikes and clashes", frozenset({
        "terrorist attack", "cross-border attack", "cross-border strike", "cross-border strike (alleged)",
        "inter-state clash", "inter-state war", "counter-terrorism"})),
    "people": ("Refugees and border management", frozenset({"refugees/coercion", "border management"})),
    "data": ("Data and reports", frozenset({"data/report"})),
}

# period id -> (label, first day, last day)
PERIODS: dict[str, tuple[str, date, date]] = {
    "p1893": ("1893–2000: the line, the Cold War, the first emirate", date(1893, 1, 1), date(2000, 12, 31)),
    "p2001": ("2001 – 14 Aug 2021: the US war and the TTP", date(2001, 1, 1), date(2021, 8, 14)),
    "p2021": ("15 Aug 2021 – 2022: after the takeover", date(2021, 8, 15), date(2022, 12, 31)),
    "p2023": ("2023–2024: coercion and strikes", date(2023, 1, 1), date(2024, 12, 31)),
    "p2025": (f"2025 – {CUTOFF_TEXT}: clashes, mediation, open war", date(2025, 1, 1), CUTOFF),
}

_MONTH = {i: calendar.month_abbr[i] for i in range(1, 13)}


class TimelineError(ValueError):
    """A row of timeline.csv that the timeline cannot place (bad date or unknown category)."""


@dataclass(frozen=True)
class Event:
    index: int                 # row number in the CSV (0-based), a stable id
    raw_date: str
    start: date                # first possible day; sort key
    label: str                 # human-readable date
    datetime: str              # machine-readable value for <time datetime>
    approximate: bool          # the day (or more) is not known
    event: str
    actors: str
    category: str
    theme: str
    source_title: str
    sources: tuple[str, ...]   # URLs or citations
    confidence: str

    @property
    def period(self) -> str:
        for pid, (_, first, last) in PERIODS.items():
            if first <= self.start <= last:
                return pid
        raise TimelineError(f"event {self.raw_date!r} falls outside every period")

    @property
    def confidence_levels(self) -> set[str]:
        """The levels named at the start of each ``;``-separated part of the confidence text."""
        levels = set()
        for part in self.confidence.lower().split(";"):
            m = re.match(r"\s*(high|medium-high|medium|low|not confirmed)\b", part)
            if m:
                levels.add(m[1])
        return levels

    @property
    def confidence_level(self) -> str:
        """``high``, ``medium-high``, ``medium``, ``low``, or ``mixed`` (parts rated differently)."""
        levels = self.confidence_levels
        if len(levels) > 1:
            return "mixed"
        return next(iter(levels)) if levels else "unknown"

    @property
    def uncertain(self) -> bool:
        """True when the event, or a part of it, is rated low or not confirmed."""
        return bool(self.confidence_levels & {"low", "not confirmed"})

    @property
    def slug(self) -> str:
        return f"ev{self.index + 1:02d}"


def parse_date(raw: str) -> tuple[date, str, str, bool]:
    """Parse the CSV's date forms: ``1893-11-12``, ``1919``, ``1979-12``, ``2021-08-15/16``,
    ``2022-12 (late)``, ``late 2025 (date not confirmed)``.

    Returns (first possible day, label, datetime attribute, approximate?)."""
    text = raw.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:/(\d{2}))?", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        start = date(y, mo, d)
        if m[4]:
            return start, f"{d}–{int(m[4])} {_MONTH[mo]} {y}", start.isoformat(), False
        return start, f"{d} {_MONTH[mo]} {y}", start.isoformat(), False
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:\s*\((late|early|mid)\))?", text)
    if m:
        y, mo = int(m[1]), int(m[2])
        part = f"{m[3].capitalize()} " if m[3] else ""
        day = {"late": 20, "mid": 10}.get(m[3] or "", 1)
        return date(y, mo, day), f"{part}{calendar.month_name[mo]} {y}", f"{y}-{mo:02d}", True
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        y = int(m[1])
        return date(y, 1, 1), str(y), str(y), True
    m = re.fullmatch(r"(late|early|mid)\s+(\d{4})(?:\s*\((.+)\))?", text, flags=re.I)
    if m:
        y = int(m[2])
        start = {"late": date(y, 12, 1), "mid": date(y, 6, 1), "early": date(y, 1, 1)}[m[1].lower()]
        label = f"{m[1].capitalize()} {y}" + (f" ({m[3]})" if m[3] else "")
        return start, label, str(y), True
    raise TimelineError(f"cannot read the date {raw!r}")


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def theme_of(category: str) -> str:
    for tid, (_, cats) in THEMES.items():
        if category in cats:
            return tid
    raise TimelineError(f"category {category!r} belongs to no theme; add it to THEMES")


def load_events() -> list[Event]:
    """Every row of timeline.csv as an Event, in date order (file order breaks ties)."""
    df = datasets.load("timeline")
    events = []
    for i, row in enumerate(df.to_dict("records")):
        raw = _text(row["date"])
        start, label, dt, approx = parse_date(raw)
        category = _text(row["category"])
        sources = tuple(s.strip() for s in _text(row["source_url_or_citation"]).split(" ; ") if s.strip())
        events.append(Event(
            index=i, raw_date=raw, start=start, label=label, datetime=dt, approximate=approx,
            event=_text(row["event"]), actors=_text(row["actors"]), category=category,
            theme=theme_of(category), source_title=_text(row["source_title"]), sources=sources,
            confidence=_text(row["confidence"]),
        ))
    return sorted(events, key=lambda e: (e.start, e.index))


def select(events: Iterable[Event], *, start: str | date | None = None, end: str | date | None = None,
           themes: Iterable[str] | None = None) -> list[Event]:
    """Events from ``start`` to ``end`` (inclusive, ISO dates) and in ``themes`` (theme ids)."""
    first = date.fromisoformat(start) if isinstance(start, str) else start
    last = date.fromisoformat(end) if isinstance(end, str) else end
    wanted = set(themes) if themes is not None else None
    if wanted is not None and not wanted <= set(THEMES):
        raise ValueError(f"unknown theme(s) {sorted(wanted - set(THEMES))}; use {sorted(THEMES)}")
    return [
        e for e in events
        if (first is None or e.start >= first) and (last is None or e.start <= last)
        and (wanted is None or e.theme in wanted)
    ]


# --------------------------------------------------------------------------- HTML


def _link(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        return escape(url)
    host = urlparse(url).netloc.removeprefix("www.")
    return f'<a href="{escape(url)}" rel="noopener">{escape(host)}</a>'


def render_event(e: Event, *, uid: str) -> str:
    """One ``<li>``: date, text, actors, category, confidence; the source in ``<details>``."""
    theme_label = THEMES[e.theme][0]
    conf_class = f"tl-conf tl-conf-{e.confidence_level}"
    uncertain = '<strong class="tl-uncertain">Uncertain: </strong>' if e.uncertain else ""
    links = "".join(f"<li>{_link(s)}</li>" for s in e.sources)
    approx = ' <span class="tl-approx">(day not known)</span>' if e.approximate and "(" not in e.label else ""
    return (
        f'<li class="tl-event tl-theme-{e.theme}" id="{uid}-{e.slug}" data-theme="{e.theme}" '
        f'data-period="{e.period}" data-date="{e.start.isoformat()}" data-confidence="{e.confidence_level}">'
        f'<p class="tl-when"><time datetime="{e.datetime}">{escape(e.label)}</time>{approx}</p>'
        f'<p class="tl-text">{escape(e.event)}</p>'
        '<dl class="tl-meta">'
        f'<div><dt>Actors</dt><dd>{escape(e.actors)}</dd></div>'
        f'<div><dt>Category</dt><dd><span class="tl-theme-tag">{escape(theme_label)}</span> · {escape(e.category)}</dd></div>'
        f'<div><dt>Confidence</dt><dd class="{conf_class}">{uncertain}{escape(e.confidence)}</dd></div>'
        "</dl>"
        f'<details class="tl-source"><summary>Source<span class="tl-sr"> for the event of {escape(e.label)}</span></summary>'
        f'<p class="tl-source-title">{escape(e.source_title)}</p>'
        f'<ul class="tl-source-links">{links}</ul></details>'
        "</li>"
    )


def render_list(events: list[Event], *, uid: str) -> str:
    items = "".join(render_event(e, uid=uid) for e in events)
    return f'<ol class="tl-list" id="{uid}-list">{items}</ol>'


def render_html(events: list[Event], *, uid: str, title: str | None = None, note: str | None = None) -> str:
    """The static view: controls (hidden until timeline.js reveals them), status line, list."""
    counts = {tid: sum(e.theme == tid for e in events) for tid in THEMES}
    periods = {pid: sum(e.period == pid for e in events) for pid in PERIODS}
    theme_boxes = "".join(
        f'<label class="tl-check"><input type="checkbox" name="{uid}-theme" value="{tid}" checked> '
        f'<span class="tl-swatch tl-theme-{tid}" aria-hidden="true"></span>{escape(label)} '
        f'<span class="tl-count">({counts[tid]})</span></label>'
        for tid, (label, _) in THEMES.items() if counts[tid]
    )
    period_opts = "".join(
        f'<option value="{pid}">{escape(label)} ({periods[pid]})</option>'
        for pid, (label, _, _) in PERIODS.items() if periods[pid]
    )
    heading = f'<p class="tl-title" id="{uid}-title"><strong>{escape(title)}</strong></p>' if title else ""
    note_html = f'<p class="tl-note">{escape(note)}</p>' if note else ""
    label_attr = f'aria-labelledby="{uid}-title"' if title else 'aria-label="Case timeline"'
    return (
        f'<section class="tl-timeline" id="{uid}" {label_attr} data-total="{len(events)}">'
        f"{heading}{note_html}"
        f'<div class="tl-controls" hidden>'
        f'<fieldset class="tl-themes"><legend>Show themes</legend>{theme_boxes}</fieldset>'
        f'<div class="tl-row"><label class="tl-period-label" for="{uid}-period">Period</label> '
        f'<select class="tl-period-select" id="{uid}-period"><option value="all">All periods ({len(events)})</option>'
        f"{period_opts}</select> "
        '<button type="button" class="tl-expand" aria-pressed="false">Open all sources</button> '
        '<button type="button" class="tl-reset">Reset filters</button></div>'
        "</div>"
        f'<p class="tl-status" role="status" aria-live="polite">{len(events)} events, '
        f"oldest first. Material stops at {CUTOFF_TEXT}.</p>"
        f"{render_list(events, uid=uid)}"
        '<p class="tl-empty" hidden>No event matches these filters.</p>'
        "</section>"
    )


def _css() -> str:
    return (resources.files("casebook") / "assets" / "timeline.css").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- display object


class Timeline:
    """Displayable timeline: ``text/html`` for the static site plus an ipywidgets view."""

    def __init__(self, events: list[Event], *, uid: str, title: str | None = None, note: str | None = None):
        self.events = events
        self.uid = uid
        self.title = title
        self.note = note
        self._widget = None

    def _repr_html_(self) -> str:
        return render_html(self.events, uid=self.uid, title=self.title, note=self.note)

    @property
    def widget(self):
        """The live view: theme and period drop-downs redraw an HTML list."""
        if self._widget is None:
            self._widget = _build_widget(self)
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle: dict[str, Any] = {}
        try:
            bundle.update(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        except ImportError:  # ipywidgets missing: the HTML view alone still works
            pass
        bundle["text/html"] = self._repr_html_()
        bundle["text/plain"] = f"Timeline: {len(self.events)} events (material stops at {CUTOFF_TEXT})"
        return bundle

    def __repr__(self) -> str:
        return f"<Timeline {self.uid}: {len(self.events)} events>"


def _build_widget(tl: Timeline):
    import ipywidgets as W

    present = {e.theme for e in tl.events}
    theme = W.Dropdown(
        options=[("All themes", "all")] + [(label, tid) for tid, (label, _) in THEMES.items() if tid in present],
        value="all", description="Theme", style={"description_width": "initial"},
        layout=W.Layout(width="max-content"),
    )
    period_ids = [pid for pid in PERIODS if any(e.period == pid for e in tl.events)]
    period = W.Dropdown(
        options=[("All periods", "all")] + [(PERIODS[pid][0], pid) for pid in period_ids],
        value="all", description="Period", style={"description_width": "initial"},
        layout=W.Layout(width="max-content"),
    )
    body = W.HTML()
    style = f"<style>{_css()}</style>"

    def redraw(*_):
        shown = [e for e in tl.events
                 if (theme.value == "all" or e.theme == theme.value)
                 and (period.value == "all" or e.period == period.value)]
        status = (f'<p class="tl-status">{len(shown)} of {len(tl.events)} events. '
                  f"Material stops at {CUTOFF_TEXT}. Open “Source” under an event to see where it comes from.</p>")
        inner = render_list(shown, uid=f"{tl.uid}-w") if shown else '<p class="tl-empty">No event matches these filters.</p>'
        body.value = f'{style}<div class="tl-timeline tl-widget">{status}{inner}</div>'

    theme.observe(redraw, names="value")
    period.observe(redraw, names="value")
    redraw()
    children = [W.HBox([theme, period], layout=W.Layout(flex_flow="row wrap")), body]
    if tl.title:
        children.insert(0, W.HTML(f"<strong>{escape(tl.title)}</strong>"))
    return W.VBox(children)


def timeline(*, start: str | None = None, end: str | None = None, themes: Iterable[str] | None = None,
             title: str | None = None, note: str | None = None, uid: str | None = None) -> Timeline:
    """The case timeline, optionally restricted to a date range and to some themes.

    ``uid`` names the HTML element (default: derived from the arguments, so rebuilds are stable);
    give distinct ones when a page shows the same view twice."""
    events = select(load_events(), start=start, end=end, themes=themes)
    if uid is None:
        key = f"{start}|{end}|{sorted(themes) if themes else ''}|{title}"
        uid = "tl-" + hashlib.sha1(key.encode()).hexdigest()[:8]
    return Timeline(events, uid=uid, title=title, note=note)
