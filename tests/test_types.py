"""The per-type registry (``exercises.types``): each type's rules live in its own module, every
view and the browser checker know every registered type, and nothing outside the registry
branches on a type's name."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exercises import types
from exercises.types.base import Exercise
from exercises.views.widgets.exercise import INPUTS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "exercises"
INTERFACE = ("TYPE", "OPTIONS", "PARTIAL_CREDIT", "Model", "build", "key_problems", "clear", "check", "static", "key_answer", "answer_html", "answer_text")


@pytest.mark.parametrize("mod", types.MODULES, ids=[m.TYPE for m in types.MODULES])
def test_each_type_module_has_the_whole_interface(mod):
    missing = [name for name in INTERFACE if not hasattr(mod, name)]
    assert not missing, f"{mod.__name__} lacks {missing}"
    assert issubclass(mod.Model, Exercise) and mod.Model.type == mod.TYPE
    assert mod.__name__.rpartition(".")[2] == mod.TYPE


def test_every_view_and_the_schema_know_every_registered_type():
    names = set(types.REGISTRY)
    schema = json.loads((PACKAGE / "schema" / "bank.schema.v1.json").read_text("utf-8"))
    enum = next(v["enum"] for v in _walk(schema) if isinstance(v, dict) and "enum" in v and "single_choice" in v["enum"])
    assert set(enum) == names
    assert {p.stem.removesuffix(".html") for p in (PACKAGE / "templates" / "static" / "controls").glob("[!_]*.j2")} == names
    assert set(INPUTS) | {"code"} == names  # code's input takes the kernel namespace too
    js = (PACKAGE / "assets" / "exercises.js").read_text("utf-8")
    missing = [name for name in names if not re.search(rf"^\s+{name}\((answer|a)\) {{", js, re.M)]
    assert not missing, f"no checker method in exercises.js for {missing}"


def test_an_unknown_type_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown exercise type 'essay' \\(known: single_choice"):
        types.kind("essay")


def test_nothing_outside_the_registry_branches_on_a_type_name():
    names = "|".join(types.REGISTRY)
    branch = re.compile(rf"""\b(type|kind)\s*(==|!=|in)\s*\(?["']({names})["']""")
    hits = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "types" or rel.parts[:2] == ("views", "widgets") or rel.name == "handout.py":  # the registry; widget inputs
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if branch.search(line):
                hits.append(f"exercises/{rel}:{n}: {line.strip()}")
    assert not hits, "\n".join(hits)


def _walk(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
