"""Account plans and marketing plans: text per section, pre-filled where the workbook knows, with traffic lights."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..errors import KamDataError
from ..model import checks
from ..model.plans import (
    ACCOUNT_SECTIONS,
    MARKETING_SECTIONS,
    PRODUCT_FIELDS,
    check_products,
    plan_frame,
    prefill_account_plan,
)
from ._base import Input, KamWidget, escape
from ._form import TableTool

__all__ = ["AccountPlan", "MarketingPlan"]

_LIGHT = {"red": "#b2182b", "amber": "#e08214", "green": "#1b7837"}


def _lights(frame: pd.DataFrame) -> str:
    dots = "".join(
        f'<span title="{escape(t)}: {escape(s)}" style="display:inline-block;margin:2px 8px 2px 0">'
        f'<span style="display:inline-block;width:.8em;height:.8em;border-radius:50%;background:{_LIGHT[s]}"></span> '
        f"{escape(t)}</span>"
        for t, s in zip(frame["title"], frame["status"])
    )
    share = (frame["status"] == "green").mean() if len(frame) else 0
    return f"<p><b>{share:.0%} of the sections are written</b></p><div>{dots}</div>"


class _Sections(KamWidget):
    """Text boxes per section and the traffic lights; shared by both plans."""

    sections: tuple = ()
    texts = Input(help="{section key: text}, one per section")

    @traitlets.default("texts")
    def _empty_texts(self) -> dict:
        return {key: "" for key, *_ in self.sections}

    @traitlets.validate("texts")
    def _valid_texts(self, proposal: Any) -> dict[str, str]:
        value = proposal["value"]
        if not isinstance(value, dict):
            raise KamDataError(f"texts must be a dict {{section: text}}, not {value!r}")
        keys = [key for key, *_ in self.sections]
        unknown = sorted(map(str, set(value) - set(keys)))
        if unknown:
            raise KamDataError(f"{unknown[0]!r} is not a section of this plan", fix=f"Use {', '.join(keys)}.")
        current = self.texts
        return {k: checks.text(value.get(k, current.get(k, "")), f"the text of {k!r}") for k in keys}

    def _build_sections(self, texts: dict[str, str]) -> W.Widget:
        self.lights = W.HTML()
        self.texts = texts
        boxes = []
        for key, title, part, prompt in self.sections:
            area = W.Textarea(
                placeholder=prompt,
                continuous_update=False,
                layout=W.Layout(width="95%", height="80px"),
            )
            self.controls[key] = area
            self._bind("texts", key, key)
            boxes.append(W.VBox([W.HTML(f"<b>{escape(title)}</b> <i>{escape(prompt)}</i>"), area]))
            boxes[-1]._kam_part = part
        self._boxes = boxes
        return W.VBox(boxes)


class AccountPlan(_Sections):
    """The account plan: the short one-page version, or the extended one.

    Parameters
    ----------
    account:
        The account's name.
    classified, buyers, stakeholders, swot:
        What the workbook knows (a classify() result, BuyerChart / StakeholderMap
        / SwotGrid widgets or their frames); used to pre-fill the sections.
    extended:
        Show the extended plan (customer analysis, value proposition, targets,
        risks, timeline) as well as the short one.
    min_words:
        Words of your own a section needs to turn green.

    Attributes
    ----------
    value : DataFrame
        One row per section shown: ``section``, ``title``, ``part``,
        ``text``, ``words`` (of your own) and ``status`` (red, amber, green).
    controls : dict
        One text box per section key (``position``, ``direction``,
        ``benefit``, ``how_when``, ``resources``, ``purchasing``, ...), and
        ``extended`` (a checkbox).
    """

    kind = "account_plan"
    sections = ACCOUNT_SECTIONS
    inputs = ("texts", "extended")

    extended = Input(False, help="show the extended plan as well as the short one")

    @traitlets.validate("extended")
    def _valid_extended(self, proposal: Any) -> bool:
        value = proposal["value"]
        if not isinstance(value, bool):
            raise KamDataError(f"extended must be True or False, not {value!r}")
        return value

    def __init__(
        self,
        account: str,
        *,
        classified: pd.DataFrame | None = None,
        buyers: Any = None,
        stakeholders: Any = None,
        swot: Any = None,
        extended: bool = False,
        min_words: int = 15,
        texts: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.account = account
        self.min_words = min_words
        frames = [w.value if isinstance(w, KamWidget) else w for w in (buyers, stakeholders, swot)]
        with self.reporting():
            self.prefilled = prefill_account_plan(
                account, classified=classified, buyers=frames[0], stakeholders=frames[1], swot=frames[2]
            )
        if not hasattr(self, "prefilled"):
            self.prefilled = {}
        self._swot = swot
        self.extended = extended
        self.controls["extended"] = W.Checkbox(description="Extended plan")
        self._bind("extended", "extended")
        body = self._build_sections(dict(self.prefilled, **(texts or {})))
        self.children = (
            W.HTML(f"<h3>Account plan: {escape(account)}</h3>"),
            self.controls["extended"],
            self.lights,
            self.message,
            body,
        )
        self._start()

    def recompute(self) -> None:
        extended = self.extended
        for box in self._boxes:
            box.layout.display = None if extended or box._kam_part == "short" else "none"
        with self.reporting():
            self.value = plan_frame(self.texts, prefilled=self.prefilled, extended=extended, min_words=self.min_words)
            self.clear_error()
            self.lights.value = _lights(self.value)

    @property
    def settings(self) -> dict:
        return {
            "account": self.account,
            "extended": self.extended,
            "texts": dict(self.texts),
            "prefilled": self.prefilled,
        }

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.prefilled = dict(settings["prefilled"])
            self.extended = settings["extended"]
            self.texts = settings["texts"]
            self._pending = True

    def report(self):
        """The plan (and its SWOT, when one was given) as a report for HTML or Markdown."""
        from ..export import account_plan_report

        swot = self._swot
        items = swot.value if isinstance(swot, KamWidget) else swot
        strategies = getattr(swot, "strategies", None)
        return account_plan_report(self.account, self.value, swot_items=items, strategies=strategies)


class MarketingPlan(TableTool, _Sections):
    """A marketing (sales) plan for a region and a year, with one analysis row per product.

    Attributes
    ----------
    value : DataFrame
        The sections with their status (like :class:`AccountPlan`).
    products : DataFrame
        The product analysis: ``product``, ``market_share`` (%),
        ``competition``, ``growth_opportunities``, ``challenges``,
        ``conclusions``.
    controls : dict
        ``region``, ``year``, a text box per section (``landscape``,
        ``vision``, ``plan``, ``conclusion``), and the product table
        (``product<i>.<column>``, ``productadd``, ``productremove<i>``).
    """

    kind = "marketing_plan"
    sections = MARKETING_SECTIONS
    fields = PRODUCT_FIELDS
    inputs = ("region", "year", "texts")

    region = Input("", help="the region the plan is for")
    year = Input(2026, help="the year the plan is for (1990-2100)")

    @traitlets.validate("region")
    def _valid_region(self, proposal: Any) -> str:
        return checks.text(proposal["value"], "region")

    @traitlets.validate("year")
    def _valid_year(self, proposal: Any) -> int:
        year = checks.whole_number(proposal["value"], "year", low=1990)
        if year > 2100:
            raise KamDataError(f"the year {year} is too far ahead", fix="Use a year from 1990 to 2100.")
        return year

    def __init__(
        self,
        region: str = "",
        year: int = 2026,
        *,
        products: Any = None,
        texts: dict[str, str] | None = None,
        min_words: int = 15,
    ) -> None:
        super().__init__()
        self.min_words = min_words
        self.products = check_products(None)
        self.region, self.year = region, year
        self.controls["region"] = W.Text(description="Region", continuous_update=False)
        self.controls["year"] = W.BoundedIntText(min=1990, max=2100, description="Year")
        for name in ("region", "year"):
            self._bind(name, name)
        body = self._build_sections(texts or {})
        self._build_editor(products, prefix="product")
        self.children = (
            W.HBox([self.controls["region"], self.controls["year"]]),
            self.lights,
            self.message,
            body,
            W.HTML("<b>Analysis per product</b>"),
            self.editor,
        )
        self._start()

    def _check(self, rows: Any) -> Any:
        self.products = check_products(rows)
        return plan_frame(self.texts, sections=MARKETING_SECTIONS, extended=True, min_words=self.min_words)

    def _show(self, value: Any) -> None:
        self.lights.value = _lights(value)

    def _table_rows(self, rows: Any) -> Any:
        return check_products(rows)  # the table is the product analysis; the sections keep their text

    @property
    def settings(self) -> dict:
        return {
            "region": self.region,
            "year": self.year,
            "texts": dict(self.texts),
            "products": self.products[[f.name for f in PRODUCT_FIELDS]].to_dict("records"),
        }

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.region, self.year, self.texts = settings["region"], settings["year"], settings["texts"]
            self._pending = False  # set_rows recomputes
        self.set_rows(settings["products"])

    def report(self):
        from ..export import Report

        title = f"Marketing plan: {self.region or 'region'} {self.year}"
        report = Report(title)
        report.blocks.append(("status", self.value))
        for row in self.value.itertuples():
            report.heading(row.title).text(row.text or "(empty)")
        report.heading("Analysis per product").table(self.products)
        return report
