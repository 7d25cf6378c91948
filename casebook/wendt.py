"""Figure 2: a toy model of Wendt's argument that enemies, rivals and friends are made in interaction.

    from casebook import wendt_model, simulate, Params
    wendt_model()                                   # the figure: scenarios (static) / sliders (live)
    run = simulate(Params(start_a=0.6, start_b=0.6, noise=0.05, seed=3))
    run.culture                                     # "Kantian", "Lockean", "Hobbesian" or "none"

The model, in full (it illustrates an argument; it does not predict anything):

* Two actors, A and B. Each holds a *view* of the other on a scale from -1 (enemy) through 0
  (rival) to +1 (friend).
* Every round each actor sends one signal, cooperative or hostile: it acts towards the other as it
  sees the other. It cooperates with probability ``1 / (1 + exp(-4 * view))``: one in two at 0,
  about 88 in 100 at +0.5, 98 in 100 at +1 (and the mirror image below 0). With *self-restraint*
  ``r``, a hostile impulse is held back (and a cooperative signal sent) with probability ``r``.
* Each actor reads the other's signal, misreading it (cooperative taken for hostile, or the reverse)
  with probability ``noise``.
* Each actor then updates its view: ``view <- (1 - learning) * view + learning * (+1 or -1)``.
  A high learning rate means a short memory: the last signal counts for a lot.
* After the last round, each view is averaged over the final ten rounds and read as a role:
  below -1/3 enemy, above +1/3 friend, otherwise rival. If both actors assign the same role, that
  role's culture has emerged (enemy: Hobbesian, rival: Lockean, friend: Kantian); if not, no shared
  culture has formed.

Everything is drawn from ``random.Random(seed)`` in a fixed order, so a run is a pure function of
its parameters.
"""
from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from html import escape
from typing import Sequence

from .bundle import FigureView, Panel, switcher

ROLE_BANDS = (-1 / 3, 1 / 3)
ROLES = ("enemy", "rival", "friend")
CULTURE_OF_ROLE = {"enemy": "Hobbesian", "rival": "Lockean", "friend": "Kantian"}
WINDOW = 10
RESPONSIVENESS = 4.0   # how steeply the chance of cooperating rises with the view


@dataclass(frozen=True)
class Params:
    start_a: float = 0.0     # A's initial view of B, -1 (enemy) .. +1 (friend)
    start_b: float = 0.0     # B's initial view of A
    noise: float = 0.05      # probability that a signal is misread, 0 .. 0.5
    learning: float = 0.1    # weight of the newest signal, 0.01 .. 1 (memory = 1 - learning)
    restraint: float = 0.0   # probability that a hostile impulse is held back, 0 .. 1
    rounds: int = 60         # 1 .. 500
    seed: int = 1

    def __post_init__(self):
        for name, lo, hi in (("start_a", -1, 1), ("start_b", -1, 1), ("noise", 0, 0.5),
                             ("learning", 0.01, 1), ("restraint", 0, 1)):
            value = getattr(self, name)
            if not lo <= value <= hi:
                raise ValueError(f"{name} must be between {lo} and {hi}, not {value}")
        if not 1 <= self.rounds <= 500:
            raise ValueError(f"rounds must be between 1 and 500, not {self.rounds}")


@dataclass(frozen=True)
class Run:
    params: Params
    view_a: tuple[float, ...]      # A's view of B after each round; index 0 = the start
    view_b: tuple[float, ...]
    signals_a: tuple[int, ...]     # +1 cooperative, -1 hostile, one per round
    signals_b: tuple[int, ...]
    misread: int = 0               # how many signals were misread in all
    final_a: float = field(init=False)
    final_b: float = field(init=False)

    def __post_init__(self):
        k = min(WINDOW, len(self.view_a) - 1)
        object.__setattr__(self, "final_a", sum(self.view_a[-k:]) / k)
        object.__setattr__(self, "final_b", sum(self.view_b[-k:]) / k)

    @property
    def role_a(self) -> str:
        return role(self.final_a)

    @property
    def role_b(self) -> str:
        return role(self.final_b)

    @property
    def culture(self) -> str:
        return classify(self.final_a, self.final_b)

    def cooperation_share(self, who: str) -> float:
        signals = self.signals_a if who == "a" else self.signals_b
        return sum(1 for s in signals if s > 0) / len(signals)


