"""Hostile submissions: one batch holding everything students and LMSs do to files.

No case may crash the batch; every input ends in the gradebook with a status and a reason a
person understands; valid answers next to junk are still scored right.
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat
import pytest

import gradingkit as kit
from exercises.grading import batch as G
from exercises.records import format as rec_format
from exercises.grading.gradebook import Gradebook
from exercises.grading.roster import parse

N_STUDENTS = 80
ROSTER = "id,name,canvas_id\n" + "".join(f"h{i:03d},Student {i},{2000 + i}\n" for i in range(1, N_STUDENTS + 1))
RIGHT = ["howto_ex1", "howto_ex3", "howto_ex7"]  # answered right in every gradable hostile file


@dataclass
class Case:
    name: str
    make: Callable[[Path, "Ctx"], str]  # writes the entry, returns its name in the folder
    status: str
    reason: str = ""  # a substring of the reason (or of the notes, with note=True)
    note: bool = False
    scores: dict | None = None  # exercise -> expected score


class Ctx:
    def __init__(self, a, roster):
        self.a, self.roster, self.n = a, roster, 0

    def student(self) -> str:
        self.n += 1
        return f"h{self.n:03d}"

    def canvas_name(self, student: str, tail: str = "t_all.ipynb") -> str:
        s = self.roster.get(student)
        return f"student{student}_{s.canvas_id}_{7000 + int(s.canvas_id)}_{tail}"

    def released(self, student: str):
        return kit.released(self.a, student, roster_=self.roster)

    def good(self, student: str, extra: dict | None = None, **kw):
        answers = {e: kit.key_answer(self.a, e, student) for e in RIGHT}
        answers.update(extra or {})
        return kit.answer_notebook(self.released(student), answers, **kw)

    def write(self, folder: Path, student: str, nb_or_bytes, tail: str = "t_all.ipynb") -> str:
        name = self.canvas_name(student, tail)
        data = nb_or_bytes if isinstance(nb_or_bytes, bytes) else kit.dumps(nb_or_bytes)
        (folder / name).write_bytes(data)
        return name


def cell_of(nb, ex_id):
    return next(c for c in nb.cells if c.metadata.get("exercises", {}).get("exercise") == ex_id)


# --- the cases -----------------------------------------------------------------------------------------

def truncated(folder, c):
    data = kit.dumps(c.good(c.student()))
    return c.write(folder, f"h{c.n:03d}", data[: len(data) // 2])


def not_a_notebook(folder, c):
    return c.write(folder, c.student(), b"print('my answers are 42')\n", "answers.py")


def nbformat3(folder, c):
    v3 = {"metadata": {"name": ""}, "nbformat": 3, "nbformat_minor": 0,
          "worksheets": [{"cells": [{"cell_type": "code", "input": "1+1", "language": "python", "outputs": []}]}]}
    return c.write(folder, c.student(), json.dumps(v3).encode())


def deleted_cells(folder, c):
    nb = c.good(c.student())
    nb.cells = [x for x in nb.cells if x.metadata.get("exercises", {}).get("exercise") not in ("howto_ex2", "howto_ex5")]
    return c.write(folder, f"h{c.n:03d}", nb)


def duplicated_conflicting(folder, c):
    nb = c.good(c.student(), {"howto_ex2": ["umbrella", "state"]})
    dup = copy.deepcopy(cell_of(nb, "howto_ex2"))
    dup.id = "copied-cell"
    dup.outputs[0].data[rec_format.RECORD_MIME]["answer"] = ["governs"]
    nb.cells.append(dup)
    return c.write(folder, f"h{c.n:03d}", nb)


def duplicated_identical(folder, c):
    nb = c.good(c.student())
    dup = copy.deepcopy(cell_of(nb, "howto_ex1"))
    dup.id = "copied-cell"
    nb.cells.insert(1, dup)
    return c.write(folder, f"h{c.n:03d}", nb)


def duplicated_older_attempt(folder, c):
    student = c.student()
    nb = c.good(student)
    old = kit.answer_notebook(c.released(student), {"howto_ex1": "wendt"}, attempts={"howto_ex1": 1})
    stale = copy.deepcopy(cell_of(old, "howto_ex1"))
    stale.id = "stale-copy"
    cell_of(nb, "howto_ex1").outputs[0].data[rec_format.RECORD_MIME]["attempts"] = 2
    nb.cells.append(stale)
    return c.write(folder, student, nb)


def forged_score(folder, c):
    nb = c.good(c.student(), {"howto_ex2": ["governs"]})
    data = cell_of(nb, "howto_ex2").outputs[0].data[rec_format.RECORD_MIME]
    data.update({"score": 999, "points": 999, "correct": True, "fraction": 1})
    cell_of(nb, "howto_ex2").outputs.append(nbformat.v4.new_output(
        "execute_result", data={"text/plain": "Score: 29 of 29 points. All tests passed."}, execution_count=1))
    return c.write(folder, f"h{c.n:03d}", nb)


def wrong_answer_types(folder, c):
    nb = c.good(c.student(), {"howto_ex5": {"not": "a list"}, "howto_ex4": ["a", "list"], "howto_ex8": 42})
    return c.write(folder, f"h{c.n:03d}", nb)


def huge_string(folder, c):
    nb = c.good(c.student(), {"howto_ex4": "W" * 2_000_000})
    return c.write(folder, f"h{c.n:03d}", nb)


def unknown_ids(folder, c):
    nb = c.good(c.student())
    bogus = rec_format.make_record("bogus_ex99", "x", 1, assignment="t_all")
    nb.cells[0 + 2].outputs = [rec_format.record_output(bogus)]
    return c.write(folder, f"h{c.n:03d}", nb)


def another_assignment(folder, c):
    nb = c.good(c.student())
    nb.metadata["exercises"]["assignment"] = "a1_rsct"
    return c.write(folder, f"h{c.n:03d}", nb)


def same_student_twice_earlier(folder, c):
    student = c.student()
    nb = c.good(student, time="2026-10-09T09:00:00Z")
    return c.write(folder, student, nb, "t_all.ipynb")


def same_student_twice_later(folder, c):
    student = f"h{c.n:03d}"  # the same student as the case before
    nb = c.good(student, {"howto_ex2": ["umbrella", "state"]}, time="2026-10-12T09:00:00Z")
    s = c.roster.get(student)
    name = f"student{student}_{s.canvas_id}_{9999}_t_all-1.ipynb"
    (folder / name).write_bytes(kit.dumps(nb))
    return name


def empty_file(folder, c):
    return c.write(folder, c.student(), b"")


def non_utf8(folder, c):
    return c.write(folder, c.student(), "{\"cells\": \"Wæver\"}".encode("latin-1"))


def symlink(folder, c):
    student = c.student()
    target = folder.parent / "outside_secret.txt"
    target.write_text("instructor key: rsct")
    name = c.canvas_name(student)
    os.symlink(target, folder / name)
    return name


def directory(folder, c):
    name = c.canvas_name(c.student(), "t_all.ipynb")
    (folder / name).mkdir()
    (folder / name / "inner.txt").write_text("not a notebook")
    return name


def empty_directory(folder, c):
    c.student()
    (folder / "empty_folder").mkdir()
    return "empty_folder/"


def pdf(folder, c):
    return c.write(folder, c.student(), b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "answers.pdf")


def zip_inside(folder, c):
    return c.write(folder, c.student(), b"PK\x03\x04" + b"\x00" * 40, "t_all.zip")


def json_array(folder, c):
    return c.write(folder, c.student(), b"[1, 2, 3]")


def damaged_record(folder, c):
    nb = c.good(c.student())
    out = cell_of(nb, "howto_ex6").outputs = [nbformat.v4.new_output(
        "display_data", data={rec_format.RECORD_MIME: '{"format": "exercises.record/1", "exercise": "howto_ex6", "ans',
                              "text/plain": "Recorded answer to howto_ex6"})]
    assert out
    return c.write(folder, f"h{c.n:03d}", nb)


def unanswered(folder, c):
    return c.write(folder, c.student(), c.released(f"h{c.n:03d}"))


def released_to_another(folder, c):
    owner = c.student()
    thief = c.student()
    nb = c.good(owner)
    return c.write(folder, thief, nb)


def tampered_token(folder, c):
    nb = c.good(c.student())
    nb.metadata["exercises"]["variant"] = "0" * 20
    return c.write(folder, f"h{c.n:03d}", nb)


def forged_attempts(folder, c):
    nb = c.good(c.student(), {"howto_ex2": ["umbrella", "state"]})
    cell_of(nb, "howto_ex2").outputs[0].data[rec_format.RECORD_MIME]["attempts"] = "lots"
    cell_of(nb, "howto_ex1").outputs[0].data[rec_format.RECORD_MIME]["attempts"] = -5
    return c.write(folder, f"h{c.n:03d}", nb)


def deeply_nested(folder, c):
    return c.write(folder, c.student(), b'{"cells": ' + b"[" * 50000 + b"]" * 50000 + b', "nbformat": 4}')


def nan_answer(folder, c):
    nb = c.good(c.student())
    text = kit.dumps(nb).decode()
    nb2 = json.loads(text)
    for cell in nb2["cells"]:
        if cell.get("metadata", {}).get("exercises", {}).get("exercise") == "howto_ex3":
            cell["outputs"][0]["data"][rec_format.RECORD_MIME]["answer"] = "__NAN__"
    return c.write(folder, f"h{c.n:03d}", json.dumps(nb2).replace('"__NAN__"', "NaN").encode())


def too_large(folder, c):
    nb = c.good(c.student())
    nb.cells[0].source += "x" * (21 * 1024 * 1024)
    return c.write(folder, f"h{c.n:03d}", nb)


def unidentifiable(folder, c):
    c.student()
    nb = kit.answer_notebook(kit.released(c.a, None, secret=kit.SECRET), {"howto_ex1": "rsct"})
    (folder / "my_homework.ipynb").write_bytes(kit.dumps(nb))
    return "my_homework.ipynb"


def reordered_cells(folder, c):
    nb = c.good(c.student())
    nb.cells = list(reversed(nb.cells))
    return c.write(folder, f"h{c.n:03d}", nb)


def record_in_metadata_only(folder, c):
    nb = c.good(c.student())
    cell_of(nb, "howto_ex7").outputs = []
    cell_of(nb, "howto_ex7").metadata["forged"] = {rec_format.RECORD_MIME: {"exercise": "howto_ex7"}}
    return c.write(folder, f"h{c.n:03d}", nb)


def crlf_and_bom(folder, c):
    data = b"\xef\xbb\xbf" + kit.dumps(c.good(c.student())).replace(b"\n", b"\r\n")
    return c.write(folder, f"h{c.n:03d}", data)


def record_with_odd_fields(folder, c):
    nb = c.good(c.student())
    out = cell_of(nb, "howto_ex9")
    out.outputs = [nbformat.v4.new_output("display_data", data={rec_format.RECORD_MIME: {"format": "exercises.record/1",
                                                                                         "exercise": {"id": "howto_ex9"},
                                                                                         "answer": {}}})]
    return c.write(folder, f"h{c.n:03d}", nb)


def other_students_record(folder, c):
    student = c.student()
    nb = c.good(student)
    cell_of(nb, "howto_ex2").outputs = [rec_format.record_output(rec_format.make_record(
        "howto_ex2", ["umbrella", "state"], 1, assignment="t_all", student="h001", variant=kit.the_token(c.a, "h001")))]
    return c.write(folder, student, nb)


# --- issue 14: the grader under attack -------------------------------------------------------------------

def _with_raw(nb, ex_id: str, field_name: str, raw: str) -> bytes:
    """The notebook's bytes with one record field replaced by raw JSON text (what no JSON writer makes)."""
    cell_of(nb, ex_id).outputs[0].data[rec_format.RECORD_MIME][field_name] = "__RAW__"
    return kit.dumps(nb).replace(b'"__RAW__"', raw.encode())


