"""Rosters: plain CSV, a Canvas gradebook export, a Moodle grading worksheet; one line per problem."""
from __future__ import annotations

import pytest

from exercises.grading.roster import RosterError, load, parse


def test_a_plain_roster_is_read_with_aliases_and_any_delimiter():
    r = parse("Student ID;Full name;E-mail;canvas_id\ns001;Jane Doe;jane@x.edu;1001\n")
    (s,) = r.students
    assert (s.id, s.name, s.email, s.canvas_id) == ("s001", "Jane Doe", "jane@x.edu", "1001")
    assert r.by("canvas_id", "1001") is s and r.get("S001") is s and r.match_name("jane@x.edu") is s


def test_a_canvas_gradebook_export_is_a_roster():
    text = ("Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (123)\n"
            "    Points Possible,,,,,10\n"
            "\"Doe, Jane\",1001,u1001,jdoe,A,7\n")
    (s,) = parse(text).students
    assert (s.id, s.name, s.canvas_id, s.sis_id, s.sis_login, s.section) == ("u1001", "Doe, Jane", "1001", "u1001", "jdoe", "A")


def test_a_moodle_grading_worksheet_is_a_roster():
    text = ("Identifier,Full name,Email address,Status,Grade\n"
            "Participant 502,Ali Khan,ali@x.edu,Submitted,\n")
    (s,) = parse(text).students
    assert (s.id, s.moodle_id, s.name) == ("ali@x.edu", "502", "Ali Khan")


@pytest.mark.parametrize("text, message", [
    ("", "the roster is empty"),
    ("name,email\nJane,j@x\n", "no id column"),
    ("id,name\n,Jane\n", "roster.csv:2: no student id in this row"),
    ("id,name\ns1,Jane\ns1,Ali\n", "roster.csv:3: duplicate student id 's1' (first on line 2)"),
    ("id,name\nbad id!,Jane\n", "may use only letters, digits"),
    ("id,canvas_id\ns1,7\ns2,7\n", "roster.csv:3: canvas_id '7' is also on line 2"),
    ("id,name\n", "a header but no students"),
])
def test_roster_problems_are_one_line_each_with_the_line(text, message):
    with pytest.raises(RosterError) as err:
        parse(text, "roster.csv")
    assert any(message in p for p in err.value.problems), err.value.problems


def test_a_roster_file_in_another_encoding_is_refused_clearly(tmp_path):
    (tmp_path / "r.csv").write_bytes("id,name\ns1,Wæver\n".encode("latin-1"))
    with pytest.raises(RosterError, match="not UTF-8 text"):
        load(tmp_path / "r.csv")
    with pytest.raises(RosterError, match="no such roster file"):
        load(tmp_path / "missing.csv")
