"""Benchmark: grading a class with our grader, against nbgrader's batch autograde, in one run.

    python bench/grading.py [--n 1000] [--nbgrader-n 20] [--cache DIR] [--skip-nbgrader]

- **Ours**: a 10-exercise assignment (the bank's reference exercises, one of each type) released
  as a class notebook; N and 10 N synthetic submissions with Canvas download names and a mix of
  right and wrong recorded answers; each batch graded into a fresh gradebook in a child process
  (so its peak memory is its own). Every total is checked against the expected one.
- **nbgrader**: installed by this script into its own virtual environment under the cache folder
  (default ``~/.cache/exercises-bench``); an equivalent 10-question assignment (one answer cell
  and one autograded test cell per question), 20 submissions, timed ``nbgrader autograde``.

The last line printed is JSON with ``per_submission_s``, ``nbgrader_per_submission_s``,
``speedup_vs_nbgrader``, ``peak_rss_mb``, ``seconds_n``, ``seconds_10n``, ``junk_records_seconds``
(one hostile notebook with 60,000 junk record outputs) and more. Not a test:
run it by hand, on an otherwise quiet machine if you want stable figures.
"""
from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBGRADER = "nbgrader==0.9.6"

ASSIGNMENT = """\
schema_version: 1
assignment: bench10
title: "Benchmark: ten exercises, one of each type"
due: 2026-10-16T23:59:00Z
defaults:
  feedback: none
exercises:
""" + "".join(f"  - id: howto_ex{i}\n" for i in range(1, 11))

