"""The static view in a real Chromium, driven by the keyboard only.

For each of the ten types, a small standalone page (static.page + the real assets) is answered
wrong, then right, with Tab / Space / Enter / arrow keys / typing; the test checks the feedback
text, the explanation, the ``exercise:checked`` events, the absence of console errors and that no
request left the machine. One more test does the same on the built book page how_to_use.html.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from exercises import static
from exercises.markdown import to_html

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
