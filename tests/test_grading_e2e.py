"""End to end in a real kernel: release with a roster, answer through the widget API (right,
wrong, partly right, blank), save, re-run after a restart, grade and export with the CLI."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import gradingkit as kit
from exercises.records import scan as rec_scan
from exercises.grading.release import release

WRONG = {
    "howto_ex1": "wendt", "howto_ex2": ["governs"], "howto_ex3": 74, "howto_ex4": "Wendt",
    "howto_ex5": ["kabul2021", "ttp", "kabul1996", "durand"],
    "howto_ex6": {"anarchy": "bw", "regions": "bwd", "framework": "wendt"},
    "howto_ex7": {"pakistan": "nonstate", "ttp": "state", "iskp": "state", "iran": "nonstate"},
    "howto_ex8": {"actor": "parliament", "referent": "crossings", "audience": "militants"},
    "howto_ex9": {"pak/ttp": "amity", "tal/ttp": "enmity", "iskp/tal": "amity"},
    "howto_ex10": {"code": "n_events = 0", "value": None}, "tall_ex1": {"code": "change = 0", "value": None},
    "tall_ex2": 13,
}
# partly right, with blanks and one exercise answered wrong then right (attempt 2: -25 %)
PARTLY = [
    ("howto_ex1", "wendt"), ("howto_ex1", "rsct"), ("howto_ex2", ["umbrella"]), ("howto_ex3", None),
    ("howto_ex4", "Waever"), ("howto_ex5", ["durand", "ttp", "kabul1996", "kabul2021"]),
    ("howto_ex6", {"anarchy": "wendt", "regions": "bwd", "framework": "bwd"}),
    ("howto_ex8", {"actor": "minister", "referent": "crossings", "audience": "parliament"}),
    ("howto_ex9", {"pak/ttp": "enmity", "tal/ttp": "enmity", "iskp/tal": "enmity"}),
    ("howto_ex10", "__key__"), ("tall_ex1", {"code": "change = 0", "value": None}), ("tall_ex2", 4242),
]
PARTLY_SCORES = {"howto_ex1": 0.75, "howto_ex2": 1, "howto_ex3": 0, "howto_ex4": 1, "howto_ex5": 1.5,
                 "howto_ex6": 4, "howto_ex7": 0, "howto_ex8": 2, "howto_ex9": 2, "howto_ex10": 2,
                 "tall_ex1": 0, "tall_ex2": 1}

ANSWER = """
import json
from exercises.handout import widgets
steps = json.loads({steps!r})
log = []
for ex_id, answer in steps:
    w = widgets()[ex_id]
    if answer is None:
        w.input.clear()
    else:
        w.set_answer(answer)
    result = w.check()
    log.append([ex_id, None if result is None else result.score, w.record["attempts"] if w.record else None])
print(json.dumps(log))
"""


def execute(path: Path, extra: str | None = None) -> tuple[nbformat.NotebookNode, str]:
    """Run the notebook top to bottom in a fresh kernel (optionally one more cell), save it as a
    student would (without the extra cell), and return it with the extra cell's printed text."""
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    printed = ""
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
        if extra:
            cell = nbformat.v4.new_code_cell(extra)
            nb.cells.append(cell)
            client.execute_cell(cell, len(nb.cells) - 1)
            printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            nb.cells.pop()
            summary = len(nb.cells) - 1
            client.execute_cell(nb.cells[summary], summary)  # the student runs the last cell before saving
        client.set_widgets_metadata()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    nbformat.write(nb, str(path))
    return nb, printed


