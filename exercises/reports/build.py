"""``report(assignment=..., db=..., out=...)``: the item analysis and class report of one
assignment, from the gradebook, into a folder: an HTML page and the CSV/JSON files behind it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..grading.assignment import Assignment
from ..grading.gradebook import Gradebook
from . import figures, render, writers
from .analysis import analyse
from .data import ReportError, load

#: role -> (file name suffix, what it holds)
FILES = {
    "html": ("report.html", "this page"),
    "json": ("report.json", "every number of this page, for programs"),
    "items": ("items.csv", "item statistics and flags (the item map's numbers)"),
    "options": ("options.csv", "every option's pick rate, overall and in the upper and lower groups"),
    "partial": ("partial_credit.csv", "partial-credit distributions of multi-part items"),
    "parts": ("parts.csv", "share right of each part of multi-part items"),
    "variants": ("variants.csv", "facility per variant of items with params"),
    "flags": ("flags.csv", "every flag with its reason"),
    "scores": ("scores.csv", "the score distribution (the histogram's numbers)"),
    "objectives": ("objectives.csv", "class mastery per objective (the bar chart's numbers)"),
    "bloom": ("bloom.csv", "class mastery per Bloom level"),
    "students": ("objectives_by_student.csv", "each student's mastery of each objective, for the LMS"),
    "written": ("written.csv", "written items: answers at each rubric level, and second-marking agreement"),
}


def file_names(assignment: str) -> dict[str, str]:
    return {role: f"{assignment}_{suffix}" for role, (suffix, _) in FILES.items()}


def report(*, assignment: Assignment, db: Path, out: Path, secret: bytes | None = None,
           made: str | None = None) -> list[Path]:
    """Write the report of ``assignment`` from the gradebook ``db`` into ``out``; returns the files."""
    db = Path(db)
    if not db.is_file():
        raise ReportError(f"{db}: no such gradebook (grade some submissions first)")
    with Gradebook(db) as gb:
        if assignment.name not in gb.assignments():
            known = ", ".join(gb.assignments()) or "none"
            raise ReportError(f"{db}: no submissions of {assignment.name} in this gradebook (assignments in it: {known})")
        cohort = load(gb, assignment, secret=secret)
    result = analyse(cohort)
    svg = {}
    for name, (markup, alt) in {"histogram": figures.score_histogram(result["test"]),
                                "item_map": figures.item_map(result["items"]),
                                "objectives": figures.mastery_chart(result["objectives"], "objectives", "obj")}.items():
        svg[name] = {"svg": markup, "alt": alt}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names = file_names(assignment.name)
    written = writers.write_all(result, out, names)
    listing = [(FILES[role][1], names[role]) for role in FILES if role != "html"]
    html = out / names["html"]
    html.write_text(render.page(result, svg, names, listing, made or dt.date.today().isoformat()), "utf-8")
    return [html] + written