def huge_int_attempts(folder, c):
    nb = c.good(c.student())
    return c.write(folder, f"h{c.n:03d}", _with_raw(nb, "howto_ex1", "attempts", "9" * 4000))


def huge_int_answer(folder, c):
    nb = c.good(c.student())
    return c.write(folder, f"h{c.n:03d}", _with_raw(nb, "howto_ex3", "answer", "9" * 4000))


def too_long_int(folder, c):
    nb = c.good(c.student())
    return c.write(folder, f"h{c.n:03d}", _with_raw(nb, "howto_ex3", "answer", "9" * 5000))


def nested_answer(folder, c):
    nb = c.good(c.student(), {"howto_ex2": ["umbrella"]})
    return c.write(folder, f"h{c.n:03d}", _with_raw(nb, "howto_ex2", "answer", "[" * 500 + "]" * 500))


def junk_records(folder, c):
    nb = json.loads(kit.dumps(c.good(c.student())))
    junk = {"output_type": "display_data", "metadata": {},
            "data": {rec_format.RECORD_MIME: {"format": "junk"}, "text/plain": "x"}}
    nb["cells"].append({"cell_type": "code", "id": "junk", "metadata": {}, "source": "", "execution_count": None,
                        "outputs": [junk] * 60_000})
    return c.write(folder, f"h{c.n:03d}", json.dumps(nb).encode())  # about 6 MB


