"""The workbook's colours, in one place: every chart, widget and export takes its colours from here.

Plain strings, with nothing to import, so the model, the charts, the widgets
and the exports can all use them.  The front end's files (``widgets/*.js``)
cannot import Python: they write their few colours themselves, and
``tests/test_palette.py`` checks that each is one of these.  No other module
of the package writes a colour code (the same test).

The hues that carry meaning come from ColorBrewer's diverging schemes and
stay apart for the common kinds of colour blindness
(``tests/test_colour_vision.py``); a mark never rests on colour alone (the
buckets have their own shapes, the lights and answers their words).

Examples
--------
>>> from kamwidgets import palette
>>> palette.SEGMENT_COLOURS[0] == palette.GREEN == palette.LIGHTS["green"]
True
"""

from __future__ import annotations

__all__ = [
    "translucent",
    "GREEN",
    "AMBER",
    "BLUE",
    "GREY",
    "RED",
    "SEGMENT_COLOURS",
    "NOT_PLACED",
    "LIGHTS",
    "NO_LIGHT",
    "SWOT_COLOURS",
    "STRATEGY_COLOURS",
    "BUYER_COLOURS",
    "STANCE_COLOURS",
    "ROLE_COLOURS",
    "SIDE_COLOURS",
    "EFFORT_COLOURS",
    "CONTACT_SCALE",
    "INK",
    "REPORT_INK",
    "OUTLINE",
    "SPLIT_LINE",
    "NOTE_INK",
    "MUTED",
    "REACH_MARKER",
    "TABLE_RULE",
    "TABLE_HEAD",
    "REPORT_RULE",
    "REPORT_HEAD",
    "PAPER",
    "BORDER",
    "BUTTON_BORDER",
    "NOTICE",
    "NOTICE_BORDER",
]

# -- the five hues that carry meaning ---------------------------------------------------------------
GREEN = "#1b7837"  # key accounts, green lights, right answers, strengths, supporters
AMBER = "#e08214"  # development accounts, amber lights, threats, the customer's side
BLUE = "#2166ac"  # maintenance accounts, opportunities, our side
GREY = "#8c8c8c"  # opportunistic accounts, gatekeepers
RED = "#b2182b"  # warnings, red lights, wrong answers, weaknesses, opponents, limits

#: One colour per bucket, in the order of ``kamwidgets.SEGMENTS`` (key,
#: development, maintenance, opportunistic).
SEGMENT_COLOURS: tuple[str, ...] = (GREEN, AMBER, BLUE, GREY)
#: Accounts in no bucket: new ones, gone ones (the annual review).
NOT_PLACED = "#bdbdbd"

#: A plan's or a check's traffic light, by its status.
LIGHTS: dict[str, str] = {"red": RED, "amber": AMBER, "green": GREEN}
#: A status that is none of the lights.
NO_LIGHT = "#999"
#: The four quadrants of a SWOT.
SWOT_COLOURS: dict[str, str] = {"strength": GREEN, "weakness": RED, "opportunity": BLUE, "threat": AMBER}
#: The SWOT's strategies, by kind.
STRATEGY_COLOURS: dict[str, str] = {"offensive": GREEN, "protective": RED}
#: The buyer chart's quadrants (``kamwidgets.model.buyers.QUADRANTS``).
BUYER_COLOURS: dict[str, str] = {"strategic": GREEN, "specifier": BLUE, "ratifier": AMBER, "gatekeeper": GREY}
#: Stances from supporter to opponent, in the order of ``kamwidgets.model.stakeholders.STANCES``.
STANCE_COLOURS: tuple[str, ...] = (GREEN, "#7fbc41", "#bababa", "#f1a340", RED)
#: The roles of a decision-making unit (``kamwidgets.model.dmu.ROLES``).
ROLE_COLOURS: dict[str, str] = {
    "initiator": "#8073ac",
    "user": "#b2abd2",
    "influencer": BLUE,
    "decider": RED,
    "approver": "#d6604d",
    "buyer": AMBER,
    "gatekeeper": GREY,
}
#: The two sides of the sales spectrum: our team and the customer's.
SIDE_COLOURS: dict[str, str] = {"ours": BLUE, "theirs": AMBER}
#: Where the time goes against where the value comes from (the effort chart).
EFFORT_COLOURS: dict[str, str] = {"hours": "#762a83", "value": "#5aae61"}
#: The contact matrix: no contact to the most contact.
CONTACT_SCALE: tuple[str, str] = ("#f7f7f7", BLUE)

# -- ink and lines -------------------------------------------------------------------------------------
#: Text where the theme gives none (the fallback of JupyterLab's ``--jp-ui-font-color1``).
INK = "#1f1f1f"
#: The text of an HTML report.
REPORT_INK = "#222"
#: Outlines of markers on a chart.
OUTLINE = "#333"
#: The dashed lines that split a chart into quadrants.
SPLIT_LINE = "#444"
#: Notes on a chart: the corners' names, what an empty chart is waiting for.
NOTE_INK = "#555"
#: Quieter text: a subtitle, a question not answered yet.
MUTED = "#666"
#: How well we reach a person (the decision-making unit's markers).
REACH_MARKER = "#111"
#: A table's lines and header in a widget (fallbacks of JupyterLab's theme colours).
TABLE_RULE = "#e5e5e5"
TABLE_HEAD = "#eee"
#: A table's lines and header in an HTML report.
REPORT_RULE = "#ddd"
REPORT_HEAD = "#f4f4f4"

# -- the front end's own (widgets/*.js writes these; tests/test_palette.py checks they are these) ---
PAPER = "#fff"
#: The lightest grey with 4.5:1 contrast on white: borders of controls and placeholders.
BORDER = "#767676"
BUTTON_BORDER = "#5c5c5c"
#: The lost-connection banner.
NOTICE = "#fff4ce"
NOTICE_BORDER = "#8a6d00"


def translucent(colour: str, alpha: float) -> str:
    """A palette colour (``#rrggbb``) seen through: ``rgba(r,g,b,alpha)``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
