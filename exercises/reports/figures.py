"""The report's pictures, drawn with matplotlib into inline SVG (no CDN, no script).

Each function returns ``(svg, alt)``: the SVG markup, with ids prefixed so that several figures
can share a page, and a one-sentence text alternative. The numbers behind every figure are also
in a table on the page and in a CSV file.
"""
from __future__ import annotations

import io
import re

from matplotlib import rcParams
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from . import stats as st
from .flags import LOW_DISCRIMINATION, VERY_EASY, VERY_HARD

INK, ACCENT, WARN, GRID = "#1a1a1a", "#1f5fa8", "#b3261e", "#c8c8c8"


def _svg(fig: Figure, prefix: str, alt: str) -> str:
    buf = io.StringIO()
    old = {k: rcParams[k] for k in ("svg.fonttype", "svg.hashsalt")}
    rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable, read by screen readers' tools
    rcParams["svg.hashsalt"] = prefix  # the same report gives the same bytes
    try:
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    finally:
        rcParams.update(old)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})", text)
    text = re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{prefix}-{m.group(1)}"', text)
    head, rest = text.split(">", 1)
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    alt_attr = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'{head} role="img" aria-label="{alt_attr}" class="figure-svg">{rest}'


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, facecolor="white")
    fig.set_layout_engine("constrained")
    return fig


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=INK, labelsize=9)
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def score_histogram(test: dict) -> tuple[str, str]:
    bins = test["histogram"]
    fig = _figure(6.4, 3.0)
    ax = fig.add_subplot()
    _style(ax)
    lefts = [100 * b["from"] for b in bins]
    ax.bar(lefts, [b["count"] for b in bins], width=10, align="edge", color=ACCENT, edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (% of the points)", color=INK)
    ax.set_ylabel("students", color=INK)
    peak = max(bins, key=lambda b: b["count"]) if bins else None
    alt = f"Histogram of the scores of {test['n']} students in bins of 10 percentage points"
    if peak and peak["count"]:
        alt += f"; the most common bin is {100 * peak['from']:.0f}-{100 * peak['to']:.0f} % ({peak['count']} students)"
    if st.is_number(test.get("median")):
        alt += f"; the median is {100 * test['median']:.0f} %"
    return _svg(fig, "hist", alt + "."), alt + "."


def item_map(items: list[dict]) -> tuple[str, str]:
    """Facility (x) against discrimination (y), one labelled point per item; flagged items are
    drawn as red triangles (shape and colour, not colour alone)."""
    fig = _figure(6.4, 4.2)
    ax = fig.add_subplot()
    _style(ax)
    shown = [it for it in items if st.is_number(it["facility"]) and st.is_number(it["item_rest"])]
    ok = [it for it in shown if not it["flags"]]
    bad = [it for it in shown if it["flags"]]
    ax.axhspan(-1, LOW_DISCRIMINATION, color="#f6e3e1", zorder=0)
    ax.axvline(VERY_HARD, color=WARN, linestyle="--", linewidth=0.8)
    ax.axvline(VERY_EASY, color=WARN, linestyle="--", linewidth=0.8)
    ax.scatter([it["facility"] for it in ok], [it["item_rest"] for it in ok], marker="o", s=36, color=ACCENT,
               label="no flag", zorder=3)
    ax.scatter([it["facility"] for it in bad], [it["item_rest"] for it in bad], marker="^", s=56, color=WARN,
               label="flagged", zorder=3)
    for it in shown:
        ax.annotate(it["label"], (it["facility"], it["item_rest"]), textcoords="offset points", xytext=(4, 3),
                    fontsize=8, color=INK)
    low = min([it["item_rest"] for it in shown] + [-0.1])
    ax.set_xlim(0, 1.05)
    ax.set_ylim(min(-0.1, low - 0.05), 1.0)
    ax.set_xlabel("facility (share of the points earned)", color=INK)
    ax.set_ylabel("discrimination (item-rest r)", color=INK)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    alt = (f"Item map: {len(shown)} items placed by facility and discrimination; {len(bad)} flagged"
           + (f" ({', '.join(it['label'] for it in bad)})" if bad else "")
           + ". The shaded band marks low discrimination, the dashed lines very hard and very easy.")
    if not shown:
        alt = "Item map: no item has enough responses to be placed."
    return _svg(fig, "map", alt), alt


def mastery_chart(rows: list[dict], what: str, prefix: str) -> tuple[str, str]:
    shown = [r for r in rows if st.is_number(r["mastery"])]
    fig = _figure(6.4, 0.5 + 0.42 * max(1, len(shown)))
    ax = fig.add_subplot()
    _style(ax)
    labels = [r["id"] for r in shown][::-1]
    values = [100 * r["mastery"] for r in shown][::-1]
    ax.barh(labels, values, color=ACCENT, height=0.6)
    for y, v in enumerate(values):
        ax.text(min(v + 1, 92), y, f"{v:.0f} %", va="center", fontsize=8, color=INK)
    ax.set_xlim(0, 100)
    ax.set_xlabel("class mastery (% of the points earned)", color=INK)
    if shown:
        weakest = min(shown, key=lambda r: r["mastery"])
        alt = (f"Bar chart of class mastery for {len(shown)} {what}; the lowest is {weakest['id']} at "
               f"{100 * weakest['mastery']:.0f} %.")
    else:
        alt = f"Bar chart of class mastery per {what}: not enough responses to draw it."
    return _svg(fig, prefix, alt), alt