CHILD = """
import json, resource, sys, time
from pathlib import Path
from exercises.grading import assignment as A
from exercises.grading.batch import grade
from exercises.grading.gradebook import Gradebook
from exercises.grading.roster import load
a = A.load(sys.argv[1])
roster = load(sys.argv[3])
t0 = time.perf_counter()
summary = grade(assignment=a, submissions=Path(sys.argv[2]), db=Path(sys.argv[4]), roster=roster, progress=False)
seconds = time.perf_counter() - t0
expected = json.loads(Path(sys.argv[5]).read_text())
wrong = 0
with Gradebook(sys.argv[4]) as gb:
    for sub, out in gb.current(a.name):
        if abs(out["score"] - expected[sub["file"]]) > 1e-6:
            wrong += 1
print(json.dumps({"seconds": seconds, "files": summary.files, "graded": summary.status["graded"],
                  "wrong_totals": wrong, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# --- ours -------------------------------------------------------------------------------------------

def make_ours(work: Path, n_total: int, seed: int = 7) -> tuple[Path, Path, dict[str, float]]:
    """The assignment file, the roster, and {file name: expected total} for n_total submissions."""
    sys.path.insert(0, str(ROOT))
    from exercises.grading import assignment as A
    from exercises.records import format as rec_format
    from exercises.checking import check, key_answer
    from exercises.grading.release import notebook
    from exercises.grading.variants import variant
    import nbformat

    (work / "bench10.yml").write_text(ASSIGNMENT, "utf-8")
    a = A.load(work / "bench10.yml")
    nb = json.loads(nbformat.writes(notebook(a, variant(a, None, None), None)))
    wrong = {
        "howto_ex1": "wendt", "howto_ex2": ["governs", "state"], "howto_ex3": 74, "howto_ex4": "Wendt",
        "howto_ex5": ["kabul2021", "ttp", "kabul1996", "durand"],
        "howto_ex6": {"anarchy": "bw", "regions": "bw", "framework": "bwd"},
        "howto_ex7": {"pakistan": "state", "ttp": "state", "iskp": "nonstate", "iran": "state"},
        "howto_ex8": {"actor": "parliament", "referent": "state", "audience": "parliament"},
        "howto_ex9": {"pak/ttp": "amity", "tal/ttp": "amity", "iskp/tal": "enmity"},
        "howto_ex10": {"code": "n_events = 3", "value": 3},
    }
    choices = {}
    for it in a.items:
        ex = a.exercise(it.id)
        options = []
        for answer in (key_answer(ex), wrong[it.id]):
            record = rec_format.make_record(it.id, answer, 1, time="2026-10-10T10:00:00Z", assignment=a.name)
            output = json.loads(nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
                outputs=[rec_format.record_output(record)])])))["cells"][0]["outputs"]
            options.append((output, check(ex, answer).score))
        choices[it.id] = options
    cells = nb["cells"]
    index = {c.get("metadata", {}).get("exercises", {}).get("exercise"): i for i, c in enumerate(cells)}
    rng = random.Random(seed)
    folder = work / "all"
    folder.mkdir()
    expected = {}
    with open(work / "roster.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "canvas_id"])
        for k in range(n_total):
            w.writerow([f"s{k:05d}", f"Student {k}", str(100000 + k)])
    for k in range(n_total):
        doc = dict(nb)
        doc["cells"] = list(cells)
        total = 0.0
        for ex_id, options in choices.items():
            output, score = options[0] if rng.random() < 0.6 else options[1]
            cell = dict(cells[index[ex_id]])
            cell["outputs"] = output
            doc["cells"][index[ex_id]] = cell
            total += score
        name = f"student{k}_{100000 + k}_{500000 + k}_bench10.ipynb"
        (folder / name).write_text(json.dumps(doc, indent=1, ensure_ascii=False), "utf-8")
        expected[name] = total
    return work / "bench10.yml", work / "roster.csv", expected


JUNK_RECORDS = 60_000


def make_junk(work: Path, assignment: Path, n_junk: int = JUNK_RECORDS) -> tuple[Path, Path]:
    """One class notebook with ``n_junk`` junk record outputs (about 6 MB): a hostile file that a
    quadratic reader took minutes on. Returns (folder, expected totals)."""
    sys.path.insert(0, str(ROOT))
    from exercises.grading import assignment as A
    from exercises.records import format as rec_format
    from exercises.grading.release import notebook
    from exercises.grading.variants import variant
    import nbformat

    a = A.load(assignment)
    nb = json.loads(nbformat.writes(notebook(a, variant(a, None, None), None)))
    junk = {"output_type": "display_data", "metadata": {},
            "data": {rec_format.RECORD_MIME: {"format": "junk"}, "text/plain": "x"}}
    nb["cells"].append({"cell_type": "code", "id": "junk", "metadata": {}, "source": "", "execution_count": None,
                        "outputs": [junk] * n_junk})
    folder = work / "junk"
    folder.mkdir()
    name = "student0_100000_500000_bench10.ipynb"
    (folder / name).write_text(json.dumps(nb), "utf-8")
    (work / "junk.expected.json").write_text(json.dumps({name: 0.0}))
    return folder, work / "junk.expected.json"


def run_ours(work: Path, assignment: Path, roster: Path, expected: dict[str, float], n: int, label: str) -> dict:
    folder = work / label
    folder.mkdir()
    names = sorted(expected)[:n]
    for name in names:
        os.link(work / "all" / name, folder / name)
    (work / f"{label}.expected.json").write_text(json.dumps({k: expected[k] for k in names}))
    return run_child(work, assignment, folder, roster, work / f"{label}.sqlite", work / f"{label}.expected.json")


def run_child(work: Path, assignment: Path, folder: Path, roster: Path, db: Path, expected: Path) -> dict:
    """Grade ``folder`` into a fresh gradebook in a child process (its peak memory is its own)."""
    proc = subprocess.run([sys.executable, "-c", CHILD, str(assignment), str(folder), str(roster), str(db),
                           str(expected)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"our grader failed on {folder.name}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- nbgrader ---------------------------------------------------------------------------------------

def nbgrader_env(cache: Path) -> Path:
    venv = cache / NBGRADER.replace("==", "-")
    marker = venv / ".installed"
    if not marker.exists():
        log(f"installing {NBGRADER} into {venv} (once) ...")
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", NBGRADER, "ipykernel"], check=True)
        marker.write_text(NBGRADER)
    return venv


QUESTIONS = [  # (solution, test, a wrong answer): ten small questions like ours
    ('answer_1 = "rsct"', 'assert answer_1 == "rsct"', 'answer_1 = "wendt"'),
    ('answer_2 = {"umbrella", "state"}', 'assert answer_2 == {"umbrella", "state"}', 'answer_2 = {"governs"}'),
    ("answer_3 = 2021 - 1893", "assert abs(answer_3 - 128) <= 1", "answer_3 = 74"),
    ('answer_4 = "Waever"', 'assert answer_4.lower().replace("æ", "ae") == "waever"', 'answer_4 = "Wendt"'),
    ('answer_5 = ["durand", "kabul1996", "ttp", "kabul2021"]', 'assert answer_5 == ["durand", "kabul1996", "ttp", "kabul2021"]',
     'answer_5 = ["ttp", "durand", "kabul1996", "kabul2021"]'),
    ('answer_6 = {"anarchy": "wendt", "regions": "bw"}', 'assert answer_6 == {"anarchy": "wendt", "regions": "bw"}',
     'answer_6 = {"anarchy": "bw", "regions": "bw"}'),
    ('answer_7 = {"pakistan": "state", "ttp": "nonstate"}', 'assert answer_7 == {"pakistan": "state", "ttp": "nonstate"}',
     'answer_7 = {"pakistan": "state", "ttp": "state"}'),
    ('answer_8 = ("minister", "state", "parliament")', 'assert answer_8 == ("minister", "state", "parliament")',
     'answer_8 = ("parliament", "state", "parliament")'),
    ('answer_9 = {("pak", "ttp"): "enmity"}', 'assert answer_9 == {("pak", "ttp"): "enmity"}', 'answer_9 = {("pak", "ttp"): "amity"}'),
    ("events = ['2025-01', '2025-02', '2024-05']\nanswer_10 = sum(e.startswith('2025') for e in events)",
     "assert answer_10 == 2", "answer_10 = 3"),
]


def make_nbgrader(course: Path, n: int, seed: int = 7) -> None:
    import nbformat
    from nbformat import v4
    cells = [v4.new_markdown_cell("# Benchmark: ten questions")]
    for i, (solution, test, _) in enumerate(QUESTIONS, 1):
        answer = v4.new_code_cell(f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION")
        answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": f"q{i}",
                                       "schema_version": 3}
        check = v4.new_code_cell(test)
        check.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1,
                                      "grade_id": f"q{i}_test", "schema_version": 3}
        cells += [answer, check]
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
    (course / "source" / "ps1").mkdir(parents=True)
    nbformat.write(nb, str(course / "source" / "ps1" / "ps1.ipynb"))
    (course / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
        c = get_config()
        c.CourseDirectory.root = {str(course)!r}
        c.CourseDirectory.course_id = "bench"
        c.CourseDirectory.db_url = "sqlite:///{course / 'gradebook.db'}"
        c.Exchange.root = {str(course / 'exchange')!r}
        """))
    rng = random.Random(seed)
    for k in range(n):
        student = course / "submitted" / f"student{k:03d}" / "ps1"
        student.mkdir(parents=True)
        sub = copy.deepcopy(nb)
        q = 0
        for cell in sub.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                solution, _, wrong = QUESTIONS[q]
                cell.source = solution if rng.random() < 0.6 else wrong
                q += 1
        nbformat.write(sub, str(student / "ps1.ipynb"))
        (student / "timestamp.txt").write_text("2026-10-10 10:00:00.000000 UTC")


