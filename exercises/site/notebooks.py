"""The runnable notebooks published beside the pages, and the environment Binder builds for them.

Every notebook page's notebook is written at ``_sources/<page>.ipynb`` (where the theme's download
button points; the launch buttons open it too): its cells, with plain Markdown for MyST
(``plain_markdown``), after a set-up cell that installs this repository's package at the built commit.
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from .. import settings
from . import SiteError
from .builds import find_book_root
from .plain_markdown import plain_markdown

# Where a page's runnable notebook is published inside the site (beside Sphinx's copy of the
# source, which is where the theme's "download .ipynb" button points).
NOTEBOOK_DIR = "_sources"

_SHOW_ONLY = re.compile(r"""\bshow\(\s*["']([A-Za-z0-9_]+)["']\s*\)""")


def _distribution() -> str:
    """The name of the distribution this package is installed from (pyproject.toml's project name)."""
    from importlib.metadata import packages_distributions
    names = packages_distributions().get(__name__.partition(".")[0])
    if names:
        return names[0]
    import tomllib  # not installed (a bare checkout on sys.path): read the project file beside it
    return tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8"))["project"]["name"]


# The distribution name of this repository's package, for the install line of published notebooks.
DISTRIBUTION = _distribution()


def notebook_path(docname: str) -> str:
    """Where the runnable notebook of page ``docname`` is, relative to the site root."""
    return f"{NOTEBOOK_DIR}/{docname}.ipynb"


def install_requirement(repo_url: str, ref: str) -> str:
    """A pip requirement that installs this repository's package from ``repo_url`` at ``ref``."""
    return f"{DISTRIBUTION} @ git+{repo_url.rstrip('/')}@{ref}"


def setup_cell_source(requirement: str) -> str:
    template = (resources.files("exercises") / "templates" / "notebook_setup.py.txt").read_text("utf-8")
    return template.replace("{requirement}", requirement).rstrip() + "\n"


COURSE_SETUP = ('import os\n'
                f'os.environ["{settings.BUILD}"] = "course"  # the course edition: no explanation, no solution\n')


def sealed_cell_source(source: str, bank) -> str:
    """A course-edition code cell: each ``show("<id>")`` becomes ``show_sealed(<spec>)``, the
    exercise's public data and sealed spec written into the cell (``view.course_spec``)."""
    import pprint

    from ..views.show import course_spec

    def literal(match: re.Match) -> str:
        spec = course_spec(bank[match.group(1)])
        return "show_sealed(" + pprint.pformat(spec, width=100, sort_dicts=False) + ")"

    new = _SHOW_ONLY.sub(literal, source)
    if new == source:
        return source
    return "from exercises.views.show import show_sealed\n" + new


def page_notebook(source: Path, *, requirement: str, mode: str = "study"):
    """The runnable notebook of a MyST Markdown page: its cells (no outputs) after a set-up cell
    that installs this repository's package when the kernel lacks it (Colab, a fresh Binder).

    In the course edition (``mode="course"``) the set-up cell also sets ``EXERCISES_BUILD=course``
    and every exercise cell carries its sealed spec instead of naming a bank entry, so the
    notebook checks answers against hashes, shows no explanation and does not use the keyed bank."""
    import jupytext
    import nbformat

    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)
    nb.metadata.setdefault("language_info", {"name": "python"})
    bib = find_bibliography(source)
    for c in nb.cells:
        if c.cell_type == "markdown":
            c.source = plain_markdown(c.source, bib)
    nb.cells = [c for c in nb.cells if c.cell_type != "markdown" or c.source.strip()]
    setup = setup_cell_source(requirement)
    if mode == "course":
        from .. import bank as bank_mod

        setup += COURSE_SETUP
        bank = bank_mod.load()
        for c in nb.cells:
            if c.cell_type == "code":
                c.source = sealed_cell_source(c.source, bank)
    cell = nbformat.v4.new_code_cell(setup)
    cell.metadata["tags"] = ["setup"]
    nb.cells.insert(0, cell)
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i}"
    return nb


def find_bibliography(source: Path) -> Path | None:
    """The book's ``references.bib`` (beside ``_toc.yml``), for citations in published notebooks."""
    try:
        return find_book_root(source.parent) / "references.bib"
    except SiteError:
        return None


def write_page_notebook(source: Path, dest: Path, *, requirement: str, mode: str = "study") -> Path:
    import nbformat

    nb = page_notebook(source, requirement=requirement, mode=mode)
    dest.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb)
    if not dest.exists() or dest.read_text("utf-8") != text:
        dest.write_text(text, "utf-8")
    return dest


def binder_requirements(requirement: str) -> str:
    return ("# Generated by exercises.site.notebooks: the environment Binder builds for this site's notebooks.\n"
            f"{requirement}\n")
