"""Stage 6, order lines as numbers: what the transactions stage sums, a big CSV read a chunk at a time.

An order export repeats a few hundred thousand accounts, a few hundred dates and salespeople over millions of
rows.  :class:`Lines` holds each row as numbers only: its account, order, product and salesperson as codes into
the distinct names (:class:`Numbering`: each distinct text tidied and numbered once), its amount, margin and
date.  The transactions stage sums those.

:func:`read_lines` fills :class:`Lines` from a CSV a chunk of :data:`CHUNK_ROWS` rows at a time, so that the
whole table is never held as text, only the numbers and the distinct names.  It reads the plain file, where
pandas' parser reads every amount as a number and every row can be summed; a file with something to report
(an amount or a date that cannot be read, a row longer than the header) raises :class:`NotPlain`, and the
caller reads it whole (:func:`~._tabular.read_rows`), which names the rows and says how to fix them.
"""

from __future__ import annotations

import io
import operator
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._bytes import Progress
from ._numbers import read_date_texts, tidy_keys, tidy_texts
from ._tabular import NA_STRINGS, Sheet, csv_options

#: Rows of a CSV read at once by :func:`read_lines`: memory holds one chunk as text, and the numbers of all rows.
CHUNK_ROWS = 1_000_000


@dataclass
class Lines:
    """Order lines as numbers, one entry per row that names an account (rows without one are already left out).

    ``account`` is a code into ``accounts`` (the names, in the order they first appear); ``order``, ``product``
    and ``owner`` are codes into their own distinct values, -1 where the cell is empty (``owners`` names the
    salespeople).  ``counted`` marks the rows that count (won), None when all do; ``won`` and ``decided``
    give a win rate (None without one).  ``no_account`` is how many rows named no account, and the first.
    """

    label: str
    accounts: np.ndarray
    account: np.ndarray
    value: np.ndarray
    counted: np.ndarray | None = None
    won: np.ndarray | None = None
    decided: np.ndarray | None = None
    date: np.ndarray | None = None
    margin: np.ndarray | None = None
    order: np.ndarray | None = None
    product: np.ndarray | None = None
    owner: np.ndarray | None = None
    owners: np.ndarray | None = None
    no_account: tuple[int, object] = (0, None)


class NotPlain(Exception):
    """The CSV has something :func:`read_lines` does not report by row: read it whole instead."""


class Numbering:
    """Distinct texts numbered in the order they first appear, over any number of chunks.

    Each chunk's cells are numbered among themselves as it is read (:meth:`add`); :meth:`finish` numbers the
    distinct cells of all chunks at once, tidies each once (``tidy``: trimmed, None for no value) and gives
    every row its number: cells that tidy to the same text share one, a cell with no value gets -1.
    """

    def __init__(self, tidy: Callable[[Iterable[str]], list[str | None]]) -> None:
        self.tidy = tidy
        self.local: list[np.ndarray] = []  # each row's number among its chunk's distinct cells
        self.distinct: list[np.ndarray] = []  # each chunk's distinct cells

    def add(self, cells: np.ndarray) -> np.ndarray:
        """Take a chunk's cells (an object array of text, NaN for an empty cell); their numbers in the chunk."""
        local, distinct = pd.factorize(cells)  # NaN is -1
        self.local.append(local.astype(np.int32))
        self.distinct.append(np.asarray(distinct, dtype=object))
        return local

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, names)``: every row's number (-1: no value) and the distinct tidy texts it numbers."""
        everywhere, raw = pd.factorize(np.concatenate(self.distinct) if self.distinct else np.empty(0, dtype=object))
        raw = np.asarray(raw, dtype=object)
        tidied = self.tidy(raw)
        if all(map(operator.is_, tidied, raw)):  # nothing trimmed or emptied: the raw numbers stand
            number, names = everywhere, raw
        else:
            merged, distinct_names = pd.factorize(np.array(tidied, dtype=object))  # None is -1
            number, names = merged[everywhere], np.asarray(distinct_names, dtype=object)
        codes = np.empty(sum(len(local) for local in self.local), dtype=np.int32)
        row = offset = 0
        for local, distinct in zip(self.local, self.distinct, strict=True):
            codes[row : row + len(local)] = np.append(number[offset : offset + len(distinct)], -1)[local]
            row, offset = row + len(local), offset + len(distinct)
        self.local, self.distinct = [], []
        return codes, names


#: The fields read as codes, with how their cells are tidied (as :func:`~._numbers.as_text_keys` or
#: :func:`~._numbers.text_cells` read them).
_CODED = {"account": tidy_keys, "owner": tidy_keys, "order": tidy_texts, "product": tidy_texts, "date": tidy_texts}
#: The fields read as numbers.
_NUMBERS = ("value", "margin")


