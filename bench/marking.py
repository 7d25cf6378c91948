"""Benchmark: the marking app on a class of N written answers (default 1,000), in one run.

    python bench/marking.py [--n 1000] [--loads 200] [--browser 60]

A class of N students, each with one written answer, is released, answered and graded with the
real pipeline (tests/markingkit.py's assignment); the app is served in-process (Flask's test
client, so the figure is the app's own work, not the network's). It times loading response pages
(the page a marker sees after pressing ``n``) and saving a mark, reports p50/p95 in milliseconds and,
as a same-run baseline, the ratio of the p95 page load to one bare ``store.responses`` call (the
floor: reading every answer awaiting marking).

With ``--browser K`` it also marks K responses keyboard-only in Chromium (``/usr/bin/chromium``)
against a real waitress server, as a marker does: a number key for each of the two criteria, then
``n`` for the next response, waiting each time for the app to confirm the save. It reports the
marks per minute the interface sustains (its own latency, no human reading time) and, as the
same-run baseline, the ratio of the browser's time per response to the in-process time of the same
work (one page load and two saves). The last line printed is JSON. Not a test.
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

from exercises.grading import batch as G  # noqa: E402
from exercises.grading.gradebook import Gradebook  # noqa: E402
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


def browser_marking(a, db, k: int) -> dict[str, float]:
    """Mark ``k`` responses keyboard-only in Chromium; seconds per response (median) and in all."""
    import threading

    from playwright.sync_api import sync_playwright
    from waitress import create_server
    server = create_server(create_app(Settings(assignment=a, db=db, marker="Keys", token=TOKEN)),
                           host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    per: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-dev-shm-usage"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.effective_port}/question/1?token={TOKEN}")
            page.wait_for_selector("#response[data-ready='1']")
            start = time.perf_counter()
            for i in range(k):
                t = time.perf_counter()
                page.keyboard.press("3")
                page.wait_for_selector("#response[data-saved='1']")
                page.keyboard.press("2")
                page.wait_for_selector("#response[data-saved='2']")
                page.keyboard.press("n")
                page.wait_for_url(f"**/question/{i + 2}")
                page.wait_for_selector("#response[data-ready='1']")
                per.append(time.perf_counter() - t)
            total = time.perf_counter() - start
            browser.close()
    finally:
        server.close()
    with Gradebook(db) as gb:
        marks = S.current(gb, a)
    done = sum(1 for m in marks.values() if m.get("evidence") and m["evidence"].marker == "Keys")
    assert done >= k, f"only {done} of {k} responses marked in the browser"
    return {"median": statistics.median(per), "p95": pct(per, 95), "total": total}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--loads", type=int, default=200)
    ap.add_argument("--browser", type=int, default=0, help="also mark this many responses keyboard-only in Chromium")
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
        if args.browser:
            # the same work in-process, on the responses the browser will mark: one load, two saves
            inproc = []
            for index in range(args.n - args.browser + 1, args.n + 1):
                t = time.perf_counter()
                r = client.get(f"/question/{index}")
                handle = r.get_data(as_text=True).split('data-response="', 1)[1].split('"', 1)[0]
                for crit, level in (("position", 2), ("evidence", 1)):
                    body = {"response": handle, "exercise": "tall_ex3", "criterion": crit, "level": level}
                    assert client.post("/mark", json=body).status_code == 200
                inproc.append(time.perf_counter() - t)
            keys = browser_marking(a, db, args.browser)
    ms = lambda x: round(1000 * x, 2)  # noqa: E731
    out = {"responses": args.n, "page_load_p50_ms": ms(statistics.median(loads)), "page_load_p95_ms": ms(pct(loads, 95)),
           "save_p50_ms": ms(statistics.median(saves)), "save_p95_ms": ms(pct(saves, 95)),
           "store_responses_ms": ms(statistics.median(floor)),
           "p95_load_over_store_responses": round(pct(loads, 95) / statistics.median(floor), 2)}
    if args.browser:
        out.update({"browser_responses": args.browser, "browser_per_response_p50_ms": ms(keys["median"]),
                    "browser_per_response_p95_ms": ms(keys["p95"]),
                    "marks_per_minute": round(60 * 2 * args.browser / keys["total"], 1),
                    "browser_over_in_process": round(keys["median"] / statistics.median(inproc), 2)})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
