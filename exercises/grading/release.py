"""Releasing an assignment: self-contained student notebooks with no key in them.

``release(assignment=..., out=..., roster=...)`` writes one notebook for the class, or one per
student with that student's variant (options and items in their own order, their own params).
A notebook carries, per exercise, only the public part of the exercise (``Exercise.public()``:
no key, no solution, no explanation, no option feedback) and, when the policy is immediate
feedback, the sealed spec (``checking.seal``: salted hashes) that checks answers without a key.
The exercise cells call ``exercises.handout.exercise(...)`` from the ``exercises`` package
installed in the student's kernel; nothing beside the notebook is needed.

Note what immediate feedback means for secrecy: a student can try answers against the hashes
without limit (the attempt limit is kept by the widget, in the student's own kernel). Use
``feedback: none`` for anything whose key must stay secret until grading.
"""
from __future__ import annotations

import datetime as dt
import pprint
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import nbformat
from nbformat import v4

from .assignment import Assignment, Item
from .roster import Roster, Student
from ..checking import seal
from ..clock import utc_now
from ..wording import number
from .variants import Variant, binding, key_id, release_fingerprint, variant

FORMAT = "exercises.release/1"
HANDOUT = "exercises.handout/1"


def due_text(when: dt.datetime | None) -> str:
    if when is None:
        return "no due date"
    offset = when.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{when.day} {when:%B %Y, %H:%M} ({zone})"


# --- the public spec of one exercise, in one student's variant ----------------------------------

def public_spec(a: Assignment, item: Item, var: Variant, bound: str | None = None) -> dict[str, Any]:
    """What the notebook carries for ``item``: public data in the student's order, the policy,
    the record context and (immediate feedback only) the sealed spec."""
    ex = a.exercise(item.id, var.choice(item.id))
    public = ex.public(include_explanation=False, order=var.order)  # in this student's order
    public.pop("sources", None)
    public.pop("bloom", None)
    if not item.hints:
        public["hints"] = []
    if item.show_rubric and "rubric" in public:  # the descriptors, as the assignment chose (no model answer)
        public["rubric"] = ex.public(include_explanation=True, order=var.order)["rubric"]
        public["show_rubric"] = True  # the widget shows them before the student writes
    if "shuffle" in public:
        public["shuffle"] = False  # the order is this student's; the widget keeps it
    sealed = None
    if item.policy.feedback == "immediate":
        sealed = seal(ex, mode="course")
        if not item.show_rubric:
            sealed.pop("submitted", None)  # a written item's rubric descriptors stay with the instructor
        for name in ("items", "options"):  # in this student's order, as the notebook shows them
            if name in sealed and name in public:
                sealed[name] = [x["id"] for x in public[name]]
    return {
        "format": HANDOUT,
        "number": item.number,
        "exercise": public,
        "policy": {"feedback": item.policy.feedback, "max_attempts": item.policy.max_attempts,
                   "penalty": item.policy.penalty_per_attempt, "describe": item.policy.describe()},
        "context": {"assignment": a.name, "student": None if var.student == "*" else var.student,
                    "variant": var.token},
        "binding": bound,
        "sealed": sealed,
    }


def _literal(value: Any) -> str:
    """A Python literal of JSON data, readable and safe to embed in a cell."""
    return pprint.pformat(value, width=100, sort_dicts=False)


# --- the notebook ----------------------------------------------------------------------------------

def _md(source: str, cell_id: str, **meta: Any):
    cell = v4.new_markdown_cell(source.strip() + "\n")
    cell["id"] = cell_id
    if meta:
        cell["metadata"].update(meta)
    return cell


def _code(source: str, cell_id: str, **meta: Any):
    cell = v4.new_code_cell(source.strip())
    cell["id"] = cell_id
    cell["metadata"].update(meta)
    return cell


def _locked(extra: dict | None = None) -> dict:
    meta = {"editable": False, "deletable": False, "jupyter": {"source_hidden": True},
            "tags": ["exercise"]}
    meta.update(extra or {})
    return meta


def _header(a: Assignment, student: Student | None) -> str:
    lines = [f"# {a.title}", ""]
    if student is not None:
        who = f"{student.name} ({student.id})" if student.name else student.id
        lines += [f"**Notebook of:** {who}  ", ""]
    lines += [f"**Due:** {due_text(a.due)}  ",
              f"**Points:** {number(a.total_points)} in {len(a.items)} exercises", ""]
    if a.instructions.strip():
        lines += [a.instructions.strip(), ""]
    lines += [
        "## How this notebook works", "",
        "1. Run the notebook from the top: **Run > Run All Cells** (or Shift+Enter, cell by cell). "
        "Each exercise appears under its heading.",
        "2. Answer in the exercise and press its button (**Check**, or **Record** for exercises graded "
        "later). Your answer is written into the notebook, under the exercise.",
        "3. **Save the notebook** (File > Save Notebook, or Ctrl+S / Cmd+S outside a text box) before you close "
        "it. Only saved answers are graded.",
        "4. The last cell lists what is recorded. Hand in this `.ipynb` file as it is: do not rename "
        "exercises, and do not copy answers from another notebook (each notebook is issued to one "
        "student, and answers recorded elsewhere are not graded).", "",
        "The notebook needs the course's Python package, `exercises`, in your kernel: it is installed on the "
        "course's JupyterHub; elsewhere, install it with `pip install` of the book's repository (the book's "
        "page *How to use this book* says how). Your code runs only in your own kernel; the grader reads "
        "your recorded answers and never runs your code.",
    ]
    return "\n".join(lines)


