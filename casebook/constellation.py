"""Figure 1: the case's security constellation as a network of amity and enmity, year by year.

    from casebook import security_constellation
    security_constellation()                      # every year in data/constellation.csv
    security_constellation(years=[2021, 2025])    # a subset

The data are ``data/constellation.csv``: one row per year x pair of actors, with the relation
(amity, enmity, mixed, mediation), a note on what happened, the source and the confidence of the
reference material. A pair with no row in a year has no documented tie that year: it is drawn
without a line, which says "not documented here", not "no relation".

The drawing is a plain SVG with a fixed circular layout. Relations differ by line pattern
(solid, dashed, dotted, dash-dot) *and* by a symbol on the line (+, −, ±, M), so colour is never
the only cue; every colour passes WCAG AA contrast on the white background. Ties of low
confidence carry a "?" and are named uncertain in the table. Below each drawing, a table of the
year's ties with their sources is the text alternative.
"""
from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import Iterable, Sequence

from .bundle import FigureView, Panel, switcher

CUTOFF_TEXT = "8 April 2026"


@dataclass(frozen=True)
class Actor:
    id: str
    label: str
    kind: str                 # "state", "de facto government", "armed group"
    formed: int | None = None  # first year of existence, where the reference documents it
    formed_note: str = ""


ACTORS: dict[str, Actor] = {a.id: a for a in [
    Actor("usa", "United States", "state"),
    Actor("chn", "China", "state"),
    Actor("ind", "India", "state"),
    Actor("pak", "Pakistan", "state"),
    Actor("ttp", "TTP", "armed group", formed=2007,
          formed_note="formation announced 14 Dec 2007 (Abbas, CTC Sentinel, Jan 2008)"),
    Actor("iskp", "ISKP", "armed group"),
    Actor("irn", "Iran", "state"),
    Actor("sau", "Saudi Arabia", "state"),
    Actor("tal", "Afghan Taliban", "de facto government"),
    Actor("tur", "Türkiye", "state"),
    Actor("qat", "Qatar", "state"),
]}
ORDER = list(ACTORS)  # clockwise from the top: Pakistan east, the Taliban west, armed groups between

YEAR_LABELS = {2026: f"2026 (to {CUTOFF_TEXT})"}
YEAR_SHORT = {2026: "2026 (to 8 Apr)"}   # for the widget's narrow buttons


@dataclass(frozen=True)
class Style:
    label: str
    colour: str
    dash: str          # stroke-dasharray ("" = solid)
    width: float
    symbol: str
    meaning: str

    @property
    def dotted(self) -> bool:
        return self.dash.startswith("1 ")


RELATIONS: dict[str, Style] = {
    "amity": Style("Amity", "#1f5aa6", "", 3.5, "+",
                   "cooperation, support or alignment"),
    "enmity": Style("Enmity", "#b3261e", "11 6", 3.5, "−",
                    "armed conflict, attacks or declared hostility"),
    "mixed": Style("Mixed", "#6b4a00", "1 6", 4.0, "±",
                   "cooperation and conflict at once"),
    "mediation": Style("Mediation", "#5b3a8c", "14 5 3 5", 2.5, "M",
                       "a third party hosting or brokering talks"),
}
CONFIDENCE = ("high", "medium-high", "medium", "low")


@dataclass(frozen=True)
class Tie:
    year: int
    a: str
    b: str
    relation: str
    note: str
    source: str
    confidence: str

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))

    @property
    def uncertain(self) -> bool:
        return self.confidence == "low"


class ConstellationError(ValueError):
    """A row of constellation.csv that breaks the figure's rules."""


def _data_path():
    return resources.files("casebook") / "data" / "constellation.csv"


