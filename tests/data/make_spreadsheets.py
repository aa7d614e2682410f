"""Make ``accounts.xls``: an Excel 97-2003 workbook, for the loader's tests (``tests/test_model_io.py``).

No library the workbook installs can write .xls (python-calamine only reads),
so the file is committed, made once with xlwt in a throwaway environment::

    python3 -m venv /tmp/xlwt && /tmp/xlwt/bin/pip install xlwt==1.3.0
    /tmp/xlwt/bin/python tests/data/make_spreadsheets.py tests/data/accounts.xls

(.ods files are made inside the tests: an OpenDocument spreadsheet is a zip of
XML.)  The values here are the ones the tests look for; change both together.
"""

from __future__ import annotations

import datetime
import sys

#: The sheets, in order: a first sheet of notes, then the accounts.
SHEETS = {
    "Notes": [["Exported from the CRM"]],
    "Accounts": [
        ["Client", "Owner", "Revenue", "Share", "Since"],
        ["Acme", "Ann", 1200.5, 0.4, datetime.date(2019, 3, 1)],
        [1001, "Bob", "$950", "20%", datetime.date(2021, 11, 15)],
        ["Société Générale", "Zoë", 3000, 0.1, datetime.date(2024, 1, 5)],
    ],
}


def make(path: str) -> None:
    # deferred: xlwt is not installed with the workbook, and pytest imports this file looking for doctests
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in SHEETS.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    sheet.write(r, c, value, dates)
                else:
                    sheet.write(r, c, value)
    book.save(path)


if __name__ == "__main__":
    make(sys.argv[1] if len(sys.argv) > 1 else "accounts.xls")
