"""The batch of account-plan reports: one account's saved plan in the wrong shape costs only its own report."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets._files import file_stem
from kamwidgets.cli import main
from kamwidgets.reports import ReportsNotWritten, key_account_reports
from kamwidgets.store import Store

ACCOUNTS = ["Alfa Lda", "Bravo SA", "Charlie GmbH"]


@pytest.fixture()
def batch(tmp_path):
    """A portfolio whose three accounts are all key accounts, and a store with two good plans and one bad."""
    portfolio = tmp_path / "portfolio.csv"
    pd.DataFrame({"account": ACCOUNTS, "revenue": [1, 2, 3], "share": [3, 2, 1]}).to_csv(portfolio, index=False)
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"attractiveness": {"revenue": 1}, "strength": {"share": 1}, "thresholds": [0, 0]}))
    store = Store(tmp_path / "work.sqlite")
    for account in ("Alfa Lda", "Charlie GmbH"):
        plan = kw.AccountPlan(account)
        plan.controls["direction"].value = f"Where {account} and we are going together"
        plan.save(store, account=account)
    store.save("account_plan", {"settings": {"texts": "typed over by hand"}}, account="Bravo SA")
    store.close()
    return portfolio, settings, tmp_path / "work.sqlite", tmp_path / "out"


def _classified():
    return kw.classify(
        pd.DataFrame({"account": ACCOUNTS, "revenue": [1, 2, 3], "share": [3, 2, 1]}),
        {"revenue": 1},
        {"share": 1},
        thresholds=(0, 0),
    )


def test_the_batch_writes_every_report_it_can_and_names_the_account_it_could_not(batch, capsys):
    portfolio, settings, store, out = batch
    code = main(["reports", str(portfolio), "--settings", str(settings), "--store", str(store), "--out", str(out)])
    captured = capsys.readouterr()
    assert code != 0
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".html", ".md")) == [
        "Alfa-Lda.html",
        "Alfa-Lda.md",
        "Charlie-GmbH.html",
        "Charlie-GmbH.md",
    ]
    assert "Where Charlie GmbH and we are going together" in (out / "Charlie-GmbH.html").read_text(encoding="utf-8")
    assert "2 account plans written" in captured.out
    lines = [line for line in captured.err.splitlines() if line.startswith("kamwidgets: no report for")]
    assert len(lines) == 1  # one line per account not written, with why
    assert "'Bravo SA'" in lines[0] and "texts missing or of the wrong kind" in lines[0]
    assert "Alfa" not in captured.err and "Charlie" not in captured.err


def test_the_command_exits_non_zero_after_writing_the_others(batch):
    portfolio, settings, store, out = batch
    done = subprocess.run(
        [sys.executable, "-m", "kamwidgets", "reports", str(portfolio), "--settings", str(settings)]
        + ["--store", str(store), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    assert (out / "Alfa-Lda.md").exists() and (out / "Charlie-GmbH.md").exists()
    assert not (out / "Bravo-SA.md").exists()
    assert "no report for 'Bravo SA'" in done.stderr


def test_from_python_the_error_comes_after_the_other_reports_with_which_and_why(batch):
    _, _, store, out = batch
    with Store(store) as opened, pytest.raises(ReportsNotWritten) as err:
        key_account_reports(_classified(), out, store=opened, progress=False)
    assert list(err.value.failed) == ["Bravo SA"]
    assert sorted(p.name for p in err.value.written) == ["Alfa-Lda.html", "Alfa-Lda.md", "Charlie-GmbH.html"] + [
        "Charlie-GmbH.md"
    ]
    assert all(p.exists() for p in err.value.written)
    assert isinstance(err.value, kw.KamDataError) and "'Bravo SA'" in str(err.value)


def test_a_swot_that_does_not_fit_and_work_saved_by_a_newer_release_are_named_too(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.save(
        "swot",
        {"settings": {"items": [{"quadrant": "hope", "text": "x", "importance": 3}], "strategies": []}},
        account="Alfa Lda",
    )
    store.save("account_plan", {"settings": {"texts": {}}, "version": 99}, account="Charlie GmbH")
    with pytest.raises(ReportsNotWritten) as err:
        key_account_reports(_classified(), tmp_path / "out", store=store, progress=False)
    assert list(err.value.failed) == ["Alfa Lda", "Charlie GmbH"]
    assert "saved SWOT of 'Alfa Lda' does not fit" in err.value.failed["Alfa Lda"]
    assert "newer kamwidgets" in err.value.failed["Charlie GmbH"]
    assert "\n" not in "".join(err.value.failed.values())
    assert [p.name for p in err.value.written] == ["Bravo-SA.html", "Bravo-SA.md"]


def test_a_swot_saved_by_the_previous_release_reaches_the_report(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.save(
        "swot",
        {
            "settings": {
                "subject": "Alfa Lda",
                "items": [{"quadrant": "threat", "text": "A rival", "importance": 4}],
                "strategies": [{"cross": "WT", "strategy": "Second source for the resin", "owner": "Ana"}],
            }
        },
        account="Alfa Lda",
    )
    written = key_account_reports(_classified(), tmp_path / "out", store=store, progress=False)
    assert len(written) == 6
    page = (tmp_path / "out" / "Alfa-Lda.md").read_text(encoding="utf-8")
    assert "Second source for the resin" in page and "protective" in page


# -- the batch reports --------------------------------------------------------------------------------
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
