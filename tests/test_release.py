"""Released student notebooks: valid, readable, self-contained, per-student, and with no key in them."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import gradingkit as kit
from exercises.grading import assignment as A
from exercises import models as m
from exercises.checking import normalise_text
from exercises.grading.release import file_name, release
from exercises.grading.variants import SecretError, load_secret, variant

SAMPLES = ["a1_rsct", "a2_securitization_constructivism", "a3_evidence"]
KEY_FIELDS = {"answer", "solution", "explanation", "misconceptions", "pattern", "feedback"}


def specs(nb) -> dict[str, dict]:
    """The spec each exercise cell passes to ``exercise(...)``, parsed as a literal (never run)."""
    out = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and src.startswith("exercise("):
            spec = ast.literal_eval(src[len("exercise("):-1])
            out[spec["exercise"]["id"]] = spec
    return out


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def secrets_of(ex: m.Exercise) -> list[str]:
    """Texts that only the key holder may see: explanation, feedback, solution, accepted texts."""
    out = [ex.explanation]
    for opt in getattr(ex, "options", ()):
        out.append(opt.feedback)
    for text in (getattr(ex, "feedback", None) or {}).values():
        out.append(text)
    for mis in getattr(ex, "misconceptions", ()):
        out.append(mis["feedback"])
    if ex.type == "short_text":
        out += [v for v in ex.answer if normalise_text(v) not in normalise_text(ex.prompt)]
        if ex.pattern:
            out.append(ex.pattern)
    if ex.type == "code":
        public = ex.setup + ex.starter + ex.prompt
        out += [line.strip() for line in ex.solution.splitlines() if len(line.strip()) > 12 and line.strip() not in public]
    return [s.strip() for s in out if s and len(s.strip()) >= 8]


def released_notebooks(tmp_path: Path, a: A.Assignment) -> list[Path]:
    r = kit.roster()
    with_roster = release(assignment=a, out=tmp_path / "roster", roster=r, secret=kit.SECRET, released=kit.RELEASED)
    whole_class = release(assignment=a, out=tmp_path / "class", released=kit.RELEASED)
    return [x.path for x in with_roster + whole_class]


def assignments(tmp_path):
    return [A.load(n) for n in SAMPLES] + [kit.load_assignment(tmp_path / "test_assignment")]


def test_no_key_hidden_check_or_solution_in_any_released_notebook(tmp_path):
    checked = 0
    for a in assignments(tmp_path):
        for path in released_notebooks(tmp_path / a.name, a):
            text = path.read_text("utf-8")
            nb = json.loads(text)
            nbformat.validate(nbformat.reads(text, as_version=4))
            found = specs(nb)
            assert list(found) == [it.id for it in a.items]
            all_text = "\n".join(strings(nb))
            student = nb["metadata"]["exercises"]["student"]
            var = variant(a, kit.SECRET if student else None, student)
            # a text that another exercise shows publicly (an option naming an author) is no leak
            public_texts = "\n".join(strings([a.exercise(i.id, var.choice(i.id)).public() for i in a.items]))
            for it in a.items:
                spec = found[it.id]
                ex = a.exercise(it.id, var.choice(it.id))
                public = spec["exercise"]
                assert not KEY_FIELDS & set(public), (path.name, it.id, KEY_FIELDS & set(public))
                for option in public.get("options", []) + public.get("items", []) + public.get("left", []):
                    assert set(option) <= {"id", "text"}
                for secret in secrets_of(ex):
                    if secret not in public_texts:
                        assert secret not in all_text, (path.name, it.id, secret[:60])
                if it.policy.feedback == "none":
                    assert spec["sealed"] is None  # nothing to check against: no hashes at all
                else:
                    assert spec["sealed"]["mode"] == "course"
                    assert not {"answer", "solution", "explanation", "key"} & set(spec["sealed"])
                if ex.type == "ordering":
                    assert [i["id"] for i in public["items"]] != list(ex.answer)
                checked += 1
            for marker in ("PRIVATE-SOLUTION", "PRIVATE-EXPLANATION", "PRIVATE-MISCONCEPTION", "PRIVATE-INCORRECT",
                           "4242.5", "secret_marker"):
                assert marker not in text
    assert checked > 100


def test_a_released_notebook_reads_well_and_ends_with_the_summary_cell(tmp_path):
    a = A.load("a1_rsct")
    nb = kit.released(a, "s001")
    first = "".join(nb.cells[0].source)
    assert first.startswith("# Assignment 1: Regional Security Complex Theory")
    assert "**Notebook of:** Jane Doe (s001)" in first
    assert "**Due:** 16 October 2026, 23:59 (UTC+05:00)" in first
    assert f"**Points:** {a.total_points:g} in {len(a.items)} exercises" in first
    assert "Save the notebook" in first
    headings = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Exercise")]
    assert len(headings) == len(a.items) == 9 and headings[0].startswith("## Exercise 1: Units, not states")
    assert "*1 point · immediate feedback, up to 3 attempts; each attempt after the first costs 10%" in headings[0]
    assert "no feedback until grading" in headings[-1]
    last = nb.cells[-1]
    assert last.cell_type == "code" and last.source.startswith("summary(")
    assert last.metadata["exercises"] == {"summary": True}
    exercise_cells = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("exercise(")]
    assert all(c.metadata["jupyter"]["source_hidden"] and not c.metadata["deletable"] for c in exercise_cells)
    assert nb.metadata["exercises"]["assignment"] == "a1_rsct"
    assert nb.metadata["exercises"]["variant"] == kit.the_token(a, "s001")


def test_each_student_gets_their_own_variant_and_the_same_one_every_time(tmp_path):
    a = kit.load_assignment(tmp_path)
    one, again, two = kit.released(a, "s001"), kit.released(a, "s001"), kit.released(a, "s002")
    assert nbformat.writes(one) == nbformat.writes(again)
    s1, s2 = specs(json.loads(nbformat.writes(one))), specs(json.loads(nbformat.writes(two)))
    differ = [i for i in s1 if json.dumps(s1[i]["exercise"]) != json.dumps(s2[i]["exercise"])]
    assert len(differ) >= 4, differ
    orders = {tuple(o["id"] for o in specs(json.loads(nbformat.writes(kit.released(a, s))))["howto_ex1"]["exercise"]["options"])
              for s in ("s001", "s002", "s003")}
    assert len(orders) >= 2
    assert s1["howto_ex1"]["exercise"]["shuffle"] is False  # the widget keeps this student's order
    assert s1["howto_ex1"]["context"] == {"assignment": "t_all", "student": "s001", "variant": kit.the_token(a, "s001")}


def test_params_give_students_different_numbers_derived_from_the_secret_only(tmp_path):
    a = kit.load_assignment(tmp_path)
    prompts = {}
    for s in ("s001", "s002", "s003"):
        spec = specs(json.loads(nbformat.writes(kit.released(a, s))))["tall_ex1"]
        prompts[s] = spec["exercise"]["prompt"]
        assert "{{" not in prompts[s]
    other_secret = {s: specs(json.loads(nbformat.writes(kit.released(a, s, secret=b"another-secret-0123456789"))))[
        "tall_ex1"]["exercise"]["prompt"] for s in ("s001", "s002", "s003")}
    assert len(set(prompts.values()) | set(other_secret.values())) >= 2
    assert prompts != other_secret or len(set(prompts.values())) >= 2


def test_release_writes_one_notebook_per_student_or_one_for_the_class(tmp_path):
    a = kit.load_assignment(tmp_path / "a")
    out = release(assignment=a, out=tmp_path / "out", roster=kit.roster(), secret=kit.SECRET)
    assert [p.path.name for p in out] == ["t_all_s001.ipynb", "t_all_s002.ipynb", "t_all_s003.ipynb"]
    assert [p.variant for p in out] == [kit.the_token(a, s) for s in ("s001", "s002", "s003")]
    single = release(assignment=a, out=tmp_path / "one")
    assert [p.path.name for p in single] == ["t_all.ipynb"] and single[0].variant is None
    assert file_name(a, kit.roster().get("s002")) == "t_all_s002.ipynb"


def test_nothing_beside_the_notebook_is_needed(tmp_path):
    a = kit.load_assignment(tmp_path / "a")
    out = release(assignment=a, out=tmp_path / "out", roster=kit.roster(), secret=kit.SECRET)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(r.path.name for r in out)
    nb = nbformat.read(str(out[0].path), as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    texts = [code[0]] + [t for spec in specs(json.loads(nbformat.writes(nb))).values()
                         for t in (spec["exercise"].get("setup", ""), spec["exercise"].get("starter", ""))]
    modules = {m.group(1).split(".")[0] for t in texts for m in re.finditer(r"^\s*(?:from|import)\s+([\w.]+)", t, re.M)}
    assert modules == {"exercises", "casebook", "pandas"}  # the distribution's two packages and their dependency
    assert "from exercises.handout import exercise, summary" in code[0]


def test_the_secret_comes_from_the_environment_or_the_instructor_config(tmp_path, monkeypatch):
    monkeypatch.delenv("EXERCISES_SECRET", raising=False)
    monkeypatch.delenv("EXERCISES_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert load_secret() is None
    with pytest.raises(SecretError, match="per-student variants need one"):
        load_secret(required=True)
    (tmp_path / "instructor.toml").write_text('secret = "short"\n')
    with pytest.raises(SecretError, match="too short"):
        load_secret()
    (tmp_path / "instructor.toml").write_text('secret = "a-long-enough-instructor-secret"\n')
    assert load_secret() == b"a-long-enough-instructor-secret"
    monkeypatch.setenv("EXERCISES_SECRET", "from-the-environment-0123")
    assert load_secret() == b"from-the-environment-0123"
    with pytest.raises(SecretError, match="no such instructor config"):
        monkeypatch.delenv("EXERCISES_SECRET")
        load_secret(tmp_path / "missing.toml")


@pytest.mark.slow
def test_the_release_command_needs_a_secret_for_a_roster_and_says_so(tmp_path):
    (tmp_path / "roster.csv").write_text(kit.ROSTER)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    cmd = [sys.executable, "-m", "exercises", "release", "a1_rsct", "--out", str(tmp_path / "out"),
           "--roster", str(tmp_path / "roster.csv")]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "no instructor secret" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True,
                          env=dict(env, EXERCISES_SECRET="a-long-enough-instructor-secret"))
    assert proc.returncode == 0, proc.stderr
    assert "3 notebook(s) for 3 students" in proc.stdout
    assert len(list((tmp_path / "out").glob("a1_rsct_s00*.ipynb"))) == 3


GOLDEN = Path(__file__).parent / "goldens" / "release_skeleton.json"


def skeleton(nb) -> dict:
    """The release's own structure: metadata, cell kinds and ids, headings, cell metadata."""
    meta = dict(nb.metadata["exercises"])
    return {"metadata": meta, "kernelspec": dict(nb.metadata["kernelspec"]),
            "header": nb.cells[0].source,
            "cells": [[c.cell_type, c.id, c.source.splitlines()[0], dict(c.metadata)] for c in nb.cells[1:]]}


def test_the_released_notebook_matches_its_golden(tmp_path, update_goldens):
    """Run ``pytest --update-goldens`` to rewrite the golden after an intended change, and review the diff."""
    a = kit.load_assignment(tmp_path)
    got = json.loads(json.dumps(skeleton(kit.released(a, "s002"))))
    if update_goldens:
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert got == json.loads(GOLDEN.read_text("utf-8"))
