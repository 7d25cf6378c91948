"""Sphinx extension ``exercises.site.hooks``: the course site's hooks into the build (registered in
``_config.yml`` ``extra_extensions``, after ``exercises.site.assets``).

During a build it:

* checks ``EXERCISES_BUILD`` ("study" or "course") and, in the course build, turns references to
  the instructor pages (left out by the generated table of contents) into plain text;
* makes the execution cache honest: every notebook page gets a hidden cell holding a fingerprint
  of what its outputs depend on beyond its own code (the bank files of the exercises it shows, the
  package modules and data files it reaches (``cache``), the build mode; for the progress page,
  which page shows which exercise),
  so a change there re-executes exactly the pages it affects, and an edit to one page re-executes
  only that page;
* publishes a runnable notebook of every notebook page at ``_sources/<page>.ipynb`` (the theme's
  download button points there) and points the Binder, JupyterHub and Colab buttons at it, on the
  branch the site is deployed to (``launch_buttons.notebooks_branch``, default ``gh-pages``);
* drops the ipywidgets state and the CDN widget scripts myst-nb would add (the static pages use
  each output's ``text/html``), and serves MathJax from the site itself;
* tags every page with the book's id and the progress page's address for ``assets/progress.js``;
* repairs what axe-core and the browser console report about the theme stack at the source:
  duplicated inline scripts, an unset colour mode, the deprecated ``doc-biblioentry`` role, and
  hidden-cell toggles whose accessible name hides their visible label (``assets/site.js`` and
  ``assets/site.css`` do the rest).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError, ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .. import settings
from . import SiteError, builds, cache, launch, mathjax, notebooks, pages
from ..views.progress import PROGRESS_PAGE

LOGGER = logging.getLogger(__name__)

FINGERPRINT_MARK = "# exercises.site build fingerprint:"


def _root(app: Sphinx) -> Path:
    return Path(app.srcdir)


# --- configuration ----------------------------------------------------------------------------

def config_inited(app: Sphinx, config) -> None:
    try:
        app.exercises_mode = settings.build_mode()
    except settings.SettingsError as exc:
        raise ConfigError(str(exc)) from None


def builder_inited(app: Sphinx) -> None:
    app.exercises_leave_out = {}
    if app.builder.format != "html":
        return
    if not re.match(r"^(https?:)?//", app.config.mathjax_path or ""):
        try:
            mathjax.mathjax_source(_root(app))
        except SiteError as exc:
            raise ExtensionError(str(exc)) from None
    if app.exercises_mode == "course":
        app.exercises_leave_out = _left_out_targets(_root(app))
    problem = launch.repository_problem((app.config.html_theme_options or {}).get("repository_url", ""))
    if problem:
        LOGGER.warning(problem)


# --- the execution cache ----------------------------------------------------------------------

def _progress_inputs(root: Path) -> tuple[list[Path], list[str]]:
    toc = root / "_toc.yml"
    paths = [toc]
    extra = []
    for doc in builds.toc_docnames(builds.read_toc(toc)):
        path = pages.source_path(root, doc)
        if path is not None:
            paths.append(path)
            extra.append(f"{doc}:{' '.join(pages.shown_exercises(path.read_text('utf-8')))}")
    return paths, extra


def page_fingerprint(root: Path, text: str, mode: str) -> tuple[str, list[Path]]:
    """The fingerprint of a notebook page's executed output, and the files it covers."""
    shown = pages.shown_exercises(text)
    deps = cache.page_dependencies(text, root) + cache.bank_files(ex.split("_ex")[0] for ex in shown)
    extra = [f"mode={mode}"]
    if "progress_page(" in text:
        _, listing = _progress_inputs(root)
        deps += cache.bank_files(p.stem for p in (cache.package_dir() / "bank").glob("*.yml"))
        extra += listing
    return cache.fingerprint(deps, extra), deps


