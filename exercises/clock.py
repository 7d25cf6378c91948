"""The one time stamp of the package: UTC, to the second, ISO 8601 with a ``Z``
(``2026-10-10T10:00:00Z``), as answer records, gradebook rows, marks and releases carry it."""
from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
