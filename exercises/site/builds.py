"""Build helpers for the course site: the two builds, the notebooks published beside the pages,
the launch links, the self-hosted MathJax and the "My progress" page.

The Sphinx side (hooks that call these helpers during a build) is ``exercises/sphinx_site.py``;
everything here is plain functions so that tests and scripts can use them without Sphinx.

Two builds come from one source:

* ``study`` (default): ``jupyter-book build .`` (``scripts/build.sh``);
* ``course``: ``python -m exercises site build --mode course`` (``scripts/build_course.sh``):
  ``EXERCISES_BUILD=course`` makes every exercise render without explanations or solutions, and a
  generated table of contents leaves the instructor pages out.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import quote, urlencode

from . import settings, types


# Pages that only instructors see: left out of the course build (docnames, relative to the root).
INSTRUCTOR_PAGES = ("book/instructor_guide", "book/graded_assignments", "book/item_analysis")

# Where a page's runnable notebook is published inside the site (beside Sphinx's copy of the
# source, which is where the theme's "download .ipynb" button points).
NOTEBOOK_DIR = "_sources"

def _distribution() -> str:
    """The name of the distribution this package is installed from (pyproject.toml's project name)."""
    from importlib.metadata import packages_distributions
    names = packages_distributions().get(__name__.partition(".")[0])
    if names:
        return names[0]
    import tomllib  # not installed (a bare checkout on sys.path): read the project file beside it
    return tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))["project"]["name"]


# The distribution name of this repository's package, for the install line of published notebooks.
DISTRIBUTION = _distribution()

# The MathJax files the site serves: the combined TeX/MathML component and what it loads on
# demand (fonts, accessibility and menu extensions, TeX extensions); not the SVG or Node builds.
MATHJAX_ENTRY = "tex-mml-chtml.js"
MATHJAX_SKIP = ("*svg*", "node-main.js", "tex-chtml-full*.js", "tex-chtml.js", "mml-chtml.js")

PROGRESS_FORMAT = "exercises.progress/1"

_SHOW_CALL = re.compile(r"""\bshow\(\s*["']([A-Za-z0-9_]+)["']""")
_SHOW_ONLY = re.compile(r"""\bshow\(\s*["']([A-Za-z0-9_]+)["']\s*\)""")
_LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$", re.MULTILINE)
_TITLE = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)


class SiteError(Exception):
    """A problem with the site's configuration or inputs; the message says what and where."""


# --- the two builds ---------------------------------------------------------------------------

def toc_docnames(toc: Mapping[str, Any]) -> list[str]:
    """Every docname of a jb-book table of contents, in reading order (root first)."""
    names = [toc["root"]]

    def walk(entries: Iterable[Mapping[str, Any]]) -> None:
        for entry in entries or ():
            if "file" in entry:
                names.append(entry["file"])
            for key in ("sections", "chapters"):
                walk(entry.get(key, ()))
            for part in entry.get("parts", ()):
                walk(part.get("chapters", ()))

    walk(toc.get("chapters", ()))
    for part in toc.get("parts", ()):
        walk(part.get("chapters", ()))
    return [_strip_suffix(n) for n in names]


