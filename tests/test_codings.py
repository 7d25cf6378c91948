"""The bank codes each event one way: checked against the reviewed table tests/codings.yml."""
from __future__ import annotations

import yaml

import codings


def test_every_coded_part_of_the_bank_is_in_the_reviewed_table():
    bank = set(codings.bank_codings())
    table = set(codings.event_of_part(codings.load_table()))
    assert not bank - table, f"coded parts missing from tests/codings.yml (review and add them): {sorted(bank - table)}"
    assert not table - bank, f"tests/codings.yml lists parts the bank no longer codes: {sorted(table - bank)}"


def test_the_bank_accepts_exactly_the_codes_the_table_records():
    table = codings.load_table()
    found = codings.bank_codings()
    wrong = [
        f"{part}: bank accepts {sorted(found[part][1])}, table says {sorted(table[scheme][event]['codes'])} for {event!r}"
        for part, (scheme, event) in codings.event_of_part(table).items()
        if part in found and (found[part][0] != scheme or found[part][1] != frozenset(table[scheme][event]["codes"]))
    ]
    assert not wrong, "\n".join(wrong)


def test_no_event_is_coded_two_ways_across_the_bank():
    assert codings.find_contradictions(codings.bank_codings(), codings.load_table()) == []


def test_a_contradiction_between_two_exercises_is_found(tmp_path):
    bank = tmp_path / "x.yml"
    bank.write_text(yaml.safe_dump({"exercises": [
        {"id": "a_ex1", "type": "categorisation", "categories": [{"id": "force"}, {"id": "interest"}, {"id": "legitimacy"}],
         "answer": {"pen": "force"}},
        {"id": "b_ex1", "type": "slot_coding", "slots": [{"id": "deg", "options": [{"id": "force"}, {"id": "interest"}]}],
         "answer": {"deg": ["force", "interest"]}},
    ]}))
    table = {"degree": {"penalties": {"codes": ["force"], "parts": ["a_ex1/pen", "b_ex1/deg"]}}}
    found = codings.find_contradictions(codings.bank_codings([bank]), table)
    assert len(found) == 1 and "'penalties'" in found[0] and "a_ex1/pen" in found[0] and "b_ex1/deg" in found[0]


def test_every_part_that_accepts_two_readings_says_why_in_its_feedback():
    missing = []
    for path in codings.BANK_FILES:
        for ex in yaml.safe_load(path.read_text("utf-8"))["exercises"]:
            if ex["type"] not in ("slot_coding", "relation_matrix"):
                continue
            for part, accepted in ex["answer"].items():
                if isinstance(accepted, list) and len(accepted) > 1 and not (ex.get("feedback") or {}).get(part):
                    missing.append(f"{ex['id']}/{part}")
    assert not missing, f"parts accepting several codes without feedback saying why: {missing}"
