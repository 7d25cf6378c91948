"""The borderland map: an accessible inline SVG of Afghanistan, Pakistan and their neighbours.

Pure Python, no network: country outlines come from ``data/borders.geojson`` (Natural Earth,
public domain; made once by ``scripts/make_borders_geojson.py``) and the places from
``data/places.csv``. The projection is a simple equirectangular one with its standard parallel in
the middle of the frame, which is accurate enough for a region of this size.

    from casebook.maps import border_map
    border_map()            # displays as text/html in a notebook and on the static site

The figure carries its own text alternative: the SVG has a title and description, and a table of
every place (with coordinates, confidence and source) follows it. Places whose position is not
confirmed are left off the map and say so in the table; representative points are drawn with a
dashed ring and labelled approximate.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from html import escape
from importlib import resources
from itertools import count
from urllib.parse import urlparse

from . import datasets

#: the files of assets/ a page showing the map links (see sphinx_assets)
ASSETS = ("map.css",)

# Frame of the map: lon_min, lat_min, lon_max, lat_max (degrees).
EXTENT = (60.0, 27.8, 76.0, 38.8)
WIDTH = 960.0  # SVG user units; the figure scales to its container

# Short labels and label placement (dx, dy in user units from the symbol; text-anchor).
LABELS = {
    "Kabul": ("Kabul", -9, -6, "end"),
    "Islamabad": ("Islamabad", 9, 4, "start"),
    "Peshawar": ("Peshawar", 9, 12, "start"),
    "Quetta": ("Quetta", 9, 5, "start"),
    "Torkham": ("Torkham", -8, 14, "end"),
    "Chaman": ("Chaman", 9, 10, "start"),
    "Spin Boldak": ("Spin Boldak", -9, -3, "end"),
    "Angoor Adda (Angur Ada)": ("Angoor Adda", -3, 23, "end"),
    "Chitral": ("Chitral", 9, 4, "start"),
    "Khost": ("Khost", -9, -4, "end"),
    "Paktika": ("Paktika (approx.)", -15, 4, "end"),
    "Bajaur": ("Bajaur", 9, -3, "start"),
    "North Waziristan (Miranshah, district HQ)": ("Miranshah (N. Waziristan)", 9, 4, "start"),
    "South Waziristan (Wana, HQ)": ("Wana (S. Waziristan)", 9, 12, "start"),
}

# Country name labels (lon, lat) placed by hand inside the frame.
COUNTRY_LABELS = [
    ("AFGHANISTAN", 65.0, 33.7, "bmap-country bmap-country-focus"),
    ("PAKISTAN", 69.6, 29.2, "bmap-country bmap-country-focus"),
    ("IRAN", 60.9, 31.8, "bmap-country"),
    ("TURKMENISTAN", 61.6, 37.9, "bmap-country"),
    ("UZBEKISTAN", 66.3, 38.45, "bmap-country"),
    ("TAJIKISTAN", 70.0, 38.45, "bmap-country"),
    ("CHINA", 75.3, 38.2, "bmap-country"),
    ("INDIA", 75.3, 31.2, "bmap-country"),
]

SYMBOLS = {  # kind -> legend text
    "capital": "National capital",
    "city": "City or town",
    "crossing": "Border crossing",
    "district": "District headquarters",
    "approximate": "Approximate point (province)",
}

SOURCE_NOTE = (
    "Country outlines: Natural Earth 1:50m Admin 0 countries v4.1.0 (public domain), via the "
    "world-atlas package. Places: the book's data file places.csv (coordinates from Wikipedia "
    "infoboxes as listed per place). Boundaries are Natural Earth's de facto lines and imply no "
    "judgement on disputed territory, including Kashmir and the Durand Line itself, which "
    "Afghanistan does not recognise as an international border."
)

_ids = count(1)


@dataclass(frozen=True)
class Place:
    name: str
    label: str
    feature_type: str
    lat: float | None
    lon: float | None
    confidence: str
    source: str
    source_url: str
    notes: str

    @property
    def mapped(self) -> bool:
        """Only places with confirmed coordinates are drawn."""
        return self.lat is not None and self.lon is not None and self.confidence != "not confirmed"

    @property
    def approximate(self) -> bool:
        """A representative point (a province) or a medium-confidence position."""
        return self.mapped and (self.confidence == "medium" or self.feature_type.startswith("province"))

    @property
    def kind(self) -> str:
        if self.approximate:
            return "approximate"
        ft = self.feature_type.lower()
        if "capital, afghanistan" in ft or "capital, pakistan" in ft:
            return "capital"
        if "crossing" in ft:
            return "crossing"
        if "district" in ft:
            return "district"
        return "city"


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _float(value) -> float | None:
    text = _text(value).strip()
    return float(text) if text else None


def load_places() -> list[Place]:
    """Every row of places.csv, in file order."""
    df = datasets.load("places")
    places = []
    for row in df.to_dict("records"):
        name = _text(row["place"])
        places.append(Place(
            name=name,
            label=LABELS.get(name, (name,))[0],
            feature_type=_text(row["feature_type"]),
            lat=_float(row["lat"]),
            lon=_float(row["lon"]),
            confidence=_text(row["confidence"]).strip(),
            source=_text(row["source"]),
            source_url=_text(row["source_url"]),
            notes=_text(row["notes"]),
        ))
    return places


def load_borders() -> dict:
    """The GeoJSON FeatureCollection of country outlines and the Durand Line."""
    handle = resources.files("casebook") / "data" / "borders.geojson"
    return json.loads(handle.read_text(encoding="utf-8"))


def line_length_km(coordinates: list[list[float]]) -> float:
    """Great-circle length of a polyline of (lon, lat) points, in kilometres."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(coordinates, coordinates[1:]):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
        h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
        total += 2 * 6371.0088 * math.asin(math.sqrt(h))
    return total


