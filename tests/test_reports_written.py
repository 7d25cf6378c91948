"""Written items' statistics: level distribution and marker agreement, and the report read from real marks."""
from __future__ import annotations

import pytest

from exercises.reports.written import level_distribution, marker_agreement

SCALE = ("weak", "fair", "good")


def test_level_distribution_counts_every_level_and_leaves_out_unmarked_answers():
    assert level_distribution(["good", "fair", None, "good"], SCALE) == {"weak": 0, "fair": 1, "good": 2}


def test_marker_agreement_is_cohens_kappa_on_the_answers_both_marked():
    first = ["good"] * 6 + ["fair"] * 4 + ["weak"] * 2 + [None]
    second = ["good"] * 5 + ["fair"] * 5 + ["weak"] * 2 + ["good"]
    got = marker_agreement(first, second, SCALE)
    observed = 11 / 12
    expected = (6 * 5 + 4 * 5 + 2 * 2) / 144  # the chance of agreeing, from each marker's own level shares
    assert got["n"] == 12
    assert got["agreement"] == pytest.approx(observed)
    assert got["kappa"] == pytest.approx((observed - expected) / (1 - expected))


def test_too_few_double_marked_answers_give_not_enough_responses():
    got = marker_agreement(["good", "fair", None], ["good", None, "fair"], SCALE)
    assert str(got["kappa"]) == "not enough responses (1)"


# --- from the gradebook's marks to the report ----------------------------------------------------

@pytest.fixture(scope="module")
def marked_class(tmp_path_factory):
    """24 students answer everything right and write an answer to tall_ex3; round 1 gives
    'position' level i % 3 to student i and marks 'evidence' for the first 20 only (4 stay awaiting);
    a blind round 2 marks 'position' for 12 students, agreeing with round 1 on 10."""
    import gradingkit as K
    import markingkit as MK

    from exercises.grading import batch as G
    from exercises.grading.gradebook import Gradebook
    from exercises.marking import store as S
    tmp = tmp_path_factory.mktemp("marked")
    ids = [f"m{i:03d}" for i in range(24)]
    roster = K.roster("id,name,email\n" + "".join(f"{s},Student {s},{s}@example.edu\n" for s in ids))
    a = K.load_assignment(tmp / "a", MK.ASSIGNMENT, MK.BANK)
    for sid in ids:
        answers = K.all_right(a, sid)
        answers["tall_ex3"] = {"text": f"{sid}: Afghanistan is an insulator; the border closed in 2025."}
        K.save(K.answer_notebook(K.released(a, sid, roster_=roster), answers), tmp / "subs" / f"{sid}.ipynb")
    db = tmp / "gradebook.sqlite"
    G.grade(assignment=a, submissions=tmp / "subs", db=db, roster=roster, secret=K.SECRET, progress=False)
    with Gradebook(db) as gb:
        for i, sid in enumerate(ids):
            S.save(gb, a, student=sid, exercise="tall_ex3", criterion="position", level=i % 3, marker="Ann")
            if i < 20:
                S.save(gb, a, student=sid, exercise="tall_ex3", criterion="evidence", level=2, marker="Ann")
            if i < 12:
                S.save(gb, a, student=sid, exercise="tall_ex3", criterion="position",
                       level=(i % 3) if i < 10 else (i + 1) % 3, marker="Bob", round=2)
    return a, db, ids


def test_the_report_reads_rubric_levels_agreement_and_awaiting_answers_from_the_marks(marked_class, tmp_path):
    import csv

    import gradingkit as K

    from exercises.grading.gradebook import Gradebook
    from exercises.reports import report
    from exercises.reports.analysis import analyse
    from exercises.reports.data import load
    a, db, ids = marked_class
    with Gradebook(db) as gb:
        cohort = load(gb, a, secret=K.SECRET)
    result = analyse(cohort)
    (w,) = result["written"]["items"]
    position, evidence = w["criteria"]
    assert position["distribution"] == {"Missing": 8, "Developing": 8, "Secure": 8}
    assert evidence["distribution"] == {"Missing": 0, "Some": 0, "Full": 20} and evidence["agreement"] is None
    assert (w["marked"], w["awaiting"]) == (20, 4)
    # agreement against a direct computation: 10 of 12 agree; kappa from each round's own level shares
    first = [i % 3 for i in range(12)]
    second = [(i % 3) if i < 10 else (i + 1) % 3 for i in range(12)]
    expected = sum(first.count(k) * second.count(k) for k in range(3)) / 144
    assert position["agreement"]["n"] == 12 and position["agreement"]["agreement"] == pytest.approx(10 / 12)
    assert position["agreement"]["kappa"] == pytest.approx((10 / 12 - expected) / (1 - expected))
    item = next(it for it in result["items"] if it["id"] == "tall_ex3")
    assert item["awaiting"] == 4 and item["flags"][0]["kind"] == "awaiting_marking"
    assert "4 of 24 answers are still awaiting marking" in item["flags"][0]["reason"]
    # a fully marked answer counts at its rubric points, in the item and in the student's grade
    j = [it.id for it in cohort.items].index("tall_ex3")
    # students 0-2: position Missing, Developing, Secure (0, 1, 2 points), evidence Full (3 points) of 5
    assert [cohort.frac[i, j] for i in range(3)] == pytest.approx([3 / 5, 4 / 5, 5 / 5])
    assert cohort.frac[23, j] == 0.0
    auto = a.total_points - 5
    assert cohort.grade[2] * a.total_points == pytest.approx(auto + 5)  # every auto item right, 2 + 3 marked
    files = report(assignment=a, db=db, out=tmp_path / "r", secret=K.SECRET, made="2026-12-04")
    html = files[0].read_text("utf-8")
    assert "4 still awaiting marking" in html and "Missing: 8 · Developing: 8 · Secure: 8" in html
    rows = list(csv.DictReader((tmp_path / "r" / f"{a.name}_written.csv").open(encoding="utf-8")))
    assert len(rows) == 6 and {r["criterion"] for r in rows} == {"position", "evidence"}
    assert next(r for r in rows if r["level"] == "Secure")["answers"] == "8"


def test_a_mark_on_a_replaced_answer_is_not_counted_as_a_level(marked_class, tmp_path):
    """A student who hands in a new text after marking: the old marks are stale, not levels."""
    from exercises.marking import store as S
    a, db, ids = marked_class
    assert S.item_mark(a, "tall_ex3", {}, "x").criteria[0]["stale"] is False
    mark = S.CriterionMark(1, ids[0], "tall_ex3", "position", 1, 2, 2.0, "", "Ann", "t", "old-sha")
    row = S.item_mark(a, "tall_ex3", {"position": mark}, "new-sha").criteria[0]
    assert row["stale"] is True and row["level"] == 2
