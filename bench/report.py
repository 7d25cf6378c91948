"""Benchmark: the item analysis and class report for a large class.

    python bench/report.py [--n 10000] [--items 40] [--keep DIR]

Builds gradebooks of N/2 and N simulated students (a 2PL item-response model) x ITEMS items
(single choice, and one matching item for partial credit) through the gradebook's own API
(``add_submission``/``add_outcome``, each answer scored by the grader's ``score_exercise``), then
runs ``report`` on each in a child process, so that its time and peak memory are its own.
Linear in students means the ratio of the two times is close to 2.

The last line printed is JSON with ``seconds``, ``peak_rss_mb``, ``seconds_half``, ``ratio``.
Not a test: run it by hand, on an otherwise quiet machine if you want stable figures.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exercises.grading import assignment as A  # noqa: E402
from exercises.grading.scoring import score_exercise  # noqa: E402
from exercises.grading.gradebook import Gradebook, Outcome  # noqa: E402
from exercises.grading.roster import Student  # noqa: E402
from exercises.grading.variants import variant  # noqa: E402

CHILD = """
import json, resource, sys, time
from pathlib import Path
from exercises.grading import assignment as A
from exercises.reports import report
a = A.load(sys.argv[1])
t0 = time.perf_counter()
files = report(assignment=a, db=Path(sys.argv[2]), out=Path(sys.argv[3]))
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "files": len(files)}))
"""


def bank(items: int) -> str:
    out = ["schema_version: 1", "chapter: benchr", "title: Benchmark items", "objectives:",
           "  - {id: benchr_o1, text: First.}", "  - {id: benchr_o2, text: Second.}", "exercises:"]
    for i in range(1, items):
        out += [f"  - id: benchr_ex{i}", "    type: single_choice", f"    title: Item {i}", "    prompt: Pick one.",
                "    points: 1", f"    objectives: [benchr_o{1 + i % 2}]", "    bloom: understand", "    hints: [Think.]",
                "    explanation: Because.", "    options:"]
        out += [f"      - {{id: {o}, text: Option {o}, feedback: {o}.}}" for o in "abcd"]
        out += ["    answer: a"]
    out += [f"  - id: benchr_ex{items}", "    type: matching", f"    title: Item {items}", "    prompt: Match.",
            "    points: 3", "    objectives: [benchr_o1]", "    bloom: apply", "    hints: [Think.]",
            "    explanation: Because.", "    left:"]
    out += [f"      - {{id: l{k}, text: Left {k}}}" for k in (1, 2, 3)] + ["    right:"]
    out += [f"      - {{id: r{k}, text: Right {k}}}" for k in (1, 2, 3)]
    out += ["    answer: {l1: r1, l2: r2, l3: r3}"]
    return "\n".join(out) + "\n"


def make(folder: Path, n: int, items: int, seed: int = 0) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "benchr.bank.yml").write_text(bank(items), "utf-8")
    yml = folder / "benchr.yml"
    yml.write_text("schema_version: 1\nassignment: benchr\ntitle: Benchmark report\ndefaults:\n  feedback: none\n"
                   "exercises:\n" + "".join(f"  - id: benchr_ex{i}\n" for i in range(1, items + 1)), "utf-8")
    a = A.load(yml)
    var = variant(a, None, None)
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n)
    b = np.linspace(-1.5, 1.5, items)
    right = rng.random((n, items)) < 1 / (1 + np.exp(-1.5 * (theta[:, None] - b)))
    wrong = rng.choice(["b", "c", "d"], size=(n, items))
    db = folder / "gradebook.sqlite"
    with Gradebook(db) as gb:
        gb.add_students([Student(id=f"s{i:06d}", name=f"Student {i}") for i in range(n)])
        run = gb.new_run(a.name, "grade", a.fingerprint, "bench")
        for i in range(n):
            sid = f"s{i:06d}"
            rows = []
            for j, item in enumerate(a.items):
                if item.id == f"benchr_ex{items}":
                    answer = {f"l{k}": f"r{k}" if rng.random() < 1 / (1 + np.exp(-theta[i])) else "r1" if k != 1 else "r2"
                              for k in (1, 2, 3)}
                else:
                    answer = "a" if right[i, j] else str(wrong[i, j])
                rows.append(score_exercise(a, item, var, {"answer": answer, "attempts": 1}))
            sub = gb.add_submission(assignment=a.name, file=f"{sid}.ipynb", sha256=f"{i:064d}", size=1, run=run,
                                    mtime=None, lms={}, nb={"assignment": a.name, "student": sid}, records=[],
                                    record_notes=[], read_problem=None)
            score = round(sum(r.score for r in rows), 6)
            gb.add_outcome(sub, run, a.fingerprint, Outcome("graded", "bench", score, a.total_points, sid, (),
                                                            tuple(rows), counts=True, variant="*"))
            if i % 1000 == 999:
                gb.commit()
    return yml, db


def timed(yml: Path, db: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(yml), str(db), str(out)], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    if proc.returncode:
        sys.exit(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=40)
    ap.add_argument("--keep", type=Path, help="keep the gradebooks and reports in this folder")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    results = {}
    for label, n in (("half", args.n // 2), ("full", args.n)):
        t0 = time.perf_counter()
        yml, db = make(base / label, n, args.items)
        print(f"{label}: gradebook of {n} students x {args.items} items built in {time.perf_counter() - t0:.1f} s")
        results[label] = timed(yml, db, base / label / "report")
        print(f"{label}: report in {results[label]['seconds']:.2f} s, peak RSS {results[label]['peak_rss_mb']:.0f} MB")
    ratio = results["full"]["seconds"] / results["half"]["seconds"]
    print(f"time ratio for twice the students: {ratio:.2f} (2.0 is linear)")
    print(json.dumps({"students": args.n, "items": args.items, "seconds": round(results["full"]["seconds"], 3),
                      "peak_rss_mb": round(results["full"]["peak_rss_mb"], 1),
                      "seconds_half": round(results["half"]["seconds"], 3), "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