def _strip_suffix(name: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", name)


def course_toc(toc: Mapping[str, Any], leave_out: Iterable[str] = INSTRUCTOR_PAGES) -> dict[str, Any]:
    """A copy of ``toc`` without the pages in ``leave_out`` (and without parts left empty)."""
    drop = {_strip_suffix(n) for n in leave_out}
    if _strip_suffix(toc["root"]) in drop:
        raise SiteError(f"the root page {toc['root']} cannot be left out of the course build")

    def keep(entries):
        out = []
        for entry in entries or ():
            if "file" in entry and _strip_suffix(entry["file"]) in drop:
                continue
            entry = dict(entry)
            for key in ("sections", "chapters"):
                if key in entry:
                    entry[key] = keep(entry[key])
                    if not entry[key]:
                        del entry[key]
            out.append(entry)
        return out

    new = dict(toc)
    if "chapters" in toc:
        new["chapters"] = keep(toc["chapters"])
    if "parts" in toc:
        parts = []
        for part in toc["parts"]:
            part = dict(part)
            part["chapters"] = keep(part.get("chapters", ()))
            if part["chapters"]:
                parts.append(part)
        new["parts"] = parts
    return new


def read_toc(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(path.read_text("utf-8"))
    except (OSError, YAMLError) as exc:
        raise SiteError(f"{path}: cannot read the table of contents: {exc}") from None
    if not isinstance(data, dict) or "root" not in data:
        raise SiteError(f"{path}: not a jb-book table of contents (no `root:`)")
    return data


def write_toc(toc: Mapping[str, Any], path: Path) -> Path:
    from ruamel.yaml import YAML

    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML()
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# Generated by exercises.site for the course build: do not edit (edit _toc.yml).\n")
        yaml.dump(json.loads(json.dumps(toc)), fh)
    return path


def build_command(*, root: Path, output: Path, mode: str, toc: Path | None = None) -> list[str]:
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(root), "--path-output", str(output),
           "-W", "-n", "--keep-going"]
    if toc is not None:
        cmd += ["--toc", str(toc)]
    return cmd


#: the IPython profile of the kernels that execute the pages (``kernel_profile``)
KERNEL_CONFIG = """\
# Written by the book build (exercises/site.py) for the kernels that execute its pages: a profile of
# their own, so that nothing in a user's ~/.ipython (startup files, extensions) changes a page.
# The kernels talk to the build on 127.0.0.1 over TCP, Jupyter's default. ipykernel warns about it
# at every start, a line nobody reading the build log can act on; that one line is filtered out.
import logging


class _LocalTransportNotice(logging.Filter):
    def filter(self, record):
        return "without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_LocalTransportNotice())
"""


def kernel_profile(output: Path) -> Path:
    """The IPython directory for the build's kernels (its ``profile_default`` holds ``KERNEL_CONFIG``)."""
    folder = output / ".ipython"
    (folder / "profile_default").mkdir(parents=True, exist_ok=True)
    (folder / "profile_default" / "ipython_kernel_config.py").write_text(KERNEL_CONFIG, "utf-8")
    return folder


def build_environment(*, output: Path, mode: str) -> dict[str, str]:
    """The environment of ``build_command``: the edition, and the kernels' own IPython profile."""
    return dict(os.environ, **{settings.BUILD: mode}, IPYTHONDIR=str(kernel_profile(output)))


def build(*, root: Path, output: Path, mode: str) -> Path:
    """Build the book in ``mode`` into ``output``; returns the HTML folder. Raises SiteError."""
    if mode not in settings.MODES:
        raise SiteError(f"mode must be one of {', '.join(settings.MODES)}, not {mode!r}")
    root, output = root.resolve(), output.resolve()
    toc = None
    if mode == "course":
        toc = write_toc(course_toc(read_toc(root / "_toc.yml")), output / "_toc.course.yml")
    proc = subprocess.run(build_command(root=root, output=output, mode=mode, toc=toc), cwd=root,
                          env=build_environment(output=output, mode=mode))
    if proc.returncode != 0:
        raise SiteError(f"the {mode} build failed (jupyter-book exit code {proc.returncode}); see the log above")
    return output / "_build" / "html"


# --- sources: which page shows which exercise -------------------------------------------------

def source_path(root: Path, docname: str) -> Path | None:
    for suffix in (".md", ".ipynb"):
        path = root / f"{docname}{suffix}"
        if path.exists():
            return path
    return None


def without_fences(text: str, shortest: int = 3) -> str:
    """``text`` without the contents of its fenced blocks whose fence is at least ``shortest``
    backticks or tildes long. A fence of four or more quotes MyST source as an example (the
    instructor guide shows how to place an exercise): nothing in it is a label or a cell."""
    out: list[str] = []
    fence = ""
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence) and not stripped[len(fence):].strip(fence[0]).strip():
                fence = ""
            continue
        match = re.match(r"(`{3,}|~{3,})", stripped)
        if match and len(match.group(1)) >= shortest:
            fence = match.group(1)
            continue
        out.append(line)
    return "".join(out)


