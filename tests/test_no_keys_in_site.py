"""No key of any exercise in the bank is readable anywhere in the built site.

Scans every .html, .js, .json, .ipynb, .md and .txt file of the full book build (pages, search
index, downloadable sources in _sources/, assets) for the distinctive things a key would leak:
the correct options' feedback, explanations, solution code, ordering/matching/categorisation/slot/
matrix keys written as a mapping or a sequence, short-answer patterns, and the model answers and
rubric descriptors of written exercises (opened only once a response is submitted). Short-answer variants
and numeric keys are ordinary words and numbers that the book's prose uses freely, so those are
checked inside each exercise's own block on its page (text, attributes and embedded spec).
Fragments that are public by authorship (in a prompt, a hint or the chapters' prose) are skipped.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from exercises import bank as bank_mod
from exercises import models as m
from exercises.checking import normalise_text
from exercises.markdown import to_html
from exercises.types.written import Written

ROOT = Path(__file__).resolve().parent.parent
SCANNED = (".html", ".js", ".json", ".ipynb", ".md", ".txt")
TAG = re.compile(r"<[^>]+>")
ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _plain(markdown: str) -> str:
    return " ".join(BeautifulSoup(to_html(markdown), "html.parser").get_text().split())


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_json_strings(v)]]
    return []


# spec fields that hold only hashes, ciphertexts and the salt (test_sealed checks they are that)
CIPHER_FIELDS = {"accept", "members", "misconceptions", "option_feedback", "wrong", "incorrect", "explanation",
                 "pattern", "pattern_w", "salt"}


def _json_values(value) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_json_values(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _json_values(v)]
    return [str(value)]


def _readable(path: Path) -> str:
    """The file's text as a reader would see it: entities and JSON escapes decoded, tags also
    stripped (so highlighted code is caught), whitespace collapsed."""
    raw = path.read_text("utf-8", errors="replace")
    texts = [raw]
    if path.suffix in (".json", ".ipynb"):
        try:
            texts.append("\n".join(_json_strings(json.loads(raw))))
        except ValueError:
            pass
    decoded = [html.unescape(ESCAPE.sub(lambda g: chr(int(g.group(1), 16)), t)) for t in texts]
    decoded += [html.unescape(TAG.sub("", t)) for t in decoded]
    return "\n\u0000\n".join(" ".join(t.split()) for t in decoded)


@pytest.fixture(scope="module")
def bank():
    """Every chapter of the bank that loads (a broken bank file fails tests/test_bank.py and the
    book build; here its valid neighbours are still checked)."""
    found, _ = bank_mod.validate()
    assert found.chapter("howto")
    return found


@pytest.fixture(scope="module")
def corpus(site) -> dict[str, str]:
    files = {str(p.relative_to(site)): _readable(p) for p in sorted(site.rglob("*")) if p.is_file() and p.suffix in SCANNED}
    assert any(name.startswith("_sources/") for name in files), "no page sources in the site to check"
    return files


@pytest.fixture(scope="module")
def exercise_blocks(site) -> dict[str, str]:
    """Each exercise's own block on its built page: text, attribute values and embedded spec."""
    blocks = {}
    for page in site.rglob("*.html"):
        for div in BeautifulSoup(page.read_text("utf-8"), "html.parser").select("div.exercise[data-exercise]"):
            parts = [div.get_text(" ")] + [str(v) for tag in div.find_all(True) for v in tag.attrs.values()]
            spec = json.loads(div.find("script", class_="exercise-spec").string)
            parts += _json_values({k: v for k, v in spec.items() if k not in CIPHER_FIELDS})
            blocks[div["data-exercise"]] = " ".join(" ".join(parts).split())
    return blocks


def _public_text(ex: m.Exercise) -> str:
    bits = [ex.title, ex.prompt, *ex.hints, getattr(ex, "unit", ""), getattr(ex, "setup", ""), getattr(ex, "starter", "")]
    for name in ("options", "items", "left", "right", "categories", "actors", "values"):
        bits += [c.text for c in getattr(ex, name, ())]
    bits += [s.label + " " + " ".join(o.text for o in s.options) for s in getattr(ex, "slots", ())]
    bits += [c.title + " " + " ".join(lv.label for lv in c.levels) for c in getattr(ex, "rubric", ())]
    return " ".join(_plain(b) + " " + b for b in bits if b)


def _sentences(markdown: str, public: str) -> list[str]:
    """Distinctive fragments of a text: its sentences of 30+ characters not also in public text."""
    text = _plain(markdown)
    parts = [s for s in re.split(r"(?<=[.!?;:])\s+", text) if len(s) >= 30]
    if not parts and len(text) >= 15:
        parts = [text]
    return [s for s in parts if s not in public]


def _secret_texts(ex: m.Exercise, public: str) -> list[tuple[str, str]]:
    out = [("explanation", s) for s in _sentences(ex.explanation, public)]
    if isinstance(ex, m.SingleChoice):
        keyed = {ex.answer} if ex.type == "single_choice" else set(ex.answer)
        out += [(f"feedback of the correct option {o.id}", s) for o in ex.options if o.id in keyed for s in _sentences(o.feedback, public)]
    if isinstance(ex, m.Code):
        setup = {line.strip() for line in (ex.setup + "\n" + ex.starter).splitlines()}
        out += [("solution code", line.strip()) for line in ex.solution.splitlines()
                if len(line.strip()) >= 20 and line.strip() not in setup and line.strip() not in public]
    if isinstance(ex, m.ShortText) and ex.pattern:
        out.append(("pattern", ex.pattern))
    if isinstance(ex, Written):
        out += [("model answer", s) for s in _sentences(ex.model_answer, public)]
        out += [(f"descriptor of {c.id}: {lv.label}", s) for c in ex.rubric for lv in c.levels for s in _sentences(lv.descriptor, public)]
    return out


