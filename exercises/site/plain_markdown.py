"""Book Markdown (MyST) as plain Markdown, for the notebooks published with the site.

JupyterLab, Notebook 7, Colab and VS Code render CommonMark, not MyST: a page's ``(label)=``
targets, ``{cite:p}`` citations, ``{term}``/``{ref}``/``{doc}`` roles and ``:::{admonition}``
or ```` ```{note} ```` blocks would show as raw source. ``plain_markdown(text)`` turns each into
what a reader of the page sees: no label lines, "(Buzan and Wæver 2003, p. 6)", the role's text,
and a quoted block with a bold title.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_LABEL_LINE = re.compile(r"^\([^()\s]+\)=[ \t]*\n?", re.MULTILINE)
_CITE = re.compile(r"\{cite:([pt])\}`([^`]+)`")
_ROLE = re.compile(r"\{(?:term|ref|doc|numref)\}`([^`<]+?)(?:\s*<[^`>]*>)?`")
_DIRECTIVE = re.compile(r"^(:{3,}|`{3,})\{(admonition|note|important|tip|warning)\}[ \t]*([^\n]*)\n(.*?)^\1[ \t]*$\n?",
                        re.MULTILINE | re.DOTALL)
_OPTION = re.compile(r"^:[a-z-]+:.*\n", re.MULTILINE)


@lru_cache(maxsize=4)
def _authors_years(bib: str) -> dict[str, str]:
    """{key: "Buzan and Wæver 2003"} from a BibTeX file (empty when it cannot be read)."""
    try:
        from pybtex.database import parse_file
        data = parse_file(bib)
    except Exception:  # noqa: BLE001 - without the bibliography, the keys are shown
        return {}
    out = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names) for p in people]
        who = (names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2
               else f"{names[0]} et al." if names else entry.fields.get("organization") or
               entry.fields.get("publisher") or entry.fields.get("journal") or key)
        out[key] = f"{_plain_latex(who)} {entry.fields.get('year', 'n.d.')}"
    return out


def _plain_latex(text: str) -> str:
    try:
        import codecs

        import latexcodec  # noqa: F401  (pybtex's dependency: registers the "ulatex" codec)
        text = codecs.decode(text, "ulatex")
    except Exception:  # noqa: BLE001
        pass
    return re.sub(r"[{}]", "", text)


def _citation(match: re.Match, names: dict[str, str]) -> str:
    parts = []
    for ref in match.group(2).split(","):
        key, _, page = ref.strip().partition("{")
        text = names.get(key.strip(), key.strip())
        parts.append(text + (f", {page.rstrip('}')}" if page else ""))
    return "; ".join(parts) if match.group(1) == "t" else "(" + "; ".join(parts) + ")"


def _block(match: re.Match) -> str:
    kind, title, body = match.group(2), match.group(3).strip(), _OPTION.sub("", match.group(4))
    head = title if kind == "admonition" else kind.capitalize()
    lines = [f"> **{head}.**", ">"] + [f"> {line}".rstrip() for line in body.strip("\n").splitlines()]
    return "\n".join(lines) + "\n"


def plain_markdown(text: str, bibliography: Path | None = None) -> str:
    names = _authors_years(str(bibliography)) if bibliography and bibliography.exists() else {}
    text = _LABEL_LINE.sub("", text)
    text = _DIRECTIVE.sub(_block, text)
    text = _CITE.sub(lambda m: _citation(m, names), text)
    return _ROLE.sub(lambda m: m.group(1).strip(), text)
