"""The answer record: its format, finding records in hostile notebooks, the ``latest`` rule, and
keeping records (registry, journal, saved notebook, display updates)."""
from __future__ import annotations

import importlib
import json
import tomllib
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat import v4

from exercises.records import format as rec_format, keeper as rec_keeper, plugin as rec_plugin, scan as rec_scan


@pytest.fixture(autouse=True)
def clean_registry():
    rec_keeper.forget_all()
    yield
    rec_keeper.forget_all()
    rec_keeper.use_notebook(None)
    rec_keeper.use_journal(True)


class Sink:
    def __init__(self):
        self.calls = []

    def display(self, data, metadata, display_id):
        self.calls.append(("display", data, metadata, display_id))

    def update(self, data, metadata, display_id):
        self.calls.append(("update", data, metadata, display_id))


def notebook_with(*outputs_per_cell):
    nb = v4.new_notebook()
    for outputs in outputs_per_cell:
        cell = v4.new_code_cell("show('x')")
        cell.outputs = list(outputs)
        nb.cells.append(cell)
    return nb


# --- format --------------------------------------------------------------------------------

def test_make_record_has_every_format_1_field():
    r = rec_format.make_record("rsct_ex3", "b", 2, time="2026-01-02T03:04:05Z")
    assert r == {"format": "exercises.record/1", "exercise": "rsct_ex3", "answer": "b", "attempts": 2,
                 "time": "2026-01-02T03:04:05Z", "assignment": None, "student": None, "variant": None,
                 "feedback_shown": True}


def test_make_record_stamps_utc_time_in_iso_8601():
    r = rec_format.make_record("rsct_ex3", "b", 1)
    assert r["time"].endswith("Z") and rec_scan.time_key(r["time"]) > 0


@pytest.mark.parametrize("exercise, attempts, answer, message", [
    ("", 1, "b", "exercise id"),
    ("rsct_ex3", 0, "b", "attempts"),
    ("rsct_ex3", True, "b", "attempts"),
    ("rsct_ex3", 1, {"value": float("nan")}, "not JSON"),
    ("rsct_ex3", 1, object(), "not JSON"),
])
def test_make_record_refuses_what_the_format_cannot_hold(exercise, attempts, answer, message):
    with pytest.raises(ValueError, match=message):
        rec_format.make_record(exercise, answer, attempts)


def test_record_output_is_a_valid_display_data_with_a_readable_line():
    r = rec_format.make_record("rsct_ex3", "b", 2)
    out = rec_format.record_output(r)
    nb = notebook_with([out])
    nbformat.validate(nb)
    assert out.output_type == "display_data"
    assert out.data["text/plain"] == "Recorded answer to rsct_ex3 (attempt 2): b"
    assert out.data[rec_format.RECORD_MIME] == r
    assert out.metadata == {"exercises": {"record": 1}}


def test_record_line_summarises_code_and_long_answers():
    code = rec_format.make_record("howto_ex10", {"code": "a = 1\nn = 2\n", "value": 17}, 1)
    assert rec_format.record_line(code) == "Recorded answer to howto_ex10 (attempt 1): value 17 from 2 line(s) of code"
    long = rec_format.make_record("x_ex1", "w" * 500, 1)
    assert len(rec_format.record_line(long)) < 220 and rec_format.record_line(long).endswith("…")


# --- finding -------------------------------------------------------------------------------

def test_find_records_finds_records_by_id_wherever_they_are():
    a1 = rec_format.make_record("rsct_ex1", "a", 1, time="2026-01-01T10:00:00Z")
    a2 = rec_format.make_record("rsct_ex1", "b", 2, time="2026-01-01T10:05:00Z")
    b1 = rec_format.make_record("rsct_ex2", ["x", "y"], 1)
    nb = notebook_with([v4.new_output("stream", text="hello")], [rec_format.record_output(b1)],
                       [rec_format.record_output(a2), rec_format.record_output(a1)])
    nb.cells.insert(0, v4.new_markdown_cell("# Title"))
    found = rec_scan.find_records(nb)
    assert set(found) == {"rsct_ex1", "rsct_ex2"}
    assert [r["answer"] for r in found["rsct_ex1"]] == ["b", "a"]
    assert found["rsct_ex2"][0]["answer"] == ["x", "y"]
    scan = rec_scan.scan_records(nb)
    assert [(f.cell, f.output) for f in scan.found] == [(2, 0), (3, 0), (3, 1)]
    assert scan.problems == []


def test_find_records_reads_plain_json_dicts_and_json_text_records():
    r = rec_format.make_record("rsct_ex1", "a", 1)
    nb = json.loads(nbformat.writes(notebook_with([rec_format.record_output(r)])))
    assert rec_scan.find_records(nb)["rsct_ex1"][0]["answer"] == "a"
    out = rec_format.record_output(r)
    out.data[rec_format.RECORD_MIME] = json.dumps(r)  # a tool that stored the JSON as text
    assert rec_scan.find_records(notebook_with([out]))["rsct_ex1"][0]["answer"] == "a"


