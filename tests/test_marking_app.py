"""The marking app on a real graded class: token, anonymity, escaping, saving, conflicts, rounds;
then in Chromium against a real waitress server: keyboard marking and two markers at once."""
from __future__ import annotations

import re
import threading

import pytest
from markingkit import TEXTS, graded_class

from exercises.grading.gradebook import Gradebook
from exercises.marking import store as S
from exercises.marking.app import Settings, create_app

TOKEN = "test-token-123"


@pytest.fixture
def graded(tmp_path):
    return graded_class(tmp_path)


def _client(graded, **kw):
    a, db = graded
    app = create_app(Settings(assignment=a, db=db, marker=kw.pop("marker", "Ann"), token=TOKEN, **kw))
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}").status_code == 302  # sets the session cookie
    return client


def _pages(client, order="question"):
    """{handle: html} of every response page, following the numbering."""
    out, i = {}, 1
    while True:
        r = client.get(f"/{order}/{i}")
        if r.status_code == 404:
            return out
        html = r.get_data(as_text=True)
        out[re.search(r'data-response="([^"]+)"', html).group(1)] = html
        i += 1


def _handle(graded, student):
    return S.pseudonym(graded[0].name, student)


def test_every_request_needs_the_token(graded):
    a, db = graded
    client = create_app(Settings(assignment=a, db=db, marker="Ann", token=TOKEN)).test_client()
    for url in ("/", "/question/1", "/disagreements", "/assets/mark.js", "/?token=wrong"):
        r = client.get(url)
        assert r.status_code == 403 and "token" in r.get_data(as_text=True)
    assert client.post("/mark", json={}).status_code == 403
    assert client.get(f"/question/1?token={TOKEN}").status_code == 200
    assert client.get("/question/1").status_code == 200  # the cookie carries it from then on


def test_responses_are_anonymous_unless_names_are_asked_for(graded):
    pages = _pages(_client(graded))
    assert set(pages) == {_handle(graded, s) for s in TEXTS}
    for html in pages.values():
        assert not re.search(r"s00[123]", html)
    named = _pages(_client(graded, names=True))
    assert set(named) == set(TEXTS)


def test_student_text_is_escaped_never_markup(graded):
    html = _pages(_client(graded))[_handle(graded, "s002")]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold" not in html and html.count("<script") == 1  # only the app's own script
    r = _client(graded).get("/question/1")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_level_buttons_hold_only_phrasing_content(graded):
    """A rubric level is a <button>; its descriptor is rendered inline, since a <p> inside a button is
    invalid HTML that browsers and screen readers handle unevenly."""
    html = next(iter(_pages(_client(graded)).values()))
    buttons = re.findall(r"<button[^>]*>(.*?)</button>", html, flags=re.S)
    assert buttons and any('class="descriptor"' in b for b in buttons)
    for b in buttons:
        assert not re.search(r"<(p|div|ul|ol|h\d|table)\b", b), b


def test_a_mark_is_saved_at_once_and_the_item_completes(graded):
    a, db = graded
    client = _client(graded)
    h = _handle(graded, "s001")
    r = client.post("/mark", json={"response": h, "exercise": "tall_ex3", "criterion": "position", "level": 2,
                                   "comment": "A clear position.", "expect": 0})
    assert r.status_code == 200 and r.get_json()["reason"] == "1 of 2 criteria marked"
    r = client.post("/mark", json={"response": h, "exercise": "tall_ex3", "criterion": "evidence", "level": 1,
                                   "expect": 0})
    body = r.get_json()
    assert body["status"] == S.MARKED and body["score"] == 4 and body["counts"]["marked"] == 1
    with Gradebook(db) as gb:
        marks = S.current(gb, a)[("s001", "tall_ex3")]
    assert {c: (m.level, m.marker, m.comment) for c, m in marks.items()} == {
        "position": (2, "Ann", "A clear position."), "evidence": (1, "Ann", "")}
    # the page shows it, and the comment is offered again for the next response
    pages = _pages(client)
    assert 'aria-pressed="true"' in pages[h] and "last saved by Ann" in pages[h]
    assert '<button type="button" class="reuse">A clear position.</button>' in pages[_handle(graded, "s002")]


