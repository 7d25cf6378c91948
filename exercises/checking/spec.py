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
from .. import types
from ..types.base import ClearKey


def clear_spec(ex: m.Exercise, *, expected: Any = None) -> dict[str, Any]:
    """The structure and clear key of ``ex``. ``expected``: the value a code exercise's solution
    computes (when omitted, the solution runs here: instructor code only, see ``solutions``)."""
    key = ClearKey(ex.explanation)
    spec: dict[str, Any] = {"id": ex.id, "type": ex.type, "chapter": ex.chapter, "objectives": list(ex.objectives),
                            "points": float(ex.points), "labels": {}}
    types.kind(ex.type).clear(ex, spec, key, expected)
    spec["part_ids"] = key.parts
    spec["labels"] = dict(sorted(spec["labels"].items()))  # no trace of the bank's order
    spec["key"] = dict(key.texts, accept=key.accept)
    return spec
