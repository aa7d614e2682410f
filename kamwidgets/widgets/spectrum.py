"""The spectrum widget: which relationship level to aim for, and the team picture today."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd

from ..charts.spectrum import team_network
from ..model.contacts import check_contacts
from ..model.display import header
from ..model.spectrum import LEVEL_INFO, recommend_level, spectrum_table, team_shape
from ._base import WARNING_STYLE, Chart, KamWidget, escape, html_table
from ._traits import Score, Text

__all__ = ["SpectrumWidget"]


class SpectrumWidget(KamWidget):
    """Our intent and the customer's give the level to aim for; the contacts show where we are.

    Parameters
    ----------
    our_intent, customer_intent:
        0-10 each.
    contacts:
        The contact matrix (a :class:`ContactMatrix` widget, followed as it
        changes, or a long-form frame or file).
    seller, buyer:
        How the salesperson and the purchaser are written in the matrix.

    Attributes
    ----------
    value : DataFrame
        Two rows, ``recommended`` and ``today``: ``number`` (1-4), ``label``,
        ``why``, ``warning``, and ``the next level adds``.
    controls : dict
        ``our_intent``, ``customer_intent`` (sliders), ``seller``, ``buyer``.
    our_intent, customer_intent, seller, buyer : traits
        The inputs, each linked to the control of the same name.
    """

    kind = "spectrum"
    inputs = ("our_intent", "customer_intent", "seller", "buyer")

    our_intent = Score(5.0, what=header("our_intent"), help="our strategic intent, 0-10")
    customer_intent = Score(5.0, what=header("customer_intent"), help="the customer's strategic intent, 0-10")
    seller = Text("Sales", help="how our salesperson is written in the contact matrix")
    buyer = Text("Purchasing", help="how their purchaser is written in the contact matrix")

    def __init__(
        self,
        our_intent: float = 5,
        customer_intent: float = 5,
        *,
        contacts: Any = None,
        seller: str = "Sales",
        buyer: str = "Purchasing",
    ) -> None:
        super().__init__()
        self.our_intent, self.customer_intent, self.seller, self.buyer = our_intent, customer_intent, seller, buyer
        self._contacts = contacts
        if isinstance(contacts, KamWidget):
            contacts.observe(lambda _: self._changed(), names="value")
        slider = dict(
            min=0,
            max=10,
            step=0.5,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=W.Layout(width="360px"),
        )
        self.controls["our_intent"] = W.FloatSlider(description="Our strategic intent", **slider)
        self.controls["customer_intent"] = W.FloatSlider(description="The customer's strategic intent", **slider)
        self.controls["seller"] = W.Text(
            description="Our seller is", continuous_update=False, style={"description_width": "initial"}
        )
        self.controls["buyer"] = W.Text(
            description="Their buyer is", continuous_update=False, style={"description_width": "initial"}
        )
        for name in self.inputs:
            self._bind(name, name)
        self.summary = W.HTML()
        self.figure = Chart()
        levels = W.Accordion(children=[W.HTML(html_table(spectrum_table(), max_rows=10))])
        levels.set_title(0, "The four levels")
        levels.selected_index = None
        self.children = (
            self.controls["our_intent"],
            self.controls["customer_intent"],
            W.HBox([self.controls["seller"], self.controls["buyer"]]),
            self.message,
            self.summary,
            self.figure,
            levels,
        )
        self._start()

    def _contact_frame(self) -> pd.DataFrame | None:
        c = self._contacts
        c = c.value if isinstance(c, KamWidget) else c
        return None if c is None else check_contacts(c)

    def recompute(self) -> None:
        with self.reporting():
            aim = recommend_level(self.our_intent, self.customer_intent)
            contacts = self._contact_frame()
            rows = [dict(aim, position="recommended")]
            if contacts is not None:
                now = team_shape(contacts, seller=self.seller, buyer=self.buyer)
                rows.append(dict(now, position="today", warning=""))
            frame = pd.DataFrame(rows).set_index("position")
            # no contact yet (an empty matrix) has no level, so nothing to add to it
            frame["the next level adds"] = [LEVEL_INFO[k]["next"] if isinstance(k, str) else "" for k in frame["key"]]
            self.clear_error()
            self.value = frame[["number", "label", "why", "warning", "the next level adds"]]
            self._render(contacts)

    def _render(self, contacts: pd.DataFrame | None) -> None:
        v = self.value
        text = (
            f"<p><b>Aim for level {int(v.loc['recommended', 'number'])}: {escape(v.loc['recommended', 'label'])}.</b> "
            f"{escape(v.loc['recommended', 'why'])}</p>"
        )
        if v.loc["recommended", "warning"]:
            text += f'<p style="{WARNING_STYLE}">{escape(v.loc["recommended", "warning"])}</p>'
        if "today" in v.index:
            gap = int(v.loc["recommended", "number"]) - int(v.loc["today", "number"])
            text += (
                f"<p>Today: level {int(v.loc['today', 'number'])}, {escape(v.loc['today', 'label'])}. "
                f"{escape(v.loc['today', 'why'])}</p>"
            )
            if gap > 0:
                step = v.loc["today", "the next level adds"] or "a first regular contact with their buyer."
                text += f"<p>Next step: {escape(step)}</p>"
            elif gap < 0:
                text += "<p>The team is already built beyond what the two intentions support: is it paying off?</p>"
        self.summary.value = text
        if contacts is not None:
            self.figure.show(team_network, contacts)

    @property
    def settings(self) -> dict:
        return {k: getattr(self, k) for k in self.inputs}

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            for k in self.inputs:
                setattr(self, k, settings[k])
