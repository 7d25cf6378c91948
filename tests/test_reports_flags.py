"""The report flags exactly the planted items of a simulated class (item-response model, real
notebooks released, answered and graded into a real gradebook), and each rule on its own."""
from __future__ import annotations

import csv
import json
import sqlite3

import pytest

import gradingkit as kit
import reportkit as rk
from exercises.grading.batch import regrade
from exercises.reports import report
from exercises.reports.flags import flags

N = 500


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("irt")
    a, db = rk.class_gradebook(folder, N, seed=3)
    out = folder / "report"
    report(assignment=a, db=db, out=out, secret=kit.SECRET, made="2026-12-01")
    return folder, a, db, out


def _flags(out, name="t_irt"):
    with (out / f"{name}_flags.csv").open(encoding="utf-8") as fh:
        return {(r["item"], r["kind"]) for r in csv.DictReader(fh)}


def test_the_report_flags_exactly_the_planted_items(simulated):
    _, _, _, out = simulated
    expected = {(item, kind) for item, kinds in rk.PLANTED.items() for kind in kinds}
    assert _flags(out) == expected


def test_the_flags_name_the_option_and_say_what_to_do(simulated):
    _, _, _, out = simulated
    with (out / "t_irt_flags.csv").open(encoding="utf-8") as fh:
        rows = {(r["item"], r["kind"]): r for r in csv.DictReader(fh)}
    miskey = rows[(rk.MISKEYED, "key_rejected")]
    assert miskey["option"] == "a" and "regrade" in miskey["reason"] and "the key (b)" in miskey["reason"]
    assert rows[(rk.DEAD, "never_picked")]["option"] == "d"
    assert f"any of {N} students" in rows[(rk.DEAD, "never_picked")]["reason"]


def test_item_facility_in_the_report_equals_a_direct_count_from_the_gradebook(simulated):
    _, _, db, out = simulated
    con = sqlite3.connect(db)
    direct = dict(con.execute(
        "SELECT s.exercise, AVG(s.raw / s.points) FROM scores s JOIN outcomes o ON o.id = s.outcome"
        " WHERE o.counts = 1 AND o.id = (SELECT MAX(id) FROM outcomes WHERE submission = o.submission)"
        " GROUP BY s.exercise"))
    data = json.loads((out / "t_irt_report.json").read_text("utf-8"))
    assert data["test"]["n"] == N
    for item in data["items"]:
        assert item["facility"] == pytest.approx(direct[item["id"]])


def test_variants_are_compared_with_the_variant_each_student_had(simulated):
    _, a, _, out = simulated
    from exercises.grading.variants import variant
    levels = [variant(a, kit.SECRET, f"s{i:05d}").choice(rk.VARIANT)["level"] for i in range(N)]
    data = json.loads((out / "t_irt_report.json").read_text("utf-8"))
    item = next(it for it in data["items"] if it["id"] == rk.VARIANT)
    by = {v["variant"]: v for v in item["variants"]}
    assert {k: v["n"] for k, v in by.items()} == {'level="easy"': levels.count("easy"), 'level="hard"': levels.count("hard")}
    assert by['level="easy"']["facility"] > by['level="hard"']["facility"] + 0.3


def test_options_and_partial_credit_are_reported_per_item(simulated):
    _, _, _, out = simulated
    data = json.loads((out / "t_irt_report.json").read_text("utf-8"))
    items = {it["id"]: it for it in data["items"]}
    dead = {o["id"]: o for o in items[rk.DEAD]["options"]}
    assert dead["d"]["count"] == 0 and sum(o["count"] for o in dead.values()) == N
    matching = items[rk.MATCHING]
    assert {p["fraction"] for p in matching["partial"]} <= {0.0, 0.33, 0.67, 1.0}
    assert sum(p["count"] for p in matching["partial"]) == N
    assert [p["id"] for p in matching["parts"]] == ["l1", "l2", "l3"]
    assert matching["parts"][0]["correct"] > matching["parts"][2]["correct"]  # part 3 was simulated harder
    multi = {o["id"]: o for o in items[rk.MULTI]["options"]}
    assert multi["a"]["key"] and multi["b"]["key"] and not multi["c"]["key"]


def test_fixing_the_key_and_regrading_clears_its_flags(simulated):
    folder, _, db, _ = simulated
    fixed = rk.bank_text().replace("    answer: b\n", "    answer: a\n")  # only the miskeyed item has key b
    assert rk.bank_text().count("    answer: b\n") == 1
    a2 = kit.load_assignment(folder / "fixed", rk.assignment_text(), fixed, name="t_irt")
    regrade(assignment=a2, db=db, secret=kit.SECRET, progress=False)
    out = folder / "report_fixed"
    report(assignment=a2, db=db, out=out, secret=kit.SECRET)
    found = _flags(out)
    assert not {k for i, k in found if i == rk.MISKEYED}
    assert found == {(i, k) for i, ks in rk.PLANTED.items() if i != rk.MISKEYED for k in ks}


def _item(**kw):
    base = {"id": "x_ex1", "label": "Q1", "type": "single_choice", "n": 300, "group_size": 81,
            "facility": 0.5, "item_rest": 0.4, "options": [], "variants": []}
    return base | kw


def _opt(id_, key, count, overall, upper, lower):
    return {"id": id_, "text": "", "key": key, "count": count, "overall": overall, "upper": upper, "lower": lower}


def test_a_distractor_the_upper_group_prefers_to_the_lower_group_is_flagged():
    item = _item(options=[_opt("a", True, 200, 0.66, 0.7, 0.5), _opt("b", False, 60, 0.2, 0.3, 0.05),
                          _opt("c", False, 40, 0.14, 0.0, 0.45)])
    assert [(f["kind"], f["option"]) for f in flags(item)] == [("distractor_upper", "b")]


def test_a_keyed_option_that_strong_students_leave_out_is_flagged_in_multiple_select():
    item = _item(type="multiple_select", options=[_opt("a", True, 200, 0.66, 0.9, 0.5),
                                                  _opt("b", True, 150, 0.5, 0.2, 0.7), _opt("c", False, 30, 0.1, 0.02, 0.2)])
    assert [(f["kind"], f["option"]) for f in flags(item)] == [("key_rejected", "b")]


@pytest.mark.parametrize("facility, kind", [(0.95, "very_easy"), (0.12, "very_hard")])
def test_very_easy_and_very_hard_items_are_flagged(facility, kind):
    assert [f["kind"] for f in flags(_item(facility=facility))] == [kind]


def test_a_slightly_negative_r_is_low_and_a_clearly_negative_one_is_negative():
    assert [f["kind"] for f in flags(_item(item_rest=-0.05))] == ["low_discrimination"]
    assert [f["kind"] for f in flags(_item(item_rest=-0.3))] == ["negative_discrimination"]
    assert [f["kind"] for f in flags(_item(item_rest=-0.3, n=40))] == ["low_discrimination"]
