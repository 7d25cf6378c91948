"""Keeping answer records in a live kernel: ``RecordKeeper`` keeps the records of one exercise.

Every check updates the record output of the exercise's cell through its ``display_id``, a registry
in the kernel's memory and a journal file (``use_journal``, ``journal_path``, ``read_journal``); a
new widget restores the latest record from those and from the saved notebook (``use_notebook``,
``notebook_path``).
"""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Mapping, MutableMapping

from .. import settings
from .format import CONTEXT_FIELDS, parse_record, record_bundle
from .scan import forget_notebooks, latest, read_notebook_records

JOURNAL_NAME = ".exercise_answers.jsonl"
#: the field of a journal line naming the notebook it belongs to (never part of a record in a notebook)
JOURNAL_NOTEBOOK = "notebook"

_UNSET = object()
_settings: dict[str, Any] = {"notebook": None, "journal": _UNSET}
_REGISTRY: dict[tuple, dict[str, Any]] = {}


def use_notebook(path: str | os.PathLike | None) -> None:
    """Tell the kernel which saved notebook it runs (for front ends that do not say so)."""
    _settings["notebook"] = Path(path) if path else None


def use_journal(path: str | os.PathLike | None | bool) -> None:
    """Write the journal to ``path``; ``False``/``None`` turns the journal off; ``True`` restores
    the default (``.exercise_answers.jsonl`` in the working directory, or ``$EXERCISES_JOURNAL``)."""
    if path is True:
        _settings["journal"] = _UNSET
    elif path in (None, False, ""):
        _settings["journal"] = None
    else:
        _settings["journal"] = Path(path)


def journal_path() -> Path | None:
    """The journal file in use, or ``None`` when journalling is off.

    ``$EXERCISES_JOURNAL`` overrides the default (an empty value turns it off)."""
    configured = _settings["journal"]
    if configured is not _UNSET:
        return configured
    journal = settings.current().journal
    return Path.cwd() / JOURNAL_NAME if journal is True else journal


def user_namespace() -> MutableMapping[str, Any] | None:
    """The running kernel's user namespace (None outside IPython)."""
    from IPython import get_ipython  # installed with ipywidgets
    return getattr(get_ipython(), "user_ns", None)


def notebook_path() -> Path | None:
    """The saved notebook this kernel runs, when it can be found: ``use_notebook()``, then VS Code's
    ``__vsc_ipynb_file__``, then Jupyter's ``JPY_SESSION_NAME`` (relative to the server root, so it
    is also tried against the working directory and its parents)."""
    candidates: list[Path] = []
    if _settings["notebook"]:
        candidates.append(_settings["notebook"])
    vsc = (user_namespace() or {}).get("__vsc_ipynb_file__")
    if isinstance(vsc, str) and vsc:
        candidates.append(Path(vsc))
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session:
        p = Path(session)
        candidates.append(p)
        if not p.is_absolute():
            cwd = Path.cwd()
            candidates.append(cwd / p.name)
            candidates.extend(parent / p for parent in cwd.parents)
    for c in candidates:
        if c.suffix == ".ipynb" and c.is_file():
            return c
    return None


def read_journal(path: str | os.PathLike | None = None) -> list[dict[str, Any]]:
    """Every well-formed record in a journal file, oldest first; junk lines are skipped."""
    path = Path(path) if path else journal_path()
    if path is None:
        return []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        record, _ = parse_record(line)
        if record is not None:
            out.append(record)
    return out


def _notebook_identity(path: Path | None) -> str | None:
    """What a journal line names its notebook by: the notebook's absolute path (None when the
    kernel cannot locate its notebook)."""
    return str(Path(path).resolve()) if path else None


def _without_notebook(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != JOURNAL_NOTEBOOK}


def _context_key(exercise: str, context: Mapping[str, Any]) -> tuple:
    # the binding follows from the other three, so records restore across releases with and without it
    return (exercise, *(context.get(k) for k in CONTEXT_FIELDS if k != "binding"))


def _same_context(record: Mapping[str, Any], key: tuple) -> bool:
    return _context_key(record.get("exercise"), record) == key


