"""Helpers for the tests of the built site: a local HTTP server, the list of pages, and what each
page loads and links to (parsed with the standard library's HTML parser)."""
from __future__ import annotations

import contextlib
import functools
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on http://127.0.0.1:<free port>/ for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def html_pages(site: Path) -> list[Path]:
    """Every page of the site (not the theme's template fragments under _static)."""
    return sorted(p for p in site.rglob("*.html") if not any(part.startswith("_") for part in p.relative_to(site).parts[:-1]))


def is_redirect(page: Path) -> bool:
    """Jupyter Book's index.html only forwards to the root page (a meta refresh)."""
    return 'http-equiv="Refresh"' in page.read_text("utf-8")[:2000]


def content_pages(site: Path) -> list[Path]:
    """The pages a reader sees (every page but redirects)."""
    return [p for p in html_pages(site) if not is_redirect(p)]


def page_url(site: Path, base: str, page: Path) -> str:
    return base + page.relative_to(site).as_posix()


# Attributes through which a page *loads* something (as opposed to linking to it).
_LOADS = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "audio": ("src",), "video": ("src", "poster"), "embed": ("src",), "object": ("data",),
    "track": ("src",), "input": ("src",),
}
_LINK_LOAD_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "apple-touch-icon", "manifest",
                   "prefetch", "dns-prefetch", "preconnect"}


@dataclass
class PageRefs:
    loads: list[str] = field(default_factory=list)      # URLs the page loads (scripts, styles, images...)
    links: list[tuple[str, str, dict]] = field(default_factory=list)  # (href, text, attrs) of <a>
    ids: set[str] = field(default_factory=set)
    scripts: list[tuple[dict, str]] = field(default_factory=list)    # (attrs, inline body)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = PageRefs()
        self._a: dict | None = None
        self._a_text: list[str] = []
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.refs.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.refs.ids.add(a["name"])
        for attr in _LOADS.get(tag, ()):
            if a.get(attr):
                if attr == "srcset":
                    self.refs.loads += [part.strip().split(" ")[0] for part in a[attr].split(",") if part.strip()]
                else:
                    self.refs.loads.append(a[attr])
        if tag == "link" and a.get("href") and set(a.get("rel", "").lower().split()) & _LINK_LOAD_RELS:
            self.refs.loads.append(a["href"])
        if "style" in a:
            self.refs.loads += css_urls(a["style"])
        if tag == "a" and "href" in a:
            self._a, self._a_text = a, []
        if tag == "script":
            self._script, self._script_text = a, []

    def handle_data(self, data):
        if self._a is not None:
            self._a_text.append(data)
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.refs.links.append((self._a["href"], " ".join("".join(self._a_text).split()), self._a))
            self._a = None
        if tag == "script" and self._script is not None:
            self.refs.scripts.append((self._script, "".join(self._script_text)))
            self._script = None


def page_refs(path: Path) -> PageRefs:
    parser = _Parser()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser.refs


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def css_urls(css: str) -> list[str]:
    out = []
    for m in _CSS_URL.finditer(css):
        out.append(m.group(2) or m.group(4))
    return out


def is_remote(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, re.IGNORECASE))


def local_target(page: Path, url: str, site: Path) -> tuple[Path, str] | None:
    """The file (and fragment) a relative URL on ``page`` names, or None for remote, mailto,
    javascript and data URLs."""
    if is_remote(url) or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
        return None
    parts = urlsplit(url)
    if not parts.path:
        return page, parts.fragment
    base = site if parts.path.startswith("/") else page.parent
    target = (base / unquote(parts.path.lstrip("/"))).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def normalise_text(text: str) -> str:
    """Lower case, markup and punctuation to spaces, runs of spaces to one (for finding text)."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
