"""Shared helpers for the checker tests: the vectors, extra exercises that howto.yml does not
cover (relative tolerance, a pattern, several accepted values per part, a text-valued code
result), and a generator of arbitrary answers, well-formed and not."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from exercises import bank as bank_mod
from exercises.markdown import to_html

TESTS = Path(__file__).resolve().parent
VECTORS = TESTS / "vectors.json"

EXTRA_BANK = """\
schema_version: 1
chapter: synth
title: Extra cases for the checkers
objectives:
  - {id: synth_o1, text: Exercise the checkers.}
exercises:
  - id: synth_ex1
    type: numeric
    title: Relative tolerance
    prompt: A share, in per cent, within one per cent of the key.
    points: 2
    objectives: [synth_o1]
    bloom: apply
    hints: [Relative.]
    explanation: The share is 79.5 per cent, computed as $a/b$.
    answer: 79.5
    tolerance: {rel: 0.01}
    unit: "%"
    misconceptions:
      - {answer: 69, feedback: "That is the **full-year** change."}
      - {answer: 0, feedback: Zero is what an empty table gives.}
      - {answer: -79.5, feedback: The sign is wrong.}
    feedback: {incorrect: Divide the later count by the earlier one.}
  - id: synth_ex2
    type: short_text
    title: A pattern
    prompt: Name the co-author.
    points: 1
    objectives: [synth_o1]
    bloom: remember
    hints: [W.]
    explanation: Ole Wæver.
    answer: ["Wæver"]
    pattern: "^(ole )?w(a|ae)e?ver$"
    misconceptions:
      - {answer: "Barry Buzan", feedback: "Buzan is the *first* author."}
  - id: synth_ex3
    type: slot_coding
    title: Several accepted values
    prompt: Code it.
    points: 2
    objectives: [synth_o1]
    bloom: apply
    hints: [Two slots.]
    explanation: The state or the public.
    slots:
      - id: actor
        label: Actor
        options: [{id: minister, text: Minister}, {id: army, text: Army}]
      - id: referent
        label: Referent object
        options: [{id: state, text: The state}, {id: public, text: The public}, {id: border, text: The border}]
    answer: {actor: minister, referent: [state, public]}
    feedback: {referent: "Not the *border*: what is threatened?"}
  - id: synth_ex4
    type: relation_matrix
    title: Several accepted values per cell
    prompt: Mark the relations.
    points: 2
    objectives: [synth_o1]
    bloom: understand
    hints: [Symmetric.]
    explanation: China is a friend or indifferent.
    actors: [{id: pak, label: Pakistan}, {id: chn, label: China}, {id: ind, label: India}]
    values: [{id: amity, label: Amity}, {id: enmity, label: Enmity}, {id: indifference, label: Indifference}]
    answer: {pak/chn: [amity, indifference], ind/pak: enmity}
    feedback: {chn/pak: Not enemies.}
  - id: synth_ex5
    type: code
    title: A text result
    prompt: Name the line.
    points: 1
    objectives: [synth_o1]
    bloom: apply
    hints: [A string.]
    explanation: The Durand Line.
    starter: "line = ..."
    result: line
    solution: "line = 'Durand Line'"
  - id: synth_ex6
    type: code
    title: A relative tolerance
    prompt: Compute the ratio.
    points: 1
    objectives: [synth_o1]
    bloom: apply
    hints: [Divide.]
    explanation: 1066 / 3.
    starter: "ratio = ..."
    result: ratio
    solution: "ratio = 1066 / 3"
    tolerance: {rel: 0.001}
  - id: synth_ex7
    type: multiple_select
    title: Three keys, no shuffle
    prompt: Choose.
    points: 3
    objectives: [synth_o1]
    bloom: remember
    hints: [Three.]
    explanation: a, b and d.
    shuffle: false
    options:
      - {id: a, text: A, feedback: "Yes, a."}
      - {id: b, text: B, feedback: "Yes, b."}
      - {id: c, text: C, feedback: "No, c."}
      - {id: d, text: D, feedback: "Yes, d."}
    answer: [a, b, d]
  - id: synth_ex8
    type: numeric
    title: A negative key
    prompt: A change.
    points: 1
    objectives: [synth_o1]
    bloom: apply
    hints: [Negative.]
    explanation: Minus 3.25.
    answer: -3.25
    tolerance: {abs: 0.05}
    unit: ""
  - id: synth_ex9
    type: written
    title: A short argued answer
    prompt: Argue in a few words.
    points: 3
    objectives: [synth_o1]
    bloom: evaluate
    hints: [Take a side.]
    explanation: The notes say what a good answer does.
    words: {min: 5, max: 12}
    rubric:
      - id: claim
        title: Claim
        levels:
          - {label: None, points: 0, descriptor: "No claim."}
          - {label: Clear, points: 1, descriptor: "A *clear* claim <b>in bold</b>."}
      - id: support
        title: Support
        levels:
          - {label: None, points: 0, descriptor: "No support."}
          - {label: Some, points: 1, descriptor: "One reason."}
          - {label: Strong, points: 2, descriptor: "Two dated reasons."}
    model_answer: The border ties the two states together, as 2025 showed.
