"""The sealed spec's primitives (mirrored in ``assets/exercises.js``): salted SHA-256 hashes of
canonical values, keys derived from a value, and a SHA-256 keystream cipher.

See ``sealing.py`` for how a spec is built from them and ``docs/static-security.md`` for what
they do and do not protect. ``|`` below stands for the separator ``"\\x1f"``.

- hash of a value ``v`` of part ``p``: ``SHA-256("exercises.hash/1" | salt | p | v)`` (hex);
- key for a purpose and value: ``SHA-256("exercises.key/1" | salt | purpose | v)`` (32 bytes);
- encryption: UTF-8 bytes XOR a SHA-256 keystream (block ``i`` is ``SHA-256(key || i)``, ``i`` a
  4-byte big-endian counter), base64. Each key encrypts one text.
"""
from __future__ import annotations

import base64
import hashlib

SEP = "\x1f"


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


def explanation_key(secrets: list[bytes]) -> bytes:
    return hashlib.sha256(b"exercises.explain/1" + b"".join(secrets)).digest()
