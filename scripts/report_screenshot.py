"""Regenerate book/images/item_analysis_report.png: the report of a synthetic class of 600
(tests/reportkit.py: an item-response model with planted items), photographed in headless
Chromium with Playwright.

    python scripts/report_screenshot.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import gradingkit as kit  # noqa: E402
import reportkit as rk  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from exercises.reports import report  # noqa: E402

OUT = ROOT / "book" / "images" / "item_analysis_report.png"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="report-shot-"))
    a, db = rk.class_gradebook(folder, 600)
    page_path = report(assignment=a, db=db, out=folder / "report", secret=kit.SECRET, made="2026-12-01")[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 900, "height": 1500}, device_scale_factor=1)
        page.goto(page_path.as_uri(), wait_until="load")
        OUT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT), clip={"x": 0, "y": 0, "width": 900, "height": 1500})
        browser.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
