"""The static view in a real Chromium, driven by the keyboard only.

For each of the ten types, a small standalone page (static.page + the real assets) is answered
wrong, then right, with Tab / Space / Enter / arrow keys / typing; the test checks the feedback
text, the explanation, the ``exercise:checked`` events, the absence of console errors and that no
request left the machine. One more test does the same on the built book page how_to_use.html.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from exercises.views import static
from exercises.markdown import to_html
from exercises.types.written import word_count

CODE_KEY = 12
EVENTS = "window.__events = []; document.addEventListener('exercise:checked', (e) => window.__events.push(e.detail));"


def text_of(markdown: str) -> str:
    return " ".join(BeautifulSoup(to_html(markdown), "html.parser").get_text().split())


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pages(howto, tmp_path_factory) -> dict[str, Path]:
    """One standalone page per exercise, next to a copy of exercises.js and exercises.css."""
    folder = tmp_path_factory.mktemp("static-pages")
    for name in ("exercises.js", "exercises.css"):
        shutil.copy(Path(str(static.assets_dir() / name)), folder / name)
    out = {}
    for ex in howto.exercises.values():
        html = static.render(ex, mode="study", expected=CODE_KEY if ex.type == "code" else None)
        path = folder / f"{ex.id}.html"
        path.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{ex.id}</title>'
                        f'<link rel="stylesheet" href="exercises.css"><script defer src="exercises.js"></script>'
                        f"</head><body><main>{html}</main></body></html>", "utf-8")
        out[ex.id] = path
    return out


class Keyboard:
    """Keyboard-only driving of one exercise."""

    def __init__(self, page, ex_id: str):
        self.page, self.id = page, ex_id

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            if self.focused(selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def shift_tab_to(self, selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            if self.focused(selector):
                return
            self.page.keyboard.press("Shift+Tab")
        raise AssertionError(f"Shift+Tab never reached {selector}")

    def check(self) -> str:
        before = self.events()
        self.tab_to(f"#{self.id} .exercise-check")
        self.page.keyboard.press("Enter")
        self.page.wait_for_function("(n) => window.__events.length > n", arg=len(before))
        return self.feedback()

    def feedback(self) -> str:
        return squash(self.page.inner_text(f"#{self.id}-feedback"))

    def events(self) -> list[dict]:
        return self.page.evaluate("window.__events")

    def choose_in_select(self, part: str, value: str) -> None:
        select = f'#{self.id} select[data-part="{part}"]'
        self.go(select)
        values = self.page.eval_on_selector(select, "s => Array.from(s.options, o => o.value)")
        self.page.keyboard.press("Home")
        for _ in range(values.index(value)):
            self.page.keyboard.press("ArrowDown")
        assert self.page.eval_on_selector(select, "s => s.value") == value

    def _before(self, selector: str) -> bool:
        """True when ``selector`` comes after the focused element in document order."""
        return self.page.evaluate("""(s) => {
            const target = document.querySelector(s), here = document.activeElement;
            return !!(here.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""", selector)

    def go(self, selector: str) -> None:
        self.tab_to(selector) if self._before(selector) else self.shift_tab_to(selector)

    def type_into_input(self, text: str) -> None:
        self.go(f"#{self.id}-value")
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Backspace")
        self.page.keyboard.type(text)


def open_exercise(page, pages, ex_id) -> Keyboard:
    page.add_init_script(EVENTS)
    page.goto(pages[ex_id].as_uri())
    page.wait_for_selector(f"#{ex_id} .exercise-check:not([disabled])")
    return Keyboard(page, ex_id)


def assert_clean(page):
    assert page.console_errors == [], page.console_errors
    assert page.blocked_requests == [], page.blocked_requests


def assert_events(kb: Keyboard, ex, scores: list[float]):
    events = kb.events()
    assert [e["score"] for e in events] == scores
    last = events[-1]
    assert last["id"] == ex.id and last["chapter"] == "howto" and last["objectives"] == list(ex.objectives)
    assert last["correct"] is True and last["points"] == ex.points and last["attempts"] == len(scores)


def explanation_shown(page, ex) -> bool:
    box = page.locator(f"#{ex.id}-explanation")
    return box.is_visible() and text_of(ex.explanation) in squash(box.inner_text())


def test_single_choice_by_keyboard(page, pages, howto):
    ex = howto["howto_ex1"]
    kb = open_exercise(page, pages, ex.id)
    order = page.eval_on_selector_all(f"#{ex.id} input[type=radio]", "xs => xs.map(x => x.value)")
    kb.tab_to(f"#{ex.id} input[type=radio]")
    page.keyboard.press("Space")  # selects the first option of the group
    wrong = order[0] if order[0] != ex.answer else order[1]
    while page.eval_on_selector(f"#{ex.id} input:checked", "x => x.value") != wrong:
        page.keyboard.press("ArrowDown")
    feedback = kb.check()
    assert "Not right yet." in feedback and text_of(next(o.feedback for o in ex.options if o.id == wrong)) in feedback
    assert not page.locator(f"#{ex.id}-explanation").is_visible()
    kb.go(f"#{ex.id} input:checked")
    while page.eval_on_selector(f"#{ex.id} input:checked", "x => x.value") != ex.answer:
        page.keyboard.press("ArrowDown")
    feedback = kb.check()
    assert "Correct." in feedback and text_of(ex.options[0].feedback) in feedback
    assert explanation_shown(page, ex)
    assert_events(kb, ex, [0, 1])
    assert page.inner_text(f"#{ex.id} .exercise-attempt-count") == "2"
    assert_clean(page)


def test_multiple_select_by_keyboard(page, pages, howto):
    ex = howto["howto_ex2"]
    kb = open_exercise(page, pages, ex.id)
    for option in ("governs", "umbrella"):
        kb.go(f"#{ex.id}-opt-{option}")
        page.keyboard.press("Space")
    feedback = kb.check()
    assert "1 of the 2 right options chosen, 1 wrong" in feedback and "That is the Afghan Taliban" in feedback
    assert "✗ Wrong" in feedback and "✓ Right" in feedback
    for option in ("governs", "state"):
        kb.go(f"#{ex.id}-opt-{option}")
        page.keyboard.press("Space")
    feedback = kb.check()
    assert "Correct." in feedback and "2 of the 2 right options chosen" in feedback
    assert explanation_shown(page, ex)
    assert_events(kb, ex, [0, 2])
    assert_clean(page)


def test_numeric_by_keyboard(page, pages, howto):
    ex = howto["howto_ex3"]
    kb = open_exercise(page, pages, ex.id)
    kb.type_into_input("74")
    page.keyboard.press("Enter")  # Enter in the field submits the form
    page.wait_for_function("() => window.__events.length === 1")
    assert text_of(ex.misconceptions[0]["feedback"]) in kb.feedback()
    kb.type_into_input("127,5")
    assert "Correct." in kb.check()
    assert explanation_shown(page, ex)
    assert_events(kb, ex, [0, 1])
    assert_clean(page)


def test_numeric_input_that_is_not_a_number_is_explained_and_not_counted(page, pages, howto):
    kb = open_exercise(page, pages, "howto_ex3")
    kb.type_into_input("about a century")
    assert "Answer not understood: expected a number, got \u201cabout a century\u201d." in kb.check()
    assert page.inner_text("#howto_ex3 .exercise-attempt-count") == "0"
    assert_clean(page)


def test_short_text_by_keyboard(page, pages, howto):
    ex = howto["howto_ex4"]
    kb = open_exercise(page, pages, ex.id)
    kb.type_into_input("Ørsted")
    assert text_of(ex.feedback["incorrect"]) in kb.check()
    kb.type_into_input("  WÆVER. ")
    assert "Correct." in kb.check()
    assert explanation_shown(page, ex)
    assert_events(kb, ex, [0, 1])
    assert_clean(page)


def test_ordering_by_keyboard_with_move_buttons(page, pages, howto):
    ex = howto["howto_ex5"]
    kb = open_exercise(page, pages, ex.id)
    feedback = kb.check()  # the starting order is never the right one
    assert "Not right yet." in feedback or "Partly right." in feedback
    for target, item in enumerate(ex.answer):
        current = page.eval_on_selector_all(f"#{ex.id} .exercise-order > li", "xs => xs.map(x => x.dataset.item)")
        up = f'#{ex.id} li[data-item="{item}"] button[data-move="up"]'
        kb.go(up)
        for _ in range(current.index(item) - target):
            page.keyboard.press("Enter")
            assert kb.focused(up)  # focus stays on the moved item's button
    status = page.inner_text(f"#{ex.id} .exercise-order-status")
    assert "moved to position" in status or "already first" in status
    feedback = kb.check()
    assert "Correct." in feedback and "✓ Right: Position 4" in feedback
    assert explanation_shown(page, ex)
    assert kb.events()[-1]["correct"] is True
    assert_clean(page)


@pytest.mark.parametrize("ex_id, wrong, wrong_text", [
    ("howto_ex6", {"anarchy": "wendt", "regions": "bw", "framework": "bw"}, "third author"),
    ("howto_ex7", {"pakistan": "state", "ttp": "nonstate", "iskp": "state", "iran": "state"}, "Islamic State's branch"),
    ("howto_ex8", {"actor": "minister", "referent": "crossings", "audience": "parliament"}, "threatened in its survival"),
    ("howto_ex9", {"pak/ttp": "enmity", "tal/ttp": "enmity", "iskp/tal": "enmity"}, "ideology, kinship"),
])
def test_select_based_types_by_keyboard(page, pages, howto, ex_id, wrong, wrong_text):
    ex = howto[ex_id]
    kb = open_exercise(page, pages, ex_id)
    for part_id, value in wrong.items():
        kb.choose_in_select(part_id, value)
    feedback = kb.check()
    assert "Partly right." in feedback and wrong_text in feedback and "✗ Wrong" in feedback
    right = {p: (v if isinstance(v, str) else v[0]) for p, v in ex.answer.items()}
    for part_id, value in right.items():
        if wrong.get(part_id) != value:
            kb.choose_in_select(part_id, value)
    assert "Correct." in kb.check()
    assert explanation_shown(page, ex)
    assert [e["correct"] for e in kb.events()] == [False, True]
    assert_clean(page)


def test_code_by_keyboard(page, pages, howto):
    ex = howto["howto_ex10"]
    kb = open_exercise(page, pages, ex.id)
    kb.go(f"#{ex.id} .exercise-copy")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#{ex.id} .exercise-copy-status').textContent !== ''")
    assert page.inner_text(f"#{ex.id} .exercise-copy-status") in ("Code copied.", "Select the code and copy it with Ctrl+C (Cmd+C).")
    kb.type_into_input("13")
    assert "Not right yet." in kb.check()
    kb.type_into_input(str(CODE_KEY))
    assert "Correct." in kb.check()
    assert explanation_shown(page, ex)
    assert_events(kb, ex, [0, 2])
    assert_clean(page)


def test_hints_are_revealed_one_at_a_time_by_keyboard(page, pages, howto):
    ex = howto["howto_ex2"]
    kb = open_exercise(page, pages, ex.id)
    hints = page.locator(f"#{ex.id} .exercise-hints > li")
    kb.go(f"#{ex.id} .exercise-hint-button")
    assert hints.nth(0).is_hidden() and hints.nth(1).is_hidden()
    page.keyboard.press("Enter")
    assert hints.nth(0).is_visible() and hints.nth(1).is_hidden()
    page.keyboard.press("Space")
    assert hints.nth(1).is_visible()
    assert page.inner_text(f"#{ex.id} .exercise-hint-button") == "No more hints"
    assert_clean(page)


def test_explanation_button_appears_after_three_attempts(page, pages, howto):
    ex = howto["howto_ex4"]
    kb = open_exercise(page, pages, ex.id)
    button = page.locator(f"#{ex.id} .exercise-explain-button")
    for attempt in ("Buzan", "Wendt", "Waltz"):
        assert button.is_hidden()
        kb.type_into_input(attempt)
        kb.check()
    assert button.is_visible()
    kb.go(f"#{ex.id} .exercise-explain-button")
    page.keyboard.press("Enter")
    assert explanation_shown(page, ex) and button.is_hidden()
    assert kb.focused(f"#{ex.id}-explanation")
    assert_clean(page)


def test_course_mode_page_never_shows_an_explanation(page, howto, tmp_path):
    ex = howto["howto_ex4"]
    for name in ("exercises.js", "exercises.css"):
        shutil.copy(Path(str(static.assets_dir() / name)), tmp_path / name)
    (tmp_path / "course.html").write_text(static.page([ex], mode="course", title="Course"), "utf-8")
    page.add_init_script(EVENTS)
    page.goto((tmp_path / "course.html").as_uri())
    kb = Keyboard(page, ex.id)
    for attempt in ("Buzan", "Wendt", "Waltz", "Wæver"):
        kb.type_into_input(attempt)
        kb.check()
    assert "Correct." in kb.feedback() and page.locator(f"#{ex.id} .exercise-explanation").count() == 0
    assert text_of(ex.explanation) not in page.content()
    assert_clean(page)


def test_the_built_how_to_page_works_offline_by_keyboard(page, site, howto):
    path = site / "book" / "how_to_use.html"
    assert path.exists(), f"no {path}"
    page.add_init_script(EVENTS)
    page.goto(path.as_uri())
    for ex in howto.exercises.values():
        assert page.locator(f"div.exercise#{ex.id}").count() == 1, ex.id
    page.wait_for_selector("#howto_ex3 .exercise-check:not([disabled])")
    kb = Keyboard(page, "howto_ex3")
    kb.type_into_input("74")
    assert text_of(howto["howto_ex3"].misconceptions[0]["feedback"]) in kb.check()
    kb.type_into_input("128")
    assert "Correct." in kb.check()
    assert explanation_shown(page, howto["howto_ex3"])
    assert [e["id"] for e in kb.events()] == ["howto_ex3", "howto_ex3"]
    assert_clean(page)


def test_feedback_and_explanation_states_pass_axe(page, howto, tmp_path):
    """axe-core (WCAG 2.x A/AA) on a page of all ten exercises after each was checked, with
    feedback, marks, hints and an explanation on screen: no serious or critical violation."""
    axe = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.exists(), f"{axe} is missing: run `npm ci` (scripts/setup.sh does it)"
    for name in ("exercises.js", "exercises.css"):
        shutil.copy(Path(str(static.assets_dir() / name)), tmp_path / name)
    exercises = list(howto.exercises.values())
    (tmp_path / "all.html").write_text(static.page(exercises, mode="study", title="All types"), "utf-8")
    page.goto((tmp_path / "all.html").as_uri())
    page.wait_for_selector(".exercise-check:not([disabled])")
    page.evaluate("""() => {
        document.querySelector('#howto_ex1-opt-rsct').checked = true;
        document.querySelector('#howto_ex3-value').value = '74';
        document.querySelector('#howto_ex9-part-tal--ttp').value = 'enmity';
        document.querySelectorAll('.exercise-hint-button').forEach(b => b.click());
        document.querySelectorAll('.exercise-check').forEach(b => b.click());
    }""")
    assert page.locator("#howto_ex1-explanation").is_visible()
    assert_clean(page)  # before axe, whose own reading of the stylesheet over file:// logs an error
    page.add_script_tag(path=str(axe))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]})""")
    serious = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)


