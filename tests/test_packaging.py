"""A live notebook needs only `pip install` of this repository: the wheel carries everything."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_bank_schema_assets_and_data(tmp_path):
    src = tmp_path / "src"  # a clean copy: a stale build/ folder in the work tree must not leak into the wheel
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "build", "node_modules", "__pycache__", "*.egg-info"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"exercises/bank/{p.name}" for p in (ROOT / "exercises" / "bank").glob("*.yml")}
    expected |= {f"exercises/assets/{p.name}" for p in (ROOT / "exercises" / "assets").iterdir()}
    expected |= {f"casebook/data/{p.name}" for p in (ROOT / "book" / "data").glob("*.csv")}
    expected |= {f"casebook/{p.relative_to(ROOT / 'casebook').as_posix()}" for p in (ROOT / "casebook").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts and "data" not in p.parts}
    expected |= {"exercises/schema/bank.schema.v1.json", "exercises/site/__init__.py", "exercises/site/assets.py"}
    expected |= {f"exercises/{p.relative_to(ROOT / 'exercises').as_posix()}" for p in (ROOT / "exercises").rglob("*")
                 if p.is_file() and p.suffix in (".html", ".j2", ".jinja", ".py", ".yml", ".css")
                 and "__pycache__" not in p.parts and "assignments" not in p.parts}
    missing = sorted(e for e in expected if e not in names and not any(n.startswith(e + "/") for n in names))
    assert not missing, f"not in the wheel: {missing}"


def test_wheel_students_install_carries_no_assignment_or_private_bank(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "build", "node_modules", "__pycache__", "*.egg-info"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    assert not [n for n in names if n.startswith(("exercises/assignments/", "examples/")) or n.endswith(".bank.yml")]
