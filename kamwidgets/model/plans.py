"""Account plans and marketing plans: sections, what the workbook can pre-fill, and completeness.

A plan that nobody reads is a tick in a box.  Each section is scored:
``red`` (empty), ``amber`` (only the pre-filled facts, or fewer than
``min_words`` words of your own) or ``green``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..errors import KamDataError
from ._schema import Field, check_table

__all__ = [
    "ACCOUNT_SECTIONS",
    "MARKETING_SECTIONS",
    "PRODUCT_FIELDS",
    "prefill_account_plan",
    "plan_frame",
    "completeness",
    "check_products",
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

MARKETING_SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("landscape", "Current landscape", "short", "The market in the region this year: size, trends, customers."),
    ("vision", "Vision", "short", "Where we want to be."),
    ("plan", "Plan", "short", "What we will do, product by product, and when."),
    ("conclusion", "Conclusion", "short", "The few things that matter most."),
)

PRODUCT_FIELDS: tuple[Field, ...] = (
    Field("product", "text", required=True, help="the product or product line"),
    Field("market_share", "number", low=0, high=100, default=None, help="our market share in %, 0 to 100"),
    Field("competition", "text", default="", help="the main competitors and how they play"),
    Field("growth_opportunities", "text", default="", help="where we can grow"),
    Field("challenges", "text", default="", help="what stands in the way"),
    Field("conclusions", "text", default="", help="what we conclude for this product"),
)


def check_products(products: Any) -> pd.DataFrame:
    """The marketing plan's product analysis, checked (one row per product)."""
    return check_table(products, PRODUCT_FIELDS, what="product analysis", key="product")


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text or ""))


def prefill_account_plan(
    account: str,
    *,
    classified: pd.DataFrame | None = None,
    buyers: pd.DataFrame | None = None,
    stakeholders: pd.DataFrame | None = None,
    swot: pd.DataFrame | None = None,
) -> dict[str, str]:
    """Facts the workbook already knows about ``account``, as starting text per section.

    From the classification (bucket and scores), the buyer chart, the
    stakeholder map and the SWOT; sections it knows nothing about stay empty.
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
        r = rows.iloc[0]
        if pd.isna(r.get("segment")):
            line = "Not classified yet: some criteria are missing for this account."
        else:
            line = (
                f"{r['segment']} (attractiveness {r['attractiveness']:.1f}, our strength {r['strength']:.1f} "
                "out of 10)."
            )
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
        if strengths:
            text["benefit"].append("Strengths to build on: " + "; ".join(strengths) + ".")
        if threats:
            text["risks"].append("Threats from the SWOT: " + "; ".join(threats) + ".")
    return {k: " ".join(v) for k, v in text.items()}


def plan_frame(
    texts: Mapping[str, str],
    *,
    sections=ACCOUNT_SECTIONS,
    prefilled: Mapping[str, str] | None = None,
    extended: bool = True,
    min_words: int = 15,
) -> pd.DataFrame:
    """The plan as one row per section with its completeness (see :func:`completeness`)."""
    unknown = set(texts) - {k for k, *_ in sections}
    if unknown:
        raise KamDataError(
            f"{sorted(unknown)[0]!r} is not a section of this plan", fix=f"Use {', '.join(k for k, *_ in sections)}."
        )
    rows = []
    for key, title, part, _prompt in sections:
        if part == "extended" and not extended:
            continue
        body = str(texts.get(key, "") or "").strip()
        given = str((prefilled or {}).get(key, "") or "").strip()
        own = body.replace(given, "", 1) if given else body
        rows.append(
            {
                "section": key,
                "title": title,
                "part": part,
                "text": body,
                "words": _words(own),
                "status": completeness(body, given, min_words),
            }
        )
    return pd.DataFrame(rows)


def completeness(text: str, prefilled: str = "", min_words: int = 15) -> str:
    """``"red"`` (empty), ``"amber"`` (pre-filled facts only, or a few words) or ``"green"``."""
    body = (text or "").strip()
    if not body:
        return "red"
    own = body.replace(prefilled.strip(), "", 1) if prefilled.strip() else body
    return "green" if _words(own) >= min_words else "amber"