# --- a written answer: text kept in the browser, submission, self-assessment, "My progress" -------

WRITTEN_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "written"
SITE_ID = "tests/written-site"
ANSWER_1 = "Afghanistan is part of the complex, not an insulator."
ANSWER_2 = (" Border closures in 2025 and cross-border militancy tie its security to Pakistan's; weak links to India"
            " do not undo that.")


@pytest.fixture(scope="module")
def written_bank():
    """The written fixture chapter beside the reference chapter (so the progress page has both kinds)."""
    from exercises import bank as bank_mod
    found, problems = bank_mod.validate(files=[bank_mod.default_bank_dir() / "howto.yml", WRITTEN_FIXTURE / "writ.yml"])
    assert not problems, "\n".join(map(str, problems))
    return found


def _written_site(folder: Path, bank, mode: str) -> Path:
    """A two-page site as the book ships it: every asset on every page, the book's id and the
    progress page's address in meta tags; the written exercise and a short-text one on writ.html."""
    from exercises.views.progress import ProgressPage, progress_index
    for asset in Path(str(static.assets_dir())).iterdir():
        shutil.copy(asset, folder / asset.name)
    links = "".join(f'<link rel="stylesheet" href="{a.name}">' if a.suffix == ".css" else f'<script defer src="{a.name}"></script>'
                    for a in sorted(Path(str(static.assets_dir())).iterdir()))
    head = (f'<!DOCTYPE html><html lang="en" data-content_root=""><head><meta charset="utf-8"><title>{{}}</title><link rel="icon" href="data:,">'
            f'<meta name="exercises-site" content="{SITE_ID}"><meta name="exercises-progress-page" content="progress.html">'
            f"{links}</head><body><main><h1>{{}}</h1>")
    exercises = [bank["writ_ex1"], bank["howto_ex4"]]
    body = "".join(static.render(ex, mode=mode) for ex in exercises)
    (folder / "writ.html").write_text(head.format("Written", "Written") + body + "</main></body></html>", "utf-8")
    index = progress_index(bank, {"writ_ex1": "writ", "howto_ex4": "writ"})
    progress = ProgressPage(index, "progress")._repr_html_()
    (folder / "progress.html").write_text(head.format("My progress", "My progress") + progress + "</main></body></html>", "utf-8")
    return folder


