"""Every import path and format embedded in released notebooks keeps working: a notebook released
(and answered) with the engine as it was before the re-layout (commit e072a04, the
``tests/fixtures/released_e072a04_*`` file) is graded by today's engine, and runs in a real kernel."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

import gradingkit as kit
from exercises.grading import batch as G
from exercises.grading.gradebook import Gradebook

OLD = Path(__file__).resolve().parent / "fixtures" / "released_e072a04_t_all_s002.ipynb"


def test_a_notebook_released_before_the_relayout_is_graded_full_marks_today(tmp_path):
    a = kit.load_assignment(tmp_path / "assignment")
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(OLD, folder / "s002.ipynb")
    summary = G.grade(assignment=a, submissions=folder, db=tmp_path / "gb.sqlite", roster=kit.roster(),
                      secret=kit.SECRET, progress=False)
    assert summary.status["rejected"] == 0
    with Gradebook(tmp_path / "gb.sqlite") as gb:
        (sub, out), = gb.current(a.name)
    # every answer scores; what the old release cannot prove (no binding to its student) is
    # flagged for a person, never rejected and never zero
    assert out["score"] == 29.0 and out["counts"] == 1
    assert out["status"] in ("graded", "partly graded")
    if out["status"] == "partly graded":
        assert "no release binding" in out["reason"]


@pytest.mark.slow
def test_the_old_notebooks_own_code_still_imports_and_runs(tmp_path):
    """Its locked cells call ``exercises.handout`` (and its exercises' set-up code the book's data)."""
    from nbclient import NotebookClient
    nb = nbformat.read(OLD, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "from exercises.handout import" in code[0].source
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors[0].get("evalue") if errors else ""



def test_every_import_path_embedded_in_artefacts_still_works():
    """Paths that released notebooks, published notebooks, book pages, _config.yml files and
    installed entry points name keep working after the re-layout."""
    import importlib
    expected = {
        "exercises:show": "exercises.views.show", "exercises.handout:exercise": "exercises.handout",
        "exercises.view:show_sealed": "exercises.views.show",  # course-edition notebooks
        "exercises.site:progress_page": "exercises.views.progress",  # book/progress.md before the move
        "exercises.alignment:objectives": "exercises.alignment", "exercises.datasets:load": "casebook.datasets",
        "exercises.sphinx_ext:setup": "exercises.site.assets", "exercises.sphinx_site:setup": "exercises.site.hooks",
        "exercises.record:HideRecordsPlugin": "exercises.records.plugin",  # an older entry point
    }
    for path, home in expected.items():
        module, name = path.split(":")
        got = getattr(importlib.import_module(module), name)
        assert got.__module__ == home, f"{path} is {got.__module__}.{name}, not {home}"
