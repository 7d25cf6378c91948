"""Answer records in a REAL kernel (the venv's python3 through nbclient / jupyter_client).

A notebook shows the ten reference exercises, later cells answer them through the widget API, the
notebook is saved with nbformat and the records are looked for in the saved ``.ipynb``, in each
exercise's own cell. Then the saved notebook runs again in a fresh kernel without answering (a
restart), from the journal or from the notebook file, and one cell is re-run in the same kernel:
the records must still be there. A last test clicks the Check button the way a front end does, with
comm messages, and watches the kernel update the record output by its ``display_id``.
"""
from __future__ import annotations

import json
import shutil
import sys
from importlib import resources
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import v4

from exercises.records import format as rec_format, keeper as rec_keeper, scan as rec_scan

JOURNAL = rec_keeper.JOURNAL_NAME
CODE_ANSWER = "n_events = int(timeline['date'].str.startswith('2025').sum())"
ANSWERS = {
    "howto_ex1": "rsct",
    "howto_ex2": ["state", "umbrella"],
    "howto_ex3": 128,
    "howto_ex4": "Ole Wæver",
    "howto_ex5": ["durand", "kabul1996", "ttp", "kabul2021"],
    "howto_ex6": {"anarchy": "wendt", "regions": "bw", "framework": "bwd"},
    "howto_ex7": {"pakistan": "state", "ttp": "nonstate", "iskp": "nonstate", "iran": "state"},
    "howto_ex8": {"actor": "minister", "referent": "state"},
    "howto_ex9": {"pak/ttp": "enmity", "tal/ttp": "amity", "iskp/tal": "enmity"},
}
IDS = [f"howto_ex{n}" for n in range(1, 11)]
#: howto_ex1 is answered wrong first, so its record must say attempt 2
ATTEMPTS = {ex_id: 1 for ex_id in IDS} | {"howto_ex1": 2}


@pytest.fixture(scope="module", autouse=True)
def kernel_environment(tmp_path_factory):
    """A bank of the reference chapter only (other chapters may be mid-edit), and none of the
    variables that change where records go. Kernels inherit this environment."""
    bank_dir = tmp_path_factory.mktemp("bank")
    shutil.copy(resources.files("exercises") / "bank" / "howto.yml", bank_dir / "howto.yml")
    shutil.copy(Path(__file__).parent / "fixtures" / "written" / "writ.yml", bank_dir / "writ.yml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXERCISES_BANK_DIR", str(bank_dir))
        for name in ("JPY_SESSION_NAME", "EXERCISES_JOURNAL", "EXERCISES_STATIC_BUILD", "EXERCISES_BUILD"):
            mp.delenv(name, raising=False)
        yield


@pytest.fixture
def workdir(tmp_path):
    """A folder for the notebook and its journal (the kernel's working directory)."""
    return tmp_path


@pytest.fixture(scope="module")
def answered(tmp_path_factory) -> Path:
    """A notebook answered through the widgets in a real kernel and saved, once per module:
    ``answers.ipynb`` and the journal the kernel wrote beside it."""
    folder = tmp_path_factory.mktemp("answered")
    nb = run(notebook(exercise_cells() + answer_cells()), folder)
    nbformat.write(nb, folder / "answers.ipynb")
    return folder


def copy_of(answered: Path, workdir: Path, *, journal: bool) -> Path:
    shutil.copy(answered / "answers.ipynb", workdir / "answers.ipynb")
    if journal:
        shutil.copy(answered / JOURNAL, workdir / JOURNAL)
    return workdir / "answers.ipynb"


def exercise_cells() -> list:
    cells = [v4.new_code_cell("import sys\nfrom exercises import show\nprint(sys.executable)")]
    cells += [v4.new_code_cell(f'v{n} = show("howto_ex{n}")\nv{n}') for n in range(1, 11)]
    return cells


def answer_cells() -> list:
    cells = [v4.new_code_cell('v1.widget.set_answer("wendt"); _ = v1.widget.check()')]
    for n, ex_id in enumerate(IDS[:9], start=1):
        cells.append(v4.new_code_cell(f"v{n}.widget.set_answer({ANSWERS[ex_id]!r}); _ = v{n}.widget.check()"))
    cells.append(v4.new_code_cell(f"v10.widget.input.editor.value = {CODE_ANSWER!r}\n_ = v10.widget.check()"))
    return cells


def report_cell():
    """Prints what each widget's controls hold, and its attempt count."""
    return v4.new_code_cell(
        "import json\n"
        "print(json.dumps({f'howto_ex{n}': [globals()[f'v{n}'].widget.get_answer(), globals()[f'v{n}'].widget.attempts]"
        " for n in range(1, 11)}))")


def notebook(cells) -> nbformat.NotebookNode:
    nb = v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    return nb


