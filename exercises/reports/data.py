"""What the report reads: the counted submission of every student, as arrays, from the gradebook.

``load(gb, a, secret)`` goes through the gradebook's public reading functions (``current``,
``outcome_scores``, ``students``) one submission at a time and keeps only what the statistics
need: per student and item the checker's score as a fraction of the item's points (before any
attempt penalty), the answer's status, the chosen option(s) of choice-like items, the correct
parts of multi-part items and, for items with params, which variant the student had.

Written items are scored by their marks (``marking.store``): a fully marked answer counts as
scored, at its rubric points; one still awaiting a person has the status ``awaiting`` and counts
0 (the report says how many). ``Cohort.rubrics`` holds, per written item and criterion, the
level each student got in round 1 (``first``) and in blind second marking (``second``), ``None``
where that round has no current mark; ``written.py`` turns them into distributions and agreement.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .. import bank as bank_mod
from .. import types
from ..grading.assignment import Assignment
from ..grading.gradebook import Gradebook
from ..marking import store as marking
from ..grading.variants import COMMON, variant

#: option-level analysis (pick rates, distractors)
CHOICE_TYPES = tuple(name for name, mod in types.REGISTRY.items() if mod.OPTIONS)
#: types whose checker gives partial credit: their score distribution and per-part results are shown
PARTIAL_TYPES = tuple(name for name, mod in types.REGISTRY.items() if mod.PARTIAL_CREDIT)
#: answer statuses, in the order of the codes stored in ``Cohort.status``
STATUSES = ("scored", "blank", "missing", "invalid", "conflict", "foreign", "awaiting")
#: gradebook statuses read as another: a written answer's marks make it scored
READ_AS = {marking.MARKED: "scored", marking.AWAITING: "awaiting"}
BLANK = (STATUSES.index("blank"), STATUSES.index("missing"))
NEEDS_PERSON = (STATUSES.index("conflict"), STATUSES.index("foreign"))


class ReportError(Exception):
    """The report cannot be made; the message is one line saying why."""


@dataclass(frozen=True)
class ItemMeta:
    id: str
    number: int
    title: str
    type: str
    points: float
    objectives: tuple[str, ...]
    bloom: str
    options: tuple[tuple[str, str], ...] = ()  # (id, text) of choice-like items
    key: frozenset[str] = frozenset()  # the keyed option id(s)
    parts: tuple[str, ...] = ()  # part ids of multi-part items
    varies: bool = False  # has params: students had different variants

    @property
    def label(self) -> str:
        return f"Q{self.number}"


@dataclass
class Cohort:
    """The counted submissions of one assignment. Row ``i`` of every array is ``students[i]``."""

    assignment: Assignment
    items: tuple[ItemMeta, ...]
    students: list[str]
    names: dict[str, Mapping[str, str]]  # student id -> id, name, email, sis_id
    frac: np.ndarray  # (n, k) checker score / points, before attempt penalties
    status: np.ndarray  # (n, k) index into STATUSES
    grade: np.ndarray  # (n,) the graded score (after penalties), as a fraction of the total points
    picks: dict[str, list[Any]] = field(default_factory=dict)  # choice item -> per student: option id(s) or None
    parts: dict[str, np.ndarray] = field(default_factory=dict)  # multi-part item -> (n, parts) 1/0, NaN unknown
    variants: dict[str, list[str]] = field(default_factory=dict)  # item with params -> per student: variant label
    objective_text: dict[str, str] = field(default_factory=dict)
    #: written item -> {"criteria": [{id, title, levels}], "first"/"second": {criterion: [level label or None]}}
    rubrics: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.students)

    @property
    def points(self) -> np.ndarray:
        return np.array([it.points for it in self.items], dtype=float)


def item_meta(a: Assignment) -> tuple[ItemMeta, ...]:
    out = []
    for it in a.items:
        # an item with params is described by its first variant (options and key do not depend on params)
        first = {name: values[0] for name, values in it.params.items()} if it.params else None
        ex = a.exercise(it.id, first)
        options, key = (), frozenset()
        if ex.type in CHOICE_TYPES:
            options = tuple((o.id, o.text) for o in ex.options)
            key = frozenset([ex.answer] if isinstance(ex.answer, str) else ex.answer)
        parts = ex.part_ids if ex.type in PARTIAL_TYPES and len(ex.part_ids) > 1 else ()
        out.append(ItemMeta(it.id, it.number, ex.title, ex.type, float(it.points), tuple(ex.objectives), ex.bloom,
                            options, key, tuple(parts), bool(it.params)))
    return tuple(out)


def objective_texts(a: Assignment) -> dict[str, str]:
    """Objective id -> text, from the public bank and the assignment's private bank (if beside it)."""
    public, _ = bank_mod.validate()
    texts = {o.id: o.text for o in public.objectives.values()}
    private = Path(a.file).with_name(f"{a.name}.bank.yml")
    if private.is_file():  # the assignment validated it when it was loaded
        data, problems = bank_mod.read_file(private)
        if not problems:
            texts.update({o["id"]: o["text"] for o in bank_mod.to_plain(data).get("objectives", [])})
    return texts


