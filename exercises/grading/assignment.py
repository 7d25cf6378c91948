"""Graded assignments as data: ``<name>.yml`` files (samples in ``examples/assignments/``).

An assignment lists exercises from the bank, or from its own private bank file
(``<name>.bank.yml`` beside it, same format as a chapter file), with points, a feedback policy
per exercise (``immediate`` with a number of attempts, or ``none`` until grading), an optional
attempt penalty, a due date, and optional ``params`` that give each student different numbers.
Problems are reported like the bank's: one line each, naming file, line, exercise id and field.
See ``docs/grading.md`` for the format.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping


from .. import bank as bank_mod
from .. import models as m
from ..bank import Problem

SCHEMA_VERSION = 1
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?\s*\}\}")


class AssignmentError(Exception):
    """The assignment has problems; ``problems`` lists them, ``str()`` gives one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Policy:
    """How an exercise behaves in the student's notebook, and what attempts cost."""

    feedback: str = "immediate"  # "immediate": checked with feedback; "none": recorded only
    max_attempts: int | None = 3
    penalty_per_attempt: float = 0.0  # fraction of the exercise's score lost per extra attempt
    penalty_max: float = 1.0

    def penalty(self, attempts: int) -> float:
        """Fraction of the score lost for ``attempts`` checks (the first is free)."""
        if self.feedback != "immediate" or not self.penalty_per_attempt:
            return 0.0
        return min(self.penalty_max, self.penalty_per_attempt * max(0, int(attempts) - 1))

    def describe(self) -> str:
        if self.feedback == "none":
            return "no feedback until grading; you may change your answer until you hand in"
        text = "immediate feedback"
        if self.max_attempts:
            text += f", up to {self.max_attempts} attempt" + ("s" if self.max_attempts != 1 else "")
        if self.penalty_per_attempt:
            text += (f"; each attempt after the first costs {self.penalty_per_attempt:.0%} of the score"
                     + (f" (at most {self.penalty_max:.0%})" if self.penalty_max < 1 else ""))
        return text


@dataclass(frozen=True)
class Item:
    """One exercise of an assignment."""

    id: str
    number: int  # 1-based position in the assignment
    points: float
    policy: Policy
    params: Mapping[str, tuple[Any, ...]]  # name -> the values a variant chooses from
    private: bool  # from the assignment's private bank
    hints: bool = True  # the bank's hints travel to the student's notebook
    show_rubric: bool = False  # a written item's rubric descriptors travel too (never its model answer)
    raw: Mapping[str, Any] | None = None  # the bank record, for exercises with params
    chapter: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    instructions: str
    due: dt.datetime | None
    file: str
    items: tuple[Item, ...]
    hints: bool
    report_explanations: bool
    report_key: bool
    fingerprint: str  # changes whenever a key, a point value or a policy changes
    exercises: Mapping[str, m.Exercise] = field(repr=False, default_factory=dict)
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def total_points(self) -> float:
        return sum(it.points for it in self.items)

    @property
    def has_params(self) -> bool:
        return any(it.params for it in self.items)

    def item(self, exercise_id: str) -> Item:
        for it in self.items:
            if it.id == exercise_id:
                return it
        raise KeyError(f"assignment {self.name!r} has no exercise {exercise_id!r}")

    def exercise(self, exercise_id: str, choice: Mapping[str, Any] | None = None) -> m.Exercise:
        """The exercise as this assignment grades it: its points, and the chosen params filled in."""
        it = self.item(exercise_id)
        key = (exercise_id, json.dumps(choice or {}, sort_keys=True))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if it.params:
            if not choice:
                raise ValueError(f"{exercise_id} has params: a variant must choose them")
            raw = substitute(it.raw, choice)
            ex = bank_mod.build_exercise(raw, it.chapter, it.origin)
        else:
            ex = self.exercises[exercise_id]
        ex = dataclasses.replace(ex, points=float(it.points))
        self._cache[key] = ex
        return ex


# --- params ----------------------------------------------------------------------------------

def substitute(record: Any, choice: Mapping[str, Any]) -> Any:
    """Fill ``{{name}}`` and ``{{name.key}}`` placeholders in every string of a bank record."""
    if isinstance(record, str):
        def repl(mt: re.Match) -> str:
            value = choice[mt.group(1)]
            if mt.group(2):
                value = value[mt.group(2)]
            return _format(value)
        return PLACEHOLDER.sub(repl, record)
    if isinstance(record, Mapping):
        return {k: substitute(v, choice) for k, v in record.items()}
    if isinstance(record, list):
        return [substitute(v, choice) for v in record]
    return record


