"""The sealed spec: an exercise as the browser may see it, checkable without any key.

``seal(ex, mode=...)`` turns an exercise into JSON that carries the public structure (ids,
points, chapter, objectives), salted SHA-256 hashes of the accepted canonical values of every
gradable part, and feedback texts encrypted under keys that only the matching answer yields.
``check_sealed(spec, answer)`` scores an answer against that JSON exactly as ``checks.check``
scores it against the bank (same score, same parts, same correctness, same messages; feedback
comes back as HTML, rendered from the bank's Markdown; the parts of matching and categorisation
come in sorted id order, since the bank's order of items is not in the spec). ``assets/exercises.js`` implements the
same algorithm in the browser; ``tests/vectors.json`` keeps the three checkers in step.

Construction (see ``docs/static-security.md`` for what it does and does not protect):

- ``salt``: 32 hex digits, ``SHA-256("exercises.salt/1" | id | fingerprint)`` where the
  fingerprint is the canonical JSON of the whole bank record (keys included). Deterministic, so
  builds are reproducible; published, since it is only a salt.
- hash of a value ``v`` of part ``p``: ``SHA-256("exercises.hash/1" | salt | p | v)`` (hex).
- key for a purpose and value: ``SHA-256("exercises.key/1" | salt | purpose | v)`` (32 bytes).
- encryption: UTF-8 bytes XOR a SHA-256 keystream (block ``i`` is ``SHA-256(key || i)``,
  ``i`` a 4-byte big-endian counter), base64. Each key encrypts one text.
- every accepted value of a part also wraps (encrypts) a 32-byte secret of that part; the
  explanation is encrypted under ``SHA-256("exercises.explain/1" || secret_1 || ... )``, so only
  an answer that is right in every part can read it. In study mode a second copy is encrypted
  under a key derived from the salt alone, released after 3 attempts: obfuscation, not secrecy.
  Course mode ships no explanation at all.

Nothing in the spec follows the bank's order of options, items or choices (they are sorted):
authors tend to list items in the right order or the right option first, and another exercise on
the page may be an ordering of the same ids.

Canonical values: option ids; ``"sign:index"`` on the tolerance grid (``checks.grid_index``) for
numbers; ``checks.normalise_text`` for text; ``"\\x1e"``-joined sorted ids for a multiple-select
key. ``|`` above stands for the separator ``"\\x1f"``.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import fields
from typing import Any

from . import models as m
from .checks import (GRID_STEPS, AnswerShapeError, Part, Result, code_wrong_feedback, _expect_id_list, _expect_mapping,
                     _is_blank, code_value, grid_index, normalise_text, parse_number)
from .markdown import to_html, to_text

FORMAT = "exercises.sealed/1"
MODES = ("study", "course")
#: in study mode the explanation can be shown after this many checked attempts
ATTEMPTS_FOR_EXPLANATION = 3
SEP = "\x1f"


class SealError(ValueError):
    """The spec is not a sealed spec this module can read."""


# --- primitives (mirrored in assets/exercises.js) ----------------------------------------------

def _sha(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def answer_hash(salt: str, part: str, value: str) -> str:
    return _sha(SEP.join(("exercises.hash/1", salt, part, value))).hex()


def derive_key(salt: str, purpose: str, value: str = "") -> bytes:
    return _sha(SEP.join(("exercises.key/1", salt, purpose, value)))


def _keystream_xor(key: bytes, data: bytes) -> bytes:
    out = bytearray()
    for block in range((len(data) + 31) // 32):
        out += hashlib.sha256(key + block.to_bytes(4, "big")).digest()
    return bytes(a ^ b for a, b in zip(data, out))


def encrypt(key: bytes, data: str | bytes) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return base64.b64encode(_keystream_xor(key, raw)).decode("ascii")


def decrypt_bytes(key: bytes, token: str) -> bytes:
    return _keystream_xor(key, base64.b64decode(token))


def decrypt(key: bytes, token: str) -> str:
    return decrypt_bytes(key, token).decode("utf-8", errors="replace")


def grid_value(value: float, tolerance: dict) -> tuple[int, int]:
    return grid_index(value, tolerance)


def grid_text(sign: int, index: int) -> str:
    return f"{sign}:{index}"


def explanation_key(secrets: list[bytes]) -> bytes:
    return hashlib.sha256(b"exercises.explain/1" + b"".join(secrets)).digest()


# --- sealing -----------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def fingerprint(ex: m.Exercise) -> str:
    """Canonical JSON of the whole record (keys included, origin excluded)."""
    record = {f.name: _plain(getattr(ex, f.name)) for f in fields(ex) if f.name != "origin"}
    record["type"] = ex.type
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def salt_of(ex: m.Exercise) -> str:
    return hashlib.sha256(SEP.join(("exercises.salt/1", ex.id, fingerprint(ex))).encode("utf-8")).hexdigest()[:32]


def _part_secret(ex: m.Exercise, part: str) -> bytes:
    base = hashlib.sha256(SEP.join(("exercises.secret/1", ex.id, fingerprint(ex))).encode("utf-8")).digest()
    return hashlib.sha256(base + SEP.encode() + part.encode("utf-8")).digest()


class _Sealer:
    def __init__(self, ex: m.Exercise, mode: str):
        self.ex, self.mode, self.salt = ex, mode, salt_of(ex)
        self.parts: list[str] = []
        self.accept: dict[str, list[dict[str, str]]] = {}

    def accept_value(self, part: str, value: str) -> None:
        if part not in self.accept:
            self.parts.append(part)
            self.accept[part] = []
        entry = {"h": answer_hash(self.salt, part, value)}
        if any(e["h"] == entry["h"] for e in self.accept[part]):
            return  # two variants with one canonical form
        if self.mode == "study":
            entry["w"] = encrypt(derive_key(self.salt, "wrap" + SEP + part, value), _part_secret(self.ex, part))
        self.accept[part].append(entry)

    def pattern_wrap(self, pattern: str) -> str:
        return encrypt(derive_key(self.salt, "wrap-pattern", pattern), _part_secret(self.ex, "answer"))

    def enc(self, purpose: str, value: str, markdown: str) -> str:
        return encrypt(derive_key(self.salt, purpose, value), to_html(markdown))


def _tolerance(tol: Any) -> dict[str, float]:
    tol = dict(tol or {})
    return {"abs": float(tol["abs"])} if "abs" in tol else {"rel": float(tol["rel"])}


def seal(ex: m.Exercise, *, mode: str = "study", expected: Any = None) -> dict[str, Any]:
    """The key-free JSON spec of ``ex`` for the browser (and for key-free checking in Python).

    ``expected`` is the value of a code exercise's solution; when omitted it is computed with
    ``solutions.expected_value`` (the solution runs here, at build time, and never ships).
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    s = _Sealer(ex, mode)
    spec: dict[str, Any] = {
        "format": FORMAT, "id": ex.id, "type": ex.type, "chapter": ex.chapter,
        "objectives": list(ex.objectives), "points": float(ex.points), "mode": mode, "salt": s.salt,
        "labels": {},
    }
    kind = ex.type
    if kind in ("single_choice", "multiple_select"):
        spec["options"] = sorted(o.id for o in ex.options)  # the bank's order could hint at the key
        spec["labels"] = {o.id: to_text(o.text) for o in ex.options}
        spec["option_feedback"] = {o.id: s.enc("option", o.id, o.feedback) for o in ex.options if o.feedback}
        if kind == "single_choice":
            s.accept_value("answer", ex.answer)
        else:
            spec["members"] = sorted(answer_hash(s.salt, "member", k) for k in ex.answer)
            spec["n_keys"] = len(ex.answer)
            s.accept_value("answer", "\x1e".join(sorted(ex.answer)))
    elif kind in ("numeric", "code"):
        spec["labels"] = {"answer": "Your answer"}
        misconceptions: tuple = ()
        if kind == "code":
            want = code_value(expected if expected is not None else _expected(ex))
            spec["result"] = ex.result
            spec["unit"] = ex.unit
            spec["kind"] = "number" if isinstance(want, float) else "text"
            tol = _tolerance(ex.tolerance or {"abs": 1e-9})
        else:
            want, tol, misconceptions = float(ex.answer), _tolerance(ex.tolerance), ex.misconceptions
            spec["unit"] = ex.unit
            spec["kind"] = "number"
        if spec["kind"] == "number":
            spec["tolerance"], spec["steps"] = tol, GRID_STEPS
            s.accept_value("answer", grid_text(*grid_value(want, tol)))
            spec["misconceptions"] = [
                {"h": answer_hash(s.salt, "mis", g), "f": s.enc("mis", g, mis["feedback"])}
                for mis in misconceptions for g in [grid_text(*grid_value(float(mis["answer"]), tol))]
            ]
        else:
            s.accept_value("answer", normalise_text(want))
    elif kind == "short_text":
        spec["labels"] = {"answer": "Your answer"}
        for variant in ex.answer:
            s.accept_value("answer", normalise_text(variant))
        if ex.pattern:
            spec["pattern"] = encrypt(derive_key(s.salt, "pattern"), ex.pattern)
            if mode == "study":
                spec["pattern_w"] = s.pattern_wrap(ex.pattern)
        spec["misconceptions"] = [
            {"h": answer_hash(s.salt, "mis", g), "f": s.enc("mis", g, mis["feedback"])}
            for mis in ex.misconceptions for g in [normalise_text(mis["answer"])]
        ]
    elif kind == "ordering":
        spec["items"] = sorted(i.id for i in ex.items)  # the bank often lists them in the right order
        for position, item in enumerate(ex.answer, start=1):
            s.accept_value(str(position), item)
        spec["labels"] = {str(p): f"Position {p}" for p in range(1, len(ex.answer) + 1)}
    elif kind in ("matching", "categorisation", "slot_coding", "relation_matrix"):
        if kind == "matching":
            parts, choices = sorted(c.id for c in ex.left), [c.id for c in ex.right]
            spec["labels"] = {c.id: to_text(c.text) for c in ex.left}
            accepted = {p: (ex.answer[p],) for p in parts}
        elif kind == "categorisation":
            parts, choices = sorted(c.id for c in ex.items), [c.id for c in ex.categories]
            spec["labels"] = {c.id: to_text(c.text) for c in ex.items}
            accepted = {p: (ex.answer[p],) for p in parts}
        elif kind == "slot_coding":
            parts = [sl.id for sl in ex.slots]
            choices = list(dict.fromkeys(o.id for sl in ex.slots for o in sl.options))
            spec["labels"] = {sl.id: to_text(sl.label) for sl in ex.slots}
            accepted = {p: tuple(ex.answer[p]) for p in parts}
        else:
            parts, choices = list(ex.answer), [v.id for v in ex.values]
            names = {a.id: to_text(a.text) for a in ex.actors}
            spec["actors"] = [a.id for a in ex.actors]
            spec["labels"] = {c: " and ".join(names[x] for x in _ordered_pair(c, spec["actors"])) for c in parts}
            accepted = {p: tuple(ex.answer[p]) for p in parts}
        spec["part_ids"], spec["choices"] = parts, sorted(choices)  # choices in the bank's order may pair up with parts
        for p in parts:
            for value in accepted[p]:
                s.accept_value(p, value)
        feedback = dict(getattr(ex, "feedback", {}) or {})
        spec["wrong"] = {p: s.enc("wrong", p, text) for p, text in feedback.items() if text}
    else:  # pragma: no cover - the bank admits only the ten types
        raise ValueError(f"{ex.id}: unknown exercise type {kind!r}")
    feedback = getattr(ex, "feedback", None)
    if kind in ("numeric", "short_text") and isinstance(feedback, dict) and feedback.get("incorrect"):
        spec["incorrect"] = s.enc("incorrect", "", feedback["incorrect"])
    spec["part_ids"] = s.parts
    for name in ("labels", "option_feedback", "wrong"):  # mappings too keep no trace of the bank's order
        if name in spec:
            spec[name] = dict(sorted(spec[name].items()))
    spec["accept"] = s.accept
    if mode == "study":
        secrets = [_part_secret(ex, p) for p in spec["part_ids"]]
        html = to_html(ex.explanation)
        spec["explanation"] = {
            "solved": encrypt(explanation_key(secrets), html),
            "after": ATTEMPTS_FOR_EXPLANATION,
            "attempts": encrypt(derive_key(s.salt, "attempts", str(ATTEMPTS_FOR_EXPLANATION)), html),
        }
    return spec