def role(view: float) -> str:
    lo, hi = ROLE_BANDS
    return "enemy" if view < lo else "friend" if view > hi else "rival"


def classify(view_a: float, view_b: float) -> str:
    """The culture two views add up to: Hobbesian, Lockean, Kantian, or "none" if they disagree."""
    ra, rb = role(view_a), role(view_b)
    return CULTURE_OF_ROLE[ra] if ra == rb else "none"


def _clamp(x: float) -> float:
    return -1.0 if x < -1.0 else 1.0 if x > 1.0 else x


def simulate(params: Params) -> Run:
    """Run the model. Deterministic: the same parameters always give the same run."""
    rng = random.Random(params.seed)
    a, b = params.start_a, params.start_b
    va, vb, sa, sb = [a], [b], [], []
    misread = 0
    for _ in range(params.rounds):
        signal = []
        for view in (a, b):
            p_coop = 1 / (1 + math.exp(-RESPONSIVENESS * view))
            p_coop += params.restraint * (1 - p_coop)
            signal.append(1 if rng.random() < p_coop else -1)
        read = []
        for s in signal:             # read[0] = how B reads A's signal; read[1] = how A reads B's
            if rng.random() < params.noise:
                misread += 1
                read.append(-s)
            else:
                read.append(s)
        a = _clamp((1 - params.learning) * a + params.learning * read[1])
        b = _clamp((1 - params.learning) * b + params.learning * read[0])
        sa.append(signal[0])
        sb.append(signal[1])
        va.append(a)
        vb.append(b)
    return Run(params, tuple(va), tuple(vb), tuple(sa), tuple(sb), misread)


def outcome_shares(params: Params, seeds: int = 100) -> Counter:
    """How often each culture emerges with these settings over seeds 0 .. seeds-1."""
    return Counter(simulate(replace(params, seed=k)).culture for k in range(seeds))


# ---------------------------------------------------------------------------------------------
# the scenarios offered on the static page (every one is computed at build time, not stored)

@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    params: Params
    question: str     # what the scenario lets the reader see


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("friends", "Friendly start, clear signals",
             Params(start_a=0.7, start_b=0.7, noise=0.02, seed=7),
             "Two actors that expect friendship and read each other well."),
    Scenario("enemies", "Hostile start, clear signals",
             Params(start_a=-0.7, start_b=-0.7, noise=0.02, seed=7),
             "The same rules and the same chance draws, but each side starts by expecting an enemy."),
    Scenario("blank_3", "Neutral start, seed 3",
             Params(start_a=0.0, start_b=0.0, noise=0.02, seed=3),
             "No prior expectations at all. Compare with the next scenario: only the seed differs."),
    Scenario("blank_0", "Neutral start, seed 0",
             Params(start_a=0.0, start_b=0.0, noise=0.02, seed=0),
             "Exactly the settings of the previous scenario; only the sequence of chance draws differs."),
    Scenario("hope", "One side hopeful, the other wary",
             Params(start_a=0.8, start_b=-0.4, noise=0.1, seed=5),
             "A expects a friend; B expects something between a rival and an enemy. Whose expectation wins here, "
             "and how often does it win across many seeds?"),
    Scenario("noise", "Friendly start, frequent misreading",
             Params(start_a=0.7, start_b=0.7, noise=0.3, seed=7),
             "The friendly start of the first scenario, but three signals in ten are misread."),
    Scenario("restraint", "Hostile start, self-restraint",
             Params(start_a=-0.7, start_b=-0.7, noise=0.02, restraint=0.3, seed=7),
             "The hostile start of the second scenario, but each side holds back three in ten of its "
             "hostile impulses."),
)


# ---------------------------------------------------------------------------------------------
# drawing

W, H = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 118, 112, 40, 58
A_COLOUR, B_COLOUR = "#1f5aa6", "#b3261e"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _xy(run: Run, i: int, v: float) -> tuple[float, float]:
    n = max(1, run.params.rounds)
    x = LEFT + (W - LEFT - RIGHT) * i / n
    y = TOP + (H - TOP - BOTTOM) * (1 - (v + 1) / 2)
    return x, y


