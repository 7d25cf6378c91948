"""The built self-study site in a real Chromium, with every non-local request blocked (the `page`
fixture): each page loads with no failed request and no console error, MathJax typesets from the
site itself, and the progress page keeps attempts across reloads, files and a zipped copy."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from exercises import load_bank
from site_helpers import html_pages, page_url, serve

PROGRESS = "book/progress.html"


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as base:
        yield base


def _watch(page):
    """Record failed requests and HTTP errors on ``page`` (console errors: the fixture does it)."""
    failures: list[str] = []
    page.on("requestfailed", lambda r: failures.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: failures.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
    return failures


def _index(page) -> dict:
    return json.loads(page.locator("script[data-progress-index]").text_content())


def _progress_records(page) -> dict:
    return page.evaluate("() => window.exerciseProgress.load().exercises")


def _checked(page, ex_id, chapter, objectives, score, points, correct, attempts=1):
    page.evaluate("""d => document.dispatchEvent(new CustomEvent("exercise:checked", {detail: d}))""",
                  {"id": ex_id, "chapter": chapter, "objectives": objectives, "score": score,
                   "points": points, "correct": correct, "attempts": attempts})


def test_every_page_loads_offline_with_no_failed_request_and_no_console_error(site, server, page):
    failures = _watch(page)
    problems = []
    pages = html_pages(site)
    assert len(pages) >= 5, f"only {len(pages)} pages in the site"
    for path in pages:
        page.console_errors.clear()
        page.blocked_requests.clear()
        failures.clear()
        page.goto(page_url(site, server, path), wait_until="load")
        if page.locator(".math").count():
            # MathJax is served by the site: it must typeset every formula with the network cut.
            page.wait_for_function("() => document.querySelectorAll('.math:not(:has(mjx-container))').length === 0",
                                   timeout=15000)
        page.wait_for_load_state("networkidle")
        for kind, items in (("blocked request", page.blocked_requests), ("failed request", failures),
                            ("console error", page.console_errors)):
            problems += [f"{path.relative_to(site)}: {kind}: {item}" for item in items]
    assert not problems, "\n".join(problems[:40])


def test_no_page_carries_widget_output_that_would_need_a_kernel_or_a_cdn(site):
    bad = [str(p.relative_to(site)) for p in html_pages(site)
           if "application/vnd.jupyter.widget-view+json" in (text := p.read_text("utf-8"))
           or "application/vnd.jupyter.widget-state+json" in text]
    assert not bad, f"pages with widget views or widget state (they cannot render offline): {bad}"


def test_progress_page_lists_every_exercise_the_pages_show(site, page, server):
    shown: dict[str, set[str]] = {}
    for path in html_pages(site):
        if path.relative_to(site).as_posix() == PROGRESS:
            continue
        for ex_id in page_ids(path):
            shown.setdefault(ex_id, set()).add(path.relative_to(site).with_suffix("").as_posix())
    page.goto(server + PROGRESS)
    index = _index(page)
    listed = {ex["id"]: ex["page"] for ch in index["chapters"] for ex in ch["exercises"]}
    assert set(listed) == set(shown)
    assert all(listed[ex_id] in shown[ex_id] for ex_id in listed)
    bank = load_bank()
    for ch in index["chapters"]:
        for obj in ch["objectives"]:
            assert set(obj["exercises"]) == {e for e in listed if obj["id"] in bank[e].objectives}
    rows = page.locator("[data-progress-exercise]")
    assert rows.count() == len(listed)
    # each row links to the exercise itself
    first = index["chapters"][0]["exercises"][0]
    page.locator(f'[data-progress-exercise="{first["id"]}"] a').click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f'{first["page"]}.html#{first["id"]}')
    assert page.locator(f'#{first["id"]}.exercise').is_visible()


def page_ids(path: Path) -> list[str]:
    import re

    return re.findall(r'<div class="exercise" id="([^"]+)" data-exercise=', path.read_text("utf-8"))


def _first_of_type(site, server, page, ex_type: str) -> tuple[str, dict]:
    page.goto(server + PROGRESS)
    bank = load_bank()
    for ch in _index(page)["chapters"]:
        for ex in ch["exercises"]:
            if bank[ex["id"]].type == ex_type:
                return ex["page"], bank[ex["id"]]
    pytest.fail(f"no {ex_type} exercise on any page")


def test_answering_an_exercise_is_recorded_and_survives_a_reload(site, server, page):
    doc, ex = _first_of_type(site, server, page, "single_choice")
    wrong = next(o.id for o in ex.options if o.id != ex.answer)
    page.goto(f"{server}{doc}.html#{ex.id}")
    root = page.locator(f"#{ex.id}")
    # by keyboard: focus the wrong option, select it with Space, check with Enter
    root.locator(f"#{ex.id}-opt-{wrong}").focus()
    page.keyboard.press("Space")
    root.locator("button.exercise-check").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => (window.exerciseProgress.load().exercises['{ex.id}'] || {{}}).attempts === 1")
    root.locator(f"#{ex.id}-opt-{ex.answer}").check()
    root.locator("button.exercise-check").click()
    page.wait_for_function(f"() => (window.exerciseProgress.load().exercises['{ex.id}'] || {{}}).completed === true")

    page.reload()
    record = _progress_records(page)[ex.id]
    assert record["attempts"] == 2 and record["completed"] is True and record["best"] == ex.points
    assert "Completed (2 attempts)" in page.locator(f"#{ex.id} + .exercise-progress-note").text_content()
    count = root.locator(".exercise-attempt-count")
    assert count.text_content() == "2"  # the card continues the count, as the note does (it said 0)
    root.locator(f"#{ex.id}-opt-{wrong}").check()
    root.locator("button.exercise-check").click()
    page.wait_for_function(f"() => window.exerciseProgress.load().exercises['{ex.id}'].attempts === 3")
    assert count.text_content() == "3"
    page.reload()

    page.goto(server + PROGRESS)
    row = page.locator(f'[data-progress-exercise="{ex.id}"]')
    assert row.locator("[data-progress-state]").text_content() == "Completed"
    assert row.locator("[data-progress-attempts]").text_content() == "3"
    chapter = page.locator(f'[data-progress-chapter="{ex.chapter}"]')
    assert chapter.locator(".exercise-progress-summary [data-progress-done]").text_content() == "1"
    for obj in ex.objectives:
        assert chapter.locator(f'[data-progress-objective="{obj}"] [data-progress-done]').text_content() == "1"
    page.reload()
    assert row.locator("[data-progress-state]").text_content() == "Completed"


def test_a_blank_check_is_not_counted_as_an_attempt(site, server, page):
    doc, ex = _first_of_type(site, server, page, "single_choice")
    page.goto(f"{server}{doc}.html#{ex.id}")
    _checked(page, ex.id, ex.chapter, list(ex.objectives), 0, ex.points, False, attempts=0)
    assert ex.id not in _progress_records(page)
    _checked(page, ex.id, ex.chapter, list(ex.objectives), 0, ex.points, False, attempts=1)
    _checked(page, ex.id, ex.chapter, list(ex.objectives), 0, ex.points, False, attempts=1)
    assert _progress_records(page)[ex.id]["attempts"] == 1


def _fill(page, index, n_done: int, n_tried: int) -> list[str]:
    ids = [(ch, ex) for ch in index["chapters"] for ex in ch["exercises"]]
    assert len(ids) >= n_done + n_tried
    for i, (ch, ex) in enumerate(ids[: n_done + n_tried]):
        done = i < n_done
        _checked(page, ex["id"], ch["id"], ex["objectives"], ex["points"] if done else 0, ex["points"], done)
    return [ex["id"] for _, ex in ids[: n_done + n_tried]]


def test_progress_export_then_reset_then_import_restores_the_same_record(site, server, page, tmp_path):
    page.goto(server + PROGRESS)
    ids = _fill(page, _index(page), n_done=3, n_tried=2)
    before = _progress_records(page)
    assert page.locator(".exercise-progress-overall [data-progress-done]").text_content() == "3"
    assert page.locator(".exercise-progress-overall [data-progress-tried]").text_content() == "5"

    with page.expect_download() as info:
        page.get_by_role("button", name="Export my progress to a file").click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    data = json.loads(exported.read_text("utf-8"))
    assert data["format"] == "exercises.progress/1" and set(data["exercises"]) == set(ids)
    assert "Saved 5 exercise records" in page.locator("[data-progress-message]").text_content()

    page.get_by_role("button", name="Reset my progress…").click()
    page.get_by_role("button", name="Delete my progress").click()
    assert _progress_records(page) == {}
    assert page.locator(".exercise-progress-overall [data-progress-done]").text_content() == "0"

    page.locator("[data-progress-import]").set_input_files(str(exported))
    page.wait_for_function("() => document.querySelector('[data-progress-message]').textContent.startsWith('Imported')")
    assert _progress_records(page) == before
    page.reload()
    assert _progress_records(page) == before
    assert page.locator(".exercise-progress-overall [data-progress-done]").text_content() == "3"
    # importing the same file again changes nothing
    page.locator("[data-progress-import]").set_input_files(str(exported))
    page.wait_for_function("() => document.querySelector('[data-progress-message]').textContent.startsWith('Imported')")
    assert _progress_records(page) == before


@pytest.mark.parametrize("content, expected", [
    ("{not json", "is not a JSON file"),
    ('{"format": "something/2", "exercises": {}}', 'not "exercises.progress/1"'),
    ('[1, 2, 3]', "not a progress record"),
    ('{"format": "exercises.progress/1", "site": "SITE", "exercises": {"rsct_ex1": '
     '{"attempts": -1, "best": 0, "completed": false}}}', 'exercises["rsct_ex1"].attempts must be a whole number'),
    ('{"format": "exercises.progress/1", "site": "SITE", "exercises": {"rsct_ex1": '
     '{"attempts": 1, "best": 5, "points": 1, "completed": "yes"}}}', "completed must be true or false"),
    ('{"format": "exercises.progress/1", "site": "someone/else", "exercises": {}}', "exported from another book"),
])
def test_a_bad_import_file_changes_nothing_and_says_why(site, server, page, tmp_path, content, expected):
    page.goto(server + PROGRESS)
    site_id = page.locator('meta[name="exercises-site"]').get_attribute("content")
    _fill(page, _index(page), n_done=1, n_tried=1)
    before = _progress_records(page)
    bad = tmp_path / "progress.json"
    bad.write_text(content.replace('"SITE"', json.dumps(site_id)), "utf-8")
    page.locator("[data-progress-import]").set_input_files(str(bad))
    error = page.locator("[data-progress-error]")
    error.wait_for(state="visible")
    text = error.text_content()
    assert text.startswith("Nothing was imported: progress.json") and expected in text, text
    assert _progress_records(page) == before
    assert page.get_by_role("alert").text_content() == text


def test_reset_asks_first_and_keep_it_deletes_nothing(site, server, page):
    page.goto(server + PROGRESS)
    _fill(page, _index(page), n_done=1, n_tried=0)
    reset = page.get_by_role("button", name="Reset my progress…")
    reset.click()
    assert reset.get_attribute("aria-expanded") == "true"
    page.get_by_role("button", name="Keep it").click()
    assert len(_progress_records(page)) == 1
    assert page.locator("[data-progress-reset-confirm]").is_hidden()


def test_the_site_works_zipped_and_opened_from_disk(site, browser, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "site"), "zip", site)
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(unpacked)
    context = browser.new_context()
    blocked, errors = [], []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
                  else (blocked.append(r.request.url), r.abort()))
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    failures = _watch(page)
    try:
        page.goto((unpacked / PROGRESS).as_uri())
        index = _index(page)
        first = index["chapters"][0]["exercises"][0]
        chapter_page = unpacked / f'{first["page"]}.html'
        page.goto(chapter_page.as_uri())
        if page.locator(".math").count():
            page.wait_for_function("() => document.querySelectorAll('.math:not(:has(mjx-container))').length === 0",
                                   timeout=15000)
        _checked(page, first["id"], index["chapters"][0]["id"], first["objectives"], first["points"], first["points"], True)
        page.goto((unpacked / PROGRESS).as_uri())
        row = page.locator(f'[data-progress-exercise="{first["id"]}"]')
        assert row.locator("[data-progress-state]").text_content() == "Completed"
        page.goto((unpacked / "index.html").as_uri())
        assert not blocked and not failures and not errors, (blocked, failures, errors)
    finally:
        context.close()


# Every exercise control and every table on a page must be usable at 390 px: inside the page
# column, or inside a container that scrolls sideways. Returns what is cut off.
CLIPPED = """() => {
  const column = document.querySelector("article.bd-article") || document.body;
  const edge = column.getBoundingClientRect(), out = [];
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== column; a = a.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const what = "div.exercise select, div.exercise input, div.exercise button, div.exercise th, div.exercise td, " +
               "article table th, article table td, .tl-timeline select, .tl-timeline dd, .tl-timeline dt";
  for (const el of column.querySelectorAll(what)) {
    const r = el.getBoundingClientRect();
    if (!r.width || el.closest("[hidden]") || el.classList.contains("exercise-sr-only")) continue;
    const box = el.closest("div.exercise") ? el.closest("div.exercise").getBoundingClientRect() : edge;
    if ((r.right > Math.min(box.right, edge.right) + 1 || r.left < box.left - 1) && !scrolls(el)) {
      out.push((el.closest("[id]") || {}).id + " " + el.tagName + " " + (el.textContent || "").trim().slice(0, 30));
    }
  }
  return out;
}"""
PHONE_PAGES = ["book/rsct.html", "book/under_strain.html", "book/two_lenses.html", "book/numbers.html",
               "book/how_to_use.html", "book/durand_line.html"]


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_on_an_exercise_page_is_clipped_at_phone_and_desktop_width(site, server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for doc in PHONE_PAGES:
        assert (site / doc).exists(), doc
        page.goto(server + doc, wait_until="load")
        problems += [f"{doc}: {p}" for p in page.evaluate(CLIPPED)]
    assert not problems, f"{len(problems)} elements cut off at {width} px:\n" + "\n".join(problems[:30])


SMALLEST_LABEL = """() => {
  const heights = [...document.querySelectorAll("svg.bmap-svg text, svg.ttpfig-svg text")]
    .filter((t) => t.textContent.trim() && !t.closest("[aria-hidden=true]"))
    .map((t) => t.getBoundingClientRect().height).filter((h) => h > 0);
  return heights.length ? Math.min(...heights) : null;
}"""


def test_map_and_constellation_labels_are_readable_on_a_phone(site, server, page):
    page.set_viewport_size({"width": 390, "height": 900})
    for doc in ("book/durand_line.html", "book/two_lenses.html"):
        page.goto(server + doc, wait_until="load")
        smallest = page.evaluate(SMALLEST_LABEL)
        assert smallest is not None, f"{doc}: no figure labels found"
        assert smallest >= 9, f"{doc}: the smallest label is {smallest:.1f} px high at 390 px"
