"""Load and validate the exercise bank (``exercises/bank/*.yml``).

Validation has two layers: the published JSON Schema (``schema/bank.schema.v1.json``) for shape,
then the rules a schema cannot express (keys among the options, objectives that exist, ids unique
across the bank, ids that carry their chapter). Every problem becomes one ``Problem`` that names
file, line, exercise id and field; nothing here raises a traceback at an author.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import models as m

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    exercise: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        ex = self.exercise or "-"
        fld = self.field or "-"
        return f"{where}: {ex}: {fld}: {self.message}"


class BankError(Exception):
    """The bank has problems; ``problems`` lists them, ``str()`` gives one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    file: str
    objectives: tuple[m.Objective, ...]
    exercises: tuple[m.Exercise, ...]


@dataclass(frozen=True)
class Bank:
    chapters: tuple[Chapter, ...]

    @property
    def exercises(self) -> dict[str, m.Exercise]:
        return {ex.id: ex for ch in self.chapters for ex in ch.exercises}

    @property
    def objectives(self) -> dict[str, m.Objective]:
        return {o.id: o for ch in self.chapters for o in ch.objectives}

    def __getitem__(self, exercise_id: str) -> m.Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise KeyError(f"no exercise {exercise_id!r} in the bank") from None

    def chapter(self, chapter_id: str) -> Chapter:
        for ch in self.chapters:
            if ch.id == chapter_id:
                return ch
        raise KeyError(f"no chapter {chapter_id!r} in the bank")


def default_bank_dir() -> Path:
    """The package's bank, or the folder named by the EXERCISES_BANK_DIR environment variable."""
    override = os.environ.get("EXERCISES_BANK_DIR")
    return Path(override) if override else Path(str(resources.files("exercises") / "bank"))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads((resources.files("exercises") / "schema" / "bank.schema.v1.json").read_text("utf-8"))


# --- reading YAML with line numbers -----------------------------------------------------------

def line_of(node: Any, path: Iterable[Any]) -> int:
    """1-based line of the deepest node on ``path`` that carries a position."""
    line = 0
    for key in path:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                if isinstance(key, int):
                    line = lc.item(key)[0] + 1
                else:
                    line = lc.key(key)[0] + 1
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    lc = getattr(node, "lc", None)
    if lc is not None and not line:
        line = lc.line + 1
    return line


def field_path(path: Iterable[Any]) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def to_plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    return node


def read_file(path: Path, display: str | None = None) -> tuple[Any, list[Problem]]:
    display = display or str(path)
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(display, 0, "", "", f"not UTF-8 text ({err.reason} at byte {err.start})")]
    except OSError as err:
        return None, [Problem(display, 0, "", "", f"cannot read the file: {err.strerror}")]
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Problem(display, line, "", "", f"invalid YAML: {err.problem or err.context}")]
    except YAMLError as err:
        return None, [Problem(display, 0, "", "", f"invalid YAML: {err}")]
    if not isinstance(data, dict):
        return None, [Problem(display, 1, "", "", "a bank file must be a mapping with schema_version, chapter, title, objectives, exercises")]
    return data, []


# --- validation ---------------------------------------------------------------------------------

def _exercise_at(data: Any, path: list[Any]) -> tuple[str, list[Any]]:
    """For a path inside exercises[i], return the exercise id and the path inside the exercise."""
    if len(path) >= 2 and path[0] == "exercises" and isinstance(path[1], int):
        try:
            ex = data["exercises"][path[1]]
            ex_id = ex.get("id", f"exercises[{path[1]}]") if isinstance(ex, dict) else f"exercises[{path[1]}]"
        except (IndexError, TypeError, KeyError):
            ex_id = f"exercises[{path[1]}]"
        return str(ex_id), path[2:]
    return "", path


def schema_problems(data: Any, display: str, schema_doc: dict | None = None,
                    rewrite: dict[str, str] | None = None) -> list[Problem]:
    """Schema errors of a YAML document as problems, one per field; ``rewrite`` replaces the
    message of a validator keyword (e.g. ``{"anyOf": "..."}``) with one a person understands."""
    validator = jsonschema.Draft202012Validator(schema_doc or schema())
    problems = []
    seen = set()
    for err in sorted(validator.iter_errors(to_plain(data)), key=lambda e: list(map(str, e.absolute_path))):
        if err.validator in ("allOf", "if"):  # their sub-errors say more
            continue
        path = list(err.absolute_path)
        ex_id, inner = _exercise_at(data, path)
        message = err.message
        if err.validator == "required":
            missing = re.search(r"'([^']+)' is a required property", message)
            inner = inner + [missing.group(1)] if missing else inner
            message = f"missing required field" if missing else message
        elif err.validator == "additionalProperties" or (err.validator is False or err.schema is False):
            message = f"field not allowed here ({message})"
        elif err.validator == "enum":
            message = f"{err.instance!r} is not one of {', '.join(map(str, err.validator_value))}"
        elif err.validator == "const" and path == ["schema_version"]:
            message = f"unsupported schema_version {err.instance!r} (this engine reads version {SCHEMA_VERSION})"
        elif rewrite and err.validator in rewrite:
            message = rewrite[err.validator]
        key = (ex_id, field_path(inner), message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(display, line_of(data, path), ex_id, field_path(inner), message))
    return problems