@pytest.mark.parametrize("junk", [None, 42, "text", [], {"cells": "no"}, {"cells": [None, 3, "x"]},
                                  {"cells": [{"outputs": "nope"}]}, {"cells": [{"outputs": [None, 1, []]}]},
                                  {"cells": [{"outputs": [{"data": "not a dict"}]}]}])
def test_find_records_on_junk_notebooks_returns_nothing_and_never_raises(junk):
    assert rec_scan.find_records(junk) == {}


def test_find_records_skips_bad_records_and_says_why():
    good = rec_format.make_record("rsct_ex1", "a", 1)
    bad_values = [
        json.dumps(good)[:40],                                    # truncated JSON text
        ["not", "an", "object"],                                  # wrong type
        {**good, "format": "exercises.record/2"},                 # a future format
        {**good, "format": "something.else/1"},                   # not ours
        {k: v for k, v in good.items() if k != "answer"},         # no answer
        {**good, "exercise": 7},                                  # id of the wrong type
        {**good, "exercise": "x" * 500},                          # not an id
    ]
    outputs = []
    for value in bad_values:
        out = rec_format.record_output(good)
        out.data[rec_format.RECORD_MIME] = value
        outputs.append(out)
    outputs.append(rec_format.record_output(good))
    scan = rec_scan.scan_records(notebook_with(outputs))
    assert [f.record["answer"] for f in scan.found] == ["a"]
    assert len(scan.problems) == len(bad_values)
    assert any("truncated" in p for p in scan.problems)
    assert any("unknown record format 'exercises.record/2'" in p for p in scan.problems)
    assert all(p.startswith("cell 1, output ") for p in scan.problems)


def test_find_records_repairs_wrong_field_types_without_losing_the_answer():
    good = rec_format.make_record("rsct_ex1", {"q1": "a"}, 1)
    odd = {**good, "attempts": "three", "time": 12, "student": ["s"], "feedback_shown": "yes"}
    numeric = {**good, "attempts": 3.0}
    for value in (odd, numeric):
        out = rec_format.record_output(good)
        out.data[rec_format.RECORD_MIME] = value
        scan = rec_scan.scan_records(notebook_with([out]))
        (found,) = scan.found
        assert found.record["answer"] == {"q1": "a"}
        if value is odd:
            assert found.record["attempts"] == 0 and found.record["time"] is None
            assert found.record["student"] is None and found.record["feedback_shown"] is None
            assert len(scan.problems) == 3
        else:
            assert found.record["attempts"] == 3 and scan.problems == []


# --- latest --------------------------------------------------------------------------------

def test_latest_prefers_most_attempts_then_latest_time_then_last_found():
    r = lambda n, t, a: {"exercise": "e", "attempts": n, "time": t, "answer": a}  # noqa: E731
    assert rec_scan.latest([r(2, "2026-01-01T10:00:00Z", "two"), r(3, "2025-01-01T00:00:00Z", "three")])["answer"] == "three"
    assert rec_scan.latest([r(2, "2026-01-01T10:05:00Z", "late"), r(2, "2026-01-01T10:00:00Z", "early")])["answer"] == "late"
    assert rec_scan.latest([r(2, "2026-01-01T10:00:00+00:00", "a"), r(2, "2026-01-01T11:00:00+01:00", "b")])["answer"] == "b"
    assert rec_scan.latest([r(1, "garbage", "bad time"), r(1, "2020-01-01T00:00:00Z", "good time")])["answer"] == "good time"
    assert rec_scan.latest([r(1, "2020-01-01T00:00:00Z", "first"), r(1, "2020-01-01T00:00:00Z", "second")])["answer"] == "second"
    assert rec_scan.latest([r("x", None, "junk attempts"), r(1, None, "one")])["answer"] == "one"
    assert rec_scan.latest([]) is None


# --- keeping -------------------------------------------------------------------------------

def test_keeper_writes_registry_journal_and_updates_its_display(tmp_path):
    sink = Sink()
    keeper = rec_keeper.RecordKeeper("rsct_ex1", sink=sink, journal=tmp_path / "j.jsonl", notebook=False)
    assert keeper.restore() is None
    keeper.display()
    assert sink.calls == [("display", {}, {}, keeper.display_id)]
    r = rec_format.make_record("rsct_ex1", "a", 1)
    assert keeper.keep(r) == []
    kind, data, metadata, display_id = sink.calls[-1]
    assert (kind, display_id) == ("update", keeper.display_id)
    assert data[rec_format.RECORD_MIME] == r and metadata == rec_format.OUTPUT_METADATA
    assert rec_keeper.read_journal(tmp_path / "j.jsonl") == [dict(r, notebook=None)]  # the kernel knows no notebook
    fresh = rec_keeper.RecordKeeper("rsct_ex1", sink=Sink(), journal=False, notebook=False)
    assert fresh.restore() == r  # from the kernel's registry


