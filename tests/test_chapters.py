"""Every chapter ends as a teaching text does: a summary, discussion questions and 3-6 items of
annotated further reading, each a cited work with a reason to read it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["rsct", "securitization", "constructivism", "two_lenses", "critics", "durand_line", "nexus",
            "numbers", "under_strain", "ways_forward", "reading_the_paper"]


def section(text: str, title: str) -> str | None:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    return m.group(1) if m else None


def reading_problems(text: str) -> list[str]:
    body = section(text, "Further reading")
    if body is None:
        return ["no 'Further reading' section"]
    items = [line for line in body.splitlines() if line.startswith("- ")]
    problems = [] if 3 <= len(items) <= 6 else [f"{len(items)} further-reading items (want 3-6)"]
    for item in items:
        m = re.match(r"- \{cite:t\}`[^`]+`: (.+)", item)
        if not m or len(m.group(1).split()) < 6:
            problems.append(f"item without a cited work and a reason to read it: {item[:60]!r}")
    return problems


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_summary_questions_and_annotated_reading(chapter):
    text = (ROOT / "book" / f"{chapter}.md").read_text("utf-8")
    assert section(text, "Summary"), f"{chapter}.md: no Summary section"
    questions = re.findall(r"^\d+\. ", section(text, "Discussion questions") or "", flags=re.M)
    assert len(questions) >= 3, f"{chapter}.md: {len(questions)} discussion questions (want 3 or more)"
    assert reading_problems(text) == [], f"{chapter}.md: {reading_problems(text)}"


def test_the_reading_check_rejects_a_bare_list():
    text = "## Further reading\n\n- Buzan 2003\n- {cite:t}`wendt_1999`: good\n"
    assert reading_problems(text) == ["2 further-reading items (want 3-6)",
                                      "item without a cited work and a reason to read it: '- Buzan 2003'",
                                      "item without a cited work and a reason to read it: '- {cite:t}`wendt_1999`: good'"]


def test_the_regional_scholarship_page_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text("utf-8")
    assert "book/regional_scholarship" in toc and "book/critics" in toc


def _part_pages(caption: str) -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text("utf-8"))
    (part,) = [p for p in toc["parts"] if p["caption"] == caption]
    return [c["file"].split("/")[-1] for c in part["chapters"]]


@pytest.mark.parametrize("page", _part_pages("The theories") + _part_pages("The case"))
def test_every_theory_and_case_chapter_sets_written_analysis_to_evaluate_and_to_create(page, bank):
    """What IR courses grade is written argument: each chapter of the theory and case parts sets at
    least two written exercises on its page, one at the evaluate level and one at the create level."""
    shown = re.findall(r'^show\("([a-z0-9_]+)"\)', (ROOT / "book" / f"{page}.md").read_text("utf-8"), flags=re.M)
    written = [bank[i] for i in shown if bank[i].type == "written"]
    assert len(written) >= 2, f"{page}.md shows {len(written)} written exercise(s): {[e.id for e in written]}"
    assert {"evaluate", "create"} <= {e.bloom for e in written}, f"{page}.md: {[(e.id, e.bloom) for e in written]}"
