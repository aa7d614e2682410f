"""The lessons as a participant meets them on the workshop's server (``.ci/workshop``), in a real browser.

The list of lessons shows their titles; a name is asked for before a lesson
runs, in an empty box; once given, every link carries it and a lesson loads
once, in the participant's workbook, never in the shared ``default``.

These tests run ``.ci/workshop`` itself (its own Voila, on a free port, with a
store of its own): the list's titles and the name asked for first come from
the hooks it adds to Voila (:func:`kamwidgets.page_assets.serve`), which the
session's plain Voila (``served``, in ``test_browser.py``) does not have.
There, the list shows file names (``test_browser.py`` looks for one) and a
lesson's page asks for itself again with the remembered name.

The last test is a participant's whole morning on the workshop's server: an
order export uploaded in Start here, then every lesson opened once from the
list, on that file (issue #31).
"""

from __future__ import annotations

import csv
import datetime
import io
import pathlib
import random
import re
import time
from urllib.parse import parse_qs, quote, urlsplit

import nbformat
import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import kamwidgets as kw
from kamwidgets.model.display import column_words

from .browser_support import WIDGET_ERRORS, JupyterServer, accessibility_problems, free_port, wait_rendered
from .conftest import ROOT
from .test_app_words import CODE_WORDING

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: How Voila says it started a kernel (one per page it runs).
KERNEL_STARTED = "Kernel started:"


def _title(path) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source.splitlines()[0].lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """``bash .ci/workshop`` on a free port, with a SQLite store of its own; yields (address, store URL, server)."""
    tmp = tmp_path_factory.mktemp("workshop")
    store = f"sqlite:///{tmp / 'workshop.sqlite'}"
    env = {"KAM_PORT": str(free_port()), "KAMWIDGETS_DB_URL": store, "KAM_CULL_AFTER": "30"}
    server = JupyterServer(["/usr/bin/env", "bash", ".ci/workshop"], ROOT, tmp / "workshop.log", env=env, timeout=300)
    yield server.url, store, server
    server.stop()


def _default_history(store: str):
    return kw.open_store(store, workbook="default").history()


def _kernels(server) -> int:
    return server.log.read_text(errors="replace").count(KERNEL_STARTED)


