"""Every full date the book states (e.g. "14 December 2007") is one its data files record.

The project never reads ../shared: the check runs against the copies in book/data, whose rows carry
their sources (tests/test_data.py checks that). A date typed wrong into a chapter fails here.
"""
import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# Dates the book states without a row in its data files, each with the reason it needs none.
KNOWN = {
    (2001, 9, 11): "the September 11 attacks: common knowledge, and the hinge of the Taliban's first fall",
    (2023, 7, 4): "the date of the India Today article as the paper's own reference list gives it (Manisha, 2023, July 4)",
}


def _month(name: str) -> int:
    return [m[:3] for m in MONTHS].index(name[:3].lower()) + 1


def recorded_dates() -> set[tuple[int, int, int]]:
    """Dates in book/data/*.csv: ISO dates in any field, and day-month mentions in the text of a
    row (with the year they name, or the row's own year)."""
    found: set[tuple[int, int, int]] = set()
    for path in (ROOT / "book" / "data").glob("*.csv"):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            text = " ".join(v or "" for v in row.values())
            for y, m, d, end in re.findall(r"\b(\d{4})-(\d{2})-(\d{2})(?:/(\d{2})\b)?", text):
                found.add((int(y), int(m), int(d)))
                if end:  # a range such as 2026-04-01/07 or 2025-10-11/12
                    found.add((int(y), int(m), int(end)))
            row_year = re.match(r"\d{4}", row.get("date") or row.get("year") or "")
            for day, month, year in re.findall(rf"\b(\d{{1,2}})\s*(?:[-–/]\s*\d{{1,2}}\s*)?{MONTH}(?:,?\s+(\d{{4}}))?", text, flags=re.I):
                y = int(year) if year else (int(row_year.group()) if row_year else None)
                if y:
                    found.add((y, _month(month), int(day)))
            for month, day, year in re.findall(rf"\b{MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})", text, flags=re.I):
                found.add((int(year), _month(month), int(day)))
    return found


def stated_dates(page: Path) -> list[tuple[str, tuple[int, int, int]]]:
    """Full dates in a page's prose ("14 December 2007", "15/16 August 2021"), not in code cells."""
    text = re.sub(r"```\{code-cell\}.*?```", "", page.read_text("utf-8"), flags=re.S)
    text = re.sub(r"\{cite:[pt]\}`[^`]*`", "", text)
    out = []
    pattern = rf"\b(\d{{1,2}})(?:\s*[-–/]\s*(\d{{1,2}}))?\s+({'|'.join(MONTHS)})\s+(\d{{4}})\b"
    for m in re.finditer(pattern, text, flags=re.I):
        out.append((m.group(0), (int(m.group(4)), _month(m.group(3)), int(m.group(1)))))
    return out


PAGES = sorted(p for p in (ROOT / "book").glob("*.md") if p.stem not in ("instructor_guide", "graded_assignments"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_full_date_on_the_page_is_recorded_in_the_data(page):
    recorded = recorded_dates()
    unknown = [text for text, date in stated_dates(page) if date not in recorded and date not in KNOWN]
    assert not unknown, f"{page.name} states dates no data file records: {sorted(set(unknown))}"


def test_the_check_catches_a_wrong_date(tmp_path):
    page = tmp_path / "wrong.md"
    page.write_text("The TTP was announced on 14 December 2007, and the Taliban took Kabul on 16 August 2020.\n")
    recorded = recorded_dates()
    assert [t for t, d in stated_dates(page) if d not in recorded] == ["16 August 2020"]
