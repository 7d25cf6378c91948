"""Statistics of written items, ready for when the gradebook records rubric levels.

The gradebook does not record rubric levels yet (see ``data.py``). When it does, each written
item brings, per criterion, one list of levels per marker (``None`` where a marker did not mark
that answer); these two functions give the level distribution and the agreement between two
markers on the answers both marked.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from .stats import MIN_N, TooFew


def level_distribution(levels: Sequence[str | None], scale: Sequence[str]) -> dict[str, int]:
    """How many answers got each level of the criterion's ``scale`` (unmarked ones left out)."""
    counts = Counter(x for x in levels if x is not None)
    return {level: counts.get(level, 0) for level in scale}


def marker_agreement(first: Sequence[str | None], second: Sequence[str | None], scale: Sequence[str]) -> dict:
    """Exact agreement and Cohen's kappa between two markers, on the answers both marked."""
    pairs = [(a, b) for a, b in zip(first, second) if a is not None and b is not None]
    n = len(pairs)
    if n < MIN_N["facility"]:
        return {"n": n, "agreement": TooFew(n), "kappa": TooFew(n)}
    observed = sum(a == b for a, b in pairs) / n
    pa, pb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(pa[level] * pb[level] for level in scale) / (n * n)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return {"n": n, "agreement": observed, "kappa": kappa}
