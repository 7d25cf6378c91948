"""How the exercise bank codes events and relations, read straight from the bank files.

A *coding* is the set of answers an exercise accepts for one part (an item, a left-hand entry, a
slot, a relation cell, or a single-choice question whose options are the codes themselves), in one
of four schemes: the RSCT level of a development, the Wendtian culture of a practice, the degree of
internalisation of a norm, and the amity/enmity of a relation. The reviewed table
``tests/codings.yml`` names the event each part codes; ``find_contradictions`` reports every event
that two parts code differently.
"""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BANK_FILES = sorted((ROOT / "exercises" / "bank").glob("*.yml")) + sorted((ROOT / "examples" / "assignments").glob("*.bank.yml"))
TABLE = Path(__file__).resolve().parent / "codings.yml"

#: answer id -> (scheme, code); the degree options deg1-deg3 of a matching name the same codes
CODES = {
    **{c: ("level", c) for c in ("domestic", "regional", "interregional", "global")},
    **{c: ("culture", c) for c in ("hobbes", "locke", "kant", "slide", "onesided")},
    **{c: ("degree", c) for c in ("force", "interest", "legitimacy")},
    "deg1": ("degree", "force"), "deg2": ("degree", "interest"), "deg3": ("degree", "legitimacy"),
    **{c: ("relation", c) for c in ("amity", "enmity", "indifference", "mixed")},
}


def _as_list(value) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


def _parts(ex: dict) -> list[tuple[str, list[str], set[str]]]:
    """(part id, accepted answer ids, answer ids offered) for the coded kinds of exercise."""
    kind = ex["type"]
    if kind in ("categorisation", "matching", "relation_matrix"):
        offered = {c["id"] for c in ex.get("categories") or ex.get("right") or ex.get("values")}
        return [(pid, _as_list(ans), offered) for pid, ans in ex["answer"].items()]
    if kind == "slot_coding":
        return [(s["id"], _as_list(ex["answer"][s["id"]]), {o["id"] for o in s["options"]}) for s in ex["slots"]]
    if kind == "single_choice":
        return [("", [ex["answer"]], {o["id"] for o in ex["options"]})]
    return []


def bank_codings(files=BANK_FILES) -> dict[str, tuple[str, frozenset[str]]]:
    """'exercise/part' -> (scheme, accepted codes), for every part whose answers are codes of one
    scheme and which offers at least two codes of that scheme."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for path in files:
        for ex in yaml.safe_load(Path(path).read_text("utf-8"))["exercises"]:
            for pid, accepted, offered in _parts(ex):
                if not accepted or not all(a in CODES for a in accepted):
                    continue
                schemes = {CODES[a][0] for a in accepted}
                if len(schemes) != 1:
                    continue
                scheme = schemes.pop()
                if sum(1 for o in offered if CODES.get(o, ("",))[0] == scheme) < 2:
                    continue
                key = f"{ex['id']}/{pid}" if pid else ex["id"]
                out[key] = (scheme, frozenset(CODES[a][1] for a in accepted))
    return out


def load_table(path: Path = TABLE) -> dict[str, dict]:
    """The reviewed table: scheme -> event -> {codes, parts}."""
    return yaml.safe_load(path.read_text("utf-8"))


def event_of_part(table: dict) -> dict[str, tuple[str, str]]:
    return {part: (scheme, event) for scheme, events in table.items() for event, row in events.items() for part in row["parts"]}


def find_contradictions(codings: dict[str, tuple[str, frozenset[str]]], table: dict) -> list[str]:
    """One line per event that two parts of the bank code differently."""
    by_event: dict[tuple[str, str], dict[frozenset[str], list[str]]] = {}
    for part, (scheme, event) in event_of_part(table).items():
        if part in codings:
            by_event.setdefault((scheme, event), {}).setdefault(codings[part][1], []).append(part)
    return [
        f"{scheme} of {event!r} is coded differently: "
        + "; ".join(f"{sorted(codes)} by {', '.join(sorted(parts))}" for codes, parts in sorted(variants.items(), key=lambda kv: sorted(kv[0])))
        for (scheme, event), variants in sorted(by_event.items())
        if len(variants) > 1
    ]
