"""Helpers shared by the grading tests: a test assignment, rosters, and answered notebooks built
with nbformat (the way a student's saved notebook looks), without a kernel."""
from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path
from typing import Any, Mapping

import nbformat

from exercises.grading import assignment as A
from exercises.records import format as rec_format
from exercises.grading import release as R
from exercises.grading.roster import Roster, parse
from exercises.grading.variants import token, variant

SECRET = b"test-secret-0123456789abcdef"
RELEASED = "2026-10-01T09:00:00Z"

#: one exercise of each type (the bank's reference fixture), mixed policies, and a private bank
#: with a parameterised code exercise and a numeric one
ASSIGNMENT = """\
schema_version: 1
assignment: t_all
title: "Test assignment: every type"
due: 2026-10-16T23:59:00+05:00
instructions: |
  A test assignment with one exercise of each type.
defaults:
  feedback: immediate
  max_attempts: 3
  penalty: {per_attempt: 0.25, max: 0.5}
exercises:
  - id: howto_ex1
  - id: howto_ex2
  - id: howto_ex3
    feedback: none
  - id: howto_ex4
    feedback: none
  - id: howto_ex5
  - id: howto_ex6
    points: 6
  - id: howto_ex7
    feedback: none
  - id: howto_ex8
  - id: howto_ex9
    feedback: none
  - id: howto_ex10
    feedback: none
  - id: tall_ex1
    feedback: none
    params:
      years:
        - {start: 2020, end: 2023}
        - {start: 2021, end: 2024}
        - {start: 2022, end: 2025}
  - id: tall_ex2
"""

BANK = """\
schema_version: 1
chapter: tall
title: Private exercises of the test assignment
objectives:
  - id: tall_o1
    text: Compute with the data.
exercises:
  - id: tall_ex1
    type: code
    title: Change between two years
    prompt: |
      Percentage change in PIPS terrorist attacks from **{{years.start}}** to **{{years.end}}**, in `change`.
    points: 2
    objectives: [tall_o1]
    bloom: apply
    hints: [Select the PIPS rows.]
    explanation: |
      PRIVATE-EXPLANATION-TALL1 (s[{{years.end}}] - s[{{years.start}}]) / s[{{years.start}}] * 100.
    setup: |
      import pandas as pd
      from casebook.datasets import load
      df = load("pakistan_violence")
      df["count"] = pd.to_numeric(df["value"], errors="coerce")
    starter: |
      change = ...
    result: change
    solution: |
      s = df[(df["source_org"] == "PIPS") & (df["metric"] == "terrorist_attacks")].set_index("year")["count"]
      secret_marker_tall1 = "PRIVATE-SOLUTION-TALL1"
      change = (s[{{years.end}}] - s[{{years.start}}]) / s[{{years.start}}] * 100
    tolerance: {abs: 0.05}
    unit: "%"
  - id: tall_ex2
    type: numeric
    title: A private number
    prompt: What is 6 times 7?
    points: 1
    objectives: [tall_o1]
    bloom: remember
    hints: [Multiply.]
    explanation: PRIVATE-EXPLANATION-TALL2.
    answer: 4242.5
    tolerance: {abs: 0.5}
    unit: ""
    misconceptions:
      - {answer: 13, feedback: "PRIVATE-MISCONCEPTION-TALL2: you added."}
    feedback: {incorrect: "PRIVATE-INCORRECT-TALL2"}
"""

ROSTER = """\
id,name,email,canvas_id,moodle_id
s001,Jane Doe,jane@example.edu,1001,501
s002,Ali Khan,ali@example.edu,1002,502
s003,Mina Shah,mina@example.edu,1003,503
"""


def write_assignment(folder: Path, text: str = ASSIGNMENT, bank: str | None = BANK, name: str = "t_all") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yml"
    path.write_text(textwrap.dedent(text), "utf-8")
    if bank is not None:
        (folder / f"{name}.bank.yml").write_text(textwrap.dedent(bank), "utf-8")
    return path


def load_assignment(folder: Path, text: str = ASSIGNMENT, bank: str | None = BANK, name: str = "t_all") -> A.Assignment:
    return A.load(write_assignment(folder, text, bank, name))


def roster(text: str = ROSTER) -> Roster:
    return parse(text, "roster.csv")


def released(a: A.Assignment, student: str | None, secret: bytes | None = SECRET, roster_: Roster | None = None):
    """The released notebook of ``student`` (None: the class notebook)."""
    r = roster_ or roster()
    s = r.get(student) if student else None
    return R.notebook(a, variant(a, secret, student), s, released=RELEASED, secret=secret)


def key_answer(a: A.Assignment, ex_id: str, student: str | None, secret: bytes | None = SECRET) -> Any:
    from exercises.checking import key_answer as key
    ex = a.exercise(ex_id, variant(a, secret, student).choice(ex_id))
    return key(ex)


def answer_notebook(nb, answers: Mapping[str, Any], *, attempts: Mapping[str, int] | None = None,
                    time: str = "2026-10-10T10:00:00Z", student: str | None = "__from_nb__",
                    assignment: str | None = "__from_nb__", variant_token: str | None = "__from_nb__"):
    """A copy of ``nb`` with a record output in each answered exercise's cell, as the widget
    leaves it in a saved notebook."""
    nb = copy.deepcopy(nb)
    meta = nb["metadata"].get("exercises", {})
    ctx = {"student": meta.get("student") if student == "__from_nb__" else student,
           "assignment": meta.get("assignment") if assignment == "__from_nb__" else assignment,
           "variant": meta.get("variant") if variant_token == "__from_nb__" else variant_token}
    for cell in nb["cells"]:
        ex_id = cell.get("metadata", {}).get("exercises", {}).get("exercise")
        if ex_id in answers:
            record = rec_format.make_record(ex_id, answers[ex_id], (attempts or {}).get(ex_id, 1), time=time, **ctx)
            cell["outputs"] = [rec_format.record_output(record)]
            cell["execution_count"] = 1
    return nb


def dumps(nb) -> bytes:
    return nbformat.writes(nb).encode("utf-8")


def save(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dumps(nb))
    return path


def all_right(a: A.Assignment, student: str | None, secret: bytes | None = SECRET) -> dict[str, Any]:
    return {it.id: key_answer(a, it.id, student, secret) for it in a.items}


def the_token(a: A.Assignment, student: str) -> str:
    return token(SECRET, a.name, student)


def cells_of(nb) -> list[dict]:
    return json.loads(nbformat.writes(nb))["cells"]
