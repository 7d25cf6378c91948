"""Small helpers the types' ``check`` functions share: a Result from an oracle's spec."""
from __future__ import annotations

from ..canonical import Part, Result


def points(o) -> float:
    return float(o.spec["points"])


def result(o, score: float, parts: list[Part], feedback: str = "") -> Result:
    return Result(o.spec["id"], score, points(o), tuple(parts), feedback)


def parts_result(o, parts: list[Part]) -> Result:
    """Credit in proportion to the parts right."""
    fraction = sum(p.correct for p in parts) / len(parts) if parts else 0.0
    return result(o, points(o) * fraction, parts)


def number(o, value: float) -> Result:
    """A number on the tolerance grid: right, a known misconception, or wrong (numeric, code)."""
    from ..canonical import grid_neighbours
    candidates = grid_neighbours(value, o.spec["tolerance"])
    if any(o.accepts("answer", c) for c in candidates):
        return result(o, points(o), [Part("answer", True, "")])
    mis = o.misconception(candidates)
    return result(o, 0.0, [Part("answer", False, mis if mis is not None else o.feedback("incorrect"))])


def tolerance(tol) -> dict[str, float]:
    """A tolerance in canonical form: ``{"abs": t}`` or ``{"rel": r}``."""
    tol = dict(tol or {})
    return {"abs": float(tol["abs"])} if "abs" in tol else {"rel": float(tol["rel"])}