def test_keeper_restores_the_latest_record_across_notebook_and_journal(tmp_path):
    older = rec_format.make_record("rsct_ex1", "old", 1, time="2026-01-01T10:00:00Z")
    newer = rec_format.make_record("rsct_ex1", "new", 2, time="2026-01-01T10:01:00Z")
    other_student = rec_format.make_record("rsct_ex1", "theirs", 9, student="s2")
    path = tmp_path / "work.ipynb"
    nbformat.write(notebook_with([rec_format.record_output(older), rec_format.record_output(other_student)]), path)
    journal = tmp_path / "j.jsonl"
    journal.write_text("not json\n" + json.dumps(dict(newer, notebook=str(path.resolve()))) + "\n{\"truncated\n",
                       encoding="utf-8")
    sink = Sink()
    keeper = rec_keeper.RecordKeeper("rsct_ex1", sink=sink, journal=journal, notebook=path)
    assert keeper.restore()["answer"] == "new"
    keeper.display()
    assert sink.calls[0][1][rec_format.RECORD_MIME]["answer"] == "new"  # the restored record is re-written
    theirs = rec_keeper.RecordKeeper("rsct_ex1", {"student": "s2"}, sink=Sink(), journal=journal, notebook=path)
    assert theirs.restore()["answer"] == "theirs"


def test_journal_records_belong_to_the_notebook_that_wrote_them(tmp_path):
    # a fresh copy of a notebook in the same folder picked up the attempts of the first one (and
    # so revealed the explanation on its first check): the journal is shared, its records are not
    journal = tmp_path / rec_keeper.JOURNAL_NAME
    first, copy = tmp_path / "rsct.ipynb", tmp_path / "rsct (1).ipynb"
    for path in (first, copy):
        nbformat.write(notebook_with([]), path)
    keeper = rec_keeper.RecordKeeper("rsct_ex1", sink=Sink(), journal=journal, notebook=first)
    keeper.keep(rec_format.make_record("rsct_ex1", "a", 3))
    rec_keeper.forget_all()  # a new kernel
    assert rec_keeper.RecordKeeper("rsct_ex1", sink=Sink(), journal=journal, notebook=copy).restore() is None
    assert rec_keeper.RecordKeeper("rsct_ex1", sink=Sink(), journal=journal, notebook=False).restore() is None
    restored = rec_keeper.RecordKeeper("rsct_ex1", sink=Sink(), journal=journal, notebook=first).restore()
    assert restored["attempts"] == 3 and "notebook" not in restored  # the path never enters a record


def test_keeper_reports_a_journal_it_cannot_write_and_still_keeps_the_record(tmp_path):
    sink = Sink()
    keeper = rec_keeper.RecordKeeper("rsct_ex1", sink=sink, journal=tmp_path / "missing-dir" / "j.jsonl", notebook=False)
    keeper.display()
    problems = keeper.keep(rec_format.make_record("rsct_ex1", "a", 1))
    assert problems and "could not be written" in problems[0]
    assert sink.calls[-1][0] == "update"
    assert rec_keeper.RecordKeeper("rsct_ex1", sink=Sink(), journal=False, notebook=False).restore()["answer"] == "a"


def test_journal_location_follows_settings_and_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EXERCISES_JOURNAL", raising=False)
    assert rec_keeper.journal_path() == tmp_path / ".exercise_answers.jsonl"
    monkeypatch.setenv("EXERCISES_JOURNAL", "")
    assert rec_keeper.journal_path() is None
    monkeypatch.setenv("EXERCISES_JOURNAL", str(tmp_path / "elsewhere.jsonl"))
    assert rec_keeper.journal_path() == tmp_path / "elsewhere.jsonl"
    rec_keeper.use_journal(False)
    assert rec_keeper.journal_path() is None
    rec_keeper.use_journal(tmp_path / "chosen.jsonl")
    assert rec_keeper.journal_path() == tmp_path / "chosen.jsonl"


def test_notebook_path_is_found_from_explicit_setting_vscode_and_jupyter(tmp_path, monkeypatch):
    nb_file = tmp_path / "sub" / "work.ipynb"
    nb_file.parent.mkdir()
    nbformat.write(v4.new_notebook(), nb_file)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setattr(rec_keeper, "user_namespace", lambda: None)
    assert rec_keeper.notebook_path() is None
    monkeypatch.chdir(nb_file.parent)
    monkeypatch.setenv("JPY_SESSION_NAME", "sub/work.ipynb")  # relative to a server root above
    assert rec_keeper.notebook_path() == nb_file.parent / "work.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", "gone.ipynb")
    assert rec_keeper.notebook_path() is None
    monkeypatch.setattr(rec_keeper, "user_namespace", lambda: {"__vsc_ipynb_file__": str(nb_file)})
    assert rec_keeper.notebook_path() == nb_file
    other = tmp_path / "explicit.ipynb"
    nbformat.write(v4.new_notebook(), other)
    rec_keeper.use_notebook(other)
    assert rec_keeper.notebook_path() == other


