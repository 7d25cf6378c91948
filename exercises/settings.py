"""Every setting the package reads from the environment, decided in one place.

=========================  =====================================================================
``EXERCISES_BUILD``        the build mode: ``study`` (default) or ``course``
``EXERCISES_STATIC_BUILD`` set (not ``0``) inside a static book build: pages show HTML only
``EXERCISES_BANK_DIR``     a folder of bank files to use instead of the package's bank
``EXERCISES_JOURNAL``      the answer journal file (empty: no journal)
``EXERCISES_SECRET``       the instructor's secret for per-student variants
``EXERCISES_CONFIG``       an instructor config file (TOML) holding the secret
``EXERCISES_ALLOW_PLACEHOLDER_REPOSITORY``  set (not ``0``) for a local or test build with a placeholder
                           ``repository.url`` (a published build must name the real repository)
=========================  =====================================================================

``current()`` reads them when called (so a test or a Sphinx build can set them first) and
checks them: a bad value is a ``SettingsError`` naming the variable and the values it may take.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

BUILD = "EXERCISES_BUILD"
STATIC_BUILD = "EXERCISES_STATIC_BUILD"
BANK_DIR = "EXERCISES_BANK_DIR"
JOURNAL = "EXERCISES_JOURNAL"
SECRET = "EXERCISES_SECRET"
CONFIG = "EXERCISES_CONFIG"
ALLOW_PLACEHOLDER_REPOSITORY = "EXERCISES_ALLOW_PLACEHOLDER_REPOSITORY"
VARIABLES = (BUILD, STATIC_BUILD, BANK_DIR, JOURNAL, SECRET, CONFIG, ALLOW_PLACEHOLDER_REPOSITORY)

#: the two builds of the book: self-study (explanations after a right answer) and course (none)
MODES = ("study", "course")


class SettingsError(ValueError):
    """A setting has a value the package cannot use; the message names the variable."""


def build_mode(value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The build mode: ``value`` when given, else ``EXERCISES_BUILD`` (unset or empty: "study")."""
    raw = (os.environ if environ is None else environ).get(BUILD, "") if value is None else value
    mode = (raw or "study").strip().lower()
    if mode not in MODES:
        source = f"{BUILD}={raw!r}" if value is None else f"mode {raw!r}"
        raise SettingsError(f"{source}: the build mode must be one of {', '.join(MODES)}")
    return mode


@dataclass(frozen=True)
class Settings:
    build_mode: str
    static_build: bool
    bank_dir: Path | None
    journal: Path | None | bool  # True: the default journal; None: no journal
    secret: str | None
    config: Path | None


def current(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    journal = env.get(JOURNAL)
    return Settings(
        build_mode=build_mode(environ=env),
        static_build=env.get(STATIC_BUILD, "").strip() not in ("", "0"),
        bank_dir=Path(env[BANK_DIR]) if env.get(BANK_DIR) else None,
        journal=True if journal is None else (Path(journal) if journal.strip() else None),
        secret=env.get(SECRET) or None,
        config=Path(env[CONFIG]) if env.get(CONFIG) else None,
    )
