"""Flags: what an instructor should look at, each with a plain-language reason.

``flags(item)`` reads one item's analysis (``analysis.items``) and returns its flags. A flag is
never raised from a statistic the cohort is too small for.
"""
from __future__ import annotations

import math
from typing import Any

from . import stats as st

VERY_EASY = 0.90  # facility at or above
VERY_HARD = 0.20  # facility at or below
LOW_DISCRIMINATION = 0.20  # corrected item-total correlation below
#: a wrong option "attracts the strong" when the upper group picks it this much more often than
#: the lower group, and the difference is beyond chance (one-sided p < 0.005)
DISTRACTOR_MARGIN = 0.05
Z_CRITICAL = 2.58
VARIANT_GAP = 0.15  # variants' facilities differ by at least this (and beyond chance)

KINDS = ("awaiting_marking", "key_rejected", "negative_discrimination", "low_discrimination", "distractor_upper", "never_picked",
         "very_easy", "very_hard", "variant_harder")


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _flag(item: dict, kind: str, reason: str, option: str = "") -> dict[str, Any]:
    return {"item": item["id"], "label": item["label"], "kind": kind, "option": option, "reason": reason}


def _name(o: dict) -> str:
    return f"option {o['id']} ({o['text']})" if o["text"] else f"option {o['id']}"


def _options(item: dict) -> list[dict]:
    out = []
    options = [o for o in item["options"] if o["id"] != "(no answer)"]
    if not options:
        return out
    n = item["n"]
    g = item["group_size"]
    grouped = g > 0 and all(st.is_number(o["upper"]) for o in options)
    keyed = [o for o in options if o["key"]]
    rejected: set[str] = set()
    if grouped and item["type"] == "single_choice" and keyed:
        key = keyed[0]
        for o in options:
            if not o["key"] and o["upper"] > key["upper"]:
                rejected.add(o["id"])
                out.append(_flag(item, "key_rejected",
                                 f"The strongest students reject the key: {_pct(o['upper'])} of the upper group picked "
                                 f"{_name(o)}, only {_pct(key['upper'])} the key ({key['id']}). Check the key; if it is "
                                 "wrong, fix it and run regrade.", o["id"]))
    if grouped and item["type"] == "multiple_select":
        for o in keyed:
            if o["lower"] - o["upper"] >= DISTRACTOR_MARGIN and st.two_proportion_z(o["lower"], g, o["upper"], g) >= Z_CRITICAL:
                rejected.add(o["id"])
                out.append(_flag(item, "key_rejected",
                                 f"The strongest students reject part of the key: {_name(o)} is keyed, yet {_pct(o['upper'])} "
                                 f"of the upper group and {_pct(o['lower'])} of the lower group selected it. Check the key; "
                                 "if it is wrong, fix it and run regrade.", o["id"]))
    for o in options:
        if o["key"] or o["id"] in rejected:
            continue
        if grouped and o["upper"] - o["lower"] >= DISTRACTOR_MARGIN and \
                st.two_proportion_z(o["upper"], g, o["lower"], g) >= Z_CRITICAL:
            out.append(_flag(item, "distractor_upper",
                             f"{_name(o)} attracts strong students: picked by {_pct(o['upper'])} of the upper group and "
                             f"{_pct(o['lower'])} of the lower group. It may be defensible, or the prompt ambiguous.", o["id"]))
        if o["count"] == 0 and n >= st.MIN_N["options"]:
            out.append(_flag(item, "never_picked",
                             f"{_name(o)} was never picked by any of {n} students: it does no work as a distractor. "
                             "Replace it with a plausible mistake.", o["id"]))
    return out


def _variants(item: dict) -> list[dict]:
    rows = [v for v in item["variants"] if st.is_number(v["facility"])]
    if len(rows) < 2:
        return []
    lo = min(rows, key=lambda v: v["facility"])
    hi = max(rows, key=lambda v: v["facility"])
    gap = hi["facility"] - lo["facility"]
    if gap >= VARIANT_GAP and st.two_proportion_z(hi["facility"], hi["n"], lo["facility"], lo["n"]) >= Z_CRITICAL:
        return [_flag(item, "variant_harder",
                      f"Variants differ: students with {lo['variant']} earned {_pct(lo['facility'])} of the points, "
                      f"those with {hi['variant']} {_pct(hi['facility'])}. The harder variant may be unfair; consider "
                      "rescaling it or dropping it.")]
    return []


def significantly_negative(r: float, n: int) -> bool:
    """r is below zero beyond chance (Fisher's z, one-sided p < 0.005); a zero-discrimination
    item's r scatters around 0 and is "low", not "negative"."""
    return r < 0 and n > 3 and math.atanh(max(r, -0.999999)) * math.sqrt(n - 3) <= -Z_CRITICAL


def flags(item: dict) -> list[dict]:
    out = _options(item)
    if item.get("awaiting"):
        out.append(_flag(item, "awaiting_marking",
                         f"{item['awaiting']} of {item['n']} answers are still awaiting marking and count as 0 in "
                         "these figures. Mark them (python -m exercises mark) before reading this item's statistics."))
    r = item["item_rest"]
    if st.is_number(r):
        if significantly_negative(r, item["n"]):
            out.append(_flag(item, "negative_discrimination",
                             f"Negative discrimination (r = {r:.2f}): students who did well on the rest of the test did "
                             "worse on this item. Check the key and the wording."))
        elif r < LOW_DISCRIMINATION:
            out.append(_flag(item, "low_discrimination",
                             f"Low discrimination (r = {r:.2f}): doing well here has little to do with doing well on the "
                             "rest of the test. It may be ambiguous, off-topic, or answered by guessing."))
    f = item["facility"]
    if st.is_number(f):
        if f >= VERY_EASY:
            out.append(_flag(item, "very_easy", f"Very easy: students earned {_pct(f)} of its points, so it tells "
                                                "students apart very little. Fine as a warm-up; otherwise make it harder."))
        elif f <= VERY_HARD:
            out.append(_flag(item, "very_hard", f"Very hard: students earned only {_pct(f)} of its points. Check the "
                                                "key and the wording, and whether the class was taught this."))
    out += _variants(item)
    return sorted(out, key=lambda x: KINDS.index(x["kind"]))
