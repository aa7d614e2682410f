"""Batch: the account-plan report of every key and key development account of a portfolio, in one command.

    python -m kamwidgets reports data/sample_portfolio.csv --out reports/
    python -m kamwidgets reports data/sample_portfolio.csv --buckets key      (key accounts only)
    python -m kamwidgets lessons my-kam-course      (see kamwidgets.course)
    python -m kamwidgets room my-kam-course --room Workshop   (the facilitator's room view)

The portfolio is classified with the criteria in ``--settings`` (a JSON file
with ``attractiveness``, ``strength`` and optionally ``thresholds`` and
``labels``, as ``ClassificationWidget.settings`` gives them); without it, with
the sample criteria, which need the sample's columns.  Columns from an
earlier classification (``segment``, ``attractiveness``, ``strength``) are
replaced.  The course writes plans for key accounts *and* key development
accounts, so both are covered unless ``--buckets`` says otherwise.  For each
account the plan is pre-filled from what the workbook knows; texts and SWOTs saved in
the store (``--store``, ``--workbook``) are used when there are any.  Each
report is written as HTML (with its charts, offline) and Markdown.

One account's saved plan or SWOT in the wrong shape does not stop the batch:
every report that can be written is, the accounts without one are listed on
stderr (one line each, with the reason), and the command exits with 1.  It
exits with 2 when it cannot start (no such portfolio, bad settings).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import KamDataError
from .model.display import header

__all__ = ["key_account_reports", "ReportsNotWritten", "main"]


def _safe_name(account: str) -> str:
    """A file name stem for the account: safe characters, and short enough in bytes for any file system.

    File names are limited in bytes (255 on most systems), not characters:
    100 characters of a non-Latin script can be 400 bytes.  The stem is cut
    at 120 bytes, on a character boundary, leaving room for suffixes.
    """
    name = re.sub(r"[^\w\-. ]+", "_", account, flags=re.UNICODE).strip(" .") or "account"
    return name.encode("utf-8")[:120].decode("utf-8", errors="ignore").strip(" .") or "account"


class ReportsNotWritten(KamDataError):
    """Some accounts got no report (their saved work does not fit); every other report was written.

    Attributes
    ----------
    failed : dict
        ``{account: why}``, one line each, in the order the accounts came.
    written : list of Path
        The files written for the other accounts.
    """

    def __init__(self, failed: dict[str, str], written: list[Path]) -> None:
        self.failed, self.written = dict(failed), list(written)
        reasons = "; ".join(failed.values())
        super().__init__(
            f"no report was written for {len(failed)} of the accounts ({reasons}); "
            f"the {len(written) // 2} other reports were written",
            accounts=list(failed),
            fix="Open each one's plan or SWOT in its widget and save it again, then run the reports again.",
        )


def _rows(rows: list[int]) -> str:
    """``row 3`` or ``rows 3, 5``, or nothing."""
    return f"{'row' if len(rows) == 1 else 'rows'} {', '.join(map(str, rows[:5]))}" if rows else ""


def _one_line(err: Exception) -> str:
    """An error as one line of text (for one line per account on stderr)."""
    return " ".join(str(err).split())


def _saved(store: Any, kind: str, account: str, needs: dict[str, type]) -> dict | None:
    """A saved artefact's settings, brought up to date and checked for the shape the reports need.

    None when nothing is saved.  Work saved by an earlier release is upgraded
    as the widgets upgrade it (:mod:`kamwidgets.model.upgrades`); work saved
    by a newer release is refused.
    """
    from .model.upgrades import settings_from

    saved = store.load(kind, account=account, default=None) if store else None
    if saved is None:
        return None
    try:
        settings = settings_from(kind, saved)
    except KamDataError as err:
        raise KamDataError(
            f"the saved {header(kind)} of {account!r} cannot be used: {err.problem}",
            source=str(getattr(store, "location", "the store")),
            fix=err.fix,
        ) from None
    wrong = [k for k, t in needs.items() if not isinstance(settings, dict) or not isinstance(settings.get(k), t)]
    if wrong:
        raise KamDataError(
            f"the saved {header(kind)} of {account!r} is not in the shape the workbook saves "
            f"({', '.join(wrong)} missing or of the wrong kind); no report was written for it",
            source=str(getattr(store, "location", "the store")),
            fix="Open it in its widget and save it again, or save an earlier version (store.history()).",
        )
    return settings


#: The buckets the course writes account plans for.
PLAN_BUCKETS: tuple[str, ...] = ("key", "development")


def key_account_reports(
    classified: pd.DataFrame,
    out: str | os.PathLike,
    *,
    store: Any = None,
    progress: bool = True,
    buckets: tuple[str, ...] | list[str] = PLAN_BUCKETS,
) -> list[Path]:
    """Write an HTML and a Markdown account plan for each account of ``buckets``; returns the paths.

    ``buckets`` are bucket keys (key, development, maintenance,
    opportunistic); by default the key and key development accounts, as in
    the course.

    Uses ``tqdm.auto`` for the progress bar (a widget in a notebook, text in a
    terminal).

    Raises
    ------
    ReportsNotWritten
        After every other report is written, when some accounts' saved plan
        or SWOT cannot be used (or their files cannot be written): its
        ``failed`` says which and why, its ``written`` lists the files.
    """
    from tqdm.auto import tqdm

    from .export import account_plan_report, write_html, write_markdown
    from .model import checks
    from .model.classify import SEGMENTS, segment_keys
    from .model.plans import plan_frame, prefill_account_plan
    from .model.swot import check_items, check_strategies

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [checks.choice(b, SEGMENTS, "bucket") for b in buckets]
    keys = segment_keys(classified)
    accounts = classified.loc[keys.isin(wanted).to_numpy(), "account"].tolist()
    written: list[Path] = []
    failed: dict[str, str] = {}
    used: set[str] = set()

    def swot_of(account: str) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        saved = _saved(store, "swot", account, {"items": list, "strategies": list})
        if saved is None:
            return None, None
        try:
            return check_items(saved["items"]), check_strategies(saved["strategies"])
        except KamDataError as err:
            where = [err.source or "", f"column {err.column!r}" if err.column else "", _rows(err.rows)]
            raise KamDataError(
                f"the saved SWOT of {account!r} does not fit ({', '.join(w for w in where if w)}: {err.problem})",
                source=str(getattr(store, "location", "the store")),
                fix="Open it in the SwotGrid and save it again, or save an earlier version (store.history()).",
            ) from None

    for account in tqdm(accounts, desc="Account plans", unit="account", disable=not progress):
        stem = _safe_name(account)
        while stem.casefold() in used:
            stem += "_"
        used.add(stem.casefold())
        try:  # one account's saved work in the wrong shape does not cost the others their reports
            saved_plan = _saved(store, "account_plan", account, {"texts": dict})
            items, strategies = swot_of(account)
            prefilled = prefill_account_plan(account, classified=classified, swot=items)
            texts = dict(prefilled, **(saved_plan["texts"] if saved_plan else {}))
            extended = bool(saved_plan.get("extended")) if saved_plan else False
            plan = plan_frame(texts, prefilled=prefilled, extended=extended)
            report = account_plan_report(account, plan, swot_items=items, strategies=strategies)
            page = write_html(report, folder / f"{stem}.html", plotlyjs="directory")
            written += [page, write_markdown(report, folder / f"{stem}.md")]
        except (KamDataError, OSError) as err:
            failed[account] = _one_line(err)
    if failed:
        raise ReportsNotWritten(failed, written)
    return written


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
