"""Sphinx extension (``_config.yml`` ``extra_extensions``): the figures' CSS and JS.

The files in ``casebook/assets/`` are copied to the site's ``_static/``, but each is linked only
from the pages that show its figure: a page that imports ``casebook.timeline`` (directly or
through another module) gets ``timeline.css`` and ``timeline.js``, and no other page does. Which
module needs which files is each module's ``ASSETS``; which modules a page reaches is found by
``exercises.site.cache`` (the same analysis that keeps the execution cache honest).
"""
from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path

from sphinx.application import Sphinx

from exercises.site import cache

PACKAGE = __name__.partition(".")[0]


def assets_dir() -> Path:
    return Path(str(resources.files(PACKAGE) / "assets"))


def page_assets(text: str, book_root: Path) -> list[str]:
    """The asset file names the page with source ``text`` needs, in a stable order."""
    pkg = Path(str(resources.files(PACKAGE)))
    out: list[str] = []
    for path in cache.page_dependencies(text, book_root):
        if path.suffix != ".py" or not path.is_relative_to(pkg):
            continue
        rel = path.relative_to(pkg).with_suffix("")
        name = ".".join((PACKAGE, *rel.parts)).removesuffix(".__init__")
        for asset in getattr(importlib.import_module(name), "ASSETS", ()):
            if asset not in out:
                out.append(asset)
    return out


def builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(assets_dir()))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or pagename not in app.env.found_docs:
        return
    source = Path(app.env.doc2path(pagename))
    if not source.is_file():
        return
    for asset in page_assets(source.read_text("utf-8"), Path(app.srcdir)):
        if asset.endswith(".css"):
            app.add_css_file(asset)  # inside html-page-context: this page only
        elif asset.endswith(".js"):
            app.add_js_file(asset, loading_method="defer")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", builder_inited)
    app.connect("html-page-context", page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
