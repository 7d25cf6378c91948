"""How numbers and counts are written for people, in every view and file: "2.5", "1 point",
"1,234 words". One place, so that a score reads the same on the page, in the notebook, in the
feedback page, in the CSV files and in the report."""
from __future__ import annotations


def number(x: float, places: int = 2) -> str:
    """A whole number without decimals; any other rounded to at most ``places`` decimals, with
    trailing zeros dropped (``number(2.50) == "2.5"``, ``number(1 / 3) == "0.33"``)."""
    x = float(x)
    if x == int(x):
        return str(int(x))
    return f"{x:.{places}f}".rstrip("0").rstrip(".")


def plural(n: float, word: str) -> str:
    """``n`` and ``word``, with an s unless ``n`` is one; whole counts get thousands separators."""
    shown = f"{int(n):,}" if float(n) == int(n) else number(n)
    return f"{shown} {word}{'' if n == 1 else 's'}"


def points(x: float) -> str:
    return plural(x, "point")
