"""What every chart shares: bucket colours and safe text."""

from __future__ import annotations

import html
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: One colour per bucket, in the order of ``kamwidgets.SEGMENTS`` (key,
#: development, maintenance, opportunistic); chosen to stay apart for the
#: common kinds of colour blindness.
SEGMENT_COLOURS: tuple[str, ...] = ("#1b7837", "#e08214", "#2166ac", "#8c8c8c")


def escape(text: object) -> str:
    """User text made safe for plotly's HTML-like labels (``<b>`` stays text)."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    # quotes stay as they are: plotly shows &quot; literally, and its labels are not attributes
    return html.escape(str(text), quote=False)


def escape_all(values: Iterable[object]) -> list[str]:
    return [escape(v) for v in values]