def shown_exercises(text: str) -> list[str]:
    """Exercise ids a page shows (``show("rsct_ex1")`` calls), in order, without repeats; calls
    quoted in a four-backtick example block are not shown."""
    return list(dict.fromkeys(_SHOW_CALL.findall(without_fences(text, shortest=4))))


def page_labels(text: str) -> list[str]:
    """MyST target labels ``(label)=`` defined in a page (not those quoted in code blocks)."""
    return _LABEL.findall(without_fences(text))


def page_title(text: str, default: str) -> str:
    match = _TITLE.search(text)
    return match.group(1) if match else default


def find_book_root(start: Path | None = None) -> Path:
    """The folder holding ``_toc.yml``: ``start`` (default: the working directory) or a parent."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").exists():
            return folder
    raise SiteError(f"no _toc.yml in {here} or any folder above it")


def exercise_pages(root: Path, mode: str) -> dict[str, str]:
    """{exercise id: docname of the first page that shows it}, over the pages of this build."""
    docs = toc_docnames(read_toc(root / "_toc.yml"))
    if mode == "course":
        docs = [d for d in docs if d not in INSTRUCTOR_PAGES]
    where: dict[str, str] = {}
    for doc in docs:
        path = source_path(root, doc)
        if path is None:
            continue
        for ex_id in shown_exercises(path.read_text("utf-8")):
            where.setdefault(ex_id, doc)
    return where


# --- build inputs that outputs depend on (for the execution cache) -----------------------------

def package_dir() -> Path:
    return Path(str(resources.files("exercises")))


def bank_files(chapters: Iterable[str]) -> list[Path]:
    bank = package_dir() / "bank"
    return [bank / f"{c}.yml" for c in sorted(set(chapters)) if (bank / f"{c}.yml").exists()]


# --- notebooks published beside the pages -----------------------------------------------------

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

    from .view import course_spec

    def literal(match: re.Match) -> str:
        spec = course_spec(bank[match.group(1)])
        return "show_sealed(" + pprint.pformat(spec, width=100, sort_dicts=False) + ")"

    new = _SHOW_ONLY.sub(literal, source)
    if new == source:
        return source
    return "from exercises.view import show_sealed\n" + new


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
    from .notebook_markdown import plain_markdown

    bib = find_bibliography(source)
    for c in nb.cells:
        if c.cell_type == "markdown":
            c.source = plain_markdown(c.source, bib)
    nb.cells = [c for c in nb.cells if c.cell_type != "markdown" or c.source.strip()]
    setup = setup_cell_source(requirement)
    if mode == "course":
        from . import bank as bank_mod

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
    return ("# Generated by exercises.site: the environment Binder builds for this site's notebooks.\n"
            f"{requirement}\n")


# --- launch links -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Repository:
    url: str        # https://github.com/org/repo
    org: str
    name: str

    @classmethod
    def parse(cls, url: str) -> "Repository | None":
        match = re.fullmatch(r"https://github\.com/([^/\s]+)/([^/\s]+?)(?:\.git)?/?", url or "")
        if not match:
            return None
        return cls(f"https://github.com/{match.group(1)}/{match.group(2)}", match.group(1), match.group(2))


#: set (to anything but "" or "0") to build with a placeholder repository on purpose (the test
#: suite's builds, which are never published)
ALLOW_PLACEHOLDER = settings.ALLOW_PLACEHOLDER_REPOSITORY
_PLACEHOLDER_OWNERS = {"example", "your-org", "your-organisation", "your-organization", "user", "org", "owner"}


def repository_problem(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """Why ``repository.url`` cannot be published (a placeholder, not a GitHub repository), or None.
    Launch buttons, every notebook's install line and ``binder/requirements.txt`` come from it."""
    env = os.environ if environ is None else environ
    if env.get(ALLOW_PLACEHOLDER, "").strip() not in ("", "0"):
        return None
    where = "_config.yml repository.url"
    if not (url or "").strip():
        return (f"{where} is empty: set it to the GitHub repository the site is built from "
                "(launch buttons and the notebooks' install line need it)")
    repo = Repository.parse(url)
    if repo is None:
        return f"{where} {url!r} is not a https://github.com/<owner>/<repository> address"
    if repo.org.lower() in _PLACEHOLDER_OWNERS or "<" in url or "example" in repo.org.lower():
        return (f"{where} {url!r} is a placeholder: set it to the GitHub repository the site is built "
                "from, or the launch buttons and every notebook's install line point nowhere")
    return None


