"""Assignments as data: the samples load, every problem gets one clear line, policies and params work."""
from __future__ import annotations

import dataclasses

import pytest

import gradingkit as kit
from exercises.grading import assignment as A
from exercises.checking import check
from exercises.checking.solutions import expected_value

SAMPLES = ["a1_rsct", "a2_securitization_constructivism", "a3_evidence"]


def test_the_three_sample_assignments_load_and_their_solutions_run():
    assert A.names() == SAMPLES
    assert A.validate() == []
    for name in SAMPLES:
        a = A.load(name)
        assert a.title and a.due is not None and a.due.tzinfo is not None
        assert len(a.items) >= 6
        assert a.total_points == sum(it.points for it in a.items)


def test_the_samples_cover_the_book_with_public_and_private_exercises():
    chapters = {name: {A.load(name).exercise(it.id, {k: v[0] for k, v in it.params.items()} or None).chapter
                       for it in A.load(name).items} for name in SAMPLES}
    assert {"rsct", "a1rsct"} <= chapters["a1_rsct"]
    assert {"securitization", "a2secon"} <= chapters["a2_securitization_constructivism"]
    assert {"numbers", "a3evidence"} <= chapters["a3_evidence"]
    a3 = A.load("a3_evidence")
    assert a3.has_params
    assert {a3.exercise(it.id, {k: v[0] for k, v in it.params.items()}).type for it in a3.items if it.params} == {"code"}


def test_every_param_choice_of_the_evidence_assignment_has_its_own_key():
    a = A.load("a3_evidence")
    item = a.item("a3evidence_ex1")
    values = {round(expected_value(a.exercise(item.id, c)), 6) for c in A.all_choices(item)}
    assert len(values) == len(A.all_choices(item)) == 4
    prompt = a.exercise(item.id, {"years": {"start": 2021, "end": 2024}}).prompt
    assert "**2021**" in prompt and "**2024**" in prompt and "{{" not in prompt


def test_points_policy_and_penalty_come_from_the_assignment(tmp_path):
    a = kit.load_assignment(tmp_path)
    ex6 = a.exercise("howto_ex6")
    assert ex6.points == 6.0  # overridden from the bank's 3
    assert check(ex6, dict(ex6.answer)).score == 6.0
    p = a.item("howto_ex1").policy
    assert (p.feedback, p.max_attempts) == ("immediate", 3)
    assert [p.penalty(n) for n in (1, 2, 3, 9)] == [0.0, 0.25, 0.5, 0.5]
    none = a.item("howto_ex3").policy
    assert (none.feedback, none.max_attempts, none.penalty(5)) == ("none", None, 0.0)
    assert "no feedback until grading" in none.describe()
    assert "25%" in p.describe() and "3 attempts" in p.describe()


def test_the_fingerprint_changes_with_a_key_but_not_with_a_comment(tmp_path):
    first = kit.load_assignment(tmp_path / "a").fingerprint
    assert kit.load_assignment(tmp_path / "b", kit.ASSIGNMENT + "# a comment\n").fingerprint == first
    changed = kit.BANK.replace("answer: 4242.5", "answer: 42")
    assert kit.load_assignment(tmp_path / "c", bank=changed).fingerprint != first
    repointed = kit.ASSIGNMENT.replace("  - id: tall_ex2\n", "  - id: tall_ex2\n    points: 3\n")
    assert kit.load_assignment(tmp_path / "d", repointed).fingerprint != first


def _problems(tmp_path, text, bank=kit.BANK):
    with pytest.raises(A.AssignmentError) as err:
        kit.load_assignment(tmp_path, text, bank)
    lines = str(err.value).splitlines()
    assert all(":" in line for line in lines)
    return lines


@pytest.mark.parametrize("change, expected", [
    (("title:", "titel:"), "title: missing required field"),
    (("assignment: t_all", "assignment: other"), "does not match the file name"),
    (("due: 2026-10-16T23:59:00+05:00", "due: 2026-10-16T23:59:00"), "needs a time zone"),
    (("due: 2026-10-16T23:59:00+05:00", "due: next friday"), "is not a date and time"),
    (("  - id: howto_ex1\n", "  - id: howto_ex99\n"), "no exercise 'howto_ex99'"),
    (("  - id: howto_ex2\n", "  - id: howto_ex1\n"), "the exercise is listed twice"),
    (("    feedback: none\n  - id: howto_ex4", "    feedback: none\n    max_attempts: 2\n  - id: howto_ex4"),
     "max_attempts and penalty need feedback: immediate"),
    (("  - id: howto_ex8\n", "  - id: howto_ex8\n    params: {x: [1, 2]}\n"), "params need {{name}} placeholders"),
    (("        - {start: 2022, end: 2025}\n", "        - {start: 2022, end: 2025}\n      extra: [1]\n"),
     "param 'extra' is not used"),
    (("        - {start: 2022, end: 2025}\n", "        - {start: 2022}\n"), "each value needs a 'end' field"),
    (("feedback: immediate\n  max_attempts: 3", "feedback: sometimes\n  max_attempts: 3"),
     "'sometimes' is not one of immediate, none"),
    (("schema_version: 1", "schema_version: 2"), "unsupported schema_version 2"),
    (("  - id: howto_ex1\n", "  - id: howto_ex1\n    color: red\n"), "field not allowed here"),
])
def test_each_problem_in_an_assignment_file_gets_one_clear_line(tmp_path, change, expected):
    old, new = change
    assert old in kit.ASSIGNMENT
    lines = _problems(tmp_path, kit.ASSIGNMENT.replace(old, new, 1))
    hits = [line for line in lines if expected in line]
    assert hits, lines
    assert hits[0].startswith(str(tmp_path / "t_all.yml")) or "t_all.yml" in hits[0]


