"""The command line: ``kamwidgets COMMAND ...``, also ``python -m kamwidgets COMMAND ...``.

    kamwidgets reports data/sample_portfolio.csv --out reports/
    kamwidgets reports data/sample_portfolio.csv --buckets key      (key accounts only)
    kamwidgets lessons my-kam-course      (see kamwidgets.course)
    kamwidgets room my-kam-course --room Workshop   (the facilitator's room view)

Each command is one row of :data:`COMMANDS`: its name, its help, its
arguments and the function that runs it.  What ``reports`` writes is said in
:mod:`kamwidgets.reports`; it exits with 1 when some accounts got no report
(each listed on stderr with the reason) and with 2 when it cannot start (no
such portfolio, bad settings), as ``lessons`` does when it cannot copy.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .course import copy_lessons, room_notebook
from .errors import KamDataError
from .model import classify, load_portfolio
from .page_assets import place_plotly
from .reports import PLAN_BUCKETS, ReportsNotWritten, key_account_reports
from .samples import SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH
from .store import Store

__all__ = ["COMMANDS", "Command", "main", "parser"]


@dataclass(frozen=True)
class Command:
    """One sub-command: ``arguments`` are ``(flags, argparse settings)`` pairs; ``run`` returns the exit code."""

    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: Sequence[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=tuple)


#: The columns a classification adds, dropped from a portfolio classified before.
_CLASSIFIED = ("segment", "attractiveness", "strength")


def _said(err: Exception) -> int:
    """Say why the command cannot go on (on stderr); the exit code for it."""
    print(f"kamwidgets: {err}", file=sys.stderr)
    return 2


def _classified(args: argparse.Namespace) -> pd.DataFrame:
    """The portfolio of ``reports``, classified afresh with ``--settings`` (else the sample's criteria)."""
    portfolio = load_portfolio(args.portfolio)
    if "segment" in portfolio.columns:  # an earlier classification is replaced
        portfolio = portfolio.drop(columns=[c for c in _CLASSIFIED if c in portfolio.columns])
    if not args.settings:
        return classify(portfolio, SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH)
    settings = json.loads(Path(args.settings).read_text(encoding="utf-8"))
    return classify(
        portfolio,
        settings["attractiveness"],
        settings["strength"],
        thresholds=tuple(settings.get("thresholds", (5, 5))),
        labels=settings.get("labels"),
    )


def _reports(args: argparse.Namespace) -> int:
    try:
        classified = _classified(args)
        store = Store(args.store, workbook=args.workbook) if args.store else None
        buckets = [b.strip() for b in args.buckets.split(",") if b.strip()]
        paths = key_account_reports(classified, args.out, store=store, buckets=buckets)
    except ReportsNotWritten as err:
        print(f"{len(err.written) // 2} account plans written to {args.out}/")
        for account, why in err.failed.items():
            print(f"kamwidgets: no report for {account!r}: {why}", file=sys.stderr)
        print(f"kamwidgets: {len(err.failed)} account plans not written (listed above)", file=sys.stderr)
        return 1
    except (KamDataError, OSError, json.JSONDecodeError, KeyError) as err:
        return _said(err)
    print(f"{len(paths) // 2} account plans written to {args.out}/")
    return 0


def _lessons(args: argparse.Namespace) -> int:
    try:
        print(copy_lessons(args.folder, force=args.force).summary())
    except KamDataError as err:
        return _said(err)
    # the lessons' Voila page loads plotly.js from the server when it draws a chart (without it, from the kernel)
    place_plotly()
    return 0


def _room(args: argparse.Namespace) -> int:
    print(f"The room view is in {room_notebook(args.folder, args.room)}")
    return 0


#: The sub-commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command(
        "reports",
        "account-plan reports for the key and key development accounts",
        _reports,
        (
            (("portfolio",), {"help": "CSV or Excel portfolio (classified or not)"}),
            (("--out",), {"default": "reports", "help": "folder for the reports (default: reports/)"}),
            (("--settings",), {"help": "JSON with attractiveness, strength, thresholds (as the widget saves them)"}),
            (("--store",), {"help": "workbook store (file or database URL) with saved plans and SWOTs"}),
            (("--workbook",), {"default": "default", "help": "workbook name in the store"}),
            (
                ("--buckets",),
                {
                    "default": ",".join(PLAN_BUCKETS),
                    "help": "buckets to write plans for, comma-separated (default: key,development)",
                },
            ),
        ),
    ),
    Command(
        "lessons",
        "copy the lessons into a folder of your own, to run them there",
        _lessons,
        (
            (("folder",), {"help": "where to put them (made if missing)"}),
            (("--force",), {"action": "store_true", "help": "also replace lessons you changed (a .bak copy is kept)"}),
        ),
    ),
    Command(
        "room",
        "write the facilitator's notebook (room.ipynb): the room view of a workshop",
        _room,
        (
            (("folder",), {"help": "where to put it (made if missing)"}),
            (("--room",), {"default": None, "help": "the room (workbooks named ROOM/NAME); default: every workbook"}),
        ),
    ),
)


def parser() -> argparse.ArgumentParser:
    """The command line's parser, built from :data:`COMMANDS`."""
    top = argparse.ArgumentParser(prog="python -m kamwidgets", description="kamwidgets command line")
    sub = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        one = sub.add_parser(command.name, help=command.help)
        for flags, settings in command.arguments:
            one.add_argument(*flags, **settings)
        one.set_defaults(run=command.run)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command (``argv``, else the process's arguments); returns the exit code."""
    args = parser().parse_args(argv)
    return int(args.run(args))
