"""The graded-notebook verbs: ``release``, ``grade``, ``regrade``, ``export``, ``report``.

Each is a thin wrapper over one keyword-only function (``release.release``, ``batch.grade``,
``batch.regrade``, ``export.export``, ``reports.report``). Problems end with one line each and a non-zero exit,
never a traceback.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from .export import FORMATS as EXPORT_FORMATS

DB_HELP = "the gradebook (SQLite file; created if missing)"
CONFIG_HELP = "instructor config with the secret for per-student variants (default: see docs/grading.md)"


@contextmanager
def _clean_errors():
    """Known problems become one line each and exit code 1 or 2."""
    from .assignment import AssignmentError
    from .gradebook import GradebookError
    from ..reports import ReportError
    from .roster import RosterError
    from .submissions import SourceError
    from .variants import SecretError
    try:
        yield
    except AssignmentError as err:
        for p in err.problems:
            click.echo(str(p), err=True)
        click.echo(f"{len(err.problems)} problem(s) in the assignment.", err=True)
        sys.exit(1)
    except RosterError as err:
        for p in err.problems:
            click.echo(p, err=True)
        sys.exit(2)
    except (SecretError, SourceError, GradebookError, ReportError) as err:
        click.echo(str(err), err=True)
        sys.exit(2)


def _assignment(name: str):
    from .assignment import load
    return load(name)


def _roster(path: Path | None):
    from .roster import load
    return load(path) if path else None


@click.command()
@click.argument("assignment")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="folder for the student notebooks")
@click.option("--roster", type=click.Path(path_type=Path), help="CSV of students: one notebook each, with their own variant")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--no-secret", is_flag=True, help="release the class notebook without a secret (option orders "
              "can then be predicted, and nothing binds a notebook to its release)")
def release(assignment: str, out: Path, roster: Path | None, config: Path | None, no_secret: bool) -> None:
    """Write the student notebooks of ASSIGNMENT (a name in examples/assignments or a .yml path)."""
    from .release import release as do_release
    from .variants import load_secret
    with _clean_errors():
        a = _assignment(assignment)
        students = _roster(roster)
        secret = load_secret(config, required=students is not None or not no_secret)
        if secret is None:
            click.echo("warning: released without an instructor secret: every shuffle of options is the same for "
                       "everyone and can be computed from the public code (so the bank's order, often the key's, "
                       "can be recovered), and the notebooks carry no binding the grader can check", err=True)
        written = do_release(assignment=a, out=out, roster=students, secret=secret)
    who = f"{len(written)} students" if students is not None else "the whole class"
    click.echo(f"released {a.name}: {len(written)} notebook(s) for {who} in {out}")


@click.command()
@click.argument("assignment")
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--db", default=Path("gradebook.sqlite"), type=click.Path(path_type=Path), show_default=True, help=DB_HELP)
@click.option("--roster", type=click.Path(path_type=Path), help="CSV of students (plain, Canvas export or Moodle worksheet)")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--progress/--no-progress", default=True, show_default=True, help="show a progress bar")
@click.option("--student", help="every file in SUBMISSIONS is this student's (Gradescope: one submission per run)")
def grade(assignment: str, submissions: Path, db: Path, roster: Path | None, config: Path | None, progress: bool,
          student: str | None) -> None:
    """Grade SUBMISSIONS (a folder or zip as downloaded from Canvas or Moodle) into the gradebook."""
    from .batch import grade as do_grade
    from .variants import load_secret
    with _clean_errors():
        a = _assignment(assignment)
        secret = load_secret(config)
        if secret is None and a.has_params:
            click.echo("note: no instructor secret; notebooks released with per-student variants will be rejected "
                       "with that reason (set EXERCISES_SECRET or instructor.toml)", err=True)
        summary = do_grade(assignment=a, submissions=submissions, db=db, roster=_roster(roster), secret=secret,
                           progress=progress, student=student)
    for line in summary.lines():
        click.echo(line)
    click.echo(f"gradebook: {db}")


@click.command()
@click.argument("assignment")
@click.option("--db", default=Path("gradebook.sqlite"), type=click.Path(path_type=Path), show_default=True, help=DB_HELP)
@click.option("--roster", type=click.Path(path_type=Path), help="CSV of students, if it changed")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--progress/--no-progress", default=True, show_default=True, help="show a progress bar")
def regrade(assignment: str, db: Path, roster: Path | None, config: Path | None, progress: bool) -> None:
    """Rescore every submission in the gradebook with the current key (keeps the old scores as history)."""
    from .batch import regrade as do_regrade
    from .variants import load_secret
    with _clean_errors():
        if not Path(db).is_file():
            click.echo(f"{db}: no such gradebook (grade some submissions first)", err=True)
            sys.exit(2)
        a = _assignment(assignment)
        summary = do_regrade(assignment=a, db=db, roster=_roster(roster), secret=load_secret(config), progress=progress)
    for line in summary.lines():
        click.echo(line)


@click.command()
@click.argument("assignment")
@click.option("--db", default=Path("gradebook.sqlite"), type=click.Path(path_type=Path), show_default=True, help=DB_HELP)
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="folder for the exports")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(EXPORT_FORMATS),
              help="what to write (repeatable; default: all)")
@click.option("--reveal-keys", is_flag=True, help="show a correct answer in each feedback page")
@click.option("--canvas-column", help='Canvas column name, e.g. "Assignment 1 (12345)" to update an existing assignment')
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
def export(assignment: str, db: Path, out: Path, formats: tuple[str, ...], reveal_keys: bool,
           canvas_column: str | None, config: Path | None) -> None:
    """Write grade CSVs (wide, long, Canvas, Moodle), Gradescope results and feedback pages."""
    from .export import export as do_export
    from .variants import load_secret
    with _clean_errors():
        if not Path(db).is_file():
            click.echo(f"{db}: no such gradebook (grade some submissions first)", err=True)
            sys.exit(2)
        a = _assignment(assignment)
        written = do_export(assignment=a, db=db, out=out, formats=formats or EXPORT_FORMATS, reveal_keys=reveal_keys,
                            canvas_column=canvas_column, secret=load_secret(config))
    click.echo(f"exported {a.name}: {len(written)} file(s) in {out}")


@click.command()
@click.argument("assignment")
@click.option("--db", default=Path("gradebook.sqlite"), type=click.Path(path_type=Path), show_default=True,
              help="the gradebook (SQLite file)")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="folder for the report and its CSV/JSON files")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP + "; needed to compare variants")
def report(assignment: str, db: Path, out: Path, config: Path | None) -> None:
    """Item analysis and class report of ASSIGNMENT: an HTML page (offline) and CSV/JSON files."""
    from ..reports import report as do_report
    from .variants import load_secret
    with _clean_errors():
        a = _assignment(assignment)
        written = do_report(assignment=a, db=db, out=out, secret=load_secret(config))
    click.echo(f"report of {a.name}: {written[0]} and {len(written) - 1} CSV/JSON file(s) in {out}")


@click.command()
@click.argument("assignment")
@click.option("--db", default=Path("gradebook.sqlite"), type=click.Path(path_type=Path), show_default=True,
              help="the gradebook (SQLite file) with graded submissions")
@click.option("--marker", required=True, help="your name, saved with every mark")
@click.option("--names", is_flag=True, help="show student ids (default: anonymous pseudonyms)")
@click.option("--round", "round_", type=click.IntRange(1, 2), default=1, show_default=True,
              help="1: first marking; 2: blind second marking of a moderation sample")
@click.option("--sample", type=click.FloatRange(0, 1, min_open=True), default=0.1, show_default=True,
              help="round 2: the fraction of each question's responses to second-mark (at least 5)")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0: any free port")
def mark(assignment: str, db: Path, marker: str, names: bool, round_: int, sample: float, port: int) -> None:
    """Mark the written answers of ASSIGNMENT in a local web app (127.0.0.1, with a token in the link)."""
    from ..marking.app import Settings, serve
    from ..marking.store import MarkError
    with _clean_errors():
        if not Path(db).is_file():
            click.echo(f"{db}: no such gradebook (grade some submissions first)", err=True)
            sys.exit(2)
        a = _assignment(assignment)
        settings = Settings(assignment=a, db=db, marker=marker, names=names, round=round_, sample=sample)
        try:
            serve(settings, port=port, announce=lambda url: click.echo(
                f"marking {a.name} as {marker}: open {url}\n(Ctrl-C stops; every mark is already saved)"))
        except MarkError as err:
            click.echo(str(err), err=True)
            sys.exit(2)
        except OSError as err:
            click.echo(f"cannot serve on 127.0.0.1:{port}: {err.strerror or err}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("stopped; every mark is saved in the gradebook")


COMMANDS = (release, grade, regrade, export, report, mark)
