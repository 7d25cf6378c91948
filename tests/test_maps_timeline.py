"""The borderland map (casebook/maps.py) and the case timeline (casebook/timeline.py)."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from casebook import datasets, maps, timeline

ASSETS = Path(str(resources.files("casebook") / "assets"))
GEOJSON = Path(str(resources.files("casebook") / "data" / "borders.geojson"))


class Elements(HTMLParser):
    """Collects (tag, attrs) for every start tag, and the text, of an HTML fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def with_attr(self, name: str, value: str | None = None):
        return [a for _, a in self.tags if name in a and (value is None or a[name] == value)]


def remote_resources(html: str) -> list[str]:
    """Everything an HTML fragment would *load* from http(s). Plain <a href> links are not loads."""
    found = []
    for tag, attrs in Elements(html).tags:
        for key in ("src", "srcset", "data", "poster", "xlink:href"):
            if re.match(r"\s*(https?:)?//", attrs.get(key, "")):
                found.append(f"<{tag} {key}={attrs[key]}>")
        if tag in ("link", "use", "image", "script", "iframe") and re.match(r"\s*(https?:)?//", attrs.get("href", "")):
            found.append(f"<{tag} href={attrs['href']}>")
        if re.search(r"url\(\s*['\"]?(https?:)?//", attrs.get("style", "")):
            found.append(f"<{tag} style=...>")
    found += re.findall(r"@import\s+url\(\s*['\"]?https?://[^)]*\)", html)
    return found


# --------------------------------------------------------------------------- the GeoJSON


def test_borders_geojson_is_small():
    assert GEOJSON.stat().st_size < 300 * 1024