SETUP = '''\
# Run this cell first. It checks that the course's exercise package is installed.
try:
    from exercises.handout import exercise, summary
except ImportError:
    raise SystemExit("The course's exercises package is not installed in this kernel: install it with "
                     "pip install of the book's repository (or ask your instructor), then restart the kernel.")
print("Ready: run the cells below one by one, or Run > Run All Cells.")'''


def notebook(a: Assignment, var: Variant, student: Student | None = None, *,
             released: str | None = None, secret: bytes | None = None) -> nbformat.NotebookNode:
    """The student notebook of ``a`` in variant ``var``; with the ``secret`` the variant was made
    with, the notebook and its records are bound to the student, the variant and the release."""
    fingerprint = release_fingerprint(a, secret)
    bound = binding(secret, a.name, var.student, var.token, fingerprint)
    nb = v4.new_notebook()
    nb["metadata"] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "exercises": {"format": FORMAT, "assignment": a.name, "title": a.title,
                      "student": student.id if student else None, "variant": var.token,
                      "due": a.due.isoformat() if a.due else None,
                      "released": released or utc_now(),
                      "exercises": [it.id for it in a.items],
                      "fingerprint": fingerprint, "key_id": key_id(secret), "binding": bound},
    }
    cells = [_md(_header(a, student), "header"), _code(SETUP, "setup", tags=["setup"])]
    listing = []
    for it in a.items:
        spec = public_spec(a, it, var, bound)
        ex = spec["exercise"]
        heading = (f"## Exercise {it.number}: {ex['title']}\n\n"
                   f"*{number(it.points)} point{'s' if it.points != 1 else ''} · {it.policy.describe()}*\n\n"
                   f"{ex['prompt'].strip()}")
        if ex["type"] == "code":
            button = "Run and check" if it.policy.feedback == "immediate" else "Run and record"
            heading += (f"\n\nWrite your code in the exercise's code box and press **{button}**: it runs in this "
                        "notebook's kernel, and the value it computes is recorded.")
        cells.append(_md(heading, f"heading-{it.id}"))
        cells.append(_code(f"exercise({_literal(spec)})", f"exercise-{it.id}",
                           **_locked({"exercises": {"exercise": it.id}})))
        listing.append({"id": it.id, "number": it.number, "title": ex["title"], "points": it.points,
                        "feedback": it.policy.feedback})
    cells.append(_md("## Before you hand in\n\nRun the cell below: it lists every exercise and whether an "
                     "answer is recorded, and whether the saved file has it. Then save the notebook and "
                     "upload this file.", "summary-heading"))
    summary_spec = {"format": HANDOUT, "assignment": a.name, "title": a.title,
                    "student": student.id if student else None, "variant": var.token, "binding": bound,
                    "due": a.due.isoformat() if a.due else None, "exercises": listing}
    cells.append(_code(f"summary({_literal(summary_spec)})", "summary", **_locked({"exercises": {"summary": True}})))
    nb["cells"] = cells
    nbformat.validate(nb)
    return nb


def file_name(a: Assignment, student: Student | None) -> str:
    if student is None:
        return f"{a.name}.ipynb"
    return f"{a.name}_{re.sub(r'[^A-Za-z0-9._-]', '_', student.id)}.ipynb"


@dataclass(frozen=True)
class Released:
    student: str | None
    path: Path
    variant: str | None


def release(*, assignment: Assignment, out: Path, roster: Roster | None = None, secret: bytes | None = None,
            released: str | None = None) -> list[Released]:
    """Write the student notebooks into ``out``; returns what was written.

    With a roster, one notebook per student with their own variant (this needs the secret);
    without, one notebook for the class."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    from .assignment import AssignmentError, check_solutions
    problems = check_solutions(assignment)
    if problems:
        raise AssignmentError(problems)
    students: Iterable[Student | None] = roster.students if roster is not None and len(roster) else [None]
    written = []
    for student in students:
        var = variant(assignment, secret, student.id if student else None)
        nb = notebook(assignment, var, student, released=released, secret=secret)
        path = out / file_name(assignment, student)
        nbformat.write(nb, str(path))
        written.append(Released(student.id if student else None, path, var.token))
    return written
