"""A CSV of order lines read a chunk at a time: the same sums, counts and messages as the file read whole."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pandas as pd
import pytest

from kamwidgets import KamDataError, KamDataWarning, accounts_from_transactions
from kamwidgets.model.load import _bytes, _lines, _transactions
from kamwidgets.model.load._lines import NotPlain
from kamwidgets.model.load._numbers import as_text_keys, text_cells, tidy_keys, tidy_texts

CALL = dict(account="Customer", value="Sales", date="Date", order="Order", owner="Rep", product="Product")
HEADER = "Order,Date,Customer,Rep,Product,Sales,Note\n"


@pytest.fixture
def chunks_of(monkeypatch):
    """Read CSVs ``n`` rows at a time."""

    def _set(n: int) -> None:
        monkeypatch.setattr(_lines, "CHUNK_ROWS", n)

    return _set


@pytest.fixture
def whole(monkeypatch):
    """Read CSVs whole (the path the chunks fall back to), to compare."""

    def _read(*args, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(_transactions, "read_lines", _refuse)
            return accounts_from_transactions(*args, **kwargs)

    return _read


def _refuse(*args, **kwargs):
    raise NotPlain


@pytest.fixture
def chunked_only(monkeypatch):
    """Called, fails any later reading of a file whole: the chunks must do it."""

    def _fail(*args, **kwargs):
        raise AssertionError("read whole")

    return lambda: monkeypatch.setattr(_transactions, "read_rows", _fail)


def _export(n: int = 400, seed: int = 5) -> str:
    """Order lines with what a real export has: accounts and orders all over the file, an order under two
    accounts, padded cells, 'n/a' order ids, rows with no account, blank rows and salespeople tied."""
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(n):
        account = f"Customer {rng.integers(0, 25)}"
        account = f"  {account} " if i % 17 == 0 else account
        order = "n/a" if i % 31 == 0 else f"SO-{rng.integers(0, 90)}"
        date = f"202{rng.integers(2, 5)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        rep = f"Rep {rng.integers(0, 3)}"
        lines.append(f"{order},{date},{account},{rep},P{rng.integers(0, 12)},{rng.integers(1, 9000) / 4},x")
    lines[50] = "SO-1,2024-02-02,,Rep 1,P1,5.0,x"  # no account: row 52 of the file
    lines[120] = ",,,,,,"  # blank: neither summed nor counted as a row without an account
    lines[121] = ",,   ,,,,note only"  # no account, a note: counted
    return HEADER + "\n".join(lines) + "\n"


@pytest.mark.parametrize("size", [1, 7, 64, 1000])
def test_chunks_of_any_size_give_what_the_whole_file_gives(write, whole, chunks_of, chunked_only, size):
    path = write("orders.csv", _export())
    with pytest.warns(KamDataWarning, match="2 rows with no 'Customer' were left out \\(first: row 52\\)"):
        expected = whole(path, **CALL)
    chunks_of(size)
    chunked_only()
    with pytest.warns(KamDataWarning, match="2 rows with no 'Customer' were left out \\(first: row 52\\)"):
        got = accounts_from_transactions(path, **CALL)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs
    assert "appear under more than one account" in got.attrs["notes"][0]  # SO-n repeats across accounts


def test_an_account_over_several_chunks_sums_and_its_orders_count_once(write, chunks_of, chunked_only):
    rows = ["A-1,2024-01-05,Acme,Ann,P1,10", "A-1,2024-01-05,Acme,Ann,P2,5", "B-1,2024-02-01,Beta,Bob,P1,1"]
    rows += ["A-2,2024-03-05,Acme,Bob,P1,7", "A-1,2024-01-05,Acme ,Ann,P1,3", "B-1,2024-02-01,Beta,Bob,P3,2"]
    path = write("orders.csv", HEADER.replace(",Note", "") + "\n".join(rows) + "\n")
    chunks_of(2)
    chunked_only()  # A-1 is in the first, second and third chunk
    with pytest.warns(KamDataWarning, match="less than the 23 months"):
        out = accounts_from_transactions(path, **CALL).set_index("account")
    assert out.loc["Acme", "revenue"] == 25.0 and out.loc["Acme", "orders"] == 2
    assert out.loc["Acme", "products"] == 2 and out.loc["Acme", "account_manager"] == "Ann"
    assert out.loc["Beta", "revenue"] == 3.0 and out.loc["Beta", "orders"] == 1
    assert list(out.index) == ["Acme", "Beta"]  # in the order they first appear


def _with(content: str, row: int, cell: str, value: str) -> str:
    """``content`` with one cell (by header) of one file row (header: 1) changed."""
    lines = content.splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(cell)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("cell", "value", "problem"),
    [
        ("Sales", "lots", "has no amount or text that is not a number"),
        ("Sales", "", "has no amount or text that is not a number"),
        ("Date", "someday", "has a date that cannot be read"),
    ],
)
def test_a_bad_cell_in_a_later_chunk_is_named_by_its_row_in_the_file(write, chunks_of, cell, value, problem):
    content = _with(_with(_export(), 300, cell, value), 301, cell, value)
    path = write("orders.csv", content)
    chunks_of(64)  # rows 300 and 301 of the file are in the fifth chunk
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KamDataWarning)
        with pytest.raises(KamDataError, match=problem) as err:
            accounts_from_transactions(path, **CALL)
    assert err.value.rows == [300, 301] and err.value.column == cell
    assert "orders.csv" in str(err.value) and "rows 300" in str(err.value)


def test_a_row_longer_than_the_header_is_named_as_before(write, chunks_of):
    path = write("orders.csv", _export() + "SO-1,2024-01-01,Acme,Ann,P1,5,x,extra\n")
    chunks_of(64)
    with pytest.raises(KamDataError, match="a row has more cells than the header") as err:
        accounts_from_transactions(path, **CALL)
    assert err.value.rows == [402]


def test_the_reading_thread_ends_when_the_chunks_stop_early(write, chunks_of):
    path = write("orders.csv", _with(_export(), 10, "Sales", "lots"))
    chunks_of(3)
    with warnings.catch_warnings(), pytest.raises(KamDataError):
        warnings.simplefilter("ignore", KamDataWarning)
        accounts_from_transactions(path, **CALL)
    assert not [t for t in threading.enumerate() if t.name == "kamwidgets-csv-chunks"]


def test_amounts_written_with_currency_are_read_whole_as_before(write, chunks_of):
    path = write("o.csv", 'acc;amount\nA;"1.000,00 €"\nB;"500,00 €"\nA;"2,50 €"\n')
    chunks_of(1)
    out = accounts_from_transactions(path, account="acc", value="amount")
    assert out["revenue"].tolist() == [1002.5, 500.0]


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\x0b"])
def test_an_account_padded_with_any_space_is_one_account_whichever_way_the_file_is_read(write, whole, space):
    """No-break and other spaces at a cell's edge are trimmed by the chunks, by the whole read (where one
    cell such as "1,000" sends the file) and in a frame in memory alike."""
    rows = f"Customer,Sales\nZed{space},1\nZed,2\nAcme,3\n"
    frame = pd.DataFrame({"Customer": [f"Zed{space}", "Zed", "Acme"], "Sales": [1, 2, 3]})
    chunked = accounts_from_transactions(write("a.csv", rows), account="Customer", value="Sales")
    read_whole = whole(write("b.csv", rows), account="Customer", value="Sales")
    in_memory = accounts_from_transactions(frame, account="Customer", value="Sales")
    for out in (chunked, read_whole, in_memory):
        assert out["account"].tolist() == ["Zed", "Acme"] and out["revenue"].tolist() == [3, 3]


def test_cells_are_tidied_one_by_one_as_the_whole_column_is():
    cells = ["a", " a ", "", "  ", "n/a", " N/A ", "NULL", "nUlL", "#DIV/0!", "-", "--", "x-", "None", "0", "00123"]
    column = pd.Series(cells, dtype="str")
    assert tidy_texts(cells) == [None if pd.isna(v) else v for v in text_cells(column)]
    assert tidy_keys(cells) == [None if pd.isna(v) else v for v in as_text_keys(column)]
    same = "already tidy"
    assert tidy_texts([same])[0] is same and tidy_keys([same])[0] is same


def test_the_progress_bar_moves_through_the_reading(write, monkeypatch, chunks_of):
    monkeypatch.setattr(_bytes, "PROGRESS_FROM", 0)
    seen: list[float] = []
    part = _bytes.Progress.part
    monkeypatch.setattr(_bytes.Progress, "part", lambda self, f: (seen.append(f), part(self, f)))
    chunks_of(50)
    path = write("orders.csv", _export())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KamDataWarning)
        accounts_from_transactions(path, **CALL)
    assert len(seen) == 8 and seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize("size", [1, 1000])
def test_a_separator_after_every_rows_last_value_keeps_each_value_under_its_header(write, chunks_of, size):
    """Some exports end every row with a separator: one empty cell more than the header. pandas would take each
    row's first cell as its index and shift every value one column; the values stay where they belong."""
    chunks_of(size)
    path = write("o.csv", "Customer,Sales,Margin\nAcme,100,5,\nBeta,200,7,\nAcme,1,2,\n")
    out = accounts_from_transactions(path, account="Customer", value="Sales")
    assert out["account"].tolist() == ["Acme", "Beta"] and out["revenue"].tolist() == [101, 200]


def test_extra_values_past_the_header_on_every_row_are_refused_not_read_shifted(write):
    path = write("p.csv", "account,revenue,margin\nAcme,100,5,x\nBeta,200,7,y\n")
    with pytest.raises(KamDataError, match=r"p\.csv, row 2: every row has 1 more cell\(s\) than the header"):
        accounts_from_transactions(path, account="account", value="revenue")


def test_a_bad_amount_is_quoted_with_its_row_written_as_people_read_numbers(tmp_path):
    lines = [f"O{i},C{i % 40},{i}.50" for i in range(1500)]
    lines[1200] = 'O1200,C0,"12,3x"'
    path = tmp_path / "orders.csv"
    path.write_text("Order,Customer,Amount\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(KamDataError) as err:
        accounts_from_transactions(path, account="Customer", value="Amount", order="Order")
    said = str(err.value)
    assert "column 'Amount', row 1,202" in said and "'12,3x'" in said  # the header is row 1
