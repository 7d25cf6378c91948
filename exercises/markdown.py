"""Markdown in exercise texts (prompts, options, hints, feedback, explanations) to HTML.

The bank's Markdown is CommonMark + tables + ``$...$`` / ``$$...$$`` math (markdown-it-py with
the ``dollarmath`` plugin; a digit next to a dollar sign is not math, so "$5 and $10" stays
text). Math comes out as the markup Sphinx's MathJax set-up typesets, so it renders on a book page (and after the browser inserts decrypted
feedback, ``exercises.js`` asks MathJax to typeset the new element):

- inline ``$x$``  -> ``<span class="math notranslate nohighlight">\\(x\\)</span>``
- display ``$$x$$`` -> ``<div class="math notranslate nohighlight">\\[x\\]</div>``

Raw HTML in the bank is not passed through (it is escaped): the bank is data, not markup.
The static view and the widget view both use these functions.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.dollarmath import dollarmath_plugin

__all__ = ["to_html", "to_inline_html", "to_text"]

_MATH_CLASS = "math notranslate nohighlight"


def _inline_math(self, tokens, idx, options, env) -> str:
    return f'<span class="{_MATH_CLASS}">\\({escapeHtml(tokens[idx].content.strip())}\\)</span>'


def _display_math(self, tokens, idx, options, env) -> str:
    block = tokens[idx].type.startswith("math_block")
    html_ = f'<div class="{_MATH_CLASS}">\\[{escapeHtml(tokens[idx].content.strip())}\\]</div>'
    return html_ + "\n" if block else html_


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.use(dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=False, double_inline=False)
    md.add_render_rule("math_inline", _inline_math)
    md.add_render_rule("math_inline_double", _display_math)
    md.add_render_rule("math_block", _display_math)
    md.add_render_rule("math_block_label", _display_math)
    return md


def to_html(text: str) -> str:
    """Block Markdown (paragraphs, lists, tables, display math) to an HTML fragment."""
    return _md().render(str(text or "")).strip()


def to_inline_html(text: str) -> str:
    """One line of Markdown (an option, an item, a label) to inline HTML, without ``<p>``."""
    return _md().renderInline(" ".join(str(text or "").split()))


_TAG = re.compile(r"<[^>]+>")


def to_text(text: str) -> str:
    """Plain text of one line of Markdown, for places that cannot hold markup (``<option>``,
    ``aria-label``): emphasis and code marks dropped, math kept as its TeX source."""
    rendered = to_inline_html(text)
    rendered = rendered.replace("\\(", "").replace("\\)", "")
    return " ".join(html.unescape(_TAG.sub("", rendered)).split())