def _ordered_pair(cell: str, actors: list[str]) -> tuple[str, str]:
    a, b = cell.split("/", 1)
    return (a, b) if actors.index(a) <= actors.index(b) else (b, a)


def _expected(ex: m.Code) -> Any:
    from .solutions import expected_value
    return expected_value(ex)


# --- checking against a sealed spec --------------------------------------------------------------

class _Checker:
    """One evaluation of an answer: the Result, and the part secrets the answer unlocked."""

    def __init__(self, spec: dict[str, Any]):
        if not isinstance(spec, dict) or spec.get("format") != FORMAT:
            raise SealError(f"not a sealed exercise spec (expected format {FORMAT!r})")
        self.spec, self.salt = spec, spec["salt"]
        self.points = float(spec["points"])
        self.secrets: dict[str, bytes] = {}

    # matching an accepted value unlocks the part's secret (when the spec carries it)
    def accepts(self, part: str, value: str) -> bool:
        h = answer_hash(self.salt, part, value)
        for entry in self.spec["accept"].get(part, ()):
            if entry["h"] == h:
                if "w" in entry:
                    self.secrets[part] = decrypt_bytes(derive_key(self.salt, "wrap" + SEP + part, value), entry["w"])
                return True
        return False

    def feedback(self, purpose: str, value: str, token: str | None) -> str:
        return decrypt(derive_key(self.salt, purpose, value), token) if token else ""

    def result(self, score: float, parts: list[Part], feedback: str = "") -> Result:
        return Result(self.spec["id"], score, self.points, tuple(parts), feedback)

    def parts_result(self, parts: list[Part]) -> Result:
        fraction = sum(p.correct for p in parts) / len(parts) if parts else 0.0
        return self.result(self.points * fraction, parts)

    # --- the ten types ---
    def single_choice(self, answer: Any) -> Result:
        if not isinstance(answer, str):
            raise AnswerShapeError("expected one option id")
        if answer not in self.spec["options"]:
            raise AnswerShapeError(f"{answer[:40]!r} is not one of the options")
        ok = self.accepts("answer", answer)
        fb = self.feedback("option", answer, self.spec["option_feedback"].get(answer))
        return self.result(self.points if ok else 0.0, [Part(answer, ok, fb)])

    def multiple_select(self, answer: Any) -> Result:
        chosen = _expect_id_list(answer)
        unknown = [c for c in chosen if c not in self.spec["options"]]
        if unknown:
            raise AnswerShapeError(f"{unknown[0][:40]!r} is not one of the options")
        chosen = list(dict.fromkeys(chosen))
        members = set(self.spec["members"])
        n_keys = int(self.spec["n_keys"])
        parts = [Part(c, answer_hash(self.salt, "member", c) in members,
                      self.feedback("option", c, self.spec["option_feedback"].get(c))) for c in chosen]
        right = sum(p.correct for p in parts)
        fraction = max(0.0, (right - (len(parts) - right)) / n_keys)
        summary = f"{right} of the {n_keys} right options chosen" + (f", {len(parts) - right} wrong" if len(parts) > right else "")
        self.accepts("answer", "\x1e".join(sorted(chosen)))
        return self.result(self.points * fraction, parts, summary)

    def _number(self, value: float) -> Result:
        tol = self.spec["tolerance"]
        steps = int(self.spec["steps"])
        sign, index = grid_value(value, tol)
        candidates = [grid_text(sign, index + d) for d in range(-steps, steps + 1)]
        if any(self.accepts("answer", c) for c in candidates):
            return self.result(self.points, [Part("answer", True, "")])
        for mis in self.spec.get("misconceptions", ()):
            for c in candidates:
                if answer_hash(self.salt, "mis", c) == mis["h"]:
                    return self.result(0.0, [Part("answer", False, self.feedback("mis", c, mis["f"]))])
        return self.result(0.0, [Part("answer", False, self.feedback("incorrect", "", self.spec.get("incorrect")))])

    def numeric(self, answer: Any) -> Result:
        return self._number(parse_number(answer))

    def short_text(self, answer: Any) -> Result:
        if not isinstance(answer, str):
            raise AnswerShapeError("expected text")
        given = normalise_text(answer[:2000])
        ok = self.accepts("answer", given)
        if not ok and self.spec.get("pattern"):
            pattern = decrypt(derive_key(self.salt, "pattern"), self.spec["pattern"])
            ok = bool(re.fullmatch(pattern, given))
            if ok and "pattern_w" in self.spec:
                self.secrets["answer"] = decrypt_bytes(derive_key(self.salt, "wrap-pattern", pattern), self.spec["pattern_w"])
        if ok:
            return self.result(self.points, [Part("answer", True, "")])
        h = answer_hash(self.salt, "mis", given)
        for mis in self.spec.get("misconceptions", ()):
            if mis["h"] == h:
                return self.result(0.0, [Part("answer", False, self.feedback("mis", given, mis["f"]))])
        return self.result(0.0, [Part("answer", False, self.feedback("incorrect", "", self.spec.get("incorrect")))])

    def ordering(self, answer: Any) -> Result:
        order = _expect_id_list(answer)
        known = set(self.spec["items"])
        if set(order) != known or len(order) != len(known):
            raise AnswerShapeError("expected every item exactly once")
        parts = [Part(str(i + 1), self.accepts(str(i + 1), item)) for i, item in enumerate(order)]
        return self.parts_result(parts)

    def _mapping(self, given: dict[str, str], what: str) -> Result:
        part_ids = self.spec["part_ids"]
        unknown = [k for k in given if k not in part_ids]
        if unknown:
            raise AnswerShapeError(f"{unknown[0][:40]!r} is not one of the {what}")
        bad = [v for v in given.values() if v not in self.spec["choices"]]
        if bad:
            raise AnswerShapeError(f"{bad[0][:40]!r} is not one of the choices")
        parts = []
        for pid in part_ids:
            ok = pid in given and self.accepts(pid, given[pid])
            fb = "" if ok or pid not in given else self.feedback("wrong", pid, self.spec["wrong"].get(pid))
            parts.append(Part(pid, ok, fb))
        return self.parts_result(parts)

    def matching(self, answer: Any) -> Result:
        return self._mapping(_expect_mapping(answer, "left items to right items"), "items to match")

    def categorisation(self, answer: Any) -> Result:
        return self._mapping(_expect_mapping(answer, "items to categories"), "items")

    def slot_coding(self, answer: Any) -> Result:
        return self._mapping(_expect_mapping(answer, "slots to options"), "slots")

    def relation_matrix(self, answer: Any) -> Result:
        raw = _expect_mapping(answer, "cells to values")
        given = {}
        for k, v in raw.items():
            a, sep, b = k.partition("/")
            given[m.cell_id(a, b) if sep else k] = v
        return self._mapping(given, "cells")

    def code(self, answer: Any) -> Result:
        if not isinstance(answer, dict) or "value" not in answer:
            raise AnswerShapeError("expected the code and the value it computed")
        if self.spec["kind"] == "number":
            ok = self._number(parse_number(answer["value"])).score > 0
        else:
            got = answer["value"]
            if not isinstance(got, str):
                raise AnswerShapeError("expected text as the result")
            ok = self.accepts("answer", normalise_text(got))
        wrong = to_html(code_wrong_feedback(self.spec["result"]))
        return self.result(self.points if ok else 0.0, [Part("answer", ok, "" if ok else wrong)])

    def run(self, answer: Any) -> Result:
        kind = self.spec["type"]
        if _is_blank(answer) or (kind == "code" and isinstance(answer, dict) and _is_blank(answer.get("value"))):
            return Result(self.spec["id"], 0.0, self.points, (), "No answer given.", blank=True)
        try:
            return getattr(self, kind)(answer)
        except AnswerShapeError as err:
            return Result(self.spec["id"], 0.0, self.points, (), f"Answer not understood: {err}.", valid=False)