def semantic_problems(data: dict, display: str, file_stem: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: list[Any], message: str) -> None:
        ex_id, inner = _exercise_at(data, path)
        problems.append(Problem(display, line_of(data, path), ex_id, field_path(inner), message))

    chapter = data.get("chapter")
    if chapter != file_stem:
        add(["chapter"], f"chapter {chapter!r} does not match the file name {file_stem!r}")
    objective_ids = []
    for i, obj in enumerate(data.get("objectives", [])):
        oid = obj.get("id", "")
        if not oid.startswith(f"{chapter}_o"):
            add(["objectives", i, "id"], f"objective id {oid!r} must start with '{chapter}_o'")
        if oid in objective_ids:
            add(["objectives", i, "id"], f"duplicate objective id {oid!r}")
        objective_ids.append(oid)
    for i, ex in enumerate(data.get("exercises", [])):
        here = ["exercises", i]
        ex_id = ex.get("id", "")
        if ex_id and not ex_id.startswith(f"{chapter}_ex"):
            add(here + ["id"], f"exercise id {ex_id!r} must start with '{chapter}_ex'")
        for j, oid in enumerate(ex.get("objectives", [])):
            if oid not in objective_ids:
                add(here + ["objectives", j], f"objective {oid!r} is not defined in this file's objectives")
        problems.extend(_key_problems(ex, here, add))
    return problems


def _ids(items: Any) -> list[str]:
    return [it.get("id") for it in items or [] if isinstance(it, dict)]


