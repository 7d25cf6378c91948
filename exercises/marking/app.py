"""The marking app: a small local web app for marking written answers against their rubrics.

``python -m exercises mark ASSIGNMENT --db gradebook.sqlite`` serves it with waitress on
127.0.0.1 only, behind a random token in the URL it prints (the token then lives in a strict,
HTTP-only cookie). It shows one response at a time, anonymised unless ``names`` is set, in
question order (every answer to question 1, then 2...) or student order. A level is a click or a
number key; every mark is saved at once through ``store.save`` (which refuses a mark somebody
else saved in between, so two markers never overwrite each other silently). Round 2 is blind
second marking of a moderation sample; ``/disagreements`` lists where the rounds differ.

Student text is escaped by Jinja's autoescaping and shown as text, never as HTML.
"""
from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, abort, jsonify, redirect, render_template, request, url_for

from ..grading.assignment import Assignment
from ..grading.gradebook import Gradebook
from ..markdown import to_html, to_inline_html
from . import store as S

ORDERS = ("question", "student")
COOKIE = "exercises_mark"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "marking"


@dataclass
class Settings:
    assignment: Assignment
    db: Path
    marker: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    names: bool = False  # show student ids instead of pseudonyms
    round: int = 1
    sample: float | None = None  # round 2: the fraction of responses to second-mark
    seed: str = ""