@pytest.mark.parametrize("body, message", [
    ({"criterion": "position", "level": 9}, "no level 9 (levels 0-2: Missing, Developing, Secure)"),
    ({"criterion": "style", "level": 1}, "has no criterion 'style'"),
    ({"criterion": "position", "level": "2"}, "no level '2'"),
    ({"response": "Response 000000", "criterion": "position", "level": 1}, "no response 'Response 000000'"),
])
def test_a_bad_mark_is_refused_with_what_was_wrong(graded, body, message):
    client = _client(graded)
    full = {"response": _handle(graded, "s001"), "exercise": "tall_ex3", "expect": 0, **body}
    r = client.post("/mark", json=full)
    assert r.status_code == 400 and message in r.get_json()["error"]
    assert client.post("/mark", data="not json", content_type="text/plain").status_code == 400


def test_a_mark_saved_by_another_marker_in_between_is_not_overwritten(graded):
    a, db = graded
    ann, bob = _client(graded, marker="Ann"), _client(graded, marker="Bob")
    h = _handle(graded, "s001")
    mark = {"response": h, "exercise": "tall_ex3", "criterion": "position", "expect": 0}
    assert ann.post("/mark", json={**mark, "level": 2}).status_code == 200
    r = bob.post("/mark", json={**mark, "level": 0})  # Bob opened the page before Ann saved
    assert r.status_code == 409
    assert "Ann marked position" in r.get_json()["error"] and r.get_json()["current"]["level"] == 2
    with Gradebook(db) as gb:
        assert S.current(gb, a)[("s001", "tall_ex3")]["position"].level == 2
    # Bob, now looking at Ann's mark, may replace it deliberately
    assert bob.post("/mark", json={**mark, "level": 0, "expect": r.get_json()["current"]["id"]}).status_code == 200


def test_second_marking_is_blind_and_disagreements_are_listed(graded):
    first, second = _client(graded, marker="Ann"), _client(graded, marker="Cy", round=2, sample=1.0)
    h = _handle(graded, "s001")
    mark = {"response": h, "exercise": "tall_ex3", "criterion": "position", "expect": 0}
    first.post("/mark", json={**mark, "level": 2, "comment": "ANN-ONLY"})
    page = _pages(second)[h]
    assert "ANN-ONLY" not in page and "last saved by Ann" not in page and "round 2" in page
    assert second.post("/mark", json={**mark, "level": 1}).status_code == 200
    listing = second.get("/disagreements").get_data(as_text=True)
    assert h in listing and "level 2 (Ann)" in listing and "level 1 (Cy)" in listing and "s001" not in listing


def test_the_orders_number_responses_by_question_or_by_student(graded):
    client = _client(graded, names=True)
    assert list(_pages(client, "question")) == ["s001", "s002", "s003"]
    assert client.get("/nowhere/1").status_code == 404
    assert client.get("/question/99").status_code == 404


# --- in Chromium, against a real waitress server ------------------------------------------------------------------

@pytest.fixture
def serve():
    """serve(settings) -> base URL of a waitress server on 127.0.0.1 (closed after the test)."""
    from waitress import create_server
    servers = []

    def start(settings):
        server = create_server(create_app(settings), host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.effective_port}"

    yield start
    for s in servers:
        s.close()


