"""Sphinx extension ``exercises.site.assets``: validate the bank before anything is built, and
ship the engine's JS and CSS.

Every file in ``exercises/assets/`` is copied to ``_static/exercises/`` and linked from every
page (``*.js`` as deferred modules-free scripts, ``*.css`` as stylesheets), so the static view of an
exercise works on any page with no network. (A book's own figures ship their files themselves,
linked only where they are shown: see ``casebook/sphinx_assets.py``.)
"""
from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from sphinx.application import Sphinx

from .. import bank, settings


def assets_dir() -> Path:
    return Path(str(resources.files("exercises") / "assets"))


def _check_bank(app: Sphinx) -> None:
    _, problems = bank.validate()
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        # A clean exit, not an exception: jupyter-book re-raises build exceptions with a traceback,
        # which would bury the one line per problem that an author needs.
        sys.stderr.write(f"\nThe book was not built: the exercise bank has {len(problems)} problem(s):\n{lines}\n"
                         "Run `python -m exercises validate` for the same list.\n")
        sys.stderr.flush()
        raise SystemExit(1)


def _add_assets(app: Sphinx) -> None:
    static = assets_dir()
    app.config.html_static_path.append(str(static.parent / "assets"))
    for path in sorted(static.iterdir()):
        if path.suffix == ".css":
            app.add_css_file(path.name)
        elif path.suffix == ".js":
            app.add_js_file(path.name, loading_method="defer")


def builder_inited(app: Sphinx) -> None:
    _check_bank(app)
    # Pages executed for the site carry only the static view: no embedded widget state and no
    # answer restored from a journal lying around (the kernels inherit this environment).
    os.environ.setdefault(settings.STATIC_BUILD, "1")
    if app.builder.format == "html":
        _add_assets(app)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", builder_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
