"""Benchmark: the marking app on a class of N written answers (default 1,000), in one run.

    python bench/marking.py [--n 1000] [--loads 200]

A class of N students, each with one written answer, is released, answered and graded with the
real pipeline (tests/markingkit.py's assignment); the app is served in-process (Flask's test
client, so the figure is the app's own work, not the network's). It times loading response pages
(the page a marker sees after pressing ``n``) and saving a mark, reports p50/p95 in milliseconds and,
as a same-run baseline, the ratio of the p95 page load to one bare ``store.responses`` call (the
floor: reading every answer awaiting marking). The last line printed is JSON. Not a test.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import gradingkit as K  # noqa: E402
import markingkit as MK  # noqa: E402

from exercises import grade as G  # noqa: E402
from exercises.gradebook import Gradebook  # noqa: E402
from exercises.marking import store as S  # noqa: E402
from exercises.marking.app import Settings, create_app  # noqa: E402

TOKEN = "bench"


def make_class(work: Path, n: int):
    ids = [f"b{i:05d}" for i in range(n)]
    roster = K.roster("id,name,email\n" + "".join(f"{s},Student {s},{s}@example.edu\n" for s in ids))
    a = K.load_assignment(work / "a", MK.ASSIGNMENT, MK.BANK)
    subs = work / "subs"
    for i, sid in enumerate(ids):
        nb = K.released(a, sid, roster_=roster)
        answers = K.all_right(a, sid)
        answers["tall_ex3"] = {"text": f"Answer {i}: Afghanistan is part of the complex; the border closed in 2025."}
        K.save(K.answer_notebook(nb, answers), subs / f"{sid}.ipynb")
    db = work / "gradebook.sqlite"
    G.grade(assignment=a, submissions=subs, db=db, roster=roster, secret=K.SECRET, progress=False)
    return a, db


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--loads", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        a, db = make_class(Path(tmp), args.n)
        print(f"class of {args.n} graded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        client = create_app(Settings(assignment=a, db=db, marker="Bench", token=TOKEN)).test_client()
        assert client.get(f"/?token={TOKEN}").status_code == 302
        with Gradebook(db) as gb:
            floor = []
            for _ in range(20):
                t = time.perf_counter()
                rs = S.responses(gb, a)
                floor.append(time.perf_counter() - t)
        assert len(rs) == args.n, f"{len(rs)} responses, expected {args.n}"
        loads, saves = [], []
        for i in range(args.loads):
            index = 1 + (i * 7919) % args.n
            t = time.perf_counter()
            r = client.get(f"/question/{index}")
            loads.append(time.perf_counter() - t)
            assert r.status_code == 200
            handle = r.get_data(as_text=True).split('data-response="', 1)[1].split('"', 1)[0]
            t = time.perf_counter()
            r = client.post("/mark", json={"response": handle, "exercise": "tall_ex3", "criterion": "position",
                                           "level": 2, "comment": "Clear position."})
            saves.append(time.perf_counter() - t)
            assert r.status_code == 200, r.get_json()
    ms = lambda x: round(1000 * x, 2)  # noqa: E731
    out = {"responses": args.n, "page_load_p50_ms": ms(statistics.median(loads)), "page_load_p95_ms": ms(pct(loads, 95)),
           "save_p50_ms": ms(statistics.median(saves)), "save_p95_ms": ms(pct(saves, 95)),
           "store_responses_ms": ms(statistics.median(floor)),
           "p95_load_over_store_responses": round(pct(loads, 95) / statistics.median(floor), 2)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
