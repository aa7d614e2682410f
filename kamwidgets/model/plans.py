"""Account plans, the customer analysis, the value proposition and marketing plans.

Sections, what the workbook can pre-fill, and completeness.  A plan that
nobody reads is a tick in a box, so completeness rewards substance, never
length (see :func:`section_status`): a section is ``red`` when empty,
``amber`` while it holds only the facts the workbook filled in, a few words,
the prompt, the same text as another section, or lacks what the section is
for (a date for "how and when", a figure for targets), and ``green`` then,
however short.  A longer text never turns a section green by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..errors import KamDataError
from . import checks
from ._schema import Field, check_table
from .rules import how_placed

__all__ = [
    "placement_line",
    "NO_CRITERIA_YET",
    "ACCOUNT_SECTIONS",
    "MARKETING_SECTIONS",
    "PRODUCT_FIELDS",
    "prefill_account_plan",
    "plan_frame",
    "completeness",
    "section_status",
    "check_products",
    "ANALYSIS_SECTIONS",
    "PROPOSITION_SECTIONS",
    "COURSE_SECTIONS",
    "course_sections",
    "NEEDS",
    "plan_from_work",
    "plan_year",
]

#: (key, title, part, prompt); part is "short" (the one-page plan) or "extended".
ACCOUNT_SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("position", "Where we stand", "short", "Our position with the customer today: bucket, share, relationship."),
    ("direction", "Where we are going", "short", "What we want this account to look like in two or three years."),
    ("benefit", "The potential benefit", "short", "What is in it for them and for us: volume, margin, reference."),
    ("how_when", "How and when", "short", "The few actions that get us there, with dates."),
    ("resources", "With what resources", "short", "People, time, budget, support from other departments."),
    ("purchasing", "Their purchasing strategy", "extended", "How they buy: process, criteria, who decides."),
    ("value_drivers", "Their value drivers", "extended", "What creates value for them: cost, quality, speed..."),
    ("growth", "Their growth strategy", "extended", "Where their business is going."),
    ("value_chain", "The value chain", "extended", "Where we add value in their chain, and where we could."),
    ("shared_future", "A shared future", "extended", "What we could build together."),
    ("activity_cycle", "The customer activity cycle", "extended", "Before, during and after they use our product."),
    ("joint_planning", "Joint planning", "extended", "What we plan together, and how often we meet."),
    ("targets", "Targets", "extended", "Measurable goals with dates."),
    ("risks", "Risks", "extended", "What could go wrong and what we do then."),
    ("timeline", "Timeline", "extended", "The milestones."),
)

#: The sections of the account plan lesson 13 names (where you stand, where you are going, the potential
#: benefit, how and when). The others hold what lesson 8 puts in a key account plan (the customer analysis,
#: resources, the value proposition's elements, targets, risks, timing); only their split is the workbook's.
COURSE_SECTIONS: frozenset[str] = frozenset({"position", "direction", "benefit", "how_when"})

#: The customer analysis of lesson 8, with the course's three headings (same keys as the account plan's).
ANALYSIS_SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("purchasing", "Their purchasing strategy", "short", "How they buy: process, criteria, who decides, how often."),
    ("value_drivers", "Their value drivers", "short", "What creates value for them: cost, quality, speed, risk..."),
    ("growth", "Their growth strategy", "short", "Where their business is going: markets, products, plants."),
)

#: The value proposition of lesson 8: built hand in hand with the customer, so it records who took part.
PROPOSITION_SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("their_need", "What they need", "short", "The customer's problem or goal, as they put it."),
    ("our_offer", "What we propose", "short", "Products, services, ways of working: what we bring."),
    ("their_gain", "What they gain", "short", "The value for them, with a figure where you can: cost, time, risk."),
    ("our_gain", "What we gain", "short", "Volume, margin, a reference, learning: why it is worth it for us."),
    (
        "built_with",
        "Built with the customer",
        "short",
        "Who on their side shaped it, and when you last went through it together.",
    ),
)

#: What a section must contain, beyond a few words of one's own, to count as written.
NEEDS: dict[str, str] = {
    "how_when": "date",
    "timeline": "date",
    "targets": "figure",
    "plan": "date",
    "built_with": "date",
}

MARKETING_SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("landscape", "Current landscape", "short", "The market in the region this year: size, trends, customers."),
    ("vision", "Vision", "short", "Where we want to be."),
    ("plan", "Plan", "short", "What we will do, product by product, and when."),
    ("conclusion", "Conclusion", "short", "The few things that matter most."),
)

PRODUCT_FIELDS: tuple[Field, ...] = (
    Field("product", "text", required=True, help="the product or product line"),
    Field(
        "market_share", "number", low=0, high=100, default=None, help="our market share in %, 0 to 100", percent=True
    ),
    Field("competition", "text", default="", help="the main competitors and how they play"),
    Field("growth_opportunities", "text", default="", help="where we can grow"),
    Field("challenges", "text", default="", help="what stands in the way"),
    Field("conclusions", "text", default="", help="what we conclude for this product"),
)


#: From this month on, a new marketing plan is for the next year (plans are made in the autumn).
PLANNING_MONTH = 10


def plan_year(today: dt.date | None = None) -> int:
    """The year a new marketing plan is for: this year, or the next from October on.

    >>> plan_year(dt.date(2027, 3, 1)), plan_year(dt.date(2026, 12, 7))
    (2027, 2027)
    """
    today = today or dt.date.today()
    return today.year + (1 if today.month >= PLANNING_MONTH else 0)


def check_products(products: Any) -> pd.DataFrame:
    """The marketing plan's product analysis, checked (one row per product)."""
    return check_table(products, PRODUCT_FIELDS, what="product analysis", key="product")


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text or ""))