def load_ties(path=None) -> list[Tie]:
    """Read and check every row: known actors and relation, a source, one row per pair and year."""
    handle = path if path is not None else _data_path()
    with handle.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ties: list[Tie] = []
    seen: set[tuple[int, frozenset[str]]] = set()
    for n, row in enumerate(rows, start=2):
        where = f"constellation.csv line {n}"
        try:
            year = int(row["year"])
        except (TypeError, ValueError):
            raise ConstellationError(f"{where}: year {row.get('year')!r} is not a year") from None
        tie = Tie(year, row["a"].strip(), row["b"].strip(), row["relation"].strip(),
                  row["note"].strip(), row["source"].strip(), row["confidence"].strip())
        for end in (tie.a, tie.b):
            if end not in ACTORS:
                raise ConstellationError(f"{where}: unknown actor {end!r}")
        if tie.a == tie.b:
            raise ConstellationError(f"{where}: a tie needs two different actors")
        if tie.relation not in RELATIONS:
            raise ConstellationError(f"{where}: unknown relation {tie.relation!r}")
        if tie.confidence not in CONFIDENCE:
            raise ConstellationError(f"{where}: unknown confidence {tie.confidence!r}")
        if not tie.source or not tie.note:
            raise ConstellationError(f"{where}: every tie needs a note and a source")
        for end in (tie.a, tie.b):
            formed = ACTORS[end].formed
            if formed is not None and year < formed:
                raise ConstellationError(f"{where}: {ACTORS[end].label} did not exist in {year}")
        key = (year, tie.pair)
        if key in seen:
            raise ConstellationError(f"{where}: a second row for the same pair in {year}")
        seen.add(key)
        ties.append(tie)
    return ties


def year_label(year: int) -> str:
    return YEAR_LABELS.get(year, str(year))


# ---------------------------------------------------------------------------------------------
# drawing

W, H = 760, 730
CX, CY, R = 380, 300, 200
NODE_R = 11


def _positions() -> dict[str, tuple[float, float]]:
    pos = {}
    for i, aid in enumerate(ORDER):
        angle = 2 * math.pi * i / len(ORDER)  # clockwise from the top
        pos[aid] = (CX + R * math.sin(angle), CY - R * math.cos(angle))
    return pos


POS = _positions()


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _line_attrs(style: Style) -> str:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    cap = ' stroke-linecap="round"' if style.dotted else ""
    return f'stroke="{style.colour}" stroke-width="{_f(style.width)}"{dash}{cap} fill="none"'


def _edge(tie: Tie) -> str:
    style = RELATIONS[tie.relation]
    (x1, y1), (x2, y2) = POS[tie.a], POS[tie.b]
    # shift the symbol a little along the line so crossing lines do not stack their symbols
    t = 0.42 if ORDER.index(tie.a) < ORDER.index(tie.b) else 0.58
    sx, sy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
    symbol = style.symbol + ("?" if tie.uncertain else "")
    bw = 16 + 7 * (len(symbol) - 1)
    title = (f"{ACTORS[tie.a].label} – {ACTORS[tie.b].label}: {style.label.lower()}"
             f"{' (uncertain)' if tie.uncertain else ''}. {tie.note} Source: {tie.source}")
    return (f'<g class="ttpfig-tie"><title>{escape(title)}</title>'
            f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" {_line_attrs(style)}/>'
            f'<rect x="{_f(sx - bw / 2)}" y="{_f(sy - 9)}" width="{bw}" height="18" rx="4" fill="#ffffff"'
            f' stroke="{style.colour}" stroke-width="1.5"/>'
            f'<text x="{_f(sx)}" y="{_f(sy + 5)}" text-anchor="middle" font-size="14" font-weight="700"'
            f' fill="{style.colour}">{escape(symbol)}</text></g>')


def _node(aid: str, active: bool, year: int) -> str:
    actor = ACTORS[aid]
    x, y = POS[aid]
    exists = actor.formed is None or year >= actor.formed
    fill = "#1a1a1a" if active else "#ffffff"
    dash = "" if exists else ' stroke-dasharray="3 3"'
    circle = (f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{NODE_R}" fill="{fill}" stroke="#1a1a1a"'
              f' stroke-width="2"{dash}/>')
    # label outside the circle, anchored away from the centre
    dx, dy = x - CX, y - CY
    dist = math.hypot(dx, dy) or 1.0
    lx, ly = x + dx / dist * (NODE_R + 9), y + dy / dist * (NODE_R + 9)
    anchor = "start" if dx > 20 else "end" if dx < -20 else "middle"
    if abs(dx) <= 20:
        ly += 12 if dy > 0 else -2
    else:
        ly += 5
    label = actor.label if exists else f"{actor.label} (formed {actor.formed})"
    return (f'{circle}<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}" font-size="15"'
            f' font-weight="{"700" if active else "400"}" fill="#1a1a1a">{escape(label)}</text>')


