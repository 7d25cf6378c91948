"""The statistics of the report, as pure functions of numpy arrays.

A statistic that the cohort is too small for is a ``TooFew`` (shown as "not enough responses
(N)"), and one that does not exist for the data (everyone scored the same) is an ``Undefined``:
never a misleading number.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

#: the upper and lower groups are this share of the cohort each (Kelley's 27 %)
GROUP_SHARE = 0.27
#: the fewest responses each statistic is computed from
MIN_N = {"facility": 10, "options": 10, "discrimination": 30, "reliability": 30, "variant": 10, "objective": 10}
BOOTSTRAP = 200


@dataclass(frozen=True)
class TooFew:
    n: int

    def __str__(self) -> str:
        return f"not enough responses ({self.n})"


@dataclass(frozen=True)
class Undefined:
    why: str

    def __str__(self) -> str:
        return f"undefined ({self.why})"


def is_number(x) -> bool:
    return isinstance(x, (int, float, np.floating)) and not isinstance(x, bool) and math.isfinite(float(x))


def facility(frac: np.ndarray) -> list:
    """Mean fraction of the points earned, per item (columns)."""
    n = frac.shape[0]
    if n < MIN_N["facility"]:
        return [TooFew(n)] * frac.shape[1]
    return [float(v) for v in frac.mean(axis=0)]


def _corr(x: np.ndarray, y: np.ndarray) -> float | Undefined:
    sx, sy = x.std(), y.std()
    if sx == 0:
        return Undefined("everyone scored the same on it")
    if sy == 0:
        return Undefined("everyone scored the same on the other items")
    return float(((x - x.mean()) * (y - y.mean())).mean() / (sx * sy))


def item_rest(frac: np.ndarray, points: np.ndarray) -> list:
    """Corrected item-total correlation: each item's score against the total of the *other*
    items (in points). For right/wrong items this is the point-biserial correlation."""
    n = frac.shape[0]
    if n < MIN_N["discrimination"]:
        return [TooFew(n)] * frac.shape[1]
    scores = frac * points
    total = scores.sum(axis=1)
    return [_corr(frac[:, j], total - scores[:, j]) for j in range(frac.shape[1])]


def groups(total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the lower and upper 27 % by total score (ties broken by row order)."""
    n = len(total)
    g = max(1, int(round(GROUP_SHARE * n)))
    order = np.argsort(total, kind="stable")
    return order[:g], order[n - g:]


def upper_lower(frac: np.ndarray, points: np.ndarray) -> list:
    """Upper-lower index: mean fraction in the upper 27 % minus in the lower 27 % (by total)."""
    n = frac.shape[0]
    if n < MIN_N["discrimination"]:
        return [TooFew(n)] * frac.shape[1]
    lower, upper = groups((frac * points).sum(axis=1))
    return [float(v) for v in frac[upper].mean(axis=0) - frac[lower].mean(axis=0)]


def pick_rates(picks: Sequence, options: Sequence[str],
               rows: np.ndarray | None = None) -> tuple[dict[str, float], dict[str, int]]:
    """(share, count) of the (selected) students who picked each option; a list answer (multiple
    select) counts each option in it. ``None`` (no scored answer) is "(no answer)"."""
    chosen = picks if rows is None else [picks[i] for i in rows]
    n = len(chosen)
    counts = dict.fromkeys(list(options) + ["(no answer)"], 0)
    for c in chosen:
        if c is None:
            counts["(no answer)"] += 1
            continue
        for o in ([c] if isinstance(c, str) else c):
            if o in counts:
                counts[o] += 1
    return {o: (v / n if n else 0.0) for o, v in counts.items()}, counts


def two_proportion_z(p1: float, n1: int, p2: float, n2: int) -> float:
    """z of the difference p1 - p2 between two independent proportions (0 when undefined)."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return (p1 - p2) / se if se > 0 else 0.0


def cronbach_alpha(scores: np.ndarray) -> float | Undefined:
    """Cronbach's alpha of item scores (n students x k items); KR-20 when items are right/wrong."""
    k = scores.shape[1]
    if k < 2:
        return Undefined("it needs at least two items")
    total_var = scores.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return Undefined("every student has the same total")
    return float(k / (k - 1) * (1 - scores.var(axis=0, ddof=1).sum() / total_var))


def reliability(frac: np.ndarray, points: np.ndarray, *, seed: int = 0) -> dict:
    """Alpha (named KR-20 if every item is right/wrong), with a 95 % bootstrap interval and a
    caveat at small N."""
    n = frac.shape[0]
    dichotomous = bool(np.isin(frac, (0.0, 1.0)).all())
    name = "KR-20" if dichotomous else "Cronbach's alpha"
    if n < MIN_N["reliability"]:
        return {"name": name, "value": TooFew(n), "low": None, "high": None, "n": n,
                "caveat": f"With {n} students a reliability coefficient would mean nothing; it needs at least "
                          f"{MIN_N['reliability']}."}
    scores = frac * points
    value = cronbach_alpha(scores)
    low = high = None
    if is_number(value):
        rng = np.random.default_rng(seed)
        draws = [cronbach_alpha(scores[rng.integers(0, n, n)]) for _ in range(BOOTSTRAP)]
        draws = [d for d in draws if is_number(d)]
        if draws:
            low, high = (float(x) for x in np.percentile(draws, [2.5, 97.5]))
    caveat = ""
    if n < 100:
        caveat = (f"With only {n} students this estimate is imprecise" +
                  (f" (95 % interval {low:.2f} to {high:.2f})" if low is not None else "") +
                  "; do not read much into it.")
    return {"name": name, "value": value, "low": low, "high": high, "n": n, "caveat": caveat}


def histogram(values: np.ndarray, bins: int = 10) -> list[dict]:
    """Counts of fractions in ``bins`` equal bins over [0, 1] (the last bin includes 1)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _ = np.histogram(np.clip(values, 0.0, 1.0), bins=edges)
    return [{"from": float(edges[i]), "to": float(edges[i + 1]), "count": int(counts[i])} for i in range(bins)]


def distribution(values: np.ndarray, decimals: int = 2) -> list[dict]:
    """How many students earned each distinct fraction (partial credit), lowest first."""
    rounded = np.round(values, decimals)
    levels, counts = np.unique(rounded, return_counts=True)
    return [{"fraction": float(v), "count": int(c)} for v, c in zip(levels, counts)]


def weighted_mastery(frac: np.ndarray, points: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Per student: the fraction of the points of ``columns`` earned."""
    cols = list(columns)
    weight = points[cols]
    return (frac[:, cols] * weight).sum(axis=1) / weight.sum()
