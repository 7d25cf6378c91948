"""An answer in words: option and item texts instead of their ids, for the record line under an
exercise (what a reopened notebook shows before it runs again) and a released notebook's summary.

``answer_text(public, answer)`` takes the exercise's public data (``Exercise.public()``) and an
answer in its type's shape; anything it does not recognise is shown as recorded.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from .markdown import to_text


def _names(items: Any) -> dict[str, str]:
    return {str(i.get("id")): to_text(str(i.get("text") or i.get("label") or i.get("id")))
            for i in items or () if isinstance(i, Mapping)}


def answer_text(public: Mapping[str, Any], answer: Any, limit: int = 300) -> str:
    kind = public.get("type")
    text = None
    if kind == "single_choice" and isinstance(answer, str):
        text = _names(public.get("options")).get(answer)
    elif kind in ("multiple_select", "ordering") and isinstance(answer, list):
        names = _names(public.get("options" if kind == "multiple_select" else "items"))
        text = ("; " if kind == "multiple_select" else " → ").join(names.get(str(a), str(a)) for a in answer)
    elif kind in ("matching", "categorisation", "slot_coding", "relation_matrix") and isinstance(answer, Mapping):
        if kind == "slot_coding":
            slots = [s for s in public.get("slots") or () if isinstance(s, Mapping)]
            rows = {str(s.get("id")): to_text(str(s.get("label") or s.get("id"))) for s in slots}
            values = {k: v for s in slots for k, v in _names(s.get("options")).items()}
        elif kind == "relation_matrix":
            actors = _names(public.get("actors"))
            rows = {k: " – ".join(actors.get(p, p) for p in k.split("/")) for k in map(str, answer)}
            values = _names(public.get("values"))
        else:
            rows = _names(public.get("left" if kind == "matching" else "items"))
            values = _names(public.get("right" if kind == "matching" else "categories"))
        text = "; ".join(f"{rows.get(str(k), str(k))}: {values.get(str(v), str(v))}" for k, v in answer.items())
    elif kind == "code" and isinstance(answer, Mapping):
        text = f"{public.get('result') or 'result'} = {json.dumps(answer.get('value'), ensure_ascii=False)}"
    if text is None:
        text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
