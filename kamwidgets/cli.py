"""The command line: ``kamwidgets reports|lessons|room`` (also ``python -m kamwidgets ...``).

    python -m kamwidgets reports data/sample_portfolio.csv --out reports/
    python -m kamwidgets lessons my-kam-course      (see kamwidgets.course)
    python -m kamwidgets room my-kam-course --room Workshop   (the facilitator's room view)

What ``reports`` writes, and how it exits, is said in :mod:`kamwidgets.reports`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import KamDataError
from .reports import PLAN_BUCKETS, ReportsNotWritten, key_account_reports

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    from . import SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH, classify, load_portfolio

    parser = argparse.ArgumentParser(prog="python -m kamwidgets", description="kamwidgets command line")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("reports", help="account-plan reports for the key and key development accounts")
    rep.add_argument("portfolio", help="CSV or Excel portfolio (classified or not)")
    rep.add_argument("--out", default="reports", help="folder for the reports (default: reports/)")
    rep.add_argument("--settings", help="JSON with attractiveness, strength, thresholds (as the widget saves them)")
    rep.add_argument("--store", help="workbook store (file or database URL) with saved plans and SWOTs")
    rep.add_argument("--workbook", default="default", help="workbook name in the store")
    rep.add_argument(
        "--buckets",
        default=",".join(PLAN_BUCKETS),
        help="buckets to write plans for, comma-separated (default: key,development)",
    )
    les = sub.add_parser("lessons", help="copy the lessons into a folder of your own, to run them there")
    les.add_argument("folder", help="where to put them (made if missing)")
    les.add_argument("--force", action="store_true", help="also replace lessons you changed (a .bak copy is kept)")
    room = sub.add_parser("room", help="write the facilitator's notebook (room.ipynb): the room view of a workshop")
    room.add_argument("folder", help="where to put it (made if missing)")
    room.add_argument("--room", default=None, help="the room (workbooks named ROOM/NAME); default: every workbook")
    args = parser.parse_args(argv)
    if args.command == "room":
        from .course import room_notebook

        print(f"The room view is in {room_notebook(args.folder, args.room)}")
        return 0
    if args.command == "lessons":
        from .course import copy_lessons
        from .page_assets import place_plotly

        try:
            print(copy_lessons(args.folder, force=args.force).summary())
        except KamDataError as err:
            print(f"kamwidgets: {err}", file=sys.stderr)
            return 2
        # the lessons' Voila page loads plotly.js while the kernel runs (without it, a second later)
        place_plotly()
        return 0
    try:
        portfolio = load_portfolio(args.portfolio)
        if "segment" in portfolio.columns:
            portfolio = portfolio.drop(
                columns=[c for c in ("segment", "attractiveness", "strength") if c in portfolio.columns]
            )
        if args.settings:
            settings = json.loads(Path(args.settings).read_text(encoding="utf-8"))
            classified = classify(
                portfolio,
                settings["attractiveness"],
                settings["strength"],
                thresholds=tuple(settings.get("thresholds", (5, 5))),
                labels=settings.get("labels"),
            )
        else:
            classified = classify(portfolio, SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH)
        store = None
        if args.store:
            from .store import Store

            store = Store(args.store, workbook=args.workbook)
        buckets = [b.strip() for b in args.buckets.split(",") if b.strip()]
        paths = key_account_reports(classified, args.out, store=store, buckets=buckets)
    except ReportsNotWritten as err:
        print(f"{len(err.written) // 2} account plans written to {args.out}/")
        for account, why in err.failed.items():
            print(f"kamwidgets: no report for {account!r}: {why}", file=sys.stderr)
        print(f"kamwidgets: {len(err.failed)} account plans not written (listed above)", file=sys.stderr)
        return 1
    except KamDataError as err:
        print(f"kamwidgets: {err}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError, KeyError) as err:
        print(f"kamwidgets: {err}", file=sys.stderr)
        return 2
    print(f"{len(paths) // 2} account plans written to {args.out}/")
    return 0
