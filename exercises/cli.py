"""Command line: ``python -m exercises <verb>``. Each verb is a thin wrapper over one function."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from . import bank, settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Exercise bank, release, grading and export tools for the book."""


def _is_assignment(path: Path) -> bool:
    try:
        head = path.read_text("utf-8", errors="replace")[:4000]
    except OSError:
        return False
    return re.search(r"^assignment:", head, re.MULTILINE) is not None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check bank and assignment files (default: the whole bank and the sample assignments).

    One line per problem: file:line: id: field: message. An assignment's private bank
    (<name>.bank.yml) is checked with its assignment."""
    from .grading import assignment
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.glob("*.yml")) + sorted(p.glob("*.yaml")))
        elif p.exists():
            files.append(p)
        else:
            click.echo(f"{p}: -: -: no such file or directory", err=True)
            sys.exit(2)
    assignments = [f for f in files if _is_assignment(f)]
    banks = [f for f in files if f not in assignments and not f.name.endswith(".bank.yml")]
    if paths:
        found, problems = bank.validate(files=banks) if banks or not assignments else (None, [])
        problems = problems + assignment.validate(assignments)
    else:
        assignments = [assignment.find(n) for n in assignment.names()]
        found, problems = bank.validate()
        problems = problems + assignment.validate(assignments)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    parts = []
    if found is not None:
        n = sum(len(c.exercises) for c in found.chapters)
        parts.append(f"{len(found.chapters)} chapter file(s), {n} exercises, {len(found.objectives)} objectives")
    if assignments:
        parts.append(f"{len(assignments)} assignment(s)")
    click.echo(f"ok: {'; '.join(parts)}.")


@main.group("site")
def site_group() -> None:
    """Build the book's website: the self-study site or the course edition."""


@site_group.command("build")
@click.option("--mode", type=click.Choice(settings.MODES), default="study", show_default=True,
              help="study: explanations after a right answer; course: none, and no instructor pages")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="output folder; the HTML lands in <output>/_build/html (default: the repository for "
                   "study, so _build/html; _build/course for course)")
def site_build(mode: str, output: Path | None) -> None:
    """Build the site with jupyter-book (-W: any warning fails the build)."""
    from .site import SiteError, builds
    try:
        root = builds.find_book_root(Path(__file__).resolve().parent)
        default = root if mode == "study" else root / "_build" / "course"
        html = builds.build(root=root, output=output or default, mode=mode)
    except SiteError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Built the {mode} site: {html / 'index.html'}")


@site_group.command("course-toc")
@click.argument("dest", type=click.Path(path_type=Path))
def site_course_toc(dest: Path) -> None:
    """Write the course edition's table of contents (the instructor pages left out) to DEST."""
    from .site import SiteError, builds
    try:
        root = builds.find_book_root(Path(__file__).resolve().parent)
        builds.write_toc(builds.course_toc(builds.read_toc(root / "_toc.yml")), dest)
    except SiteError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


# the graded-notebook verbs (release, grade, regrade, export, report, mark) live in grading/cli.py
from .grading.cli import COMMANDS as _GRADING_COMMANDS  # noqa: E402

for _command in _GRADING_COMMANDS:
    main.add_command(_command)