def _legend() -> str:
    parts = []
    x0, y0 = 40, 572
    parts.append(f'<text x="{x0}" y="{y0}" font-size="14" font-weight="700" fill="#1a1a1a">Key</text>')
    for i, style in enumerate(RELATIONS.values()):
        x, y = x0, y0 + 24 + i * 24
        parts.append(f'<line x1="{x}" y1="{y - 5}" x2="{x + 54}" y2="{y - 5}" {_line_attrs(style)}/>')
        parts.append(f'<rect x="{x + 19}" y="{y - 14}" width="16" height="18" rx="4" fill="#ffffff"'
                     f' stroke="{style.colour}" stroke-width="1.5"/>'
                     f'<text x="{x + 27}" y="{y}" text-anchor="middle" font-size="14" font-weight="700"'
                     f' fill="{style.colour}">{style.symbol}</text>')
        parts.append(f'<text x="{x + 66}" y="{y}" font-size="13" fill="#1a1a1a">'
                     f'<tspan font-weight="700">{style.label}</tspan>: {escape(style.meaning)}</text>')
    xr = x0 + 420
    parts.append(f'<circle cx="{xr + 8}" cy="{y0 + 19}" r="7" fill="#1a1a1a"/>'
                 f'<text x="{xr + 22}" y="{y0 + 24}" font-size="13" fill="#1a1a1a">actor with a documented tie</text>')
    parts.append(f'<circle cx="{xr + 8}" cy="{y0 + 43}" r="7" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>'
                 f'<text x="{xr + 22}" y="{y0 + 48}" font-size="13" fill="#1a1a1a">no tie documented in our sources</text>')
    parts.append(f'<text x="{xr}" y="{y0 + 72}" font-size="13" fill="#1a1a1a">? after a symbol: low confidence,</text>'
                 f'<text x="{xr}" y="{y0 + 88}" font-size="13" fill="#1a1a1a">uncertain.</text>')
    parts.append(f'<text x="{xr}" y="{y0 + 112}" font-size="13" fill="#1a1a1a">No line: not documented here,</text>'
                 f'<text x="{xr}" y="{y0 + 128}" font-size="13" fill="#1a1a1a">which is not "no relation".</text>')
    return "".join(parts)


def ties_for(ties: Iterable[Tie], year: int) -> list[Tie]:
    chosen = [t for t in ties if t.year == year]
    return sorted(chosen, key=lambda t: (list(RELATIONS).index(t.relation),
                                         ORDER.index(t.a), ORDER.index(t.b)))


def svg(ties: Sequence[Tie], year: int, *, standalone: bool = False) -> str:
    """The network for one year as SVG (inline in HTML unless ``standalone``)."""
    year_ties = ties_for(ties, year)
    active = {end for t in year_ties for end in (t.a, t.b)}
    counts = defaultdict(int)
    for t in year_ties:
        counts[t.relation] += 1
    summary = ", ".join(f"{n} {RELATIONS[r].label.lower()}" for r, n in counts.items())
    desc = "; ".join(f"{ACTORS[t.a].label}–{ACTORS[t.b].label}: {RELATIONS[t.relation].label.lower()}"
                     f"{' (uncertain)' if t.uncertain else ''}" for t in year_ties)
    missing = [ACTORS[a].label for a in ORDER if a not in active]
    if missing:
        desc += f". No documented tie for {', '.join(missing)}."
    sid = f"ttpfig-cst-{year}"
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [f'<svg{ns} class="ttpfig-svg" viewBox="0 0 {W} {H}" role="img"'
           f' aria-labelledby="{sid}-title {sid}-desc" font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif">',
           f'<title id="{sid}-title">Security constellation of the case, {escape(year_label(year))}:'
           f' {len(year_ties)} documented ties ({summary or "none"})</title>',
           f'<desc id="{sid}-desc">{escape(desc)}</desc>',
           f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>',
           f'<text x="20" y="30" font-size="18" font-weight="700" fill="#1a1a1a">'
           f'{escape(year_label(year))}</text>']
    out.extend(_edge(t) for t in year_ties)
    out.extend(_node(a, a in active, year) for a in ORDER)
    out.append(_legend())
    out.append("</svg>")
    return "".join(out)


