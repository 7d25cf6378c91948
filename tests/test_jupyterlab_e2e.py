"""End to end in a real JupyterLab in Chromium: open a released notebook, run it, click answers,
save, and grade the saved file."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

import gradingkit as kit
import markingkit as MK
from exercises.grading import assignment as A
from exercises.grading import batch as G
from exercises.records import scan as rec_scan
from exercises.grading.gradebook import Gradebook
from exercises.grading.release import release

SMALL = """\
schema_version: 1
assignment: t_lab
title: "Test assignment in JupyterLab"
due: 2026-10-16T23:59:00Z
defaults:
  feedback: immediate
  max_attempts: 2
exercises:
  - id: howto_ex1
  - id: howto_ex2
    feedback: none
  - id: howto_ex3
  - id: howto_ex4
    feedback: none
  - id: tall_ex3
    feedback: none
    show_rubric: true
"""
#: the private bank: the grading tests' one, whose tall_ex3 is written and marked by a person after hand-in
PRIVATE = MK.BANK
ESSAY = "Afghanistan is an insulator: the October 2025 ceasefire was brokered from outside the region."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    a = A.load(kit.write_assignment(root / "assignment", SMALL, bank=PRIVATE, name="t_lab"))
    one = kit.roster(kit.ROSTER.splitlines()[0] + "\n" + kit.ROSTER.splitlines()[1] + "\n")
    (path,) = [r.path for r in release(assignment=a, out=root / "work", roster=one, secret=kit.SECRET)]
    token = secrets.token_hex(16)
    port = free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / "config"), JUPYTER_DATA_DIR=str(root / "data"),
               JUPYTER_RUNTIME_DIR=str(root / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(root / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"))
    # render every cell (no windowing: off-screen cells would not be in the page) and ask about no news
    settings = root / "settings"
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    log = open(root / "lab.log", "w")
    args = [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root / 'work'}", "--LabApp.news_url="]
    if os.geteuid() == 0:  # containers run as root; Jupyter refuses without this
        args.append("--allow-root")
    proc = subprocess.Popen(args, cwd=root / "work", env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            log.close()
            raise AssertionError("JupyterLab did not start:\n" + (root / "lab.log").read_text()[-3000:])
        time.sleep(0.5)
    yield {"a": a, "path": path, "base": base, "token": token, "root": root}
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def test_a_student_answers_in_jupyterlab_and_the_saved_file_is_graded(lab, page):
    page.set_default_timeout(60_000)
    page.goto(f"{lab['base']}/lab/tree/{lab['path'].name}?token={lab['token']}")
    page.locator(".jp-Notebook").wait_for()
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)  # the kernel is ready
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    widgets = page.locator(".exercise-widget")
    widgets.nth(4).wait_for()
    assert widgets.count() == 5

    # 1. single choice, immediate feedback: wrong, then right
    w1 = widgets.nth(0)
    w1.locator("label", has_text="Constructivism (Wendt)").click()
    w1.get_by_role("button", name="Check").click()
    w1.locator("div[role=status].exercise-feedback", has_text="Not correct yet").wait_for()
    w1.locator("label", has_text="Regional Security Complex Theory").click()
    w1.get_by_role("button", name="Check").click()
    w1.locator("div[role=status].exercise-feedback", has_text="Correct").wait_for()
    expect(w1.get_by_role("button", name="Check")).to_be_disabled()  # 2 attempts allowed, both used
    expect(w1).to_contain_text("Attempts: 2 of 2")

    # 2. multiple select, no feedback until grading: one right option only
    w2 = widgets.nth(1)
    w2.locator("label", has_text="It fights the Pakistani state.").click()
    w2.get_by_role("button", name="Record").click()
    w2.locator("div[role=status].exercise-feedback", has_text="Answer recorded").wait_for()

    # 3. numeric, immediate: right at once
    w3 = widgets.nth(2)
    w3.locator("input[type='text']").fill("128")
    w3.get_by_role("button", name="Check").click()
    w3.locator("div[role=status].exercise-feedback", has_text="Correct").wait_for()

    # 4. short text: left blank on purpose

    # 5. written, marked after hand-in: the rubric is on screen (show_rubric), the model answer never
    w5 = widgets.nth(4)
    expect(w5).to_contain_text("A position derived from the definition.")
    w5.locator("textarea").fill(ESSAY)
    expect(w5).to_contain_text("14 words · asked for 5–40")  # counted live, as the student types
    w5.get_by_role("button", name="Submit").click()
    w5.locator("div[role=status].exercise-feedback", has_text="recorded").wait_for()
    assert "PRIVATE-MODEL" not in page.content()

    page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()  # a widget's text box keeps Ctrl+S
    page.locator(".lm-Menu-itemLabel", has_text="Save Notebook").first.click()
    deadline = time.time() + 30
    found = {}
    while time.time() < deadline:
        found = rec_scan.find_records(json.loads(lab["path"].read_text()))
        if set(found) == {"howto_ex1", "howto_ex2", "howto_ex3", "tall_ex3"} and found["howto_ex1"][-1]["attempts"] == 2:
            break
        page.wait_for_timeout(500)  # not time.sleep: the page's request routing runs only while Playwright waits
    assert set(found) == {"howto_ex1", "howto_ex2", "howto_ex3", "tall_ex3"}, found
    assert found["tall_ex3"][-1]["answer"] == {"text": ESSAY}
    assert page.console_errors == [] and page.blocked_requests == []

    folder = lab["root"] / "handed_in"
    folder.mkdir()
    (folder / f"doejane_1001_4242_{lab['path'].name}").write_bytes(lab["path"].read_bytes())
    summary = G.grade(assignment=lab["a"], submissions=folder, db=lab["root"] / "gb.sqlite", roster=kit.roster(),
                      secret=kit.SECRET, progress=False)
    assert summary.status == {"graded": 1, "partly graded": 0, "rejected": 0}
    with Gradebook(lab["root"] / "gb.sqlite") as gb:
        (sub, out), = gb.current("t_lab")
        scores = {s["exercise"]: (s["score"], s["status"]) for s in gb.outcome_scores(out["id"])}
    assert out["student"] == "s001"
    assert {k: v for k, v in scores.items() if k != "tall_ex3"} == {
        "howto_ex1": (1.0, "scored"), "howto_ex2": (1.0, "scored"), "howto_ex3": (1.0, "scored"), "howto_ex4": (0.0, "missing")}
    assert scores["tall_ex3"][1] == "awaiting marking"  # never a zero before a person marks it