def svg(run: Run, *, title: str = "", standalone: bool = False) -> str:
    """A line chart of both views over the rounds, on the enemy / rival / friend bands."""
    p = run.params
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    heading = title or "Views over time"
    desc = summary_text(run)
    out = [f'<svg{ns} class="ttpfig-svg" viewBox="0 0 {W} {H}" role="img" font-family="{FONT}">',
           f'<title>{escape(heading)}</title><desc>{escape(desc)}</desc>',
           f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>']
    # role bands, each labelled in words (shading is only a secondary cue)
    bands = [(1, 1 / 3, "friend", "Kantian", "#eef3fb"), (1 / 3, -1 / 3, "rival", "Lockean", "#ffffff"),
             (-1 / 3, -1, "enemy", "Hobbesian", "#fbeeee")]
    x0, x1 = LEFT, W - RIGHT
    for hi, lo, name, culture, fill in bands:
        _, y_hi = _xy(run, 0, hi)
        _, y_lo = _xy(run, 0, lo)
        out.append(f'<rect x="{x0}" y="{_f(y_hi)}" width="{x1 - x0}" height="{_f(y_lo - y_hi)}" fill="{fill}"/>')
        out.append(f'<text x="{x0 - 10}" y="{_f((y_hi + y_lo) / 2 - 2)}" text-anchor="end" font-size="14"'
                   f' font-weight="700" fill="#1a1a1a">{name}</text>'
                   f'<text x="{x0 - 10}" y="{_f((y_hi + y_lo) / 2 + 15)}" text-anchor="end" font-size="12"'
                   f' fill="#3d3d3d">({culture})</text>')
    for v in (-1 / 3, 1 / 3):
        _, y = _xy(run, 0, v)
        out.append(f'<line x1="{x0}" y1="{_f(y)}" x2="{x1}" y2="{_f(y)}" stroke="#6b6b6b" stroke-width="1"'
                   f' stroke-dasharray="4 4"/>')
    # axes
    _, y_top = _xy(run, 0, 1)
    _, y_bot = _xy(run, 0, -1)
    out.append(f'<line x1="{x0}" y1="{_f(y_top)}" x2="{x0}" y2="{_f(y_bot)}" stroke="#1a1a1a" stroke-width="1.5"/>'
               f'<line x1="{x0}" y1="{_f(y_bot)}" x2="{x1}" y2="{_f(y_bot)}" stroke="#1a1a1a" stroke-width="1.5"/>')
    for v, lab in ((1, "+1"), (0, "0"), (-1, "−1")):
        _, y = _xy(run, 0, v)
        out.append(f'<text x="{x1 + 6}" y="{_f(y + 4)}" font-size="11" fill="#3d3d3d">{lab}</text>')
    step = _tick_step(p.rounds)
    for i in range(0, p.rounds + 1, step):
        x, _ = _xy(run, i, -1)
        out.append(f'<line x1="{_f(x)}" y1="{_f(y_bot)}" x2="{_f(x)}" y2="{_f(y_bot + 5)}" stroke="#1a1a1a"/>'
                   f'<text x="{_f(x)}" y="{_f(y_bot + 19)}" text-anchor="middle" font-size="12" fill="#1a1a1a">{i}</text>')
    out.append(f'<text x="{_f((x0 + x1) / 2)}" y="{H - 10}" text-anchor="middle" font-size="13" fill="#1a1a1a">'
               f'round</text>')
    # the two lines: A solid, B dashed, each labelled at its end (colour is a secondary cue)
    for views, colour, dash, _label in ((run.view_a, A_COLOUR, "", "A's view of B"),
                                      (run.view_b, B_COLOUR, ' stroke-dasharray="8 5"', "B's view of A")):
        pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in (_xy(run, i, v) for i, v in enumerate(views)))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}'
                   f' stroke-linejoin="round"/>')
    ya = _xy(run, p.rounds, run.view_a[-1])[1]
    yb = _xy(run, p.rounds, run.view_b[-1])[1]
    if abs(ya - yb) < 16:  # keep the two end labels apart
        mid = (ya + yb) / 2
        ya, yb = (mid - 8, mid + 8) if run.view_a[-1] >= run.view_b[-1] else (mid + 8, mid - 8)
    for y, colour, name in ((ya, A_COLOUR, "A sees B"), (yb, B_COLOUR, "B sees A")):
        out.append(f'<text x="{x1 + 26}" y="{_f(y + 4)}" font-size="13" font-weight="700" fill="{colour}">{name}</text>')
    # legend
    out.append(f'<line x1="{x0}" y1="18" x2="{x0 + 34}" y2="18" stroke="{A_COLOUR}" stroke-width="2.5"/>'
               f'<text x="{x0 + 40}" y="22" font-size="13" fill="#1a1a1a">A\'s view of B (solid)</text>'
               f'<line x1="{x0 + 220}" y1="18" x2="{x0 + 254}" y2="18" stroke="{B_COLOUR}" stroke-width="2.5"'
               f' stroke-dasharray="8 5"/>'
               f'<text x="{x0 + 260}" y="22" font-size="13" fill="#1a1a1a">B\'s view of A (dashed)</text>')
    out.append("</svg>")
    return "".join(out)