def outsider_hands_in_a_copy(folder, c):
    owner = c.student()  # hands in their own notebook (the next case), and must keep their grade
    nb = c.good(owner)
    name = "outsider_9999_7999_t_all.ipynb"  # a Canvas user who is not on the roster
    (folder / name).write_bytes(kit.dumps(nb))
    return name


def owner_of_the_copy(folder, c):
    return c.write(folder, f"h{c.n:03d}", c.good(f"h{c.n:03d}", time="2026-10-09T09:00:00Z"))


def plain_name_against_metadata(folder, c):
    named, owner = c.student(), c.student()
    (folder / f"{named}.ipynb").write_bytes(kit.dumps(c.good(owner)))
    return f"{named}.ipynb"


def stripped_classmates_notebook(folder, c):
    sender, owner = c.student(), c.student()
    answers = {e: kit.key_answer(c.a, e, owner) for e in RIGHT}
    nb = kit.answer_notebook(c.released(owner), answers, student=None, variant_token=None)
    for key in ("student", "variant", "binding"):
        nb.metadata["exercises"].pop(key)
    return c.write(folder, sender, nb)


def edited_binding(folder, c):
    nb = c.good(c.student())
    nb.metadata["exercises"]["binding"] = "0" * 24
    return c.write(folder, f"h{c.n:03d}", nb)


