"""Careless and hostile inputs get a clear answer and nothing is lost (the numbered cases of the hardening review)."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from openpyxl import load_workbook

import kamwidgets as kw
from kamwidgets._files import file_stem
from kamwidgets.export import Report, write_markdown
from kamwidgets.reports import key_account_reports
from kamwidgets.store import Store


# -- 5: exporting the store to a folder, or into a missing folder ------------------------------------------
def test_store_export_to_a_folder_or_a_missing_folder_says_so_and_leaves_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="Room/Ann")
    store.save("note", {"text": "kept"})
    with pytest.raises(kw.KamDataError, match="is a folder, not a file name"):
        store.export(tmp_path)
    with pytest.raises(kw.KamDataError, match="the folder does not exist"):
        store.export(tmp_path / "missing" / "out.json")
    assert not list(tmp_path.rglob("*.part"))
    assert store.load("note") == {"text": "kept"}
    assert json.loads(store.export(tmp_path / "ok.json").read_text())["workbook"] == "Room/Ann"


# -- 13: a number too large to compute with --------------------------------------------------------------
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


# -- 14: control characters and over-long text in a spreadsheet ------------------------------------------
def test_control_characters_export_as_visible_marks_and_nothing_is_dropped(tmp_path):
    names = ["Acme\x00Corp", "Beta\x01", "tab\x0bhere", "unit\x1fsep", "ok\tline\nbreak"]
    frame = pd.DataFrame({"account": names, "revenue": [1, 2, 3, 4, 5], "note\x02": ["a"] * 5})
    path = kw.export_workbook(tmp_path / "x.xlsx", {"Portfolio": frame})
    sheet = load_workbook(path)["Portfolio"]
    got = [sheet.cell(row=r, column=1).value for r in range(2, 7)]
    assert got == ["Acme\u2400Corp", "Beta\u2401", "tab\u240bhere", "unit\u241fsep", "ok\tline\nbreak"]
    assert sheet.cell(row=1, column=3).value == "note\u2402"
    assert [sheet.cell(row=r, column=2).value for r in range(2, 7)] == [1, 2, 3, 4, 5]


def test_text_longer_than_a_cell_is_refused_not_cut(tmp_path):
    frame = pd.DataFrame({"account": ["A", "B", "C"], "notes": ["short", "x" * 40_000, "also short"]})
    with pytest.raises(kw.KamDataError) as err:
        kw.export_workbook(tmp_path / "x.xlsx", {"Plans": frame})
    text = str(err.value)
    assert "'notes'" in text and "row 3" in text and "40,000" in text and "export_csv" in text
    assert not (tmp_path / "x.xlsx").exists() and not list(tmp_path.glob("*.part"))
    csv = kw.export_csv(tmp_path / "x.csv", frame)  # the way out the message gives keeps every character
    assert pd.read_csv(csv, encoding="utf-8-sig")["notes"].iloc[1] == "x" * 40_000


def test_writing_over_a_folder_is_a_clear_error(tmp_path):
    (tmp_path / "out.xlsx").mkdir()
    with pytest.raises(kw.KamDataError, match="cannot write the file"):
        kw.export_workbook(tmp_path / "out.xlsx", {"P": pd.DataFrame({"a": [1]})})
    assert not list(tmp_path.glob("*.part"))


# -- 15: user text that would become Markdown structure ---------------------------------------------------
def test_markdown_keeps_user_text_as_text(tmp_path):
    report = Report("Plan")
    report.text("para\n===")
    report.text("---")
    report.text("1. not a list\n- nor this\n+ nor this")
    report.table(pd.DataFrame({"name\nwith break": ["x"], "a|b": ["c|d\ne"]}))
    md = write_markdown(report, tmp_path / "r.md").read_text().splitlines()
    assert "para  " in md and "\\===" in md  # the === line cannot underline the paragraph into a heading
    assert "\\---" in md
    assert "1\\. not a list  " in md and "\\- nor this  " in md and "\\+ nor this" in md
    table = [line for line in md if line.startswith("|")]
    assert table[0] == "| name with break | a\\|b |"
    assert table[1] == "|---|---|" and table[2] == "| x | c\\|d e |"  # one row, two cells


# -- 16: the batch reports --------------------------------------------------------------------------------
def test_report_file_names_fit_any_file_system():
    long_name = "\U0001f600" * 100  # 400 bytes in UTF-8
    stem = file_stem("Kunde " + "\u6f22" * 100, "account")
    assert len(stem.encode("utf-8")) <= 120 and stem.startswith("Kunde")
    assert len(file_stem(long_name, "account").encode("utf-8")) <= 120


def test_reports_for_accounts_with_very_long_non_latin_names_are_all_written(tmp_path):
    names = [f"{i} " + "\u0416" * 100 for i in range(6)] + ["\U0001f600" * 100]
    classified = kw.classify(
        pd.DataFrame({"account": names, "revenue": range(1, 8), "share": range(7, 0, -1)}),
        {"revenue": 1},
        {"share": 1},
        thresholds=(0, 0),
    )
    written = key_account_reports(classified, tmp_path / "out", progress=False)
    assert len(written) == 2 * len(names) and all(p.exists() for p in written)


def test_a_damaged_saved_plan_gets_a_clear_error(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    classified = kw.classify(
        pd.DataFrame({"account": ["A", "B"], "revenue": [1, 2], "share": [2, 1]}),
        {"revenue": 1},
        {"share": 1},
        thresholds=(0, 0),
    )
    store.save("account_plan", {"settings": []}, account="A")
    with pytest.raises(kw.KamDataError, match="saved account plan of 'A' is not in the shape"):
        key_account_reports(classified, tmp_path / "out", store=store, progress=False)


# -- 8: mixed decimal marks in one column are refused, never misread ---------------------------------------------
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


# -- 9: headers the CSV rules allow ------------------------------------------------------------------------------
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


# -- 10: customers called NA, None, null or nan in Excel ----------------------------------------------------------
def _xlsx(path, header: list[str], rows: list[list]):
    from openpyxl import Workbook

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


# -- 11: dates as people and programs write them -----------------------------------------------------------------
def _first_dates(frame: pd.DataFrame) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kw.KamDataWarning)  # too few months for growth: expected here
        out = kw.accounts_from_transactions(frame, account="account", value="value", date="date")
    return [d.strftime("%Y-%m-%d") for d in out.sort_values("account")["first_date"]]


def test_dates_with_single_digits_zones_and_number_forms_are_read(write):
    text = write("d.csv", "account,value,date\nA,1,2024-1-5 10:00\nB,2,2024-02-03\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kw.KamDataWarning)
        sums = kw.accounts_from_transactions(text, account="account", value="value", date="date")
    assert [d.strftime("%Y-%m-%d") for d in sums["first_date"]] == ["2024-01-05", "2024-02-03"]
    base = {"account": ["A", "B"], "value": [1, 2]}
    zoned = pd.to_datetime(["2024-01-05 23:30", "2024-02-01"], format="ISO8601").tz_localize("America/New_York")
    assert _first_dates(pd.DataFrame(dict(base, date=zoned))) == ["2024-01-06", "2024-02-01"]  # in UTC
    mixed = [pd.Timestamp("2024-01-05", tz="UTC"), pd.Timestamp("2024-02-01 12:00", tz="Asia/Tokyo")]
    assert _first_dates(pd.DataFrame(dict(base, date=mixed))) == ["2024-01-05", "2024-02-01"]
    assert _first_dates(pd.DataFrame(dict(base, date=[20240105, 20240201]))) == ["2024-01-05", "2024-02-01"]
    assert _first_dates(pd.DataFrame(dict(base, date=[45296.0, 45323.0]))) == ["2024-01-05", "2024-02-01"]  # Excel
    with pytest.raises(kw.KamDataError, match="not a date"):
        _first_dates(pd.DataFrame(dict(base, date=[1e300, 45323.0])))


# -- 12: a UTF-8 file with one stray byte far down ----------------------------------------------------------------
def test_one_stray_byte_after_64_kb_does_not_garble_the_whole_file(write):
    body = "account,revenue\n" + "".join(f"Müller {i},{i}\n" for i in range(5000))
    path = write("enc.csv", body.encode("utf-8") + "Straße X,1\n".encode("cp1252"))
    with pytest.warns(kw.KamDataWarning, match="line.* 5002"):
        frame = kw.load_portfolio(path)
    assert frame["account"].iloc[0] == "Müller 0" and frame["account"].iloc[-1] == "Straße X"