def built_commit(root: Path, environ: Mapping[str, str] | None = None) -> str | None:
    """The commit the site is built from: ``$GITHUB_SHA`` (GitHub Actions), else ``git rev-parse
    HEAD`` in ``root``; None outside a git checkout."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_SHA", "").strip():
        return env["GITHUB_SHA"].strip()
    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = proc.stdout.strip()
    return commit if proc.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def notebook_path(docname: str) -> str:
    """Where the runnable notebook of page ``docname`` is, relative to the site root."""
    return f"{NOTEBOOK_DIR}/{docname}.ipynb"


def launch_links(docname: str, *, repo: Repository, branch: str, binderhub_url: str = "",
                 jupyterhub_url: str = "", colab_url: str = "", interface: str = "jupyterlab") -> dict[str, str]:
    """Launch URLs for page ``docname``: each opens the page's notebook as published on ``branch``
    of ``repo`` (the branch the site is deployed to), so the file they name always exists."""
    ui = {"jupyterlab": "lab/tree", "classic": "tree"}.get(interface)
    if ui is None:
        raise SiteError(f"launch_buttons.notebook_interface must be jupyterlab or classic, not {interface!r}")
    path = notebook_path(docname)
    links: dict[str, str] = {}
    if binderhub_url:
        links["Binder"] = (f"{binderhub_url.rstrip('/')}/v2/gh/{repo.org}/{repo.name}/{quote(branch, safe='')}"
                           f"?urlpath={quote(f'{ui}/{path}', safe='')}")
    if jupyterhub_url:
        query = urlencode({"repo": repo.url, "branch": branch, "urlpath": f"{ui}/{repo.name}/{path}"}, safe="/")
        links["JupyterHub"] = f"{jupyterhub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"
    if colab_url:
        links["Colab"] = f"{colab_url.rstrip('/')}/github/{repo.org}/{repo.name}/blob/{branch}/{path}"
    return links


def launch_target(url: str) -> tuple[str, str, str]:
    """(kind, branch, path) that a launch URL made by ``launch_links`` opens; for tests and checks."""
    from urllib.parse import parse_qs, unquote, urlparse

    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    if "/v2/gh/" in parsed.path:
        branch = unquote(parsed.path.split("/v2/gh/", 1)[1].split("/", 2)[2])
        urlpath = query["urlpath"][0]
        return "binder", branch, urlpath.split("/tree/", 1)[1] if "/tree/" in urlpath else urlpath.split("tree/", 1)[1]
    if parsed.path.endswith("/git-pull"):
        urlpath = query["urlpath"][0]
        rel = urlpath.split("tree/", 1)[1].split("/", 1)[1]  # drop the clone folder (the repo name)
        return "jupyterhub", query["branch"][0], rel
    if "/github/" in parsed.path:
        rest = parsed.path.split("/github/", 1)[1].split("/", 4)  # org, repo, "blob", branch, path
        return "colab", rest[3], rest[4]
    raise SiteError(f"not a launch URL made by exercises.site: {url}")


# --- self-hosted MathJax ----------------------------------------------------------------------

def node_modules(root: Path) -> Path:
    """The npm packages folder (``NODE_MODULES`` or ``<root>/node_modules``)."""
    return Path(os.environ.get("NODE_MODULES") or root / "node_modules")


def mathjax_source(root: Path) -> Path:
    es5 = node_modules(root) / "mathjax" / "es5"
    if not (es5 / MATHJAX_ENTRY).exists():
        raise SiteError(f"MathJax is not installed ({es5 / MATHJAX_ENTRY} is missing): run `npm ci` in {root} "
                        "(scripts/setup.sh does it); the site serves MathJax itself so that it works offline")
    return es5


def copy_mathjax(root: Path, static_dir: Path) -> Path:
    """Copy MathJax into ``<static_dir>/mathjax`` unless the same version is already there."""
    src = mathjax_source(root)
    dest = static_dir / "mathjax"
    version = json.loads((src.parent / "package.json").read_text("utf-8"))["version"]
    stamp = dest / ".version"
    if stamp.exists() and stamp.read_text().strip() == version and (dest / MATHJAX_ENTRY).exists():
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(*MATHJAX_SKIP))
    shutil.copy2(src.parent / "LICENSE", dest / "LICENSE")
    stamp.write_text(version + "\n")
    return dest


# --- the "My progress" page -------------------------------------------------------------------

def _inline_markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).renderInline(text or "")


def progress_index(bank, pages: Mapping[str, str]) -> dict[str, Any]:
    """What the progress page lists: chapters (in page order) with their objectives and the
    exercises of this build (those some page shows), each with title, points and page."""
    order = {doc: i for i, doc in enumerate(dict.fromkeys(pages.values()))}
    chapters = []
    for ch in bank.chapters:
        exs = [ex for ex in ch.exercises if ex.id in pages]
        if not exs:
            continue
        objectives = []
        for obj in ch.objectives:
            ids = [ex.id for ex in exs if obj.id in ex.objectives]
            objectives.append({"id": obj.id, "text": obj.text, "html": _inline_markdown(obj.text), "exercises": ids})
        chapters.append({
            "id": ch.id, "title": ch.title, "page": pages[exs[0].id],
            "objectives": objectives,
            "exercises": [{"id": ex.id, "title": ex.title, "html": _inline_markdown(ex.title),
                           "points": ex.points, "page": pages[ex.id], "objectives": list(ex.objectives),
                           "manual": bool(getattr(types.kind(ex.type), "MANUAL", False))}
                          for ex in exs],
        })
    chapters.sort(key=lambda c: order.get(c["page"], len(order)))
    return {"format": "exercises.progress-index/1", "progress_format": PROGRESS_FORMAT, "chapters": chapters}


def _relative_url(from_doc: str, to_doc: str, anchor: str = "") -> str:
    rel = os.path.relpath(to_doc + ".html", os.path.dirname(from_doc) or ".")
    return rel.replace(os.sep, "/") + (f"#{anchor}" if anchor else "")


class ProgressPage:
    """The body of the "My progress" page (text/html): a table per chapter, filled in by
    ``assets/progress.js`` from the browser's local storage."""

    def __init__(self, index: dict[str, Any], docname: str):
        self.index = index
        self.docname = docname

    def _repr_html_(self) -> str:
        from jinja2 import Environment, select_autoescape

        env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
        text = (resources.files("exercises") / "templates" / "progress_page.html.j2").read_text("utf-8")
        payload = json.dumps(self.index, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
        url = lambda doc, anchor="": _relative_url(self.docname, doc, anchor)  # noqa: E731
        return env.from_string(text).render(index=self.index, payload=payload, url=url)

    def _repr_mimebundle_(self, include=None, exclude=None):
        n = sum(len(c["exercises"]) for c in self.index["chapters"])
        return {"text/html": self._repr_html_(),
                "text/plain": f"My progress: {n} exercises in {len(self.index['chapters'])} chapters "
                              "(open the book's web page to see your progress)"}


def progress_page(docname: str = "book/progress", root: Path | None = None) -> ProgressPage:
    """The "My progress" page body for the current build (mode from ``EXERCISES_BUILD``)."""
    from . import bank as bank_mod

    try:
        root = find_book_root(root)
    except SiteError:
        return ProgressElsewhere()
    return ProgressPage(progress_index(bank_mod.load(), exercise_pages(root, settings.build_mode())), docname)


class ProgressElsewhere:
    """What the progress page's cell shows when run as a notebook outside the book (e.g. Colab)."""

    TEXT = ("Your progress on the book's website is kept by your browser and shown on the web page "
            "\u201cMy progress\u201d. In a notebook, your answers are saved in the notebook itself.")

    def _repr_mimebundle_(self, include=None, exclude=None):
        from html import escape

        return {"text/html": f"<p>{escape(self.TEXT)}</p>", "text/plain": self.TEXT}
