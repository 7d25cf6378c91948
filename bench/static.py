"""Benchmark of the static view in Chromium: time from a click on Check to rendered feedback.

For each of the ten types of exercises/bank/howto.yml, a standalone page (static.page and the
real assets) is opened in headless Chromium; a representative answer is set, then Check is clicked
N times. Each sample is measured in the page: performance.now() before the click, and after the
click handler has run and the feedback has been laid out (a forced layout read), i.e. checking,
decrypting, DOM update, style and layout; painting is left to the browser. Prints a table of
p50/p95 per type, the size of exercises.js and exercises.css (raw and gzipped), and a last line of
JSON.

    .venv/bin/python bench/static.py [--clicks 200] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from exercises import bank as bank_mod
from exercises.views import static

# a representative (partly wrong where possible) answer per exercise, as the page's controls hold it
ANSWERS = {
    "howto_ex1": "document.querySelector('#howto_ex1-opt-wendt').checked = true",
    "howto_ex2": "['umbrella','governs'].forEach(i => document.querySelector('#howto_ex2-opt-' + i).checked = true)",
    "howto_ex3": "document.querySelector('#howto_ex3-value').value = '74'",
    "howto_ex4": "document.querySelector('#howto_ex4-value').value = ' Wendt '",
    "howto_ex5": "",  # the starting order
    "howto_ex6": "document.querySelector('#howto_ex6-part-anarchy').value = 'wendt';"
                 "document.querySelector('#howto_ex6-part-framework').value = 'bw'",
    "howto_ex7": "['pakistan','ttp','iskp','iran'].forEach(i => document.querySelector('#howto_ex7-part-' + i).value = 'state')",
    "howto_ex8": "document.querySelector('#howto_ex8-part-referent').value = 'crossings'",
    "howto_ex9": "document.querySelector('#howto_ex9-part-tal--ttp').value = 'enmity'",
    "howto_ex10": "document.querySelector('#howto_ex10-value').value = '12'",
}

MEASURE = """async ([id, n]) => {
  const root = document.getElementById(id), button = root.querySelector('.exercise-check');
  const feedback = document.getElementById(id + '-feedback'), times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    button.click();
    void feedback.offsetHeight;  // force style and layout of the new feedback
    times.push(performance.now() - t0);
    if (i % 20 === 19) await new Promise((r) => setTimeout(r, 0));
  }
  return times;
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def asset_sizes() -> dict[str, int]:
    out = {}
    for name in ("exercises.js", "exercises.css"):
        raw = (Path(str(static.assets_dir())) / name).read_bytes()
        out[name] = len(raw)
        out[name + ".gz"] = len(gzip.compress(raw, 9))
    out["total"] = out["exercises.js"] + out["exercises.css"]
    out["total.gz"] = out["exercises.js.gz"] + out["exercises.css.gz"]
    return out


def run(clicks: int, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright
    found, problems = bank_mod.validate(files=[bank_mod.default_bank_dir() / "howto.yml"])
    if problems:
        sys.exit("howto.yml has problems:\n" + "\n".join(map(str, problems)))
    exercises = list(found.exercises.values())
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        for name in ("exercises.js", "exercises.css"):
            shutil.copy(Path(str(static.assets_dir())) / name, folder / name)
        (folder / "bench.html").write_text(static.page(exercises, mode="study", title="bench"), "utf-8")
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((folder / "bench.html").as_uri())
        page.wait_for_selector(".exercise-check:not([disabled])")
        for ex in exercises:
            if ANSWERS[ex.id]:
                page.evaluate(f"() => {{ {ANSWERS[ex.id]}; }}")
            page.evaluate(MEASURE, [ex.id, 10])  # warm-up
            times = page.evaluate(MEASURE, [ex.id, clicks])
            results[ex.type] = {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(percentile(times, 0.95), 3),
                                "max_ms": round(max(times), 3), "clicks": clicks,
                                "feedback": page.inner_text(f"#{ex.id}-feedback").split("\n")[0]}
        browser.close()
    if errors:
        sys.exit("page errors: " + "; ".join(errors))
    return {"chromium": chromium, "types": results, "assets_bytes": asset_sizes(),
            "worst_p95_ms": max(r["p95_ms"] for r in results.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=200)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    report = run(args.clicks, args.chromium)
    print(f"{'type':<18}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  first line of feedback")
    for kind, r in report["types"].items():
        print(f"{kind:<18}{r['p50_ms']:>9.3f}{r['p95_ms']:>9.3f}{r['max_ms']:>9.3f}  {r['feedback'][:40]}")
    sizes = report["assets_bytes"]
    print(f"exercises.js {sizes['exercises.js']} B ({sizes['exercises.js.gz']} B gzipped), "
          f"exercises.css {sizes['exercises.css']} B ({sizes['exercises.css.gz']} B gzipped), "
          f"total {sizes['total']} B ({sizes['total.gz']} B gzipped)")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