def durand_line_length_km() -> float:
    """Length of the Afghanistan-Pakistan boundary as drawn in the 1:50m outlines."""
    for feature in load_borders()["features"]:
        if feature["properties"].get("name") == "Durand Line":
            return line_length_km(feature["geometry"]["coordinates"])
    raise LookupError("no Durand Line feature in borders.geojson")


class Projection:
    """Equirectangular projection of EXTENT onto a WIDTH-wide SVG user space."""

    def __init__(self, extent=EXTENT, width=WIDTH):
        self.lon0, self.lat0, self.lon1, self.lat1 = extent
        self.k = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        self.scale = width / ((self.lon1 - self.lon0) * self.k)  # user units per degree of latitude
        self.width = width
        self.height = (self.lat1 - self.lat0) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.k * self.scale, (self.lat1 - lat) * self.scale

    def km(self, distance: float) -> float:
        """User units for a distance in km along the standard parallel."""
        return distance / 111.32 * self.scale


def _path(rings, proj: Projection) -> str:
    parts = []
    for ring in rings:
        pts = [proj(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def _polyline(coords, proj: Projection) -> str:
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in (proj(lon, lat) for lon, lat in coords))


def _symbol(kind: str, x: float, y: float) -> str:
    """One place symbol; shapes differ so that colour is never the only cue."""
    if kind == "capital":
        return (f'<rect class="bmap-sym bmap-sym-capital" x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" '
                'fill="#1f1f1f" stroke="#ffffff" stroke-width="1.5"/>')
    if kind == "crossing":
        return (f'<path class="bmap-sym bmap-sym-crossing" d="M{x:.1f},{y - 7:.1f}L{x + 7:.1f},{y:.1f}'
                f'L{x:.1f},{y + 7:.1f}L{x - 7:.1f},{y:.1f}Z" fill="#b3261e" stroke="#ffffff" stroke-width="1.5"/>')
    if kind == "district":
        return (f'<path class="bmap-sym bmap-sym-district" d="M{x:.1f},{y - 6:.1f}L{x + 6:.1f},{y + 5:.1f}'
                f'L{x - 6:.1f},{y + 5:.1f}Z" fill="#2d5e8e" stroke="#ffffff" stroke-width="1.5"/>')
    if kind == "approximate":
        return (f'<circle class="bmap-sym bmap-sym-approx" cx="{x:.1f}" cy="{y:.1f}" r="11" fill="none" '
                'stroke="#1f1f1f" stroke-width="1.5" stroke-dasharray="3 3"/>'
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#1f1f1f"/>')
    return (f'<circle class="bmap-sym bmap-sym-city" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#1f1f1f" '
            'stroke="#ffffff" stroke-width="1.5"/>')


def _graticule(proj: Projection) -> list[str]:
    lon0, lat0, lon1, lat1 = EXTENT
    meridians = [(lon, proj(lon, lat0)[0]) for lon in range(math.ceil(lon0 / 2) * 2, int(lon1) + 1, 2)]
    parallels = [(lat, proj(lon0, lat)[1]) for lat in range(math.ceil(lat0 / 2) * 2, int(lat1) + 1, 2)]
    out = ['<g class="bmap-graticule" stroke="#9aa5b1" stroke-width="0.5" stroke-opacity="0.6" fill="none">']
    out += [f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{proj.height:.1f}"/>' for _, x in meridians]
    out += [f'<line x1="0" y1="{y:.1f}" x2="{proj.width:.1f}" y2="{y:.1f}"/>' for _, y in parallels]
    out.append("</g>")
    out.append('<g class="bmap-graticule-labels" font-size="11" fill="#5b6670" aria-hidden="true">')
    out += [f'<text x="{x + 3:.1f}" y="{proj.height - 4:.1f}">{lon}°E</text>' for lon, x in meridians]
    out += [f'<text x="4" y="{y - 3:.1f}">{lat}°N</text>' for lat, y in parallels]
    out.append("</g>")
    return out


def _legend(x: float, y: float) -> list[str]:
    rows = [("durand", "Durand Line (Afghanistan–Pakistan)"), ("boundary", "Other international boundary")]
    rows += list(SYMBOLS.items())
    h = 24 + 21 * len(rows)
    out = [f'<g class="bmap-legend" transform="translate({x:.1f},{y:.1f})">',
           f'<rect width="300" height="{h}" rx="4" fill="#ffffff" fill-opacity="0.92" stroke="#8a8a8a" stroke-width="0.8"/>',
           '<text x="10" y="18" font-size="13" font-weight="bold" fill="#1f1f1f">Key</text>']
    for i, (kind, text) in enumerate(rows):
        cy = 36 + 21 * i
        if kind == "durand":
            out.append(f'<line x1="10" y1="{cy}" x2="38" y2="{cy}" stroke="#b3261e" stroke-width="3.5"/>')
        elif kind == "boundary":
            out.append(f'<line x1="10" y1="{cy}" x2="38" y2="{cy}" stroke="#6b6b6b" stroke-width="1.2"/>')
        else:
            out.append(_symbol(kind, 24, cy))
        out.append(f'<text x="48" y="{cy + 4}" font-size="12.5" fill="#1f1f1f">{escape(text)}</text>')
    out.append("</g>")
    return out


def _scale_bar(proj: Projection, x: float, y: float, km: int = 200) -> list[str]:
    w = proj.km(km)
    return [
        f'<g class="bmap-scale" transform="translate({x:.1f},{y:.1f})" aria-hidden="true">',
        f'<rect x="-6" y="-20" width="{w + 44:.1f}" height="34" rx="3" fill="#ffffff" fill-opacity="0.85"/>',
        f'<path d="M0,0V6H{w:.1f}V0" fill="none" stroke="#1f1f1f" stroke-width="1.5"/>',
        '<text x="0" y="-6" font-size="11.5" fill="#1f1f1f">0</text>',
        f'<text x="{w:.1f}" y="-6" font-size="11.5" fill="#1f1f1f" text-anchor="middle">{km} km</text>',
        "</g>",
    ]


def render_svg(places: list[Place] | None = None, borders: dict | None = None, *, uid: str = "bmap-1") -> str:
    """The map as a standalone, accessible ``<svg>`` element."""
    places = load_places() if places is None else places
    borders = load_borders() if borders is None else borders
    proj = Projection()
    w, h = proj.width, proj.height
    mapped = [p for p in places if p.mapped]
    title_id, desc_id = f"{uid}-title", f"{uid}-desc"
    desc = (
        "Map of Afghanistan, Pakistan and their neighbours, with the Durand Line drawn in red. "
        f"It marks {len(mapped)} places: "
        + "; ".join(f"{p.label}{' (approximate)' if p.approximate else ''}" for p in mapped)
        + ". The table after the map lists every place with its coordinates."
    )
    out = [
        f'<svg class="bmap-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="system-ui, -apple-system, \'Segoe UI\', sans-serif">',
        f'<title id="{title_id}">The Afghanistan–Pakistan borderland</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<defs><clipPath id="{uid}-clip"><rect width="{w:.0f}" height="{h:.0f}"/></clipPath></defs>',
        f'<rect class="bmap-bg" width="{w:.0f}" height="{h:.0f}" fill="#f7f7f4"/>',
        f'<g clip-path="url(#{uid}-clip)">',
    ]
    fills = {"Afghanistan": "#f1dfb6", "Pakistan": "#d3e6c9"}
    for feature in borders["features"]:
        props, geom = feature["properties"], feature["geometry"]
        if props.get("kind") != "country":
            continue
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        d = "".join(_path(rings, proj) for rings in polys)
        fill = fills.get(props["name"], "#e6e4de")
        out.append(f'<path class="bmap-land" d="{d}" fill="{fill}" stroke="#6b6b6b" stroke-width="1.2" '
                   f'stroke-linejoin="round" fill-rule="evenodd"><title>{escape(props["name"])}</title></path>')
    out.extend(_graticule(proj))
    for feature in borders["features"]:
        if feature["properties"].get("name") == "Durand Line":
            d = _polyline(feature["geometry"]["coordinates"], proj)
            out.append(f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="7" stroke-linejoin="round" stroke-opacity="0.8"/>')
            out.append(f'<path class="bmap-durand" d="{d}" fill="none" stroke="#b3261e" stroke-width="3.5" '
                       'stroke-linejoin="round"><title>Durand Line (not recognised by Afghanistan)</title></path>')
    out.append("</g>")
    halo = 'stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round" paint-order="stroke"'
    out.append('<g class="bmap-countries" aria-hidden="true">')
    for name, lon, lat, cls in COUNTRY_LABELS:
        x, y = proj(lon, lat)
        focus = "focus" in cls
        out.append(f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" '
                   f'font-size="{19 if focus else 13}" letter-spacing="{3 if focus else 2}" '
                   f'fill="{"#3d3d3d" if focus else "#6b6b6b"}" {halo}>{name}</text>')
    x, y = proj(63.2, 29.75)
    out.append(f'<text class="bmap-durand-label" x="{x:.1f}" y="{y:.1f}" font-size="13" font-style="italic" '
               f'fill="#b3261e" {halo}>Durand Line</text>')
    out.append("</g>")
    out.append('<g class="bmap-places">')
    for p in mapped:
        x, y = proj(p.lon, p.lat)
        _, dx, dy, anchor = LABELS.get(p.name, (p.label, 9, 4, "start"))
        tip = f"{p.label}: {p.lat:.3f}°N, {p.lon:.3f}°E" + (" (approximate)" if p.approximate else "")
        approx = ' data-approximate="true"' if p.approximate else ""
        out.append(f'<g class="bmap-place bmap-place-{p.kind}" data-place="{escape(p.name)}"{approx}>'
                   f'<title>{escape(tip)}</title>{_symbol(p.kind, x, y)}'
                   f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" font-size="13" '
                   f'fill="#1f1f1f" {halo}>{escape(p.label)}</text></g>')
    out.append("</g>")
    out.extend(_legend(w - 300 - 12, h - (24 + 21 * 7) - 24))
    out.extend(_scale_bar(proj, 20, h - 40))
    out.append("</svg>")
    return "".join(out)


def _link(url: str) -> str:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return escape(url)
    host = urlparse(url).netloc.removeprefix("www.")
    return f'<a href="{escape(url)}" rel="noopener">{escape(host)}</a>'


def render_table(places: list[Place] | None = None, *, uid: str = "bmap-1") -> str:
    """The text alternative: every place with its coordinates, status, confidence and source."""
    places = load_places() if places is None else places
    rows = []
    for p in places:
        if not p.mapped:
            shown = "Not mapped: coordinates not confirmed"
            coords = "—"
        else:
            shown = "Yes, approximate (representative point)" if p.approximate else "Yes"
            coords = f"{p.lat:.3f}, {p.lon:.3f}"
        note = f"<br><span class=\"bmap-note\">{escape(p.notes)}</span>" if p.notes else ""
        rows.append(
            f'<tr data-place="{escape(p.name)}"><th scope="row">{escape(p.name)}</th>'
            f"<td>{escape(p.feature_type)}</td><td class=\"bmap-coords\">{coords}</td>"
            f"<td>{shown}<br><span class=\"bmap-note\">Confidence: {escape(p.confidence)}</span></td>"
            f"<td>{escape(p.source)} ({_link(p.source_url)}){note}</td></tr>"
        )
    return (
        f'<div class="bmap-table-wrap" role="region" aria-labelledby="{uid}-table-caption" tabindex="0">'
        f'<table class="bmap-table" id="{uid}-table">'
        f'<caption id="{uid}-table-caption">Places on the map, with coordinates in decimal degrees (WGS84)</caption>'
        "<thead><tr><th scope=\"col\">Place</th><th scope=\"col\">Type</th>"
        "<th scope=\"col\">Latitude °N, longitude °E</th><th scope=\"col\">On the map</th>"
        "<th scope=\"col\">Source and notes</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def render_figure(*, uid: str | None = None) -> str:
    """The whole figure: SVG, caption with sources, and the table as its text alternative."""
    uid = uid or f"bmap-{next(_ids)}"
    places = load_places()
    svg = render_svg(places, uid=uid)
    caption = (
        "<strong>The Afghanistan–Pakistan borderland.</strong> The Durand Line (red) with the "
        "crossings, towns and districts that recur in the case chapters. Square: national capital; "
        "circle: city or town; diamond: border crossing; triangle: district headquarters; dashed ring: "
        "approximate representative point. Ghulam Khan crossing is not drawn because its coordinates "
        "could not be confirmed. Frame 60–76°E, 27.8–38.8°N (southern Pakistan lies outside it), "
        "equirectangular projection. " + escape(SOURCE_NOTE)
    )
    return (
        f'<figure class="bmap" id="{uid}" aria-describedby="{uid}-caption">'
        f'<div class="bmap-canvas" role="region" tabindex="0" aria-label="The map (scrolls sideways on a narrow screen)">{svg}</div>'
        f'<figcaption id="{uid}-caption">{caption}</figcaption>'
        "</figure>"
        f'<details class="bmap-alt"><summary>Text alternative: table of the places on the map, with '
        f"coordinates and sources</summary>{render_table(places, uid=uid)}</details>"
    )


class BorderMap:
    """Displayable map; its ``text/html`` works in notebooks and on the static site alike."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return "BorderMap(Afghanistan–Pakistan borderland; see the HTML view)"


def border_map(*, uid: str | None = None) -> BorderMap:
    """The borderland map with its caption and text alternative, ready to display."""
    return BorderMap(render_figure(uid=uid))
