"""Per-student variants, derived from the instructor's secret and the student's id only.

A variant fixes, for one student and one assignment, the order of options and items each
exercise shows and the params each parameterised exercise uses. It is an HMAC-SHA256 of the
instructor's secret, the assignment name and the student id: the grader recomputes it from the
identified student; nothing in the student's file decides it. The *token* written into a
released notebook is a further HMAC that lets the grader check that the notebook was issued to
the student who handed it in; it reveals nothing about the secret or the params.

The secret comes from, in order: the ``EXERCISES_SECRET`` environment variable; the ``secret``
key of the TOML file given with ``--config``; ``$EXERCISES_CONFIG``; ``./instructor.toml``;
``~/.config/exercises/instructor.toml``. Keep that file out of any repository you publish.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .assignment import Assignment
from .. import settings

COMMON = "*"  # the student id of a release without a roster
MIN_SECRET = 16


class SecretError(Exception):
    """The instructor's secret is missing or unusable; the message says how to set it."""


def config_paths(config: Path | None = None) -> list[Path]:
    paths = [Path(config)] if config else []
    if settings.current().config:
        paths.append(settings.current().config)
    paths += [Path("instructor.toml"), Path.home() / ".config" / "exercises" / "instructor.toml"]
    return paths


def load_secret(config: Path | None = None, *, required: bool = False) -> bytes | None:
    """The instructor's secret, or None when none is configured (and not ``required``)."""
    env = settings.current().secret
    if env:
        return _checked(env, "the EXERCISES_SECRET environment variable")
    if config is not None and not Path(config).is_file():
        raise SecretError(f"{config}: no such instructor config file")
    for path in config_paths(config):
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
                raise SecretError(f"{path}: not a valid TOML file ({err})") from None
            if not isinstance(data.get("secret"), str):
                raise SecretError(f"{path}: no `secret = \"...\"` line in the instructor config")
            return _checked(data["secret"], str(path))
    if required:
        raise SecretError(
            "no instructor secret: per-student variants need one, and so do unpredictable shuffles. Create instructor.toml with the line\n"
            "  secret = \"<a long random text>\"\n"
            "(e.g. from `python -c \"import secrets; print(secrets.token_hex(32))\"`), or set EXERCISES_SECRET. "
            "Keep it private and keep it: the grader needs the same secret. (A class release may go without one, "
            "with --no-secret, at the price of predictable option orders.)")
    return None


def _checked(secret: str, where: str) -> bytes:
    if len(secret.strip()) < MIN_SECRET:
        raise SecretError(f"{where}: the secret is too short (at least {MIN_SECRET} characters; use a long random text)")
    return secret.strip().encode()


def _mac(secret: bytes | None, *parts: str) -> bytes:
    message = "\0".join(parts).encode()
    if secret is None:  # a release without secret: deterministic, the same for everyone
        return hashlib.sha256(b"exercises-common\0" + message).digest()
    return hmac.new(secret, message, hashlib.sha256).digest()


def token(secret: bytes | None, assignment: str, student: str) -> str | None:
    """The variant token written into the notebook of ``student`` (None without a secret)."""
    if secret is None:
        return None
    return _mac(secret, "token", assignment, student).hex()[:20]


def key_id(secret: bytes | None) -> str | None:
    """A public name of the secret, written into released notebooks, so that grading with another
    secret is reported as such (it reveals nothing about the secret)."""
    return None if secret is None else _mac(secret, "key-id").hex()[:12]


def release_fingerprint(a: Assignment, secret: bytes | None) -> str:
    """What fixes the students' numbers: the assignment, its exercises in order and their params.
    Written into released notebooks; grading an assignment whose fingerprint differs is flagged.
    Keyed with the secret, so that it reveals nothing about the params of other students."""
    spec = json.dumps([a.name, [[it.id, {k: list(v) for k, v in sorted(it.params.items())}] for it in a.items]],
                      sort_keys=True, default=str)
    return _mac(secret, "release", spec).hex()[:20]


def binding(secret: bytes | None, assignment: str, student: str, variant_token: str | None,
            fingerprint: str | None) -> str | None:
    """An HMAC over the student, the variant, the assignment and the release fingerprint, carried
    in the release's metadata and its records: a notebook or record whose binding is missing or
    does not match the student it was handed in for is flagged. None without a secret."""
    if secret is None:
        return None
    return _mac(secret, "binding", assignment, student, variant_token or "", fingerprint or "").hex()[:24]


def _rng(secret: bytes | None, *parts: str) -> random.Random:
    return random.Random(int.from_bytes(_mac(secret, *parts)[:16], "big"))


@dataclass(frozen=True)
class Variant:
    assignment: str
    student: str  # COMMON for a release without a roster
    token: str | None
    choices: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # item -> param -> value
    seeds: Mapping[str, int] = field(default_factory=dict)  # item -> shuffle seed

    def choice(self, exercise_id: str) -> dict[str, Any] | None:
        return dict(self.choices[exercise_id]) if exercise_id in self.choices else None

    def order(self, exercise_id: str, ids: list[str], *, avoid: list[str] | None = None) -> list[str]:
        """A shuffled copy of ``ids`` for this student; never equal to ``avoid`` (a key order).

        ``exercise_id`` is an item id, or ``<item id>/<part>`` for one part of it (a slot): every
        shuffle derives from the item's secret seed, never from a fixed one."""
        item, _, part = exercise_id.partition("/")
        if item not in self.seeds:
            raise KeyError(f"{exercise_id}: no shuffle seed for {item} in the variant of {self.student}")
        seed = self.seeds[item]
        if part:
            seed ^= int.from_bytes(hashlib.sha256(f"part\0{part}".encode()).digest()[:8], "big")
        rng = random.Random(seed ^ int.from_bytes(hashlib.sha256("\0".join(ids).encode()).digest()[:8], "big"))
        out = list(ids)
        for _ in range(20):
            rng.shuffle(out)
            if avoid is None or out != list(avoid) or len(set(ids)) < 2:
                break
        if avoid is not None and out == list(avoid) and len(out) > 1:
            out = out[1:] + out[:1]
        return out


def variant(a: Assignment, secret: bytes | None, student: str | None) -> Variant:
    """The variant of ``student`` (None: the common variant of a release without a roster)."""
    who = student if student is not None else COMMON
    choices: dict[str, dict[str, Any]] = {}
    seeds: dict[str, int] = {}
    for it in a.items:
        seeds[it.id] = _rng(secret, "shuffle", a.name, who, it.id).getrandbits(63)
        if it.params:
            choices[it.id] = {name: values[_rng(secret, "param", a.name, who, it.id, name).randrange(len(values))]
                              for name, values in it.params.items()}
    return Variant(a.name, who, token(secret, a.name, who), choices, seeds)
