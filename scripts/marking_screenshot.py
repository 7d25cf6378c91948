"""Regenerate book/images/marking_app.png: the marking app on a small graded class
(tests/markingkit.py), served by waitress and photographed in headless Chromium with Playwright
after one criterion has been marked with a comment, as a marker leaves it.

    python scripts/marking_screenshot.py
"""
from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import markingkit as mk  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from waitress import create_server  # noqa: E402

from exercises.marking.app import Settings, create_app  # noqa: E402

OUT = ROOT / "book" / "images" / "marking_app.png"
ESSAY = ("Afghanistan is still an insulator. Pakistan's strikes of March 2024 show that its securitization "
         "of the TTP now reaches across the border, but the October 2025 ceasefire was brokered by Qatar "
         "and Türkiye, from outside the region. Against this, one could say the border closures tie the two "
         "economies together; yet closures are old and did not make Afghanistan a member in 2003.")
TEXTS = {"s001": ESSAY, "s002": ESSAY.replace("still an insulator", "now a member of the complex"), "s003": ESSAY}


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="marking-shot-"))
    mk.BANK = mk.BANK.replace("PRIVATE-DESC-0 no position.", "No position, or one the theory does not count.")
    mk.BANK = mk.BANK.replace("words: {min: 5, max: 40}", "words: {min: 10, max: 120}")
    a, db = mk.graded_class(folder, TEXTS)
    token = "screenshot"
    server = create_server(create_app(Settings(assignment=a, db=db, marker="A. Tutor", token=token)),
                           host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1000, "height": 900}, device_scale_factor=1)
            page.goto(f"http://127.0.0.1:{server.effective_port}/question/1?token={token}")
            page.wait_for_selector("#response[data-ready='1']")
            page.keyboard.press("c")
            page.keyboard.type("A clear verdict, tied to the definition.")
            page.keyboard.press("Escape")
            page.keyboard.press("3")
            page.wait_for_selector("#response[data-saved='1']")
            OUT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUT), full_page=False)
            browser.close()
    finally:
        server.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
