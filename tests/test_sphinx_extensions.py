"""The two Sphinx extensions on tiny projects (``sphinx.testing``), in seconds, beside the full
book build: the engine's (bank check, assets) and the course site's (course edition references,
the execution-cache fingerprint, published notebooks)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from exercises.site import hooks

NOTEBOOK_PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
# A notebook page

```{code-cell} ipython3
from exercises import show
show("howto_ex1")
```
"""


def project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return root


def build(srcdir: Path, *, sources: dict | None = None, **confoverrides) -> SphinxTestApp:
    """Build ``srcdir``; ``sources`` (if given) collects each page's source as the extensions left it."""
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=confoverrides, status=None, warning=None)
    if sources is not None:
        app.connect("source-read", lambda app_, doc, source: sources.__setitem__(doc, source[0]), priority=900)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_the_engine_extension_ships_its_assets_on_every_page(tmp_path):
    src = project(tmp_path / "src", {"conf.py": "extensions = ['exercises.site.assets']\n",
                                     "index.rst": "Home\n====\n\nA page.\n"})
    app = build(src)
    out = Path(app.outdir)
    assert (out / "_static" / "exercises.js").is_file()
    html = (out / "index.html").read_text("utf-8")
    assert "_static/exercises.js" in html and "_static/exercises.css" in html
    assert "timeline.js" not in html  # a book's figure assets are not the engine's


def test_the_engine_extension_stops_a_build_on_a_broken_bank_with_one_line_per_problem(tmp_path, monkeypatch, capsys):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "broken.yml").write_text("schema_version: 1\nchapter: broken\n", "utf-8")
    monkeypatch.setenv("EXERCISES_BANK_DIR", str(bank))
    src = project(tmp_path / "src", {"conf.py": "extensions = ['exercises.site.assets']\n", "index.rst": "Home\n====\n"})
    with pytest.raises(SystemExit) as exit_:
        SphinxTestApp("html", srcdir=src, status=None, warning=None)
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "The book was not built: the exercise bank has" in err and "broken.yml" in err and "Traceback" not in err


SITE_CONF = """\
extensions = ['myst_nb', 'exercises.site.hooks']
nb_execution_mode = 'off'
mathjax_path = 'https://cdn.example.invalid/mathjax.js'
exclude_patterns = ['_build']
"""
TOC = """\
format: jb-book
root: index
chapters:
- file: page
- file: guide/instructor_guide
"""


def test_the_course_edition_turns_links_to_instructor_pages_into_plain_text(tmp_path, monkeypatch):
    monkeypatch.setattr("exercises.site.builds.INSTRUCTOR_PAGES", ("guide/instructor_guide",))
    monkeypatch.setenv("EXERCISES_BUILD", "course")
    src = project(tmp_path / "src", {
        "conf.py": SITE_CONF + "exclude_patterns += ['guide']\n", "_toc.yml": TOC,
        "index.md": "# Home\n\nSee {doc}`the guide <guide/instructor_guide>`, [its part](setup) and {ref}`setup`.\n",
        "guide/instructor_guide.md": "# Instructor guide\n\n(setup)=\n## Set-up\n",
    })
    app = build(src)
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert "the guide (for instructors; not part of this edition)" in html
    assert "its part (for instructors; not part of this edition)" in html
    assert "Instructor guide (for instructors; not part of this edition)" in html  # a bare label: the page title
    assert 'href="guide/instructor_guide.html' not in html


def test_a_notebook_page_gets_its_fingerprint_cell_and_a_published_notebook(tmp_path):
    src = project(tmp_path / "src", {"conf.py": SITE_CONF, "_toc.yml": "format: jb-book\nroot: index\nchapters:\n- file: page\n",
                                     "index.md": "# Home\n", "page.md": NOTEBOOK_PAGE})
    sources: dict[str, str] = {}
    app = build(src, sources=sources)
    out = Path(app.outdir)
    notebook = out / "_sources" / "page.ipynb"
    assert notebook.is_file()
    text = notebook.read_text("utf-8")
    assert 'show(\\"howto_ex1\\")' in text or "show(\"howto_ex1\")" in text
    assert "build fingerprint" not in text  # the cache's hidden cell stays out of the published notebook
    digest, _ = hooks.page_fingerprint(src, NOTEBOOK_PAGE, "study")
    assert f"{hooks.FINGERPRINT_MARK} {digest}" in sources["page"]
    assert hooks.FINGERPRINT_MARK not in sources["index"]  # not a notebook page
