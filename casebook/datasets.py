"""The book's data files (``book/data/*.csv``), shipped with the package as ``casebook/data``."""
from __future__ import annotations

from importlib import resources

import pandas as pd


def path(name: str):
    """Return a path-like handle for ``<name>.csv`` in the package's data folder."""
    handle = resources.files("casebook") / "data" / f"{name}.csv"
    if not handle.is_file():
        available = sorted(p.name[:-4] for p in (resources.files("casebook") / "data").iterdir() if p.name.endswith(".csv"))
        raise FileNotFoundError(f"no data file {name!r}; available: {', '.join(available)}")
    return handle


def load(name: str) -> pd.DataFrame:
    """Load one of the book's CSV files as a DataFrame, source columns included."""
    with path(name).open("rb") as fh:
        return pd.read_csv(fh)