def _lesson_links(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all("a.kam-lesson", "links => links.map(a => [a.textContent.trim(), a.href])")


def test_the_list_shows_each_lesson_by_its_title_in_the_course_order(browser, workshop):
    url, _, _ = workshop
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    try:
        page.goto(f"{url}/", timeout=120_000)
        links = _lesson_links(page)
        assert [text for text, _ in links] == [_title(path) for path in NOTEBOOKS]
        texts = [text for text, _ in links]
        assert texts[0].startswith("Start here") and texts[1].startswith("Lessons 1 to 3")
        assert texts[-3:] == [
            "Lesson 14: Customer classification",
            "Case study: classifying real customer data",
            _title(ROOT / "notebooks" / "15_wrap_up.ipynb"),
        ]
        assert texts[-1].startswith("Lesson 15")
        # Voila's render addresses, no name yet (none given)
        assert [href for _, href in links] == [f"{url}/voila/render/{path.name}" for path in NOTEBOOKS]
        body = page.inner_text("body")
        assert "Select items" not in body and ".ipynb" not in body
        assert accessibility_problems(page) == []
    finally:
        page.close()


def test_a_lesson_opened_without_a_name_asks_for_it_first_in_an_empty_box(browser, workshop):
    url, store, server = workshop
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    try:
        page.goto(f"{url}/", timeout=120_000)
        page.get_by_role("link", name="Lesson 9: The contact matrix").click()
        box = page.get_by_label("Your name", exact=False)
        box.wait_for(timeout=120_000)
        wait_rendered(page)
        assert box.input_value() == "" and box.get_attribute("placeholder") == "Your name, e.g. Ann"
        assert "?workbook=" not in page.url
        # nothing of the lesson ran: only its title and the name box are there, and nothing was saved
        text = page.inner_text("body")
        assert "Lesson 9: The contact matrix" in text and "open the lesson without a name" in text
        assert page.locator(".jp-OutputArea-output").count() == page.locator(".kam-workbook").count() == 1
        assert _default_history(store).empty
        box.click()
        page.keyboard.type("Ann")
        assert box.input_value() == "Ann"  # not "defaultAnn"
        kernels = _kernels(server)
        with page.expect_navigation(timeout=240_000):
            page.get_by_role("button", name="Use this name").click()
        assert page.url == f"{url}/voila/render/09_contact_matrix.ipynb?workbook=Ann"
        wait_rendered(page)
        assert page.get_by_label("Your name", exact=False).input_value() == "Ann"
        assert "kept under 'Ann'" in page.inner_text("body")
        assert _kernels(server) == kernels + 1 and _default_history(store).empty
    finally:
        page.close()


def test_once_named_every_link_carries_the_name_and_a_lesson_loads_once(browser, workshop):
    url, store, server = workshop
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/voila/render/00_start_here.ipynb?workbook=test/once", timeout=240_000)
        wait_rendered(page)  # the page remembers the name of its address
        link = page.locator("a[href*='09_contact_matrix.ipynb']").first  # Start here's list of lessons
        link.hover()  # pointed at: the address shown, or copied, carries the name too
        assert link.get_attribute("href").endswith("09_contact_matrix.ipynb?workbook=test%2Fonce")
        page.goto(f"{url}/", timeout=120_000)
        links = _lesson_links(page)
        assert [href for _, href in links] == [
            f"{url}/voila/render/{path.name}?workbook=test%2Fonce" for path in NOTEBOOKS
        ]
        assert "test/once" in page.inner_text("#kam-lessons-note")
        # a lesson opened from the list: one page load, one kernel, in the participant's workbook
        loads: list[str] = []
        page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/voila/render/" in r.url else None)
        kernels = _kernels(server)
        page.get_by_role("link", name="Lesson 14: Customer classification").click()
        wait_rendered(page)  # the name box is drawn by now: where the page used to load again
        lesson = f"{url}/voila/render/14_customer_classification.ipynb?workbook=test%2Fonce"
        assert loads == [lesson] and asked == [lesson]
        assert _kernels(server) == kernels + 1
        assert page.get_by_label("Your name", exact=False).input_value() == "test/once"
        # a lesson's address typed without the name: the server sends it on with it, before any kernel starts
        loads.clear()
        kernels = _kernels(server)
        page.goto(f"{url}/voila/render/12_swot.ipynb", timeout=240_000)
        wait_rendered(page)
        assert loads == [f"{url}/voila/render/12_swot.ipynb?workbook=test%2Fonce"]
        assert _kernels(server) == kernels + 1
        assert _default_history(store).empty  # nothing was ever written into the shared workbook
        assert not errors
    finally:
        context.close()


# ------------------------------------------------------------------ a participant's order export, through every lesson
#: The participant's name, typed where the first lesson asks for it.
PARTICIPANT = "Lena Park"
#: How a table that does not follow a tool says that it shows the page as it opened (lesson 14's comparison).
SAYS_START = re.compile(
    r"when the page opens|as the page opened|from the start|as it starts|before you (change|move)|reload the page", re.I
)
#: How a lesson says that what a tool shows is the sample's (the worked example), not the participant's.
SAYS_SAMPLE = re.compile(r"\bsample\b|\bfictional\b", re.I)
#: Code wording a participant cannot act on (tests/test_app_words.py); the controls name a criterion by its column
#: (the workbench's sliders), so column names are looked for in the widgets' sentences (``.kam-note``) only.
PAGE_WORDING = {what: p for what, p in CODE_WORDING.items() if what != "a column name"}
#: In a sentence: a column name, bare or quoted (as the model's unit test of the workbench's note has it,
#: test_app_words.py; the participant's own headers may be quoted), or a number with more than two decimals.
NOTE_WORDING = re.compile(r"\w_\w|'[a-z0-9_]+'|\d\.\d{3,}")

#: Each cell of the page (Voila keeps one per notebook cell, in order): what it shows, its tables, its notes.
CELLS = """
() => [...document.querySelectorAll('.jp-Cell')].map(cell => ({
  text: cell.innerText,
  tables: [...cell.querySelectorAll('table')].map(t => ({
    headers: [...t.querySelectorAll('th')].map(h => h.textContent.trim()),
    cells: [...t.querySelectorAll('td')].map(d => d.textContent.trim()),
    text: t.textContent,
  })),
  notes: [...cell.querySelectorAll('.kam-note')].map(n => n.textContent.trim()),
}))
"""


def _order_export(path, seed: int = 14) -> tuple[list[str], list[str]]:
    """A CRM's order lines, as exported: 300 lines of 40 customers and 3 salespeople over two years (2024, 2025).

    Every customer orders at least once; an order has one to three lines (products). Returns (customers, people).
    """
    rnd = random.Random(seed)
    towns = ["Brackenridge", "Corvale", "Dunmore", "Elmsworth", "Fernhill", "Glenwick", "Harrowgate", "Ivybridge"]
    towns += ["Juniper", "Kestrel", "Larkspur", "Merrowby", "Northolt", "Oakenfold", "Pellham", "Quarrington"]
    towns += ["Rosslyn", "Saxby", "Thornbury", "Upwell"]
    customers = [f"{town} {trade}" for trade in ("Foods", "Packaging") for town in towns]
    people = ["Aino Virtanen", "Bruno Keller", "Chiara Russo"]
    products = ["Sealant X2", "Gasket kit", "Pump seal", "Valve set", "Filter pack"]
    size = {c: rnd.uniform(0.2, 5) for c in customers}
    lines: list[list[object]] = []
    order = 10_000
    while len(lines) < 300:
        who = (
            customers[order - 10_000]
            if order - 10_000 < len(customers)
            else rnd.choices(customers, list(size.values()))[0]
        )
        order += 1
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rnd.randrange(731))
        for _ in range(rnd.randint(1, 3)):
            person = people[customers.index(who) % len(people)]
            lines.append(
                [f"SO-{order}", day.isoformat(), who, person, rnd.choice(products), round(rnd.uniform(80, 4000), 2)]
            )
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Order ID", "Order Date", "Customer Name", "Salesperson", "Product", "Sales"])
        writer.writerows(lines[:300])
    return customers, people


