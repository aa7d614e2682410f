"""Your own data without code: the picker, the store per workbook, downloads, and tables with bad rows.

Counts are checked against plain pandas on the real files in data/real/.
"""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.model.io import Upload, load_mapped, preview
from kamwidgets.widgets._front_end import style

from .conftest import REAL


def _bytes(name: str) -> bytes:
    return (REAL / name).read_bytes()


@pytest.fixture
def store_at(tmp_path):
    return lambda workbook: kw.open_store(tmp_path / "work.db", workbook=workbook)


# ------------------------------------------------------------------ the model
def test_preview_guesses_a_crm_pipeline_as_opportunities():
    p = preview(Upload("crm_sales_pipeline.csv", _bytes("crm_sales_pipeline.csv")))
    assert p.kind == "transactions" and p.confident
    assert p.guesses["account"] == "account" and p.guesses["value"] == "close_value"
    assert p.guesses["stage"] == "deal_stage" and p.guesses["owner"] == "sales_agent"
    assert p.rows == len(pd.read_csv(REAL / "crm_sales_pipeline.csv"))


def test_preview_of_a_list_without_names_says_so():
    p = preview(Upload("wholesale_customers.csv", _bytes("wholesale_customers.csv")))
    assert p.kind == "accounts" and p.guesses["account"] is None
    assert p.make_ids and p.confident  # every column is a number: nothing could be the names
    assert any("rows are numbered" in n for n in p.notes)
    named = preview(pd.DataFrame({"Who": ["Acme", "Globex"], "Spend": [1, 2]}))
    assert not named.make_ids and not named.confident and any("pick it" in n for n in named.notes)


def test_repeated_names_without_dates_are_not_taken_for_orders():
    p = preview(pd.DataFrame({"account": ["A", "A"], "revenue": [1, 2]}))
    assert p.kind == "accounts" and not p.confident and any("repeat" in n for n in p.notes)
    with pytest.raises(kw.KamDataError, match="appears more than once"):
        load_mapped(pd.DataFrame({"account": ["A", "A"], "revenue": [1, 2]}), "accounts", p.guesses)


def test_load_mapped_refuses_one_column_for_two_fields():
    frame = pd.DataFrame({"Customer": ["A"], "Amount": [1]})
    with pytest.raises(kw.KamDataError, match="chosen for two fields"):
        load_mapped(frame, "transactions", {"account": "Customer", "value": "Customer"})


def test_an_excel_upload_lists_its_sheets():
    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="Notes", index=False)
        pd.DataFrame({"Customer": ["Acme", "Globex"], "Revenue": [1, 2]}).to_excel(xl, sheet_name="Data", index=False)
    up = Upload("book.xlsx", book.getvalue())
    assert preview(up).sheets == ["Notes", "Data"]
    assert list(load_mapped(up, "accounts", {"account": "Customer"}, sheet="Data")["account"]) == ["Acme", "Globex"]


# ------------------------------------------------------------------ the picker
def test_going_back_to_the_sample_after_choosing_a_sheet_saves_settings_that_restore(store_at):
    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        pd.DataFrame({"Customer": ["Acme", "Globex"], "Revenue": [1, 2]}).to_excel(xl, sheet_name="Data", index=False)
        pd.DataFrame({"Team": ["North"], "Manager": ["Ana"]}).to_excel(xl, sheet_name="Teams", index=False)
    store = store_at("default")
    picker = kw.DataPicker(store)
    picker.load_file("book.xlsx", book.getvalue())
    picker.sheet = "Teams"
    picker.use_sample()
    assert picker.sheet == "" and not picker.error
    saved = picker.restore(store)  # what was saved last: the sample's choices
    assert saved["settings"]["sheet"] == "" and picker.sheet == "" and not picker.error
    assert kw.DataPicker(store).restore(store)["settings"]["file"] == ""  # a new picker, as in the next lesson


