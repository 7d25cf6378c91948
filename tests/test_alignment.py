"""Objectives against exercises: every objective assessed at least twice, every exercise on a page."""
import re
from pathlib import Path

from exercises.alignment import exercises_by_objective, pages_showing, weak_objectives

ROOT = Path(__file__).resolve().parent.parent


def toc_pages() -> list[str]:
    return re.findall(r"file:\s*book/(\w+)", (ROOT / "_toc.yml").read_text())


def test_every_objective_is_assessed_by_at_least_two_exercises(bank):
    assert weak_objectives(bank) == {}


def test_every_exercise_assesses_a_defined_objective(bank):
    for ex in bank.exercises.values():
        assert ex.objectives and all(o in bank.objectives for o in ex.objectives), ex.id


def test_every_exercise_is_shown_on_exactly_one_page_of_the_book(bank):
    shown = pages_showing(ROOT / "book")
    in_toc = set(toc_pages())
    for ex_id in bank.exercises:
        pages = shown.get(ex_id, [])
        assert len(pages) == 1, f"{ex_id} is shown on {pages or 'no page'}"
        assert pages[0] in in_toc, f"{ex_id} is on {pages[0]}, which is not in _toc.yml"
    unknown = set(shown) - set(bank.exercises)
    assert not unknown, f"pages show exercises that are not in the bank: {sorted(unknown)}"


def test_each_chapter_page_shows_its_objectives_from_the_bank_before_its_first_exercise(bank):
    shown = pages_showing(ROOT / "book")
    for chapter in bank.chapters:
        pages = {shown[ex.id][0] for ex in chapter.exercises if ex.id in shown}
        assert len(pages) == 1, f"chapter {chapter.id} is spread over {pages}"
        text = (ROOT / "book" / f"{pages.pop()}.md").read_text("utf-8")
        call = f'objectives("{chapter.id}")'
        assert call in text, f"{chapter.id}: the page does not show its objectives with {call}"
        assert text.index(call) < text.index('show("'), f"{chapter.id}: objectives come after an exercise"


def test_objectives_table_lists_every_objective_and_links_every_exercise(bank):
    from exercises.alignment import table
    md = table(bank).markdown()
    for oid, ids in exercises_by_objective(bank).items():
        assert f"**{oid}**" in md
        for ex_id in ids:
            assert f"<{ex_id}>`" in md
