"""What a checker may ask about the key, and two ways to answer: from the bank or from a seal.

A checker (``rules.py``) never sees a key. It reads the public structure of a spec and asks an
oracle four questions: is this canonical value accepted for this part; is this option one of the
keys (multiple select); which misconception, if any, is one of these values; what feedback goes
with this purpose and value. ``KeyOracle`` answers from the clear spec (the bank's key, feedback
in Markdown); ``SealedOracle`` answers from a sealed spec by hashing and decrypting (feedback in
HTML), and keeps the part secrets a right answer unlocks, for the explanation.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Protocol

from .crypto import SEP, answer_hash, decrypt, decrypt_bytes, derive_key

#: where each feedback purpose's texts live in a spec (clear: under "key"; sealed: at the top)
_TEXTS = {"option": "option_feedback", "wrong": "wrong"}


class Oracle(Protocol):
    spec: dict[str, Any]

    def accepts(self, part: str, value: str) -> bool: ...
    def accepts_pattern(self, value: str) -> bool: ...
    def is_member(self, option: str) -> bool: ...
    def misconception(self, values: Iterable[str]) -> str | None: ...
    def feedback(self, purpose: str, value: str = "") -> str: ...


class KeyOracle:
    """Answers from a clear spec (``spec.clear_spec``)."""

    def __init__(self, spec: dict[str, Any]):
        self.spec, self.key = spec, spec["key"]
        self._accept = {p: set(v) for p, v in self.key["accept"].items()}
        self._members = set(self.key.get("members", ()))

    def accepts(self, part: str, value: str) -> bool:
        return value in self._accept.get(part, ())

    def accepts_pattern(self, value: str) -> bool:
        pattern = self.key.get("pattern")
        return bool(pattern and re.fullmatch(pattern, value))

    def is_member(self, option: str) -> bool:
        return option in self._members

    def misconception(self, values: Iterable[str]) -> str | None:
        values = set(values)
        return next((text for value, text in self.key.get("misconceptions", ()) if value in values), None)

    def feedback(self, purpose: str, value: str = "") -> str:
        if purpose == "incorrect":
            return self.key.get("incorrect", "")
        return self.key.get(_TEXTS[purpose], {}).get(value, "")


class SealedOracle:
    """Answers from a sealed spec (``sealing.seal``); ``secrets`` holds the part secrets unlocked."""

    def __init__(self, spec: dict[str, Any]):
        self.spec, self.salt = spec, spec["salt"]
        self.secrets: dict[str, bytes] = {}
        self._members = set(spec.get("members", ()))

    def accepts(self, part: str, value: str) -> bool:
        h = answer_hash(self.salt, part, value)
        for entry in self.spec["accept"].get(part, ()):
            if entry["h"] == h:
                if "w" in entry:
                    self.secrets[part] = decrypt_bytes(derive_key(self.salt, "wrap" + SEP + part, value), entry["w"])
                return True
        return False

    def accepts_pattern(self, value: str) -> bool:
        if not self.spec.get("pattern"):
            return False
        pattern = decrypt(derive_key(self.salt, "pattern"), self.spec["pattern"])
        ok = bool(re.fullmatch(pattern, value))
        if ok and "pattern_w" in self.spec:
            self.secrets["answer"] = decrypt_bytes(derive_key(self.salt, "wrap-pattern", pattern), self.spec["pattern_w"])
        return ok

    def is_member(self, option: str) -> bool:
        return answer_hash(self.salt, "member", option) in self._members

    def misconception(self, values: Iterable[str]) -> str | None:
        values = list(values)
        for mis in self.spec.get("misconceptions", ()):
            for value in values:
                if answer_hash(self.salt, "mis", value) == mis["h"]:
                    return decrypt(derive_key(self.salt, "mis", value), mis["f"])
        return None

    def feedback(self, purpose: str, value: str = "") -> str:
        token = self.spec.get("incorrect") if purpose == "incorrect" else self.spec.get(_TEXTS[purpose], {}).get(value)
        return decrypt(derive_key(self.salt, purpose, value), token) if token else ""
