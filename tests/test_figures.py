"""The two interactive figures (casebook): the Wendt model, the constellation data, and
the HTML each figure ships to the static site."""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.constellation import load_ties, security_constellation
from casebook.wendt import SCENARIOS, Params, classify, simulate, wendt_model
from casebook import constellation as cst_mod
from casebook import wendt as wendt_mod
from casebook.bundle import WIDGET_MIME

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "book" / "data" / "constellation.csv"


# --------------------------------------------------------------------------------------------
# the Wendt model

def test_model_is_deterministic_given_a_seed():
    p = Params(start_a=0.1, start_b=-0.2, noise=0.1, learning=0.3, restraint=0.1, rounds=80, seed=42)
    assert simulate(p) == simulate(p)


def test_model_depends_on_the_seed():
    runs = {simulate(Params(seed=k)).view_a for k in range(5)}
    assert len(runs) == 5


params_strategy = st.builds(
    Params,
    start_a=st.floats(-1, 1), start_b=st.floats(-1, 1), noise=st.floats(0, 0.5),
    learning=st.floats(0.01, 1), restraint=st.floats(0, 1), rounds=st.integers(1, 200),
    seed=st.integers(0, 10**6))


@settings(max_examples=200, deadline=None)
@given(params_strategy)
def test_model_stays_in_bounds(p):
    run = simulate(p)
    assert len(run.view_a) == len(run.view_b) == p.rounds + 1
    assert len(run.signals_a) == len(run.signals_b) == p.rounds
    assert all(-1.0 <= v <= 1.0 for v in run.view_a + run.view_b)
    assert set(run.signals_a + run.signals_b) <= {-1, 1}
    assert 0 <= run.misread <= 2 * p.rounds
    assert -1.0 <= run.final_a <= 1.0 and -1.0 <= run.final_b <= 1.0
    assert run.culture in {"Hobbesian", "Lockean", "Kantian", "none"}


@pytest.mark.parametrize("seed", range(20))
def test_friends_who_read_each_other_perfectly_stay_friends(seed):
    assert simulate(Params(start_a=1, start_b=1, noise=0, seed=seed)).culture == "Kantian"


@pytest.mark.parametrize("seed", range(20))
def test_enemies_who_read_each_other_perfectly_stay_enemies(seed):
    assert simulate(Params(start_a=-1, start_b=-1, noise=0, seed=seed)).culture == "Hobbesian"


@pytest.mark.parametrize("seed", range(20))
def test_complete_self_restraint_turns_enemies_into_friends(seed):
    assert simulate(Params(start_a=-1, start_b=-1, noise=0, restraint=1, seed=seed)).culture == "Kantian"


def test_signals_that_carry_no_information_leave_actors_rivals():
    shares = wendt_mod.outcome_shares(Params(start_a=0.9, start_b=-0.9, noise=0.5, rounds=100))
    assert shares["Lockean"] > 50


def test_misreading_is_counted_and_absent_without_noise():
    assert simulate(Params(noise=0, rounds=100)).misread == 0
    assert simulate(Params(noise=0.5, rounds=100)).misread > 0


@pytest.mark.parametrize("a, b, culture", [
    (0.9, 0.5, "Kantian"), (-0.9, -0.5, "Hobbesian"), (0.0, 0.2, "Lockean"), (0.9, 0.0, "none"),
    (-0.9, 0.9, "none")])
def test_classify_reads_both_views(a, b, culture):
    assert classify(a, b) == culture


@pytest.mark.parametrize("field, value", [
    ("start_a", 1.5), ("start_b", -2), ("noise", 0.6), ("learning", 0), ("restraint", -0.1),
    ("rounds", 0), ("rounds", 501)])
def test_out_of_range_parameters_are_refused(field, value):
    with pytest.raises(ValueError, match=field):
        Params(**{field: value})


