"""The sealed spec: an exercise as the browser may see it, checkable without any key.

``seal(ex, mode=...)`` takes the clear spec (``spec.clear_spec``: the public structure and the key
in canonical form) and replaces its key with salted SHA-256 hashes of the accepted values of every
part, and its feedback texts with ciphertexts under keys that only the matching answer yields
(primitives in ``crypto.py``; ``assets/exercises.js`` implements the same in the browser). The
checker (``rules.py``) scores an answer against it through ``oracles.SealedOracle`` exactly as it
scores it against the bank; feedback comes back as HTML, rendered from the bank's Markdown.

- ``salt``: 32 hex digits, ``SHA-256("exercises.salt/1" | id | fingerprint)`` where the
  fingerprint is the canonical JSON of the whole bank record (keys included). Deterministic, so
  builds are reproducible; published, since it is only a salt.
- every accepted value of a part also wraps (encrypts) a 32-byte secret of that part; the
  explanation is encrypted under ``SHA-256("exercises.explain/1" || secret_1 || ... )``, so only
  an answer that is right in every part can read it. In study mode a second copy is encrypted
  under a key derived from the salt alone, released after 3 attempts: obfuscation, not secrecy.
  Course mode ships no explanation at all.
- a written answer has no key to hash: its rubric descriptors (and, in study mode, the model
  answer and answer notes) are one ciphertext under a key derived from the salt, opened when the
  student submits a response. Obfuscation: it keeps them out of the page source, not from a script.

See ``docs/static-security.md`` for what this does and does not protect.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from typing import Any

from .. import models as m
from ..markdown import to_html
from ..settings import MODES
from .crypto import SEP, answer_hash, derive_key, encrypt, explanation_key
from .spec import clear_spec

FORMAT = "exercises.sealed/1"
#: in study mode the explanation can be shown after this many checked attempts
ATTEMPTS_FOR_EXPLANATION = 3


class SealError(ValueError):
    """The spec is not a sealed spec this package can read."""


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


def part_secret(ex: m.Exercise, part: str) -> bytes:
    base = hashlib.sha256(SEP.join(("exercises.secret/1", ex.id, fingerprint(ex))).encode("utf-8")).digest()
    return hashlib.sha256(base + SEP.encode() + part.encode("utf-8")).digest()


def seal(ex: m.Exercise, *, mode: str = "study", expected: Any = None) -> dict[str, Any]:
    """The key-free JSON spec of ``ex`` for the browser (and for key-free checking in Python).

    ``expected`` is the value of a code exercise's solution; when omitted it is computed with
    ``solutions.expected_value`` (the solution runs here, at build time, and never ships).
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    spec = clear_spec(ex, expected=expected)
    key = spec.pop("key")
    salt = salt_of(ex)
    spec.update(format=FORMAT, mode=mode, salt=salt)

    def enc(purpose: str, value: str, markdown: str) -> str:
        return encrypt(derive_key(salt, purpose, value), to_html(markdown))

    accept: dict[str, list[dict[str, str]]] = {}
    for part, values in key["accept"].items():
        accept[part] = []
        for value in values:
            entry = {"h": answer_hash(salt, part, value)}
            if mode == "study":
                entry["w"] = encrypt(derive_key(salt, "wrap" + SEP + part, value), part_secret(ex, part))
            accept[part].append(entry)
    # the spec carries each kind of text the type's clear key has (exercises.types.<type>.clear)
    if "option_feedback" in key:
        spec["option_feedback"] = {o: enc("option", o, text) for o, text in sorted(key["option_feedback"].items())}
    if "members" in key:
        spec["members"] = sorted(answer_hash(salt, "member", k) for k in key["members"])
    if "misconceptions" in key:
        spec["misconceptions"] = [{"h": answer_hash(salt, "mis", g), "f": enc("mis", g, text)}
                                  for g, text in key["misconceptions"]]
    if key.get("pattern"):
        spec["pattern"] = encrypt(derive_key(salt, "pattern"), key["pattern"])
        if mode == "study":
            spec["pattern_w"] = encrypt(derive_key(salt, "wrap-pattern", key["pattern"]), part_secret(ex, "answer"))
    if "wrong" in key:
        spec["wrong"] = {p: enc("wrong", p, text) for p, text in sorted(key["wrong"].items())}
    if key.get("incorrect"):
        spec["incorrect"] = enc("incorrect", "", key["incorrect"])
    spec["accept"] = accept
    if "model_answer" in key:  # a written answer: nothing to solve; its texts open once a response is submitted
        texts: dict[str, Any] = {"descriptors": {c: [to_html(d) for d in ds] for c, ds in key["descriptors"].items()}}
        if mode == "study":
            texts.update(model_answer=to_html(key["model_answer"]), explanation=to_html(key["explanation"]))
        spec["submitted"] = encrypt(derive_key(salt, "submitted"), json.dumps(texts, ensure_ascii=False, sort_keys=True))
    elif mode == "study":
        secrets = [part_secret(ex, p) for p in spec["part_ids"]]
        html = to_html(key["explanation"])
        spec["explanation"] = {
            "solved": encrypt(explanation_key(secrets), html),
            "after": ATTEMPTS_FOR_EXPLANATION,
            "attempts": encrypt(derive_key(salt, "attempts", str(ATTEMPTS_FOR_EXPLANATION)), html),
        }
    return spec

