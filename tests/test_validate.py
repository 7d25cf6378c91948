"""`python -m exercises validate` on broken bank files: one clear line per problem, exit 1."""
import subprocess
import sys
from pathlib import Path

import pytest

from exercises import bank as bank_mod

GOOD = """\
schema_version: 1
chapter: {chapter}
title: A chapter
objectives:
  - id: {chapter}_o1
    text: An objective.
exercises:
  - id: {chapter}_ex1
    type: single_choice
    title: One
    prompt: Pick one.
    points: 1
    objectives: [{chapter}_o1]
    bloom: apply
    hints: [A hint.]
    explanation: Because.
    options:
      - {{id: a, text: A, feedback: "Right, because it is the first letter."}}
      - {{id: b, text: B, feedback: "No, this is the second letter."}}
    answer: a
"""

BROKEN = {
    # file stem -> (content, expected line, expected fragments of the message line)
    "badyaml": ("schema_version: 1\nchapter: badyaml\nobjectives: [\n  - x\n", 0, ["invalid YAML"]),
    "unknowntype": (GOOD.format(chapter="unknowntype").replace("type: single_choice", "type: essay"), 9,
                    ["unknowntype_ex1", "type", "'essay' is not one of"]),
    "missingfield": (GOOD.format(chapter="missingfield").replace("    bloom: apply\n", ""), 8,
                     ["missingfield_ex1", "bloom", "missing required field"]),
    "badkey": (GOOD.format(chapter="badkey").replace("answer: a", "answer: z"), 20,
               ["badkey_ex1", "answer", "key 'z' is not among the options"]),
    "badobjective": (GOOD.format(chapter="badobjective").replace("objectives: [badobjective_o1]", "objectives: [badobjective_o9]"), 13,
                     ["badobjective_ex1", "objectives[0]", "'badobjective_o9' is not defined"]),
    "wrongprefix": (GOOD.format(chapter="wrongprefix").replace("id: wrongprefix_ex1", "id: other_ex1"), 8,
                    ["other_ex1", "id", "must start with 'wrongprefix_ex'"]),
}


def write_bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    for stem, (content, _, _) in BROKEN.items():
        (folder / f"{stem}.yml").write_text(content, "utf-8")
    # the same exercise id twice in an otherwise valid file
    good = GOOD.format(chapter="dupa")
    (folder / "dupa.yml").write_text(good + good[good.index("  - id: dupa_ex1"):], "utf-8")
    return folder


def test_each_broken_file_gets_its_own_clear_line(tmp_path):
    folder = write_bank(tmp_path)
    _, problems = bank_mod.validate(folder)
    by_file = {}
    for p in problems:
        by_file.setdefault(Path(p.file).stem, []).append(p)
    for stem, (_, line, fragments) in BROKEN.items():
        assert stem in by_file, f"no problem reported for {stem}.yml"
        text = "\n".join(str(p) for p in by_file[stem])
        for fragment in fragments:
            assert fragment in text, f"{stem}: {fragment!r} not in {text!r}"
        if line:
            assert any(p.line == line for p in by_file[stem]), f"{stem}: expected line {line}, got {text}"
    dup = [p for p in problems if "duplicate exercise id" in p.message]
    assert len(dup) == 1 and dup[0].exercise == "dupa_ex1" and dup[0].line == 21 and "dupa.yml:8" in dup[0].message


@pytest.mark.slow  # a subprocess or a real kernel
def test_cli_prints_one_line_per_problem_and_exits_nonzero(tmp_path):
    folder = write_bank(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "exercises", "validate", str(folder)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines[-1].endswith("problem(s) found.")
    for line in lines[:-1]:
        file_part, exercise, field, message = line.split(": ", 3)
        assert file_part.split(":")[0].endswith(".yml") and message


@pytest.mark.slow  # a subprocess or a real kernel
def test_cli_passes_on_the_real_bank():
    proc = subprocess.run([sys.executable, "-m", "exercises", "validate"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok:")
    assert "3 assignment(s)" in proc.stdout  # the sample assignments are validated too


@pytest.mark.slow  # a subprocess or a real kernel
def test_cli_validates_an_assignment_and_names_its_problem(tmp_path):
    samples = Path(__file__).resolve().parent.parent / "examples" / "assignments"
    text = (samples / "a1_rsct.yml").read_text("utf-8").replace("  - id: rsct_ex1\n", "  - id: rsct_ex999\n", 1)
    (tmp_path / "a1_rsct.yml").write_text(text, "utf-8")
    (tmp_path / "a1_rsct.bank.yml").write_text((samples / "a1_rsct.bank.yml").read_text("utf-8"), "utf-8")
    proc = subprocess.run([sys.executable, "-m", "exercises", "validate", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    first = proc.stderr.splitlines()[0]
    assert "a1_rsct.yml" in first and "rsct_ex999" in first


def test_non_utf8_and_non_mapping_files_are_reported(tmp_path):
    (tmp_path / "latin.yml").write_bytes("title: Wæver".encode("latin-1"))
    (tmp_path / "alist.yml").write_text("- just\n- a list\n", "utf-8")
    _, problems = bank_mod.validate(tmp_path)
    text = "\n".join(map(str, problems))
    assert "latin.yml: -: -: not UTF-8" in text
    assert "alist.yml:1: -: -: a bank file must be a mapping" in text


@pytest.mark.slow
def test_book_build_fails_with_the_same_message_not_a_traceback(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text("title: t\nexecute:\n  execute_notebooks: 'off'\nsphinx:\n  extra_extensions: [exercises.site.assets]\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (book / "index.md").write_text("# Index\n")
    folder = write_bank(tmp_path)
    import os
    env = dict(os.environ, EXERCISES_BANK_DIR=str(folder))
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(book)], capture_output=True, text=True, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "the exercise bank has" in out and "key 'z' is not among the options" in out
    assert "Traceback" not in out


NUMERIC = GOOD.split("    options:")[0].replace("type: single_choice", "type: numeric") + """\
    answer: 79.47
    tolerance: {{abs: 0.1}}
    unit: "%"
    misconceptions:
      - {{answer: 79.5, feedback: "Within the tolerance: scored right."}}
      - {{answer: 44.28, feedback: "Reachable."}}
    feedback:
      low: Too low.
      high: Too high.
      incorrect: Not yet.
"""


def test_feedback_that_can_never_be_shown_is_flagged(tmp_path):
    # numbers_ex4 and numbers_ex8 had low/high feedback that no checker shows
    (tmp_path / "num.yml").write_text(NUMERIC.format(chapter="num"), "utf-8")
    text = GOOD.split("    options:")[0].replace("type: single_choice", "type: short_text") + (
        '    answer: ["Waever"]\n    misconceptions:\n      - {{answer: "wæver", feedback: "Accepted anyway."}}\n')
    (tmp_path / "txt.yml").write_text(text.format(chapter="txt"), "utf-8")
    _, problems = bank_mod.validate(tmp_path)
    lines = sorted(str(p) for p in problems)
    assert len(lines) == 4, lines
    assert any("num_ex1: feedback.low: feedback 'low' is never shown" in line for line in lines)
    assert any("num_ex1: feedback.high:" in line for line in lines)
    assert any("num_ex1: misconceptions[0].answer: 79.5 is within the tolerance" in line for line in lines)
    assert any("txt_ex1: misconceptions[0].answer: 'wæver' is an accepted answer" in line for line in lines)