def _variant_label(choice: Mapping[str, Any] | None) -> str:
    if not choice:
        return "common"
    return ", ".join(f"{k}={json.dumps(v, sort_keys=True, ensure_ascii=False)}" for k, v in sorted(choice.items()))


def load(gb: Gradebook, a: Assignment, *, secret: bytes | None = None) -> Cohort:
    """The cohort of ``a``'s counted submissions in ``gb``."""
    items = item_meta(a)
    index = {it.id: j for j, it in enumerate(items)}
    k = len(items)
    people = {r["id"].lower(): r for r in gb.student_rows().values()}
    students: list[str] = []
    frac_rows: list[np.ndarray] = []
    status_rows: list[np.ndarray] = []
    grades: list[float] = []
    picks: dict[str, list[Any]] = {it.id: [] for it in items if it.type in CHOICE_TYPES}
    parts: dict[str, list[list[float]]] = {it.id: [] for it in items if it.parts}
    part_pos = {it.id: {p: i for i, p in enumerate(it.parts)} for it in items if it.parts}
    variants: dict[str, list[str]] = {it.id: [] for it in items if it.varies}
    total = a.total_points or 1.0
    blank_status = STATUSES.index("missing")
    rubrics: dict[str, Any] = {}
    for item_id in marking.written_items(a):
        criteria = marking.rubric(a, item_id)
        rubrics[item_id] = {"criteria": [{"id": c.id, "title": c.title, "levels": [lv.label for lv in c.levels]}
                                         for c in criteria],
                            "first": {c.id: [] for c in criteria}, "second": {c.id: [] for c in criteria}}
    rounds = {"first": marking.current(gb, a, round=1), "second": marking.current(gb, a, round=2)} if rubrics else {}
    for _sub, out in gb.current(a.name):
        if not out["counts"] or not out["student"]:
            continue
        sid = out["student"]
        frac = np.zeros(k)
        status = np.full(k, blank_status, dtype=np.int8)
        chosen: dict[str, Any] = {}
        got_parts: dict[str, list[float]] = {}
        scores = gb.outcome_scores(out["id"])
        if rubrics:
            stored, scores = scores, marking.apply(a, sid, scores, rounds["first"])
            levels = {"first": _levels(scores, rubrics),
                      "second": _levels(marking.apply(a, sid, stored, rounds["second"]), rubrics)}
        for s in scores:
            j = index.get(s["exercise"])
            if j is None:
                continue
            it = items[j]
            read = READ_AS.get(s["status"], s["status"])
            status[j] = STATUSES.index(read) if read in STATUSES else STATUSES.index("invalid")
            frac[j] = float(s["raw"]) / float(s["points"]) if s["points"] else 0.0
            if it.id in picks and s["status"] == "scored" and s["answer"] is not None:
                chosen[it.id] = json.loads(s["answer"])
            if it.id in parts and s["status"] == "scored":
                row = [np.nan] * len(it.parts)
                for p in json.loads(s["feedback"] or "{}").get("parts", []):
                    pos = part_pos[it.id].get(str(p.get("id")))
                    if pos is not None:
                        row[pos] = 1.0 if p.get("correct") else 0.0
                got_parts[it.id] = row
        students.append(sid)
        frac_rows.append(frac)
        status_rows.append(status)
        grades.append((float(out["score"]) + sum(float(s["score"]) for s in scores if s["status"] == marking.MARKED))
                      / total)
        for item_id, rub in rubrics.items():
            for name in ("first", "second"):
                for c in rub["criteria"]:
                    rub[name][c["id"]].append(levels[name].get((item_id, c["id"])))
        for item_id, column in picks.items():
            column.append(chosen.get(item_id))
        for item_id, column in parts.items():
            column.append(got_parts.get(item_id, [np.nan] * len(part_pos[item_id])))
        if variants:
            who = out["variant"]
            var = variant(a, secret, None if who in (None, COMMON) else who) if secret is not None or who in (None, COMMON) else None
            for item_id, column in variants.items():
                column.append(_variant_label(var.choice(item_id)) if var is not None else "unknown (no instructor secret)")
    names = {}
    for sid in students:
        row = people.get(sid.lower())
        names[sid] = {"id": sid, "name": row["name"] if row else "", "email": row["email"] if row else "",
                      "sis_id": row["sis_id"] if row else ""}
    n = len(students)
    return Cohort(
        assignment=a, items=items, students=students, names=names,
        frac=np.vstack(frac_rows) if n else np.zeros((0, k)),
        status=np.vstack(status_rows) if n else np.zeros((0, k), dtype=np.int8),
        grade=np.array(grades, dtype=float),
        picks=picks,
        parts={i: np.array(rows, dtype=float).reshape(n, len(part_pos[i])) for i, rows in parts.items()},
        variants=variants, objective_text=objective_texts(a), rubrics=rubrics)


def _levels(rows: list[Mapping[str, Any]], rubrics: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """{(item, criterion): level label} of one student's score rows with one round's marks applied
    (``marking.apply``): only marks made on the text now counted (one of an earlier, replaced
    answer is left out)."""
    return {(row["exercise"], c["id"]): c["label"] for row in rows if row["exercise"] in rubrics
            for c in row.get("marks") or () if c["level"] is not None and not c["stale"]}