def read_lines(opened: Sheet, found: Mapping[str, str], progress: Progress | None = None) -> Lines:
    """The rows of an opened CSV as :class:`Lines`, read :data:`CHUNK_ROWS` at a time; :class:`NotPlain` when the
    file needs its rows named (the caller then reads it whole)."""
    if opened.csv is None or not set(found) <= set(_CODED) | set(_NUMBERS):
        raise NotPlain
    header = opened.header
    place = {field: header.index(name) for field, name in found.items()}
    numbering = {field: Numbering(_CODED[field]) for field in found if field in _CODED}
    numbers: dict[str, list[np.ndarray]] = {field: [] for field in _NUMBERS if field in found}
    blank: list[np.ndarray] = []  # the rows with no value at all (not counted as rows without an account)
    buffer = io.BytesIO(opened.csv.raw)
    start = 0
    for chunk in _read_ahead(_chunks(buffer, opened, {place[f] for f in numbering})):
        if len(chunk.columns) != len(header) or not isinstance(chunk.index, pd.RangeIndex):
            raise NotPlain  # (rows longer than the header: pandas made their first cells the index)
        no_cell = numbering["account"].add(chunk.iloc[:, place["account"]].to_numpy(dtype=object)) < 0
        if no_cell.any():  # only a row with no account can be blank
            empty = chunk.loc[no_cell].isna().to_numpy().all(axis=1)
            blank.append(np.flatnonzero(no_cell)[empty] + start)
        for field, column in numbering.items():
            if field != "account":
                column.add(chunk.iloc[:, place[field]].to_numpy(dtype=object))
        for field, parts in numbers.items():
            parts.append(_numbers(chunk.iloc[:, place[field]]))
        start += len(chunk)
        if progress is not None:
            progress.part(buffer.tell() / max(len(opened.csv.raw), 1))
    return _assemble(opened.label, numbering, numbers, np.concatenate(blank) if blank else np.empty(0, dtype=int))


def _read_ahead(chunks: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``chunks``, the next one read in a thread while the one before is numbered.  pandas' parser and the
    numbering hold the interpreter most of the time, so the overlap is partial: measured at 10 million lines
    with the second core free it wins (11.6-13.0 s against 14.2-14.6 s read in turn); with the second core
    busy it loses about a second."""
    box: queue.Queue[tuple[pd.DataFrame | None, BaseException | None]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def read() -> None:
        try:
            for chunk in chunks:
                box.put((chunk, None))
                if stop.is_set():
                    return
            box.put((None, None))
        except BaseException as exc:  # handed to the reader of the chunks, raised there
            box.put((None, exc))

    thread = threading.Thread(target=read, name="kamwidgets-csv-chunks", daemon=True)
    thread.start()
    try:
        while True:
            chunk, error = box.get()
            if error is not None:
                raise error
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()
        while thread.is_alive():  # let a chunk being read be put down, so the thread can end
            try:
                box.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()


def _chunks(buffer: io.BytesIO, opened: Sheet, keys: set[int]) -> Iterator[pd.DataFrame]:
    """The CSV's rows in chunks, read as :func:`~._tabular.read_rows` reads them (the coded columns as text)."""
    assert opened.csv is not None
    width = len(opened.header)
    try:
        reader = pd.read_csv(
            buffer,
            chunksize=CHUNK_ROWS,
            dtype={i: object for i in keys},
            na_values={i: ([""] if i in keys else list(NA_STRINGS)) for i in range(width)},
            **csv_options(opened),
        )
        yield from reader
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        raise NotPlain from None


def _numbers(cells: pd.Series) -> np.ndarray:
    """A chunk's amounts (or margins) where pandas' parser read them as numbers; else :class:`NotPlain`."""
    if not (pd.api.types.is_numeric_dtype(cells.dtype) or pd.api.types.is_bool_dtype(cells.dtype)):
        raise NotPlain  # text among the numbers: the whole column decides how it is read
    return cells.to_numpy(dtype=float)


def _assemble(
    label: str, numbering: dict[str, Numbering], numbers: dict[str, list[np.ndarray]], blank: np.ndarray
) -> Lines:
    """The chunks' numbers joined into :class:`Lines`, rows without an account left out (and counted)."""
    account, accounts = numbering["account"].finish()
    keep = account >= 0
    no_account = ~keep
    no_account[blank] = False
    if not keep.any():
        raise NotPlain  # no rows, or none with an account: the whole reading says which
    value = np.concatenate(numbers["value"])[keep]
    if np.isnan(value).any():
        raise NotPlain  # a row that counts has no amount
    first = int(np.argmax(no_account)) + 2 if no_account.any() else None  # the file's row (header: 1)
    lines = Lines(label, accounts, account[keep], value, no_account=(int(no_account.sum()), first))
    if "margin" in numbers:
        lines.margin = np.concatenate(numbers["margin"])[keep]
    for field in ("order", "product", "owner"):
        if field in numbering:
            codes, names = numbering[field].finish()
            setattr(lines, field, codes[keep])
            if field == "owner":
                lines.owners = names
    if "date" in numbering:
        codes, names = numbering["date"].finish()
        codes = codes[keep]
        read = np.empty(0, dtype="datetime64[us]")
        if len(names):
            read = read_date_texts(pd.Series(names, dtype="str")).to_numpy(dtype="datetime64[us]")
        dates = np.append(read, np.datetime64("NaT", "us"))[codes]  # -1, no date: the last
        if np.isnat(dates[codes >= 0]).any():
            raise NotPlain  # a date that cannot be read
        lines.date = dates
    return lines