_TYPES = frozenset(m.TYPES)


def _checker(spec: dict[str, Any]) -> _Checker:
    checker = _Checker(spec)
    if spec.get("type") not in _TYPES:
        raise SealError(f"unknown exercise type {spec.get('type')!r} in the sealed spec")
    return checker


def check_sealed(spec: dict[str, Any], answer: Any) -> Result:
    """Score ``answer`` against a sealed spec: the same Result as ``checks.check`` gives against
    the bank, except that feedback texts are HTML. Never raises on a bad answer."""
    return _checker(spec).run(answer)


def explanation(spec: dict[str, Any], answer: Any = None, *, attempts: int = 0) -> str | None:
    """The explanation's HTML if ``answer`` is right in every part, or (study mode only) once
    ``attempts`` reaches the spec's threshold; else None. Course-mode specs carry none."""
    info = spec.get("explanation")
    if not info:
        return None
    checker = _checker(spec)
    if answer is not None:
        result = checker.run(answer)
        part_ids = spec["part_ids"]
        if result.correct and all(p in checker.secrets for p in part_ids):
            return decrypt(explanation_key([checker.secrets[p] for p in part_ids]), info["solved"])
    if attempts >= int(info["after"]):
        return decrypt(derive_key(spec["salt"], "attempts", str(info["after"])), info["attempts"])
    return None