def test_the_wholesale_list_is_loaded_with_numbered_accounts():
    picker = kw.DataPicker()
    assert picker.value.attrs["source"] == kw.samples.SAMPLE_LABEL and not picker.from_file
    picker.load_file("wholesale_customers.csv", _bytes("wholesale_customers.csv"))
    expected = len(pd.read_csv(REAL / "wholesale_customers.csv"))
    assert len(picker.value) == expected and picker.value["account"].is_unique
    assert picker.summary_text == f"{expected:,} accounts from wholesale_customers.csv."
    assert picker.make_ids and not picker.error


def test_the_pipeline_is_summed_per_account_and_its_warnings_are_shown():
    raw = pd.read_csv(REAL / "crm_sales_pipeline.csv")
    picker = kw.DataPicker()
    picker.load_file("crm_sales_pipeline.csv", _bytes("crm_sales_pipeline.csv"))
    accounts = raw["account"].dropna().nunique()
    assert len(picker.value) == accounts
    rows = int(raw["account"].notna().sum())  # every opportunity with an account counts (won ones for revenue)
    won_rows = int((raw["account"].notna() & (raw["deal_stage"] == "Won")).sum())
    assert picker.summary_text == (
        f"{rows:,} opportunities summed into {accounts:,} accounts from crm_sales_pipeline.csv: "
        f"revenue is the sum of 'close_value' over the {won_rows:,} won."
    )
    won = raw[raw["deal_stage"] == "Won"].groupby("account")["close_value"].sum()
    got = picker.value.set_index("account")["revenue"]
    pd.testing.assert_series_equal(got[won.index].astype(float), won.astype(float), check_names=False)
    missing = int(raw["account"].isna().sum())
    assert any(f"{missing:,} rows" in n for n in picker.notes)
    assert f"{missing:,} rows" in picker.note_html.value  # shown on the page, not only in a log


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "does not look like"),
        ("empty.csv", b"", "empty"),
        ("header.csv", b"account,revenue\n", "no rows"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "97-2003"),
    ],
)
def test_a_broken_file_shows_a_message_and_keeps_the_portfolio(name, content, words):
    picker = kw.DataPicker()
    before = picker.value
    picker.load_file(name, content)
    assert words in picker.error and name in picker.error
    assert "Traceback" not in picker.message.value and words in picker.message.value
    assert picker.value is before


def test_a_mapping_the_guesses_missed_is_loaded_with_the_button():
    picker = kw.DataPicker()
    picker.load_file("odd.csv", b"Who,Spend,Rep\nAcme,10,Ann\nGlobex,20,Bo\n")
    assert not picker.make_ids  # there is a column of names: the user picks it, rows are not numbered
    assert not picker.from_file and "Load" in picker.summary.value  # not sure: it waits
    picker.controls["map_account"].value = "Who"
    picker.controls["load"].click()
    assert picker.from_file and list(picker.value["account"]) == ["Acme", "Globex"]


def test_the_preview_shows_the_files_headers_as_the_column_lists_offer_them():
    picker = kw.DataPicker()
    picker.load_file("crm.csv", b"client_name,total_spend\nAcme,10\nGlobex,20\n")
    offered = [value for _, value in picker.controls["map_account"].options if value]
    assert offered == ["client_name", "total_spend"]
    assert all(f"<th>{name}</th>" in picker.head.value for name in offered)  # not "client name"


def test_names_that_look_like_html_stay_text():
    picker = kw.DataPicker()
    picker.load_file("<b>x</b>.csv", b"account,revenue\n<script>alert(1)</script>,5\nB,6\n")
    page = picker.head.value + picker.summary.value
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>x</b>" not in page


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    picker = kw.DataPicker()
    picker.controls["upload"].max_bytes = 100
    before = picker.value
    picker.controls["upload"].receive("big.csv", b"account,revenue\n" + b"A,1\n" * 100)
    assert "more than" in picker.error and picker.value is before
    assert "more than" in picker.controls["upload"].status


