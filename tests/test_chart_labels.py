"""Names on the charts never overlap, and an empty chart says what to add.

The label boxes are estimated here on their own terms, as a reader would
measure them: a name is about 0.6 font sizes wide per character and one
font size high, set beside its point the way plotly sets it (a marker's
radius / 0.8 + 1 pixels from the point's centre), in the pixels of the plot
area at plotly's default figure width (700 px) and at the narrowest the
page draws the chart.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.charts import portfolio_matrix, stability_chart

from .conftest import load_sample, matrix_traces

FONT = 10


def _box(x: float, y: float, text: str, place: str, radius: float) -> tuple[float, float, float, float]:
    w, h = 0.6 * FONT * len(text), FONT
    r = radius / 0.8 + 1
    vertical, _, horizontal = place.partition(" ")
    left = {"left": x - r - w, "right": x + r}.get(horizontal, x - w / 2)
    bottom = {"top": y + r, "bottom": y - r - h}.get(vertical, y - h / 2)
    return (left, bottom, left + w, bottom + h)


def _overlap(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def _label_boxes(fig, traces: list, width: float, colour_bar: float = 0.0):
    """Each named point's label box and every point's marker box (of ``traces``, one after another), in the
    plot's pixels at ``width``."""
    layout = fig.layout
    plot_w = width - layout.margin.l - layout.margin.r - colour_bar
    plot_h = layout.height - layout.margin.t - layout.margin.b
    (x0, x1), (y0, y1) = layout.xaxis.range, layout.yaxis.range
    labels, markers = [], []
    for points in traces:
        px = (np.asarray(points.x, dtype=float) - x0) * plot_w / (x1 - x0)
        py = (np.asarray(points.y, dtype=float) - y0) * plot_h / (y1 - y0)
        radii = np.broadcast_to(np.asarray(points.marker.size, dtype=float) / 2, px.shape)
        texts = list(points.text or [""] * len(px))
        places = points.textposition
        places = [places] * len(px) if isinstance(places, str) or places is None else list(places)
        labels += [(t, _box(a, b, t, p, r)) for a, b, r, t, p in zip(px, py, radii, texts, places) if t]
        markers += [(a - r, b - r, a + r, b + r) for a, b, r in zip(px, py, radii)]
    return labels, markers, (plot_w, plot_h)


def _assert_apart(labels, markers, size):
    for (ta, a), (tb, b) in itertools.combinations(labels, 2):
        assert not _overlap(a, b), f"{ta!r} and {tb!r} overlap"
    for text, box in labels:
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= size[0] and box[3] <= size[1], f"{text!r} is cut off"


def _portfolio(n: int, seed: int) -> pd.DataFrame:
    """A made-up portfolio of ``n`` accounts in the sample's shape, crowded around the middle like real ones."""
    rng = np.random.default_rng(seed)
    names = [
        f"{a}{b} {c}"
        for a, b, c in zip(
            rng.choice(["Hal", "Zen", "Jun", "Bra", "Kel", "Ist"], n),
            rng.choice(["flow", "chem", "via", "stone", "works", "line"], n),
            rng.choice(["SpA", "Oy", "S.A.", "AG", "Ltd", "GmbH"], n),
        )
    ]
    return pd.DataFrame(
        {
            "account": [f"{name} {i}" for i, name in enumerate(names)],
            "account_manager": rng.choice(["Maria Santos", "Tiago Rocha"], n),
            "revenue": np.round(rng.lognormal(11.5, 0.9, n), -2),
            "growth_potential": rng.normal(0.08, 0.05, n),
            "margin_pct": rng.uniform(0.1, 0.4, n),
            "strategic_fit": rng.integers(1, 11, n),
            "share_of_wallet": rng.uniform(0.05, 0.9, n),
            "relationship": rng.integers(3, 10, n),
            "product_fit": rng.integers(3, 10, n),
            "price_competitiveness": rng.integers(3, 10, n),
        }
    )


def _classified(portfolio: pd.DataFrame) -> pd.DataFrame:
    return kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)


SAMPLE = load_sample()
#: The sample, and made-up files: every name written (15), the biggest of 40, none of 300 (all on hover).
PORTFOLIOS = {"sample": SAMPLE} | {
    f"{n} accounts, seed {seed}": _portfolio(n, seed) for n in (15, 40, 300) for seed in (1, 2)
}