def test_keyboard_only_marking_in_the_browser(graded, serve, page):
    a, db = graded
    base = serve(Settings(assignment=a, db=db, marker="Ann", token=TOKEN))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/?token={TOKEN}")
    for n in range(3):  # every response: two levels by number key, then on to the next
        page.wait_for_selector("#response[data-ready='1']")
        page.keyboard.press("3")
        page.wait_for_selector("#response[data-saved='1']")
        page.keyboard.press("c")
        page.keyboard.type("Dated evidence would help.")
        page.keyboard.press("Escape")  # no level yet: the comment waits for it
        assert "saved with the level you pick" in page.locator("#status").inner_text()
        page.keyboard.press("2")
        page.wait_for_selector("#response[data-saved='2']")
        assert page.locator("#status").inner_text() == "marked by Ann"
        if n < 2:
            page.keyboard.press("n")
            page.wait_for_url(f"**/question/{n + 2}")
    assert page.locator("[data-count='marked']").inner_text() == "3"
    assert not dialogs  # the <script> in a response never ran
    with Gradebook(db) as gb:
        marks = S.current(gb, a)
        assert S.counts(gb, a)["marked"] == 3
    for sid in TEXTS:
        got = marks[(sid, "tall_ex3")]
        assert (got["position"].level, got["evidence"].level) == (2, 1)
        assert got["evidence"].comment == "Dated evidence would help."


def test_escaped_text_shows_as_text_in_the_browser(graded, serve, page):
    a, db = graded
    base = serve(Settings(assignment=a, db=db, marker="Ann", token=TOKEN, names=True))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/question/2?token={TOKEN}")
    page.wait_for_selector("#response[data-ready='1']")
    assert "<script>alert('x')</script> <b>bold</b>" in page.locator("#text").inner_text()
    assert page.locator("#text b").count() == 0 and page.locator("#text script").count() == 0 and not dialogs


def test_two_markers_in_two_browsers_see_the_conflict(graded, serve, browser):
    a, db = graded
    ann = serve(Settings(assignment=a, db=db, marker="Ann", token=TOKEN))
    bob = serve(Settings(assignment=a, db=db, marker="Bob", token=TOKEN))
    pa, pb = browser.new_context().new_page(), browser.new_context().new_page()
    for p, base in ((pa, ann), (pb, bob)):
        p.goto(f"{base}/question/1?token={TOKEN}")
        p.wait_for_selector("#response[data-ready='1']")
    pa.keyboard.press("3")
    pa.wait_for_selector("#response[data-saved='1']")
    pb.keyboard.press("1")
    error = pb.locator("#error")
    error.wait_for(state="visible")
    assert "Ann marked" in error.inner_text() and "was not saved" in error.inner_text()
    handle = pb.locator("#response").get_attribute("data-response")
    key = next((sid, "tall_ex3") for sid in TEXTS if _handle(graded, sid) == handle)
    first = pb.locator("fieldset.criterion").first
    assert first.locator("button.level[aria-pressed='true']").inner_text().split()[1] == "Secure"
    with Gradebook(db) as gb:
        assert S.current(gb, a)[key]["position"].marker == "Ann"
    # the refused save did not move on: the first criterion is still highlighted
    pb.keyboard.press("1")  # now deliberately replacing Ann's mark
    pb.wait_for_selector("#response[data-saved='1']")
    with Gradebook(db) as gb:
        assert S.current(gb, a)[key]["position"].marker == "Bob"
    for p in (pa, pb):
        p.context.close()


def test_a_new_submission_graded_while_the_app_runs_is_what_it_shows(graded, tmp_path):
    """The app keeps the list of responses between requests, until grading adds an outcome."""
    import gradingkit as K

    from exercises.grading import batch as G
    a, db = graded
    client = _client(graded, names=True)
    assert "the border closed in 2025" in _pages(client)["s001"]
    answers = K.all_right(a, "s001")
    answers["tall_ex3"] = {"text": "A second thought: Afghanistan is an insulator, as the 2025 ceasefire shows."}
    K.save(K.answer_notebook(K.released(a, "s001"), answers, time="2026-10-12T10:00:00Z"), tmp_path / "late" / "s001-2.ipynb")
    G.grade(assignment=a, submissions=tmp_path / "late", db=db, roster=K.roster(), secret=K.SECRET)
    page = _pages(client)["s001"]
    assert "A second thought" in page and "the border closed in 2025" not in page