def _tick_step(rounds: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if rounds / step <= 8:
            return step
    return 100


CULTURE_TEXT = {
    "Kantian": "a Kantian culture, in which each treats the other as a friend",
    "Lockean": "a Lockean culture, in which each treats the other as a rival",
    "Hobbesian": "a Hobbesian culture, in which each treats the other as an enemy",
    "none": "no shared culture, since the two assign each other different roles",
}
CULTURE_SHORT = {"Kantian": "Kantian", "Lockean": "Lockean", "Hobbesian": "Hobbesian",
                 "none": "no shared culture"}


def _signed(x: float, digits: int = 2) -> str:
    """+0.85 / −0.70 with a real minus sign."""
    return f"{x:+.{digits}f}".replace("-", "\u2212")


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def summary_text(run: Run) -> str:
    p = run.params
    k = min(WINDOW, p.rounds)
    return (f"After {p.rounds} rounds A sees B as {_article(run.role_a)} (average view over the last "
            f"{k} rounds {_signed(run.final_a)}) and B sees A as {_article(run.role_b)} ({_signed(run.final_b)}): "
            f"{CULTURE_TEXT[run.culture]}. A sent cooperative signals in {_pct(run.cooperation_share('a'))}"
            f" of rounds, B in {_pct(run.cooperation_share('b'))}; {run.misread} of "
            f"{2 * p.rounds} signals were misread.")


def shares_text(params: Params, seeds: int = 100) -> str:
    shares = outcome_shares(params, seeds)
    order = ("Kantian", "Lockean", "Hobbesian", "none")
    parts = [f"{shares[c]} {CULTURE_SHORT[c]}" for c in order if shares[c]]
    return (f"With these settings but seeds 0 to {seeds - 1} instead of one seed, the {seeds} runs end: "
            + ", ".join(parts) + ".")


def _article(role_name: str) -> str:
    return ("an " if role_name[0] in "aeiou" else "a ") + role_name


def settings_text(p: Params) -> str:
    return (f"A's initial view of B {_signed(p.start_a, 1)}; B's initial view of A {_signed(p.start_b, 1)}; "
            f"misreading {_pct(p.noise)}; learning rate {p.learning:.2f}; self-restraint "
            f"{_pct(p.restraint)}; {p.rounds} rounds; seed {p.seed}.")


def _table(run: Run) -> str:
    step = _tick_step(run.params.rounds)
    idx = sorted(set(range(0, run.params.rounds + 1, step)) | {run.params.rounds})
    rows = "".join(f"<tr><th scope=\"row\">{i}</th><td>{_signed(run.view_a[i])} ({role(run.view_a[i])})</td>"
                   f"<td>{_signed(run.view_b[i])} ({role(run.view_b[i])})</td></tr>" for i in idx)
    return (f'<details class="ttpfig-alt"><summary>The two views as a table</summary>'
            f'<div class="ttpfig-table-wrap"><table class="ttpfig-table"><caption>Views after selected rounds'
            f' (−1 enemy, 0 rival, +1 friend)</caption><thead><tr><th scope="col">Round</th>'
            f'<th scope="col">A\'s view of B</th><th scope="col">B\'s view of A</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div></details>')


def panel_html(run: Run, question: str = "") -> str:
    q = f'<p class="ttpfig-question">{escape(question)}</p>' if question else ""
    return (f'{q}<p class="ttpfig-settings"><strong>Settings:</strong> {escape(settings_text(run.params))}</p>'
            f'<div class="ttpfig-drawing" role="region" tabindex="0" aria-label="The drawing (scrolls sideways on a narrow screen)">{svg(run)}</div>'
            f'<p class="ttpfig-summary"><strong>Outcome:</strong> {escape(summary_text(run))}</p>'
            f'<p class="ttpfig-summary"><strong>Over many seeds:</strong> {escape(shares_text(run.params))}</p>'
            f'{_table(run)}')


CAPTION = ("A toy model, not a forecast: two abstract actors, A and B, not Pakistan and the Taliban. "
           "It shows how roles can be produced and reproduced by interaction; it cannot tell what any "
           "real government will do.")


def html(scenarios: Sequence[Scenario] = SCENARIOS) -> str:
    panels = [Panel(s.key, s.label, f"Scenario: {s.label}", panel_html(simulate(s.params), s.question))
              for s in scenarios]
    return switcher("wendt", "Choose a scenario", panels, caption=escape(CAPTION))


def _widget(scenarios: Sequence[Scenario] = SCENARIOS):
    import ipywidgets as w

    first = scenarios[0].params
    style = {"description_width": "13em"}
    layout = w.Layout(width="34em")
    preset = w.Dropdown(options=[(s.label, s.key) for s in scenarios], value=scenarios[0].key,
                        description="Start from scenario", style=style, layout=layout)
    sliders = {
        "start_a": w.FloatSlider(value=first.start_a, min=-1, max=1, step=0.1,
                                 description="A's initial view of B", style=style, layout=layout),
        "start_b": w.FloatSlider(value=first.start_b, min=-1, max=1, step=0.1,
                                 description="B's initial view of A", style=style, layout=layout),
        "noise": w.FloatSlider(value=first.noise, min=0, max=0.5, step=0.01,
                               description="Misreading rate", style=style, layout=layout),
        "learning": w.FloatSlider(value=first.learning, min=0.05, max=1, step=0.05,
                                  description="Learning rate", style=style, layout=layout),
        "restraint": w.FloatSlider(value=first.restraint, min=0, max=1, step=0.05,
                                   description="Self-restraint", style=style, layout=layout),
        "rounds": w.IntSlider(value=first.rounds, min=10, max=200, step=10,
                              description="Rounds", style=style, layout=layout),
        "seed": w.BoundedIntText(value=first.seed, min=0, max=10**6, description="Seed (chance)",
                                 style=style, layout=w.Layout(width="22em")),
    }
    view = w.HTML(value=panel_html(simulate(first), scenarios[0].question))
    busy = {"preset": False}

    def redraw(_change=None):
        if busy["preset"]:
            return
        try:
            params = Params(**{k: s.value for k, s in sliders.items()})
        except ValueError as err:  # out-of-range typed value
            view.value = f"<p>{escape(str(err))}</p>"
            return
        view.value = panel_html(simulate(params))

    def load(change):
        chosen = next(s for s in scenarios if s.key == change["new"])
        busy["preset"] = True
        try:
            for k, s in sliders.items():
                s.value = getattr(chosen.params, k)
        finally:
            busy["preset"] = False
        view.value = panel_html(simulate(chosen.params), chosen.question)

    preset.observe(load, names="value")
    for s in sliders.values():
        s.observe(redraw, names="value")
    return w.VBox([preset, *sliders.values(), view,
                   w.HTML(value=f'<p class="ttpfig-caption">{escape(CAPTION)}</p>')])


def wendt_model(scenarios: Sequence[Scenario] = SCENARIOS) -> FigureView:
    """Figure 2: precomputed scenarios on the static page, sliders in a live kernel."""
    return FigureView(html=lambda: html(scenarios), widget=lambda: _widget(scenarios),
                      text="A toy model of Wendt's cultures of anarchy: " +
                           "; ".join(s.label for s in scenarios))

