"""The static view: one accessible, key-free HTML block per exercise, stable against goldens."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from exercises import settings
from exercises.views import static
from exercises.views.order import shuffled
from exercises.markdown import to_html, to_text
from exercises.checking import seal

GOLDENS = Path(__file__).resolve().parent / "goldens"
CODE_KEY = 12  # pinned key of howto_ex10, so the goldens do not move when the timeline data grows


def render(ex, mode="study"):
    return static.render(ex, mode=mode, expected=CODE_KEY if ex.type == "code" else None)


def soup(html):
    return BeautifulSoup(html, "html.parser")


@pytest.fixture(scope="module")
def exercises(howto):
    return list(howto.exercises.values())


@pytest.fixture(scope="module")
def rendered(exercises):
    return {ex.id: render(ex) for ex in exercises}


def _root(html):
    roots = soup(html).find_all("div", class_="exercise", recursive=False)
    assert len(roots) == 1
    return roots[0]


# --- structure ---------------------------------------------------------------------------------

def test_root_element_carries_the_contract_attributes(exercises, rendered):
    for ex in exercises:
        root = _root(rendered[ex.id])
        assert root["id"] == ex.id and root["data-exercise"] == ex.id
        assert root["data-chapter"] == "howto" and root["data-type"] == ex.type
        assert root["data-objectives"].split() == list(ex.objectives)
        assert root["data-mode"] == "study"


def test_heading_shows_title_and_points(howto):
    title = _root(render(howto["howto_ex2"])).find(class_="exercise-title")
    assert "What the TTP is" in title.get_text() and "(2 points)" in title.get_text()
    assert "(1 point)" in _root(render(howto["howto_ex1"])).find(class_="exercise-title").get_text()


def test_prompt_is_rendered_markdown(howto, rendered):
    prompt = _root(rendered["howto_ex1"]).find(class_="exercise-prompt")
    assert prompt.find("strong").get_text() == "interlinked"


def test_every_form_control_has_a_label(exercises, rendered):
    for ex in exercises:
        root = _root(rendered[ex.id])
        for control in root.find_all(["input", "select"]):
            label = root.find("label", attrs={"for": control["id"]})
            assert label is not None and label.get_text(strip=True), (ex.id, control)


def test_there_are_no_inline_handlers_no_external_resources_and_no_executable_script(exercises, rendered):
    for ex in exercises:
        html = rendered[ex.id]
        for tag in soup(html).find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (ex.id, tag.name)
            assert not tag.get("src") and not str(tag.get("href", "")).startswith(("http", "//"))
        scripts = soup(html).find_all("script")
        assert [s.get("type") for s in scripts] == ["application/json"]


def test_the_embedded_spec_is_the_sealed_spec(exercises, rendered):
    for ex in exercises:
        spec = json.loads(_root(rendered[ex.id]).find("script", class_="exercise-spec").string)
        assert spec == json.loads(json.dumps(seal(ex, expected=CODE_KEY if ex.type == "code" else None)))


def test_choices_are_a_radio_group_or_checkboxes_in_a_fieldset_with_a_legend(rendered):
    single = _root(rendered["howto_ex1"]).find("fieldset")
    assert single.legend.get_text() == "Choose one answer"
    assert {i["type"] for i in single.find_all("input")} == {"radio"} and len({i["name"] for i in single.find_all("input")}) == 1
    multiple = _root(rendered["howto_ex2"]).find("fieldset")
    assert {i["type"] for i in multiple.find_all("input")} == {"checkbox"}


def test_options_are_shuffled_the_same_way_in_every_build(howto):
    ex = howto["howto_ex1"]
    order = [i["value"] for i in _root(render(ex)).find_all("input")]
    assert order == [i["value"] for i in _root(render(ex)).find_all("input")]
    assert sorted(order) == sorted(o.id for o in ex.options)
    assert order == [o.id for o in shuffled(ex.id, ex.options)]


def test_options_keep_their_order_when_shuffle_is_off(howto):
    from dataclasses import replace
    ex = replace(howto["howto_ex1"], shuffle=False)
    assert [i["value"] for i in _root(render(ex)).find_all("input")] == [o.id for o in ex.options]


def test_ordering_never_starts_in_the_right_order_and_has_move_buttons(howto):
    ex = howto["howto_ex5"]
    items = _root(render(ex)).select(".exercise-order > li")
    assert [li["data-item"] for li in items] != list(ex.answer)
    for li in items:
        buttons = li.find_all("button")
        assert [b["data-move"] for b in buttons] == ["up", "down"]
        assert all(b.get("type") == "button" and b["aria-label"].startswith("Move") for b in buttons)


def test_matching_categorisation_and_slots_use_labelled_selects(rendered, howto):
    # items to match and to sort are shuffled (their bank order may answer another exercise); slots keep theirs
    matching, sorting, slots = howto["howto_ex6"], howto["howto_ex7"], howto["howto_ex8"]
    for ex, parts in ((matching, [c.id for c in shuffled("howto_ex6/rows", matching.left)]),
                      (sorting, [c.id for c in shuffled("howto_ex7/rows", sorting.items)]),
                      (slots, list(slots.part_ids))):
        selects = _root(rendered[ex.id]).find_all("select")
        assert [s["data-part"] for s in selects] == parts
        assert all(s.find("option")["value"] == "" for s in selects)


def test_matching_choices_and_slot_options_are_shuffled_not_in_the_banks_order(howto):
    matching = howto["howto_ex6"]
    shown = [o["value"] for o in _root(render(matching)).find("select").find_all("option")][1:]
    assert shown == [c.id for c in shuffled(matching.id, matching.right)] != [c.id for c in matching.right]
    slots = howto["howto_ex8"]
    root = _root(render(slots))
    orders = [[o["value"] for o in root.find("select", attrs={"data-part": s.id}).find_all("option")][1:] for s in slots.slots]
    assert orders == [[o.id for o in shuffled(f"{slots.id}/{s.id}", s.options)] for s in slots.slots]
    assert orders != [[o.id for o in s.options] for s in slots.slots]


def test_relation_matrix_is_a_table_with_scoped_headers_and_a_select_per_asked_cell(rendered, howto):
    table = _root(rendered["howto_ex9"]).find("table")
    assert table.caption and table.find_all("th", scope="col") and table.find_all("th", scope="row")
    cells = {s["data-part"] for s in table.find_all("select")}
    assert cells == set(howto["howto_ex9"].answer)
    labels = [table.find("label", attrs={"for": s["id"]}).get_text() for s in table.find_all("select")]
    assert "Relationship between Pakistan and TTP" in labels


def test_numeric_input_shows_its_unit_and_takes_decimal_input(rendered):
    root = _root(rendered["howto_ex3"])
    field = root.find("input", class_="exercise-input")
    assert field["inputmode"] == "decimal" and field["type"] == "text"
    assert root.find(id=field["aria-describedby"]).get_text() == "years"


def test_code_task_shows_setup_and_starter_a_copy_button_a_run_note_and_no_solution(howto, rendered):
    ex, root = howto["howto_ex10"], _root(rendered["howto_ex10"])
    code = root.find("pre", class_="exercise-code").get_text()
    assert ex.starter.strip() in code and 'load("timeline")' in code
    assert root.find("button", class_="exercise-copy")
    assert "pip install" in root.find(class_="exercise-run-note").get_text()
    assert "n_events" in root.find("label", attrs={"for": "howto_ex10-value"}).get_text()
    assert ex.solution.strip() not in rendered["howto_ex10"] and "str.startswith(\"2025\")" not in rendered["howto_ex10"]


def test_hints_are_in_the_page_hidden_and_revealed_one_at_a_time_by_a_button(howto, rendered):
    root = _root(rendered["howto_ex2"])
    hints = root.select(".exercise-hints > li")
    assert [h.has_attr("hidden") for h in hints] == [True, True]
    assert hints[0].get_text() == to_text(howto["howto_ex2"].hints[0])
    assert root.find("button", class_="exercise-hint-button")["aria-controls"] == root.find(class_="exercise-hints")["id"]


def test_feedback_region_is_a_polite_live_status(exercises, rendered):
    for ex in exercises:
        region = _root(rendered[ex.id]).find(class_="exercise-feedback")
        assert region["role"] == "status" and region["aria-live"] == "polite"


def test_check_button_is_disabled_until_the_script_wires_it(rendered):
    button = _root(rendered["howto_ex1"]).find("button", class_="exercise-check")
    assert button["type"] == "submit" and button.has_attr("disabled")


def test_no_key_text_appears_in_the_html(exercises, rendered):
    for ex in exercises:
        text = rendered[ex.id]
        assert to_html(ex.explanation) not in text and ex.explanation.strip()[:60] not in text
        for o in getattr(ex, "options", ()):
            if o.feedback:
                assert o.feedback[:50] not in text


# --- the two builds ------------------------------------------------------------------------------

def test_course_mode_has_no_explanation_anywhere(exercises):
    for ex in exercises:
        html = render(ex, mode="course")
        root = _root(html)
        assert root["data-mode"] == "course"
        assert not root.find(class_="exercise-explanation") and not root.find(class_="exercise-explain-button")
        assert "explanation" not in json.loads(root.find("script", class_="exercise-spec").string)


def test_mode_comes_from_the_environment_when_not_given(howto, monkeypatch):
    monkeypatch.setenv("EXERCISES_BUILD", "course")
    assert _root(static.render(howto["howto_ex1"]))["data-mode"] == "course"
    monkeypatch.delenv("EXERCISES_BUILD")
    assert _root(static.render(howto["howto_ex1"]))["data-mode"] == "study"


def test_an_unknown_build_mode_is_a_clear_error(howto, monkeypatch):
    monkeypatch.setenv("EXERCISES_BUILD", "exam")
    with pytest.raises(settings.SettingsError, match=r"EXERCISES_BUILD='exam': the build mode must be one of study, course"):
        static.render(howto["howto_ex1"])


def test_the_view_bundle_carries_the_static_html(howto):
    from exercises.views.show import ExerciseView
    ex = howto["howto_ex3"]
    bundle = ExerciseView(ex)._repr_mimebundle_()
    assert bundle["text/html"] == static.render(ex)


def test_a_standalone_page_links_the_assets_and_holds_every_exercise(exercises):
    html = static.page(exercises[:3], mode="study", title="Preview", assets="static/")
    page = soup(html)
    assert page.find("link", rel="stylesheet")["href"] == "static/exercises.css"
    assert page.find("script", src="static/exercises.js").has_attr("defer")
    assert len(page.select("div.exercise")) == 3


def test_assets_are_small():
    # 30 000 until the written type's view (text area, word count, draft, what a submission opens,
    # own marking by rubric) added about 7.6 kB; every page of the book loads both files
    size = sum((static.assets_dir() / name).stat().st_size for name in ("exercises.js", "exercises.css"))
    assert size < 38_000, f"exercises.js + exercises.css are {size} bytes"


# --- goldens -----------------------------------------------------------------------------------

GOLDEN_CASES = [(f"howto_ex{n}", "study") for n in range(1, 11)] + [("howto_ex1", "course"), ("howto_ex10", "course")]


@pytest.mark.parametrize("ex_id, mode", GOLDEN_CASES, ids=[f"{i}-{m}" for i, m in GOLDEN_CASES])
def test_html_matches_golden(howto, ex_id, mode, update_goldens):
    """Regenerate after an intended change with ``pytest --update-goldens`` and review the diff."""
    html = render(howto[ex_id], mode)
    path = GOLDENS / f"{ex_id}.{mode}.html"
    if update_goldens:
        GOLDENS.mkdir(exist_ok=True)
        path.write_text(html, "utf-8")
    assert path.exists(), f"missing golden {path.name}: run pytest --update-goldens"
    assert html == path.read_text("utf-8"), f"{path.name} differs; if intended, run pytest --update-goldens"


def test_goldens_have_no_stale_files():
    expected = {f"{i}.{m}.html" for i, m in GOLDEN_CASES}
    assert {p.name for p in GOLDENS.glob("*.html")} == expected


# --- written -------------------------------------------------------------------------------------

WRITTEN = Path(__file__).resolve().parent / "fixtures" / "written"


@pytest.fixture(scope="module")
def writ():
    from exercises import bank as bank_mod
    found, problems = bank_mod.validate(WRITTEN)
    assert not problems
    return found["writ_ex1"]


@pytest.mark.parametrize("mode", ["study", "course"])
def test_written_has_a_labelled_text_area_submit_and_a_radio_group_per_criterion(writ, mode):
    root = _root(render(writ, mode))
    area = root.find("textarea")
    assert root.find("label", attrs={"for": area["id"]}).get_text(strip=True) == "Your answer"
    assert set(area["aria-describedby"].split()) == {f"{writ.id}-words", f"{writ.id}-count"}
    assert "Write between 20 and 60 words." in root.find(id=f"{writ.id}-words").get_text()
    assert root.find(class_="exercise-check").get_text() == "Submit" and root.find(class_="exercise-attempts") is None
    assert root.find(class_="exercise-explain-button") is None
    section = root.find("section", class_="exercise-submitted")
    assert section.has_attr("hidden")
    for crit, fieldset in zip(writ.rubric, section.find_all("fieldset")):
        assert fieldset["data-criterion"] == crit.id and crit.title in fieldset.legend.get_text()
        radios = fieldset.find_all("input", type="radio")
        assert len({r["name"] for r in radios}) == 1 and [r["value"] for r in radios] == ["0", "1", "2"]
        labels = [root.find("label", attrs={"for": r["id"]}).get_text() for r in radios]
        assert labels == [f"{lv.label} ({lv.points:g} point{'' if lv.points == 1 else 's'})" for lv in crit.levels]
        assert all(root.find(id=r["aria-describedby"]).get_text() == "" for r in radios)  # descriptors come on submission
    note = "The model answer comes with your instructor's feedback."
    assert (note in section.get_text()) == (mode == "course")
    assert (len(section.select("[data-opened]")) == 2) == (mode == "study")


@pytest.mark.parametrize("mode", ["study", "course"])
def test_written_html_holds_no_model_answer_notes_or_descriptor(writ, mode):
    html = render(writ, mode)
    text = " ".join(soup(html).get_text(" ").split())
    secrets = [to_text(writ.model_answer), to_text(writ.explanation)] + [to_text(lv.descriptor) for c in writ.rubric for lv in c.levels]
    for secret in (" ".join(s.split()) for s in secrets):
        for piece in [secret] + [s for s in secret.split(". ") if len(s) > 12]:
            assert piece not in html and piece not in text, piece
    spec = json.loads(_root(html).find("script", class_="exercise-spec").string)
    assert spec == json.loads(json.dumps(seal(writ, mode=mode)))