def _mapping_pairs(ex: m.Exercise) -> list[tuple[str, str]]:
    if isinstance(ex, (m.Matching, m.Categorisation)):
        return list(ex.answer.items())
    if isinstance(ex, (m.SlotCoding, m.RelationMatrix)):
        pairs = []
        for part, accepted in ex.answer.items():
            names = [part] + (["/".join(reversed(part.split("/")))] if "/" in part else [])
            pairs.append(("|".join(map(re.escape, names)), accepted[0]))
        return pairs
    return []


def _pair_regex(key: str, value: str, escaped_key: bool = False) -> re.Pattern:
    k = key if escaped_key else re.escape(key)
    return re.compile(rf"(?<![\w/-])(?:{k})(?![\w/-])[^\w]{{1,6}}(?<![\w/-]){re.escape(value)}(?![\w/-])")


@pytest.fixture(scope="module")
def public_text(bank) -> str:
    """Text that is public by authorship: every exercise's prompt, hints and choices, and the
    chapters' own prose. A sentence of an explanation that the author also wrote there (a glossary
    definition, a generic "Three statements are supported.") is not a leak of the engine's."""
    prose = [p.read_text("utf-8") for p in (ROOT / "book").glob("*.md")]
    return " ".join(" ".join(t.split()) for t in [*(_public_text(ex) for ex in bank.exercises.values()), *prose])


def test_the_site_has_the_exercises_to_check(bank, exercise_blocks):
    howto = [ex_id for ex_id in bank.exercises if ex_id.startswith("howto_")]
    assert howto and all(ex_id in exercise_blocks for ex_id in howto), sorted(set(howto) - set(exercise_blocks))


def test_page_sources_offered_for_download_hold_only_show_calls(bank, site):
    source = site / "_sources" / "book" / "how_to_use.md"
    text = source.read_text("utf-8")
    assert 'show("howto_ex1")' in text
    for ex in bank.chapter("howto").exercises:
        assert _plain(ex.explanation)[:40] not in " ".join(text.split())


def test_no_feedback_explanation_solution_or_pattern_in_any_file(bank, corpus, public_text):
    leaks = []
    for ex in bank.exercises.values():
        for what, needle in _secret_texts(ex, public_text):
            for name, text in corpus.items():
                if needle in text:
                    leaks.append(f"{ex.id}: {what} in {name}: {needle[:70]!r}")
    assert not leaks, "\n".join(leaks[:40])


def test_no_ordering_key_as_a_sequence_in_any_file(bank, corpus):
    leaks = []
    for ex in bank.exercises.values():
        if isinstance(ex, m.Ordering):
            sequence = re.compile(r"[^\w]{1,6}".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])" for i in ex.answer))
            for name, text in corpus.items():
                found = sequence.search(text)
                if found:
                    leaks.append(f"{ex.id}: its item ids in the key's order in {name}: "
                                 f"...{text[max(0, found.start() - 160):found.end() + 20]}...")
    assert not leaks, ("the right order of an ordering exercise is written out (if it is another exercise's list of "
                       "the same ids, reorder that list in the bank):\n" + "\n".join(leaks))


def test_no_mapping_key_as_a_serialised_mapping_in_any_file(bank, corpus):
    leaks = []
    for ex in bank.exercises.values():
        pairs = _mapping_pairs(ex)
        if not pairs:
            continue
        regexes = [_pair_regex(k, v, escaped_key=isinstance(ex, (m.SlotCoding, m.RelationMatrix))) for k, v in pairs]
        for name, text in corpus.items():
            if all(r.search(text) for r in regexes):
                leaks.append(f"{ex.id}: all {len(pairs)} key pairs written out in {name}")
    assert not leaks, "\n".join(leaks)


def _number_forms(value: float) -> set[str]:
    forms = {f"{value:g}", repr(float(value))}
    if float(value).is_integer():
        forms.add(str(int(value)))
    return {f for f in forms if len(f.lstrip("-").replace(".", "")) >= 3}  # 1- and 2-digit numbers are everywhere


def test_no_short_answer_variant_or_numeric_key_inside_its_exercise_block(bank, exercise_blocks):
    leaks, checked = [], 0
    for ex in bank.exercises.values():
        block = exercise_blocks.get(ex.id)
        if block is None:
            continue
        public = _public_text(ex)
        needles: set[str] = set()
        if isinstance(ex, m.ShortText):
            needles |= {v for v in ex.answer} | {normalise_text(v) for v in ex.answer}
        if isinstance(ex, m.Numeric):
            needles |= _number_forms(ex.answer)
        for needle in needles:
            if not needle or re.search(rf"(?<![\w.]){re.escape(needle)}(?![\w.])", public, re.I):
                continue  # the prompt itself says it: not a leak
            checked += 1
            if re.search(rf"(?<![\w.+/=]){re.escape(needle)}(?![\w.+/=])", block, re.I):
                leaks.append(f"{ex.id}: {needle!r} appears in its block")
    assert checked, "no short-answer or numeric key was checked"
    assert not leaks, "\n".join(leaks)