def create_app(settings: Settings) -> Flask:
    if settings.round not in S.ROUNDS:
        raise S.MarkError(f"no marking round {settings.round!r} (1: first marking, 2: second marking)")
    if not S.written_items(settings.assignment):
        raise S.MarkError(f"{settings.assignment.name} has no written exercise to mark")
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=str(TEMPLATES / "assets"))
    app.config.update(MARKING=settings, MAX_CONTENT_LENGTH=64 * 1024)
    local = threading.local()
    a = settings.assignment

    def gradebook() -> Gradebook:
        gb = getattr(local, "gb", None)
        if gb is None:
            gb = local.gb = Gradebook(settings.db)
        return gb

    def ordered(order: str) -> list[S.Response]:
        """The responses to mark, in ``order``. Kept per thread until the gradebook gains an outcome
        (grading only ever adds rows; marks do not change what awaits marking)."""
        gb = gradebook()
        state = (gb.db.execute("SELECT MAX(id) FROM outcomes").fetchone()[0], order)
        cached = getattr(local, "ordered", None)
        if cached is not None and cached[0] == state:
            return cached[1]
        rs = (S.moderation_sample(gb, a, fraction=settings.sample or 0.1, seed=settings.seed)
              if settings.round == 2 else S.responses(gb, a))
        number = {ex_id: i for i, ex_id in enumerate(S.written_items(a))}
        who = (lambda r: r.student.lower()) if settings.names else (lambda r: r.anon)
        if order == "student":
            rs = sorted(rs, key=lambda r: (who(r), number[r.exercise]))
        else:
            rs = sorted(rs, key=lambda r: (number[r.exercise], who(r)))
        local.ordered = (state, rs)
        return rs

    def label(r: S.Response) -> str:
        return r.student if settings.names else r.anon

    def find(rs: list[S.Response], handle: str, exercise: str) -> S.Response:
        for r in rs:
            if r.exercise == exercise and label(r) == handle:
                return r
        raise S.MarkError(f"no response {handle!r} to {exercise} awaits marking in {a.name}")

    @app.context_processor
    def context():
        return {"a": a, "settings": settings}

    @app.before_request
    def require_token():
        given = request.args.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), settings.token.encode()):
            abort(403, "this marking session needs the link with its token, as printed by "
                       "`python -m exercises mark`")

    @app.after_request
    def headers(resp):
        resp.headers["Content-Security-Policy"] = ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                                   "connect-src 'self'; img-src 'self'; form-action 'self'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["Cache-Control"] = "no-store"
        if hmac.compare_digest(request.args.get("token", "").encode(), settings.token.encode()):
            resp.set_cookie(COOKIE, settings.token, httponly=True, samesite="Strict")
        return resp

    @app.errorhandler(403)
    def forbidden(err):
        return render_template("error.html", title="Token needed", message=err.description), 403

    @app.errorhandler(404)
    def missing(err):
        return render_template("error.html", title="Not found", message=err.description), 404

    @app.get("/")
    def index():
        order = request.args.get("order", "question")
        rs = ordered(order if order in ORDERS else "question")
        marks = S.current(gradebook(), a, round=settings.round)
        for i, r in enumerate(rs):
            if S.item_mark(a, r.exercise, marks.get(r.key, {}), r.sha).status != S.MARKED:
                return redirect(url_for("response", order=order, index=i + 1))
        return redirect(url_for("response", order=order, index=len(rs))) if rs else render_template(
            "error.html", title="Nothing to mark", message=f"no written answer of {a.name} awaits marking")

    @app.get("/<order>/<int:index>")
    def response(order: str, index: int):
        if order not in ORDERS:
            abort(404, f"no order {order!r}: use {' or '.join(ORDERS)}")
        gb = gradebook()
        rs = ordered(order)
        if not 1 <= index <= len(rs):
            abort(404, f"there are {len(rs)} responses to mark; no number {index}")
        r = rs[index - 1]
        marks = S.current(gb, a, round=settings.round)
        mine = marks.get(r.key, {})
        im = S.item_mark(a, r.exercise, mine, r.sha)
        ex = a.exercises[r.exercise]
        criteria, per_point = [], S.scale(a, r.exercise)
        for c, row in zip(S.rubric(a, r.exercise), im.criteria):
            mk = mine.get(c.id)
            criteria.append({
                "id": c.id, "title": c.title, "level": row["level"], "comment": row["comment"],
                "marker": row["marker"], "marked": row["marked"], "expect": mk.id if mk else 0,
                "stale": bool(mk and mk.response != r.sha),
                "levels": [{"label": lv.label, "points": lv.points * per_point,
                            "descriptor": to_inline_html(lv.descriptor)} for lv in c.levels],
                "reusable": reusable(gb, r.exercise, c.id)})
        return render_template(
            "response.html", a=a, r=r, who=label(r), ex=ex, prompt=to_html(ex.prompt), criteria=criteria,
            item=im, index=index, total=len(rs), order=order, orders=ORDERS, settings=settings,
            counts=S.counts(gb, a, rs, round=settings.round, marks=marks), words=getattr(ex, "words", None))

    def reusable(gb: Gradebook, exercise: str, criterion: str) -> list[str]:
        """Distinct comments markers have written for this criterion in this round (so second marking
        stays blind), most used first."""
        rows = gb.db.execute(
            "SELECT comment, COUNT(*) AS n FROM marks WHERE assignment = ? AND exercise = ? AND criterion = ?"
            " AND round = ? AND comment != '' AND id IN (SELECT MAX(id) FROM marks WHERE assignment = ?"
            " AND exercise = ? GROUP BY student COLLATE NOCASE, criterion, round)"
            " GROUP BY comment ORDER BY n DESC, comment LIMIT 12",
            (a.name, exercise, criterion, settings.round, a.name, exercise)).fetchall()
        return [row["comment"] for row in rows]

    @app.post("/mark")
    def mark():
        body: Any = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify(error="a mark is a JSON object with response, exercise, criterion and level"), 400
        try:
            gb = gradebook()
            rs = ordered("question")
            r = find(rs, str(body.get("response", "")), str(body.get("exercise", "")))
            expect = body.get("expect")
            saved = S.save(gb, a, student=r.student, exercise=r.exercise, criterion=str(body.get("criterion", "")),
                           level=body.get("level"), marker=settings.marker, comment=str(body.get("comment") or ""),
                           round=settings.round, expect=expect if isinstance(expect, int) else None)
        except S.MarkConflict as err:
            c = err.current
            return jsonify(error=str(err), current={"id": c.id, "level": c.level, "comment": c.comment,
                                                    "marker": c.marker, "marked": c.marked}), 409
        except S.MarkError as err:
            return jsonify(error=str(err)), 400
        except S.GradebookError as err:
            return jsonify(error=f"the gradebook could not save this mark: {err}"), 503
        marks = S.current(gb, a, round=settings.round)
        im = S.item_mark(a, r.exercise, marks.get(r.key, {}), r.sha)
        return jsonify(id=saved.id, level=saved.level, marker=saved.marker, marked=saved.marked,
                       status=im.status, score=im.score, reason=im.reason,
                       counts=S.counts(gb, a, rs, round=settings.round, marks=marks))

    @app.get("/disagreements")
    def disagreements():
        rows = S.disagreements(gradebook(), a)
        for row in rows:
            row["who"] = row["student"] if settings.names else S.pseudonym(a.name, row["student"])
        return render_template("disagreements.html", a=a, rows=rows, settings=settings)

    return app


def serve(settings: Settings, *, port: int = 0, announce=print) -> None:
    """Serve the app on 127.0.0.1 until interrupted; ``announce`` gets the URL with the token."""
    from waitress import create_server
    server = create_server(create_app(settings), host="127.0.0.1", port=port, threads=4)
    announce(f"http://127.0.0.1:{server.effective_port}/?token={settings.token}")
    try:
        server.run()
    finally:
        server.close()