def test_borders_geojson_has_both_countries_and_the_durand_line():
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    names = {f["properties"]["name"]: f for f in data["features"]}
    assert {"Afghanistan", "Pakistan", "Durand Line"} <= set(names)
    assert names["Afghanistan"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert names["Pakistan"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert names["Durand Line"]["geometry"]["type"] == "LineString"
    assert "Natural Earth" in data["metadata"]["source"] and "public domain" in data["metadata"]["source"]


def test_durand_line_runs_from_the_iran_tripoint_to_the_china_tripoint():
    line = next(f for f in maps.load_borders()["features"] if f["properties"]["name"] == "Durand Line")
    (lon0, lat0), (lon1, lat1) = line["geometry"]["coordinates"][0], line["geometry"]["coordinates"][-1]
    assert 60 < lon0 < 62 and 29 < lat0 < 31      # Iran-Afghanistan-Pakistan
    assert 74 < lon1 < 75.5 and 36.5 < lat1 < 37.5  # China-Afghanistan-Pakistan


def test_generalised_durand_line_is_shorter_than_every_published_figure():
    # The chapter and border_ex1 say "about 2,050 km": keep them honest.
    length = maps.durand_line_length_km()
    assert 2000 < length < 2100
    assert length < 2200


# --------------------------------------------------------------------------- the map


@pytest.fixture(scope="module")
def figure_html() -> str:
    return maps.border_map(uid="bmap-test").html


def test_every_mapped_place_is_drawn_and_every_place_is_in_the_table(figure_html):
    places = maps.load_places()
    assert len(places) == len(datasets.load("places"))
    drawn = {a["data-place"] for a in Elements(figure_html).with_attr("data-place") if "class" in a and "bmap-place" in a["class"]}
    rows = {a["data-place"] for tag, a in Elements(figure_html).tags if tag == "tr" and "data-place" in a}
    assert rows == {p.name for p in places}
    assert drawn == {p.name for p in places if p.mapped}


def test_unconfirmed_place_is_left_off_the_map_and_says_why(figure_html):
    ghulam = next(p for p in maps.load_places() if p.name == "Ghulam Khan")
    assert not ghulam.mapped
    svg = figure_html[figure_html.index("<svg"):figure_html.index("</svg>")]
    assert "Ghulam Khan" not in svg
    row = re.search(r'<tr data-place="Ghulam Khan">.*?</tr>', figure_html).group(0)
    assert "not confirmed" in row.lower()


def test_approximate_places_are_marked_on_the_map_and_in_the_table(figure_html):
    approx = [p for p in maps.load_places() if p.approximate]
    assert [p.name for p in approx] == ["Paktika"]
    marked = {a["data-place"] for a in Elements(figure_html).with_attr("data-approximate", "true")}
    assert marked == {"Paktika"}
    svg = figure_html[figure_html.index("<svg"):figure_html.index("</svg>")]
    assert "Paktika (approx.)" in svg and "stroke-dasharray" in svg
    row = re.search(r'<tr data-place="Paktika">.*?</tr>', figure_html).group(0)
    assert "approximate" in row


def test_map_is_accessible(figure_html):
    svg = Elements(figure_html).tags
    root = next(a for t, a in svg if t == "svg")
    assert root["role"] == "img"
    ids = root["aria-labelledby"].split()
    assert all(f'id="{i}"' in figure_html for i in ids)
    assert "<title" in figure_html and "<desc" in figure_html
    assert "<figcaption" in figure_html and "Natural Earth" in figure_html
    assert '<table class="bmap-table"' in figure_html and "<caption" in figure_html
    assert "Key" in figure_html  # the legend


def test_map_loads_nothing_from_the_network(figure_html):
    assert remote_resources(figure_html) == []


def test_projection_puts_the_frame_corners_at_the_svg_corners():
    proj = maps.Projection()
    lon0, lat0, lon1, lat1 = maps.EXTENT
    assert proj(lon0, lat1) == pytest.approx((0, 0))
    assert proj(lon1, lat0) == pytest.approx((proj.width, proj.height))


# --------------------------------------------------------------------------- the timeline


@pytest.mark.parametrize("raw, start, label, approximate", [
    ("1893-11-12", date(1893, 11, 12), "12 Nov 1893", False),
    ("1919", date(1919, 1, 1), "1919", True),
    ("1979-12", date(1979, 12, 1), "December 1979", True),
    ("2021-08-15/16", date(2021, 8, 15), "15–16 Aug 2021", False),
    ("2022-12 (late)", date(2022, 12, 20), "Late December 2022", True),
    ("late 2025 (date not confirmed)", date(2025, 12, 1), "Late 2025 (date not confirmed)", True),
    ("2026-04-01/07", date(2026, 4, 1), "1–7 Apr 2026", False),
])
def test_parse_date_reads_every_form_in_the_csv(raw, start, label, approximate):
    got = timeline.parse_date(raw)
    assert (got[0], got[1], got[3]) == (start, label, approximate)


def test_parse_date_rejects_what_it_cannot_read():
    with pytest.raises(timeline.TimelineError):
        timeline.parse_date("sometime in the 1990s")


def test_every_csv_row_becomes_an_event_in_date_order():
    events = timeline.load_events()
    assert len(events) == len(datasets.load("timeline"))
    starts = [e.start for e in events]
    assert starts == sorted(starts)
    assert events[0].raw_date == "1893-11-12"
    assert max(starts) <= timeline.CUTOFF


def test_every_category_belongs_to_exactly_one_theme():
    cats = set(datasets.load("timeline")["category"])
    for cat in cats:
        assert sum(cat in members for _, members in timeline.THEMES.values()) == 1, cat
    with pytest.raises(timeline.TimelineError):
        timeline.theme_of("astrology")


@pytest.fixture(scope="module")
def timeline_html() -> str:
    return timeline.timeline(uid="tl-test")._repr_html_()


def test_every_event_is_rendered_with_its_date_and_text(timeline_html):
    events = timeline.load_events()
    items = re.findall(r'<li class="tl-event.*?</details></li>', timeline_html, flags=re.S)
    assert len(items) == len(events)
    for event, item in zip(events, items):
        assert f'datetime="{event.datetime}"' in item
        assert timeline.escape(event.event) in item


def test_every_event_shows_its_source_actors_category_and_confidence(timeline_html):
    items = re.findall(r'<li class="tl-event.*?</details></li>', timeline_html, flags=re.S)
    for event, item in zip(timeline.load_events(), items):
        source = re.search(r'<details class="tl-source">.*</details>', item, flags=re.S).group(0)
        assert timeline.escape(event.source_title) in source
        for url in event.sources:
            assert timeline.escape(url) in source
        assert timeline.escape(event.actors) in item
        assert timeline.escape(event.category) in item
        assert timeline.escape(event.confidence) in item


def test_low_confidence_events_are_labelled_uncertain(timeline_html):
    uncertain = [e for e in timeline.load_events() if e.uncertain]
    assert {e.raw_date for e in uncertain} == {"2021-08-15/16", "late 2025 (date not confirmed)"}
    for e in uncertain:
        item = re.search(rf'id="tl-test-{e.slug}".*?</li>', timeline_html, flags=re.S).group(0)
        assert "Uncertain" in item


def test_timeline_is_a_real_list_readable_without_javascript(timeline_html):
    tags = Elements(timeline_html).tags
    assert ("ol", {"class": "tl-list", "id": "tl-test-list"}) in tags
    controls = next(a for t, a in tags if a.get("class") == "tl-controls")
    assert "hidden" in controls  # revealed only by timeline.js
    events = [a for t, a in tags if t == "li" and "tl-event" in a.get("class", "")]
    assert not any("hidden" in a for a in events)
    assert "8 April 2026" in timeline_html


def test_timeline_loads_nothing_from_the_network(timeline_html):
    assert remote_resources(timeline_html) == []
    css = (ASSETS / "timeline.css").read_text() + (ASSETS / "map.css").read_text()
    assert not re.search(r"url\(|@import", css)
    js = (ASSETS / "timeline.js").read_text()
    assert not re.search(r"fetch\(|XMLHttpRequest|https?://|import\s", js)


def test_filtered_view_keeps_only_its_dates_and_themes():
    view = timeline.timeline(start="2021-08-15", end="2022-12-31")
    assert view.events and all(date(2021, 8, 15) <= e.start <= date(2022, 12, 31) for e in view.events)
    violence = timeline.timeline(themes=["violence"])
    assert violence.events and {e.theme for e in violence.events} == {"violence"}
    with pytest.raises(ValueError):
        timeline.timeline(themes=["gossip"])


def test_default_ids_are_stable_and_distinct():
    assert timeline.timeline().uid == timeline.timeline().uid
    assert timeline.timeline().uid != timeline.timeline(start="2023-01-01").uid


def test_mime_bundle_has_html_and_widget_views():
    bundle = timeline.timeline(uid="tl-bundle")._repr_mimebundle_()
    assert "text/html" in bundle and "tl-bundle" in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "8 April 2026" in bundle["text/plain"]


def test_widget_filters_redraw_the_list():
    view = timeline.timeline(uid="tl-widget")
    box = view.widget
    theme, period = box.children[0].children
    body = box.children[1]
    assert body.value.count('class="tl-event') == len(view.events)
    theme.value = "talks"
    n_talks = sum(e.theme == "talks" for e in view.events)
    assert body.value.count('class="tl-event') == n_talks
    period.value = "p1893"
    assert body.value.count('class="tl-event') == sum(e.theme == "talks" and e.period == "p1893" for e in view.events)
    assert "<style>" in body.value  # the widget carries its own CSS into JupyterLab


def test_timeline_js_is_valid_javascript():
    subprocess.run(["node", "--check", str(ASSETS / "timeline.js")], check=True)



def test_timeline_filters_work_by_keyboard_in_a_real_browser(tmp_path, timeline_html, page):
    page_file = tmp_path / "timeline.html"
    page_file.write_text(
        "<!doctype html><meta charset=utf-8><style>" + (ASSETS / "timeline.css").read_text()
        + "</style><body>" + timeline_html + "<script>" + (ASSETS / "timeline.js").read_text() + "</script>",
        encoding="utf-8",
    )
    total = len(timeline.load_events())
    page.goto(page_file.as_uri())
    assert page.locator(".tl-controls").is_visible()
    assert page.locator("li.tl-event:visible").count() == total
    page.locator(".tl-themes input").first.focus()
    page.keyboard.press("Space")  # hide the first theme
    hidden_theme = page.locator(".tl-themes input").first.get_attribute("value")
    shown = sum(e.theme != hidden_theme for e in timeline.load_events())
    assert page.locator("li.tl-event:visible").count() == shown
    assert f"Showing {shown} of {total}" in page.locator(".tl-status").inner_text()
    page.locator("select.tl-period-select").select_option("p2025")
    assert page.locator("li.tl-event:visible").count() == sum(
        e.theme != hidden_theme and e.period == "p2025" for e in timeline.load_events())
    page.locator("button.tl-expand").focus()
    page.keyboard.press("Enter")
    assert page.locator("li.tl-event:visible details:not([open])").count() == 0
    page.locator("button.tl-reset").click()
    assert page.locator("li.tl-event:visible").count() == total
    assert page.console_errors == [] and page.blocked_requests == []
