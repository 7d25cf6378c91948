"""An answer in words: option and item texts instead of their ids, for the record line under an
exercise (what a reopened notebook shows before it runs again) and a released notebook's summary.

``answer_text(public, answer)`` takes the exercise's public data (``Exercise.public()``) and an
answer in its type's shape (each type's ``answer_text``); anything else is shown as recorded.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from .. import types


def answer_text(public: Mapping[str, Any], answer: Any, limit: int = 300) -> str:
    mod = types.REGISTRY.get(str(public.get("type")))
    text = mod.answer_text(public, answer) if mod is not None else None
    if text is None:
        text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
