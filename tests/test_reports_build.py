"""``report``: the files it writes, small classes, blanks, and the command line's errors."""
from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

import gradingkit as kit
import reportkit as rk
from exercises.cli import main
from exercises.reports import ReportError, report
from exercises.reports.build import FILES, file_names


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    a, db = rk.class_gradebook(folder, 5)
    out = folder / "report"
    written = report(assignment=a, db=db, out=out, secret=kit.SECRET, made="2026-12-01")
    return a, db, out, written


def test_every_file_is_written_and_named_for_the_assignment(small):
    _, _, out, written = small
    assert sorted(p.name for p in written) == sorted(file_names("t_irt").values())
    assert len(written) == len(FILES)


def test_a_small_class_gets_not_enough_responses_instead_of_numbers(small):
    _, _, out, _ = small
    html = (out / "t_irt_report.html").read_text("utf-8")
    assert "not enough responses (5)" in html
    with (out / "t_irt_items.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["facility"] for r in rows} == {"not enough responses (5)"}
    assert {r["item_rest"] for r in rows} == {"not enough responses (5)"}
    assert {r["flags"] for r in rows} == {""}
    data = json.loads((out / "t_irt_report.json").read_text("utf-8"))
    assert data["test"]["reliability"]["value"] == {"not_enough_responses": 5}
    assert data["objectives"][0]["mastery"] == {"not_enough_responses": 5}


def test_objectives_are_named_with_their_text_from_the_private_bank(small):
    _, _, out, _ = small
    with (out / "t_irt_objectives.csv").open(encoding="utf-8") as fh:
        assert {r["id"]: r["text"] for r in csv.DictReader(fh)} == {
            "irt_o1": "First objective.", "irt_o2": "Second objective.", "irt_o3": "Third objective."}


def test_the_per_student_objective_table_is_there_even_for_a_small_class(small):
    _, _, out, _ = small
    with (out / "t_irt_objectives_by_student.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["student_id"] for r in rows] == [f"s{i:05d}" for i in range(5)]
    assert set(rows[0]) == {"student_id", "name", "email", "sis_id", "irt_o1", "irt_o2", "irt_o3"}
    assert all(0 <= float(r["irt_o1"]) <= 1 for r in rows)


def test_blank_answers_are_counted_per_item(tmp_path):
    a, db = rk.class_gradebook(tmp_path, 12, blank_every=3)
    report(assignment=a, db=db, out=tmp_path / "r")
    with (tmp_path / "r" / "t_irt_items.csv").open(encoding="utf-8") as fh:
        blanks = {r["id"]: int(r["blank"]) for r in csv.DictReader(fh)}
    assert blanks[rk.ORDINARY[0]] == 4 and blanks[rk.ORDINARY[1]] == 0


def test_without_the_secret_variants_are_shown_as_unknown(tmp_path, small):
    a, db, _, _ = small
    report(assignment=a, db=db, out=tmp_path)
    with (tmp_path / "t_irt_variants.csv").open(encoding="utf-8") as fh:
        assert {r["variant"] for r in csv.DictReader(fh)} == {"unknown (no instructor secret)"}


def test_a_missing_gradebook_or_assignment_is_a_clear_error(tmp_path, small):
    a, db, _, _ = small
    with pytest.raises(ReportError, match="no such gradebook"):
        report(assignment=a, db=tmp_path / "nope.sqlite", out=tmp_path)
    other = kit.load_assignment(tmp_path / "other")
    with pytest.raises(ReportError, match=r"no submissions of t_all in this gradebook \(assignments in it: t_irt\)"):
        report(assignment=other, db=db, out=tmp_path)


def test_the_command_writes_the_report_and_errors_are_one_line(tmp_path, small, monkeypatch):
    a, db, _, _ = small
    monkeypatch.setenv("EXERCISES_SECRET", kit.SECRET.decode())
    path = tmp_path / "t_irt.yml"
    path.write_text(rk.assignment_text(), "utf-8")
    (tmp_path / "t_irt.bank.yml").write_text(rk.bank_text(), "utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["report", str(path), "--db", str(db), "--out", str(tmp_path / "out")])
    assert ok.exit_code == 0, ok.output
    assert "t_irt_report.html" in ok.output and (tmp_path / "out" / "t_irt_report.html").is_file()
    bad = runner.invoke(main, ["report", str(path), "--db", str(tmp_path / "missing.sqlite"), "--out", str(tmp_path)])
    assert bad.exit_code == 2 and bad.output.strip().count("\n") == 0 and "no such gradebook" in bad.output
    assert "Traceback" not in bad.output


def test_a_class_with_no_counted_submission_still_gets_a_report_that_says_so(tmp_path):
    a = rk.load_assignment(tmp_path / "assignment")
    r = rk.roster_of(3)
    for s in r.students:
        kit.save(kit.answer_notebook(kit.released(a, s.id, roster_=r), {rk.ORDINARY[0]: "a"}), tmp_path / "subs" / f"{s.id}.ipynb")
    from exercises.grading.batch import grade
    grade(assignment=a, submissions=tmp_path / "subs", db=tmp_path / "gb.sqlite", roster=r, secret=None, progress=False)
    report(assignment=a, db=tmp_path / "gb.sqlite", out=tmp_path / "r")  # every file rejected: no secret
    data = json.loads((tmp_path / "r" / "t_irt_report.json").read_text("utf-8"))
    assert data["test"]["n"] == 0 and data["test"]["mean"] == {"not_enough_responses": 0}
    assert "0 students with a counted submission" in (tmp_path / "r" / "t_irt_report.html").read_text("utf-8")
