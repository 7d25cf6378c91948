"""One click CLI (``python -m exercises``): its choices come from the modules that own them."""
from __future__ import annotations

from click.testing import CliRunner

from exercises import settings
from exercises.grading import export
from exercises.cli import main
from exercises.site.builds import INSTRUCTOR_PAGES


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_verb_is_in_the_one_cli():
    names = set(main.commands)
    assert {"validate", "release", "grade", "regrade", "export", "site"} <= names
    assert set(main.commands["site"].commands) == {"build", "course-toc"}


def test_export_formats_are_the_exporters_own_list():
    option = next(p for p in main.commands["export"].params if p.name == "formats")
    assert tuple(option.type.choices) == export.FORMATS


def test_site_build_modes_are_the_settings_modes_and_a_wrong_one_is_one_clear_line():
    option = next(p for p in main.commands["site"].commands["build"].params if p.name == "mode")
    assert tuple(option.type.choices) == settings.MODES
    result = run("site", "build", "--mode", "exam")
    assert result.exit_code == 2 and "'exam' is not one of 'study', 'course'" in result.output


def test_course_toc_leaves_out_the_instructor_pages(tmp_path):
    result = run("site", "course-toc", str(tmp_path / "toc.yml"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "toc.yml").read_text("utf-8")
    assert "book/rsct" in text
    assert not [p for p in INSTRUCTOR_PAGES if p in text]
