"""From a cohort to every number of the report: per item, per option, per objective and Bloom
level, per variant, per student, and for the test as a whole. Plain dicts, ready for the page,
the CSV and the JSON files."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from ..models import BLOOM_LEVELS
from . import stats as st
from .data import BLANK, NEEDS_PERSON, PARTIAL_TYPES, STATUSES, Cohort

#: a student has mastered an objective with at least this fraction of its points
MASTERY = 0.7


def _options(cohort: Cohort, j: int, lower: np.ndarray, upper: np.ndarray) -> tuple[list[dict], Any]:
    it = cohort.items[j]
    picks = cohort.picks[it.id]
    n = cohort.n
    if n < st.MIN_N["options"]:
        return [], st.TooFew(n)
    ids = [o for o, _ in it.options]
    overall, counts = st.pick_rates(picks, ids)
    grouped = n >= st.MIN_N["discrimination"]
    up, _ = st.pick_rates(picks, ids, upper) if grouped else ({}, None)
    low, _ = st.pick_rates(picks, ids, lower) if grouped else ({}, None)
    texts = dict(it.options)
    rows = []
    for o in ids + ["(no answer)"]:
        rows.append({"id": o, "text": texts.get(o, ""), "key": o in it.key, "count": counts[o], "overall": overall[o],
                     "upper": up.get(o, st.TooFew(n)), "lower": low.get(o, st.TooFew(n))})
    return rows, None


def _variants(cohort: Cohort, j: int) -> list[dict]:
    it = cohort.items[j]
    labels = cohort.variants.get(it.id)
    if not labels:
        return []
    by: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by[label].append(i)
    out = []
    for label in sorted(by):
        rows = by[label]
        fac = float(cohort.frac[rows, j].mean()) if len(rows) >= st.MIN_N["variant"] else st.TooFew(len(rows))
        out.append({"variant": label, "n": len(rows), "facility": fac})
    return out


def items(cohort: Cohort) -> list[dict]:
    frac, points = cohort.frac, cohort.points
    fac = st.facility(frac)
    rest = st.item_rest(frac, points)
    d = st.upper_lower(frac, points)
    lower, upper = st.groups((frac * points).sum(axis=1)) if cohort.n else (np.array([], int), np.array([], int))
    out = []
    for j, it in enumerate(cohort.items):
        status = cohort.status[:, j]
        options, options_note = _options(cohort, j, lower, upper) if it.id in cohort.picks else ([], None)
        parts = []
        if it.id in cohort.parts and cohort.n >= st.MIN_N["facility"]:
            got = cohort.parts[it.id]
            for p, pid in enumerate(it.parts):
                known = got[:, p][~np.isnan(got[:, p])]
                parts.append({"id": pid, "n": int(known.size),
                              "correct": float(known.mean()) if known.size >= st.MIN_N["facility"] else st.TooFew(int(known.size))})
        partial = st.distribution(frac[:, j]) if it.type in PARTIAL_TYPES or it.parts else []
        out.append({
            "id": it.id, "label": it.label, "number": it.number, "title": it.title, "type": it.type,
            "points": it.points, "objectives": list(it.objectives), "bloom": it.bloom, "n": cohort.n,
            "facility": fac[j], "item_rest": rest[j], "upper_lower": d[j],
            "blank": int(np.isin(status, BLANK).sum()), "invalid": int((status == STATUSES.index("invalid")).sum()),
            "needs_person": int(np.isin(status, NEEDS_PERSON).sum()),
            "awaiting": int((status == STATUSES.index("awaiting")).sum()),
            "options": options, "options_note": options_note, "key": sorted(it.key),
            "partial": partial if cohort.n >= st.MIN_N["facility"] else [], "parts": parts,
            "variants": _variants(cohort, j), "group_size": int(len(upper)) if cohort.n >= st.MIN_N["discrimination"] else 0,
        })
    return out


def _mastery_table(cohort: Cohort, groups: dict[str, list[int]], order: list[str], text: dict[str, str]) -> tuple[list[dict], dict[str, np.ndarray]]:
    rows, per_student = [], {}
    for g in order:
        cols = groups[g]
        m = st.weighted_mastery(cohort.frac, cohort.points, cols) if cohort.n else np.zeros(0)
        per_student[g] = m
        enough = cohort.n >= st.MIN_N["objective"]
        rows.append({"id": g, "text": text.get(g, ""), "questions": [cohort.items[c].label for c in cols],
                     "points": float(cohort.points[cols].sum()), "n": cohort.n,
                     "mastery": float(m.mean()) if enough else st.TooFew(cohort.n),
                     "mastered_by": float((m >= MASTERY).mean()) if enough else st.TooFew(cohort.n)})
    return rows, per_student


def objectives(cohort: Cohort) -> tuple[list[dict], list[dict], list[dict]]:
    """Class mastery per objective and per Bloom level, and the per-student objective table."""
    by_obj: dict[str, list[int]] = defaultdict(list)
    by_bloom: dict[str, list[int]] = defaultdict(list)
    for j, it in enumerate(cohort.items):
        for o in it.objectives:
            by_obj[o].append(j)
        by_bloom[it.bloom].append(j)
    obj_order = list(by_obj)
    obj_rows, per_student = _mastery_table(cohort, by_obj, obj_order, cohort.objective_text)
    bloom_rows, _ = _mastery_table(cohort, by_bloom, [b for b in BLOOM_LEVELS if b in by_bloom], {})
    students = []
    for i, sid in enumerate(cohort.students):
        who = cohort.names[sid]
        students.append({**who, **{o: float(per_student[o][i]) for o in obj_order}})
    return obj_rows, bloom_rows, students


def test(cohort: Cohort) -> dict:
    grade = cohort.grade
    n = cohort.n
    summary = {"n": n, "item_count": len(cohort.items), "points": float(cohort.points.sum()),
               "histogram": st.histogram(grade) if n else [],
               "reliability": st.reliability(cohort.frac, cohort.points)}
    if n >= st.MIN_N["facility"]:
        summary.update(mean=float(grade.mean()), median=float(np.median(grade)), sd=float(grade.std(ddof=1)),
                       lowest=float(grade.min()), highest=float(grade.max()))
    else:
        summary.update({k: st.TooFew(n) for k in ("mean", "median", "sd", "lowest", "highest")})
    return summary


def analyse(cohort: Cohort) -> dict:
    from .flags import flags
    per_item = items(cohort)
    for row in per_item:
        row["flags"] = flags(row)
    obj_rows, bloom_rows, students = objectives(cohort)
    return {"assignment": {"name": cohort.assignment.name, "title": cohort.assignment.title},
            "test": test(cohort), "items": per_item, "objectives": obj_rows, "bloom": bloom_rows,
            "students": students, "mastery_threshold": MASTERY,
            "written": written_items(cohort)}


def written_items(cohort: Cohort) -> dict:
    """Per written item and criterion: how many answers got each level (round 1), and where a
    moderation sample was second-marked, how often the two rounds agreed (exact and Cohen's kappa)."""
    from .written import level_distribution, marker_agreement
    out = []
    for j, it in enumerate(cohort.items):
        rub = cohort.rubrics.get(it.id)
        if rub is None:
            continue
        criteria = []
        for c in rub["criteria"]:
            first, second = rub["first"][c["id"]], rub["second"][c["id"]]
            double = sum(a is not None and b is not None for a, b in zip(first, second))
            criteria.append({"id": c["id"], "title": c["title"], "levels": c["levels"],
                             "distribution": level_distribution(first, c["levels"]),
                             "marked": sum(x is not None for x in first),
                             "agreement": marker_agreement(first, second, c["levels"]) if double else None})
        status = cohort.status[:, j]
        out.append({"id": it.id, "label": it.label, "title": it.title, "n": cohort.n,
                    "awaiting": int((status == STATUSES.index("awaiting")).sum()),
                    "marked": int((status == STATUSES.index("scored")).sum()), "criteria": criteria})
    note = ("" if out else "This assignment has no written items.")
    return {"items": out, "note": note}
