"""``multiple_select``: every right option among several (one checkbox each); a wrong choice
cancels a right one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

from ..canonical import AnswerShapeError, Part, expect_id_list
from .base import ClearKey, KeyRules, choices, label_html, names
from .scoring import points, result
from . import single_choice
from .single_choice import SingleChoice, clear_options

TYPE = "multiple_select"
OPTIONS = True  # the answer picks among listed options (item analysis: pick rates)
PARTIAL_CREDIT = True  # credit per part
MANUAL = False  # marked by a person (``grade`` leaves it awaiting marking)


@dataclass(frozen=True)
class MultipleSelect(SingleChoice):
    answer: tuple[str, ...] = ()  # type: ignore[assignment]
    type: ClassVar[str] = TYPE


Model = MultipleSelect


def build(rec: dict, common: dict) -> MultipleSelect:
    return MultipleSelect(**common, options=choices(rec["options"]), answer=tuple(rec["answer"]), shuffle=rec.get("shuffle", True))


def key_problems(rec: dict, keys: KeyRules) -> None:
    options = keys.dupes("options", rec.get("options"))
    answer = list(rec.get("answer") or [])
    for k, key in enumerate(answer):
        if key not in options:
            keys.add(["answer", k], f"key {key!r} is not among the options ({', '.join(sorted(options))})")
    if len(set(answer)) != len(answer):
        keys.add(["answer"], "the key lists an option twice")


def clear(ex: MultipleSelect, spec: dict, key: ClearKey, expected: Any = None) -> None:
    clear_options(ex, spec, key)
    key.texts["members"] = sorted(ex.answer)
    spec["n_keys"] = len(ex.answer)
    key.add("answer", "\x1e".join(sorted(ex.answer)))


def check(o, answer: Any):
    chosen = expect_id_list(answer)
    unknown = [c for c in chosen if c not in o.spec["options"]]
    if unknown:
        raise AnswerShapeError("unknown", value=unknown[0][:40], what="options")
    chosen = list(dict.fromkeys(chosen))
    n_keys = int(o.spec["n_keys"])
    parts = [Part(c, o.is_member(c), o.feedback("option", c)) for c in chosen]
    right = sum(p.correct for p in parts)
    fraction = max(0.0, (right - (len(parts) - right)) / n_keys)
    summary = f"{right} of the {n_keys} right options chosen" + (f", {len(parts) - right} wrong" if len(parts) > right else "")
    o.accepts("answer", "\x1e".join(sorted(chosen)))  # a full set unlocks the part's secret
    return result(o, points(o) * fraction, parts, summary)


static = single_choice.static  # the same controls' context: the options in display order


def key_answer(ex: MultipleSelect) -> Any:
    return list(ex.answer)


def answer_html(ex: MultipleSelect, answer: Any) -> str:
    return "<ul>" + "".join(f"<li>{label_html(ex.options, x)}</li>" for x in answer) + "</ul>"


def answer_text(public: Mapping[str, Any], answer: Any) -> str | None:
    if not isinstance(answer, list):
        return None
    labels = names(public.get("options"))
    return "; ".join(labels.get(str(a), str(a)) for a in answer)