"""


def extra_bank(tmp_path: Path):
    path = tmp_path / "synth.yml"
    path.write_text(EXTRA_BANK, "utf-8")
    found, problems = bank_mod.validate(files=[path])
    assert not problems, "\n".join(map(str, problems))
    return found


def vectors() -> list[dict[str, Any]]:
    return json.loads(VECTORS.read_text("utf-8"))["vectors"]


def feedback_ref(ex, ref: str) -> str:
    """The Markdown a vector's feedback reference points at."""
    if not ref:
        return ""
    kind, _, arg = ref[1:].partition(":")
    if kind == "option":
        return next(o.feedback for o in ex.options if o.id == arg)
    if kind == "mis":
        return ex.misconceptions[int(arg)]["feedback"]
    if kind == "incorrect":
        return ex.feedback["incorrect"]
    if kind == "wrong":
        return ex.feedback[arg]
    if kind == "code-wrong":
        from exercises.types.code import wrong_feedback
        return wrong_feedback(ex.result)
    raise ValueError(f"unknown feedback reference {ref!r}")


def result_dict(r, *, html: bool = False) -> dict[str, Any]:
    """A Result as comparable data; ``html=True`` renders part feedback as the sealed spec does."""
    return {"score": r.score, "correct": r.correct, "valid": r.valid, "blank": r.blank, "feedback": r.feedback,
            "error": r.error, "pending": r.pending,
            "parts": [{"id": p.id, "correct": p.correct, "feedback": to_html(p.feedback) if html and p.feedback else p.feedback}
                      for p in r.parts]}


def unordered(result: dict[str, Any]) -> dict[str, Any]:
    """A result dict with its parts in id order: a sealed spec lists the parts of matching and
    categorisation in sorted order, since the bank's order of items is kept out of it."""
    return dict(result, parts=sorted(result["parts"], key=lambda p: p["id"]))


def expected_dict(ex, vector: dict[str, Any], *, html: bool) -> dict[str, Any]:
    def fb(ref):
        text = feedback_ref(ex, ref)
        return to_html(text) if html and text else text
    return {"score": vector["score"], "correct": vector["correct"], "valid": vector["valid"], "blank": vector["blank"],
            "feedback": vector["feedback"], "error": vector.get("error"), "pending": vector.get("pending", False),
            "parts": [{"id": p["id"], "correct": p["correct"], "feedback": fb(p["feedback"])} for p in vector["parts"]]}


# --- arbitrary answers ---------------------------------------------------------------------------

TRICKY_TEXT = ["", " ", "Wæver", "WAEVER", " wæver. ", "Ørsted", "Müller", "ﬁnance", "Straße", "İstanbul",
               "ǅemal", "½", "①", "ＡＢＣ", "Œuvre", "ĳssel", "™", "e\u0301", "\u212a", "a\u034fb", "\u0661\u0662",
               "1 066", "1\u00a0066", "12_345", "−3", "79,5", "79.5%", "1e3", ".5", "5.", "+.5e-1", "abc", "it's",
               "\"q\"", "tab\there", "nl\nx", "\x00", "\ud7ff", "\U0001d7cf\U0001d7d0", "𝟏𝟐𝟖", "٣", "128", "12",
               "Durand Line", "durand-line", "ole waver", "w a e v e r", "\u200b", "x" * 50]


def _ids(ex) -> list[str]:
    kind = ex.type
    if kind in ("single_choice", "multiple_select"):
        return [o.id for o in ex.options]
    if kind == "ordering":
        return [i.id for i in ex.items]
    if kind == "matching":
        return [c.id for c in ex.right]
    if kind == "categorisation":
        return [c.id for c in ex.categories]
    if kind == "slot_coding":
        return [o.id for s in ex.slots for o in s.options]
    if kind == "relation_matrix":
        return [v.id for v in ex.values]
    return []


