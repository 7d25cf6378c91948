"""The course site: the two builds of the book and the Sphinx extensions that run during them.

Two builds come from one source: ``study`` (default: ``jupyter-book build .``, ``scripts/build.sh``)
and ``course`` (``python -m exercises site build --mode course``, ``scripts/build_course.sh``), in
which every exercise renders without explanations or solutions and the instructor pages are left out.

One module per role (import the module you need; this file re-exports only ``progress_page``,
which pages written before the views moved import from here):

* ``builds``: the two builds (tables of contents, the course edition's, the jupyter-book command,
  its environment and the kernels' IPython profile) and ``find_book_root``;
* ``pages``: which page shows which exercise (show calls, labels, titles, notebook pages);
* ``cache``: what a page's executed output depends on (modules reached, data files named, bank files);
* ``notebooks``: the runnable notebooks published beside the pages, and Binder's requirements;
* ``plain_markdown``: MyST as plain Markdown, for those notebooks;
* ``launch``: the repository (placeholder checks, the built commit) and the launch links;
* ``mathjax``: the self-hosted MathJax;
* ``assets``: Sphinx extension ``exercises.site.assets``: validate the bank, ship the engine's JS and CSS;
* ``hooks``: Sphinx extension ``exercises.site.hooks``: the build's hooks (edition, cache
  fingerprints, published notebooks, launch buttons, widget state, page tags, accessibility repairs).

Everything but the two extensions is plain functions, usable by tests and scripts without Sphinx.
"""
from __future__ import annotations


class SiteError(Exception):
    """A problem with the site's configuration or inputs; the message says what and where."""


def __getattr__(name: str):
    """Kept: book pages written before the views moved import ``progress_page`` from here."""
    if name == "progress_page":
        from ..views.progress import progress_page
        return progress_page
    raise AttributeError(f"module 'exercises.site' has no attribute {name!r}")
