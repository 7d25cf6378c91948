"""Accessibility of the built site: axe-core (npm, injected by Playwright) finds no serious or
critical violation of WCAG 2.1 A/AA on any page, in the light and the dark colour mode; every
control in every exercise on every page can be reached with the Tab key; the progress page can be
used with the keyboard alone."""
from __future__ import annotations

import pytest

from site_helpers import ROOT, content_pages, page_url, serve

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PROGRESS = "book/progress.html"


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as base:
        yield base


def _axe(page) -> list[dict]:
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (scripts/setup.sh does it)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                                          resultTypes: ["violations"]})""", AXE_TAGS)
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _describe(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:3])
        summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")[:200] if v["nodes"] else ""
        out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} [{targets}] {summary}")
    return out


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(site, server, page, mode):
    page.goto(server + PROGRESS)
    page.evaluate("mode => { localStorage.setItem('mode', mode); localStorage.setItem('theme', mode); }", mode)
    problems = []
    for path in content_pages(site):
        page.goto(page_url(site, server, path), wait_until="load")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.documentElement.dataset.theme") == mode
        problems += [f"{path.relative_to(site)}: {line}" for line in _describe(_axe(page))]
    assert not problems, f"{len(problems)} serious or critical violations ({mode} mode):\n" + "\n".join(problems[:30])


def _tab_reachable_controls(page, limit: int) -> tuple[set[str], int]:
    """Press Tab until focus wraps to the start (or ``limit`` presses); return the keys of the
    exercise controls that took focus (a radio group counts once, by name)."""
    page.evaluate("""() => {
        window.__reached = new Set();
        document.addEventListener("focusin", e => {
            const el = e.target;
            if (!el.closest(".exercise")) return;
            window.__reached.add(el.type === "radio" ? "radio:" + el.name : (el.id || el.name || el.outerHTML.slice(0, 80)));
        });
    }""")
    page.locator("body").focus()
    presses = 0
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if presses > 5 and page.evaluate("() => document.activeElement === document.body"):
            break
    return set(page.evaluate("() => [...window.__reached]")), presses


def test_every_exercise_control_on_every_page_is_reachable_with_the_tab_key(site, server, page):
    problems = []
    pages = [p for p in content_pages(site) if 'class="exercise"' in p.read_text("utf-8")]
    assert pages, "no page shows an exercise"
    for path in pages:
        page.goto(page_url(site, server, path), wait_until="load")
        expected = set(page.evaluate("""() => [...document.querySelectorAll(
                ".exercise input, .exercise select, .exercise textarea, .exercise button, .exercise a[href]")]
            .filter(el => !el.disabled && el.offsetParent !== null && el.tabIndex >= 0)
            .map(el => el.type === "radio" ? "radio:" + el.name : (el.id || el.name || el.outerHTML.slice(0, 80)))"""))
        reached, presses = _tab_reachable_controls(page, limit=len(expected) * 2 + 400)
        missing = expected - reached
        if missing:
            problems.append(f"{path.relative_to(site)}: not reachable with Tab ({presses} presses): {sorted(missing)[:8]}")
    assert not problems, "\n".join(problems)


def test_progress_page_can_be_used_with_the_keyboard_alone(site, server, page):
    page.goto(server + PROGRESS)
    page.evaluate("""() => document.dispatchEvent(new CustomEvent("exercise:checked", {detail:
        {id: "howto_ex1", chapter: "howto", objectives: [], score: 1, points: 1, correct: true, attempts: 1}}))""")
    order = []
    page.locator("body").focus()
    for _ in range(300):
        page.keyboard.press("Tab")
        label = page.evaluate("""() => { const el = document.activeElement;
            return el.matches("[data-progress-export]") ? "export" : el.matches("[data-progress-import]") ? "import"
                 : el.matches("[data-progress-reset]") ? "reset" : null; }""")
        if label:
            order.append(label)
        if label == "reset":
            break
    assert order == ["export", "import", "reset"]
    # Reset by keyboard: Enter opens the confirmation and focuses "Keep it"; Enter there keeps all
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches('[data-progress-reset-no]')")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches('[data-progress-reset]')")
    assert page.evaluate("() => Object.keys(window.exerciseProgress.load().exercises)") == ["howto_ex1"]
    # ...and Shift+Tab from "Keep it" reaches "Delete my progress", which Enter confirms
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.matches('[data-progress-reset-yes]')")
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.exerciseProgress.load().exercises") == {}
    assert "deleted" in page.get_by_role("status").filter(has_text="deleted").text_content()
    # Export by keyboard
    page.locator("[data-progress-export]").focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.startswith("my-progress-")


# Fill every exercise of the page with some answer and check it, so that right/wrong marks, part
# verdicts and feedback are on screen (the first axe run above sees none of them).
ANSWER_ALL = """() => {
  for (const ex of document.querySelectorAll("div.exercise[data-exercise]")) {
    for (const group of new Set([...ex.querySelectorAll("input[type=radio]")].map((r) => r.name))) {
      ex.querySelector(`input[type=radio][name="${group}"]`).checked = true;
    }
    ex.querySelectorAll("input[type=checkbox]").forEach((c, i) => { c.checked = i % 2 === 0; });
    ex.querySelectorAll("input[type=text]").forEach((t) => { t.value = "1"; });
    ex.querySelectorAll("select").forEach((s, i) => { s.selectedIndex = 1 + (i % (s.options.length - 1)); });
    ex.querySelector("button.exercise-check").click();
  }
  return document.querySelectorAll(".exercise-feedback .exercise-verdict").length;
}"""
ANSWERED_PAGES = ["book/how_to_use.html", "book/rsct.html", "book/numbers.html"]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_serious_violation_once_feedback_is_on_screen(site, server, page, mode):
    page.goto(server + PROGRESS)
    page.evaluate("mode => { localStorage.setItem('mode', mode); localStorage.setItem('theme', mode); }", mode)
    problems = []
    for doc in ANSWERED_PAGES:
        page.goto(server + doc, wait_until="load")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(ANSWER_ALL) > 0, f"{doc}: no exercise gave feedback"
        marks = page.evaluate("() => [...document.querySelectorAll('.exercise-part-verdict')].map(e => e.textContent)")
        assert any("Right" in m for m in marks) and any("Wrong" in m for m in marks), f"{doc}: {marks[:5]}"
        problems += [f"{doc}: {line}" for line in _describe(_axe(page))]
    assert not problems, f"{len(problems)} serious or critical violations after answering ({mode} mode):\n" + "\n".join(problems[:30])
