"""Static checks that run with the suite: ruff (configured in pyproject.toml) and the Python floor."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["exercises", "casebook", "tests", "bench", "scripts"]


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *CHECKED],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_requires_python_admits_no_version_the_code_cannot_run_on():
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    floor = tuple(int(p) for p in re.fullmatch(r">=\s*(\d+)\.(\d+)", spec.strip()).groups())
    uses_tomllib = any(re.search(r"^\s*import tomllib|^\s*from tomllib", p.read_text("utf-8"), re.M)
                       for p in (ROOT / "exercises").rglob("*.py"))
    assert not uses_tomllib or floor >= (3, 11), f"the package imports tomllib (3.11+) but requires-python is {spec!r}"
    assert sys.version_info[:2] >= floor