def released_before_bindings(folder, c):
    nb = c.good(c.student())
    for key in ("binding", "fingerprint", "key_id"):
        nb.metadata["exercises"].pop(key)
    return c.write(folder, f"h{c.n:03d}", nb)


PASTED = {"howto_ex1": "wendt", "howto_ex3": 74, "howto_ex7": {"pakistan": "state", "ttp": "state"}}


def pasted_answers_a(folder, c):
    return c.write(folder, c.student(), kit.answer_notebook(c.released(f"h{c.n:03d}"), PASTED))


def pasted_answers_b(folder, c):
    return c.write(folder, c.student(), kit.answer_notebook(c.released(f"h{c.n:03d}"), PASTED))


def reset_attempts(folder, c):
    student = c.student()
    nb = c.good(student, attempts={"howto_ex1": 3}, time="2026-10-10T10:00:00Z")
    fresh = kit.answer_notebook(c.released(student), {"howto_ex1": "rsct"}, time="2026-10-11T10:00:00Z")
    again = copy.deepcopy(cell_of(fresh, "howto_ex1"))  # attempt 1 again, a day later: a fresh start
    again.id = "fresh-start"
    nb.cells.append(again)
    return c.write(folder, student, nb)


CASES = [
    Case("truncated JSON", truncated, "rejected", "truncated"),
    Case("not a notebook", not_a_notebook, "rejected", "not a notebook"),
    Case("nbformat 3", nbformat3, "rejected", "old-format notebook (nbformat 3)"),
    Case("deleted cells", deleted_cells, "graded", "of 12 exercises answered",
         scores={"howto_ex1": 1.0, "howto_ex2": 0.0, "howto_ex5": 0.0}),
    Case("duplicated cells, conflicting records", duplicated_conflicting, "partly graded",
         "howto_ex2: conflicting records", scores={"howto_ex1": 1.0, "howto_ex2": 0.0}),
    Case("duplicated cells, identical records", duplicated_identical, "graded", "", scores={"howto_ex1": 1.0}),
    Case("a stale copy of an older attempt", duplicated_older_attempt, "graded", "",
         scores={"howto_ex1": 0.75}),  # attempt 2 counts, with a 25 % penalty
    Case("forged score fields and outputs", forged_score, "graded", "", scores={"howto_ex2": 0.0, "howto_ex1": 1.0}),
    Case("wrong answer types", wrong_answer_types, "graded", "",
         scores={"howto_ex5": 0.0, "howto_ex4": 0.0, "howto_ex8": 0.0, "howto_ex3": 1.0}),
    Case("a huge string", huge_string, "graded", "too large to be an answer", note=True,
         scores={"howto_ex4": 0.0, "howto_ex7": 4.0}),
    Case("unknown exercise ids", unknown_ids, "graded", "bogus_ex99", note=True, scores={"howto_ex1": 1.0}),
    Case("another assignment's notebook", another_assignment, "rejected", "a notebook of another assignment (a1_rsct)"),
    Case("the same student twice (earlier)", same_student_twice_earlier, "rejected", "same student twice"),
    Case("the same student twice (later)", same_student_twice_later, "graded", "",
         scores={"howto_ex2": 2.0}),
    Case("empty file", empty_file, "rejected", "an empty file"),
    Case("non-UTF-8", non_utf8, "rejected", "not UTF-8"),
    Case("a symlink", symlink, "rejected", "symbolic link"),
    Case("a directory named like a notebook", directory, "rejected", "a folder named like a notebook"),
    Case("an empty directory", empty_directory, "rejected", "an empty folder"),
    Case("a PDF", pdf, "rejected", "a PDF document"),
    Case("a zip inside the batch", zip_inside, "rejected", "a zip archive"),
    Case("a JSON array", json_array, "rejected", "JSON list"),
    Case("a damaged record", damaged_record, "partly graded", "howto_ex6: damaged record",
         scores={"howto_ex1": 1.0, "howto_ex6": 0.0}),
    Case("an unanswered notebook", unanswered, "rejected", "answers missing"),
    Case("a notebook released to another student", released_to_another, "rejected", "was released to h"),
    Case("a tampered variant token", tampered_token, "rejected", "variant does not belong"),
    Case("forged attempt counts", forged_attempts, "graded", "attempt count was unreadable", note=False,
         scores={"howto_ex2": 2.0, "howto_ex1": 1.0}),
    Case("deeply nested JSON", deeply_nested, "rejected", "nested too deeply"),
    Case("NaN as an answer", nan_answer, "graded", "", scores={"howto_ex3": 0.0, "howto_ex1": 1.0}),
    Case("a file too large", too_large, "rejected", "too large"),
    Case("a file nobody can be identified by", unidentifiable, "rejected", "cannot tell whose submission this is"),
    Case("cells in reverse order", reordered_cells, "graded", "", scores={"howto_ex1": 1.0, "howto_ex3": 1.0}),
    Case("a record hidden in cell metadata", record_in_metadata_only, "graded", "",
         scores={"howto_ex7": 0.0, "howto_ex1": 1.0}),
    Case("CRLF line ends and a byte-order mark", crlf_and_bom, "graded", "", scores={"howto_ex7": 4.0}),
    Case("a record with an object as its exercise id", record_with_odd_fields, "partly graded",
         "howto_ex9: damaged record", scores={"howto_ex9": 0.0, "howto_ex1": 1.0}),
    Case("a record copied from another student", other_students_record, "partly graded",
         "another student's notebook", scores={"howto_ex2": 0.0, "howto_ex1": 1.0}),
    Case("a huge integer as the attempt count", huge_int_attempts, "graded", "attempt count was unreadable",
         scores={"howto_ex1": 1.0, "howto_ex7": 4.0}),
    Case("a huge integer as an answer", huge_int_answer, "graded", "number too large", note=True,
         scores={"howto_ex3": 0.0, "howto_ex1": 1.0}),
    Case("an integer too long for JSON readers", too_long_int, "rejected", "a number with more than"),
    Case("an answer nested 500 deep", nested_answer, "graded", "nested too deeply", note=True,
         scores={"howto_ex2": 0.0, "howto_ex1": 1.0}),
    Case("a Canvas sender not on the roster hands in a classmate's notebook", outsider_hands_in_a_copy, "rejected",
         "who is not in the roster, handed it in: check by hand"),
    Case("the classmate whose notebook was copied", owner_of_the_copy, "graded", "", scores={"howto_ex1": 1.0}),
    Case("a plain file named for one student, released to another", plain_name_against_metadata, "rejected",
         "names h0"),
    Case("a classmate's notebook with its student and variant removed", stripped_classmates_notebook,
         "partly graded", "no release binding", scores={"howto_ex1": 1.0}),
    Case("an edited release binding", edited_binding, "rejected", "release binding does not match"),
    Case("a notebook released before bindings", released_before_bindings, "partly graded", "no release binding",
         scores={"howto_ex1": 1.0, "howto_ex7": 4.0}),
    Case("pasted answers (first)", pasted_answers_a, "graded", "", scores={"howto_ex1": 0.0}),
    Case("pasted answers (second)", pasted_answers_b, "graded", "", scores={"howto_ex1": 0.0}),
    Case("attempts reset by a fresh start", reset_attempts, "partly graded", "attempts were reset",
         scores={"howto_ex1": 0.5, "howto_ex7": 4.0}),
    Case("60,000 junk record outputs", junk_records, "partly graded", "possibly among the damaged records",
         scores={"howto_ex1": 1.0, "howto_ex7": 4.0}),
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    a = kit.load_assignment(tmp / "assignment")
    roster = parse(ROSTER, "roster.csv")
    ctx = Ctx(a, roster)
    folder = tmp / "submissions"
    folder.mkdir()
    names = {}
    for case in CASES:
        names[case.name] = case.make(folder, ctx)
    db = tmp / "gb.sqlite"
    summary = G.grade(assignment=a, submissions=folder, db=db, roster=roster, secret=kit.SECRET, progress=False)
    with Gradebook(db) as gb:
        current = {sub["file"]: (sub, out, {s["exercise"]: s for s in gb.outcome_scores(out["id"])})
                   for sub, out in gb.current(a.name)}
    return names, current, summary, folder


def test_there_are_at_least_25_hostile_cases():
    assert len(CASES) >= 25


def test_every_input_is_accounted_for_in_the_gradebook(graded):
    names, current, summary, folder = graded
    entries = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    entries = {e for e in entries if not e.startswith(names["a directory named like a notebook"] + "/")}
    entries |= {names["a directory named like a notebook"], names["an empty directory"]}
    assert set(current) == entries
    assert summary.files == len(entries)
    assert sum(summary.status.values()) == len(entries)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_input_ends_with_its_status_and_reason(graded, case):
    names, current, _, _ = graded
    sub, out, scores = current[names[case.name]]
    assert out["status"] == case.status, (out["reason"], json.loads(out["notes"]))
    where = " ".join(json.loads(out["notes"]) + [s["reason"] for s in scores.values()]) if case.note else out["reason"]
    if case.name in ("forged attempt counts", "a huge integer as the attempt count"):
        where = " ".join(s["reason"] for s in scores.values())
    assert case.reason in where, (out["reason"], json.loads(out["notes"]))
    for ex_id, expected in (case.scores or {}).items():
        assert scores[ex_id]["score"] == pytest.approx(expected), (ex_id, scores[ex_id]["reason"])
    if case.status == "rejected":
        assert out["score"] == 0 and not out["counts"]


def test_the_symlink_was_not_followed(graded):
    names, current, _, _ = graded
    sub, out, _ = current[names["a symlink"]]
    assert sub["size"] is None and sub["records"] == "[]"


def test_forged_scores_are_never_read(graded):
    names, current, _, _ = graded
    sub, out, scores = current[names["forged score fields and outputs"]]
    assert out["score"] == pytest.approx(sum(s["score"] for s in scores.values()))
    assert out["score"] < 29


def test_a_copy_handed_in_by_someone_else_never_takes_over_the_owners_grade(graded):
    names, current, _, _ = graded
    copy_sub, copy_out, _ = current[names["a Canvas sender not on the roster hands in a classmate's notebook"]]
    own_sub, own_out, _ = current[names["the classmate whose notebook was copied"]]
    assert copy_out["student"] == "canvas-9999" and not copy_out["counts"]
    assert own_out["counts"] and own_out["student"] == copy_sub["nb_student"]
    plain_sub, plain_out, _ = current[names["a plain file named for one student, released to another"]]
    assert plain_out["student"] == plain_sub["file"].split(".")[0] and "check by hand" in plain_out["reason"]


def test_a_run_killed_mid_way_leaves_the_gradebook_as_it_was(tmp_path, monkeypatch):
    a = kit.load_assignment(tmp_path / "assignment")
    folder = tmp_path / "subs"
    folder.mkdir()
    data = kit.dumps(kit.answer_notebook(kit.released(a, None), {"howto_ex1": "rsct"}))
    for k in range(620):  # more than any batch size a periodic commit could use
        (folder / f"student{k}_{30000 + k}_{40000 + k}_t_all.ipynb").write_bytes(data)
    db = tmp_path / "gb.sqlite"
    G.grade(assignment=a, submissions=folder, db=db, secret=kit.SECRET, progress=False)
    with Gradebook(db) as gb:
        before = gb.counts()
    (folder / "student0_30000_40000_t_all.ipynb").unlink()
    for k in range(620, 1240):  # a second batch, killed after 600 new files
        (folder / f"student{k}_{30000 + k}_{40000 + k}_t_all.ipynb").write_bytes(data)
    real_read, seen = G.read, []

    def killed(item):
        seen.append(item.name)
        if len(seen) == 1200:
            raise KeyboardInterrupt
        return real_read(item)

    monkeypatch.setattr(G, "read", killed)
    with pytest.raises(KeyboardInterrupt):
        G.grade(assignment=a, submissions=folder, db=db, secret=kit.SECRET, progress=False)
    with Gradebook(db) as gb:
        assert gb.counts() == before


def test_identical_answer_sets_across_students_are_reported(graded):
    names, current, summary, _ = graded
    pair = {current[names[f"pasted answers ({k})"]][1]["student"] for k in ("first", "second")}
    assert [set(group) for group, _ in summary.identical] == [pair]
    assert any("identical answers" in line and sorted(pair)[0] in line for line in summary.lines())


def test_grading_with_another_secret_says_the_secret_does_not_match(tmp_path):
    a = kit.load_assignment(tmp_path / "assignment")
    folder = tmp_path / "subs"
    folder.mkdir()
    roster = parse(ROSTER, "roster.csv")
    Ctx(a, roster).write(folder, "h001", kit.answer_notebook(kit.released(a, "h001", roster_=roster), {"howto_ex1": "rsct"}))
    summary = G.grade(assignment=a, submissions=folder, db=tmp_path / "gb.sqlite", roster=roster,
                      secret=b"another-secret-0123456789", progress=False)
    assert "the instructor secret does not match the one this notebook was released with" in summary.rejected[0][1]


def test_params_edited_after_the_release_are_flagged_not_graded_silently(tmp_path):
    released_with = kit.load_assignment(tmp_path / "before")
    edited = kit.load_assignment(tmp_path / "after", kit.ASSIGNMENT.replace("{start: 2022, end: 2025}",
                                                                           "{start: 2019, end: 2022}"))
    roster = parse(ROSTER, "roster.csv")
    folder = tmp_path / "subs"
    folder.mkdir()
    nb = kit.answer_notebook(kit.released(released_with, "h001", roster_=roster), {"howto_ex1": "rsct"})
    Ctx(released_with, roster).write(folder, "h001", nb)
    summary = G.grade(assignment=edited, submissions=folder, db=tmp_path / "gb.sqlite", roster=roster,
                      secret=kit.SECRET, progress=False)
    assert summary.status["partly graded"] == 1
    assert "changed since this notebook was released" in summary.partly[0][1]


def test_every_shuffle_in_a_release_derives_from_the_secret(tmp_path):
    """Slot-coding options were shuffled with seed 0 in every release: the order, and so the bank's
    order (often the key's), could be predicted without the secret."""
    from exercises.grading.release import public_spec
    from exercises.grading.variants import variant
    a = kit.load_assignment(tmp_path / "assignment")
    item = a.item("howto_ex8")  # slot coding, no feedback

    def slot_orders(secret):
        return [[[o["id"] for o in slot["options"]] for slot in public_spec(a, item, variant(a, secret, f"s{k}"))
                 ["exercise"]["slots"]] for k in range(8)]
    assert slot_orders(kit.SECRET) != slot_orders(b"another-secret-0123456789")
    assert len({json.dumps(o) for o in slot_orders(kit.SECRET)}) > 1  # and differs between students


@pytest.mark.slow  # a subprocess or a real kernel
def test_the_release_command_refuses_to_release_without_a_secret_unless_told(tmp_path):
    import subprocess
    import sys
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    cmd = [sys.executable, "-m", "exercises", "release", "a1_rsct", "--out", str(tmp_path / "out")]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "no instructor secret" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(cmd + ["--no-secret"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "warning: released without an instructor secret" in proc.stderr


def test_no_csv_export_holds_a_formula(tmp_path):
    from exercises.grading.export import export
    a = kit.load_assignment(tmp_path / "assignment")
    evil = ["=HYPERLINK(\"http://x.invalid\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
    import csv
    import io
    text = io.StringIO()
    csv.writer(text).writerows([["id", "name", "email", "section", "canvas_id", "moodle_id"]] + [
        [f"e{k}", n, f"e{k}@x.edu", n[0] + "sec", 900 + k, 800 + k] for k, n in enumerate(evil)])
    roster = parse(text.getvalue(), "roster.csv")
    folder = tmp_path / "subs"
    folder.mkdir()
    for k in range(len(evil)):
        nb = kit.answer_notebook(kit.released(a, f"e{k}", roster_=roster), {"howto_ex1": "rsct"})
        (folder / f"x_{900 + k}_{k}_t_all.ipynb").write_bytes(kit.dumps(nb))
    (folder / "=1+2.ipynb").write_bytes(b"{}")
    db = tmp_path / "gb.sqlite"
    G.grade(assignment=a, submissions=folder, db=db, roster=roster, secret=kit.SECRET, progress=False)
    written = export(assignment=a, db=db, out=tmp_path / "out", formats=["wide", "long", "submissions", "canvas",
                                                                         "moodle"], secret=kit.SECRET)
    cells = [cell for path in written for row in csv.reader(path.open(encoding="utf-8")) for cell in row]
    assert "'" + evil[0] in cells and "'=1+2.ipynb" in cells
    assert [c for c in cells if c and c[0] in "=+-@" and not c.lstrip("+-").replace(".", "").isdigit()] == []


def test_student_answers_in_feedback_pages_are_text_never_markdown(tmp_path):
    from exercises.grading.export import answer_html
    a = kit.load_assignment(tmp_path / "assignment")
    evil = "![x](http://evil.invalid/track.png) [click](http://evil.invalid) <b>bold</b>"
    pages = [answer_html(a.exercise("howto_ex1"), evil), answer_html(a.exercise("howto_ex2"), [evil]),
             answer_html(a.exercise("howto_ex5"), [evil]), answer_html(a.exercise("howto_ex6"), {evil: evil}),
             answer_html(a.exercise("howto_ex7"), {evil: evil}), answer_html(a.exercise("howto_ex8"), {evil: evil}),
             answer_html(a.exercise("howto_ex9"), {evil: evil})]
    for html in pages:
        assert "<img" not in html and "href" not in html and "<b>" not in html, html
        assert "http://evil.invalid/track.png" in html  # shown, as text
    assert "<p>" in answer_html(a.exercise("howto_ex1"), "rsct")  # the bank's own option text is still Markdown


def test_a_file_replaced_under_the_same_name_beats_its_vanished_older_version(tmp_path):
    a = kit.load_assignment(tmp_path / "assignment")
    roster = parse(ROSTER, "roster.csv")
    folder = tmp_path / "subs"
    folder.mkdir()
    ctx = Ctx(a, roster)
    name = ctx.write(folder, "h001", ctx.good("h001", {"howto_ex2": ["governs"]}, time="2026-10-12T09:00:00Z"))
    db = tmp_path / "gb.sqlite"
    G.grade(assignment=a, submissions=folder, db=db, roster=roster, secret=kit.SECRET, progress=False)
    # the instructor replaces the file with the version the student asked to be graded (saved earlier)
    ctx.write(folder, "h001", ctx.good("h001", {"howto_ex2": ["umbrella", "state"]}, time="2026-10-11T09:00:00Z"))
    summary = G.grade(assignment=a, submissions=folder, db=db, roster=roster, secret=kit.SECRET, progress=False)
    with Gradebook(db) as gb:
        outcomes = [(sub["sha256"], out) for sub, out in gb.current(a.name) if sub["file"] == name]
    counted = [out for _, out in outcomes if out["counts"]]
    assert len(outcomes) == 2 and len(counted) == 1
    assert {s["exercise"]: s["score"] for s in Gradebook(db).outcome_scores(counted[0]["id"])}["howto_ex2"] == 2.0
    old = next(out for _, out in outcomes if not out["counts"])
    assert "replaced by a newer file of the same name" in old["reason"]
    assert summary.status["graded"] == 1


def test_a_second_grader_on_the_same_gradebook_gets_one_clear_line(tmp_path, monkeypatch):
    import sqlite3
    from exercises.grading import gradebook
    a = kit.load_assignment(tmp_path / "assignment")
    folder = tmp_path / "subs"
    folder.mkdir()
    db = tmp_path / "gb.sqlite"
    Gradebook(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the first grader, busy writing
    monkeypatch.setattr(gradebook, "BUSY_TIMEOUT", 0.2)
    with pytest.raises(gradebook.GradebookError, match="in use by another grader"):
        G.grade(assignment=a, submissions=folder, db=db, secret=kit.SECRET, progress=False)
    other.execute("ROLLBACK")
    other.close()


def test_zip_names_without_the_utf8_flag_are_read_as_the_lms_wrote_them(tmp_path, monkeypatch):
    import zipfile
    from exercises.grading.submissions import collect
    name = "Zoë Wæver_503_assignsubmission_file_t_all.ipynb"
    raw = zipfile.ZipInfo._encodeFilenameFlags
    monkeypatch.setattr(zipfile.ZipInfo, "_encodeFilenameFlags",
                        lambda self: (self.filename.encode("utf-8"), self.flag_bits & ~0x800))
    with zipfile.ZipFile(tmp_path / "subs.zip", "w") as zf:  # as Moodle and Canvas write them: UTF-8, no flag
        zf.writestr(name, b"{}")
    monkeypatch.setattr(zipfile.ZipInfo, "_encodeFilenameFlags", raw)
    assert [i.name for i in collect(tmp_path / "subs.zip")] == [name]


@pytest.mark.slow  # a subprocess or a real kernel
def test_the_gradescope_recipe_grades_a_submission_end_to_end_and_keeps_no_feedback_results_hidden(tmp_path):
    """The shipped run_autograder, in a simulated Gradescope layout (AUTOGRADER_ROOT for /autograder)."""
    import subprocess
    import sys
    from importlib import resources
    root = tmp_path / "autograder"
    a = kit.load_assignment(root / "source" / "assignments")
    answers = {"howto_ex1": "rsct", "howto_ex3": 128, "howto_ex2": ["governs"]}
    nb = kit.answer_notebook(kit.released(a, "s002"), answers)
    kit.save(nb, root / "submission" / "my upload.ipynb")  # Gradescope keeps the student's own file name
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"name": "Ali Khan", "sid": "s002",
                                                                          "email": "ali@example.edu", "id": 77}]}))
    script = resources.files("exercises") / "templates" / "gradescope" / "run_autograder"
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), ASSIGNMENT="assignments/t_all.yml",
               EXERCISES_SECRET=kit.SECRET.decode(), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    proc = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    res = json.loads((root / "results" / "results.json").read_text())
    assert res["score"] == 2.0 and len(res["tests"]) == len(a.items), res["output"]  # ex2 is wrong
    vis = {t["name"].split(":")[0]: t["visibility"] for t in res["tests"]}
    assert vis["Exercise 1"] == "visible" and vis["Exercise 3"] == "after_published"  # howto_ex3: feedback none
    assert res["visibility"] == "after_published"  # the total would give the hidden scores away