def _sample_names() -> set[str]:
    """Every name of the workbook's samples: Maria Santos's accounts, the fictional company's, Istmar's people."""
    data = ROOT / "data"
    names: set[str] = set()
    for name in ("sample_portfolio", "company_portfolio_2025", "company_portfolio_2026"):
        names |= set(pd.read_csv(data / f"{name}.csv")[["account", "account_manager"]].stack())
    for name in ("account_dmu", "account_stakeholders"):
        names |= set(pd.read_csv(data / f"{name}.csv")["person"])
    names |= set(pd.read_csv(data / "account_contacts.csv")["owner"])
    names |= {buyer.split(" (")[0] for buyer in pd.read_csv(data / "account_buyers.csv")["buyer"]}
    return names


def _page_problems(lesson: str, cells: list[dict], path, sample: set[str]) -> list[str]:
    """What a participant on their own file should not meet on a lesson's page, one line each.

    ``cells`` is :data:`CELLS` read on the page, one per cell of the notebook at ``path``.
    """
    nb = nbformat.read(path, as_version=4)
    if len(cells) != len(nb.cells):
        return [f"{lesson}: {len(cells)} cells on the page, {len(nb.cells)} in the lesson"]
    problems = []
    text = "\n".join(c["text"] for c in cells)
    problems += [f"{lesson}: shows {w!r}" for w in WIDGET_ERRORS if w in text]
    for what, pattern in PAGE_WORDING.items():
        for hit in pattern.finditer(text):
            problems.append(f"{lesson}: {what}: ...{text[max(0, hit.start() - 40) : hit.end() + 40]!r}")
    for i, (cell, source) in enumerate(zip(cells, nb.cells)):
        where = f"{lesson} cell {i}"
        problems += [f"{where}: a note in code words: {n[:160]!r}" for n in cell["notes"] if NOTE_WORDING.search(n)]
        for table in cell["tables"]:
            problems += [f"{where}: a header as a column name: {h!r}" for h in table["headers"] if "_" in h]
            for value in table["headers"] + table["cells"]:
                if re.search(r"\d\.\d{3,}", value) or re.search(r"\b(True|False|NaN)\b", value):
                    problems.append(f"{where}: a value as Python prints it: {value!r}")
        if source.cell_type != "code":
            continue
        shown = sorted(name for name in sample if name in cell["text"])
        if not shown:
            continue
        if re.search(r"\bstore\b", source.source):  # a tool on the participant's work: their file, never the sample
            problems.append(f"{where}: the participant's tool shows the sample's {shown[:3]}")
            continue
        # the sample as a worked example: the lesson says so, in the output, just above it or in its section's heading
        above = [j for j in range(i - 1, -1, -1) if nb.cells[j].cell_type == "markdown"]
        heading = next((j for j in above if nb.cells[j].source.lstrip().startswith("#")), None)
        labels = [cell["text"]] + [cells[j]["text"] for j in (above[:1] + [heading]) if j is not None]
        before = " ".join(cells[j]["text"] for j in above)
        istmar_is_sample = re.search(r"sample[^.]*\bIstmar|\bIstmar[^.]*sample", before) is not None
        if not any(SAYS_SAMPLE.search(t) or (istmar_is_sample and "Istmar" in t) for t in labels):
            problems.append(f"{where}: shows the sample's {shown[:3]} without saying it is the sample")
    return problems


