"""The course edition (``scripts/build_course.sh``: ``python -m exercises site build --mode
course``): no explanation or solution text anywhere in the site, no instructor page and no link
to one, every exercise rendered in course mode, and every link and launch button still valid."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exercises import load_bank
from exercises.site.builds import INSTRUCTOR_PAGES
from exercises.site.launch import launch_target
from exercises.checking.crypto import decrypt, derive_key
from site_helpers import ROOT, html_pages, local_target, normalise_text, page_refs

TEXT_SUFFIXES = {".html", ".js", ".json", ".ipynb", ".md", ".txt", ".css", ".xml", ".inv"}


@pytest.fixture(scope="module")
def course_site(tmp_path_factory) -> Path:
    out = Path(os.environ.get("COURSE_BUILD_DIR") or tmp_path_factory.mktemp("course"))
    proc = subprocess.run([sys.executable, "-m", "exercises", "site", "build", "--mode", "course", "--output", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=3000)
    html = out / "_build" / "html"
    assert proc.returncode == 0 and (html / "index.html").exists(), \
        "the course build failed:\n" + (proc.stdout + proc.stderr)[-4000:]
    return html


def _site_text(site: Path) -> str:
    """Every text file of the site, normalised and joined (to search for leaked text)."""
    parts = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "mathjax" not in path.parts:
            parts.append(normalise_text(path.read_text("utf-8", "replace")))
    return "\n".join(parts)


def _book_sources_text() -> str:
    return "\n".join(normalise_text(p.read_text("utf-8")) for p in sorted((ROOT / "book").glob("*.md")))


def _secret_passages(bank) -> list[tuple[str, str, str]]:
    """(exercise id, kind, normalised text) of every explanation and every solution line that
    only the bank holds (text an author also put in a page is the page's, not a leak)."""
    sources = _book_sources_text()
    out = []
    for ex in bank.exercises.values():
        explanation = normalise_text(ex.explanation or "")
        if len(explanation) >= 25 and explanation not in sources:
            out.append((ex.id, "explanation", explanation))
        if getattr(ex, "solution", None):
            public = normalise_text(" ".join([getattr(ex, "starter", ""), getattr(ex, "setup", ""), ex.prompt]))
            for line in ex.solution.splitlines():
                line = normalise_text(line.split("#", 1)[0])
                if len(line) >= 20 and line not in public and line not in sources:
                    out.append((ex.id, "solution", line))
    return out


def test_the_leak_detector_finds_planted_explanation_text(tmp_path):
    bank = load_bank()
    secrets = _secret_passages(bank)
    assert secrets, "the bank has no explanation to look for"
    ex_id, _, text = secrets[0]
    (tmp_path / "page.html").write_text(f"<p>{bank[ex_id].explanation}</p>", "utf-8")
    assert text in _site_text(tmp_path)


def test_course_build_contains_no_explanation_or_solution_text(course_site):
    text = _site_text(course_site)
    leaks = [f"{ex_id} {kind}: {passage[:80]}" for ex_id, kind, passage in _secret_passages(load_bank())
             if passage in text]
    assert not leaks, f"{len(leaks)} passages only the bank should hold are in the course site:\n" + "\n".join(leaks[:20])


def test_every_exercise_of_the_course_build_is_rendered_in_course_mode(course_site):
    modes, explanation_blocks = set(), []
    count = 0
    for page in html_pages(course_site):
        html = page.read_text("utf-8")
        for match in re.finditer(r'<div class="exercise" id="([^"]+)"[^>]*data-mode="([^"]+)"', html):
            count += 1
            modes.add(match.group(2))
        if "exercise-explanation" in html or "exercise-explain-button" in html:
            explanation_blocks.append(page.name)
    assert count > 0, "no exercise in the course build"
    assert modes == {"course"}, f"exercise modes in the course build: {modes}"
    assert not explanation_blocks, f"explanation elements in: {explanation_blocks}"


def _specs(site: Path) -> dict[str, dict]:
    """{exercise id: sealed spec} of every exercise on every page of a built site."""
    specs = {}
    for page in html_pages(site):
        for attrs, body in page_refs(page).scripts:
            if "exercise-spec" in attrs.get("class", "").split():
                spec = json.loads(body)
                specs[spec["id"]] = spec
    return specs


def _explanation_carriers(spec: dict) -> list[str]:
    """Fields of a sealed spec that carry an explanation or a solution (encrypted or not)."""
    found = [k for k in ("explanation", "pattern_w", "solution") if k in spec]
    found += [f"accept.{part}.w" for part, entries in spec.get("accept", {}).items() for e in entries if "w" in e]
    if "submitted" in spec:  # a written item: the texts that open once a response is submitted
        texts = json.loads(decrypt(derive_key(spec["salt"], "submitted"), spec["submitted"]))
        found += [k for k in ("explanation", "model_answer") if k in texts]
    return found


def test_course_build_specs_carry_no_explanation_while_the_study_build_does(site, course_site):
    study, course = _specs(site), _specs(course_site)
    assert course and set(course) <= set(study)
    assert {s["mode"] for s in course.values()} == {"course"}
    leaking = {ex_id: _explanation_carriers(spec) for ex_id, spec in course.items() if _explanation_carriers(spec)}
    assert not leaking, f"course-build specs carrying explanations or solutions: {leaking}"
    # the same check finds them in the self-study build, so it is looking in the right place
    assert all("explanation" in _explanation_carriers(spec) for spec in study.values())


def test_course_build_leaves_out_the_instructor_pages_and_every_link_to_them(course_site):
    for doc in INSTRUCTOR_PAGES:
        assert not (course_site / f"{doc}.html").exists(), f"{doc}.html is in the course build"
        assert not list((course_site / "_sources").glob(f"{doc}.*")), f"the source of {doc} is in the course build"
    names = {Path(doc).name for doc in INSTRUCTOR_PAGES}
    linking = [f"{page.relative_to(course_site)} -> {href}" for page in html_pages(course_site)
               for href, _, _ in page_refs(page).links if Path(href.split("#")[0]).stem in names]
    assert not linking, "links to instructor pages:\n" + "\n".join(linking)
    index = (course_site / "searchindex.js").read_text("utf-8")
    assert not any(f'"{doc}"' in index for doc in INSTRUCTOR_PAGES)


def test_course_progress_page_lists_the_exercises_of_the_course_pages(course_site):
    html = (course_site / "book" / "progress.html").read_text("utf-8")
    payload = re.search(r'<script type="application/json" data-progress-index>(.*?)</script>', html, re.S).group(1)
    index = json.loads(payload)
    pages = {ex["page"] for ch in index["chapters"] for ex in ch["exercises"]}
    assert pages and not pages & set(INSTRUCTOR_PAGES)
    shown = set(re.findall(r'<div class="exercise" id="([^"]+)"', "".join(
        p.read_text("utf-8") for p in html_pages(course_site))))
    assert {ex["id"] for ch in index["chapters"] for ex in ch["exercises"]} == shown


def test_every_internal_link_and_download_of_the_course_build_exists(course_site):
    missing = []
    for page in html_pages(course_site):
        refs = page_refs(page)
        for url in refs.loads + [href for href, _, _ in refs.links]:
            target = local_target(page, url, course_site)
            if target is not None and not target[0].exists():
                missing.append(f"{page.relative_to(course_site)}: {url}")
        for href, _, _ in refs.links:
            if href.startswith(("https://mybinder.org/", "https://colab.research.google.com/")):
                kind, branch, path = launch_target(href)
                if not (course_site / path).is_file():
                    missing.append(f"{page.relative_to(course_site)}: {kind} opens {path}, not in the site")
    assert not missing, "\n".join(missing[:40])


def test_course_notebooks_check_against_sealed_specs_and_never_name_a_bank_entry(course_site):
    notebooks = sorted((course_site / "_sources").rglob("*.ipynb"))
    assert notebooks
    sealed = 0
    for path in notebooks:
        text = path.read_text("utf-8")
        assert 'show(\\"' not in text, f"{path.name}: an exercise cell still loads the keyed bank"
        sealed += text.count("show_sealed({")
    assert sealed >= 50  # the book's exercises, each carried as a sealed spec


def test_no_exercise_is_called_an_instructor_page(course_site, bank):
    # a label quoted in the instructor guide's code block made rsct_ex1 "for instructors"
    for page in html_pages(course_site):
        if page.name in ("instructor_guide.html", "graded_assignments.html"):
            continue
        text = normalise_text(page.read_text("utf-8"))
        for ex in bank.exercises.values():
            for name in (ex.id, normalise_text(ex.title)):
                assert f"{name} for instructors not part of this edition" not in text, f"{page.name}: {ex.id} called an instructor page"
