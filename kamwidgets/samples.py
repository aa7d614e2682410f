"""The bundled sample data: where it is and the criteria it was made for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._shipped import DATA_DIR, LESSONS_DIR
from .errors import KamDataError
from .model.criteria import Criterion
from .model.io import load_portfolio

__all__ = [
    "DATA_DIR",
    "LESSONS_DIR",
    "SAMPLES",
    "SAMPLE_LABEL",
    "sample_path",
    "sample_portfolio",
    "is_sample",
    "SAMPLE_ATTRACTIVENESS",
    "SAMPLE_STRENGTH",
    "SAMPLE_RULES",
]

#: How the sample portfolio is named on the page and in ``attrs["source"]``.
SAMPLE_LABEL = "the sample portfolio (Maria Santos's 30 accounts)"


#: Short names of the bundled files (see ``data/README.md``).
SAMPLES: dict[str, str] = {
    "portfolio": "sample_portfolio.csv",
    "transactions": "sample_orders.csv",
    "company_2025": "company_portfolio_2025.csv",
    "company_2026": "company_portfolio_2026.csv",
    "wholesale": "real/wholesale_customers.csv",
    "crm_accounts": "real/crm_accounts.csv",
    "crm_pipeline": "real/crm_sales_pipeline.csv",
    "crm_teams": "real/crm_sales_teams.csv",
    "crm_products": "real/crm_products.csv",
    "account_buyers": "account_buyers.csv",
    "account_dmu": "account_dmu.csv",
    "account_contacts": "account_contacts.csv",
    "account_stakeholders": "account_stakeholders.csv",
}

#: Attractiveness criteria for the sample portfolios: how much the customer
#: spends with us, how much they may grow, what we earn on them, and how well
#: they fit our strategy (scored 1-10 by the account manager).
SAMPLE_ATTRACTIVENESS: list[Criterion] = [
    Criterion("revenue", 35),
    Criterion("growth_potential", 25),
    Criterion("margin_pct", 20),
    Criterion("strategic_fit", 20, scale="value", bounds=(1, 10)),
]

#: Strength criteria: our share of their spend, and how they rate the
#: relationship, our product fit and our price (each 1-10).
SAMPLE_STRENGTH: list[Criterion] = [
    Criterion("share_of_wallet", 35),
    Criterion("relationship", 25, scale="value", bounds=(1, 10)),
    Criterion("product_fit", 20, scale="value", bounds=(1, 10)),
    Criterion("price_competitiveness", 20, scale="value", bounds=(1, 10)),
]


def sample_path(name: str = "portfolio") -> Path:
    """Path of a bundled data file, by short name (see :data:`SAMPLES`).

    >>> sample_path("portfolio").name
    'sample_portfolio.csv'
    """
    if name not in SAMPLES:
        raise KamDataError(f"there is no sample called {name!r}", fix=f"Use one of {', '.join(map(repr, SAMPLES))}.")
    path = DATA_DIR / SAMPLES[name]
    if not path.exists():
        raise KamDataError(
            "the bundled data file is missing",
            source=str(path),
            fix="Reinstall kamwidgets: the package's data files are incomplete.",
        )
    return path


#: The course's way for the sample portfolio: criteria for each bucket (all of a
#: bucket's rules must hold; buckets are tried in this order).  Big accounts
#: where we are well placed are key; big accounts that grow, key development;
#: accounts that know us well, maintenance; the smaller ones, opportunistic.
SAMPLE_RULES: list[dict] = [
    {"bucket": "key", "column": "revenue", "operator": ">=", "value": 150000},
    {"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": 0.3},
    {"bucket": "key", "column": "relationship", "operator": ">=", "value": 6},
    {"bucket": "development", "column": "revenue", "operator": ">=", "value": 150000},
    {"bucket": "development", "column": "growth_potential", "operator": ">=", "value": 0.08},
    {"bucket": "maintenance", "column": "share_of_wallet", "operator": ">=", "value": 0.3},
    {"bucket": "maintenance", "column": "relationship", "operator": ">=", "value": 6},
    {"bucket": "opportunistic", "column": "revenue", "operator": "<", "value": 150000},
]


def sample_portfolio() -> Any:
    """Maria Santos's 30 accounts, loaded, with ``attrs["source"]`` naming them (:data:`SAMPLE_LABEL`)."""
    frame = load_portfolio(sample_path())
    frame.attrs["source"] = SAMPLE_LABEL
    return frame


def is_sample(frame: Any) -> bool:
    """Whether a portfolio is the bundled sample (as :func:`sample_portfolio` and the picker name it)."""
    return getattr(frame, "attrs", {}).get("source") == SAMPLE_LABEL
