"""load_portfolio: files as people have them, and clear errors for bad ones."""

from __future__ import annotations

import html
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook

import kamwidgets as kw
from kamwidgets import KamDataError, KamDataWarning, load_portfolio
from kamwidgets.model.io import preview

#: Spreadsheets no installed library writes, made once (tests/data/make_spreadsheets.py).
TEST_DATA = Path(__file__).resolve().parent / "data"


def test_plain_csv_types_and_fields(write):
    path = write("p.csv", "Account,Account Manager,Revenue,Visits\nAcme,Ann,1200.5,3\nGlobex,Bob,99,1\n")
    p = load_portfolio(path)
    assert list(p.columns) == ["account", "account_manager", "Revenue", "Visits"]
    assert p["account"].tolist() == ["Acme", "Globex"]
    assert p["account_manager"].tolist() == ["Ann", "Bob"]
    assert p["Revenue"].tolist() == [1200.5, 99.0]
    assert p["Visits"].dtype == np.int64
    assert p.attrs["source"] == str(path)


def test_a_separator_after_each_rows_last_value_reads_each_value_under_its_header(write):
    """pandas takes a row's first cell as its index when every row has one cell more than the header (a
    separator after the last value): the values would be shifted one column, silently."""
    df = load_portfolio(write("p.csv", "account,revenue,margin\nAcme,100,5,\nBeta,200,7,\n"))
    assert df["account"].tolist() == ["Acme", "Beta"] and df["revenue"].tolist() == [100, 200]
    assert df["margin"].tolist() == [5, 7]


def test_bom_and_messy_headers(write):
    text = "\ufeff Customer  Name ;Sales Rep;  Spend 2025 \nAcme;Ann;10\nGlobex;;20\n"
    p = load_portfolio(write("bom.csv", text))
    assert list(p.columns) == ["account", "account_manager", "Spend 2025"]
    assert p["account_manager"].isna().tolist() == [False, True]


def test_cp1252_and_latin1(write):
    text = "account,city,revenue\nMüller GmbH,Köln,5\nÇafé Señor,Málaga,7\n"
    with pytest.warns(KamDataWarning, match="windows-1252"):  # read right, and the encoding is named
        p = load_portfolio(write("win.csv", text, encoding="cp1252"))
    assert p["account"].tolist() == ["Müller GmbH", "Çafé Señor"]
    # a byte no Western encoding has (0x81) between letters: no encoding is clear, so no control
    # character is loaded as a name; the message says to save the file as UTF-8
    raw = b"account,note\nA\x81B,x\n"
    with pytest.raises(KamDataError, match="save it as CSV UTF-8"):
        load_portfolio(write("latin.csv", raw))


def test_utf16_and_tabs(write):
    text = "account\trevenue\nAcme\t1,5\nGlobex\t2,25\n"
    p = load_portfolio(write("u16.txt", text.encode("utf-16")))
    assert p["revenue"].tolist() == [1.5, 2.25]


def test_semicolon_decimal_comma_and_thousands(write):
    text = "Kunde;Umsatz;Marge;Anteil\nAlpha AG;1.234,50;12,5;40%\nBeta AG;987,00;8,25;5,5%\nGamma AG;12.000;10;100%\n"
    p = load_portfolio(write("de.csv", text), columns={"account": "Kunde"})
    assert p["Umsatz"].tolist() == [1234.5, 987.0, 12000.0]
    assert p["Marge"].tolist() == [12.5, 8.25, 10.0]
    assert p["Anteil"].tolist() == pytest.approx([0.40, 0.055, 1.0])


def test_currency_percent_and_negative_text(write):
    text = 'account,revenue,share,balance,plain\nA,"$1,200.00",50%,(300),"1,234,567"\nB,$950.50,12.5 %,"-1,000",7\n'
    p = load_portfolio(write("us.csv", text))
    assert p["revenue"].tolist() == [1200.0, 950.5]
    assert p["share"].tolist() == pytest.approx([0.5, 0.125])
    assert p["balance"].tolist() == [-300.0, -1000.0]
    assert p["plain"].tolist() == [1234567, 7]


