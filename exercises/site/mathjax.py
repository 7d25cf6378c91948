"""The site serves MathJax itself (npm ``mathjax``, copied into ``_static/mathjax``), so that
formulas render offline and no page loads a script from a CDN."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from . import SiteError

# The MathJax files the site serves: the combined TeX/MathML component and what it loads on
# demand (fonts, accessibility and menu extensions, TeX extensions); not the SVG or Node builds.
MATHJAX_ENTRY = "tex-mml-chtml.js"
MATHJAX_SKIP = ("*svg*", "node-main.js", "tex-chtml-full*.js", "tex-chtml.js", "mml-chtml.js")


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
