"""The scoring rules, written once per type against an oracle (``oracles.py``).

``run(oracle, answer) -> Result`` scores an answer using only the public structure of the
oracle's spec and the oracle's answers about the key, so the same rules check against the bank
(``KeyOracle``) and against a sealed spec (``SealedOracle``). A rule never raises on a student's
answer: an answer of the wrong shape scores 0 with ``valid=False`` and a message saying what was
expected. ``assets/exercises.js`` implements the same rules; ``tests/vectors.json`` keeps them in step.
"""
from __future__ import annotations

from typing import Any, Callable

from ..models import cell_id
from ..canonical import (AnswerShapeError, Part, Result, expect_id_list, expect_mapping, grid_neighbours,
                        is_blank, normalise_text, parse_number)
from .oracles import Oracle


def _result(o: Oracle, score: float, parts: list[Part], feedback: str = "") -> Result:
    return Result(o.spec["id"], score, float(o.spec["points"]), tuple(parts), feedback)


def _parts_result(o: Oracle, parts: list[Part]) -> Result:
    fraction = sum(p.correct for p in parts) / len(parts) if parts else 0.0
    return _result(o, float(o.spec["points"]) * fraction, parts)


def single_choice(o: Oracle, answer: Any) -> Result:
    if not isinstance(answer, str):
        raise AnswerShapeError("expected one option id")
    if answer not in o.spec["options"]:
        raise AnswerShapeError(f"{answer[:40]!r} is not one of the options")
    ok = o.accepts("answer", answer)
    return _result(o, float(o.spec["points"]) if ok else 0.0, [Part(answer, ok, o.feedback("option", answer))])


def multiple_select(o: Oracle, answer: Any) -> Result:
    chosen = expect_id_list(answer)
    unknown = [c for c in chosen if c not in o.spec["options"]]
    if unknown:
        raise AnswerShapeError(f"{unknown[0][:40]!r} is not one of the options")
    chosen = list(dict.fromkeys(chosen))
    n_keys = int(o.spec["n_keys"])
    parts = [Part(c, o.is_member(c), o.feedback("option", c)) for c in chosen]
    right = sum(p.correct for p in parts)
    fraction = max(0.0, (right - (len(parts) - right)) / n_keys)
    summary = f"{right} of the {n_keys} right options chosen" + (f", {len(parts) - right} wrong" if len(parts) > right else "")
    o.accepts("answer", "\x1e".join(sorted(chosen)))  # a full set unlocks the part's secret
    return _result(o, float(o.spec["points"]) * fraction, parts, summary)


def _number(o: Oracle, value: float) -> Result:
    candidates = grid_neighbours(value, o.spec["tolerance"])
    if any(o.accepts("answer", c) for c in candidates):
        return _result(o, float(o.spec["points"]), [Part("answer", True, "")])
    mis = o.misconception(candidates)
    return _result(o, 0.0, [Part("answer", False, mis if mis is not None else o.feedback("incorrect"))])


def numeric(o: Oracle, answer: Any) -> Result:
    return _number(o, parse_number(answer))


def short_text(o: Oracle, answer: Any) -> Result:
    if not isinstance(answer, str):
        raise AnswerShapeError("expected text")
    given = normalise_text(answer[:2000])
    if o.accepts("answer", given) or o.accepts_pattern(given):
        return _result(o, float(o.spec["points"]), [Part("answer", True, "")])
    mis = o.misconception([given])
    return _result(o, 0.0, [Part("answer", False, mis if mis is not None else o.feedback("incorrect"))])


def ordering(o: Oracle, answer: Any) -> Result:
    order = expect_id_list(answer)
    known = set(o.spec["items"])
    if set(order) != known or len(order) != len(known):
        raise AnswerShapeError("expected every item exactly once")
    return _parts_result(o, [Part(str(i + 1), o.accepts(str(i + 1), item)) for i, item in enumerate(order)])


def _mapping(o: Oracle, given: dict[str, str], what: str) -> Result:
    part_ids = o.spec["part_ids"]
    unknown = [k for k in given if k not in part_ids]
    if unknown:
        raise AnswerShapeError(f"{unknown[0][:40]!r} is not one of the {what}")
    bad = [v for v in given.values() if v not in o.spec["choices"]]
    if bad:
        raise AnswerShapeError(f"{bad[0][:40]!r} is not one of the choices")
    parts = []
    for pid in part_ids:
        ok = pid in given and o.accepts(pid, given[pid])
        parts.append(Part(pid, ok, "" if ok or pid not in given else o.feedback("wrong", pid)))
    return _parts_result(o, parts)


def matching(o: Oracle, answer: Any) -> Result:
    return _mapping(o, expect_mapping(answer, "left items to right items"), "items to match")


def categorisation(o: Oracle, answer: Any) -> Result:
    return _mapping(o, expect_mapping(answer, "items to categories"), "items")


def slot_coding(o: Oracle, answer: Any) -> Result:
    return _mapping(o, expect_mapping(answer, "slots to options"), "slots")


def relation_matrix(o: Oracle, answer: Any) -> Result:
    given = {}
    for k, v in expect_mapping(answer, "cells to values").items():
        a, sep, b = k.partition("/")
        given[cell_id(a, b) if sep else k] = v  # either order of the two actors
    return _mapping(o, given, "cells")


def code(o: Oracle, answer: Any) -> Result:
    if not isinstance(answer, dict) or "value" not in answer:
        raise AnswerShapeError("expected the code and the value it computed")
    if o.spec["kind"] == "number":
        return _number(o, parse_number(answer["value"]))
    got = answer["value"]
    if not isinstance(got, str):
        raise AnswerShapeError("expected text as the result")
    ok = o.accepts("answer", normalise_text(got))
    return _result(o, float(o.spec["points"]) if ok else 0.0, [Part("answer", ok, "")])


RULES: dict[str, Callable[[Oracle, Any], Result]] = {
    "single_choice": single_choice, "multiple_select": multiple_select, "numeric": numeric,
    "short_text": short_text, "ordering": ordering, "matching": matching, "categorisation": categorisation,
    "slot_coding": slot_coding, "relation_matrix": relation_matrix, "code": code,
}


def blank(answer: Any, kind: str) -> bool:
    return is_blank(answer) or (kind == "code" and isinstance(answer, dict) and is_blank(answer.get("value")))


def run(o: Oracle, answer: Any) -> Result:
    """Score ``answer``; never raises on a bad answer."""
    spec = o.spec
    if blank(answer, spec["type"]):
        return Result(spec["id"], 0.0, float(spec["points"]), (), "No answer given.", blank=True)
    try:
        return RULES[spec["type"]](o, answer)
    except AnswerShapeError as err:
        return Result(spec["id"], 0.0, float(spec["points"]), (), f"Answer not understood: {err}.", valid=False)