def run_nbgrader(venv: Path, course: Path, n: int) -> float:
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(course / ".jupyter"), JUPYTER_DATA_DIR=str(course / ".data"),
               PATH=f"{venv / 'bin'}:{os.environ.get('PATH', '')}")
    env.pop("VIRTUAL_ENV", None)
    nbg = str(venv / "bin" / "nbgrader")
    subprocess.run([nbg, "generate_assignment", "ps1", "--force", "--CourseDirectory.root=" + str(course)],
                   cwd=course, env=env, check=True, capture_output=True)
    t0 = time.perf_counter()
    proc = subprocess.run([nbg, "autograde", "ps1", "--create", "--force", "--CourseDirectory.root=" + str(course)],
                          cwd=course, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    graded = list((course / "autograded").glob("*/ps1/ps1.ipynb"))
    if proc.returncode != 0 or len(graded) != n:
        raise SystemExit(f"nbgrader autograde failed ({len(graded)} of {n} graded):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return seconds


# --- main ---------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions for our grader (and 10 n)")
    parser.add_argument("--nbgrader-n", type=int, default=20, help="submissions for nbgrader")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "exercises-bench")
    parser.add_argument("--skip-nbgrader", action="store_true", help="only our grader (no nbgrader figures)")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        work = Path(tmp)
        log(f"making {10 * args.n} synthetic submissions ...")
        t0 = time.perf_counter()
        assignment, roster, expected = make_ours(work, 10 * args.n)
        log(f"  made in {time.perf_counter() - t0:.1f} s")
        small = run_ours(work, assignment, roster, expected, args.n, "n")
        log(f"ours, N = {args.n}: {small['seconds']:.2f} s, peak {small['peak_rss_mb']:.0f} MB, {small['wrong_totals']} wrong totals")
        big = run_ours(work, assignment, roster, expected, 10 * args.n, "n10")
        log(f"ours, 10 N = {10 * args.n}: {big['seconds']:.2f} s, peak {big['peak_rss_mb']:.0f} MB, {big['wrong_totals']} wrong totals")
        folder, junk_expected = make_junk(work, assignment)
        junk = run_child(work, assignment, folder, roster, work / "junk.sqlite", junk_expected)
        log(f"ours, one notebook with {JUNK_RECORDS} junk record outputs: {junk['seconds']:.2f} s")
        result = {
            "junk_records": JUNK_RECORDS, "junk_records_seconds": round(junk["seconds"], 3),
            "n": args.n, "seconds_n": round(small["seconds"], 3), "seconds_10n": round(big["seconds"], 3),
            "per_submission_s": round(small["seconds"] / args.n, 6),
            "per_submission_10n_s": round(big["seconds"] / (10 * args.n), 6),
            "linearity_10n_over_10x_n": round(big["seconds"] / (10 * small["seconds"]), 3),
            "peak_rss_mb": round(max(small["peak_rss_mb"], big["peak_rss_mb"]), 1),
            "peak_rss_mb_n": round(small["peak_rss_mb"], 1), "peak_rss_mb_10n": round(big["peak_rss_mb"], 1),
            "wrong_totals": small["wrong_totals"] + big["wrong_totals"],
        }
        if not args.skip_nbgrader:
            venv = nbgrader_env(args.cache)
            course = work / "nbgrader"
            make_nbgrader(course, args.nbgrader_n)
            seconds = run_nbgrader(venv, course, args.nbgrader_n)
            per = seconds / args.nbgrader_n
            log(f"nbgrader autograde, {args.nbgrader_n} submissions: {seconds:.1f} s ({per:.2f} s each)")
            result.update({"nbgrader": NBGRADER, "nbgrader_n": args.nbgrader_n, "nbgrader_seconds": round(seconds, 2),
                           "nbgrader_per_submission_s": round(per, 4),
                           "speedup_vs_nbgrader": round(per / result["per_submission_s"], 1)})
        print(json.dumps(result))


if __name__ == "__main__":
    main()