def _key_problems(ex: dict, here: list[Any], add) -> list[Problem]:
    kind = ex.get("type")
    answer = ex.get("answer")

    def dupes(field_name: str, items: Any) -> set[str]:
        ids = _ids(items)
        for k, oid in enumerate(ids):
            if oid in ids[:k]:
                add(here + [field_name, k, "id"], f"duplicate id {oid!r}")
        return set(ids)

    if kind in ("single_choice", "multiple_select"):
        options = dupes("options", ex.get("options"))
        keys = [answer] if kind == "single_choice" else list(answer or [])
        for k, key in enumerate(keys):
            if key not in options:
                add(here + (["answer"] if kind == "single_choice" else ["answer", k]), f"key {key!r} is not among the options ({', '.join(sorted(options))})")
        if kind == "multiple_select" and len(set(keys)) != len(keys):
            add(here + ["answer"], "the key lists an option twice")
    elif kind == "numeric":
        tol = ex.get("tolerance") or {}
        if "rel" in tol and answer == 0:
            add(here + ["tolerance"], "a relative tolerance needs a non-zero key; use abs")
        elif isinstance(answer, (int, float)) and not isinstance(answer, bool):
            from .checks import within
            for k, mis in enumerate(ex.get("misconceptions") or []):
                value = mis.get("answer") if isinstance(mis, dict) else None
                if isinstance(value, (int, float)) and within(float(value), float(answer), dict(tol)):
                    add(here + ["misconceptions", k, "answer"], f"{value!r} is within the tolerance of the key "
                        f"{answer!r}: it scores as right, so its feedback is never shown")
        _unreachable_feedback(ex, here, add)
    elif kind == "short_text":
        from .checks import normalise_text
        accepted = {normalise_text(v) for v in answer or [] if isinstance(v, str)}
        for k, mis in enumerate(ex.get("misconceptions") or []):
            value = mis.get("answer") if isinstance(mis, dict) else None
            if isinstance(value, str) and normalise_text(value) in accepted:
                add(here + ["misconceptions", k, "answer"], f"{value!r} is an accepted answer: "
                    "its feedback is never shown")
        _unreachable_feedback(ex, here, add)
        pattern = ex.get("pattern")
        if pattern:
            if not re.fullmatch(r"[a-z0-9 ^$|()?*+.\[\]{},\\-]*", pattern):
                add(here + ["pattern"], "pattern may use only lower-case letters, digits, spaces and ^$|()?*+.[]{},- (it is matched against normalised text, in Python and in the browser)")
            else:
                try:
                    re.compile(pattern)
                except re.error as err:
                    add(here + ["pattern"], f"invalid regular expression: {err}")
    elif kind == "ordering":
        items = dupes("items", ex.get("items"))
        order = list(answer or [])
        if sorted(order) != sorted(items) or len(set(order)) != len(order):
            add(here + ["answer"], f"the key must list every item id exactly once ({', '.join(sorted(items))})")
    elif kind in ("matching", "categorisation"):
        parts_field, choices_field = ("left", "right") if kind == "matching" else ("items", "categories")
        parts = dupes(parts_field, ex.get(parts_field))
        choices = dupes(choices_field, ex.get(choices_field))
        for part in parts - set(answer or {}):
            add(here + ["answer"], f"no key for {parts_field} {part!r}")
        for part, value in (answer or {}).items():
            if part not in parts:
                add(here + ["answer", part], f"{part!r} is not one of the {parts_field}")
            elif value not in choices:
                add(here + ["answer", part], f"key {value!r} is not among the {choices_field} ({', '.join(sorted(choices))})")
        _feedback_keys(ex, parts, here, add)
    elif kind == "slot_coding":
        slots = {s.get("id"): set(_ids(s.get("options"))) for s in ex.get("slots") or [] if isinstance(s, dict)}
        dupes("slots", ex.get("slots"))
        for sid in set(slots) - set(answer or {}):
            add(here + ["answer"], f"no key for slot {sid!r}")
        for sid, value in (answer or {}).items():
            values = value if isinstance(value, list) else [value]
            if sid not in slots:
                add(here + ["answer", sid], f"{sid!r} is not one of the slots")
                continue
            for v in values:
                if v not in slots[sid]:
                    add(here + ["answer", sid], f"key {v!r} is not among slot {sid!r}'s options ({', '.join(sorted(slots[sid]))})")
        _feedback_keys(ex, set(slots), here, add)
    elif kind == "relation_matrix":
        actors = dupes("actors", ex.get("actors"))
        values = dupes("values", ex.get("values"))
        cells = set()
        for cell, value in (answer or {}).items():
            a, _, b = cell.partition("/")
            if a not in actors or b not in actors or a == b:
                add(here + ["answer", cell], f"cell {cell!r} must name two different actors ({', '.join(sorted(actors))})")
                continue
            canonical = m.cell_id(a, b)
            if canonical in cells:
                add(here + ["answer", cell], f"cell {cell!r} is asked twice (relations are symmetric)")
            cells.add(canonical)
            for v in value if isinstance(value, list) else [value]:
                if v not in values:
                    add(here + ["answer", cell], f"key {v!r} is not among the values ({', '.join(sorted(values))})")
        for cell in (ex.get("feedback") or {}):
            a, _, b = cell.partition("/")
            if m.cell_id(a, b) not in cells:
                add(here + ["feedback", cell], f"feedback for {cell!r}, which is not a cell asked in the answer")
    return []


def _unreachable_feedback(ex: dict, here: list[Any], add) -> None:
    """Numeric and short-text feedback knows one key, ``incorrect`` (any wrong answer that is not
    a misconception). Anything else is never shown: a page checks against hashes, so it cannot
    tell a low answer from a high one."""
    for key in (ex.get("feedback") or {}):
        if key != "incorrect":
            add(here + ["feedback", key], f"feedback {key!r} is never shown: {ex.get('type')} feedback has only "
                "'incorrect' (for any wrong answer that is not a misconception; a page cannot tell a low answer "
                "from a high one without giving the key away)")


def _feedback_keys(ex: dict, parts: set[str], here: list[Any], add) -> None:
    for part in (ex.get("feedback") or {}):
        if part not in parts:
            add(here + ["feedback", part], f"feedback for {part!r}, which is not one of the parts")


# --- building models ----------------------------------------------------------------------------

def _choices(items: Any) -> tuple[m.Choice, ...]:
    return tuple(m.Choice(it["id"], it.get("text", it.get("label", "")), it.get("feedback", "")) for it in items or [])