def _lesson_14(page, store: str, path) -> list[str]:
    """Lesson 14's workbench: a weight moved with the keyboard changes its own tabs, and a table that stays as the
    page opened says so (the lessons' words: "when the page opens", "reload the page")."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    index = page.evaluate(
        "() => [...document.querySelectorAll('.jp-Cell')].findIndex(c => c.querySelector('.kam-buckets'))"
    )
    bench = page.locator(".jp-Cell").nth(index)
    tabs = bench.locator(".kam-buckets")  # Buckets, Balance, Time, Fragile accounts: the shown tab and the others
    shown = tabs.text_content()
    before = page.evaluate(CELLS)
    slider = bench.get_by_role("slider", name=re.compile("^weight of ")).first
    column = slider.get_attribute("aria-label").removeprefix("weight of ")  # the column's name in words
    was = float(slider.get_attribute("aria-valuenow"))
    slider.focus()
    for _ in range(10):  # ten steps: enough for the scores the tabs show with one decimal to move
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([s, was]) => Number(s.getAttribute('aria-valuenow')) > was", arg=[slider.element_handle(), was]
    )
    moved = float(slider.get_attribute("aria-valuenow"))
    kept = kw.open_store(store, workbook=PARTICIPANT)
    deadline = time.monotonic() + 60
    while _bench_weight(kept, column) != moved:  # the kernel took the move: the workbench kept it
        assert time.monotonic() < deadline, f"the workbench never kept {column} at {moved}"
        time.sleep(0.2)
    try:  # its views were sent before it was kept: the page has them, or never will
        page.wait_for_function(
            "([el, was]) => el.textContent !== was", arg=[tabs.element_handle(), shown], timeout=10_000
        )
    except PlaywrightTimeout:
        problems.append(
            f"lesson 14: the weight of {column} moved from {was:g} to {moved:g}, the workbench's tabs stayed"
        )
    after = page.evaluate(CELLS)
    reads, stays = {"bench"}, 0  # the workbench, and what the lesson works out from it
    for i, (old, new) in enumerate(zip(before, after)):
        source = nb.cells[i].source
        if nb.cells[i].cell_type != "code" or not any(re.search(rf"\b{name}\b", source) for name in reads):
            continue
        assigned = (m.group(1) for m in re.finditer(r"^([\w, ]+?)\s*=[^=]", source, flags=re.MULTILINE))
        reads |= {name.strip() for names in assigned for name in names.split(",")}  # counts, differ = ...
        if i == index or not old["tables"] or old["tables"] != new["tables"]:
            continue
        stays += 1  # a table worked out from the workbench when the page opened
        above = next(after[j]["text"] for j in range(i - 1, -1, -1) if nb.cells[j].cell_type == "markdown")
        if not SAYS_START.search(above):
            problems.append(f"lesson 14 cell {i}: a table of the workbench as the page opened does not say so")
    assert stays >= 2  # the two tables comparing the two placements were looked at
    return problems


def _bench_weight(kept, column: str) -> float | None:
    """The weight of ``column`` (its name, or in words as its slider says it) that the participant's workbench
    last kept in the store ``kept`` (None before)."""
    saved = kept.load("classification", default=None)
    if not saved:
        return None
    criteria = [c for axis in ("attractiveness", "strength") for c in saved["settings"][axis]]
    return next((c["weight"] for c in criteria if column in (c["column"], column_words(c["column"]))), None)


def _start_here_with_a_name_and_a_file(page, url: str, export: pathlib.Path) -> None:
    """The list, then Start here: it asks for the name before anything runs; the picker takes the file."""
    page.goto(f"{url}/", timeout=120_000)
    page.get_by_role("link", name=_title(NOTEBOOKS[0])).click()
    box = page.get_by_label("Your name", exact=False)
    box.wait_for(timeout=120_000)
    box.click()
    page.keyboard.type(PARTICIPANT)
    with page.expect_navigation(timeout=240_000):
        page.get_by_role("button", name="Use this name").click()
    assert parse_qs(urlsplit(page.url).query)["workbook"] == [PARTICIPANT]
    wait_rendered(page)
    page.set_input_files(".kam-file input[type=file]", str(export))
    headline = f"300 order lines summed into 40 accounts from {export.name}: revenue is the sum of 'Sales'."
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=headline, timeout=120_000)


def _lesson_14_places_an_account_by_hand(page, customers: list[str]) -> None:
    """Lesson 14 (open on ``page``): an account placed by hand, with the reason, in the course's classification,
    comes out of the Excel summary with its bucket and reason, among the participant's accounts only."""
    account, reason = "Glenwick Packaging", "Their new plant runs on our seals from 2027"
    tool = page.locator(".jp-Cell", has=page.get_by_role("button", name="Place by hand", exact=True))
    tool.get_by_label("Account", exact=True).select_option(label=account)
    tool.get_by_label("goes to", exact=True).select_option(label="Key account")
    tool.get_by_label("because", exact=True).fill(reason)
    tool.get_by_role("button", name="Place by hand", exact=True).click()
    tool.get_by_text(reason, exact=True).wait_for(timeout=60_000)  # the kernel placed it
    assert "Key account: 1" in tool.inner_text()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Excel summary", exact=True).click()
    saved = download.value
    book = openpyxl.load_workbook(io.BytesIO(pathlib.Path(saved.path()).read_bytes()))
    rows = list(book["Course classification"].iter_rows(values_only=True))
    head = rows[0]
    named = {r[head.index("account")]: dict(zip(head, r)) for r in rows[1:]}
    assert sorted(named) == sorted(customers)  # the participant's accounts, every one, none of the sample's
    row = named[account]
    assert (row["bucket"], row["placed by"], row["reason"]) == ("Key account", "by hand", reason), row


