"""The participant's store: :func:`open_store` for this workbook, and the portfolio it loaded."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from ..identity import where_saved, workbook_name
from ..samples import sample_portfolio
from .core import Store


def saved_portfolio(store: Store) -> pd.DataFrame | None:
    """The portfolio last loaded into this workbook with :class:`kamwidgets.DataPicker`, or None.

    ``attrs["source"]`` names the file it came from.
    """
    data = store.load("portfolio", default=None)
    frame = data.get("value") if isinstance(data, dict) else None
    if not isinstance(frame, pd.DataFrame) or "account" not in frame.columns:
        return None  # nothing loaded, or the sample chosen again
    frame.attrs["source"] = str((data.get("settings") or {}).get("file") or "your file")
    return frame


def my_portfolio(store: Store | None = None) -> Any:
    """The portfolio this workbook loaded with :class:`kamwidgets.DataPicker`, else the sample.

    ``attrs["source"]`` says which (see :func:`kamwidgets.samples.is_sample`), so a
    lesson can tell the participant what it is working on.  ``store``
    defaults to :func:`open_store` (the workbook chosen by :func:`workbook_name`).
    """
    store = store if store is not None else open_store()
    saved = saved_portfolio(store)
    return saved if saved is not None else sample_portfolio()


def open_store(location: str | os.PathLike | None = None, *, workbook: str | None = None) -> Store:
    """Open (or create) the workbook store for this participant's workbook and say where it is.

    The workbook is chosen by :func:`kamwidgets.identity.workbook_name`; what is printed by
    :func:`kamwidgets.identity.where_saved` (in the app view, only the workbook).
    """
    store = Store(location, workbook=workbook_name(workbook))
    print(where_saved(store.workbook, store.location))
    return store
