"""A synthetic class for the report tests: an assignment whose items have known properties,
responses simulated from a two-parameter logistic item-response model, written into a real
gradebook by releasing, answering and grading real notebooks (the path an instructor takes).

Planted items (everything else is an ordinary, discriminating item):

- ``irt_ex13`` is miskeyed: the bank's key is ``b``, but ``a`` is what able students pick;
- ``irt_ex14`` has zero discrimination: everyone has the same chance, whatever their ability;
- ``irt_ex15`` has a dead distractor: nobody ever picks ``d``;
- ``irt_ex18`` has two variants, one much harder than the other.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import gradingkit as kit
from exercises.grading import assignment as A
from exercises.grading.batch import grade
from exercises.grading.roster import parse
from exercises.grading.variants import variant

MISKEYED, FLAT, DEAD, VARIANT = "irt_ex13", "irt_ex14", "irt_ex15", "irt_ex18"
PLANTED = {MISKEYED: {"key_rejected", "negative_discrimination"}, FLAT: {"low_discrimination"},
           DEAD: {"never_picked"}, VARIANT: {"variant_harder"}}
ORDINARY = [f"irt_ex{i}" for i in range(1, 13)]
MATCHING, MULTI = "irt_ex16", "irt_ex17"
BLOOMS = ("remember", "understand", "apply")


def _single(i: int, key: str = "a", prompt: str = "") -> str:
    return f"""\
  - id: irt_ex{i}
    type: single_choice
    title: Item {i}
    prompt: {prompt or f"Question {i}."}
    points: 1
    objectives: [irt_o{1 + (i - 1) // 6}]
    bloom: {BLOOMS[i % 3]}
    hints: [Think.]
    explanation: Because.
    options:
      - {{id: a, text: Option A, feedback: A.}}
      - {{id: b, text: Option B, feedback: B.}}
      - {{id: c, text: Option C, feedback: C.}}
      - {{id: d, text: Option D, feedback: D.}}
    answer: {key}
"""


def bank_text() -> str:
    items = "".join(_single(i) for i in range(1, 13))
    items += _single(13, key="b") + _single(14) + _single(15)
    items += """\
  - id: irt_ex16
    type: matching
    title: Item 16
    prompt: Match them.
    points: 3
    objectives: [irt_o3]
    bloom: apply
    hints: [Think.]
    explanation: Because.
    left:
      - {id: l1, text: Left 1}
      - {id: l2, text: Left 2}
      - {id: l3, text: Left 3}
    right:
      - {id: r1, text: Right 1}
      - {id: r2, text: Right 2}
      - {id: r3, text: Right 3}
    answer: {l1: r1, l2: r2, l3: r3}
  - id: irt_ex17
    type: multiple_select
    title: Item 17
    prompt: Select all that apply.
    points: 2
    objectives: [irt_o3]
    bloom: understand
    hints: [Think.]
    explanation: Because.
    options:
      - {id: a, text: Option A, feedback: A.}
      - {id: b, text: Option B, feedback: B.}
      - {id: c, text: Option C, feedback: C.}
      - {id: d, text: Option D, feedback: D.}
    answer: [a, b]
"""
    items += _single(18, prompt='"Question 18, the {{level}} version."')
    return f"""\
schema_version: 1
chapter: irt
title: Synthetic items
objectives:
  - {{id: irt_o1, text: First objective.}}
  - {{id: irt_o2, text: Second objective.}}
  - {{id: irt_o3, text: Third objective.}}
exercises:
{items}"""


def assignment_text() -> str:
    lines = "".join(f"  - id: irt_ex{i}\n" for i in range(1, 18))
    lines += "  - id: irt_ex18\n    params:\n      level: [easy, hard]\n"
    return f"""\
schema_version: 1
assignment: t_irt
title: A synthetic test
defaults:
  feedback: none
exercises:
{lines}"""


def load_assignment(folder: Path) -> A.Assignment:
    return kit.load_assignment(folder, assignment_text(), bank_text(), name="t_irt")


def roster_of(n: int):
    rows = "".join(f"s{i:05d},Student {i},s{i:05d}@example.edu\n" for i in range(n))
    return parse("id,name,email\n" + rows, "roster.csv")


def _p(theta: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a * (theta - b)))


def simulate(a: A.Assignment, students: list[str], seed: int = 1) -> dict[str, dict]:
    """Answers per student, drawn from the item-response model with the planted items."""
    rng = np.random.default_rng(seed)
    n = len(students)
    theta = rng.normal(size=n)
    answers: dict[str, dict] = {s: {} for s in students}

    def single(item: str, p: np.ndarray, right: str, wrong: list[str], weights: list[float] | None = None):
        correct = rng.random(n) < p
        w = np.array(weights or [1.0] * len(wrong))
        picks = rng.choice(wrong, size=n, p=w / w.sum())
        for i, s in enumerate(students):
            answers[s][item] = right if correct[i] else str(picks[i])

    for k, item in enumerate(ORDINARY):
        single(item, _p(theta, 1.2 + 0.07 * k, -0.8 + 0.15 * k), "a", ["b", "c", "d"])
    single(MISKEYED, _p(theta, 1.8, 0.3), "a", ["b", "c", "d"], [0.7, 0.15, 0.15])  # able students pick a; key is b
    single(FLAT, np.full(n, 0.5), "a", ["b", "c", "d"])
    single(DEAD, _p(theta, 1.5, 0.0), "a", ["b", "c"])
    levels = [variant(a, kit.SECRET, s).choice(VARIANT)["level"] for s in students]
    b = np.array([-1.5 if lv == "easy" else 1.0 for lv in levels])
    single(VARIANT, _p(theta, 1.5, b), "a", ["b", "c", "d"])
    for part, (left, right) in enumerate([("l1", "r1"), ("l2", "r2"), ("l3", "r3")]):
        ok = rng.random(n) < _p(theta, 1.4, -0.5 + 0.5 * part)
        others = [r for r in ("r1", "r2", "r3") if r != right]
        wrong = rng.choice(others, size=n)
        for i, s in enumerate(students):
            answers[s].setdefault(MATCHING, {})[left] = right if ok[i] else str(wrong[i])
    p_key = _p(theta, 1.5, -0.3)
    for i, s in enumerate(students):
        picked = [o for o in ("a", "b") if rng.random() < p_key[i]]
        picked += [o for o in ("c", "d") if rng.random() < 0.6 * (1 - p_key[i])]
        answers[s][MULTI] = picked
    return answers


def class_gradebook(folder: Path, n: int, seed: int = 1, blank_every: int = 0) -> tuple[A.Assignment, Path]:
    """Release, answer and grade ``n`` simulated students; returns the assignment and the gradebook."""
    a = load_assignment(folder / "assignment")
    r = roster_of(n)
    students = [s.id for s in r.students]
    answers = simulate(a, students, seed)
    subs = folder / "submissions"
    for k, sid in enumerate(students):
        given = answers[sid]
        if blank_every and k % blank_every == 0:
            given = {i: v for i, v in given.items() if i != ORDINARY[0]}
        nb = kit.released(a, sid, roster_=r)
        kit.save(kit.answer_notebook(nb, given), subs / f"{sid}.ipynb")
    db = folder / "gradebook.sqlite"
    grade(assignment=a, submissions=subs, db=db, roster=r, secret=kit.SECRET, progress=False)
    return a, db