def _format(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def placeholders(record: Any) -> set[tuple[str, str | None]]:
    found: set[tuple[str, str | None]] = set()
    if isinstance(record, str):
        found.update((mt.group(1), mt.group(2)) for mt in PLACEHOLDER.finditer(record))
    elif isinstance(record, Mapping):
        for v in record.values():
            found |= placeholders(v)
    elif isinstance(record, list):
        for v in record:
            found |= placeholders(v)
    return found


def all_choices(item: Item) -> list[dict[str, Any]]:
    """Every combination of params an item can take (for checks and tests)."""
    combos: list[dict[str, Any]] = [{}]
    for name, values in item.params.items():
        combos = [dict(c, **{name: v}) for c in combos for v in values]
    return combos


# --- finding and reading ---------------------------------------------------------------------

def default_dir() -> Path:
    """The sample assignments (``examples/assignments`` beside the package in a source checkout;
    not package data, since their private banks must not reach students)."""
    return Path(__file__).resolve().parents[2] / "examples" / "assignments"


def find(name_or_path: str | Path) -> Path:
    """An assignment by name (``a1_rsct``) in the package's folder, or a path to its YAML file."""
    p = Path(name_or_path)
    if p.suffix in (".yml", ".yaml") or p.exists():
        return p
    return default_dir() / f"{name_or_path}.yml"


def names() -> list[str]:
    return sorted(p.stem for p in default_dir().glob("*.yml") if not p.name.endswith(".bank.yml"))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads((resources.files("exercises") / "schema" / "assignment.schema.v1.json").read_text("utf-8"))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _schema_problems(data: Any, display: str) -> list[Problem]:
    return bank_mod.schema_problems(data, display, schema(), rewrite={
        "anyOf": "a param value must be a number, a text, or a mapping of names to numbers or texts"})


def _due(value: Any, display: str, line: int) -> tuple[dt.datetime | None, list[Problem]]:
    if value is None:
        return None, []
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, str):
        try:
            when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None, [Problem(display, line, "", "due", f"{value!r} is not a date and time (write e.g. 2026-10-16T23:59:00+05:00)")]
    else:
        return None, [Problem(display, line, "", "due", "write the due date as a date and time with a time zone, e.g. 2026-10-16T23:59:00+05:00")]
    if when.tzinfo is None:
        return None, [Problem(display, line, "", "due", "the due date needs a time zone (e.g. +05:00 or Z), or students in other zones get a different deadline")]
    return dt.datetime.fromtimestamp(when.timestamp(), when.tzinfo), []


def _policy(spec: Mapping[str, Any], base: Policy) -> Policy:
    feedback = spec.get("feedback", base.feedback)
    max_attempts = spec.get("max_attempts", base.max_attempts if feedback == "immediate" else None)
    penalty = spec.get("penalty")
    per, cap = (base.penalty_per_attempt, base.penalty_max) if penalty is None else (
        float(penalty["per_attempt"]), float(penalty.get("max", 1.0)))
    if feedback == "none":
        max_attempts, per, cap = None, 0.0, 1.0
    return Policy(feedback, max_attempts, per, cap)


def _private_bank(path: Path, public: bank_mod.Bank) -> tuple[bank_mod.Chapter | None, dict[str, dict], list[Problem]]:
    display = _display(path)
    data, problems = bank_mod.read_file(path, display)
    if problems:
        return None, {}, problems
    problems = bank_mod.schema_problems(data, display)
    if problems:
        return None, {}, problems
    chapter = data.get("chapter", "")
    problems = bank_mod.semantic_problems(data, display, chapter)
    if chapter in {c.id for c in public.chapters}:
        problems.append(Problem(display, bank_mod.line_of(data, ["chapter"]), "", "chapter",
                                f"chapter {chapter!r} is a chapter of the public bank; give the private bank its own id"))
    if problems:
        return None, {}, problems
    plain = bank_mod.to_plain(data)
    exercises, raws = [], {}
    for i, ex in enumerate(plain["exercises"]):
        origin = f"{display}:{bank_mod.line_of(data, ['exercises', i])}"
        if ex["id"] in public.exercises:
            problems.append(Problem(display, int(origin.rsplit(":", 1)[1]), ex["id"], "id",
                                    f"exercise id is also in the public bank ({public[ex['id']].origin})"))
            continue
        raws[ex["id"]] = dict(ex, _origin=origin)
        if placeholders(ex):
            continue  # built per variant, once params are known
        exercises.append(bank_mod.build_exercise(ex, chapter, origin))
    objectives = tuple(m.Objective(o["id"], o["text"], chapter) for o in plain["objectives"])
    return bank_mod.Chapter(chapter, plain["title"], display, objectives, tuple(exercises)), raws, problems


