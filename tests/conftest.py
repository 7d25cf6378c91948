"""Shared fixtures: the bank, one full book build per test session, and a real Chromium."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The test builds are never published: the placeholder repository of _config.yml is acknowledged
# (a real build warns about it, and -W fails; test_site checks that it does).
os.environ.setdefault("EXERCISES_ALLOW_PLACEHOLDER_REPOSITORY", "1")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# --- test tiers ---------------------------------------------------------------------------------
# Markers (registered in pyproject.toml) are given here, from what a test uses, so that a new test
# lands in the right tier by itself: `book` (needs the full book build), `browser` (a real
# Chromium), `slow` (real kernels, wheels, subprocess builds). The fast tier is
# `bash scripts/test.sh --fast` (= -m "not slow and not browser and not book").
#: whole modules in the slow tier: real kernels, JupyterLab, wheels, builds, a simulated class of hundreds
SLOW_MODULES = {"test_kernel_records", "test_jupyterlab_e2e", "test_grading_e2e", "test_packaging", "test_course_build",
                "test_reports_flags"}


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite the golden files from the current output (review the diff)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & {"book_build", "site"}:
            item.add_marker(pytest.mark.book)
        if used & {"browser", "page"}:
            item.add_marker(pytest.mark.browser)
        if item.module.__name__.rpartition(".")[2] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def bank():
    from exercises import load_bank
    return load_bank()


@pytest.fixture(scope="session")
def howto():
    """The reference chapter (one exercise of each type), independent of the other chapters."""
    from exercises import bank as bank_mod
    found, problems = bank_mod.validate(files=[bank_mod.default_bank_dir() / "howto.yml"])
    assert not problems, "\n".join(map(str, problems))
    return found


@pytest.fixture(scope="session")
def book_build(tmp_path_factory) -> dict:
    """Build the whole book once with -W -n --keep-going into a temporary folder.

    Returns {"returncode", "log", "html": Path}. The build test asserts on it; browser tests use
    the HTML. Set BOOK_BUILD_DIR to reuse an existing build folder (its cache makes rebuilds fast).
    """
    out = Path(os.environ.get("BOOK_BUILD_DIR") or tmp_path_factory.mktemp("book"))
    from exercises.site.builds import build_command, build_environment  # exactly what `exercises site build` runs
    proc = subprocess.run(build_command(root=ROOT, output=out, mode="study"), cwd=ROOT, capture_output=True,
                          text=True, timeout=3000, env=build_environment(output=out, mode="study"))
    return {"returncode": proc.returncode, "log": proc.stdout + proc.stderr, "html": out / "_build" / "html"}


@pytest.fixture(scope="session")
def site(book_build):
    """The built HTML folder; skips nothing: a failed build fails every test that needs it."""
    html = book_build["html"]
    assert (html / "index.html").exists(), "the book did not build:\n" + book_build["log"][-4000:]
    return html


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run scripts/setup.sh --browser"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that blocks every non-local request and records console errors."""
    context = browser.new_context()
    errors: list[str] = []
    failed: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "http://127.0.0.1", "http://localhost")):
            return r.continue_()
        failed.append(url)
        return r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.console_errors = errors
    pg.blocked_requests = failed
    yield pg
    context.close()