def _parts(ex) -> list[str]:
    if ex.type == "relation_matrix":
        out = []
        for cell in ex.answer:
            a, b = cell.split("/")
            out += [cell, f"{b}/{a}"]
        return out
    return list(ex.part_ids) if ex.type in ("matching", "categorisation", "slot_coding") else []


def _junk(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(9 if depth < 2 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, 1, -1, 128, 12, 79.5, 1e300, -0.0, 0.05, 2 ** 60])
    if choice in (3, 4, 5):
        return rng.choice(TRICKY_TEXT)
    if choice in (6, 7):
        return [_junk(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(TRICKY_TEXT + ["value", "code", "a"]): _junk(rng, depth + 1) for _ in range(rng.randrange(3))}


def _number_text(rng: random.Random, near: float) -> Any:
    x = near + rng.choice([0, 1, -1]) * rng.random() * abs(near or 1) * rng.choice([0.001, 0.01, 0.03, 0.5])
    form = rng.randrange(5)
    if form == 0:
        return x
    if form == 1:
        return repr(x)
    if form == 2:
        return f"{x:.2f}".replace(".", ",")
    if form == 3:
        return f" {x:.3f} %"
    return f"{x:.1e}"


# separators that Python's str.isspace (and so written.word_count) reads as spaces, and some it does not
WORD_GAPS = [" ", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "\x1c", "\x85", "\u2028", " \u200b", "\ufeff", "-"]


def _written_text(rng: random.Random, ex) -> str:
    high = (ex.words or {}).get("max") or 20
    n = rng.choice([0, 1, rng.randrange(high * 2 + 2), high, high + 1, int(high * 1.5), int(high * 1.5) + 1])
    words = [rng.choice(TRICKY_TEXT + ["<script>alert(1)</script>", "word", "<b>x</b>"]) or "w" for _ in range(n)]
    text = "".join(w + rng.choice(WORD_GAPS) for w in words)
    if rng.random() < 0.02:
        text += "x " * 25_010  # beyond written.MAX_CHARS
    return text


def arbitrary_answer(ex, rng: random.Random, *, key: Any = None) -> Any:
    """A well-formed answer most of the time (right, partly right or wrong), junk otherwise."""
    kind, ids = ex.type, _ids(ex)
    if rng.random() < 0.2:
        return _junk(rng)
    if kind == "written":
        text = _written_text(rng, ex)
        if rng.random() < 0.5:
            return text
        own = {c.id: rng.choice([0, 1, 5, -1, True, "1", None]) for c in ex.rubric if rng.random() < 0.7}
        return rng.choice([{"text": text, "self": own}, {"text": text}, {"self": own}, {"text": [text]}])
    if kind == "single_choice":
        return rng.choice(ids + ["zz"])
    if kind == "multiple_select":
        return rng.sample(ids, rng.randrange(len(ids) + 1)) + (["umbrella"] if rng.random() < 0.1 else [])
    if kind in ("numeric", "code") and not isinstance(key, str):
        near = float(ex.answer) if kind == "numeric" else float(key)
        if kind == "numeric" and ex.misconceptions and rng.random() < 0.3:
            near = float(rng.choice(ex.misconceptions)["answer"])
        value = _number_text(rng, near)
        return {"value": value} if kind == "code" else value
    if kind in ("short_text", "code"):
        pool = list(getattr(ex, "answer", ())) + [m["answer"] for m in getattr(ex, "misconceptions", ())]
        pool += [str(key)] if kind == "code" else []
        text = rng.choice(pool + TRICKY_TEXT)
        text = text.upper() if rng.random() < 0.3 else text
        text = f" {text}!" if rng.random() < 0.2 else text
        return {"value": text} if kind == "code" else text
    if kind == "ordering":
        order = list(ids)
        rng.shuffle(order)
        if rng.random() < 0.1:
            order = order[:-1]
        return order
    parts = _parts(ex)
    answer = {}
    for part in parts:
        if rng.random() < 0.8:
            answer[part] = rng.choice(ids + ["", None] + (["zz"] if rng.random() < 0.05 else []))
    if rng.random() < 0.05:
        answer["nope"] = ids[0]
    return answer