def test_a_participant_walks_every_lesson_on_an_uploaded_order_export(browser, workshop, tmp_path):
    """Issue #31: a participant's morning on their own order export, lesson by lesson, from the list.

    Each lesson opens once from the list, in the participant's workbook, on their file: no error, no code wording,
    tables in words and readable numbers, and the sample only where the lesson says it is the sample. In lesson 14
    a weight moved changes the workbench's own tabs (a table that stays says it shows the page as it opened), and
    an account placed by hand comes out of the Excel summary with its bucket and reason.
    """
    url, store, server = workshop
    export = tmp_path / "nordkap-orders.csv"
    customers, people = _order_export(export)
    sample = _sample_names()
    assert not sample & {*customers, *people}  # the file shares no name with the sample
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        _start_here_with_a_name_and_a_file(page, url, export)
        loads: list[str] = []
        page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/voila/render/" in r.url else None)
        for path in NOTEBOOKS:
            lesson = _title(path)
            page.goto(f"{url}/", timeout=120_000)
            link = page.get_by_role("link", name=lesson, exact=True)
            href = link.get_attribute("href")
            assert parse_qs(urlsplit(href).query)["workbook"] == [PARTICIPANT], href
            loads.clear()
            asked.clear()
            kernels = _kernels(server)
            link.click()
            wait_rendered(page)
            opened = f"{url}{href}" if href.startswith("/") else href
            if loads != [opened] or asked != [opened] or _kernels(server) != kernels + 1:
                problems.append(f"{lesson}: loads {loads}, asked {asked}, {_kernels(server) - kernels} kernels")
            on = set(re.findall(r"Working on ([^\n]+)", page.inner_text("body")))
            if on - {export.name}:
                problems.append(f"{lesson}: working on {sorted(on)}, not the participant's file")
            _wait_for_every_cell(page, path)
            problems += _page_problems(lesson, page.evaluate(CELLS), path, sample)
            if path.name == "14_customer_classification.ipynb":
                problems += _lesson_14(page, store, path)
                _lesson_14_places_an_account_by_hand(page, customers)
        problems += errors
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def _wait_for_every_cell(page, path) -> None:
    """Until the page holds as many cells as the lesson (a busy machine's Voila may still be adding the last);
    a lesson whose cell fails never gets there, and the check of its cells then says so."""
    expected = len(nbformat.read(path, as_version=4).cells)
    try:
        page.wait_for_function(f"() => document.querySelectorAll('.jp-Cell').length >= {expected}", timeout=60_000)
    except PlaywrightTimeout:
        pass


