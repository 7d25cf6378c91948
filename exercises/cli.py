"""Command line: ``python -m exercises <verb>``. Each verb is a thin wrapper over one function."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import bank


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Exercise bank, release, grading and export tools for the book."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check bank files (default: the whole bank). One line per problem: file:line: id: field: message."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.glob("*.yml")) + sorted(p.glob("*.yaml")))
        elif p.exists():
            files.append(p)
        else:
            click.echo(f"{p}: -: -: no such file or directory", err=True)
            sys.exit(2)
    found, problems = bank.validate(files=files) if paths else bank.validate()
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    n = sum(len(c.exercises) for c in found.chapters)
    click.echo(f"ok: {len(found.chapters)} chapter file(s), {n} exercises, {len(found.objectives)} objectives.")


# the graded-notebook verbs (release, grade, regrade, export) live in cli_grading.py
from .cli_grading import COMMANDS as _GRADING_COMMANDS  # noqa: E402

for _command in _GRADING_COMMANDS:
    main.add_command(_command)
