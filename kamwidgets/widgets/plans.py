"""Account plans and marketing plans: text per section, pre-filled where the workbook knows, with traffic lights."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..errors import KamDataError
from ..export import Report, account_plan_report
from ..model import checks
from ..model.plans import (
    ACCOUNT_SECTIONS,
    ANALYSIS_SECTIONS,
    MARKETING_SECTIONS,
    PRODUCT_FIELDS,
    PROPOSITION_SECTIONS,
    check_products,
    plan_frame,
    plan_from_work,
    plan_year,
    prefill_account_plan,
)
from ..palette import LIGHTS
from ._base import Input, KamWidget, escape
from ._form import TableTool
from ._traits import Checked, Flag, Text

__all__ = ["AccountPlan", "MarketingPlan", "CustomerAnalysis", "ValueProposition"]


_WORD = {"red": "empty", "amber": "to finish", "green": "written"}


def _lights(frame: pd.DataFrame) -> str:
    """The traffic lights, with the status in words too (never colour alone) and what is missing."""
    dots = "".join(
        f'<li style="margin:2px 0"><span aria-hidden="true" style="display:inline-block;width:.8em;height:.8em;'
        f'border-radius:50%;background:{LIGHTS[s]}"></span> <b>{escape(t)}</b>: {_WORD[s]}'
        + (f" <i>({escape(why)})</i>" if s == "amber" else "")
        + "</li>"
        for t, s, why in zip(frame["title"], frame["status"], frame["why"])
    )
    course = frame[frame["course"]] if "course" in frame.columns else frame.iloc[:0]
    extra = frame[~frame["course"]] if "course" in frame.columns else frame
    if course.empty:  # a form whose headings are the workbook's (the value proposition)
        head = f"{int((extra['status'] == 'green').sum())} of the {len(extra)} sections written"
    else:
        plan = "section" in frame.columns and "position" in set(frame["section"])  # the account plan
        named = "sections lesson 13 names" if plan else "sections the course names"
        head = f"{int((course['status'] == 'green').sum())} of the {len(course)} {named} are written"
        if len(extra):
            # the plan's other sections hold what lesson 8 puts in a key account plan; their split is the workbook's
            added = "from lesson 8's tools" if plan else ("the workbook sets apart")
            noun = "section" if len(extra) == 1 else "sections"
            head += f"; {int((extra['status'] == 'green').sum())} of the {len(extra)} {noun} {added}"
    return (
        f"<p><b>{head}</b>. A section counts as written when it says something of your own: "
        "not only the facts filled in, not the prompt, not the same text as another section, with a date "
        "where the section is about when and a figure where it is about targets. Length does not count.</p>"
        f'<ul style="list-style:none;padding-left:0;margin:0">{dots}</ul>'
    )


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
                tooltip=title,
                rows=3,
                continuous_update=False,
                layout=W.Layout(width="95%", height="auto"),
            )
            area.add_class("kam-wrap-text")  # grows with its text (js/a11y.css), never scrolls inside itself
            area.add_class("kam-plan-text")  # and keeps three lines when empty
            self.controls[key] = area
            self._bind("texts", key, key)
            # shown or hidden with the plan's extent (a layout of its own)
            boxes.append(W.VBox([W.HTML(f"<b>{escape(title)}</b> <i>{escape(prompt)}</i>"), area], layout=W.Layout()))
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
    analysis, proposition:
        The customer analysis and the value proposition of lesson 8
        (:class:`CustomerAnalysis` / :class:`ValueProposition` widgets or their
        ``texts`` dicts).  They fill the plan's purchasing, value drivers,
        growth, potential benefit and how-and-when sections; a widget keeps
        feeding them as it changes, in every section you have not edited.
    min_words:
        Different words of your own a section needs (with what the section is
        for: a date, a figure) to turn green; see
        :func:`kamwidgets.model.plans.section_status`.

    Attributes
    ----------
    value : DataFrame
        One row per section shown: ``section``, ``title``, ``part``,
        ``course`` (a section the course names), ``text``, ``words`` (of
        your own), ``status`` (red, amber, green) and ``why``.
    controls : dict
        One text box per section key (``position``, ``direction``,
        ``benefit``, ``how_when``, ``resources``, ``purchasing``, ...), and
        ``extended`` (a checkbox).
    """

    kind = "account_plan"
    sections = ACCOUNT_SECTIONS
    inputs = ("texts", "extended")

    extended = Flag(False, help="show the extended plan as well as the short one")

    def __init__(
        self,
        account: str,
        *,
        classified: pd.DataFrame | None = None,
        buyers: Any = None,
        stakeholders: Any = None,
        swot: Any = None,
        analysis: Any = None,
        proposition: Any = None,
        extended: bool = False,
        min_words: int = 6,
        texts: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.account = account
        self.min_words = min_words
        frames = [w.value if isinstance(w, KamWidget) else w for w in (buyers, stakeholders, swot)]
        self._facts: dict[str, str] = {}
        with self.reporting():
            self._facts = prefill_account_plan(
                account, classified=classified, buyers=frames[0], stakeholders=frames[1], swot=frames[2]
            )
        self._work = {"analysis": analysis, "proposition": proposition}
        self.prefilled = self._prefill()
        self._swot = swot
        self.extended = extended
        self.controls["extended"] = W.Checkbox(description="Extended plan")
        self._bind("extended", "extended")
        body = self._build_sections(dict(self.prefilled, **(texts or {})))
        for source in self._work.values():
            if isinstance(source, KamWidget):
                source.observe(self._follow_work, names="texts")
        self.children = (
            W.HTML(f"<h3>Account plan: {escape(account)}</h3>"),
            self.controls["extended"],
            self.lights,
            self.message,
            body,
        )
        self._start()

    def _prefill(self) -> dict[str, str]:
        """The workbook's facts, then what the analysis and the proposition say, per section."""
        texts = {name: dict(w.texts) if isinstance(w, KamWidget) else dict(w or {}) for name, w in self._work.items()}
        work = plan_from_work(analysis=texts["analysis"], proposition=texts["proposition"])
        return {
            key: " ".join(t for t in (self._facts.get(key, ""), work.get(key, "")) if t) for key, *_ in ACCOUNT_SECTIONS
        }

    def _follow_work(self, _change: Any = None) -> None:
        """The analysis or the proposition changed: refresh the sections the learner has not edited."""
        old, new = self.prefilled, self._prefill()
        untouched = {k: new[k] for k in new if self.texts.get(k, "") == old.get(k, "") and new[k] != old.get(k, "")}
        with self.hold():
            self.prefilled = new
            if untouched:
                self.texts = untouched
            self._pending = True

    def recompute(self) -> None:
        extended = self.extended
        for box in self._boxes:
            box.layout.display = None if extended or box._kam_part == "short" else "none"
        with self.reporting():
            # the learner's own analysis and proposition count as their words; only the workbook's facts do not
            self.value = plan_frame(self.texts, prefilled=self._facts, extended=extended, min_words=self.min_words)
            self.clear_error()
            self.lights.value = _lights(self.value)

    @property
    def settings(self) -> dict:
        return {
            "account": self.account,
            "extended": self.extended,
            "texts": dict(self.texts),
            "prefilled": self.prefilled,
            "facts": dict(self._facts),
        }

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.prefilled = dict(settings["prefilled"])
            self._facts = dict(settings.get("facts", settings["prefilled"]))  # saves before lesson 8's forms
            self.extended = settings["extended"]
            self.texts = settings["texts"]
            self._pending = True

    def report(self):
        """The plan (and its SWOT, when one was given) as a report for HTML or Markdown."""
        swot = self._swot
        items = swot.value if isinstance(swot, KamWidget) else swot
        strategies = getattr(swot, "strategies", None)
        return account_plan_report(self.account, self.value, swot_items=items, strategies=strategies)


def _plan_year(value: Any) -> int:
    """A marketing plan's year: a whole number from 1990 to 2100."""
    year = checks.whole_number(value, "year", low=1990)
    if year > 2100:
        raise KamDataError(f"the year {year} is too far ahead", fix="Use a year from 1990 to 2100.")
    return year


class MarketingPlan(TableTool, _Sections):
    """A marketing (sales) plan for a region and a year, with one analysis row per product.

    Without a ``year`` the plan is for the year ahead (:func:`kamwidgets.model.plans.plan_year`:
    this year, or the next from October on).

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

    region = Text("", help="the region the plan is for")
    year = Checked(_plan_year, plan_year(), help="the year the plan is for (1990-2100)")

    def __init__(
        self,
        region: str = "",
        year: int | None = None,
        *,
        products: Any = None,
        texts: dict[str, str] | None = None,
        min_words: int = 6,
    ) -> None:
        super().__init__()
        self.min_words = min_words
        self.products = check_products(None)
        self.region, self.year = region, plan_year() if year is None else year
        self.controls["region"] = W.Text(description="Region", continuous_update=False)
        self.controls["year"] = W.BoundedIntText(min=1990, max=2100, description="Year")
        for name in ("region", "year"):
            self._bind(name, name)
        body = self._build_sections(texts or {})
        # six columns fit in 1,100 px; the analysis is sentences: each box wraps and grows to show all its words
        self._build_editor(products, prefix="product", text_width="150px", wrap_text=True)
        self.children = (
            W.HBox([self.controls["region"], self.controls["year"]], layout=W.Layout(flex_flow="row wrap")),
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
            "products": self.saved_rows(self.products),
        }

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.region, self.year, self.texts = settings["region"], settings["year"], settings["texts"]
            self._pending = False  # set_rows recomputes
        self.set_rows(settings["products"])

    def report(self):
        title = f"Marketing plan: {self.region or 'region'} {self.year}"
        report = Report(title)
        report.blocks.append(("status", self.value))
        for row in self.value.itertuples():
            report.heading(row.title).text(row.text or "(empty)")
        report.heading("Analysis per product").table(self.products)
        return report


class _Worksheet(_Sections):
    """A short form with the course's headings for one account (customer analysis, value proposition)."""

    title = ""
    inputs = ("texts",)

    def __init__(self, account: str, *, texts: dict[str, str] | None = None, min_words: int = 6) -> None:
        super().__init__()
        self.account = account
        self.min_words = min_words
        body = self._build_sections(texts or {})
        self.children = (W.HTML(f"<h3>{escape(self.title)}: {escape(account)}</h3>"), self.lights, self.message, body)
        self._start()

    def recompute(self) -> None:
        with self.reporting():
            self.value = plan_frame(self.texts, sections=self.sections, min_words=self.min_words)
            self.clear_error()
            self.lights.value = _lights(self.value)

    @property
    def settings(self) -> dict:
        return {"account": self.account, "texts": dict(self.texts)}

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.texts = settings["texts"]
            self._pending = True


class CustomerAnalysis(_Worksheet):
    """Lesson 8's customer analysis of one account: purchasing strategy, value drivers, growth.

    Give it to :class:`AccountPlan` (``analysis=``) and the plan's sections
    with the same headings start from it.

    Attributes
    ----------
    value : DataFrame
        One row per section with its status (like :class:`AccountPlan`).
    texts : trait
        ``{"purchasing": ..., "value_drivers": ..., "growth": ...}``.
    controls : dict
        One text box per section key.
    """

    kind = "customer_analysis"
    title = "Customer analysis"
    sections = ANALYSIS_SECTIONS


class ValueProposition(_Worksheet):
    """Lesson 8's value proposition for one account, developed with the customer.

    Sections: what they need, what we propose, what they gain, what we gain,
    and who on the customer's side built it with us (with a date).  Give it
    to :class:`AccountPlan` (``proposition=``) to start the plan's potential
    benefit and how-and-when sections.

    Attributes
    ----------
    value : DataFrame
        One row per section with its status (like :class:`AccountPlan`).
    texts : trait
        ``{"their_need", "our_offer", "their_gain", "our_gain", "built_with"}`` texts.
    controls : dict
        One text box per section key.
    """

    kind = "value_proposition"
    title = "Value proposition"
    sections = PROPOSITION_SECTIONS