def _as_tuple(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def build_exercise(ex: dict, chapter: str, origin: str) -> m.Exercise:
    kind = ex["type"]
    common = dict(
        id=ex["id"], title=ex["title"], prompt=ex["prompt"], points=float(ex["points"]),
        objectives=tuple(ex["objectives"]), bloom=ex["bloom"], hints=tuple(ex["hints"]),
        explanation=ex["explanation"], sources=tuple(ex.get("sources", ())), chapter=chapter, origin=origin,
    )
    fb = dict(ex.get("feedback") or {})
    if kind == "single_choice":
        return m.SingleChoice(**common, options=_choices(ex["options"]), answer=ex["answer"], shuffle=ex.get("shuffle", True))
    if kind == "multiple_select":
        return m.MultipleSelect(**common, options=_choices(ex["options"]), answer=tuple(ex["answer"]), shuffle=ex.get("shuffle", True))
    if kind == "numeric":
        return m.Numeric(**common, answer=float(ex["answer"]), tolerance=dict(ex["tolerance"]), unit=ex.get("unit", ""),
                         misconceptions=tuple(dict(x) for x in ex.get("misconceptions", ())), feedback=fb)
    if kind == "short_text":
        return m.ShortText(**common, answer=tuple(ex["answer"]), pattern=ex.get("pattern", ""),
                           misconceptions=tuple(dict(x) for x in ex.get("misconceptions", ())), feedback=fb)
    if kind == "ordering":
        return m.Ordering(**common, items=_choices(ex["items"]), answer=tuple(ex["answer"]))
    if kind == "matching":
        return m.Matching(**common, left=_choices(ex["left"]), right=_choices(ex["right"]), answer=dict(ex["answer"]), feedback=fb)
    if kind == "categorisation":
        return m.Categorisation(**common, categories=_choices(ex["categories"]), items=_choices(ex["items"]), answer=dict(ex["answer"]), feedback=fb)
    if kind == "slot_coding":
        slots = tuple(m.Slot(s["id"], s["label"], _choices(s["options"])) for s in ex["slots"])
        return m.SlotCoding(**common, slots=slots, answer={k: _as_tuple(v) for k, v in ex["answer"].items()}, feedback=fb)
    if kind == "relation_matrix":
        answer = {m.cell_id(*k.split("/")): _as_tuple(v) for k, v in ex["answer"].items()}
        feedback = {m.cell_id(*k.split("/")): v for k, v in fb.items()}
        return m.RelationMatrix(**common, actors=_choices(ex["actors"]), values=_choices(ex["values"]), answer=answer, feedback=feedback)
    if kind == "code":
        return m.Code(**common, setup=ex.get("setup", ""), starter=ex["starter"], result=ex["result"], solution=ex["solution"],
                      tolerance=dict(ex.get("tolerance") or {}), unit=ex.get("unit", ""))
    raise AssertionError(kind)  # unreachable: the schema admits only the ten types


def load_chapter_file(path: Path, display: str | None = None) -> tuple[Chapter | None, list[Problem]]:
    display = display or str(path)
    data, problems = read_file(path, display)
    if problems:
        return None, problems
    problems = schema_problems(data, display)
    if not problems:
        problems = semantic_problems(data, display, path.stem)
    if problems:
        return None, problems
    plain = to_plain(data)
    chapter = plain["chapter"]
    objectives = tuple(m.Objective(o["id"], o["text"], chapter) for o in plain["objectives"])
    exercises = tuple(
        build_exercise(ex, chapter, f"{display}:{line_of(data, ['exercises', i])}") for i, ex in enumerate(plain["exercises"])
    )
    return Chapter(chapter, plain["title"], display, objectives, exercises), []


def validate(directory: Path | None = None, *, files: Iterable[Path] | None = None) -> tuple[Bank, list[Problem]]:
    """Load every ``*.yml`` in ``directory`` (or the given files). Returns the bank of the valid
    chapters and every problem found; ids must be unique across all files."""
    directory = Path(directory) if directory else default_bank_dir()
    paths = sorted(files) if files is not None else sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml"))
    chapters, problems = [], []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            display = str(Path(path).resolve().relative_to(Path.cwd()))
        except ValueError:
            display = str(path)
        chapter, found = load_chapter_file(Path(path), display)
        problems.extend(found)
        if chapter is None:
            continue
        clash = False
        for ex in chapter.exercises:
            if ex.id in seen:
                problems.append(Problem(display, int(ex.origin.rsplit(":", 1)[1]), ex.id, "id", f"duplicate exercise id (first defined at {seen[ex.id]})"))
                clash = True
            seen.setdefault(ex.id, ex.origin)
        if any(c.id == chapter.id for c in chapters):
            problems.append(Problem(display, 0, "", "chapter", f"chapter {chapter.id!r} is defined twice"))
            clash = True
        if not clash:
            chapters.append(chapter)
    if not paths:
        problems.append(Problem(str(directory), 0, "", "", "no bank files (*.yml) found"))
    return Bank(tuple(chapters)), problems


@lru_cache(maxsize=4)
def load(directory: str | None = None) -> Bank:
    """The validated bank; raises ``BankError`` (one line per problem) if anything is wrong."""
    bank, problems = validate(Path(directory) if directory else None)
    if problems:
        raise BankError(problems)
    return bank