def test_ids_keep_leading_zeros_and_are_text(write):
    p = load_portfolio(write("ids.csv", "customer id,revenue\n00123,5\n00456,6\n"))
    assert p["account"].tolist() == ["00123", "00456"]
    frame = pd.DataFrame({"account": [1001, 1002], "x": [1, 2]})
    assert load_portfolio(frame)["account"].tolist() == ["1001", "1002"]


def test_text_stays_text_and_missing_markers(write):
    p = load_portfolio(write("t.csv", "account,revenue,region\nA,10,North\nB,n/a,\nC,12,South\n"))
    assert p["revenue"].tolist()[0] == 10 and np.isnan(p["revenue"].iloc[1])
    assert p["region"].isna().tolist() == [False, True, False]
    mixed = load_portfolio(write("m.csv", "account,revenue\nA,10\nB,ask Tom\n"))
    assert mixed["revenue"].tolist() == ["10", "ask Tom"]  # not a number column: left as text


def test_excel_file_and_sheets(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Notes"
    ws.append(["nothing here"])
    data = wb.create_sheet("Accounts")
    data.append(["Client", "Owner", "Revenue", "Share"])
    data.append(["Acme", "Ann", 1200.5, 0.4])
    data.append([1001, "Bob", "$950", "20%"])
    wb.save(path)
    p = load_portfolio(path, sheet="Accounts")
    assert p["account"].tolist() == ["Acme", "1001"]
    assert p["account_manager"].tolist() == ["Ann", "Bob"]
    assert p["Revenue"].tolist() == [1200.5, 950.0]
    assert p["Share"].tolist() == pytest.approx([0.4, 0.2])
    with pytest.raises(KamDataError, match="no sheet 'Sales'.*'Notes', 'Accounts'"):
        load_portfolio(path, sheet="Sales")
    # an .xlsx with a .csv name is still read as Excel
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(path.read_bytes())
    assert load_portfolio(renamed, sheet=1)["account"].tolist() == ["Acme", "1001"]


def test_missing_file_names_it(tmp_path):
    with pytest.raises(KamDataError, match=r"nope\.csv: file not found"):
        load_portfolio(tmp_path / "nope.csv")


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(KamDataError, match="is a folder"):
        load_portfolio(tmp_path)


@pytest.mark.parametrize("content", [b"", b"   \n\n"])
def test_empty_file(write, content):
    with pytest.raises(KamDataError, match="empty"):
        load_portfolio(write("empty.csv", content))


def test_header_but_no_rows(write):
    with pytest.raises(KamDataError, match="no rows"):
        load_portfolio(write("h.csv", "account,revenue\n\n"))


def test_binary_garbage(write):
    rng = np.random.default_rng(1)
    with pytest.raises(KamDataError, match="does not look like a text table"):
        load_portfolio(write("junk.csv", rng.integers(0, 256, 4000, dtype=np.uint8).tobytes()))


def test_damaged_excel(write):
    with pytest.raises(KamDataError, match="not a readable Excel"):
        load_portfolio(write("bad.xlsx", b"PK\x03\x04 this is not really a zip"))


def test_a_damaged_xls_is_refused_by_name(write):
    with pytest.raises(KamDataError, match=r"old\.xls: .*Excel 97-2003 \(\.xls\).*damaged.*save it as \.xlsx or CSV"):
        load_portfolio(write("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))


def test_an_xls_file_is_read_with_its_sheets_types_and_accents(tmp_path):
    # made once by tests/data/make_spreadsheets.py (no installed library writes .xls)
    path = TEST_DATA / "accounts.xls"
    p = load_portfolio(path, sheet="Accounts")
    assert p["account"].tolist() == ["Acme", "1001", "Société Générale"]
    assert p["account_manager"].tolist() == ["Ann", "Bob", "Zoë"]
    assert p["Revenue"].tolist() == [1200.5, 950.0, 3000.0]
    assert p["Share"].tolist() == pytest.approx([0.4, 0.2, 0.1])
    assert list(p["Since"]) == [pd.Timestamp("2019-03-01"), pd.Timestamp("2021-11-15"), pd.Timestamp("2024-01-05")]
    assert p.attrs["source"] == f"{path} [sheet 'Accounts']"
    assert load_portfolio(path, sheet=1)["account"].tolist() == p["account"].tolist()
    assert preview(path, sheet=1).sheets == ["Notes", "Accounts"]
    with pytest.raises(KamDataError, match="has no sheet number 2 \\(it has 2: 'Notes', 'Accounts'\\)"):
        load_portfolio(path, sheet=2)
    renamed = tmp_path / "export.csv"  # the bytes say what a file is, not its name
    renamed.write_bytes(path.read_bytes())
    assert load_portfolio(renamed, sheet="Accounts")["account"].tolist() == p["account"].tolist()


def _ods(path, sheets):
    """Write an OpenDocument spreadsheet: a zip of XML, ``sheets`` maps a name to rows of cells."""

    def cell(value):
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            kind, shown = f'"float" office:value="{value}"', value
        elif isinstance(value, pd.Timestamp):
            shown = f"{value:%Y-%m-%d}"
            kind = f'"date" office:date-value="{shown}"'
        else:
            kind, shown = '"string"', html.escape(value)
        return f"<table:table-cell office:value-type={kind}><text:p>{shown}</text:p></table:table-cell>"

    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join("<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    office = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}:office:1.0" '
        f'xmlns:table="{office}:table:1.0" xmlns:text="{office}:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{office}:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        book.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        book.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_file_is_read_with_its_sheets(tmp_path):
    path = _ods(
        tmp_path / "book.ods",
        {
            "Notes": [["nothing here"]],
            "Kunden": [
                [None, None],  # blank rows above the table
                [None, None],
                ["Kunde", "Umsatz", "Seit"],
                ["Müller GmbH", 1200.5, pd.Timestamp("2020-02-01")],
                ["0042", 950, pd.Timestamp("2022-06-30")],
            ],
        },
    )
    p = load_portfolio(path, sheet="Kunden")
    assert p["account"].tolist() == ["Müller GmbH", "0042"]  # a code stays text, with its zeros
    assert p["Umsatz"].tolist() == [1200.5, 950.0]
    assert list(p["Seit"]) == [pd.Timestamp("2020-02-01"), pd.Timestamp("2022-06-30")]
    assert preview(path, sheet="Kunden").sheets == ["Notes", "Kunden"]
    with pytest.raises(KamDataError, match="no sheet 'Sales'; its sheets are 'Notes', 'Kunden'"):
        load_portfolio(path, sheet="Sales")
    _ods(path, {"Kunden": [[None], ["Kunde", "Umsatz"], ["A", 1], [None, 2]]})
    with pytest.raises(KamDataError, match="the account name is empty") as err:
        load_portfolio(path)
    assert err.value.rows == [4]  # counted from the top of the sheet, blank rows above the table too
    _ods(path, {"Kunden": [["Kunde", "Umsatz"], ["A", 1], ["B", 2], ["A", 3]]})
    with pytest.raises(KamDataError, match="'A' appears more than once") as err:
        load_portfolio(path)
    assert err.value.rows == [2, 4]  # the spreadsheet's own row numbers
    _ods(path, {"Leer": [], "Kunden": [["Kunde"], ["A"]]})
    with pytest.raises(KamDataError, match="the sheet is empty"):
        load_portfolio(path)


def test_a_damaged_spreadsheet_gives_a_kam_data_error(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Client", "Revenue"])
    book.active.append(["Acme", 1])
    book.save(tmp_path / "good.xlsx")
    whole = (tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(whole[: len(whole) // 2])  # a download that stopped half way
    with pytest.raises(KamDataError, match=r"cut\.xlsx: is not a readable Excel \(\.xlsx\) file; it may be damaged"):
        load_portfolio(tmp_path / "cut.xlsx")
    ods = _ods(tmp_path / "book.ods", {"S": [["Client"], ["A"]]}).read_bytes()
    (tmp_path / "cut.ods").write_bytes(ods[: len(ods) - 40])
    with pytest.raises(KamDataError, match=r"cut\.ods: is not a readable OpenDocument \(\.ods\)"):
        load_portfolio(tmp_path / "cut.ods")


def test_duplicate_accounts_name_rows(write):
    text = "account,revenue\nAcme,1\nGlobex,2\n\nAcme,3\n"
    with pytest.raises(KamDataError) as err:
        load_portfolio(write("d.csv", text))
    assert err.value.rows == [2, 5]  # spreadsheet rows; the blank line 4 is counted
    assert "'Acme' appears more than once" in str(err.value)
    assert "accounts_from_transactions" in str(err.value)


def test_empty_account_names_row(write):
    with pytest.raises(KamDataError) as err:
        load_portfolio(write("e.csv", "account,revenue\nAcme,1\n ,2\n"))
    assert err.value.rows == [3] and err.value.column == "account"


def test_unmapped_column_is_named_with_suggestion(write):
    path = write("u.csv", "Customer Name,Revenue\nA,1\n")
    with pytest.raises(KamDataError) as err:
        load_portfolio(path, columns={"account": "Customer Nme"})
    msg = str(err.value)
    assert "no column 'Customer Nme'" in msg and "Did you mean 'Customer Name'" in msg
    assert str(path) in msg


def test_no_account_column(write):
    with pytest.raises(KamDataError, match=r"no column holds the account names.*'Spend', 'Region'"):
        load_portfolio(write("n.csv", "Spend,Region\n1,North\n"))


def test_mapping_matches_case_and_spaces_and_renames_others(write):
    path = write("c.csv", "CUSTOMER NAME,Sales 2025 (EUR)\nA,1\nB,2\n")
    p = load_portfolio(path, columns={"account": "customer name", "revenue": "Sales 2025 (EUR)"})
    assert list(p.columns) == ["account", "revenue"]


def test_too_many_cells_names_the_row(write):
    with pytest.raises(KamDataError) as err:
        load_portfolio(write("x.csv", "account,revenue\nA,1\nB,2,3\n"))
    assert err.value.rows == [3]


def test_make_ids_for_anonymous_exports(write):
    p = load_portfolio(write("w.csv", "Channel,Milk\n1,5\n2,6\n"), make_ids="Customer ")
    assert p["account"].tolist() == ["Customer 0001", "Customer 0002"]


def test_input_file_and_frame_never_modified(write):
    path = write("keep.csv", 'account,revenue\nAcme,"$1,200"\n')
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    load_portfolio(path)
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
    frame = pd.DataFrame({"Customer": [" Acme "], "Spend": ["$5"]})
    copy = frame.copy()
    load_portfolio(frame)
    pd.testing.assert_frame_equal(frame, copy)


def test_rejects_other_sources():
    with pytest.raises(KamDataError, match="cannot read a list"):
        load_portfolio([1, 2])  # type: ignore[arg-type]


def test_numbers_with_leading_zeros_stay_text(write):
    p = load_portfolio(write("z.csv", "account,postcode,revenue,code\nA,01234,5,7\nB,99999,6,8\n"))
    assert p["postcode"].tolist() == ["01234", "99999"]
    assert p["revenue"].tolist() == [5, 6] and p["code"].tolist() == [7, 8]


def test_cells_are_trimmed(write):
    p = load_portfolio(write("s.csv", "account,region,revenue\n Acme ,  North ,1\nGlobex,South, 2 \n"))
    assert p["account"].tolist() == ["Acme", "Globex"]
    assert p["region"].tolist() == ["North", "South"]
    assert p["revenue"].tolist() == [1, 2]


def test_text_column_starting_with_words_keeps_every_cell(write):
    rows = "".join(f"A{i},note {i}\n" for i in range(300)) + "A300,42\n"
    p = load_portfolio(write("n.csv", "account,note\n" + rows))
    assert p["note"].iloc[-1] == "42" and p["note"].iloc[0] == "note 0"


def test_encoding_decided_by_bytes_beyond_the_first_block(write):
    rows = "".join(f"Account {i},{i}\n" for i in range(6000))  # well past the 64 KB decoded up front
    raw = ("account,revenue\n" + rows).encode("utf-8") + "Caf\u00e9 M\u00fcller,1\n".encode("cp1252")
    with pytest.warns(KamDataWarning, match="line.* 6002"):  # the stray bytes are named
        p = load_portfolio(write("late.csv", raw))
    assert p["account"].iloc[-1] == "Caf\u00e9 M\u00fcller" and len(p) == 6001


def test_a_long_load_shows_progress(write, monkeypatch, capsys):
    from kamwidgets.model.load import _bytes as model_io

    path = write("big.csv", "account,revenue\n" + "".join(f"A{i},{i}\n" for i in range(2000)))
    load_portfolio(path)
    assert "Loading the portfolio" not in capsys.readouterr().err  # small: no bar
    monkeypatch.setattr(model_io, "PROGRESS_FROM", 1000)
    assert len(load_portfolio(path)) == 2000
    assert "Loading the portfolio" in capsys.readouterr().err


def test_semicolon_thousands_dots_without_any_decimal_comma(write):
    p = load_portfolio(
        write("eu.csv", "Kunde;Umsatz;Anteil\nAlpha GmbH;1.234;12.5\nBeta AG;12.000;3.25\nGamma KG;500;7\n")
    )
    assert p["Umsatz"].tolist() == [1234, 12000, 500]
    assert p["Anteil"].tolist() == [12.5, 3.25, 7.0]  # dots that are not thousands stay decimals


def test_a_leading_zero_is_never_a_group_of_thousands(write):
    us = load_portfolio(write("us.csv", 'account,rate,margin\nA,"0,300",0.125\nB,"0,050",0.250\n'))
    assert us["rate"].tolist() == [0.3, 0.05]  # 0.3, not 300: no one writes three hundred as 0,300
    eu = load_portfolio(write("eu.csv", "Kunde;Quote;Umsatz\nAlpha;0.300;1.234\nBeta;0.050;12.000\n"))
    assert eu["Quote"].tolist() == [0.3, 0.05] and eu["Umsatz"].tolist() == [1234, 12000]


def test_quoted_padded_keys_are_trimmed(write):
    with pytest.raises(KamDataError, match="'Acme' appears more than once"):
        load_portfolio(write("q.csv", 'account,revenue\n"Acme ",1\nAcme,2\n'))


def test_empty_and_numeric_headers(write, tmp_path):
    p = load_portfolio(write("t.csv", "Customer;Revenue;;\nA;1;;\nB;2;;\n"))
    assert list(p.columns) == ["account", "Revenue"]
    p = load_portfolio(write("u.csv", "Customer,,Revenue\nA,x,1\nB,y,2\n"))
    assert list(p.columns) == ["account", "column 2", "Revenue"]
    book = openpyxl.Workbook()
    book.active.append(["Client", 2024, 2025, 2025])
    book.active.append(["A", 1, 2, 3])
    book.save(tmp_path / "y.xlsx")
    with pytest.raises(KamDataError, match="the header '2025' appears 2 times"):
        load_portfolio(tmp_path / "y.xlsx")
    book = openpyxl.Workbook()
    book.active.append(["Client", 2024, 2025])
    book.active.append(["A", 1, 2])
    book.active.append(["B", 3, 1])
    book.save(tmp_path / "z.xlsx")
    p = load_portfolio(tmp_path / "z.xlsx")
    assert list(p.columns) == ["account", "2024", "2025"]
    from kamwidgets import classify

    assert classify(p, {"2025": 1}, {"2024": 1})["segment"].notna().all()


def test_codes_with_leading_zeros_keep_missing_markers(write):
    p = load_portfolio(write("c.csv", "account,code\nA,0123\nB,\nC,n/a\n"))
    assert p["code"].tolist()[0] == "0123" and p["code"].isna().tolist() == [False, True, True]


# -- a number too large to compute with --------------------------------------------------------------
@pytest.mark.parametrize(
    "body", ["A,1e309\nB,5\n", 'A,1e309\nB,"1,200"\n', "A,-1e400\nB,2\n"], ids=["plain", "with-thousands", "negative"]
)
def test_an_overflowing_number_is_named_not_read_as_infinity(write, body):
    path = write("big.csv", "account,revenue\n" + body)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning leaks out of the parsing
        with pytest.raises(kw.KamDataError) as err:
            kw.load_portfolio(path)
    text = str(err.value)
    assert "big.csv" in text and "'revenue'" in text and "row 2" in text and "too large" in text


# -- mixed decimal marks in one column are refused, never misread ---------------------------------------------
def test_mixed_decimal_marks_are_named_not_misread(write):
    path = write("mixed.csv", 'account,revenue\nA,"1,234.56"\nB,"2,000.00"\nC,"1.234,56"\n')
    with pytest.raises(kw.KamDataError) as err:
        kw.load_portfolio(path)
    text = str(err.value)
    assert "mixes decimal marks" in text and "'revenue'" in text and "row 4" in text and "row 2" not in text
    orders = write("orders.csv", 'account,value\nA,"1,234.56"\nA,"1.234,56"\nA,"9,999.00"\n')
    with pytest.raises(kw.KamDataError, match="mixes decimal marks"):
        kw.accounts_from_transactions(orders, account="account", value="value")
    one_way = write("one.csv", 'account,revenue\nA,"1,234.56"\nB,"2,000.50"\n')  # consistent: read as written
    assert kw.load_portfolio(one_way)["revenue"].tolist() == [1234.56, 2000.5]


# -- headers the CSV rules allow ------------------------------------------------------------------------------
def test_headers_longer_than_64_kb_with_line_breaks_or_old_mac_line_ends(write):
    wide = write(
        "wide.csv",
        ",".join(["account"] + [f"c{i}" for i in range(12_000)]) + "\n" + ",".join(["A"] + ["1"] * 12_000) + "\n",
    )
    frame = kw.load_portfolio(wide)
    assert frame.shape == (1, 12_001) and list(frame.columns[-2:]) == ["c11998", "c11999"]
    mac = write("mac.csv", "account,revenue\rA,1\rB,2\r")
    assert kw.load_portfolio(mac)["revenue"].tolist() == [1, 2]
    quoted = write("quoted.csv", 'account,"annual\nrevenue"\nA,1\nB,2\n')
    assert kw.load_portfolio(quoted).iloc[:, 1].tolist() == [1, 2]


# -- customers called NA, None, null or nan in Excel ----------------------------------------------------------
def _xlsx(path, header: list[str], rows: list[list]):
    book = Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.save(path)
    return path


def test_excel_accounts_named_like_missing_values_are_kept(tmp_path):
    names = ["NA", "None", "null", "nan", "N/A", "Real"]
    rows = [[name, (i + 1) * 100] for i, name in enumerate(names)]
    _xlsx(tmp_path / "p.xlsx", ["account", "revenue"], rows)
    assert kw.load_portfolio(tmp_path / "p.xlsx")["account"].tolist() == names
    _xlsx(tmp_path / "t.xlsx", ["account", "value"], rows)
    sums = kw.accounts_from_transactions(tmp_path / "t.xlsx", account="account", value="value")
    assert sorted(sums["account"]) == sorted(names) and sums["revenue"].sum() == 2100
