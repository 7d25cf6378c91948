"""Markdown in exercise texts becomes HTML that MathJax on a book page can typeset."""
from exercises.markdown import to_html, to_inline_html, to_text


def test_inline_math_becomes_a_mathjax_span():
    assert to_html("Compute $a/b$ now.") == (
        '<p>Compute <span class="math notranslate nohighlight">\\(a/b\\)</span> now.</p>')


def test_display_math_becomes_a_mathjax_div():
    html = to_html("Before\n\n$$\n\\frac{a}{b}\n$$\n\nAfter")
    assert '<div class="math notranslate nohighlight">\\[\\frac{a}{b}\\]</div>' in html
    assert html.startswith("<p>Before</p>") and html.endswith("<p>After</p>")


def test_math_content_is_html_escaped():
    assert "\\(a&lt;b\\)" in to_html("$a<b$")


def test_dollar_amounts_are_not_math():
    assert to_html("It cost $5 and then $10.") == "<p>It cost $5 and then $10.</p>"


def test_commonmark_emphasis_code_lists_and_tables():
    html = to_html("**bold** *it* `x`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    for fragment in ("<strong>bold</strong>", "<em>it</em>", "<code>x</code>", "<li>one</li>", "<th>a</th>", "<td>2</td>"):
        assert fragment in html


def test_raw_html_in_the_bank_is_escaped_not_passed_through():
    html = to_html('<script>alert(1)</script> <b onclick="x()">b</b>')
    assert "<script>" not in html and "<b " not in html and "&lt;script&gt;" in html


def test_inline_rendering_has_no_paragraph_and_joins_lines():
    assert to_inline_html("*Regions and Powers*\n(2003)") == "<em>Regions and Powers</em> (2003)"


def test_plain_text_drops_markup_and_keeps_math_source():
    assert to_text("*Regions* & `code` $x<1$") == "Regions & code x<1"


def test_empty_text_gives_empty_html():
    assert to_html("") == "" and to_inline_html("") == "" and to_text("") == ""
