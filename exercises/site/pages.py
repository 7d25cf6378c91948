"""Which page shows which exercise: the page sources of a build, read without Sphinx.

A page shows an exercise with a ``show("<id>")`` call in a code cell; its ``(label)=`` targets and
first heading are what a reference to it reads as. MyST quoted in a fenced block (the instructor
guide shows how to place an exercise) is not part of the page.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import builds

_SHOW_CALL = re.compile(r"""\bshow\(\s*["']([A-Za-z0-9_]+)["']""")
_LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$", re.MULTILINE)
_TITLE = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
_HEADER = re.compile(r"\A---\s*\n.*?^(jupytext|kernelspec):", re.DOTALL | re.MULTILINE)


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


def exercise_pages(root: Path, mode: str) -> dict[str, str]:
    """{exercise id: docname of the first page that shows it}, over the pages of this build."""
    docs = builds.toc_docnames(builds.read_toc(root / "_toc.yml"))
    if mode == "course":
        docs = [d for d in docs if d not in builds.INSTRUCTOR_PAGES]
    where: dict[str, str] = {}
    for doc in docs:
        path = source_path(root, doc)
        if path is None:
            continue
        for ex_id in shown_exercises(path.read_text("utf-8")):
            where.setdefault(ex_id, doc)
    return where


def is_notebook_source(text: str) -> bool:
    """Whether a page's source is a MyST notebook (front matter with ``jupytext`` and ``kernelspec``)."""
    head = text[:2000]
    return bool(_HEADER.match(head)) and "kernelspec:" in head