def source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    if not pages.is_notebook_source(text) or "exercises" not in text:
        return
    digest, deps = page_fingerprint(_root(app), text, app.exercises_mode)
    if "progress_page(" in text:
        # Re-read (cheap) when another page changes, so a new or moved exercise is listed; its
        # cell re-executes only when the listing itself changes.
        for path in _progress_inputs(_root(app))[0]:
            app.env.note_dependency(str(path))
    for path in deps:
        app.env.note_dependency(str(path))
    source[0] = (text.rstrip("\n") + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
                 f"{FINGERPRINT_MARK} {digest}\n```\n")


def doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Forget the widget state and widget scripts myst-nb noted for this page."""
    data = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {})
    js_files = data.get("js_files")
    if js_files:
        for key in [k for k in js_files if k.startswith("ipywidgets")]:
            del js_files[key]


# --- notebooks, launch buttons, page tags ------------------------------------------------------

def _launch_settings(app: Sphinx) -> dict[str, Any]:
    opts = app.config.html_theme_options or {}
    return dict(opts.get("launch_buttons") or {})


def _repository(app: Sphinx) -> launch.Repository | None:
    return launch.Repository.parse((app.config.html_theme_options or {}).get("repository_url", ""))


def _requirement(app: Sphinx) -> str:
    opts = app.config.html_theme_options or {}
    repo = opts.get("repository_url") or ""
    if not hasattr(app, "exercises_commit"):
        app.exercises_commit = launch.built_commit(_root(app))
    ref = app.exercises_commit or opts.get("repository_branch") or "main"  # the built commit, pinned
    if not repo:
        return notebooks.DISTRIBUTION
    return notebooks.install_requirement(repo, ref)


def _is_notebook_page(app: Sphinx, pagename: str) -> bool:
    return "kernelspec" in app.env.metadata.get(pagename, {})


def page_context_early(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Before the theme builds its buttons: offer the notebook download on every notebook page."""
    if doctree is not None and _is_notebook_page(app, pagename):
        context["ipynb_source"] = pagename + ".ipynb"