def widget_texts(nb) -> str:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return " ".join(str(m.get("state", {}).get("value", "")) for m in state.values())


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    bank_dir = tmp / "assignment"
    a = kit.load_assignment(bank_dir)
    (tmp / "roster.csv").write_text(kit.ROSTER)
    out = tmp / "released"
    release(assignment=a, out=out, roster=kit.roster(), secret=kit.SECRET)
    right = [(e, v) for e, v in kit.all_right(a, "s001").items()]
    key10 = kit.key_answer(a, "howto_ex10", "s003")
    plans = {"s001": right, "s002": list(WRONG.items()),
             "s003": [(e, key10 if v == "__key__" else v) for e, v in PARTLY]}
    logs = {}
    for student, steps in plans.items():
        nb, printed = execute(out / f"t_all_{student}.ipynb", ANSWER.format(steps=json.dumps(steps)))
        logs[student] = (nb, json.loads(printed.strip().splitlines()[-1]))
    # hand in through Canvas
    subs = tmp / "canvas"
    subs.mkdir()
    for student in plans:
        s = kit.roster().get(student)
        (subs / f"{s.name.split()[1].lower()}{s.name.split()[0].lower()}_{s.canvas_id}_{8000 + int(s.canvas_id)}_t_all_{student}.ipynb"
         ).write_bytes((out / f"t_all_{student}.ipynb").read_bytes())
    env = dict(os.environ, EXERCISES_SECRET=kit.SECRET.decode())
    cli = [sys.executable, "-m", "exercises"]
    graded = subprocess.run(cli + ["grade", str(bank_dir / "t_all.yml"), str(subs), "--db", str(tmp / "gb.sqlite"),
                                   "--roster", str(tmp / "roster.csv")], capture_output=True, text=True, env=env, cwd=tmp)
    exported = subprocess.run(cli + ["export", str(bank_dir / "t_all.yml"), "--db", str(tmp / "gb.sqlite"),
                                     "--out", str(tmp / "export")], capture_output=True, text=True, env=env, cwd=tmp)
    return {"a": a, "tmp": tmp, "out": out, "logs": logs, "graded": graded, "exported": exported}


def test_answers_given_through_the_widget_are_recorded_in_the_saved_notebook(run):
    nb, log = run["logs"]["s001"]
    found = rec_scan.find_records(json.loads(nbformat.writes(nb)))
    assert set(found) == {it.id for it in run["a"].items}
    immediate = {it.id for it in run["a"].items if it.policy.feedback == "immediate"}
    for ex_id, score, attempts in log:
        assert attempts == 1
        assert (score is not None) == (ex_id in immediate)  # immediate feedback shows a score; "none" only records
    assert all(r[0]["student"] == "s001" and r[0]["assignment"] == "t_all" for r in found.values())


def test_a_blank_answer_is_not_recorded_and_the_summary_shows_what_is(run):
    nb, log = run["logs"]["s003"]
    assert ["howto_ex3", None, None] in log
    found = rec_scan.find_records(json.loads(nbformat.writes(nb)))
    assert "howto_ex3" not in found and "howto_ex7" not in found
    assert found["howto_ex1"][0]["attempts"] == 2
    assert "10 of 12 exercises have a recorded answer" in widget_texts(nb)


def test_grading_the_saved_notebooks_gives_the_expected_scores(run):
    graded = run["graded"]
    assert graded.returncode == 0, graded.stderr
    assert "3 file(s): 3 graded, 0 partly graded, 0 rejected" in graded.stdout
    assert run["exported"].returncode == 0, run["exported"].stderr
    with open(run["tmp"] / "export" / "t_all_wide.csv", newline="") as fh:
        wide = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert float(wide["s001"]["score"]) == 29.0
    assert float(wide["s002"]["score"]) == 0.0
    assert float(wide["s003"]["score"]) == pytest.approx(sum(PARTLY_SCORES.values())) == 15.25
    for ex_id, expected in PARTLY_SCORES.items():
        assert float(wide["s003"][ex_id]) == pytest.approx(expected), ex_id
    with open(run["tmp"] / "export" / "t_all_long.csv", newline="") as fh:
        long = {(r["student_id"], r["exercise"]): r for r in csv.DictReader(fh)}
    first = long[("s003", "howto_ex1")]
    assert (first["score"], first["raw"], first["penalty"], first["attempts"]) == ("0.75", "1", "0.25", "2")
    assert long[("s003", "howto_ex3")]["status"] == "missing"
    assert long[("s002", "tall_ex1")]["status"] == "scored" and long[("s002", "tall_ex1")]["score"] == "0"


def test_recorded_answers_survive_a_restart_and_a_rerun(run):
    path = run["out"] / "t_all_s003.ipynb"
    before = rec_scan.find_records(json.loads(path.read_text()))
    nb, _ = execute(path)  # a fresh kernel runs the saved notebook again, top to bottom
    after = rec_scan.find_records(json.loads(nbformat.writes(nb)))
    assert {k: (v[-1]["answer"], v[-1]["attempts"]) for k, v in after.items()} == \
           {k: (v[-1]["answer"], v[-1]["attempts"]) for k, v in before.items()}
