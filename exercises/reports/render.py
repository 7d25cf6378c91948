"""The HTML report: one self-contained page (CSS and SVG inline, no script, no CDN)."""
from __future__ import annotations

from importlib import resources

from .. import wording
from ..jinja import environment
from . import stats as st
from .flags import LOW_DISCRIMINATION, VERY_EASY, VERY_HARD

KIND_LABELS = {"awaiting_marking": "awaiting marking", "key_rejected": "key rejected by strong students", "negative_discrimination": "negative discrimination",
               "low_discrimination": "low discrimination", "distractor_upper": "distractor attracts strong students",
               "never_picked": "option never picked", "very_easy": "very easy", "very_hard": "very hard",
               "variant_harder": "variants differ"}
TYPE_LABELS = {"single_choice": "single choice", "multiple_select": "multiple select", "numeric": "numeric",
               "short_text": "short text", "ordering": "ordering", "matching": "matching",
               "categorisation": "categorisation", "slot_coding": "slot coding", "relation_matrix": "relation matrix",
               "code": "code", "written": "written"}


def pct(x) -> str:
    return f"{100 * float(x):.0f} %" if st.is_number(x) else str(x) if x is not None else ""


def num(x) -> str:
    return wording.number(x) if st.is_number(x) else "" if x is None else str(x)


def _environment():
    return environment("reports", {"pct": pct, "num": num})


def page(result: dict, figures: dict, files: dict, file_list: list[tuple[str, str]], made: str) -> str:
    css = (resources.files("exercises") / "templates" / "reports" / "report.css").read_text("utf-8")
    flagged = [it for it in result["items"] if it["flags"]]
    return _environment().get_template("report.html.j2").render(
        a=result["assignment"], test=result["test"], items=result["items"], flagged=flagged,
        objectives=result["objectives"], bloom=result["bloom"], written=result["written"],
        mastery_threshold=result["mastery_threshold"], figures=figures, files=files, file_list=file_list,
        kinds=KIND_LABELS, types=TYPE_LABELS, min_n=st.MIN_N, too_few=lambda n: str(st.TooFew(n)),
        thresholds={"easy": VERY_EASY, "hard": VERY_HARD, "low": LOW_DISCRIMINATION}, css=css, made=made)