def test_scenarios_end_as_the_chapter_says():
    # book/constructivism.md and constructivism_ex2 describe these outcomes in words
    expected = {"friends": "Kantian", "enemies": "Hobbesian", "blank_3": "Kantian",
                "blank_0": "Hobbesian", "hope": "Hobbesian", "noise": "Lockean", "restraint": "Kantian"}
    got = {s.key: simulate(s.params).culture for s in SCENARIOS}
    assert got == expected
    blank = {s.key: s.params for s in SCENARIOS}
    assert replace(blank["blank_3"], seed=0) == blank["blank_0"]  # only the seed differs


def test_the_hopeful_scenario_usually_succeeds_across_seeds():
    hope = next(s for s in SCENARIOS if s.key == "hope").params
    shares = wendt_mod.outcome_shares(hope)
    assert shares.most_common(1)[0][0] == "Kantian"


# --------------------------------------------------------------------------------------------
# the constellation data

def _rows():
    with CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_constellation_csv_has_the_documented_columns():
    with CSV.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["year", "a", "b", "relation", "note", "source", "confidence"]


def test_every_tie_has_a_source_a_note_and_known_actors():
    rows = _rows()
    assert rows
    for row in rows:
        assert row["source"].strip(), row
        assert row["note"].strip(), row
        assert row["a"] in cst_mod.ACTORS and row["b"] in cst_mod.ACTORS, row
        assert row["relation"] in cst_mod.RELATIONS, row
        assert row["confidence"] in cst_mod.CONFIDENCE, row


def test_sources_are_citations_not_links():
    for row in _rows():
        assert "http" not in row["source"], row


def test_the_package_reads_the_book_data_file():
    packaged = resources.files("casebook") / "data" / "constellation.csv"
    assert packaged.read_bytes() == CSV.read_bytes()


def test_load_ties_accepts_the_data_and_covers_the_chosen_years():
    ties = load_ties()
    assert len(ties) == len(_rows())
    assert {2001, 2021, 2023, 2025} <= {t.year for t in ties}
    pairs = Counter((t.year, t.pair) for t in ties)
    assert max(pairs.values()) == 1


def test_no_tie_predates_an_actors_formation():
    for t in load_ties():
        for end in (t.a, t.b):
            formed = cst_mod.ACTORS[end].formed
            assert formed is None or t.year >= formed