def table(ties: Sequence[Tie], year: int) -> str:
    """The text alternative: the year's ties with what happened, the source and the confidence."""
    year_ties = ties_for(ties, year)
    active = {end for t in year_ties for end in (t.a, t.b)}
    rows = []
    for t in year_ties:
        style = RELATIONS[t.relation]
        conf = t.confidence + (" (uncertain)" if t.uncertain else "")
        rows.append(f"<tr><th scope=\"row\">{escape(ACTORS[t.a].label)} – {escape(ACTORS[t.b].label)}</th>"
                    f"<td>{style.symbol} {style.label}</td><td>{escape(t.note)}</td>"
                    f"<td>{escape(t.source)}</td><td>{escape(conf)}</td></tr>")
    missing = [ACTORS[a] for a in ORDER if a not in active]
    notes = []
    if missing:
        labels = ", ".join(a.label for a in missing)
        notes.append(f"No tie documented in our sources for: {escape(labels)}.")
    unformed = [a for a in ACTORS.values() if a.formed is not None and year < a.formed]
    for a in unformed:
        notes.append(f"{escape(a.label)} did not yet exist: {escape(a.formed_note)}.")
    foot = "".join(f"<p class=\"ttpfig-note\">{n}</p>" for n in notes)
    return (f'<details class="ttpfig-alt"><summary>Ties in {escape(year_label(year))} as a table, with sources'
            f' ({len(year_ties)} ties)</summary><div class="ttpfig-table-wrap"><table class="ttpfig-table">'
            f'<caption>Documented ties in {escape(year_label(year))}</caption>'
            f'<thead><tr><th scope="col">Tie</th><th scope="col">Relation</th><th scope="col">What happened</th>'
            f'<th scope="col">Source</th><th scope="col">Confidence</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>{foot}</details>')


def panel_html(ties: Sequence[Tie], year: int) -> str:
    return f'<div class="ttpfig-drawing" role="region" tabindex="0" aria-label="The drawing (scrolls sideways on a narrow screen)">{svg(ties, year)}</div>{table(ties, year)}'


CAPTION = ("Relations are the book's coding of documented episodes, not measurements; each has its "
           "source in the table. A missing line means our reference material documents no tie for "
           f"that pair in that year. The material stops on {CUTOFF_TEXT}.")


def html(ties: Sequence[Tie], years: Sequence[int]) -> str:
    panels = [Panel(str(y), year_label(y), f"Security constellation, {year_label(y)}", panel_html(ties, y))
              for y in years]
    return switcher("constellation", "Show the constellation in", panels,
                    checked=len(panels) - 1, caption=escape(CAPTION))


def _widget(ties: Sequence[Tie], years: Sequence[int]):
    import ipywidgets as w

    picker = w.ToggleButtons(options=[(YEAR_SHORT.get(y, str(y)), y) for y in years], value=years[-1],
                             description="Year", tooltips=[f"Show {year_label(y)}" for y in years])
    view = w.HTML(value=panel_html(ties, years[-1]))

    def redraw(change):
        view.value = panel_html(ties, change["new"])

    picker.observe(redraw, names="value")
    return w.VBox([picker, view, w.HTML(value=f'<p class="ttpfig-caption">{escape(CAPTION)}</p>')])


def security_constellation(years: Sequence[int] | None = None) -> FigureView:
    """Figure 1: the security constellation in each chosen year (default: every year in the data)."""
    ties = load_ties()
    available = sorted({t.year for t in ties})
    chosen = list(years) if years is not None else available
    unknown = [y for y in chosen if y not in available]
    if unknown:
        raise ValueError(f"no ties for year(s) {unknown}; the data cover {available}")
    text = "Security constellation of the case: " + ", ".join(year_label(y) for y in chosen)
    return FigureView(html=lambda: html(ties, chosen), widget=lambda: _widget(ties, chosen), text=text)
