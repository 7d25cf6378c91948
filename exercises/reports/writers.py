"""CSV and JSON files: every number of the report, for a spreadsheet, the LMS or another program.

A statistic the cohort was too small for is written as "not enough responses (N)" in CSV and as
``{"not_enough_responses": N}`` in JSON; an undefined one as its reason.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from . import stats as st


def cell(x: Any) -> Any:
    if isinstance(x, (st.TooFew, st.Undefined)):
        return str(x)
    if isinstance(x, bool):
        return "yes" if x else ""
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.4f}".rstrip("0").rstrip(".") if float(x) != int(float(x)) else str(int(float(x)))
    if isinstance(x, (list, tuple)):
        return " ".join(str(v) for v in x)
    return x


def plain(x: Any) -> Any:
    """JSON-ready copy of the analysis."""
    if isinstance(x, st.TooFew):
        return {"not_enough_responses": x.n}
    if isinstance(x, st.Undefined):
        return {"undefined": x.why}
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


def write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows([cell(v) for v in row] for row in rows)
    return path


ITEM_FIELDS = ["id", "label", "number", "title", "type", "points", "objectives", "bloom", "n", "facility", "item_rest",
               "upper_lower", "blank", "invalid", "needs_person", "awaiting"]


def write_all(result: dict, out: Path, names: dict[str, str]) -> list[Path]:
    """Every CSV and the JSON file; ``names`` maps a role (items, options, ...) to a file name."""
    items = result["items"]
    written = [
        write_csv(out / names["items"], ITEM_FIELDS + ["flags"],
                  [[it[f] for f in ITEM_FIELDS] + [[f["kind"] for f in it["flags"]]] for it in items]),
        write_csv(out / names["options"], ["item", "label", "option", "text", "key", "count", "all", "upper", "lower"],
                  [[it["id"], it["label"], o["id"], o["text"], o["key"], o["count"], o["overall"], o["upper"], o["lower"]]
                   for it in items for o in it["options"]]),
        write_csv(out / names["partial"], ["item", "label", "credit", "students"],
                  [[it["id"], it["label"], p["fraction"], p["count"]] for it in items for p in it["partial"]]),
        write_csv(out / names["parts"], ["item", "label", "part", "n", "right"],
                  [[it["id"], it["label"], p["id"], p["n"], p["correct"]] for it in items for p in it["parts"]]),
        write_csv(out / names["variants"], ["item", "label", "variant", "n", "facility"],
                  [[it["id"], it["label"], v["variant"], v["n"], v["facility"]] for it in items for v in it["variants"]]),
        write_csv(out / names["flags"], ["item", "label", "kind", "option", "reason"],
                  [[f["item"], f["label"], f["kind"], f["option"], f["reason"]] for it in items for f in it["flags"]]),
        write_csv(out / names["scores"], ["from", "to", "students"],
                  [[b["from"], b["to"], b["count"]] for b in result["test"]["histogram"]]),
    ]
    for role in ("objectives", "bloom"):
        written.append(write_csv(out / names[role], ["id", "text", "items", "points", "n", "mastery", "mastered_by"],
                                 [[r["id"], r["text"], r["questions"], r["points"], r["n"], r["mastery"], r["mastered_by"]]
                                  for r in result[role]]))
    written.append(write_csv(out / names["written"], ["item", "label", "criterion", "level", "answers", "marked",
                                                      "double_marked", "agreement", "kappa"],
                             [[w["id"], w["label"], c["id"], level, count, c["marked"],
                               (c["agreement"] or {}).get("n", 0), (c["agreement"] or {}).get("agreement", ""),
                               (c["agreement"] or {}).get("kappa", "")]
                              for w in result["written"]["items"] for c in w["criteria"]
                              for level, count in c["distribution"].items()]))
    objectives = [r["id"] for r in result["objectives"]]
    written.append(write_csv(out / names["students"], ["student_id", "name", "email", "sis_id"] + objectives,
                             [[s["id"], s["name"], s["email"], s["sis_id"]] + [s[o] for o in objectives]
                              for s in result["students"]]))
    path = out / names["json"]
    path.write_text(json.dumps(plain({k: v for k, v in result.items() if k != "students"}), indent=1,
                               ensure_ascii=False), "utf-8")
    written.append(path)
    return written
