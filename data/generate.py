"""Generate the workbook's sample data (fictional, seeded, reproducible).

Run from the project folder::

    python data/generate.py            # writes the files beside this script
    python data/generate.py --out DIR  # writes them somewhere else

It writes:

``sample_portfolio.csv``
    30 accounts of one key account manager at a fictional industrial
    supplier: what each spends with us, its growth potential, our margin,
    strategic fit, our share of its wallet and how it rates us.
``sample_orders.csv``
    The orders behind that portfolio, 2023-11 to 2026-10: date, account,
    product, amount and margin; one row per order.
``company_portfolio_2025.csv`` and ``company_portfolio_2026.csv``
    The whole company two years running: about 3,000 accounts over 30
    salespeople, with the same columns plus ``year``.  Between the years some
    accounts leave, new ones arrive, scores drift and a few accounts change
    hands, as an annual review would find.

The numbers follow shapes seen in real B2B portfolios: spend is lognormal
(a few large customers carry much of the revenue), share of wallet is higher
where the relationship is better, and margins are thinner on the largest
buyers, who negotiate harder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261127
HERE = Path(__file__).resolve().parent

SECTORS = [
    "Food & beverage",
    "Automotive",
    "Chemicals",
    "Retail",
    "Logistics",
    "Pharmaceuticals",
    "Construction",
    "Packaging",
]
REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCTS = ["Industrial lubricants", "Cleaning systems", "Spare parts", "Maintenance service", "Packaging film"]
_PREFIX = [
    "Nor",
    "Alt",
    "Vel",
    "Bra",
    "Cor",
    "Del",
    "Est",
    "Fen",
    "Gra",
    "Hal",
    "Ist",
    "Jun",
    "Kel",
    "Lum",
    "Mar",
    "Nov",
    "Orb",
    "Pel",
    "Quin",
    "Ros",
    "Sol",
    "Tor",
    "Ulm",
    "Val",
    "Wes",
    "Xan",
    "Yar",
    "Zen",
    "Arc",
    "Bel",
]
_SUFFIX = [
    "tec",
    "via",
    "mar",
    "dal",
    "tron",
    "lux",
    "pak",
    "chem",
    "form",
    "line",
    "gate",
    "wood",
    "stone",
    "field",
    "port",
    "corp",
    "logic",
    "works",
    "flow",
    "med",
    "food",
    "plast",
    "steel",
    "trans",
    "agri",
    "nova",
    "max",
    "tex",
    "gen",
    "link",
]
_FORM = ["GmbH", "Ltd", "S.A.", "BV", "SpA", "Inc.", "AG", "Oy", "AB", "S.L."]
_FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Katrin",
    "Luis",
    "Maria",
    "Nils",
    "Olga",
    "Pedro",
    "Quentin",
    "Rita",
    "Sven",
    "Tara",
    "Ugo",
    "Vera",
    "Walter",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bea",
    "Chen",
    "Dara",
]
_LAST = [
    "Almeida",
    "Berger",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lopez",
    "Santos",
    "Novak",
    "Olsen",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ulrich",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Moreau",
    "Brandt",
    "Horvat",
    "Lind",
]


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    """n distinct fictional company names."""
    combos = [(p, s, f) for p in _PREFIX for s in _SUFFIX for f in _FORM]
    picks = rng.choice(len(combos), size=n, replace=False)
    return [f"{combos[i][0]}{combos[i][1]} {combos[i][2]}" for i in picks]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    first = rng.permutation(_FIRST)[:n]
    last = rng.permutation(_LAST)[:n]
    return [f"{a} {b}" for a, b in zip(first, last)]


def _score(rng: np.random.Generator, centre: np.ndarray, spread: float = 1.6) -> np.ndarray:
    """A 1-10 whole-number rating around ``centre``."""
    return np.clip(np.rint(centre + rng.normal(0, spread, len(centre))), 1, 10).astype(int)


def accounts(rng: np.random.Generator, names: list[str], managers: list[str]) -> pd.DataFrame:
    """One row per account with criteria on realistic scales."""
    n = len(names)
    size = rng.lognormal(mean=12.2, sigma=1.1, size=n)  # total yearly spend on our kind of products
    relationship_latent = rng.normal(0, 1, n)
    share = 1 / (1 + np.exp(-(relationship_latent * 1.2 - 0.4 + rng.normal(0, 0.5, n))))
    share = np.clip(share, 0.03, 0.95)
    revenue = np.round(size * share, -2)
    growth = np.round(rng.normal(0.08, 0.12, n) + 0.04 * (rng.random(n) < 0.2), 3)
    margin = np.clip(0.34 - 0.025 * (np.log(revenue + 1) - 10) + rng.normal(0, 0.04, n), 0.05, 0.55)
    strategic = _score(rng, 5.5 + 1.2 * (np.log(size) - 12.2), 1.8)
    relationship = _score(rng, 5.5 + 1.8 * relationship_latent, 1.0)
    product_fit = _score(rng, 6 + 0.8 * relationship_latent, 1.7)
    price = _score(rng, np.full(n, 5.5), 2.0)
    service = _score(rng, 6 + 0.5 * relationship_latent, 1.5)
    years = np.clip(np.rint(rng.gamma(2.0, 3.0, n) + share * 6), 0, 40).astype(int)
    return pd.DataFrame(
        {
            "account": names,
            "account_manager": managers,
            "sector": rng.choice(SECTORS, n),
            "region": rng.choice(REGIONS, n),
            "revenue": revenue,
            "growth_potential": growth,
            "margin_pct": np.round(margin, 3),
            "strategic_fit": strategic,
            "share_of_wallet": np.round(share, 3),
            "relationship": relationship,
            "product_fit": product_fit,
            "price_competitiveness": price,
            "service_record": service,
            "years_as_customer": years,
        }
    )


def sample_portfolio(rng: np.random.Generator) -> pd.DataFrame:
    manager = "Maria Santos"
    frame = accounts(rng, company_names(rng, 30), [manager] * 30)
    return frame.sort_values("revenue", ascending=False, ignore_index=True)


def sample_orders(rng: np.random.Generator, portfolio: pd.DataFrame) -> pd.DataFrame:
    """Orders from 2023-11-01 to 2026-10-31 whose last 12 months match the portfolio's revenue."""
    start, end = pd.Timestamp("2023-11-01"), pd.Timestamp("2026-10-31")
    days = (end - start).days + 1
    rows = []
    for acc in portfolio.itertuples(index=False):
        per_year = int(np.clip(rng.poisson(4 + acc.revenue / 40_000), 2, 60))
        n = per_year * 3
        offsets = np.sort(rng.integers(0, days, n))
        dates = start + pd.to_timedelta(offsets, unit="D")
        # earlier years smaller or larger according to the account's growth
        year_index = np.asarray((dates - start).days // 365)
        scale = (1 + acc.growth_potential) ** (year_index - 2)
        weights = rng.gamma(2.0, 1.0, n) * scale
        last = year_index == 2
        amounts = weights / weights[last].sum() * acc.revenue if last.any() else weights
        products = rng.choice(PRODUCTS, n, p=[0.35, 0.2, 0.2, 0.15, 0.1])
        margins = amounts * np.clip(acc.margin_pct + rng.normal(0, 0.03, n), 0.0, 0.7)
        for d, p, a, m in zip(dates, products, amounts, margins):
            rows.append((d.strftime("%Y-%m-%d"), acc.account, p, round(float(a), 2), round(float(m), 2)))
    orders = pd.DataFrame(rows, columns=["order_date", "account", "product", "amount", "margin"])
    orders = orders.sort_values(["order_date", "account"], ignore_index=True)
    orders.insert(0, "order_id", [f"SO-{i:06d}" for i in range(1, len(orders) + 1)])
    orders.insert(3, "account_manager", portfolio["account_manager"].iloc[0])
    return orders


def company_years(
    rng: np.random.Generator, n_accounts: int = 3000, n_people: int = 30
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The company portfolio in 2025 and 2026."""
    people = person_names(rng, n_people)
    load = rng.dirichlet(np.full(n_people, 8.0))  # some carry more accounts than others
    names = company_names(rng, int(n_accounts * 1.08))
    first = names[:n_accounts]
    newcomers = names[n_accounts:]
    managers = rng.choice(people, n_accounts, p=load)
    y1 = accounts(rng, first, list(managers))
    y1.insert(2, "year", 2025)

    y2 = y1.copy()
    y2["year"] = 2026
    n = len(y2)
    y2["revenue"] = np.round(y2["revenue"] * np.exp(rng.normal(y2["growth_potential"], 0.15)), -2)
    y2["growth_potential"] = np.round(y2["growth_potential"] * 0.6 + rng.normal(0.03, 0.08, n), 3)
    y2["margin_pct"] = np.round(np.clip(y2["margin_pct"] + rng.normal(0, 0.02, n), 0.05, 0.55), 3)
    y2["share_of_wallet"] = np.round(np.clip(y2["share_of_wallet"] + rng.normal(0.01, 0.05, n), 0.02, 0.97), 3)
    for col in ("strategic_fit", "relationship", "product_fit", "price_competitiveness", "service_record"):
        drift = rng.choice([-1, 0, 0, 0, 1], n)
        y2[col] = np.clip(y2[col] + drift, 1, 10)
    y2["years_as_customer"] = y2["years_as_customer"] + 1
    moved = rng.random(n) < 0.04
    y2.loc[moved, "account_manager"] = rng.choice(people, int(moved.sum()))
    gone = rng.random(n) < 0.05
    y2 = y2.loc[~gone]
    fresh = accounts(rng, newcomers, list(rng.choice(people, len(newcomers), p=load)))
    fresh.insert(2, "year", 2026)
    fresh["years_as_customer"] = 0
    y2 = pd.concat([y2, fresh], ignore_index=True)
    return y1.reset_index(drop=True), y2.reset_index(drop=True)


def generate(out: Path = HERE, seed: int = SEED) -> list[Path]:
    """Write every sample file into ``out``; return their paths."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    portfolio = sample_portfolio(rng)
    orders = sample_orders(rng, portfolio)
    y1, y2 = company_years(rng)
    files = {
        "sample_portfolio.csv": portfolio,
        "sample_orders.csv": orders,
        "company_portfolio_2025.csv": y1,
        "company_portfolio_2026.csv": y2,
    }
    written = []
    for name, frame in files.items():
        path = out / name
        frame.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: data/)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for path in generate(args.out, args.seed):
        print(path)


if __name__ == "__main__":
    main()
