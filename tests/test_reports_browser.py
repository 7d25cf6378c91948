"""The HTML report in Chromium, opened from disk: nothing loaded from the network, no script
errors, no serious or critical axe violation, readable on a phone (no sideways scrolling of the page)."""
from __future__ import annotations

import pytest

import gradingkit as kit
import reportkit as rk
from exercises.reports import report
from test_accessibility import _axe, _describe


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    a, db = rk.class_gradebook(folder, 60)
    report(assignment=a, db=db, out=folder / "report", secret=kit.SECRET, made="2026-12-01")
    return folder / "report" / "t_irt_report.html"


def test_the_report_works_offline_from_disk_and_has_no_serious_axe_violation(report_page, page):
    html = report_page.read_text("utf-8")
    assert "<script" not in html and "cdn" not in html.lower()
    page.goto(report_page.as_uri(), wait_until="load")
    assert page.locator("svg[role=img][aria-label]").count() == 3
    problems = _describe(_axe(page))
    assert not problems, "\n".join(problems)
    assert page.blocked_requests == [] and page.console_errors == []


def test_the_report_is_readable_on_a_phone(report_page, page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(report_page.as_uri(), wait_until="load")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    width = page.evaluate("() => document.querySelector('svg.figure-svg').getBoundingClientRect().width")
    assert 200 < width <= 375