def test_the_line_under_the_file_chooser_names_the_file_in_use():
    """The browser's own "No file chosen" stood above "Received NAME": that input is hidden (js/files.js) and the
    line under the chooser says which file the portfolio in use comes from, whatever happened since."""
    picker = kw.DataPicker()
    upload = picker.controls["upload"]
    assert upload.status == "In use: the sample portfolio (no file of yours)."
    upload.receive("accounts.csv", b"account,revenue\nA,5\nB,6\n")
    assert upload.status == "In use: accounts.csv." and "accounts.csv" in picker.summary.value
    upload.receive("broken.csv", b"")  # not read: the portfolio in use stays, and so does the line
    assert picker.error and upload.status == "In use: accounts.csv."
    picker.use_sample()
    assert upload.status == "In use: the sample portfolio (no file of yours)."


def test_the_kinds_of_row_wrap_in_a_narrow_window():
    """At 360 px, "One order or opportunity per row (summed per account)" ran over the choice below it."""
    kinds = kw.DataPicker().controls["row_kind"]
    assert "kam-long-options" in kinds._dom_classes and kinds.layout.max_width == "100%"
    rule = re.search(r"\.kam-long-options \.widget-radio-box label\s*\{([^}]*)\}", style("files"))
    assert rule and "height: auto" in rule.group(1) and "white-space: normal" in rule.group(1)


def test_an_upload_arrives_in_pieces():
    drop = kw.FileDrop()
    got = []
    drop.on_file(lambda name, content: got.append((name, content)))
    drop._message(None, {"event": "start", "name": "a.csv", "size": 6}, [])
    drop._message(None, {"event": "chunk", "index": 0}, [memoryview(b"abc")])
    drop._message(None, {"event": "chunk", "index": 1}, [memoryview(b"def")])
    drop._message(None, {"event": "end", "name": "a.csv", "size": 6}, [])
    assert got == [("a.csv", b"abcdef")]
    drop._message(None, {"event": "start", "name": "b.csv", "size": 9}, [])
    drop._message(None, {"event": "chunk", "index": 0}, [memoryview(b"abc")])
    drop._message(None, {"event": "end", "name": "b.csv", "size": 9}, [])
    assert len(got) == 1 and "incomplete" in drop.status


def test_a_large_upload_says_how_much_has_arrived():
    drop = kw.FileDrop()
    said = []
    drop.observe(lambda change: said.append(change["new"]), "status")
    size = 8 * 2**20
    drop._message(None, {"event": "start", "name": "orders.csv", "size": size}, [])
    for i in range(8):
        drop._message(None, {"event": "chunk", "index": i}, [memoryview(b"x" * 2**20)])
    drop._message(None, {"event": "end", "name": "orders.csv", "size": size}, [])
    assert "Receiving orders.csv: 50% (4.0 MB of 8.0 MB)" in said
    assert said[-1] == "Received orders.csv (8.0 MB)." and not any("100%" in s for s in said)
    assert len(said) <= 11  # read out by screen readers: once a tenth at most, not once a piece


def test_a_file_read_for_seconds_says_so_and_how_far_it_has_got_then_what_it_loaded(monkeypatch):
    from kamwidgets.model.load import _bytes

    monkeypatch.setattr(_bytes, "PROGRESS_FROM", 100)  # this small file counts as a large one
    picker = kw.DataPicker()
    shown = []
    picker.summary.observe(lambda change: shown.append(change["new"]), "value")
    picker.load_file("big & new.csv", b"account,revenue\n" + b"".join(b"A%d,%d\n" % (i, i) for i in range(300)))
    assert picker.from_file and len(picker.value) == 300
    reading = [s for s in shown if "Reading <b>big &amp; new.csv</b>" in s]
    assert reading and any(s.endswith("%</p>") for s in reading)  # the share read, in the headline
    assert "300 accounts from big &amp; new.csv" in shown[-1]  # then what was loaded
    picker.load_file("broken.csv", b"account,revenue\n")
    assert "no rows" in picker.error and "300 accounts from big &amp; new.csv" in picker.summary.value


