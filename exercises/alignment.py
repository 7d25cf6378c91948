"""Objectives against exercises: the alignment table of the book, generated from the bank."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from .bank import Bank

_SHOW = re.compile(r"""show\(\s*["']([a-z][a-z0-9]*_ex[0-9]+)["']\s*\)""")
# a fence of four or more backticks/tildes quotes MyST source as an example: nothing in it runs
_QUOTED = re.compile(r"^(`{4,}|~{4,}).*?^\1[ \t]*$", flags=re.S | re.M)


def exercises_by_objective(bank: Bank) -> dict[str, list[str]]:
    """Every objective id of the bank -> the ids of the exercises that assess it (possibly none)."""
    table: dict[str, list[str]] = {oid: [] for oid in bank.objectives}
    for ex in bank.exercises.values():
        for oid in ex.objectives:
            table.setdefault(oid, []).append(ex.id)
    return table


def weak_objectives(bank: Bank, minimum: int = 2) -> dict[str, int]:
    """Objectives assessed by fewer than ``minimum`` exercises -> how many they have."""
    return {oid: len(ids) for oid, ids in exercises_by_objective(bank).items() if len(ids) < minimum}


def pages_showing(book_dir: Path) -> dict[str, list[str]]:
    """Exercise id -> the pages (file stems) whose cells call ``show("<id>")``."""
    found: dict[str, list[str]] = defaultdict(list)
    for page in sorted(Path(book_dir).glob("*.md")):
        for ex_id in _SHOW.findall(_QUOTED.sub("", page.read_text("utf-8"))):
            found[ex_id].append(page.stem)
    return dict(found)


class AlignmentTable:
    """Displays as MyST Markdown (cross-references to each exercise's label resolve in the build)."""

    def __init__(self, bank: Bank):
        self.bank = bank

    def markdown(self) -> str:
        by_objective = exercises_by_objective(self.bank)
        exercises = self.bank.exercises
        out = []
        for chapter in self.bank.chapters:
            out.append(f"### {chapter.title}\n")
            out.append("| Objective | Exercises | Levels |\n|---|---|---|")
            for obj in chapter.objectives:
                ids = by_objective.get(obj.id, [])
                links = ", ".join(f"{{ref}}`{exercises[i].title.replace('`', '')} <{i}>`" for i in ids) or "none"
                levels = ", ".join(sorted({exercises[i].bloom for i in ids})) or "-"
                out.append(f"| **{obj.id}**: {obj.text.replace('|', '/')} | {links} | {levels} |")
            out.append("")
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.markdown()


def table(bank: Bank | None = None) -> AlignmentTable:
    from .bank import load
    return AlignmentTable(bank or load())


class ChapterObjectives:
    """A chapter's learning objectives, from the bank (the one place they are written)."""

    def __init__(self, chapter):
        self.chapter = chapter

    def _repr_markdown_(self) -> str:
        from .views.show import static_build

        items = "\n".join(f"{i}. {o.text}" for i, o in enumerate(self.chapter.objectives, 1))
        if not static_build():  # a live notebook renders CommonMark: no MyST admonition there
            return f"**Learning objectives.** By the end of this chapter you should be able to:\n\n{items}\n"
        return f":::{{admonition}} Learning objectives\n:class: tip\nBy the end of this chapter you should be able to:\n\n{items}\n:::\n"


def objectives(chapter_id: str) -> ChapterObjectives:
    """Display the learning objectives of ``chapter_id`` (a hidden cell at the top of each chapter)."""
    from .bank import load
    return ChapterObjectives(load().chapter(chapter_id))