@pytest.mark.parametrize("width", [480, 700, 1000])  # the narrowest the page draws, plotly's default, a wide page
@pytest.mark.parametrize("name", list(PORTFOLIOS))
def test_the_matrix_names_never_overlap(name, width):
    portfolio = PORTFOLIOS[name]
    fig = portfolio_matrix(_classified(portfolio), size="revenue")
    labels, markers, size = _label_boxes(fig, matrix_traces(fig), width)  # every bucket's accounts
    _assert_apart(labels, markers, size)
    # nor does a name cover another account's bubble, but one of the five biggest accounts' names with no
    # other place left
    biggest = set(portfolio.nlargest(5, "revenue")["account"])
    texts = [text for t in matrix_traces(fig) for text in (t.text or [""] * len(t.x))]  # as the markers
    for text, box in labels:
        mine = texts.index(text)
        covered = [i for i, marker in enumerate(markers) if i != mine and _overlap(box, marker)]
        assert not covered or text in biggest, f"{text!r} covers another account's bubble"


def test_the_sample_matrix_names_its_biggest_accounts_and_leaves_the_crowd_to_the_hover():
    fig = portfolio_matrix(_classified(SAMPLE), size="revenue")
    named = {text for t in matrix_traces(fig) for text in t.text if text}
    assert {"Halflow SpA", "Istmar S.A.", "Braflow AG", "Junvia AB", "Kelline AG"} <= named
    assert len(named) <= 12  # the twelve biggest at most
    # the crowd around Halflow's bubble: one name in three is written there, the others are on hover
    assert len(named & {"Zenchem Oy", "Junvia S.A.", "Halflow SpA"}) < 3
    hover = [h for t in matrix_traces(fig) for h in t.hovertext]
    assert len(hover) == len(SAMPLE) and all(hover)  # every account is named on hover


@pytest.mark.parametrize("width", [600, 700, 1000])
@pytest.mark.parametrize("name", ["sample", "40 accounts, seed 1", "300 accounts, seed 1", "300 accounts, seed 2"])
def test_the_fragile_accounts_names_never_overlap(name, width):
    result = kw.model.stability(PORTFOLIOS[name], kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    fig = stability_chart(result)
    labels, markers, size = _label_boxes(fig, [fig.data[0]], width, colour_bar=100)
    _assert_apart(labels, markers, size)
    if result["fragile"].sum() <= 60:  # up to 60 fragile accounts are named, where there is room
        assert labels
    assert {t for t, _ in labels} <= set(result.loc[result["fragile"], "account"])


# ------------------------------------------------------------------ empty charts say what to add
def _empty_note(widget) -> str:
    notes = [a.text for a in widget.figure.figure.layout.annotations if a.name == "empty"]
    return notes[0] if notes else ""


EMPTY = {
    "buyers": (lambda: kw.BuyerChart(), "No buyers yet: add a row above"),
    "decision unit": (lambda: kw.DecisionUnit(), "No people yet: add a row above"),
    "stakeholders": (lambda: kw.StakeholderMap(), "No people yet: add a row above"),
    "contacts": (lambda: kw.ContactMatrix(their=["Quality"]), "No contacts yet: add a row above"),
    "swot": (lambda: kw.SwotGrid(), "No strategies yet: add a row above"),
    "spectrum": (lambda: kw.SpectrumWidget(contacts=kw.ContactMatrix()), "No contacts yet: add a row"),
}
FILLED = {
    "buyers": lambda: kw.BuyerChart(kw.sample_path("account_buyers")),
    "decision unit": lambda: kw.DecisionUnit(kw.sample_path("account_dmu")),
    "stakeholders": lambda: kw.StakeholderMap(kw.sample_path("account_stakeholders")),
    "contacts": lambda: kw.ContactMatrix(kw.sample_path("account_contacts")),
    "swot": lambda: kw.SwotGrid(
        strategies=[
            {"kind": "offensive", "strategy": "Offer", "owner": "Maria", "start": "2026-01-01", "end": "2026-03-01"}
        ]
    ),
    "spectrum": lambda: kw.SpectrumWidget(contacts=kw.ContactMatrix(kw.sample_path("account_contacts"))),
}


@pytest.mark.parametrize("chart", list(EMPTY))
def test_an_empty_chart_says_what_to_add(chart):
    make, words = EMPTY[chart]
    widget = make()
    assert not widget.error
    assert _empty_note(widget).startswith(words)
    assert _empty_note(FILLED[chart]()) == ""  # once there is something to draw, the note goes