def test_the_portfolio_is_kept_per_workbook(store_at):
    ana = kw.DataPicker(store_at("room/ana"))
    ana.load_file("crm_accounts.csv", _bytes("crm_accounts.csv"))
    expected = len(pd.read_csv(REAL / "crm_accounts.csv"))
    again = kw.DataPicker(store_at("room/ana"))  # the next lesson, or a reload
    assert again.from_file and len(again.value) == expected
    assert again.summary_text == f"{expected:,} accounts from crm_accounts.csv."
    assert len(kw.my_portfolio(store_at("room/ana"))) == expected
    ben = kw.DataPicker(store_at("room/ben"))  # another participant
    assert not ben.from_file and ben.value.attrs["source"] == kw.samples.SAMPLE_LABEL
    assert kw.my_portfolio(store_at("room/ben")).attrs["source"] == kw.samples.SAMPLE_LABEL
    again.use_sample()  # what was loaded can be put aside
    assert kw.my_portfolio(store_at("room/ana")).attrs["source"] == kw.samples.SAMPLE_LABEL


# ------------------------------------------------------------------ classifying any portfolio
def test_the_workbench_takes_a_portfolio_without_the_sample_columns():
    wholesale = kw.load_portfolio(REAL / "wholesale_customers.csv", make_ids=True)
    w = kw.ClassificationWidget(wholesale, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    assert not w.error and "no figures for revenue, growth potential" in w.message.value  # in words, not an error
    numbers = [c for c in wholesale.columns if c not in ("account", "Channel", "Region")]
    assert set(w.weights) == set(numbers)
    assert w.value["segment"].notna().all()
    bare = kw.ClassificationWidget(kw.load_portfolio(REAL / "crm_accounts.csv"))
    assert set(bare.weights) <= {"revenue", "employees", "year_established"} and not bare.error


def test_a_portfolio_with_one_number_column_says_what_to_do():
    bench = kw.ClassificationWidget(pd.DataFrame({"account": ["A", "B"], "revenue": [1, 2]}))
    assert bench.value is None and "at least one for each axis" in bench.error and "Load a file" in bench.error
    with pytest.raises(kw.KamDataError, match="at least one for each axis"):
        kw.model.criteria.suggest_criteria(pd.DataFrame({"account": ["A", "B"], "revenue": [1, 2]}))


# ------------------------------------------------------------------ bad rows are kept and pointed at
BAD_ROWS = {
    "BuyerChart": (
        lambda rows: kw.BuyerChart(rows),
        [{"buyer": "Ana", "interest": 15, "involvement": 5}, {"buyer": "Rui", "interest": 3, "involvement": 4}],
        ("interest", "outside 0-10"),
    ),
    "DecisionUnit": (
        lambda rows: kw.DecisionUnit(rows),
        [
            {"person": "Ana", "function": "Purchasing", "role": "buyer", "influence": 12, "coverage": "none"},
            {"person": "Rui", "function": "Technical", "role": "user", "influence": 5, "coverage": "none"},
        ],
        ("influence", "outside 0-10"),
    ),
    "StakeholderMap": (
        lambda rows: kw.StakeholderMap(rows),
        [
            {"person": "Ana", "function": "Purchasing", "stance": "friend", "influence": 5},
            {"person": "Rui", "function": "Technical", "stance": "supporter", "influence": 6},
        ],
        ("stance", "not one of"),
    ),
    "ContactMatrix": (
        lambda rows: kw.ContactMatrix(rows),
        [
            {"our_side": "Sales", "their_side": "Purchasing", "frequency": "sometimes", "owner": "M"},
            {"our_side": "Tech", "their_side": "Quality", "frequency": "monthly", "owner": "T"},
        ],
        ("frequency", "not one of"),
    ),
    "SwotGrid": (
        lambda rows: kw.SwotGrid(rows),
        [{"quadrant": "S", "text": "Service", "importance": 9}, {"quadrant": "threat", "text": "Rival"}],
        ("importance", "outside 1-5"),
    ),
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_a_table_with_a_bad_row_keeps_every_row_and_says_which(name):
    make, rows, (column, words) = BAD_ROWS[name]
    widget = make(rows)
    assert words in widget.error and f"column {column!r}" in widget.error and "row 1" in widget.error
    assert len(widget.editor.rows()) == len(rows)  # nothing dropped
    bad = widget.controls[f"{widget.editor._prefix}0.{column}"]
    given = rows[0][column]
    shown = float(bad.value) if isinstance(given, (int, float)) else bad.value
    assert shown == given  # shown as given, not clamped to the range or replaced by another choice
    assert words in widget.editor._lines[0][1].value  # the message is on that line
    assert len(widget.value) == len(rows) - 1  # the result holds the rows that pass


def test_tables_come_in_the_shapes_people_have_them():
    contacts = kw.ContactMatrix(
        pd.DataFrame({"Our side": ["Sales"], "Their side": ["Purchasing"], "Frequency": ["weekly"], "Owner": ["M"]})
    )
    assert not contacts.error and list(contacts.value["their_side"]) == ["Purchasing"]
    wide = kw.SwotGrid(pd.DataFrame({"Strengths": ["Service", "Stock"], "Threats": ["New rival", None]}))
    assert not wide.error and sorted(wide.value["quadrant"]) == ["strength", "strength", "threat"]
    spelled = kw.SwotGrid([{"quadrant": q, "text": q} for q in ("Strengths", "S", "weakness", "O")])
    assert list(spelled.value["quadrant"]) == ["strength", "strength", "weakness", "opportunity"]


# ------------------------------------------------------------------ downloads
def test_downloads_give_files_that_open(store_at, sample_classified):
    classified = sample_classified
    plan = kw.AccountPlan("Istmar <S.A.>", classified=classified)
    swot = kw.SwotGrid([{"quadrant": "strength", "text": "=HYPERLINK(1)"}])
    store = store_at("ana")
    plan.save(store)
    take = kw.Downloads(classified=classified, plan=plan, swot=swot, store=store, name="Istmar <S.A.>")
    name, data = take.buttons["excel"].file()
    assert name == "Istmar-S-A-summary.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Accounts", "Balance"] and book["Accounts"].max_row == len(classified) + 1
    _, html = take.buttons["plan_html"].file()
    assert b"Istmar &lt;S.A.&gt;" in html and b"<S.A.>" not in html
    _, md = take.buttons["plan_markdown"].file()
    assert md.startswith(b"# ")
    _, page = take.buttons["swot_html"].file()
    assert b"HYPERLINK" in page
    _, workbook = take.buttons["workbook"].file()
    assert [a["kind"] for a in json.loads(workbook)["artefacts"]] == ["account_plan"]


def test_a_download_is_sent_to_the_browser_when_asked(monkeypatch):
    button = kw.DownloadButton("Notes", "notes.md", lambda: "# hello")
    sent = []
    monkeypatch.setattr(button, "send", lambda content, buffers=None: sent.append((content, buffers)))
    button._message(None, {"event": "request"}, [])
    assert sent == [({"event": "file", "filename": "notes.md", "mime": "text/markdown"}, [b"# hello"])]
    seen = []  # what the page shows while the file is made (seconds for a large Excel file)
    slow = kw.DownloadButton("Summary", "summary.xlsx", lambda: seen.append(slow.status) or b"xlsx")
    monkeypatch.setattr(slow, "send", lambda content, buffers=None: None)
    slow._message(None, {"event": "request"}, [])
    assert seen == ["Making summary.xlsx \u2026"] and slow.status == "summary.xlsx (1 KB)"
    broken = kw.DownloadButton("Broken", "x.xlsx", lambda: 1 / 0)
    broken._message(None, {"event": "request"}, [])
    assert "Could not make x.xlsx" in broken.status


# ------------------------------------------------------------------ the wrap-up on someone else's file
def test_the_wrap_up_runs_on_a_portfolio_with_none_of_the_sample_columns(tmp_path, monkeypatch, sample_portfolio):
    """The last lesson, executed as nbval executes it, on the wholesale list loaded through the picker."""
    import nbclient
    import nbformat

    from .conftest import ROOT

    url = f"sqlite:///{tmp_path / 'work.sqlite'}"
    store = kw.open_store(url, workbook="test/wrap-up")
    kw.DataPicker(store).load_file("wholesale_customers.csv", _bytes("wholesale_customers.csv"))
    sample_columns = set(sample_portfolio.columns) - {"account"}
    assert not sample_columns & set(kw.my_portfolio(store).columns)
    monkeypatch.setenv("KAMWIDGETS_DB_URL", url)
    monkeypatch.setenv("QUERY_STRING", "workbook=test/wrap-up")  # as Voila hands it to the kernel
    nb = nbformat.read(ROOT / "notebooks" / "15_wrap_up.ipynb", as_version=4)
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    assert "440 accounts from wholesale_customers.csv" in shown
    assert "KamDataError" not in shown and "Traceback" not in shown


def test_the_empty_tables_of_the_exercises_work_from_the_start(store_at):
    """Each people exercise starts from an empty table kept in the store; nothing fails before a row is added."""
    store = store_at("ana")
    contacts = kw.ContactMatrix().keep(store, account="my key account", delay=0)
    spectrum = kw.SpectrumWidget(contacts=contacts)
    assert not spectrum.error and spectrum.value.loc["today", "number"] == 0
    assert "Next step: a first regular contact" in spectrum.summary.value
    for widget in (kw.DecisionUnit(), kw.StakeholderMap(contacts=contacts), kw.SwotGrid()):
        assert not widget.error and widget.value.empty
    contacts.editor.add_row({"our_side": "Sales", "their_side": "Purchasing", "frequency": "weekly", "owner": "Me"})
    again = kw.ContactMatrix().keep(store, account="my key account")  # the next lesson finds the row
    assert list(again.value["their_side"]) == ["Purchasing"]


def test_the_one_page_summary_shows_the_whole_path(sample_classified):
    classified = sample_classified
    account = classified.loc[classified["segment"] == "Key account", "account"].iloc[0]
    spectrum = kw.SpectrumWidget(8, 6, contacts=kw.sample_path("account_contacts"))
    buyers = kw.BuyerChart(kw.sample_path("account_buyers"))
    plan = kw.AccountPlan(account, classified=classified)
    ready = kw.MakingItHappen(classified)
    take = kw.Downloads(
        summary=lambda: kw.export.summary_report(
            account,
            classified=classified,
            spectrum=spectrum.value,
            buyers=buyers.value,
            plan=plan.value,
            readiness=ready.value,
        ),
        name=account,
    )
    name, page = take.buttons["summary"].file()
    text = page.decode("utf-8")
    assert name.endswith("-summary.html") and "<script" not in text  # prints as it is, nothing to load
    counts = classified["segment"].value_counts()
    for label, n in counts.items():
        assert f"<td>{label}</td>" in text and f"<td>{n}</td>" in text
    assert ": Key account (attractiveness" in text and spectrum.value.loc["recommended", "label"] in text
    assert buyers.value["buyer"].iloc[0] in text and "Are we ready?" in text


def test_the_excel_summary_puts_the_course_classification_first_with_the_hand_and_its_reason(
    store_at, sample_portfolio
):
    portfolio = sample_portfolio
    rules = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    matrix = kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    account = matrix.loc[matrix["segment"] == "Opportunistic account", "account"].iloc[0]
    rules.place_by_hand(account, "key", "=SUM(A1) they asked us for a joint plan")
    take = kw.Downloads(classified=matrix, rules=rules, name="Maria")
    _, data = take.buttons["excel"].file()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Course classification", "Balance (course)", "Matrix classification", "Balance (matrix)"]
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Course classification", engine="calamine")
    row = sheet[sheet["account"] == account].iloc[0]
    assert row["bucket"] == "Key account" and row["placed by"] == "by hand"
    assert row["reason"].endswith("they asked us for a joint plan")
    cell = next(c for c in book["Course classification"]["E"] if c.value and "joint plan" in str(c.value))
    assert cell.data_type == "s"  # a reason is text in the file, never a live formula
    balance = pd.read_excel(io.BytesIO(data), sheet_name="Balance (course)", engine="calamine")
    assert {"account manager", "hours per week", "too many key accounts"} <= set(balance.columns)
    assert balance.loc[0, "Key account"] == (rules.value["segment"] == "Key account").sum()
    matrix_sheet = pd.read_excel(io.BytesIO(data), sheet_name="Matrix classification", engine="calamine")
    assert matrix_sheet.loc[matrix_sheet["account"] == account, "segment"].iloc[0] == "Opportunistic account"


def test_the_marketing_plan_downloads_as_html_and_markdown():
    plan = kw.MarketingPlan("North <East>", 2027)
    take = kw.Downloads(marketing=plan, name="plan")
    _, html = take.buttons["marketing_html"].file()
    assert b"North &lt;East&gt;" in html and b"<East>" not in html
    name, md = take.buttons["marketing_markdown"].file()
    assert name == "plan-marketing-plan.md" and b"2027" in md


def test_a_lessons_tables_alone_download_as_a_spreadsheet(store_at):
    store = store_at("ana")
    choice = kw.AccountChoice(["Acme", "Globex"]).keep(store, delay=0)
    contacts = kw.ForAccount(choice, lambda a: kw.ContactMatrix().keep(store, account=a, delay=0))
    contacts.tool.set_rows([{"our_side": "Quality", "their_side": "Quality", "frequency": "quarterly"}])
    take = kw.Downloads(tables={"Contacts": contacts}, name="contacts")
    assert list(take.buttons) == ["excel"]
    _, data = take.buttons["excel"].file()
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Contacts", engine="calamine")
    assert sheet[["our_side", "their_side", "frequency"]].values.tolist() == [["Quality", "Quality", "quarterly"]]
    choice.controls["account"].value = "Globex"  # the file follows the account chosen when the button is pressed
    _, data = take.buttons["excel"].file()
    assert pd.read_excel(io.BytesIO(data), sheet_name="Contacts", engine="calamine").empty


def test_the_excel_summary_holds_the_matrix_weights_as_the_participant_set_them(sample_portfolio):
    bench = kw.ClassificationWidget(sample_portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    bench.controls["revenue"].value = 64
    bench.thresholds = (6.5, 5)
    _, data = kw.Downloads(classified=bench, name="x").buttons["excel"].file()
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Matrix weights", engine="calamine").set_index("criterion")
    assert sheet.loc["revenue", "weight"] == 64 and sheet.loc["revenue", "split (high from)"] == 6.5
    attractive = sheet[sheet["axis"] == "attractiveness"]
    assert attractive["share of the axis"].sum() == pytest.approx(1.0)
    assert sheet.loc["revenue", "share of the axis"] == pytest.approx(64 / (64 + 25 + 20 + 20))


def test_the_file_chooser_offers_every_spreadsheet_the_loader_reads():
    """The browser's file chooser filters by suffix: a format the loader reads but the chooser hides is lost."""
    from kamwidgets.model.load._bytes import _SUFFIX_KINDS
    from kamwidgets.widgets._transfer import FileDrop

    offered = set(FileDrop().accept.split(","))
    assert set(_SUFFIX_KINDS) | {".csv", ".txt", ".tsv"} <= offered


def test_a_revenue_column_with_a_unit_in_its_header_sizes_the_accounts_everywhere():
    """A file's "Revenue (EUR)" is its revenue: the biggest accounts come first and the matrix is sized by it."""
    csv = "Customer Name,Sales Rep,Revenue (EUR),Growth %,Share of Wallet\n" + "".join(
        f"Kunde {i:02d},Rep {i % 3},{revenue},{i % 7},{(i % 5) / 10}\n"
        for i, revenue in enumerate([500, 90_000, 7_000, 250_000, 1_200, 60_000, 30, 180_000, 4_000, 75_000])
    )
    portfolio = kw.load_portfolio(Upload("messy.csv", csv.encode()))
    biggest = portfolio.sort_values("Revenue (EUR)", ascending=False)["account"].tolist()
    assert kw.AccountChoice(portfolio).accounts == biggest
    bench = kw.ClassificationWidget(portfolio, {"Growth %": 1}, {"Share of Wallet": 1})
    assert bench.size == "Revenue (EUR)"
    segments = bench.value["segment"].cat.categories
    placed = bench.value.assign(segment=pd.Categorical(["Key account"] * len(portfolio), categories=segments))
    pilots = kw.model.readiness.suggest_pilots(placed.drop(columns=["attractiveness"]))
    assert pilots["account"].tolist() == biggest[:3]
    plan = kw.widgets.MakingItHappen(placed)
    assert list(plan.controls["pilots"].options) == biggest
    plan.controls["pilots"].value = ()
    unscored = kw.widgets.MakingItHappen(placed.drop(columns=["attractiveness"]))
    unscored.controls["pilots"].value = ()
    assert unscored.first_pilot == biggest[0]  # with no pilot chosen, the biggest account by its own revenue


def test_the_size_of_an_account_is_an_amount_not_a_ratio_and_the_larger_of_two_years():
    size_column = kw.model.criteria.size_column
    frame = pd.DataFrame({"account": ["A", "B"], "Revenue growth %": [3.0, -1.0], "Revenue (EUR)": [9.0, 4.0]})
    assert size_column(frame) == "Revenue (EUR)"
    frame = pd.DataFrame({"account": ["A"], "Sales share": [0.4], "Umsatz 2024": [100.0], "Umsatz 2025": [120.0]})
    assert size_column(frame) == "Umsatz 2025"
    assert size_column(pd.DataFrame({"account": ["A"], "Revenue per order": [5.0], "spend_share": [0.1]})) is None
    sized = kw.portfolio_matrix(
        kw.classify(frame.assign(x=[1.0]), {"x": 1}, {"x": 1}).assign(**{"Umsatz 2025": [120.0]})
    )
    assert "bubble area: Umsatz 2025" in sized.layout.title.text  # the chart's default finds it too


def test_the_size_column_reads_each_header_once(monkeypatch):
    criteria = kw.model.criteria
    read: list[str] = []
    normalise = criteria.normalise_name
    monkeypatch.setattr(criteria, "normalise_name", lambda name: read.append(name) or normalise(name))
    frame = pd.DataFrame({"account": ["A"], "Sales share": [0.4], "Umsatz 2024": [100.0], "Umsatz 2025": [120.0]})
    assert criteria.size_column(frame) == "Umsatz 2025"
    assert sorted(read) == ["Sales share", "Umsatz 2024", "Umsatz 2025"]  # each number column's header, once


def test_a_load_that_fails_in_any_way_gives_the_headline_back(monkeypatch):
    from kamwidgets.widgets import picker as picker_module

    picker = kw.DataPicker()
    before = picker.summary.value
    monkeypatch.setattr(picker_module, "_quiet_preview", lambda upload: (_ for _ in ()).throw(MemoryError()))
    with pytest.raises(MemoryError):
        picker.load_file("huge.csv", b"account,revenue\nA,1\n")
    assert picker.summary.value == before and "Reading" not in picker.summary.value
