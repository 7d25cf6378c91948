"""A graded class with written answers: the test assignment plus one written exercise, released,
answered and graded, for the marking tests (store, exports, the marking app)."""
from __future__ import annotations

from pathlib import Path

import gradingkit as K

from exercises.grading import batch as G

WRITTEN = """
  - id: tall_ex3
    type: written
    title: Insulator or member?
    prompt: Is Afghanistan an insulator or part of the South Asian complex? Argue.
    points: 5
    objectives: [tall_o1]
    bloom: evaluate
    hints: [Start from the definition of an insulator.]
    explanation: PRIVATE-NOTES-TALL3 a strong answer takes a position and answers a counter-argument.
    words: {min: 5, max: 40}
    rubric:
      - id: position
        title: A clear position
        levels:
          - {label: Missing, points: 0, descriptor: "PRIVATE-DESC-0 no position."}
          - {label: Developing, points: 1, descriptor: "A position, loosely linked to the theory."}
          - {label: Secure, points: 2, descriptor: "A position derived from the *definition*."}
      - id: evidence
        title: Evidence
        levels:
          - {label: Missing, points: 0, descriptor: "No dated evidence."}
          - {label: Some, points: 2, descriptor: "One dated piece of evidence."}
          - {label: Full, points: 3, descriptor: "Two dated pieces of evidence."}
    model_answer: PRIVATE-MODEL-TALL3 Afghanistan is part of the complex because of cross-border militancy.
"""
BANK = K.BANK + WRITTEN
ASSIGNMENT = K.ASSIGNMENT + """  - id: tall_ex3
    feedback: none
"""
TEXTS = {
    "s001": "Afghanistan is part of the complex: the TTP shelters there and the border closed in 2025.",
    "s002": "<script>alert('x')</script> <b>bold</b> I think it is an insulator because nobody cares. " * 2,
    "s003": "word " * 100,  # far over the limit of 40
}


def graded_class(tmp: Path, texts: dict[str, str] = TEXTS):
    """(assignment, gradebook path, roster): every student answers everything right and writes ``texts``."""
    a = K.load_assignment(tmp / "a", ASSIGNMENT, BANK)
    subs = tmp / "subs"
    for sid in ("s001", "s002", "s003"):
        nb = K.released(a, sid)
        answers = K.all_right(a, sid)
        answers["tall_ex3"] = {"text": texts[sid], "self": {"position": 2}}
        K.save(K.answer_notebook(nb, answers), subs / f"{sid}.ipynb")
    db = tmp / "gradebook.sqlite"
    G.grade(assignment=a, submissions=subs, db=db, roster=K.roster(), secret=K.SECRET)
    return a, db