_MONTHS = (
    "jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec|january|february|march|april|june|july|august|"
    "september|october|november|december"
)
_DATE = re.compile(
    rf"\b(?:(?:19|20)\d\d|(?:in|by|from|until|before|after|of|end)\s+may|q[1-4]|h[12]|(?:{_MONTHS})\.?|week\s*\d+|w\d+|\d{{1,2}}[/.-]\d{{1,2}}(?:[/.-]\d{{2,4}})?"
    r"|(?:next|this|every|each)\s+(?:week|month|quarter|year)|in\s+\d+\s+(?:days?|weeks?|months?|years?)"
    r"|(?:daily|weekly|monthly|quarterly|yearly|annually))\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"\d")


def _own(body: str, prefilled: str) -> str:
    return body.replace(prefilled, "", 1).strip() if prefilled else body


def _flat(text: str) -> str:
    """Text compared as a reader would: case and spacing left out."""
    return " ".join((text or "").lower().split())


def _distinct(text: str) -> int:
    return len({w.lower() for w in re.findall(r"[^\W\d_]{2,}", text or "")})


def section_status(
    text: str,
    *,
    prefilled: str = "",
    prompt: str = "",
    needs: str | None = None,
    min_words: int = 6,
    others: tuple[str, ...] = (),
) -> tuple[str, str]:
    """A section's status and why: ``("red" | "amber" | "green", reason)``.

    What counts is substance, not length: at least ``min_words`` *different*
    words of your own (the pre-filled facts do not count, nor does a word
    repeated), not the prompt copied, not the same text as another section
    (``others``), and what the section is for (``needs``: ``"date"`` or
    ``"figure"``).  Meeting these turns it green, however short; a long text
    that misses one of them stays amber.
    """
    body = (text or "").strip()
    if not body:
        return "red", "empty"
    own = _own(body, (prefilled or "").strip())
    if not own:
        return "amber", "only the facts the workbook filled in: add what you know and intend"
    flat = _flat(own)
    if prompt and flat == _flat(prompt):
        return "amber", "the prompt copied: write your own answer"
    if flat in {_flat(o) for o in others if o and o.strip()}:
        return "amber", "the same text as another section: say what is particular to this one"
    if _distinct(own) < min_words:
        return "amber", f"a few words: say what, who and why (at least {min_words} different words of your own)"
    if needs == "date" and not _DATE.search(own):
        return "amber", "no date: say when (a month, a quarter, a year, 'in 6 weeks')"
    if needs == "figure" and not _FIGURE.search(own):
        return "amber", "no figure: say how much or how many"
    return "green", "written"


#: (form, its section, the plan's section it feeds, the words in front), in the plan's order.
_FEEDS: tuple[tuple[str, str, str, str], ...] = (
    *(("analysis", key, key, "") for key, *_ in ANALYSIS_SECTIONS),
    ("proposition", "their_gain", "benefit", "For them: "),
    ("proposition", "our_gain", "benefit", "For us: "),
    ("proposition", "our_offer", "how_when", "Our proposal: "),
    ("proposition", "built_with", "how_when", "Built with the customer: "),
)


def plan_from_work(
    *,
    analysis: Mapping[str, str] | None = None,
    proposition: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Starting text for the account plan from the customer analysis and the value proposition.

    The analysis fills the plan's purchasing, value drivers and growth
    sections (the same headings); the proposition gives the potential benefit
    (what they gain, what we gain) and how and when (what we propose and with
    whom it was built).
    """
    text: dict[str, list[str]] = {key: [] for key, *_ in ACCOUNT_SECTIONS}
    for source, key, section, lead in _FEEDS:
        value = str(((analysis if source == "analysis" else proposition) or {}).get(key, "") or "").strip()
        if value:
            text[section].append(lead + value)
    return {k: " ".join(v) for k, v in text.items()}


#: An account's place in the plan before any bucket has criteria.
NO_CRITERIA_YET = (
    "No bucket yet: no criteria are set. Write them in Start here, lesson 4 or lesson 14 (customer classification)."
)


def placement_line(r: pd.Series) -> str:
    """The account's bucket in words: the course's placement (by its criteria, or by hand with the reason),
    or the matrix's (with its two scores).  Before any criteria are written (``attrs["rules"]`` of
    :func:`~kamwidgets.model.rules.place_by_rules` is 0), an account has no bucket yet, and the line says where
    the criteria are set."""
    if pd.isna(r.get("segment")):
        if "placed_by" in r.index and r.attrs.get("rules") == 0:
            return NO_CRITERIA_YET
        if "placed_by" in r.index:
            return "Not placed yet: it meets no bucket's criteria; place it by hand, with the reason."
        return "Not classified yet: some criteria are missing for this account."
    how = how_placed(r)
    if not how and pd.notna(r.get("attractiveness")) and pd.notna(r.get("strength")):
        how = f"attractiveness {r['attractiveness']:.1f}, our strength {r['strength']:.1f} out of 10"
    return f"{r['segment']}" + (f" ({how})." if how else ".")


def prefill_account_plan(
    account: str,
    *,
    classified: pd.DataFrame | None = None,
    buyers: pd.DataFrame | None = None,
    stakeholders: pd.DataFrame | None = None,
    swot: pd.DataFrame | None = None,
) -> dict[str, str]:
    """Facts the workbook already knows about ``account``, as starting text per section.

    From the classification (the course's placement by criteria or by hand
    with its reason, or the matrix's bucket and scores), the buyer chart, the
    stakeholder map and the SWOT (its strengths go to where we stand, its
    threats to the risks); sections it knows nothing about stay empty.  The
    potential benefit is never filled from here: it comes from the value
    proposition (:func:`plan_from_work`).
    """
    text: dict[str, list[str]] = {key: [] for key, *_ in ACCOUNT_SECTIONS}
    if classified is not None:
        rows = classified[classified["account"] == account] if "account" in classified.columns else classified.iloc[:0]
        if rows.empty:
            raise KamDataError(
                f"{account!r} is not in the classified portfolio",
                column="account",
                fix="Check the spelling, or leave classified= out.",
            )
        line = placement_line(rows.iloc[0])
        r = rows.iloc[0]
        revenue = r.get("revenue") if "revenue" in rows.columns else None
        if pd.api.types.is_number(revenue) and not isinstance(revenue, bool) and pd.notna(revenue):
            line += f" Revenue {revenue:,.0f}."
        text["position"].append(line)
    if buyers is not None and len(buyers):
        for b in buyers.itertuples():
            text["purchasing"].append(f"{b.buyer}: {b.quadrant} buyer; {b.action}")
    if stakeholders is not None and len(stakeholders):
        counts = stakeholders["stance"].value_counts()
        text["position"].append("Stakeholders: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".")
    if swot is not None and len(swot):
        items = swot.sort_values("importance", ascending=False)
        strengths = items[items["quadrant"] == "strength"]["text"].head(2).tolist()
        threats = items[items["quadrant"] == "threat"]["text"].head(2).tolist()
        if strengths:  # part of where we stand; the benefit comes from the value proposition
            text["position"].append("Our strengths, from the SWOT: " + "; ".join(strengths) + ".")
        if threats:
            text["risks"].append("Threats from the SWOT: " + "; ".join(threats) + ".")
    return {k: " ".join(v) for k, v in text.items()}


def course_sections(sections: tuple[tuple[str, str, str, str], ...]) -> frozenset[str]:
    """The keys of ``sections`` the course itself names.

    The account plan: :data:`COURSE_SECTIONS`.  The value proposition: none
    (the course asks for one, built with the customer, but names no headings;
    these are the workbook's).  The customer analysis and the marketing plan:
    all of them (the course names each heading).
    """
    if sections is ACCOUNT_SECTIONS:
        return COURSE_SECTIONS
    if sections is PROPOSITION_SECTIONS:
        return frozenset()
    return frozenset(key for key, *_ in sections)


def plan_frame(
    texts: Mapping[str, str],
    *,
    sections=ACCOUNT_SECTIONS,
    prefilled: Mapping[str, str] | None = None,
    extended: bool = True,
    min_words: int = 6,
    course: frozenset[str] | set[str] | None = None,
) -> pd.DataFrame:
    """The plan as one row per section: its text, whether the course names it, its status and why.

    Columns ``section``, ``title``, ``part``, ``course`` (a section the
    course names: ``course``, by default :func:`course_sections`), ``text``,
    ``words`` (of your own), ``status`` (red, amber, green; see
    :func:`section_status`) and ``why``.
    """
    unknown = set(texts) - {k for k, *_ in sections}
    if unknown:
        raise KamDataError(
            f"{sorted(unknown)[0]!r} is not a section of this plan", fix=f"Use {', '.join(k for k, *_ in sections)}."
        )
    min_words = checks.whole_number(min_words, "min_words", low=1)
    shown = [s for s in sections if s[2] != "extended" or extended]
    # the course's sections are counted apart from the workbook's
    course = course_sections(sections) if course is None else frozenset(course)
    bodies = {key: str(texts.get(key, "") or "").strip() for key, *_ in shown}
    givens = {key: str((prefilled or {}).get(key, "") or "").strip() for key, *_ in shown}
    owns = {key: _own(bodies[key], givens[key]) for key in bodies}
    rows = []
    for key, title, part, prompt in shown:
        status, why = section_status(
            bodies[key],
            prefilled=givens[key],
            prompt=prompt,
            needs=NEEDS.get(key),
            min_words=min_words,
            others=tuple(v for k, v in owns.items() if k != key),
        )
        rows.append(
            {
                "section": key,
                "title": title,
                "part": part,
                "course": key in course,
                "text": bodies[key],
                "words": _words(owns[key]),
                "status": status,
                "why": why,
            }
        )
    return pd.DataFrame(rows)


def completeness(text: str, prefilled: str = "", min_words: int = 6) -> str:
    """``"red"``, ``"amber"`` or ``"green"`` for one section's text (see :func:`section_status`)."""
    return section_status(text, prefilled=prefilled, min_words=min_words)[0]
