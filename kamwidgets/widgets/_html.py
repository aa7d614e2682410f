"""HTML the widgets write: user text escaped, tables with headers in words.

Everything a user typed or loaded that reaches HTML goes through :func:`escape` or :func:`html_table`.
"""

from __future__ import annotations

import html

import pandas as pd

from .. import palette
from ..model.display import flag_text, header

__all__ = ["WARNING_STYLE", "bar_style", "escape", "html_table"]


def _cell(text: str, kind: str) -> str:
    """A cell as pandas' ``to_html(escape=True)`` writes it: tabs and line ends shown as ``\\t``, ``\\n``,
    ``\\r``; ``&``, ``<`` and ``>`` escaped; stripped; two spaces kept as non-breaking ones."""
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    text = html.escape(text, quote=False).strip().replace("  ", "&nbsp;&nbsp;")
    return f"      <{kind}>{text}</{kind}>"


def _text_table(frame: pd.DataFrame) -> str | None:
    """The table pandas' ``to_html`` writes for a frame of text alone (a :func:`~kamwidgets.readable` table),
    written directly (a tenth of the time: a slider move redraws one); None for any other frame."""
    if not all(isinstance(c, str) for c in frame.columns):
        return None
    columns = [frame.iloc[:, j].tolist() for j in range(frame.shape[1])]
    for values in columns:
        for i, v in enumerate(values):
            if not isinstance(v, str):
                if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                    values[i] = ""
                else:
                    return None
    rows = ["    <tr>\n" + "\n".join(_cell(v, "td") for v in row) + "\n    </tr>" for row in zip(*columns)]
    head = "\n".join(_cell(c, "th") for c in frame.columns)
    return (
        f'<table class="dataframe kam-table">\n  <thead>\n    <tr>\n{head}\n    </tr>\n  </thead>\n'
        f"  <tbody>\n" + "\n".join(rows) + "\n  </tbody>\n</table>"
    )


def escape(text: object) -> str:
    """User text made safe to put inside HTML."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    return html.escape(str(text), quote=True)


def bar_style(colour: str) -> str:
    """A message beside a coloured bar, in the theme's own text colour (readable in a light or a dark theme):
    the words say what is right or wrong, the colour only draws the eye."""
    return f"border-left:3px solid {colour};padding:2px 8px;margin:2px 0"


#: How a warning or an error looks.
WARNING_STYLE = bar_style(palette.RED)


_TWO_DECIMALS = "{:,.2f}"


def _whole(values: pd.Series) -> bool:
    """Whether every value given is a whole number (at least one given)."""
    given = values.dropna().to_numpy(dtype=float)
    return given.size > 0 and bool((given == given.round()).all())


def html_table(
    frame: pd.DataFrame,
    *,
    max_rows: int = 100,
    float_format: str = _TWO_DECIMALS,
    empty: str = "Nothing here.",
    headers_as_typed: bool = False,
    total: int | None = None,
) -> str:
    """A frame as an HTML table with every cell and header escaped, headers in words, flags as yes or blank.

    ``total`` says the frame is the first rows of one that long (``and N more`` counts from it), so that a
    caller can format only the rows shown.

    ``headers_as_typed`` keeps the headers exactly as they are (a preview of the user's own file, whose
    column names the user then picks from a list).  The table's styles (``js/tables.css``) come with the page
    helper every tool has, and with every chart.
    """
    if frame.empty:
        return f"<p><i>{escape(empty)}</i></p>"
    shown = frame.head(max_rows)
    flags = [c for c in shown.columns if pd.api.types.is_bool_dtype(shown[c].dtype)]
    if flags:
        shown = shown.assign(**{str(c): flag_text(shown[c]) for c in flags})
    if not headers_as_typed:
        shown = shown.rename(columns=header)
    table = _text_table(shown)
    if table is None:
        ints = {
            c: "{:,}".format
            for c in shown.columns
            if pd.api.types.is_integer_dtype(shown[c].dtype) and not pd.api.types.is_bool_dtype(shown[c].dtype)
        }
        # with the default format, a float column of whole numbers only (hours 9.0, counts read as floats)
        # reads as whole numbers; a format the caller chose (shares as %) is kept for every value
        whole = {
            c: "{:,.0f}".format
            for c in shown.columns
            if float_format == _TWO_DECIMALS and pd.api.types.is_float_dtype(shown[c].dtype) and _whole(shown[c])
        }
        table = shown.to_html(
            escape=True,
            index=False,
            border=0,
            classes="kam-table",
            na_rep="",
            formatters={**ints, **whole},
            float_format=lambda v: float_format.format(v),
        )
        table = table.replace(' style="text-align: right;"', "")  # headers line up with their columns
    more = (len(frame) if total is None else total) - len(shown)
    note = f"<p><i>and {more:,} more</i></p>" if more > 0 else ""
    return f'<div class="kam-scroll" tabindex="0" style="max-height:360px;overflow:auto">{table}</div>{note}'
