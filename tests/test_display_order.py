"""Display order is decided once (``display_order``, applied by ``Exercise.arranged``): over the
whole bank, the live widget shows every list in the static page's order, and neither shows the
bank's order or the key's."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from exercises import load_bank
from exercises import models as m
from exercises.records import keeper as rec_keeper
from exercises.views.order import page_order
from exercises.views.static import render
from exercises.views.widgets import ExerciseWidget

ORDERED_TYPES = ("single_choice", "multiple_select", "ordering", "matching", "categorisation", "slot_coding")
BANK = load_bank()
CASES = [ex for ex in BANK.exercises.values() if ex.type in ORDERED_TYPES]


def static_lists(ex: m.Exercise) -> dict[str, list[str]]:
    root = BeautifulSoup(render(ex, mode="study"), "html.parser")
    if ex.type in ("single_choice", "multiple_select"):
        return {"options": [i["value"] for i in root.select("fieldset input")]}
    if ex.type == "ordering":
        return {"items": [li["data-item"] for li in root.select(".exercise-order > li")]}
    selects = root.select("select[data-part]")
    out = {"rows": [s["data-part"] for s in selects]}
    out.update({f"choices:{s['data-part']}": [o["value"] for o in s.find_all("option") if o["value"]] for s in selects})
    return out


def widget_lists(ex: m.Exercise) -> dict[str, list[str]]:
    wdg = ExerciseWidget.for_exercise(ex, keeper=rec_keeper.RecordKeeper(ex.id, journal=False, notebook=False))
    inp = wdg.input
    if ex.type == "single_choice":
        return {"options": [v for _, v in inp.radio.options]}
    if ex.type == "multiple_select":
        return {"options": list(inp.boxes)}
    if ex.type == "ordering":
        return {"items": list(inp.start)}
    out = {"rows": list(inp.rows)}
    out.update({f"choices:{part}": [v for _, v in row.dropdown.options if v] for part, row in inp.rows.items()})
    return out


def bank_lists(ex: m.Exercise) -> dict[str, list[str]]:
    """The lists as the bank writes them, and (where the key implies one) the key's order."""
    if isinstance(ex, m.SingleChoice):
        return {"options": [o.id for o in ex.options]} if ex.shuffle else {}
    if isinstance(ex, m.Ordering):
        return {"items": [i.id for i in ex.items], "key": list(ex.answer)}
    if isinstance(ex, m.Matching):
        return {"rows": [c.id for c in ex.left], "choices": [c.id for c in ex.right]}
    if isinstance(ex, m.Categorisation):
        return {"rows": [c.id for c in ex.items]}
    return {f"choices:{s.id}": [o.id for o in s.options] for s in ex.slots}


@pytest.fixture(autouse=True)
def isolated_records():
    rec_keeper.forget_all()
    yield
    rec_keeper.forget_all()


def test_the_bank_has_every_ordered_type():
    assert {ex.type for ex in CASES} == set(ORDERED_TYPES)


@pytest.mark.parametrize("ex", CASES, ids=[ex.id for ex in CASES])
def test_widget_order_equals_static_order_and_is_neither_the_banks_nor_the_keys(ex):
    static, widget, listed = static_lists(ex), widget_lists(ex), bank_lists(ex)
    assert widget == static
    for name, bank_order in listed.items():
        if name == "key":
            assert static["items"] != bank_order, "the ordering starts in the key's order"
        elif name == "choices":  # matching: every row offers the same choices
            shown = static[f"choices:{static['rows'][0]}"]
            assert len(bank_order) < 2 or shown != bank_order
            key_order = [ex.answer[r] for r in static["rows"]]
            assert shown != key_order, "the choices follow the rows' key order"
        elif len(bank_order) > 1:
            assert static[name] != bank_order, f"{name} in the bank's order"


def test_a_release_order_reaches_the_public_data_and_the_widget():
    """A variant's order (any ``order`` function) is what the public data and the widget show."""
    ex = BANK["howto_ex6"]

    def reverse(scope, ids, *, avoid=None):
        return list(reversed(ids))

    public = ex.public(order=reverse)
    assert [c["id"] for c in public["left"]] == [c.id for c in reversed(ex.left)]
    assert [c["id"] for c in public["right"]] == [c.id for c in reversed(ex.right)]
    wdg = ExerciseWidget(public, feedback="none", keeper=rec_keeper.RecordKeeper(ex.id, journal=False, notebook=False))
    assert list(wdg.input.rows) == [c.id for c in reversed(ex.left)]


def test_page_order_never_returns_the_given_order_or_the_avoided_one():
    for n in range(3, 7):
        ids = [f"x{i}" for i in range(n)]
        for scope in ("a", "b", "c", "d"):
            out = page_order(scope, ids, avoid=list(reversed(ids)))
            assert sorted(out) == ids and out != ids and out != list(reversed(ids))
