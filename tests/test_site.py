"""exercises/site/: the build helpers, without a book build (the built site has its own tests:
test_links, test_site_browser, test_accessibility, test_course_build)."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
import pytest

from exercises import load_bank
from exercises import settings
from exercises.site import SiteError, builds, cache, launch, mathjax, notebooks, pages
from exercises.views import progress


TOC = {
    "format": "jb-book", "root": "book/intro",
    "parts": [
        {"caption": "Getting started", "chapters": [{"file": "book/how_to_use"}, {"file": "book/progress"}]},
        {"caption": "The case", "chapters": [{"file": "book/rsct", "sections": [{"file": "book/graded_assignments"}]}]},
        {"caption": "For instructors", "chapters": [{"file": "book/instructor_guide"},
                                                    {"file": "book/graded_assignments.md"}]},
    ],
}


def test_build_mode_defaults_to_study_and_rejects_unknown_values():
    assert settings.build_mode(environ={}) == "study"
    assert settings.build_mode(environ={"EXERCISES_BUILD": ""}) == "study"
    assert settings.build_mode(environ={"EXERCISES_BUILD": "course"}) == "course"
    with pytest.raises(settings.SettingsError, match="EXERCISES_BUILD='graded': the build mode must be one of study, course"):
        settings.build_mode(environ={"EXERCISES_BUILD": "graded"})


def test_toc_docnames_lists_every_page_in_reading_order():
    assert builds.toc_docnames(TOC) == ["book/intro", "book/how_to_use", "book/progress", "book/rsct",
                                      "book/graded_assignments", "book/instructor_guide", "book/graded_assignments"]


def test_course_toc_drops_instructor_pages_wherever_they_are_and_empty_parts():
    toc = builds.course_toc(TOC)
    assert builds.toc_docnames(toc) == ["book/intro", "book/how_to_use", "book/progress", "book/rsct"]
    assert [p["caption"] for p in toc["parts"]] == ["Getting started", "The case"]
    assert "sections" not in toc["parts"][1]["chapters"][0]
    assert builds.toc_docnames(TOC)[-1] == "book/graded_assignments", "the original toc was modified"


def test_course_toc_refuses_to_drop_the_root_page():
    with pytest.raises(SiteError, match="root page"):
        builds.course_toc(TOC, leave_out=["book/intro"])


def test_course_toc_round_trips_through_yaml(tmp_path):
    path = builds.write_toc(builds.course_toc(TOC), tmp_path / "toc.yml")
    assert builds.read_toc(path) == builds.course_toc(TOC)


def test_read_toc_names_the_file_when_it_is_not_a_toc(tmp_path):
    bad = tmp_path / "_toc.yml"
    bad.write_text("- just: a list\n", "utf-8")
    with pytest.raises(SiteError, match=r"_toc.yml: not a jb-book table of contents"):
        builds.read_toc(bad)


def test_shown_exercises_finds_show_calls_in_order_without_repeats():
    text = 'x\n```{code-cell}\nshow("rsct_ex2")\n```\nshow( \'rsct_ex1\' )\nshow("rsct_ex2")\n# show(rsct_ex9)\n'
    assert pages.shown_exercises(text) == ["rsct_ex2", "rsct_ex1"]


def test_page_labels_and_title():
    text = "(guide)=\n# Instructor guide\n\n(guide_hosting)=\n## Hosting\n"
    assert pages.page_labels(text) == ["guide", "guide_hosting"]
    assert pages.page_title(text, "x") == "Instructor guide"
    assert pages.page_title("no heading", "Fallback") == "Fallback"


def test_labels_and_show_calls_quoted_in_code_blocks_do_not_count():
    # the instructor guide shows how to place an exercise; the course build took that example's
    # label for one of the guide's own and called rsct_ex1 "for instructors; not part of this edition"
    text = ("(guide_authoring)=\n## Authoring\n\n````md\n(rsct_ex1)=\n```{code-cell} ipython3\n"
            "show(\"rsct_ex1\")\n```\n````\n\n~~~\n(other)=\n~~~\n(after)=\n"
            "```{code-cell} ipython3\nshow(\"rsct_ex2\")\n```\n")
    assert pages.page_labels(text) == ["guide_authoring", "after"]
    assert pages.shown_exercises(text) == ["rsct_ex2"]


def _book(tmp_path: Path) -> Path:
    (tmp_path / "book").mkdir()
    builds.write_toc(TOC, tmp_path / "_toc.yml")
    (tmp_path / "book" / "how_to_use.md").write_text('show("howto_ex1")\nshow("howto_ex2")\n', "utf-8")
    (tmp_path / "book" / "rsct.md").write_text('show("rsct_ex1")\nshow("howto_ex2")\n', "utf-8")
    (tmp_path / "book" / "instructor_guide.md").write_text('show("rsct_ex2")\n', "utf-8")
    return tmp_path


def test_exercise_pages_maps_each_exercise_to_its_first_page_and_course_mode_skips_instructor_pages(tmp_path):
    root = _book(tmp_path)
    study = pages.exercise_pages(root, "study")
    assert study == {"howto_ex1": "book/how_to_use", "howto_ex2": "book/how_to_use", "rsct_ex1": "book/rsct",
                     "rsct_ex2": "book/instructor_guide"}
    assert "rsct_ex2" not in pages.exercise_pages(root, "course")


def test_progress_index_groups_exercises_by_chapter_and_objective():
    bank = load_bank()
    shown_on = {"rsct_ex1": "book/rsct", "howto_ex1": "book/how_to_use", "howto_ex2": "book/how_to_use"}
    index = progress.progress_index(bank, shown_on)
    assert [c["id"] for c in index["chapters"]] == ["rsct", "howto"]  # in page order, not bank order
    howto = index["chapters"][1]
    assert [e["id"] for e in howto["exercises"]] == ["howto_ex1", "howto_ex2"]
    for obj in howto["objectives"]:
        assert obj["exercises"] == [e for e in ("howto_ex1", "howto_ex2") if obj["id"] in bank[e].objectives]
    assert howto["exercises"][1]["points"] == bank["howto_ex2"].points


def test_progress_page_html_carries_the_index_and_one_row_per_exercise(tmp_path):
    bank = load_bank()
    index = progress.progress_index(bank, {"rsct_ex1": "book/rsct", "howto_ex1": "book/how_to_use"})
    html = progress.ProgressPage(index, "book/progress")._repr_html_()
    payload = html.split("data-progress-index>", 1)[1].split("</script>", 1)[0]
    assert json.loads(payload) == index
    assert html.count("data-progress-exercise=") == 2
    assert 'href="rsct.html#rsct_ex1"' in html and 'href="how_to_use.html"' in html


def test_progress_page_counts_written_exercises_apart_as_self_assessed():
    from exercises import bank as bank_mod
    fixture = Path(__file__).resolve().parent / "fixtures" / "written" / "writ.yml"
    bank, problems = bank_mod.validate(files=[bank_mod.default_bank_dir() / "howto.yml", fixture])
    assert not problems
    index = progress.progress_index(bank, {"writ_ex1": "book/writ", "howto_ex1": "book/how_to_use"})
    manual = {e["id"]: e["manual"] for c in index["chapters"] for e in c["exercises"]}
    assert manual == {"writ_ex1": True, "howto_ex1": False}
    html = progress.ProgressPage(index, "book/progress")._repr_html_()
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "Completed 0 of 1 auto-checked exercises" in text and "submitted 0 of 1" in text
    assert "0 of 5 (self-assessed)" in text.replace("\u2013", "0")
    assert html.count("data-progress-own") == 2  # overall and in the written chapter, not in howto's
    plain = progress.ProgressPage(progress.progress_index(bank, {"howto_ex1": "book/how_to_use"}), "book/progress")._repr_html_()
    assert "auto-checked" not in plain and "data-progress-own" not in plain and "Completed <span data-progress-done>0</span> of 1 exercises" in plain


def test_progress_page_outside_a_book_explains_where_progress_lives(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bundle = progress.progress_page()._repr_mimebundle_()
    assert "kept by your browser" in bundle["text/plain"]


def test_page_notebook_has_a_setup_cell_then_the_page_cells_and_no_outputs(tmp_path):
    src = tmp_path / "page.md"
    src.write_text("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
                   "    format_version: 0.13\nkernelspec:\n  display_name: Python 3\n  language: python\n"
                   "  name: python3\n---\n\n# A page\n\n```{code-cell} ipython3\n:tags: [remove-input]\n"
                   "x = 1 + 1\n```\n", "utf-8")
    dest = notebooks.write_page_notebook(src, tmp_path / "out" / "page.ipynb",
                                         requirement=notebooks.install_requirement("https://github.com/o/r", "abc123"))
    nb = nbformat.read(dest, as_version=4)
    nbformat.validate(nb)
    assert [c.cell_type for c in nb.cells] == ["code", "markdown", "code"]
    assert '%pip install --quiet "ttp-taliban-book-exercises @ git+https://github.com/o/r@abc123"' in nb.cells[0].source
    assert nb.cells[2].source == "x = 1 + 1" and nb.cells[2].metadata["tags"] == ["remove-input"]
    assert "jupytext" not in nb.metadata and nb.metadata["kernelspec"]["name"] == "python3"


def test_repository_parse_accepts_github_urls_only():
    repo = launch.Repository.parse("https://github.com/org/book.git")
    assert (repo.org, repo.name, repo.url) == ("org", "book", "https://github.com/org/book")
    assert launch.Repository.parse("https://gitlab.com/org/book") is None


def test_launch_links_open_the_published_notebook_on_the_notebooks_branch():
    repo = launch.Repository.parse("https://github.com/org/book")
    links = launch.launch_links("book/rsct", repo=repo, branch="gh-pages", binderhub_url="https://mybinder.org/",
                              jupyterhub_url="https://hub.example.edu", colab_url="https://colab.research.google.com")
    assert links["Binder"] == ("https://mybinder.org/v2/gh/org/book/gh-pages"
                               "?urlpath=lab%2Ftree%2F_sources%2Fbook%2Frsct.ipynb")
    assert links["Colab"] == "https://colab.research.google.com/github/org/book/blob/gh-pages/_sources/book/rsct.ipynb"
    assert links["JupyterHub"].startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A//github.com/org/book")
    for url in links.values():
        assert launch.launch_target(url)[1:] == ("gh-pages", "_sources/book/rsct.ipynb")


def test_launch_links_reject_an_unknown_interface_and_launch_target_an_unknown_url():
    repo = launch.Repository.parse("https://github.com/org/book")
    with pytest.raises(SiteError, match="notebook_interface"):
        launch.launch_links("book/rsct", repo=repo, branch="gh-pages", interface="vscode")
    with pytest.raises(SiteError, match="not a launch URL"):
        launch.launch_target("https://example.org/somewhere")


def test_copy_mathjax_says_how_to_install_it_when_it_is_missing(tmp_path, monkeypatch):
    monkeypatch.delenv("NODE_MODULES", raising=False)
    with pytest.raises(SiteError, match=r"run `npm ci`"):
        mathjax.copy_mathjax(tmp_path, tmp_path / "_static")


def test_copy_mathjax_copies_once_and_leaves_out_unused_builds(tmp_path):
    root = Path(__file__).resolve().parent.parent
    dest = mathjax.copy_mathjax(root, tmp_path / "_static")
    assert (dest / mathjax.MATHJAX_ENTRY).is_file() and (dest / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
    assert not list(dest.rglob("*svg*.js"))
    stamp = (dest / ".version").stat().st_mtime_ns
    mathjax.copy_mathjax(root, tmp_path / "_static")
    assert (dest / ".version").stat().st_mtime_ns == stamp


def test_fingerprint_changes_with_content_and_extra_inputs(tmp_path):
    a = tmp_path / "a.yml"
    a.write_text("one", "utf-8")
    first = cache.fingerprint([a], ["mode=study"])
    assert cache.fingerprint([a], ["mode=course"]) != first
    a.write_text("two", "utf-8")
    assert cache.fingerprint([a], ["mode=study"]) != first


COURSE_PAGE = ("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
               "    format_version: 0.13\nkernelspec:\n  display_name: Python 3\n  language: python\n"
               "  name: python3\n---\n\n# A page\n\n```{code-cell} ipython3\n:tags: [remove-input]\n"
               "from exercises import show\n```\n\n(howto_ex1)=\n```{code-cell} ipython3\n:tags: [remove-input]\n"
               "show(\"howto_ex1\")\n```\n\n```{code-cell} ipython3\n:tags: [remove-input]\nshow(\"howto_ex10\")\n```\n")


def _course_notebook(tmp_path):
    src = tmp_path / "page.md"
    src.write_text(COURSE_PAGE, "utf-8")
    return notebooks.page_notebook(src, requirement="pkg", mode="course")


def test_course_notebooks_carry_sealed_specs_and_no_explanation_or_solution(tmp_path):
    bank = load_bank()
    nb = _course_notebook(tmp_path)
    text = nbformat.writes(nb)
    assert 'show("' not in text and text.count("show_sealed({") == 2
    assert 'os.environ[\\"EXERCISES_BUILD\\"] = \\"course\\"' in text
    for ex_id in ("howto_ex1", "howto_ex10"):
        assert bank[ex_id].explanation.split()[0:6] and " ".join(bank[ex_id].explanation.split()[:6]) not in text
    assert bank["howto_ex10"].solution.strip().splitlines()[-1] not in text
    study = notebooks.page_notebook(tmp_path / "page.md", requirement="pkg")
    assert any(c.source == 'show("howto_ex1")' for c in study.cells) and "EXERCISES_BUILD" not in study.cells[0].source


@pytest.mark.slow  # a subprocess or a real kernel
def test_a_course_notebook_checks_in_a_real_kernel_without_the_bank_and_never_explains(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    nb = _course_notebook(tmp_path)
    nb.cells[0].source = "import exercises"  # the package is installed: skip the pip line
    # the cells show their exercise as the last expression: keep the objects to drive them
    for c in nb.cells[1:-1]:
        if "show_sealed(" in c.source:
            c.source = c.source.replace("show_sealed(", "_views.append(show_sealed(", 1) + ")\n_views[-1]"
    nb.cells.insert(1, nbformat.v4.new_code_cell("_views = []"))
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json\nw1 = _views[0].widget\nseen = []\n"
        "for answer in ('wendt', 'wendt', 'wendt', 'rsct'):\n"
        "    w1.set_answer(answer); r = w1.check(); seen.append([r.score, w1.explanation_shown, w1.explanation_html.value])\n"
        "print(json.dumps(seen))"))
    empty = tmp_path / "no-bank"
    empty.mkdir()
    monkeypatch.setenv("EXERCISES_BANK_DIR", str(empty))  # the keyed bank is not reachable
    monkeypatch.setenv("EXERCISES_JOURNAL", "")
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    seen = json.loads(out)
    assert [s[0] for s in seen] == [0.0, 0.0, 0.0, 1.0]
    assert all(not shown and html == "" for _, shown, html in seen)


def test_a_placeholder_repository_is_named_and_a_real_one_passes():
    env = {}
    assert "is a placeholder" in launch.repository_problem("https://github.com/example/ttp-taliban-book", env)
    assert "_config.yml repository.url" in launch.repository_problem("https://github.com/<user>/<repository>", env)
    assert "is empty" in launch.repository_problem("", env)
    assert "not a https://github.com" in launch.repository_problem("https://gitlab.com/a/b", env)
    assert launch.repository_problem("https://github.com/unhcr-teaching/borders", env) is None
    assert launch.repository_problem("https://github.com/example/x", {launch.ALLOW_PLACEHOLDER: "1"}) is None


def test_built_commit_is_the_checkout_head_or_github_sha(tmp_path):
    import subprocess

    root = Path(__file__).resolve().parent.parent
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    assert launch.built_commit(root, {}) == head
    assert launch.built_commit(root, {"GITHUB_SHA": "f" * 40}) == "f" * 40
    assert launch.built_commit(tmp_path, {}) is None


def test_the_build_warns_about_a_placeholder_repository(monkeypatch):
    from types import SimpleNamespace

    from exercises.site import hooks

    warned = []
    monkeypatch.setattr(hooks.LOGGER, "warning", lambda msg, *a, **k: warned.append(msg))
    monkeypatch.delenv(launch.ALLOW_PLACEHOLDER, raising=False)

    def app(url):
        return SimpleNamespace(builder=SimpleNamespace(format="html"), exercises_mode="study", srcdir=".",
                               config=SimpleNamespace(mathjax_path="https://cdn.example/mathjax.js",
                                                      html_theme_options={"repository_url": url}))
    hooks.builder_inited(app("https://github.com/example/ttp-taliban-book"))
    assert len(warned) == 1 and "is a placeholder" in warned[0]  # with -W the build fails on it
    hooks.builder_inited(app("https://github.com/real-org/borders"))
    assert len(warned) == 1


def test_published_notebooks_read_as_plain_markdown_not_myst(monkeypatch):
    # JupyterLab, Notebook 7, Colab and VS Code showed `(label)=`, {cite:p} and :::{admonition} raw
    import re

    from exercises.alignment import objectives

    root = Path(__file__).resolve().parent.parent
    for page in ("rsct", "numbers", "durand_line"):
        nb = notebooks.page_notebook(root / "book" / f"{page}.md", requirement="pkg")
        md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        raw = re.findall(r"\{[a-z:]+\}`|^\([^\s()]+\)=\s*$|^:::|^```\{", md, re.M)
        assert not raw, f"{page}: raw MyST in the published notebook: {raw[:5]}"
    md = "\n".join(c.source for c in notebooks.page_notebook(root / "book" / "rsct.md", requirement="pkg").cells
                   if c.cell_type == "markdown")
    assert "(Buzan and Wæver 2003)" in md and "> **Note.**" in md
    monkeypatch.delenv("EXERCISES_STATIC_BUILD", raising=False)
    live = objectives("rsct")._repr_markdown_()
    assert live.startswith("**Learning objectives.**") and ":::" not in live
    monkeypatch.setenv("EXERCISES_STATIC_BUILD", "1")
    assert objectives("rsct")._repr_markdown_().startswith(":::{admonition} Learning objectives")
