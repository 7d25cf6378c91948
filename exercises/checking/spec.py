"""The clear spec: an exercise reduced to what checking needs, with its key in canonical form.

``clear_spec(ex)`` gives two things: the public structure a checker reads (ids, parts, choices,
tolerance; the same fields a sealed spec carries), and under ``"key"`` the accepted canonical
values of every part and the feedback texts, in clear. Checking against the bank reads the key
directly (``oracles.KeyOracle``); sealing (``sealing.seal``) hashes and encrypts the same key, so
both checkers see one definition of what is right.

Nothing here follows the bank's order of options, items or choices (they are sorted): authors
tend to list the right option first, or the items in the right order.
"""
from __future__ import annotations

from typing import Any

from .. import models as m
from ..markdown import to_text
from ..canonical import GRID_STEPS, code_value, grid_index, grid_text, normalise_text

#: the types whose answer maps parts (rows, slots, cells) to choices
MAPPING_TYPES = ("matching", "categorisation", "slot_coding", "relation_matrix")


def _tolerance(tol: Any) -> dict[str, float]:
    tol = dict(tol or {})
    return {"abs": float(tol["abs"])} if "abs" in tol else {"rel": float(tol["rel"])}


class _Key:
    """The clear key as it is built: accepted values per part, in first-seen order, no repeats."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.accept: dict[str, list[str]] = {}

    def add(self, part: str, value: str) -> None:
        if part not in self.accept:
            self.parts.append(part)
            self.accept[part] = []
        if value not in self.accept[part]:
            self.accept[part].append(value)


def _ordered_pair(cell: str, actors: list[str]) -> tuple[str, str]:
    a, b = cell.split("/", 1)
    return (a, b) if actors.index(a) <= actors.index(b) else (b, a)


def clear_spec(ex: m.Exercise, *, expected: Any = None) -> dict[str, Any]:
    """The structure and clear key of ``ex``. ``expected``: the value a code exercise's solution
    computes (when omitted, the solution runs here: instructor code only, see ``solutions``)."""
    k = _Key()
    key: dict[str, Any] = {"option_feedback": {}, "wrong": {}, "misconceptions": [], "incorrect": "",
                           "pattern": "", "members": [], "explanation": ex.explanation}
    spec: dict[str, Any] = {"id": ex.id, "type": ex.type, "chapter": ex.chapter, "objectives": list(ex.objectives),
                            "points": float(ex.points), "labels": {}}
    kind = ex.type
    if kind in ("single_choice", "multiple_select"):
        spec["options"] = sorted(o.id for o in ex.options)
        spec["labels"] = {o.id: to_text(o.text) for o in ex.options}
        key["option_feedback"] = {o.id: o.feedback for o in ex.options if o.feedback}
        if kind == "single_choice":
            k.add("answer", ex.answer)
        else:
            key["members"] = sorted(ex.answer)
            spec["n_keys"] = len(ex.answer)
            k.add("answer", "\x1e".join(sorted(ex.answer)))
    elif kind in ("numeric", "code"):
        spec["labels"] = {"answer": "Your answer"}
        misconceptions: tuple = ()
        if kind == "code":
            if expected is None:
                from .solutions import expected_value
                expected = expected_value(ex)
            want = code_value(expected)
            spec["result"] = ex.result
            spec["unit"] = ex.unit
            spec["kind"] = "number" if isinstance(want, float) else "text"
            tol = _tolerance(ex.tolerance or {"abs": 1e-9})
        else:
            want, tol, misconceptions = float(ex.answer), _tolerance(ex.tolerance), ex.misconceptions
            spec["unit"] = ex.unit
            spec["kind"] = "number"
        if spec["kind"] == "number":
            spec["tolerance"], spec["steps"] = tol, GRID_STEPS
            k.add("answer", grid_text(*grid_index(want, tol)))
            key["misconceptions"] = [(grid_text(*grid_index(float(mis["answer"]), tol)), mis["feedback"])
                                     for mis in misconceptions]
        else:
            k.add("answer", normalise_text(want))
    elif kind == "short_text":
        spec["labels"] = {"answer": "Your answer"}
        for variant in ex.answer:
            k.add("answer", normalise_text(variant))
        key["pattern"] = ex.pattern
        key["misconceptions"] = [(normalise_text(mis["answer"]), mis["feedback"]) for mis in ex.misconceptions]
    elif kind == "ordering":
        spec["items"] = sorted(i.id for i in ex.items)
        for position, item in enumerate(ex.answer, start=1):
            k.add(str(position), item)
        spec["labels"] = {str(p): f"Position {p}" for p in range(1, len(ex.answer) + 1)}
    elif kind in MAPPING_TYPES:
        if kind == "matching":
            parts, choices = sorted(c.id for c in ex.left), [c.id for c in ex.right]
            spec["labels"] = {c.id: to_text(c.text) for c in ex.left}
            accepted = {p: (ex.answer[p],) for p in parts}
        elif kind == "categorisation":
            parts, choices = sorted(c.id for c in ex.items), [c.id for c in ex.categories]
            spec["labels"] = {c.id: to_text(c.text) for c in ex.items}
            accepted = {p: (ex.answer[p],) for p in parts}
        elif kind == "slot_coding":
            parts = [sl.id for sl in ex.slots]
            choices = list(dict.fromkeys(o.id for sl in ex.slots for o in sl.options))
            spec["labels"] = {sl.id: to_text(sl.label) for sl in ex.slots}
            accepted = {p: tuple(ex.answer[p]) for p in parts}
        else:
            parts, choices = list(ex.answer), [v.id for v in ex.values]
            names = {a.id: to_text(a.text) for a in ex.actors}
            spec["actors"] = [a.id for a in ex.actors]
            spec["labels"] = {c: " and ".join(names[x] for x in _ordered_pair(c, spec["actors"])) for c in parts}
            accepted = {p: tuple(ex.answer[p]) for p in parts}
        spec["choices"] = sorted(choices)  # in the bank's order, choices may pair up with parts
        for p in parts:
            for value in accepted[p]:
                k.add(p, value)
        key["wrong"] = {p: text for p, text in dict(getattr(ex, "feedback", {}) or {}).items() if text}
    else:  # pragma: no cover - the bank admits only the known types
        raise ValueError(f"{ex.id}: unknown exercise type {kind!r}")
    feedback = getattr(ex, "feedback", None)
    if kind in ("numeric", "short_text") and isinstance(feedback, dict) and feedback.get("incorrect"):
        key["incorrect"] = feedback["incorrect"]
    spec["part_ids"] = k.parts
    spec["labels"] = dict(sorted(spec["labels"].items()))  # no trace of the bank's order
    key["accept"] = k.accept
    spec["key"] = key
    return spec