@pytest.fixture
def written_site(written_bank, tmp_path):
    from site_helpers import serve
    with serve(_written_site(tmp_path, written_bank, "study")) as base:
        yield base


def _open_written(page, url):
    page.add_init_script(EVENTS)
    page.goto(url)
    page.wait_for_selector("#writ_ex1 .exercise-check:not([disabled])")
    return Keyboard(page, "writ_ex1")


def _records(page) -> dict:
    return page.evaluate("() => window.exerciseProgress.load().exercises")


def test_written_answer_is_kept_submitted_self_assessed_and_counted_apart_on_my_progress(page, written_site, written_bank, tmp_path):
    ex = written_bank["writ_ex1"]
    kb = _open_written(page, written_site + "writ.html")
    count = page.locator("#writ_ex1-count")
    assert page.inner_text("#writ_ex1 .exercise-check") == "Submit"
    assert page.get_by_label("Your answer", exact=True).first.evaluate("e => e.id") == "writ_ex1-text"
    assert "between 20 and 60 words" in page.inner_text("#writ_ex1-words")
    # nothing of the model answer or the descriptors is in the page before a submission
    before = page.content()
    for secret in [ex.model_answer.split(".")[0], "dated, sourced", "loosely linked", text_of(ex.explanation)[:30]]:
        assert secret not in before, secret
    assert page.locator("#writ_ex1-submitted").is_hidden()

    kb.go("#writ_ex1-text")
    page.keyboard.type(ANSWER_1)
    assert count.inner_text() == f"{word_count(ANSWER_1)} words: under the minimum of 20."
    page.keyboard.type(ANSWER_2)
    assert count.inner_text() == f"{word_count(ANSWER_1 + ANSWER_2)} words (between 20 and 60)."
    page.reload()
    page.wait_for_selector("#writ_ex1 .exercise-check:not([disabled])")
    assert page.input_value("#writ_ex1-text") == ANSWER_1 + ANSWER_2
    assert count.inner_text() == f"{word_count(ANSWER_1 + ANSWER_2)} words (between 20 and 60)."
    assert page.locator("#writ_ex1-submitted").is_hidden()  # a draft is not a submission

    feedback = kb.check()
    assert feedback.startswith("Submitted. Compare it with the model answer") and "Awaiting" not in feedback
    event = kb.events()[-1]
    assert event["pending"] is True and event["correct"] is False and event["text"] == ANSWER_1 + ANSWER_2
    box = page.locator("#writ_ex1-submitted")
    assert box.is_visible()
    shown = squash(box.inner_text())
    assert text_of(ex.model_answer) in shown and text_of(ex.explanation) in shown
    for criterion in ex.rubric:
        for level in criterion.levels:
            assert text_of(level.descriptor) in shown  # the bank's Markdown, its <script> as text
    assert box.locator("script").count() == 0 and box.locator("em").first.inner_text() == "definition"

    # own marking, by keyboard: Secure (2) for the position, Some (2) for the evidence
    kb.go("#writ_ex1-self-position-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    total = page.locator("#writ_ex1 .exercise-self-total")
    assert total.inner_text() == "Your self-assessment so far: 2 points, 1 of 2 criteria scored."
    page.keyboard.press("Tab")
    assert kb.focused("#writ_ex1-self-evidence-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#writ_ex1-self-position-2") and page.is_checked("#writ_ex1-self-evidence-1")
    assert total.inner_text() == "Your self-assessment: 4 of 5 points."
    assert page.get_by_label("Secure (2 points)").is_checked()
    record = _records(page)["writ_ex1"]
    assert record["self"] == {"position": 2, "evidence": 1} and record["self_score"] == 4 and record["manual"] is True
    assert record["text"] == ANSWER_1 + ANSWER_2 and record["attempts"] == 1 and record["completed"] is False
    assert "Submitted; self-assessed 4 of 5 points." in page.inner_text("#writ_ex1 + .exercise-progress-note")

    # after a reload the submission, what it opened and the own marking are back
    page.reload()
    page.wait_for_selector("#writ_ex1 .exercise-check:not([disabled])")
    assert page.locator("#writ_ex1-submitted").is_visible() and text_of(ex.model_answer) in squash(box.inner_text())
    assert page.is_checked("#writ_ex1-self-position-2") and page.is_checked("#writ_ex1-self-evidence-1")
    assert total.inner_text() == "Your self-assessment: 4 of 5 points."

    # "My progress": self-assessed apart from the checked scores
    page.fill("#howto_ex4-value", "Wæver")
    page.click("#howto_ex4 .exercise-check")
    page.goto(written_site + "progress.html")
    row = page.locator('[data-progress-exercise="writ_ex1"]')
    assert row.locator("[data-progress-state]").inner_text() == "Self-assessed"
    assert squash(row.inner_text()).endswith("4 of 5 (self-assessed)")
    overall = page.locator(".exercise-progress-overall")
    assert squash(overall.locator("[data-progress-overall]").inner_text()) == "Completed 1 of 1 auto-checked exercises; attempted 1."
    assert "submitted 1 of 1; self-assessed: 4 / 5 points on 1 written exercise." in squash(overall.inner_text())
    chapter = page.locator('[data-progress-chapter="writ"]')
    assert "self-assessed: 4 / 5 points on 1 written exercise" in squash(chapter.inner_text())
    assert chapter.locator('[data-progress-objective="writ_o1"] [data-progress-assessed]').inner_text() == "1"

    # export carries the text and the own marking; reset clears them; import brings them back
    with page.expect_download() as info:
        page.get_by_role("button", name="Export my progress to a file").click()
    exported = tmp_path / "progress.json"
    info.value.save_as(exported)
    data = json.loads(exported.read_text("utf-8"))
    assert data["exercises"]["writ_ex1"]["text"] == ANSWER_1 + ANSWER_2
    assert data["exercises"]["writ_ex1"]["self"] == {"position": 2, "evidence": 1}
    before = _records(page)
    page.get_by_role("button", name="Reset my progress…").click()
    page.get_by_role("button", name="Delete my progress").click()
    assert _records(page) == {}
    assert row.locator("[data-progress-state]").inner_text() == "Not started"
    assert "self-assessed: none yet" in squash(overall.inner_text())
    page.locator("[data-progress-import]").set_input_files(str(exported))
    page.wait_for_function("() => document.querySelector('[data-progress-message]').textContent.startsWith('Imported')")
    assert _records(page) == before
    assert row.locator("[data-progress-state]").inner_text() == "Self-assessed"
    page.goto(written_site + "writ.html")
    page.wait_for_selector("#writ_ex1 .exercise-check:not([disabled])")
    assert page.input_value("#writ_ex1-text") == ANSWER_1 + ANSWER_2 and page.is_checked("#writ_ex1-self-evidence-1")
    page.goto(written_site + "progress.html")
    page.get_by_role("button", name="Reset my progress…").click()
    page.get_by_role("button", name="Delete my progress").click()
    page.goto(written_site + "writ.html")
    page.wait_for_selector("#writ_ex1 .exercise-check:not([disabled])")
    assert page.input_value("#writ_ex1-text") == "" and page.locator("#writ_ex1-submitted").is_hidden()
    assert_clean(page)


def test_a_progress_file_exported_before_written_answers_still_imports(page, written_site, tmp_path):
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": "exercises.progress/1", "site": SITE_ID, "updated": "2026-01-05T10:00:00.000Z",
                               "exercises": {"howto_ex4": {"attempts": 2, "best": 1, "completed": True, "points": 1,
                                                           "chapter": "howto", "objectives": ["howto_o1"],
                                                           "first": "2026-01-05T09:00:00.000Z", "last": "2026-01-05T09:10:00.000Z"}}}), "utf-8")
    page.goto(written_site + "progress.html")
    page.locator("[data-progress-import]").set_input_files(str(old))
    page.wait_for_function("() => document.querySelector('[data-progress-message]').textContent.startsWith('Imported')")
    assert _records(page)["howto_ex4"]["attempts"] == 2
    assert squash(page.locator("[data-progress-overall]").inner_text()) == "Completed 1 of 1 auto-checked exercises; attempted 1."
    assert page.locator('[data-progress-exercise="writ_ex1"] [data-progress-state]').inner_text() == "Not started"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "exercises.progress/1", "site": SITE_ID, "exercises": {
        "writ_ex1": {"attempts": 1, "best": 0, "completed": False, "points": 5, "text": ["x"], "self": {"position": "2"},
                     "self_score": 9}}}), "utf-8")
    page.locator("[data-progress-import]").set_input_files(str(bad))
    error = page.locator("[data-progress-error]")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert "text must be text" in text and ".self must map rubric criteria" in text and "self_score (9) is more than" in text
    assert "writ_ex1" not in _records(page)
    assert_clean(page)