class IPythonSink:
    """Shows and updates the record output of a cell through IPython's display machinery."""

    def display(self, data: dict, metadata: dict, display_id: str) -> None:
        from IPython.display import display
        display(data, raw=True, metadata=metadata, display_id=display_id)

    def update(self, data: dict, metadata: dict, display_id: str) -> None:
        from IPython.display import update_display
        update_display(data, raw=True, metadata=metadata, display_id=display_id)


class RecordKeeper:
    """Keeps the records of one exercise (in one assignment/student/variant context).

    - ``restore()``: the latest record from the kernel registry, the saved notebook and the journal;
    - ``display()``: shows the record output of the cell (the restored record, or an empty output
      that later checks fill), under a ``display_id``;
    - ``keep(record)``: registry + journal + ``update_display`` of that output.

    ``sink`` replaces the IPython display calls (tests); ``journal``/``notebook`` override the
    module settings (``False`` turns a source off).
    """

    def __init__(self, exercise: str, context: Mapping[str, Any] | None = None, *,
                 sink: Any = None, journal: Any = _UNSET, notebook: Any = _UNSET):
        self.exercise = exercise
        self.context = {k: (context or {}).get(k) for k in CONTEXT_FIELDS}
        self.key = _context_key(exercise, self.context)
        self.sink = sink if sink is not None else IPythonSink()
        self._journal = journal
        self._notebook = notebook
        self.display_id = f"exercise-record-{exercise}-{uuid.uuid4().hex[:12]}"
        self.current: dict[str, Any] | None = None
        #: answer -> the answer in words, for the readable line (set by the widget)
        self.describe: Any = None
        self.displayed = False
        self.problems: list[str] = []

    # sources
    def journal_file(self) -> Path | None:
        if self._journal is _UNSET:
            return journal_path()
        return Path(self._journal) if self._journal else None

    def notebook_file(self) -> Path | None:
        if self._notebook is _UNSET:
            return notebook_path()
        return Path(self._notebook) if self._notebook else None

    def registered(self) -> dict[str, Any] | None:
        rec = _REGISTRY.get(self.key)
        return dict(rec) if rec else None

    def restore(self) -> dict[str, Any] | None:
        """The latest record for this exercise and context across every source (or None)."""
        candidates: list[dict[str, Any]] = []
        nb = self.notebook_file()
        if nb is not None:
            candidates += [r for r in read_notebook_records(nb).get(self.exercise, []) if _same_context(r, self.key)]
        journal = self.journal_file()
        if journal is not None:
            mine = _notebook_identity(nb)
            candidates += [_without_notebook(r) for r in read_journal(journal)
                           if _same_context(r, self.key) and r.get(JOURNAL_NOTEBOOK) == mine]
        reg = self.registered()
        if reg:
            candidates.append(reg)
        found = latest(candidates)
        if found is not None:
            _REGISTRY[self.key] = dict(found)
            self.current = dict(found)
        return found

    # output
    def bundle(self) -> tuple[dict[str, Any], dict[str, Any]]:
        if self.current is None:
            return {}, {}
        return record_bundle(self.current, self._words(self.current))

    def _words(self, record: Mapping[str, Any]) -> str | None:
        try:
            return self.describe(record.get("answer")) if self.describe else None
        except Exception:  # noqa: BLE001 - the record line falls back to the answer as recorded
            return None

    def display(self) -> None:
        data, metadata = self.bundle()
        self.sink.display(data, metadata, self.display_id)
        self.displayed = True

    def keep(self, record: dict[str, Any]) -> list[str]:
        """Keep ``record`` everywhere; returns problems (e.g. a journal that cannot be written)."""
        problems: list[str] = []
        self.current = dict(record)
        _REGISTRY[self.key] = dict(record)
        journal = self.journal_file()
        if journal is not None:
            line = dict(record, **{JOURNAL_NOTEBOOK: _notebook_identity(self.notebook_file())})
            try:
                with journal.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n")
            except OSError as err:
                problems.append(f"the answer journal {journal} could not be written ({err.strerror or err})")
        data, metadata = record_bundle(record, self._words(record))
        if self.displayed:
            self.sink.update(data, metadata, self.display_id)
        self.problems = problems
        return problems

    def highest_attempts(self) -> int:
        reg = _REGISTRY.get(self.key)
        return int(reg.get("attempts") or 0) if reg else 0


def forget_all() -> None:
    """Empty the in-kernel registry (tests; a student who wants a clean slate)."""
    _REGISTRY.clear()
    forget_notebooks()