def test_a_problem_names_the_line_and_the_exercise(tmp_path):
    text = kit.ASSIGNMENT.replace("  - id: howto_ex5\n", "  - id: howto_ex5\n    points: -1\n")
    (line,) = [x for x in _problems(tmp_path, text) if "howto_ex5" in x]
    where = line.split(": ")[0]
    assert where.endswith(f":{text.splitlines().index('    points: -1') + 1}")
    assert ": howto_ex5: points:" in line


def test_a_placeholder_without_its_param_is_reported(tmp_path):
    text = kit.ASSIGNMENT.replace("""    params:
      years:
        - {start: 2020, end: 2023}
        - {start: 2021, end: 2024}
        - {start: 2022, end: 2025}
""", "")
    lines = _problems(tmp_path, text)
    assert any("uses {{years}} but the assignment gives no params.years" in x for x in lines), lines


def test_private_bank_problems_are_reported_with_their_own_file_and_line(tmp_path):
    lines = _problems(tmp_path, kit.ASSIGNMENT, kit.BANK.replace("    bloom: remember\n", "    bloom: memorise\n"))
    assert any("t_all.bank.yml:" in x and "tall_ex2: bloom: 'memorise' is not one of" in x for x in lines), lines
    assert not any("no exercise 'tall_ex2'" in x for x in lines)  # no noise for each dependent id


def test_a_private_bank_cannot_reuse_a_public_id_or_chapter(tmp_path):
    lines = _problems(tmp_path, kit.ASSIGNMENT, kit.BANK.replace("chapter: tall", "chapter: howto"))
    assert any("is a chapter of the public bank" in x for x in lines)
    clash = kit.BANK.replace("chapter: tall", "chapter: howto").replace("tall_", "howto_").replace("howto_o1", "howto_o1")
    lines = _problems(tmp_path / "x", kit.ASSIGNMENT, clash)
    assert lines


def test_not_a_mapping_and_bad_yaml_are_one_line_each(tmp_path):
    (tmp_path / "t_all.yml").write_text("- just\n- a list\n", "utf-8")
    with pytest.raises(A.AssignmentError) as err:
        A.load(tmp_path / "t_all.yml")
    assert "an assignment file must be a mapping" in str(err.value)
    (tmp_path / "t_all.yml").write_text("title: [unclosed\n", "utf-8")
    with pytest.raises(A.AssignmentError) as err:
        A.load(tmp_path / "t_all.yml")
    assert "invalid YAML" in str(err.value) and len(str(err.value).splitlines()) == 1


def test_an_unknown_assignment_name_lists_the_available_ones():
    with pytest.raises(A.AssignmentError) as err:
        A.load("no_such_assignment")
    assert "assignments available: a1_rsct, a2_securitization_constructivism, a3_evidence" in str(err.value)


def test_a_failing_solution_for_one_param_choice_is_an_authoring_error(tmp_path):
    text = kit.ASSIGNMENT.replace("        - {start: 2022, end: 2025}\n", "        - {start: 2022, end: 2031}\n")
    a = kit.load_assignment(tmp_path, text)
    problems = A.check_solutions(a)
    assert len(problems) == 1 and "tall_ex1" in str(problems[0]) and "2031" in str(problems[0])


def test_substitute_fills_every_string_and_nothing_else():
    record = {"prompt": "from {{y.a}} to {{ y.b }}", "points": 2, "list": ["{{n}}", 3]}
    out = A.substitute(record, {"y": {"a": 2021, "b": 2024.0}, "n": "x"})
    assert out == {"prompt": "from 2021 to 2024", "points": 2, "list": ["x", 3]}
    assert A.placeholders(record) == {("y", "a"), ("y", "b"), ("n", None)}


def test_items_are_numbered_in_order(tmp_path):
    a = kit.load_assignment(tmp_path)
    assert [it.number for it in a.items] == list(range(1, len(a.items) + 1))
    assert dataclasses.replace(a.items[0]).id == "howto_ex1"
