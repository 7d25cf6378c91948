"""Sources and variety: no reference from a disallowed (weak or partisan) source, every key the
bank or the pages cite exists, and no single episode dominates the exercises."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "references.bib"
BANKS = sorted((ROOT / "exercises" / "bank").glob("*.yml")) + sorted((ROOT / "examples" / "assignments").glob("*.bank.yml"))

#: domains the book must not cite: partisan outlets, mirrors of encyclopaedias, exam-prep summaries
DISALLOWED_DOMAINS = ("opindia.com", "wikiwand.com", "wikipedia.org", "byjus.com")
#: words in a reference that show only a publisher's description was read
DISALLOWED_NOTES = ("publisher's description", "publisher's blurb")
#: the most exercises that may turn on one episode (Doha once appeared in 16)
MAX_EXERCISES_PER_EPISODE = 8


def entries(text: str) -> dict[str, str]:
    """BibTeX key -> the entry's text."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^@\w+\{([^,\s]+),", text, flags=re.M)]
    return {key: text[pos:(starts[i + 1][0] if i + 1 < len(starts) else len(text))] for i, (pos, key) in enumerate(starts)}


def disallowed(text: str) -> list[str]:
    out = []
    for key, body in entries(text).items():
        lower = body.lower()
        out += [f"{key}: cites {d}" for d in DISALLOWED_DOMAINS if d in lower]
        out += [f"{key}: rests on a {n}" for n in DISALLOWED_NOTES if n in lower]
    return out


def test_no_reference_comes_from_a_disallowed_source():
    assert disallowed(BIB.read_text("utf-8")) == []


def test_the_check_catches_a_disallowed_reference():
    text = "@misc{x_2025,\n  howpublished = {OpIndia},\n  url = {https://www.opindia.com/a},\n}\n@book{y,\n  note = {Cited from the publisher's description},\n}\n"
    assert disallowed(text) == ["x_2025: cites opindia.com", "y: rests on a publisher's description"]


def test_every_source_key_the_bank_names_is_in_the_bibliography():
    keys = set(entries(BIB.read_text("utf-8")))
    missing = sorted({f"{path.name}: {ex['id']}: {k}" for path in BANKS
                      for ex in yaml.safe_load(path.read_text("utf-8"))["exercises"] for k in ex.get("sources", []) if k not in keys})
    assert not missing, missing


@pytest.mark.parametrize("page", sorted((ROOT / "book").glob("*.md")), ids=lambda p: p.stem)
def test_every_key_a_page_cites_is_in_the_bibliography(page):
    keys = set(entries(BIB.read_text("utf-8")))
    cited = {k.split("{")[0].strip() for group in re.findall(r"\{cite:[pt]\}`([^`]*)`", page.read_text("utf-8")) for k in group.split(",")}
    assert not cited - keys, f"{page.name} cites unknown keys: {sorted(cited - keys)}"


def exercises_naming(word: str) -> list[str]:
    found = []
    for path in BANKS:
        for ex in yaml.safe_load(path.read_text("utf-8"))["exercises"]:
            if re.search(rf"\b{word}\b", yaml.safe_dump(ex, allow_unicode=True), flags=re.I):
                found.append(ex["id"])
    return found


def test_the_doha_episode_no_longer_dominates_the_exercises():
    episode = "Doha"
    found = exercises_naming(episode)
    assert len(found) <= MAX_EXERCISES_PER_EPISODE, f"{episode} appears in {len(found)} exercises: {found}"


# --- near-duplicates ----------------------------------------------------------------------------

#: two exercises whose prompts and options share this share of their three-word phrases (Jaccard)
#: are near-duplicates; the bank's most similar distinct pair scores 0.25
NEAR_DUPLICATE = 0.35
#: near-duplicates kept on purpose, with the reason
DELIBERATE = {
    ("a3evidence_ex1", "numbers_ex3"): "the graded, per-student variant of the book's practice exercise",
}


def _shingles(ex: dict) -> set[tuple[str, ...]]:
    parts = [str(ex.get("prompt", ""))]
    for field in ("options", "items", "rows", "slots", "pairs", "cells", "categories", "choices"):
        for x in ex.get(field) or ():
            if isinstance(x, dict):
                parts += [str(x.get("text", "")), str(x.get("label", ""))]
    words = re.findall(r"[a-z0-9']+", " ".join(parts).lower())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def near_duplicates(exercises: list[dict]) -> list[tuple[float, str, str]]:
    sets = [(ex["id"], _shingles(ex)) for ex in exercises]
    out = []
    for i, (a, sa) in enumerate(sets):
        for b, sb in sets[i + 1:]:
            if sa and sb:
                j = len(sa & sb) / len(sa | sb)
                if j >= NEAR_DUPLICATE:
                    out.append((round(j, 2), *sorted((a, b))))
    return sorted(out, reverse=True)


def test_no_two_exercises_are_near_duplicates():
    exercises = [ex for path in BANKS for ex in yaml.safe_load(path.read_text("utf-8"))["exercises"]]
    found = [d for d in near_duplicates(exercises) if (d[1], d[2]) not in DELIBERATE]
    assert not found, f"near-duplicate exercises (share of three-word phrases, ids): {found}"
    ids = {ex["id"] for ex in exercises}
    assert all(set(pair) <= ids for pair in DELIBERATE), "a deliberate pair names an exercise that no longer exists"


def test_the_near_duplicate_check_finds_a_lightly_reworded_copy():
    ex = yaml.safe_load((ROOT / "exercises" / "bank" / "rsct.yml").read_text("utf-8"))["exercises"][0]
    copy = dict(ex, id="copy", prompt=ex["prompt"].replace("the", "this", 2) + " Explain briefly.")
    assert [d[1:] for d in near_duplicates([ex, copy])] == [tuple(sorted((ex["id"], "copy")))]