@pytest.mark.parametrize("bad, message", [
    ("2021,pak,xyz,amity,note,src,high", "unknown actor"),
    ("2021,pak,tal,love,note,src,high", "unknown relation"),
    ("2021,pak,tal,amity,note,,high", "source"),
    ("2021,pak,tal,amity,note,src,certain", "confidence"),
    ("2001,pak,ttp,enmity,note,src,high", "did not exist"),
])
def test_load_ties_refuses_bad_rows(tmp_path, bad, message):
    path = tmp_path / "c.csv"
    path.write_text("year,a,b,relation,note,source,confidence\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(cst_mod.ConstellationError, match=message):
        load_ties(path)


def test_load_ties_refuses_two_rows_for_one_pair_in_one_year(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("year,a,b,relation,note,source,confidence\n"
                    "2021,pak,tal,amity,n,s,high\n2021,tal,pak,enmity,n,s,high\n", encoding="utf-8")
    with pytest.raises(cst_mod.ConstellationError, match="second row"):
        load_ties(path)


# --------------------------------------------------------------------------------------------
# the HTML each figure ships

class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _parse(html: str) -> list[tuple[str, dict]]:
    c = _Collector()
    c.feed(html)
    return c.tags


def _assert_loads_nothing(html: str):
    assert not re.search(r"https?://", html)
    tags = _parse(html)
    assert not [t for t, _ in tags if t in {"script", "link", "img", "iframe", "object", "embed", "image"}]
    for _, attrs in tags:
        for name in ("src", "href", "xlink:href", "srcset", "data"):
            assert name not in attrs or not attrs[name] or attrs[name].startswith("#")
    assert "@import" not in html and "url(" not in html


def _assert_switcher(html: str, labels: list[str]):
    tags = _parse(html)
    radios = [a for t, a in tags if t == "input" and a.get("type") == "radio"]
    panels = [a for t, a in tags if t == "section" and "ttpfig-panel" in a.get("class", "")]
    assert len(radios) == len(panels) == len(labels)
    assert sum("checked" in a for a in radios) == 1
    assert len({a["name"] for a in radios}) == 1
    assert sorted(a["data-i"] for a in radios) == sorted(a["data-i"] for a in panels)
    for label in labels:
        assert f"<span>{label}</span>" in html
    # every panel has a drawing with a title and a text alternative
    assert html.count('role="img"') == len(panels)
    assert html.count('<details class="ttpfig-alt">') == len(panels)
    assert html.count("<table") == len(panels)


def test_constellation_html_has_every_year_a_table_each_and_loads_nothing():
    fig = security_constellation()
    html = fig.html()
    years = sorted({t.year for t in load_ties()})
    _assert_switcher(html, [cst_mod.year_label(y) for y in years])
    _assert_loads_nothing(html)
    for t in load_ties():  # every tie's source is printed in its year's table
        assert cst_mod.escape(t.source) in html


def test_constellation_marks_low_confidence_ties_as_uncertain():
    html = security_constellation(years=[2025]).html()
    low = [t for t in load_ties() if t.year == 2025 and t.confidence == "low"]
    assert low
    assert html.count("low (uncertain)") == len(low)
    assert "?</text>" in html


def test_constellation_names_actors_without_ties():
    html = security_constellation(years=[2001]).html()
    assert "No tie documented in our sources for:" in html
    assert "did not yet exist" in html  # the TTP in 2001


def test_constellation_refuses_years_without_data():
    with pytest.raises(ValueError, match="no ties"):
        security_constellation(years=[1999])


def test_wendt_html_has_every_scenario_a_summary_each_and_loads_nothing():
    html = wendt_model().html()
    _assert_switcher(html, [s.label for s in SCENARIOS])
    _assert_loads_nothing(html)
    assert html.count('class="ttpfig-summary"') == 2 * len(SCENARIOS)
    assert "not a forecast" in html


def test_standalone_svgs_are_well_formed_xml():
    import xml.etree.ElementTree as ET
    ET.fromstring(cst_mod.svg(load_ties(), 2025, standalone=True))
    ET.fromstring(wendt_mod.svg(simulate(Params()), standalone=True))


def test_two_figures_on_one_page_do_not_share_radio_groups():
    a, b = security_constellation().html(), security_constellation().html()
    name = re.compile(r'name="([^"]+)"')
    assert set(name.findall(a)).isdisjoint(name.findall(b))


def test_stylesheet_covers_every_panel_index():
    css = (ROOT / "casebook" / "assets" / "figures.css").read_text(encoding="utf-8")
    most = max(len({t.year for t in load_ties()}), len(SCENARIOS))
    for i in range(most):
        assert f'input[data-i="{i}"]:checked) .ttpfig-panel[data-i="{i}"]' in css
    assert "http" not in css


# --------------------------------------------------------------------------------------------
# one bundle, two worlds

@pytest.mark.parametrize("make", [security_constellation, wendt_model])
def test_bundle_carries_the_widget_and_the_static_view(make):
    bundle = make()._repr_mimebundle_()
    assert {"text/html", "text/plain", WIDGET_MIME} <= set(bundle)
    assert bundle[WIDGET_MIME]["model_id"]


def test_constellation_widget_redraws_for_the_chosen_year():
    fig = security_constellation()
    picker, view, _ = fig.widget.children
    picker.value = 2001
    assert "Documented ties in 2001" in view.value
    picker.value = 2025
    assert "Documented ties in 2025" in view.value


def test_wendt_widget_redraws_when_a_slider_moves_and_loads_presets():
    fig = wendt_model()
    preset, *controls, view, _ = fig.widget.children
    sliders = {c.description: c for c in controls}
    sliders["Rounds"].value = 30
    assert "After 30 rounds" in view.value
    preset.value = "enemies"
    assert sliders["A's initial view of B"].value == pytest.approx(-0.7)
    assert "Hobbesian culture" in view.value
