"""The engine knows nothing of the case: no module of ``exercises`` names the case's places, actors
or distribution (only the bank data does), and the book's own figures live in ``casebook``."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = re.compile(r"durand|torkham|\bttp\b|taliban|pakistan|afghan|khyber|waziristan|iskp|kabul|islamabad", re.I)
ENGINE_FILES = (".py", ".j2", ".js", ".css", ".txt", ".json")


def test_no_engine_file_mentions_the_case():
    hits = []
    for path in sorted((ROOT / "exercises").rglob("*")):
        rel = path.relative_to(ROOT / "exercises")
        if rel.parts[0] in ("bank", "__pycache__") or path.suffix not in ENGINE_FILES or not path.is_file():
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if CASE.search(line):
                hits.append(f"exercises/{rel}:{n}: {line.strip()[:80]}")
    assert not hits, "\n".join(hits)


def test_the_figures_and_their_data_are_in_casebook_not_in_the_engine():
    assert not (ROOT / "exercises" / "data").exists()
    for name in ("maps.py", "timeline.py", "constellation.py", "wendt.py"):
        assert (ROOT / "casebook" / name).is_file() and not (ROOT / "exercises" / name).exists()
    engine_assets = {p.name for p in (ROOT / "exercises" / "assets").iterdir()}
    assert not engine_assets & {p.name for p in (ROOT / "casebook" / "assets").iterdir()}


def test_figure_assets_are_linked_only_on_the_pages_that_show_the_figure(site):
    def linked(page: str) -> set[str]:
        html = (site / "book" / f"{page}.html").read_text("utf-8")
        return set(re.findall(r"_static/((?:timeline|map|figures)\.(?:css|js))", html))
    assert linked("durand_line") == {"map.css", "timeline.css", "timeline.js"}
    assert linked("constructivism") == {"figures.css", "figures.js"}
    assert linked("rsct") == set() and linked("intro") == set()
    assert (site / "_static" / "timeline.js").is_file()
    # the engine's own assets are on every page
    assert "_static/exercises.js" in (site / "book" / "intro.html").read_text("utf-8")
