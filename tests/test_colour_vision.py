"""Colours that carry meaning stay apart for the common colour-vision deficiencies.

Each colour is passed through the simulation matrices of Machado, Oliveira and
Fernandes (2009, "A physiologically-based model for simulation of color vision
deficiency", severity 1.0: full protanopia, deuteranopia, tritanopia) in linear
RGB, and pairs are compared in CIELAB (CIE76 distance).  About 2.3 is the
smallest difference one notices side by side; marks on a chart need far more.
"""

from __future__ import annotations

import itertools

import numpy as np
import plotly.colors
import pytest

from kamwidgets import classify
from kamwidgets.charts import SEGMENT_COLOURS, stability_chart
from kamwidgets.charts._common import SEGMENT_SYMBOLS
from kamwidgets.model import stability

VISION = {
    "usual": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _rgb(colour: str) -> np.ndarray:
    if colour.startswith("#"):
        return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.array(plotly.colors.unlabel_rgb(colour)) / 255


def seen(colour: str, vision: str) -> np.ndarray:
    """CIELAB of ``colour`` as a person with ``vision`` sees it."""
    c = _rgb(colour)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    t = _XYZ @ np.clip(VISION[vision] @ linear, 0, 1) / _WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest_pair(colours, vision: str) -> float:
    return min(float(np.linalg.norm(seen(a, vision) - seen(b, vision))) for a, b in itertools.combinations(colours, 2))


def test_the_simulation_sees_what_is_known():
    # red and green, the classic confusion, fall together without L or M cones and stay apart for the rest
    usual = closest_pair(["#d62728", "#2ca02c"], "usual")
    assert usual > 60
    assert closest_pair(["#d62728", "#2ca02c"], "deuteranopia") < usual / 4
    assert closest_pair(["#d62728", "#2ca02c"], "protanopia") < usual / 2
    assert closest_pair(["#d62728", "#2ca02c"], "tritanopia") > usual / 2


@pytest.mark.parametrize("vision", VISION)
def test_the_four_bucket_colours_stay_apart(vision):
    assert closest_pair(SEGMENT_COLOURS, vision) >= 12
    assert len(set(SEGMENT_SYMBOLS)) == len(SEGMENT_COLOURS)  # and each bucket has its own shape besides


@pytest.mark.parametrize("vision", VISION)
def test_fragile_and_firm_accounts_are_told_apart(small, vision):
    classified = classify(small, {"revenue": 1}, {"share": 1})
    fig = stability_chart(stability(classified, draws=20, seed=1))
    scale = (
        plotly.colors.get_colorscale(fig.data[0].marker.colorscale)
        if isinstance(fig.data[0].marker.colorscale, str)
        else [list(step) for step in fig.data[0].marker.colorscale]
    )
    ends = [scale[0][1], scale[len(scale) // 2][1], scale[-1][1]]  # fragile, between, firm
    assert closest_pair(ends, vision) >= 20
