"""Per-page execution-cache fingerprints: a page's fingerprint covers what renders it (the
modules it reaches, the data files they read, the bank files it shows) and nothing else."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from exercises.site import builds, cache, hooks
from exercises.site.pages import is_notebook_source, shown_exercises, source_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A copy of the book and its two packages (the figures' data folder still a symlink to
    book/data) that the cache reads."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "book", tmp_path / "book", ignore=ignore)
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    for pkg in ("exercises", "casebook"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, symlinks=True, ignore=ignore)
    assert (tmp_path / "casebook" / "data").is_symlink()
    monkeypatch.setattr(cache, "package_dir", lambda: tmp_path / "exercises")
    monkeypatch.setattr(sys.modules[__name__], "BOOK", tmp_path)
    return tmp_path


BOOK = ROOT


def pages() -> dict[str, str]:
    out = {}
    for doc in builds.toc_docnames(builds.read_toc(BOOK / "_toc.yml")):
        path = source_path(BOOK, doc)
        if path is not None and is_notebook_source(text := path.read_text("utf-8")):
            out[doc] = text
    return out


def fingerprints() -> dict[str, str]:
    return {doc: hooks.page_fingerprint(BOOK, text, "study")[0] for doc, text in pages().items()}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {doc for doc in before if before[doc] != after[doc]}


def test_editing_timeline_csv_re_executes_the_durand_line_page_but_not_the_theory_pages(copy):
    before = fingerprints()
    csv = copy / "book" / "data" / "timeline.csv"
    csv.write_text(csv.read_text("utf-8") + "\n", "utf-8")
    hit = changed(before, fingerprints())
    assert "book/durand_line" in hit
    assert "book/rsct" not in hit and "book/constructivism" not in hit


def test_editing_the_grader_re_executes_only_the_page_that_runs_the_grader(copy):
    before = fingerprints()
    grade = copy / "exercises" / "grading" / "assess.py"
    grade.write_text(grade.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert changed(before, fingerprints()) == {"book/graded_assignments"}


def test_editing_the_static_view_re_executes_every_page_that_shows_an_exercise(copy):
    before = fingerprints()
    static = copy / "exercises" / "views" / "static.py"
    static.write_text(static.read_text("utf-8") + "\n# edited\n", "utf-8")
    showing = {doc for doc, text in pages().items() if shown_exercises(text)}
    assert showing and showing <= changed(before, fingerprints())


def test_a_page_depends_on_the_modules_it_reaches_and_the_data_they_name():
    deps = cache.page_dependencies(
        "```{code-cell} ipython3\nfrom casebook.timeline import timeline\ntimeline()\n```\n", ROOT)
    names = {p.name for p in deps}
    assert {"timeline.py", "datasets.py", "timeline.csv", "timeline.css", "__init__.py"} <= names
    assert "assess.py" not in names and "places.csv" not in names
    assert (ROOT / "book" / "data" / "timeline.csv") in deps  # the symlinked data folder, resolved


def test_editing_a_figure_module_re_executes_only_the_pages_that_show_that_figure(copy):
    before = fingerprints()
    wendt = copy / "casebook" / "wendt.py"
    wendt.write_text(wendt.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert changed(before, fingerprints()) == {"book/constructivism"}
