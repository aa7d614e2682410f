"""Batch: the account-plan report of every key and key development account of a portfolio, in one command.

    python -m kamwidgets reports data/sample_portfolio.csv --out reports/
    python -m kamwidgets reports data/sample_portfolio.csv --buckets key      (key accounts only)

(the command line is :mod:`kamwidgets.cli`; :func:`key_account_reports` does the work).

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

import os
from pathlib import Path
from typing import Any

import pandas as pd

from ._files import file_stem
from .errors import KamDataError
from .export import account_plan_report, write_html, write_markdown
from .model import checks
from .model.classification import SEGMENTS, segment_keys
from .model.display import header
from .model.plans import plan_frame, prefill_account_plan
from .model.swot import check_items, check_strategies
from .model.upgrades import settings_from

__all__ = ["key_account_reports", "ReportsNotWritten"]


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
    from tqdm.auto import tqdm  # deferred: start-up time (in a kernel it loads ipywidgets for its bar)

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
        stem = file_stem(account, "account")
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
