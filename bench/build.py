"""Build-time benchmark for the course site (run: ``.venv/bin/python bench/build.py``).

In a temporary copy of the repository (so that it disturbs nobody's build), it times:

1. a clean build, with every notebook executed;
2. a rebuild with nothing changed;
3. a rebuild after editing one page (a code cell appended to it), then restores the page;

and measures the largest page weight (the HTML plus every file of the site it loads: scripts,
stylesheets, images; not what MathJax or fonts fetch on demand). It also counts the notebooks each
build executed, read from the build log, which shows whether one edit re-executed other pages.

Goal: the no-change rebuild takes at most 10% and the one-page edit at most 25% of the clean
build. The last line printed is JSON with every figure.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from exercises.site import builds, pages  # noqa: E402
from site_helpers import html_pages, is_remote, local_target, page_refs  # noqa: E402

SKIP = {".venv", "_build", "node_modules", ".git", ".jupyter_cache", ".pytest_cache", "__pycache__",
        ".hypothesis", "build", "dist"}
EXECUTED = re.compile(r"^(\S+\.(?:md|ipynb)): Executing notebook", re.MULTILINE)


def copy_repo(dest: Path) -> Path:
    repo = dest / "repo"
    shutil.copytree(ROOT, repo, ignore=lambda d, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
    if (ROOT / "node_modules").exists():
        (repo / "node_modules").symlink_to(ROOT / "node_modules")
    return repo


def build(repo: Path, out: Path) -> dict:
    jb = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    proc = subprocess.run([str(jb), "build", str(repo), "--path-output", str(out), "-W", "-n", "--keep-going"],
                          cwd=repo, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    executed = sorted({Path(p).relative_to(repo).as_posix() for p in EXECUTED.findall(log)})
    return {"seconds": round(seconds, 2), "ok": proc.returncode == 0, "executed": executed, "log": log}


def page_to_edit(repo: Path, wanted: str | None) -> Path:
    if wanted:
        return repo / wanted
    best, best_cells = None, -1
    for doc in builds.toc_docnames(builds.read_toc(repo / "_toc.yml")):
        path = pages.source_path(repo, doc)
        if path is None or path.suffix != ".md":
            continue
        cells = path.read_text("utf-8").count("```{code-cell}")
        if cells > best_cells:
            best, best_cells = path, cells
    assert best is not None, "no notebook page in the table of contents"
    return best


def page_weight(site: Path, page: Path) -> int:
    total = page.stat().st_size
    seen = set()
    for url in page_refs(page).loads:
        if is_remote(url):
            continue
        target = local_target(page, url, site)
        if target and target[0].is_file() and target[0] not in seen:
            seen.add(target[0])
            total += target[0].stat().st_size
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", help="the page to edit, relative to the repository (default: the notebook "
                                       "page with the most code cells)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and print where it is")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        repo = copy_repo(tmp)
        out = tmp / "out"
        print(f"building a copy of the repository in {repo}", flush=True)
        clean = build(repo, out)
        print(f"clean build:        {clean['seconds']:8.1f} s  ok={clean['ok']}  executed {len(clean['executed'])} notebooks", flush=True)
        nochange = build(repo, out)
        print(f"no-change rebuild:  {nochange['seconds']:8.1f} s  ok={nochange['ok']}  executed {len(nochange['executed'])}", flush=True)

        page = page_to_edit(repo, args.page)
        original = page.read_text("utf-8")
        page.write_text(original.rstrip("\n") + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
                        "benchmark_edit = 1 + 1\n```\n", "utf-8")
        edit = build(repo, out)
        page.write_text(original, "utf-8")
        rel = page.relative_to(repo).as_posix()
        print(f"one-page edit ({rel}): {edit['seconds']:6.1f} s  ok={edit['ok']}  executed {edit['executed']}", flush=True)

        site = out / "_build" / "html"
        weights = {p.relative_to(site).as_posix(): page_weight(site, p) for p in html_pages(site)}
        largest = max(weights, key=weights.get)
        html_sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in html_pages(site)}
        largest_html = max(html_sizes, key=html_sizes.get)
        print(f"largest page weight: {largest} {weights[largest] / 1024:.0f} KiB "
              f"(largest HTML: {largest_html} {html_sizes[largest_html] / 1024:.0f} KiB)")
        if not all(b["ok"] for b in (clean, nochange, edit)):
            failed = next(b for b in (clean, nochange, edit) if not b["ok"])
            print("a build reported problems (figures still measured); the end of its log:\n" + failed["log"][-3000:])

        result = {
            "clean_build_s": clean["seconds"],
            "nochange_rebuild_s": nochange["seconds"],
            "one_page_edit_rebuild_s": edit["seconds"],
            "nochange_ratio": round(nochange["seconds"] / clean["seconds"], 3),
            "one_page_edit_ratio": round(edit["seconds"] / clean["seconds"], 3),
            "goal_nochange_le_0.10": nochange["seconds"] <= 0.10 * clean["seconds"],
            "goal_one_page_le_0.25": edit["seconds"] <= 0.25 * clean["seconds"],
            "notebooks_executed": {"clean": len(clean["executed"]), "nochange": len(nochange["executed"]),
                                   "one_page_edit": edit["executed"]},
            "edited_page": rel,
            "pages": len(weights),
            "largest_page": largest,
            "largest_page_weight_bytes": weights[largest],
            "largest_html": largest_html,
            "largest_html_bytes": html_sizes[largest_html],
            "builds_ok": [clean["ok"], nochange["ok"], edit["ok"]],
        }
        print(json.dumps(result))
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
