"""Make book/data/borders.geojson: the country outlines behind the borderland map.

Source: Natural Earth 1:50m Admin 0 countries, version 4.1.0 (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as redistributed in TopoJSON by the
npm package world-atlas 2.0.2 (ISC licence, Mike Bostock). Run once, by hand; the book never
fetches anything at build or run time:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_borders_geojson.py /tmp/package/countries-50m.json

What it writes: one Polygon/MultiPolygon feature per country in the region (Afghanistan and
Pakistan whole; the neighbours clipped to a box around them), plus one LineString feature for the
boundary arc that Afghanistan and Pakistan share in Natural Earth: the Durand Line. Coordinates are
rounded to 3 decimals (about 100 m), ample for a page-sized map and it keeps the file small.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

# Countries drawn, by ISO 3166-1 numeric code as used in world-atlas.
COUNTRIES = {
    "004": "Afghanistan",
    "586": "Pakistan",
    "364": "Iran",
    "356": "India",
    "156": "China",
    "762": "Tajikistan",
    "795": "Turkmenistan",
    "860": "Uzbekistan",
    "417": "Kyrgyzstan",
}
WHOLE = {"004", "586"}            # kept entire; the others are clipped to CLIP_BOX
CLIP_BOX = (56.0, 22.0, 80.0, 41.0)  # lon_min, lat_min, lon_max, lat_max
DIGITS = 3

NOTE = (
    "Country outlines from Natural Earth 1:50m Admin 0 countries v4.1.0 (public domain), via the "
    "npm package world-atlas 2.0.2 (ISC licence). Neighbours clipped to lon 56-80, lat 22-41; "
    "coordinates rounded to 3 decimals. Boundaries are Natural Earth's de facto lines and imply no "
    "judgement on disputed territory. Made by scripts/make_borders_geojson.py."
)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Decode quantized, delta-encoded TopoJSON arcs into lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from(arc_ids: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Stitch a ring from arc indices (a negative index ~i means arc i reversed)."""
    ring: list[tuple[float, float]] = []
    for i in arc_ids:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(points if not ring else points[1:])
    return ring


def clip_ring(ring, box):
    """Sutherland-Hodgman clipping of one polygon ring to an axis-aligned box."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[0] <= x1, lambda p, q: (x1, p[1] + (q[1] - p[1]) * (x1 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[1] >= y0, lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)),
        (lambda p: p[1] <= y1, lambda p, q: (p[0] + (q[0] - p[0]) * (y1 - p[1]) / (q[1] - p[1]), y1)),
    ]
    out = list(ring)
    for inside, cut in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
    return out


def tidy(ring):
    """Round, drop repeated points and close the ring; None if it collapses."""
    pts = []
    for lon, lat in ring:
        p = (round(lon, DIGITS), round(lat, DIGITS))
        if not pts or pts[-1] != p:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return None
    pts.append(pts[0])
    return [list(p) for p in pts]


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def shared_arc(a: dict, b: dict) -> int:
    """The one arc index two geometries share (the Afghanistan-Pakistan boundary)."""
    def ids(g):
        return {i if i >= 0 else ~i for poly in polygons_of(g) for ring in poly for i in ring}
    common = ids(a) & ids(b)
    if len(common) != 1:
        raise SystemExit(f"expected one shared arc between the two countries, found {sorted(common)}")
    return common.pop()


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    geometries = {g["id"]: g for g in topology["objects"]["countries"]["geometries"] if g.get("id") in COUNTRIES}
    missing = set(COUNTRIES) - set(geometries)
    if missing:
        raise SystemExit(f"countries not found in the TopoJSON: {sorted(missing)}")
    features = []
    for code, name in COUNTRIES.items():
        polygons = []
        for poly in polygons_of(geometries[code]):
            rings = []
            for k, arc_ids in enumerate(poly):
                ring = ring_from(arc_ids, arcs)
                if code not in WHOLE:
                    ring = clip_ring(ring, CLIP_BOX)
                ring = tidy(ring)
                if ring is None:
                    if k == 0:
                        break  # the outer ring is outside the box: skip this polygon
                    continue
                rings.append(ring)
            if rings:
                polygons.append(rings)
        if not polygons:
            continue
        geometry = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append({
            "type": "Feature",
            "properties": {"name": name, "iso_n3": code, "kind": "country", "focus": code in WHOLE},
            "geometry": geometry,
        })
    durand = shared_arc(geometries["004"], geometries["586"])
    line = [[round(x, DIGITS), round(y, DIGITS)] for x, y in arcs[durand]]
    features.append({
        "type": "Feature",
        "properties": {
            "name": "Durand Line",
            "kind": "boundary",
            "note": "Afghanistan-Pakistan boundary as drawn by Natural Earth; Afghanistan does not recognise it as an international border.",
        },
        "geometry": {"type": "LineString", "coordinates": line},
    })
    return {"type": "FeatureCollection", "metadata": {"source": NOTE}, "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="countries-50m.json from the world-atlas npm package")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "book" / "data" / "borders.geojson")
    args = parser.parse_args()
    collection = build(json.loads(args.topojson.read_text(encoding="utf-8")))
    args.out.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB, {len(collection['features'])} features)")


if __name__ == "__main__":
    main()