def run(nb, folder: Path) -> nbformat.NotebookNode:
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def stdout_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def expected_answer(ex_id):
    if ex_id == "howto_ex10":
        return None  # checked separately: code and value
    return ANSWERS[ex_id]


def assert_records_in_their_own_cells(nb, *, attempts=ATTEMPTS):
    scan = rec_scan.scan_records(nb)
    assert scan.problems == []
    by_id = {}
    for f in scan.found:
        by_id.setdefault(f.record["exercise"], []).append(f)
    assert sorted(by_id) == sorted(IDS)
    for n, ex_id in enumerate(IDS, start=1):
        (found,) = by_id[ex_id]
        assert found.cell == n, f"{ex_id}'s record is in cell {found.cell}, not its own cell {n}"
        assert found.record["attempts"] == attempts[ex_id]
        if ex_id == "howto_ex10":
            assert found.record["answer"]["code"] == CODE_ANSWER
            assert isinstance(found.record["answer"]["value"], int)
        else:
            assert found.record["answer"] == expected_answer(ex_id)
        output = nb.cells[n].outputs[found.output]
        assert output.output_type == "display_data"
        assert output.metadata == {"exercises": {"record": 1}}
        assert output.data["text/plain"].startswith(f"Recorded answer to {ex_id} (attempt {attempts[ex_id]}): ")
    return by_id


def without_answer_cells(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nb.cells = nb.cells[:11] + [report_cell()]
    return nb


def test_checked_answers_are_saved_in_each_exercise_cell(answered):
    saved = nbformat.read(answered / "answers.ipynb", as_version=4)
    nbformat.validate(saved)
    assert Path(stdout_of(saved.cells[0]).strip()).resolve() == Path(sys.executable).resolve()
    assert_records_in_their_own_cells(saved)
    for cell in saved.cells[11:]:  # the answering cells hold no record
        assert not any(rec_format.RECORD_MIME in o.get("data", {}) for o in cell.outputs)
    journal = rec_keeper.read_journal(answered / JOURNAL)
    assert len(journal) == 11 and journal[0]["answer"] == "wendt"


def test_a_restart_restores_the_answers_from_the_journal(answered, workdir):
    path = copy_of(answered, workdir, journal=True)
    nb = without_answer_cells(path)
    path.unlink()  # the notebook file is gone: only the journal can restore
    run(nb, workdir)
    assert_records_in_their_own_cells(nb)
    controls = json.loads(stdout_of(nb.cells[-1]))
    for ex_id in IDS[:9]:
        got, attempts = controls[ex_id]
        want = ANSWERS[ex_id]
        assert (sorted(got) if ex_id == "howto_ex2" else got) == (sorted(want) if ex_id == "howto_ex2" else want)
        assert attempts == ATTEMPTS[ex_id]
    assert controls["howto_ex10"][0]["code"] == CODE_ANSWER


def test_a_restart_restores_the_answers_from_the_saved_notebook(answered, workdir, monkeypatch):
    path = copy_of(answered, workdir, journal=False)  # no journal: only the saved notebook can restore
    monkeypatch.setenv("JPY_SESSION_NAME", f"some/server/root/{path.name}")  # as Jupyter sets it
    nb = without_answer_cells(path)
    run(nb, workdir)
    assert_records_in_their_own_cells(nb)
    assert not (workdir / JOURNAL).exists()


def test_a_fresh_notebook_beside_an_answered_one_starts_from_nothing(workdir, monkeypatch):
    """Two notebooks in one folder share the journal file, not their records: a fresh copy must
    not pick up the attempts (and so the explanation) of the one answered before it."""
    first = notebook(exercise_cells() + answer_cells())
    nbformat.write(first, workdir / "answers.ipynb")
    monkeypatch.setenv("JPY_SESSION_NAME", "answers.ipynb")  # as Jupyter sets it: the journal lines name it
    run(first, workdir)
    fresh = workdir / "answers-Copy1.ipynb"
    nb = notebook(exercise_cells() + [report_cell()])
    nbformat.write(nb, fresh)
    monkeypatch.setenv("JPY_SESSION_NAME", fresh.name)
    run(nb, workdir)
    assert rec_scan.find_records(nb) == {}
    controls = json.loads(stdout_of(nb.cells[-1]))
    assert all(attempts == 0 for _, attempts in controls.values())
    assert len(rec_keeper.read_journal(workdir / JOURNAL)) == 11  # the first notebook's checks are all there


def test_a_restart_without_any_saved_answer_restores_nothing(workdir):
    nb = run(notebook(exercise_cells() + [report_cell()]), workdir)
    assert rec_scan.find_records(nb) == {}
    controls = json.loads(stdout_of(nb.cells[-1]))
    assert all(attempts == 0 for _, attempts in controls.values())


def test_rerunning_an_exercise_cell_in_the_same_kernel_keeps_its_record(workdir):
    cells = exercise_cells()
    cells[0] = v4.new_code_cell("from exercises import show\nfrom exercises.records import keeper\nkeeper.use_journal(False)")
    cells += answer_cells()
    nb = notebook(cells)
    client = NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(workdir)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        for index in (1, 6, 10):  # re-run three exercise cells: new widgets, same kernel
            client.execute_cell(nb.cells[index], index)
    assert not (workdir / JOURNAL).exists()  # so the kernel's registry restored them
    assert_records_in_their_own_cells(nb)


WRITTEN_TEXT = ("Afghanistan is an insulator: Pakistan's strikes of March 2024 tie the two states together,\n"
                "but the ceasefire of October 2025 was brokered from outside the region (“Doha”).")


def test_a_written_answer_and_its_self_assessment_survive_save_and_restart(workdir, monkeypatch):
    """A written answer is submitted, self-assessed, saved in the .ipynb; a fresh kernel on the
    saved notebook (no journal) shows the same text, the same levels and the same attempt."""
    show = v4.new_code_cell('v = show("writ_ex1")\nv')
    nb = notebook([v4.new_code_cell("from exercises import show"), show,
                   v4.new_code_cell(f"v.widget.input.text.value = {WRITTEN_TEXT!r}\n_ = v.widget.check()\n"
                                    "v.widget.input.assess('position', 2)\nv.widget.input.assess('evidence', 1)")])
    path = workdir / "essay.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", path.name)
    run(nb, workdir)
    nbformat.write(nb, path)
    (workdir / JOURNAL).unlink()  # only the saved notebook can restore
    (found,) = rec_scan.scan_records(nbformat.read(path, as_version=4)).found
    want = {"text": WRITTEN_TEXT, "self": {"position": 2, "evidence": 1}}
    assert found.cell == 1 and found.record["answer"] == want and found.record["attempts"] == 1
    again = nbformat.read(path, as_version=4)
    again.cells = again.cells[:2] + [v4.new_code_cell(
        "import json\nprint(json.dumps([v.widget.input.text.value, v.widget.input.own, v.widget.attempts]))")]
    run(again, workdir)
    assert json.loads(stdout_of(again.cells[-1])) == [WRITTEN_TEXT, want["self"], 1]
    (restored,) = rec_scan.scan_records(again).found
    assert restored.record["answer"] == want