def _slider_value(page, column: str, timeout_s: float = 120) -> float:
    """The value of the weight slider of ``column``, scrolling down until the tool holding it is drawn."""
    slider = page.get_by_role("slider", name=f"weight of {column}").first
    deadline = time.monotonic() + timeout_s
    while slider.count() == 0:  # a tool further down is drawn when the reader reaches it
        assert time.monotonic() < deadline, f"no weight slider for {column} on {page.url}"
        page.mouse.move(700, 500)
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(150)
    slider.scroll_into_view_if_needed()
    return float(slider.get_attribute("aria-valuenow"))


def test_weights_moved_in_lesson_14_come_back_in_the_lesson_the_wrap_up_and_the_excel_summary(browser, workshop):
    """Issue #28: the classification lesson restores a participant's weights before it saves anything."""
    url, store, _server = workshop
    name = "test/weights"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        lesson = f"{url}/voila/render/14_customer_classification.ipynb?workbook={quote(name, safe='')}"
        page.goto(lesson, timeout=240_000)
        wait_rendered(page)
        was = _slider_value(page, "revenue")
        slider = page.get_by_role("slider", name="weight of revenue").first
        slider.focus()
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([s, was]) => Number(s.getAttribute('aria-valuenow')) > was", arg=[slider.element_handle(), was]
        )
        moved = float(slider.get_attribute("aria-valuenow"))
        kept = kw.open_store(store, workbook=name)
        deadline = time.monotonic() + 60
        while _bench_weight(kept, "revenue") != moved:  # kept a moment after the move
            assert time.monotonic() < deadline, f"the workbench never kept revenue at {moved}"
            time.sleep(0.2)

        page.goto(lesson, timeout=240_000)  # a reload: the weights come back, the defaults are not saved over them
        wait_rendered(page)
        assert _slider_value(page, "revenue") == moved
        assert _bench_weight(kept, "revenue") == moved

        page.goto(f"{url}/voila/render/15_wrap_up.ipynb?workbook={quote(name, safe='')}", timeout=240_000)
        wait_rendered(page)
        assert _slider_value(page, "revenue") == moved  # the wrap-up's workbench is the same kept work
        button = page.get_by_role("button", name="Excel summary").first
        deadline = time.monotonic() + 120
        while button.count() == 0:
            assert time.monotonic() < deadline, "the wrap-up's downloads never appeared"
            page.mouse.wheel(0, 700)
            page.wait_for_timeout(150)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=120_000) as download:
            button.click()
        book = openpyxl.load_workbook(io.BytesIO(pathlib.Path(download.value.path()).read_bytes()))
        rows = list(book["Matrix weights"].iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        weight = {r[header.index("criterion")]: r[header.index("weight")] for r in body}
        assert weight["revenue"] == moved
    finally:
        context.close()