def page_context_late(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """After the theme: write the page's notebook, retarget the launch buttons, tag the page."""
    tags = [f'<meta name="exercises-site" content="{_site_id(app)}">']
    if PROGRESS_PAGE in app.env.found_docs:
        tags.append(f'<meta name="exercises-progress-page" content="{PROGRESS_PAGE}.html">')
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"
    _tidy_theme_context(context)
    if "body" in context:
        # docutils marks bibliography entries with the DPUB role doc-biblioentry, deprecated in
        # ARIA 1.2+: inside their role="list" they must be list items (axe: aria-required-children).
        context["body"] = context["body"].replace(' role="doc-biblioentry"', ' role="listitem"')
        # myst-nb names the summary of a hidden cell "Toggle hidden content" while it shows "Show
        # code cell source": a name must contain the visible label (WCAG 2.5.3); let the text name it.
        context["body"] = context["body"].replace('<summary aria-label="Toggle hidden content">', "<summary>")
    if doctree is None or not _is_notebook_page(app, pagename):
        return
    source = Path(app.env.doc2path(pagename))
    dest = Path(app.outdir) / notebooks.notebook_path(pagename)
    if source.suffix == ".md":
        notebooks.write_page_notebook(source, dest, requirement=_requirement(app), mode=app.exercises_mode)
    _retarget_launch_buttons(app, pagename, context)


def _tidy_theme_context(context: dict) -> None:
    """Two console errors the theme stack makes on every page, fixed at the source of each:
    sphinx-thebe's inline configuration script is listed twice (``const`` declared twice), and
    pydata-sphinx-theme starts from an empty colour mode unless ``default_mode`` is set."""
    seen, scripts = set(), []
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def _site_id(app: Sphinx) -> str:
    repo = _repository(app)
    if repo:
        return f"{repo.org}/{repo.name}"
    return re.sub(r"[^a-z0-9]+", "-", (app.config.html_title or app.config.project).lower()).strip("-")


def _retarget_launch_buttons(app: Sphinx, pagename: str, context: dict) -> None:
    settings = _launch_settings(app)
    repo = _repository(app)
    groups = [b for b in context.get("header_buttons", []) if b.get("label") == "launch-buttons"]
    if not groups:
        return
    group = groups[0]
    if repo is None:
        context["header_buttons"].remove(group)
        return
    links = launch.launch_links(
        pagename, repo=repo, branch=settings.get("notebooks_branch") or "gh-pages",
        binderhub_url=settings.get("binderhub_url", ""), jupyterhub_url=settings.get("jupyterhub_url", ""),
        colab_url=settings.get("colab_url", ""), interface=settings.get("notebook_interface", "jupyterlab"))
    buttons = []
    for button in group["buttons"]:
        if button.get("text") in links:
            button = dict(button, url=links[button["text"]])
            buttons.append(button)
        elif button.get("type") != "link":
            buttons.append(button)
    group["buttons"] = buttons


def build_finished(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    if not re.match(r"^(https?:)?//", app.config.mathjax_path or ""):
        try:
            mathjax.copy_mathjax(_root(app), out / "_static")
        except SiteError as exc:
            raise ExtensionError(str(exc)) from None
    if _repository(app) and _launch_settings(app).get("binderhub_url"):
        binder = out / "binder" / "requirements.txt"
        binder.parent.mkdir(exist_ok=True)
        binder.write_text(notebooks.binder_requirements(_requirement(app)), "utf-8")
    (out / ".nojekyll").touch()


# --- the course build: references to pages it leaves out -------------------------------------

def _left_out_targets(root: Path) -> dict[str, str]:
    """{docname or label: readable title} of the pages the course build leaves out."""
    targets = {}
    for doc in builds.INSTRUCTOR_PAGES:
        path = pages.source_path(root, doc)
        if path is None:
            continue
        text = path.read_text("utf-8")
        title = pages.page_title(text, Path(doc).name.replace("_", " ").capitalize())
        targets[doc] = title
        for label in pages.page_labels(text):
            targets[label] = title
    return targets


def _normalise_doc(target: str, refdoc: str) -> str:
    target = re.sub(r"\.(md|ipynb|html)$", "", target.split("#", 1)[0])
    if target.startswith("/"):
        return target.lstrip("/")
    return os.path.normpath(os.path.join(os.path.dirname(refdoc), target)).replace(os.sep, "/")


def left_out_title(left_out: dict[str, str], node) -> str | None:
    """The title of the left-out page a pending cross-reference points at, else None."""
    target = node.get("reftarget", "")
    for key in (target, target.lower(), _normalise_doc(target, node.get("refdoc", ""))):
        if key in left_out:
            return left_out[key]
    return None


class LeftOutReferences(SphinxPostTransform):
    """In the course build, a reference ({doc}, {ref} or a Markdown link) to a page the build
    leaves out becomes plain text saying so, instead of a broken link and a warning. Runs before
    MyST's and Sphinx's own resolvers (priorities 9 and 10)."""

    default_priority = 8

    def run(self, **kwargs: Any) -> None:
        left_out = getattr(self.app, "exercises_leave_out", {})
        if not left_out:
            return
        for node in list(self.document.findall(addnodes.pending_xref)):
            title = left_out_title(left_out, node)
            if title is None:
                continue
            text = node.astext().strip()
            if not text or text == node.get("reftarget"):
                text = title
            node.replace_self(nodes.inline(text, f"{text} (for instructors; not part of this edition)"))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", config_inited)
    app.connect("builder-inited", builder_inited)
    app.connect("source-read", source_read)
    app.connect("doctree-read", doctree_read)
    app.connect("html-page-context", page_context_early, priority=400)
    app.connect("html-page-context", page_context_late, priority=600)
    app.add_post_transform(LeftOutReferences)
    app.connect("build-finished", build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
