"""The myst-nb plugin that hides answer records in static builds (``HideRecordsPlugin``, named by
the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``)."""
from __future__ import annotations

from typing import Any

from .format import RECORD_MIME, is_record_metadata


class HideRecordsPlugin:
    """myst-nb MIME renderer plugin: a record output renders as nothing in any built page.

    Registered through the ``myst_nb.mime_renderers`` entry point; without it, myst-nb warns
    "skipping unknown output mime type" for the record and shows its text/plain line.
    """

    mime_priority_overrides: list = []

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list | None:
        if data.mime_type == RECORD_MIME or is_record_metadata(data.output_metadata):
            return []
        return None