def test_a_check_click_from_the_front_end_updates_the_record_output(workdir):
    """What JupyterLab does: the click arrives as a comm message, not a cell execution."""
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(workdir))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)

        def collect(msg_id):
            msgs = []
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                msgs.append(msg)
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return msgs

        shown = collect(kc.execute('from exercises import show\nv = show("howto_ex1")\nv'))
        models = {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in shown if m["msg_type"] == "comm_open"}
        displays = [m for m in shown if m["msg_type"] == "display_data"]
        assert len(displays) == 2  # the exercise, then its (empty) record output
        assert "application/vnd.jupyter.widget-view+json" in displays[0]["content"]["data"]
        display_id = displays[1]["content"]["transient"]["display_id"]
        assert displays[1]["content"]["data"] == {}
        radio_id, radio = next((k, s) for k, s in models.items() if s["_model_name"] == "RadioButtonsModel")
        check_id = next(k for k, s in models.items() if s["_model_name"] == "ButtonModel" and s["description"] == "Check")
        feedback_ids = {k for k, s in models.items() if s["_model_name"] == "HTMLMathModel"}

        def comm_msg(comm_id, data):
            msg = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
            kc.shell_channel.send(msg)
            return msg["header"]["msg_id"]

        index = radio["_options_labels"].index("Regional Security Complex Theory")
        collect(comm_msg(radio_id, {"method": "update", "state": {"index": index}, "buffer_paths": []}))
        clicked = collect(comm_msg(check_id, {"method": "custom", "content": {"event": "click"}}))
        updates = [m for m in clicked if m["msg_type"] == "update_display_data"]
        assert len(updates) == 1
        assert updates[0]["content"]["transient"]["display_id"] == display_id
        record = updates[0]["content"]["data"][rec_format.RECORD_MIME]
        assert (record["exercise"], record["answer"], record["attempts"]) == ("howto_ex1", "rsct", 1)
        assert updates[0]["content"]["metadata"] == {"exercises": {"record": 1}}
        feedback = [m["content"]["data"]["state"]["value"] for m in clicked if m["msg_type"] == "comm_msg"
                    and m["content"]["comm_id"] in feedback_ids and "value" in m["content"]["data"].get("state", {})]
        assert any("✓ Correct." in value for value in feedback)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
