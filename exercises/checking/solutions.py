"""The key values of ``code`` exercises: the instructor's solution, run in a fresh namespace.

Only instructor code from the bank runs here (at build time, in the grader, in a live kernel's
checker). Student code is never run by this module.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from ..models import Code
from ..canonical import code_value


class SolutionError(RuntimeError):
    """The bank's solution for a code exercise failed: an authoring error."""


def expected_value(ex: Code) -> Any:
    digest = hashlib.sha256((ex.setup + "\0" + ex.solution + "\0" + ex.result).encode()).hexdigest()
    return _run(ex.id, ex.setup, ex.solution, ex.result, digest)


@lru_cache(maxsize=256)
def _run(ex_id: str, setup: str, solution: str, result: str, _digest: str) -> Any:
    namespace: dict[str, Any] = {"__name__": f"solution_{ex_id}"}
    try:
        exec(compile(setup + "\n" + solution, f"<solution of {ex_id}>", "exec"), namespace)
    except Exception as err:  # noqa: BLE001 - reported as an authoring error with the exercise id
        raise SolutionError(f"{ex_id}: the solution raised {type(err).__name__}: {err}") from err
    if result not in namespace:
        raise SolutionError(f"{ex_id}: the solution does not define {result!r}")
    return code_value(namespace[result])
