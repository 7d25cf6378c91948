"""Checking answers: one set of rules per type, against the bank's key or a sealed spec.

``check(ex, answer)`` scores against the bank; ``check_sealed(spec, answer)`` against a sealed spec
(the same Result, with feedback as HTML); ``explanation(spec, answer, attempts=...)`` opens a
sealed explanation. Both checks run the same rules (``rules.py``) through an oracle
(``oracles.py``), over one definition of what is right (``spec.clear_spec``).

Modules: ``spec`` (the clear spec), ``oracles``, ``rules``, ``crypto`` and ``sealing`` (the sealed
spec), ``solutions`` (the key values of code exercises, from the instructor's solution). The
canonical values they compare (normalisation, numbers, the tolerance grid, ``Result``) are the
package's leaf module ``exercises.canonical``.

Answer shapes, by type (this is also what the answer record stores):

==================  ==========================================================
single_choice       option id (str)
multiple_select     list of option ids
numeric             number (or a string holding one, e.g. "79,5" or "79.5%")
short_text          str
ordering            list of item ids, first to last
matching            {left id: right id}
categorisation      {item id: category id}
slot_coding         {slot id: option id}
relation_matrix     {"a/b": value id}   (either order of a and b)
code                {"code": str, "value": number or str}
==================  ==========================================================
"""
from __future__ import annotations

from typing import Any

from .. import models as m
from .. import types
from . import rules
from ..canonical import AnswerShapeError, Part, Result, normalise_text, parse_number  # noqa: F401  (the API)
from .crypto import decrypt, derive_key, explanation_key
from .oracles import KeyOracle, SealedOracle
from .sealing import FORMAT, SealError, seal  # noqa: F401  (the API)
from .spec import clear_spec

_CLEAR: dict[int, tuple[m.Exercise, dict[str, Any]]] = {}
_CLEAR_MAX = 4096


def _clear(ex: m.Exercise, expected: Any) -> dict[str, Any]:
    """The clear spec of ``ex``, built once per exercise object (grading checks thousands of answers)."""
    if expected is not None:
        return clear_spec(ex, expected=expected)
    hit = _CLEAR.get(id(ex))
    if hit is not None and hit[0] is ex:
        return hit[1]
    spec = clear_spec(ex)
    if len(_CLEAR) >= _CLEAR_MAX:
        _CLEAR.clear()
    _CLEAR[id(ex)] = (ex, spec)
    return spec


def check(ex: m.Exercise, answer: Any, *, expected: Any = None) -> Result:
    """Score ``answer`` against the key of ``ex``. Never raises on a bad answer.

    For ``code`` exercises, ``expected`` is the value the solution computes (by default it is
    computed with ``solutions.expected_value``); the student's code is never run.
    """
    if rules.blank(answer, ex.type):
        return Result(ex.id, 0.0, ex.points, (), "No answer given.", blank=True)
    return rules.run(KeyOracle(_clear(ex, expected)), answer)


def _sealed_oracle(spec: dict[str, Any]) -> SealedOracle:
    if not isinstance(spec, dict) or spec.get("format") != FORMAT:
        raise SealError(f"not a sealed exercise spec (expected format {FORMAT!r})")
    if spec.get("type") not in m.TYPES:
        raise SealError(f"unknown exercise type {spec.get('type')!r} in the sealed spec")
    return SealedOracle(spec)


def check_sealed(spec: dict[str, Any], answer: Any) -> Result:
    """Score ``answer`` against a sealed spec: the same Result as ``check`` gives against the bank,
    except that feedback texts are HTML. Never raises on a bad answer."""
    return rules.run(_sealed_oracle(spec), answer)


def explanation(spec: dict[str, Any], answer: Any = None, *, attempts: int = 0) -> str | None:
    """The explanation's HTML if ``answer`` is right in every part, or (study mode only) once
    ``attempts`` reaches the spec's threshold; else None. Course-mode specs carry none."""
    info = spec.get("explanation")
    if not info:
        return None
    oracle = _sealed_oracle(spec)
    if answer is not None:
        result = rules.run(oracle, answer)
        part_ids = spec["part_ids"]
        if result.correct and all(p in oracle.secrets for p in part_ids):
            return decrypt(explanation_key([oracle.secrets[p] for p in part_ids]), info["solved"])
    if attempts >= int(info["after"]):
        return decrypt(derive_key(spec["salt"], "attempts", str(info["after"])), info["attempts"])
    return None


def submitted_texts(spec: dict[str, Any], answer: Any) -> dict[str, Any] | None:
    """What a written exercise's sealed spec opens once a response is submitted (HTML: the rubric
    descriptors; in study mode the model answer and answer notes); None for a blank or
    wrongly-shaped response, or a spec without such texts."""
    result = check_sealed(spec, answer)
    if "submitted" not in spec or not result.valid or result.blank:
        return None
    import json
    return json.loads(decrypt(derive_key(spec["salt"], "submitted"), spec["submitted"]))


def key_answer(ex: m.Exercise) -> Any:
    """An answer that the key scores full marks (for tests, benchmarks and model answers)."""
    return types.kind(ex.type).key_answer(ex)