HOSTILE = '<script>window.__pwned = 1</script><img src="nowhere.png" onerror="window.__pwned = 2"> <b>bold</b> & &lt;i&gt;'


def test_a_response_with_script_and_html_is_shown_as_text_everywhere(page, written_site):
    kb = _open_written(page, written_site + "writ.html")
    kb.go("#writ_ex1-text")
    page.keyboard.type(HOSTILE)
    n = word_count(HOSTILE)
    assert page.inner_text("#writ_ex1-count") == f"{n} words: under the minimum of 20."
    feedback = kb.check()
    assert f"{n} words, under the minimum of 20." in feedback
    page.reload()
    page.wait_for_selector("#writ_ex1 .exercise-check:not([disabled])")
    assert page.input_value("#writ_ex1-text") == HOSTILE
    page.goto(written_site + "progress.html")
    assert _records(page)["writ_ex1"]["text"] == HOSTILE
    for url in ("writ.html", "progress.html"):
        page.goto(written_site + url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("main b, main img").count() == 0
        assert "nowhere.png" not in page.evaluate("() => document.body.innerHTML.replace(/<textarea[^]*?<\\/textarea>/g, '')")
    assert_clean(page)  # the image was never requested


def test_course_mode_submission_shows_the_rubric_and_no_model_answer(page, written_bank, tmp_path):
    from site_helpers import serve
    ex = written_bank["writ_ex1"]
    with serve(_written_site(tmp_path, written_bank, "course")) as base:
        kb = _open_written(page, base + "writ.html")
        kb.go("#writ_ex1-text")
        page.keyboard.type(ANSWER_1 + ANSWER_2)
        assert kb.check().startswith("Submitted. Score yourself against the rubric below.")
        box = page.locator("#writ_ex1-submitted")
        shown = squash(box.inner_text())
        assert "The model answer comes with your instructor's feedback." in shown
        assert text_of(ex.rubric[1].levels[2].descriptor) in shown
        html = page.content()
        assert text_of(ex.model_answer)[:40] not in html and text_of(ex.explanation)[:30] not in html
        page.check("#writ_ex1-self-evidence-2")
        page.check("#writ_ex1-self-position-0")
        assert page.inner_text("#writ_ex1 .exercise-self-total") == "Your self-assessment: 3 of 5 points."
        assert_clean(page)


def test_written_exercise_and_its_progress_pass_axe_once_submitted(page, written_site):
    axe = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
    kb = _open_written(page, written_site + "writ.html")
    kb.go("#writ_ex1-text")
    page.keyboard.type("Too short.")
    kb.check()
    page.check("#writ_ex1-self-position-1")
    assert page.locator("#writ_ex1-count.is-off").is_visible()
    problems = []
    for url in ("writ.html", "progress.html"):
        if url != "writ.html":
            page.goto(written_site + url)
        assert_clean(page)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]})""")
        problems += [f"{url}: {v['id']}: {v['help']} ({v['nodes'][0]['target']})"
                     for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not problems, "\n".join(problems)