_BANK_CACHE: dict[tuple, tuple[bank_mod.Bank, list[Problem]]] = {}


def _public_bank(bank_dir: Path | None) -> tuple[bank_mod.Bank, list[Problem]]:
    """The public bank (valid chapters and problems), re-read only when a bank file changed."""
    folder = Path(bank_dir) if bank_dir else bank_mod.default_bank_dir()
    files = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
    key = (str(folder.resolve()), str(Path.cwd()),
           tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _BANK_CACHE:
        _BANK_CACHE.clear()
        _BANK_CACHE[key] = bank_mod.validate(folder)
    return _BANK_CACHE[key]


def load(name_or_path: str | Path, *, bank_dir: Path | None = None) -> Assignment:
    """Read and validate an assignment; raises ``AssignmentError`` (one line per problem)."""
    path = find(name_or_path)
    display = _display(path)
    if not path.is_file():
        available = ", ".join(names()) or "none"
        raise AssignmentError([Problem(display, 0, "", "", f"no such assignment file (assignments available: {available})")])
    data, problems = bank_mod.read_file(path, display)
    if problems:
        if "a bank file must be a mapping" in problems[0].message:
            problems = [dataclasses.replace(problems[0], message="an assignment file must be a mapping with schema_version, assignment, title, exercises")]
        raise AssignmentError(problems)
    problems = _schema_problems(data, display)
    if problems:
        raise AssignmentError(problems)
    plain = bank_mod.to_plain(data)

    def line(*keys: Any) -> int:
        return bank_mod.line_of(data, list(keys))

    if plain["assignment"] != path.stem:
        problems.append(Problem(display, line("assignment"), "", "assignment",
                                f"assignment {plain['assignment']!r} does not match the file name {path.stem!r}"))
    due, found = _due(data.get("due"), display, line("due"))
    problems += found

    public, bank_problems = _public_bank(bank_dir)
    bank_file = path.parent / plain["bank"] if "bank" in plain else path.with_name(f"{path.stem}.bank.yml")
    private, raws, private_broken = None, {}, False
    if "bank" in plain and not bank_file.is_file():
        problems.append(Problem(display, line("bank"), "", "bank", f"private bank file {plain['bank']!r} not found beside the assignment"))
    elif bank_file.is_file():
        private, raws, found = _private_bank(bank_file, public)
        problems += found
        private_broken = bool(found)

    defaults = plain.get("defaults", {})
    base = _policy(defaults, Policy())
    if defaults.get("feedback") == "none" and ("max_attempts" in defaults or "penalty" in defaults):
        problems.append(Problem(display, line("defaults"), "", "defaults",
                                "max_attempts and penalty need feedback: immediate (without feedback a student cannot know to try again)"))
    known = dict(public.exercises)
    if private:
        known.update({ex.id: ex for ex in private.exercises})
    items, seen, used = [], set(), {}
    for i, entry in enumerate(plain["exercises"]):
        ex_id = entry["id"]
        here = ("exercises", i)
        if ex_id in seen:
            problems.append(Problem(display, line(*here, "id"), ex_id, "id", "the exercise is listed twice"))
            continue
        seen.add(ex_id)
        if entry.get("feedback", base.feedback) == "none" and ("max_attempts" in entry or "penalty" in entry):
            problems.append(Problem(display, line(*here), ex_id, "feedback",
                                    "max_attempts and penalty need feedback: immediate (without feedback a student cannot know to try again)"))
        policy = _policy(entry, base)
        params = {k: tuple(v) for k, v in (entry.get("params") or {}).items()}
        raw = raws.get(ex_id)
        if raw is None and ex_id not in known:
            if private_broken:
                continue  # its problems are listed above; one missing id per exercise would bury them
            chapter = ex_id.split("_ex")[0]
            why = next((p for p in bank_problems if f"/{chapter}.y" in p.file.replace("\\", "/") or p.file.endswith(f"{chapter}.yml")), None)
            hint = f" (the bank file for {chapter!r} has problems: {why})" if why else ""
            problems.append(Problem(display, line(*here, "id"), ex_id, "id", f"no exercise {ex_id!r} in the bank or in the assignment's private bank{hint}"))
            continue
        needed = placeholders({k: v for k, v in raw.items() if k != "_origin"}) if raw else set()
        if params and not raw:
            problems.append(Problem(display, line(*here, "params"), ex_id, "params",
                                    "params need {{name}} placeholders in the exercise; put parameterised exercises in the assignment's private bank"))
            continue
        for name, key in sorted(needed, key=lambda t: (t[0], t[1] or "")):
            if name not in params:
                problems.append(Problem(display, line(*here), ex_id, "params", f"the exercise uses {{{{{name}}}}} but the assignment gives no params.{name}"))
                continue
            for k, value in enumerate(params[name]):
                if key and not (isinstance(value, Mapping) and key in value):
                    problems.append(Problem(display, line(*here, "params", name, k), ex_id, f"params.{name}[{k}]",
                                            f"the exercise uses {{{{{name}.{key}}}}}, so each value needs a {key!r} field"))
                elif not key and isinstance(value, Mapping):
                    problems.append(Problem(display, line(*here, "params", name, k), ex_id, f"params.{name}[{k}]",
                                            f"the exercise uses {{{{{name}}}}} as a plain value, but this value is a mapping"))
        for name in params:
            if name not in {n for n, _ in needed}:
                problems.append(Problem(display, line(*here, "params", name), ex_id, f"params.{name}", f"param {name!r} is not used by the exercise"))
        if raw is not None and needed:
            chapter = private.id if private else ""
            origin = raw["_origin"]
            record = {k: v for k, v in raw.items() if k != "_origin"}
            points = float(entry.get("points", record["points"]))
            item = Item(ex_id, len(items) + 1, points, policy, params, True,
                        entry.get("hints", plain.get("hints", True)), bool(entry.get("show_rubric", False)), record,
                        chapter, origin)
        else:
            ex = known[ex_id]
            item = Item(ex_id, len(items) + 1, float(entry.get("points", ex.points)), policy, {}, raw is not None,
                        entry.get("hints", plain.get("hints", True)), bool(entry.get("show_rubric", False)), None,
                        ex.chapter, ex.origin)
        used[ex_id] = known.get(ex_id)
        items.append(item)
    if problems:
        raise AssignmentError(problems)

    fingerprint = hashlib.sha256(json.dumps({
        "assignment": plain,
        "items": [{k: v for k, v in dataclasses.asdict(it).items() if k != "origin"}
                  | {"exercise": _model_digest(used[it.id])} for it in items],
    }, sort_keys=True, default=str).encode()).hexdigest()
    report = plain.get("report", {})
    return Assignment(
        name=plain["assignment"], title=plain["title"], instructions=plain.get("instructions", ""), due=due,
        file=display, items=tuple(items), hints=plain.get("hints", True),
        report_explanations=report.get("explanations", True), report_key=report.get("key", False),
        fingerprint=fingerprint, exercises={k: v for k, v in used.items() if v is not None},
    )


def _model_digest(ex: m.Exercise | None) -> Any:
    if ex is None:
        return None
    d = dataclasses.asdict(ex)
    d.pop("origin", None)
    return d


def check_solutions(a: Assignment) -> list[Problem]:
    """Run every code solution of the assignment for every params choice (authoring check)."""
    from ..checking.solutions import SolutionError, expected_value
    problems = []
    for it in a.items:
        choices = all_choices(it) if it.params else [None]
        for choice in choices:
            ex = a.exercise(it.id, choice)
            if not isinstance(ex, m.Code):  # only code exercises have a solution to run
                continue
            try:
                expected_value(ex)
            except SolutionError as err:
                problems.append(Problem(a.file, 0, it.id, "solution", f"{err} (params {choice})" if choice else str(err)))
    return problems


def validate(paths: Iterable[Path] | None = None) -> list[Problem]:
    """Every problem in the given assignment files (default: all in the package's folder)."""
    problems: list[Problem] = []
    for p in (list(paths) if paths is not None else [find(n) for n in names()]):
        try:
            problems += check_solutions(load(p))
        except AssignmentError as err:
            problems += err.problems
    return problems
