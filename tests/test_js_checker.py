"""exercises.js is the browser twin of sealed.check_sealed: run the Node tests in tests/js/.

A module fixture writes what the Node tests compare against (sealed specs of howto.yml and of
the extra cases, the feedback HTML the vectors refer to, Python's results on thousands of
arbitrary answers, Python's Unicode facts the normalisation depends on, SHA-256 digests) to a
temp file and passes its path in EXERCISES_JS_FIXTURE; ``node --test tests/js/`` runs once and
each test below asserts on its own part of the TAP report.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from exercises.checking import AnswerShapeError, normalise_text, parse_number
from exercises.markdown import to_html
from exercises.checking import check_sealed, explanation, seal, submitted_texts
from exercises.checking.solutions import expected_value
from sealed_cases import TRICKY_TEXT, arbitrary_answer, extra_bank, feedback_ref, result_dict, vectors

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = ROOT / "tests" / "js"
NODE = shutil.which("node")
CASES_PER_EXERCISE = 150


def _ranges(predicate) -> list[list[int]]:
    out: list[list[int]] = []
    for cp in range(0x110000):
        if predicate(chr(cp)):
            if out and out[-1][1] == cp - 1:
                out[-1][1] = cp
            else:
                out.append([cp, cp])
    return out


def _unicode_facts() -> dict:
    word, digit = re.compile(r"\w"), re.compile(r"\d")
    assigned = lambda c: unicodedata.category(c) not in ("Cn", "Cs")  # noqa: E731
    return {
        "version": unicodedata.unidata_version,
        "assigned": _ranges(assigned),
        "space": _ranges(str.isspace),
        "word": _ranges(lambda c: bool(word.match(c))),
        "digit": [[cp, unicodedata.decimal(chr(cp))] for cp in range(0x110000) if digit.match(chr(cp))],
        "combining": _ranges(lambda c: unicodedata.combining(c) != 0),
        "normalise_ab": [[cp, r] for cp in range(0x110000) if assigned(chr(cp))
                         for r in [normalise_text("a" + chr(cp) + "b")] if r != "a b"],
    }


def _number_cases(rng: random.Random) -> list[list]:
    texts = list(TRICKY_TEXT) + ["1,5", "1,5,3", "1.5,", ",5", "5%%", " 7 % ", "\u2212.5e-3", "1_000", "1__000",
                                 "12 345 678", "1 2345", "1e", "e5", "+", "-", ".", "１２", "٣.٥", "1\u202f000"]
    for _ in range(300):
        texts.append("".join(rng.choice("0123456789 .,_-+e%\u2212\u00a0\u0663") for _ in range(rng.randrange(1, 9))))
    out = []
    for text in texts:
        try:
            out.append([text, parse_number(text), None])
        except AnswerShapeError as err:
            out.append([text, None, err.as_dict()])
    return out


@pytest.fixture(scope="module")
def js_fixture(howto, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("js")
    extra = extra_bank(tmp)
    pinned = {v["exercise"]: v["expected"] for v in vectors() if "expected" in v}
    exercises = list(howto.exercises.values()) + list(extra.exercises.values())
    keys = {ex.id: pinned.get(ex.id, expected_value(ex) if ex.type == "code" else None) for ex in exercises}
    specs = {ex.id: seal(ex, expected=keys[ex.id]) for ex in exercises}
    specs.update({f"{ex.id}@course": seal(ex, mode="course", expected=keys[ex.id]) for ex in exercises})
    feedback = {}
    for v in vectors():
        ex = howto[v["exercise"]]
        for p in v["parts"]:
            if p["feedback"]:
                feedback.setdefault(ex.id, {})[p["feedback"]] = to_html(feedback_ref(ex, p["feedback"]))
    rng = random.Random(20260408)
    cases = []
    for ex in exercises:
        for mode in ("", "@course"):
            spec = specs[ex.id + mode]
            for _ in range(CASES_PER_EXERCISE):
                answer = arbitrary_answer(ex, rng, key=keys[ex.id])
                attempts = rng.randrange(5)
                cases.append({"spec": ex.id + mode, "answer": answer, "attempts": attempts,
                              "result": result_dict(check_sealed(spec, answer)),
                              "explanation": explanation(spec, answer, attempts=attempts),
                              "submitted": submitted_texts(spec, answer)})
    data = [bytes(rng.randrange(256) for _ in range(n)) for n in list(range(0, 130)) + [1000, 4096, 100_003]]
    fixture = {
        "specs": specs,
        "feedback": feedback,
        "explanations": {ex.id: to_html(ex.explanation) for ex in exercises},
        "cases": cases,
        "sha256": [[d.hex(), hashlib.sha256(d).hexdigest()] for d in data],
        "numbers": _number_cases(rng),
        "unicode": _unicode_facts(),
    }
    path = tmp / "js-fixture.json"
    path.write_text(json.dumps(fixture), "utf-8")
    return path


@pytest.fixture(scope="module")
def node_report(js_fixture) -> dict:
    assert NODE, "node is not on PATH (Node 20 is required for the browser checker tests)"
    env = dict(os.environ, EXERCISES_JS_FIXTURE=str(js_fixture))
    proc = subprocess.run([NODE, "--test", "--test-reporter=tap", str(JS_TESTS)], capture_output=True, text=True,
                          env=env, timeout=600, cwd=ROOT)
    results = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"\s*(not ok|ok) \d+ - (.+?)\s*(#.*)?$", line)
        if m:
            results[m.group(2)] = m.group(1) == "ok"
    return {"returncode": proc.returncode, "out": proc.stdout + proc.stderr, "results": results}


def _passed(report: dict, name: str) -> None:
    assert name in report["results"], f"node did not run {name!r}:\n{report['out'][-4000:]}"
    assert report["results"][name], f"node test {name!r} failed:\n{report['out'][-8000:]}"


def test_node_test_run_passes_as_a_whole(node_report):
    assert node_report["returncode"] == 0, node_report["out"][-8000:]
    assert len(node_report["results"]) >= 8 and all(node_report["results"].values())


def test_sha256_in_javascript_matches_hashlib(node_report):
    _passed(node_report, "sha256 matches hashlib on every length")


def test_the_vectors_pass_in_javascript(node_report):
    _passed(node_report, "every vector of tests/vectors.json")


def test_the_explanation_unlocks_in_javascript_only_for_a_right_answer_or_after_three_attempts(node_report):
    _passed(node_report, "explanations: right answers and three attempts unlock, nothing else does")


def test_javascript_agrees_with_python_on_arbitrary_answers(node_report):
    _passed(node_report, "arbitrary answers: same results as checking.check_sealed")


def test_a_written_answer_opens_the_same_texts_in_javascript(node_report):
    _passed(node_report, "written answers: the same texts open on submission as checking.submitted_texts")


def test_number_parsing_in_javascript_matches_python(node_report):
    _passed(node_report, "parse_number: same numbers and the same error codes")


def test_unicode_facts_behind_normalisation_match_pythons(node_report):
    for name in ("whitespace matches str.isspace", "word and digit characters match Python's re",
                 "combining classes match unicodedata.combining",
                 "normalise_text matches on every assigned code point"):
        _passed(node_report, name)
