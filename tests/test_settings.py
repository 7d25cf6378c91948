"""One settings object for every ``EXERCISES_*`` variable, and no other module reads them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from exercises import settings

PACKAGE = Path(__file__).resolve().parent.parent / "exercises"


def test_every_variable_is_read_by_the_settings_module_only():
    readers = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "settings.py":
            continue
        for name in re.findall(r"""os\.environ(?:\.get)?[\[(]\s*["'](EXERCISES_[A-Z_]+)""", path.read_text("utf-8")):
            readers.setdefault(name, []).append(path.name)
    assert not readers, f"read outside settings.py: {readers}"


def test_current_reads_each_variable():
    s = settings.current({"EXERCISES_BUILD": "course", "EXERCISES_STATIC_BUILD": "1", "EXERCISES_BANK_DIR": "/b",
                          "EXERCISES_JOURNAL": "", "EXERCISES_SECRET": "s" * 20, "EXERCISES_CONFIG": "/c.toml"})
    assert (s.build_mode, s.static_build, s.bank_dir, s.journal, s.secret, s.config) == \
        ("course", True, Path("/b"), None, "s" * 20, Path("/c.toml"))
    d = settings.current({})
    assert (d.build_mode, d.static_build, d.bank_dir, d.journal, d.secret, d.config) == ("study", False, None, True, None, None)
    assert settings.current({"EXERCISES_STATIC_BUILD": "0", "EXERCISES_JOURNAL": "j.jsonl"}).journal == Path("j.jsonl")


def test_a_bad_build_mode_names_the_variable_and_the_choices():
    with pytest.raises(settings.SettingsError, match=r"EXERCISES_BUILD='exam': the build mode must be one of study, course"):
        settings.current({"EXERCISES_BUILD": "exam"})