def test_read_notebook_records_tolerates_unreadable_files(tmp_path):
    (tmp_path / "bad.ipynb").write_text('{"cells": [', encoding="utf-8")
    (tmp_path / "page.md").write_text("# not a notebook", encoding="utf-8")
    assert rec_scan.read_notebook_records(tmp_path / "bad.ipynb") == {}
    assert rec_scan.read_notebook_records(tmp_path / "page.md") == {}
    assert rec_scan.read_notebook_records(tmp_path / "absent.ipynb") == {}


def test_hide_records_plugin_renders_record_outputs_as_nothing():
    plugin = rec_plugin.HideRecordsPlugin
    data = lambda mime, meta: SimpleNamespace(mime_type=mime, output_metadata=meta)  # noqa: E731
    assert plugin.handle_mime(None, data(rec_format.RECORD_MIME, {}), False) == []
    assert plugin.handle_mime(None, data("text/plain", rec_format.OUTPUT_METADATA), False) == []
    assert plugin.handle_mime(None, data("text/plain", {}), False) is None
    assert plugin.handle_mime(None, data("text/html", {"exercises": "junk"}), False) is None
    assert plugin.handle_mime(None, data("text/html", None), False) is None


def test_the_myst_nb_entry_point_in_pyproject_names_the_plugin():
    """The ``myst_nb.mime_renderers`` entry point in pyproject.toml names an importable object, the
    plugin above: a path left stale by a move fails here, not in the next book build (the installed
    metadata follows pyproject only on reinstall)."""
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))["project"]
    renderers = project["entry-points"]["myst_nb.mime_renderers"]
    assert list(renderers) == ["exercises_record"]
    module, _, attr = renderers["exercises_record"].partition(":")
    target = importlib.import_module(module)
    for name in attr.split("."):
        target = getattr(target, name)
    assert target is rec_plugin.HideRecordsPlugin


# --- the record schema and its bounds (issue 14) ---------------------------------------------------

def _schema_errors(record):
    import jsonschema
    return [e.message for e in jsonschema.Draft202012Validator(rec_format.schema()).iter_errors(record)]


def test_the_record_schema_accepts_what_make_record_writes():
    assert _schema_errors(rec_format.make_record("rsct_ex3", ["b", {"x": 1}], 2, binding="ab" * 10)) == []


@pytest.mark.parametrize("field, value", [
    ("attempts", 10 ** 40), ("attempts", 10 ** 6), ("attempts", -1), ("attempts", "lots"),
    ("student", "s" * 5000), ("time", 12), ("binding", ["x"]), ("variant", "v" * 201),
])
def test_out_of_bounds_fields_are_repaired_into_what_the_schema_allows(field, value):
    raw = dict(rec_format.make_record("rsct_ex3", "b", 1), **{field: value})
    assert _schema_errors(raw)  # the schema itself names the bound
    record, problems = rec_format.parse_record(raw)
    assert record["answer"] == "b" and problems and len(problems[0]) < 200
    assert _schema_errors({k: v for k, v in record.items() if k in rec_format.schema()["properties"]}) == []


@pytest.mark.parametrize("answer, message", [
    (10 ** 30, "a number too large"), (-(10 ** 30), "a number too large"), ({"a": [1, 2, 10 ** 20]}, "too large"),
    (json.loads("[" * 500 + "]" * 500), "nested too deeply"), (json.loads('{"a":' * 40 + "1" + "}" * 40), "nested too deeply"),
])
def test_answers_out_of_bounds_are_named(answer, message):
    assert message in rec_format.answer_problem(answer)


def test_answers_within_bounds_pass():
    for answer in ("b", 128, 2.5, ["a", "b"], {"code": "x = 1", "value": 2 ** 52}, {"pak/ttp": "amity"}, None):
        assert rec_format.answer_problem(answer) is None


def test_record_scanning_stops_at_the_per_notebook_cap():
    out = {"output_type": "display_data", "metadata": {}, "data": {rec_format.RECORD_MIME: {"junk": 1}}}
    nb = {"cells": [{"cell_type": "code", "outputs": [out] * (rec_scan.MAX_RECORDS + 50)}]}
    scan = rec_scan.scan_records(nb)
    assert scan.problems[-1] == rec_scan.TOO_MANY_NOTE and len(scan.problems) == rec_scan.MAX_RECORDS + 1
