"""Load and validate the exercise bank (``exercises/bank/*.yml``).

Validation has two layers: the published JSON Schema (``schema/bank.schema.v1.json``) for shape,
then the rules a schema cannot express (keys among the options, objectives that exist, ids unique
across the bank, ids that carry their chapter). Every problem becomes one ``Problem`` that names
file, line, exercise id and field; nothing here raises a traceback at an author.
"""
from __future__ import annotations

import json
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
from . import types
from .types.base import KeyRules
from . import settings

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
    return settings.current().bank_dir or Path(str(resources.files("exercises") / "bank"))


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


def _forbidden(schema_doc: dict, err: Any, data: Any, path: list[Any]) -> list[str]:
    """The fields of the exercise at ``path`` that the schema's ``properties`` (where a False
    schema failed) forbid; jsonschema reports such an error at the exercise, not at the field."""
    node: Any = schema_doc
    try:
        for step in err.schema_path:
            if isinstance(node, dict) and step not in node and "$ref" in node:  # "#/$defs/exercise"
                ref = node["$ref"]
                node = schema_doc
                for part in ref.removeprefix("#/").split("/"):
                    node = node[part]
            node = node[step]
        ex = data[path[0]][path[1]]
    except (KeyError, IndexError, TypeError):
        return []
    if not isinstance(node, dict) or not isinstance(ex, dict):
        return []
    return [f for f, sub in node.items() if sub is False and f in ex]


def data_type(data: Any, path: list[Any]) -> str:
    """The type named by the exercise at ``path`` (``exercises``, index), for messages."""
    try:
        return str(data[path[0]][path[1]].get("type"))
    except (IndexError, KeyError, TypeError, AttributeError):
        return "these"


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
            message = "missing required field" if missing else message
        elif err.schema is False and ex_id and not inner and _forbidden(schema_doc or schema(), err, data, path):
            for field in _forbidden(schema_doc or schema(), err, data, path):  # fields the type does not have
                message = f"field not allowed here ({data_type(data, path)} exercises have no {field!r})"
                if (ex_id, field, message) not in seen:
                    seen.add((ex_id, field, message))
                    problems.append(Problem(display, line_of(data, path + [field]), ex_id, field, message))
            continue
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


def _key_problems(ex: dict, here: list[Any], add) -> list[Problem]:
    """The type's own rules for its key (``exercises.types.<type>.key_problems``)."""
    if ex.get("type") in types.REGISTRY:
        types.kind(ex["type"]).key_problems(ex, KeyRules(here, add))
    return []


# --- building models ----------------------------------------------------------------------------

def build_exercise(ex: dict, chapter: str, origin: str) -> m.Exercise:
    common = dict(
        id=ex["id"], title=ex["title"], prompt=ex["prompt"], points=float(ex["points"]),
        objectives=tuple(ex["objectives"]), bloom=ex["bloom"], hints=tuple(ex["hints"]),
        explanation=ex["explanation"], sources=tuple(ex.get("sources", ())), chapter=chapter, origin=origin,
    )
    return types.kind(ex["type"]).build(ex, common)


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
