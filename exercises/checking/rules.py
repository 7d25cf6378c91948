"""Running the scoring rules: each type's ``check`` (``exercises.types.<type>``), written once
against an oracle (``oracles.py``).

``run(oracle, answer) -> Result`` scores an answer using only the public structure of the
oracle's spec and the oracle's answers about the key, so the same rules check against the bank
(``KeyOracle``) and against a sealed spec (``SealedOracle``). A rule never raises on a student's
answer: an answer of the wrong shape scores 0 with ``valid=False`` and a message saying what was
expected. ``assets/exercises.js`` implements the same rules; ``tests/vectors.json`` keeps them in step.
"""
from __future__ import annotations

from typing import Any

from .. import types
from ..canonical import AnswerShapeError, Result, is_blank
from .oracles import Oracle


def blank(answer: Any, kind: str) -> bool:
    """No answer at all, or (where the type says so: ``is_blank``) nothing in the part that counts."""
    return is_blank(answer) or bool(getattr(types.kind(kind), "is_blank", lambda a: False)(answer))


def run(o: Oracle, answer: Any) -> Result:
    """Score ``answer``; never raises on a bad answer."""
    spec = o.spec
    if blank(answer, spec["type"]):
        return Result(spec["id"], 0.0, float(spec["points"]), (), "No answer given.", blank=True)
    try:
        return types.kind(spec["type"]).check(o, answer)
    except AnswerShapeError as err:
        return Result(spec["id"], 0.0, float(spec["points"]), (), f"Answer not understood: {err}.", valid=False,
                      error=err.as_dict())
